package dataintegrity

import (
	"errors"
	"unicode/utf8"
)

// A minimal, strict CBOR (RFC 8949) writer and reader for the proof values of the
// selective disclosure suites, whose shapes are fixed: arrays, maps with unsigned integer
// keys, byte strings, text strings and unsigned integers. A general CBOR library would
// accept far more (tags, floats, indefinite lengths, nesting) only to have it refused
// afterwards; this accepts exactly those five major types, definite lengths only, each
// head in its shortest form (RFC 8949 §4.2.1 preferred serialization), and never
// allocates more than the remaining input could hold.

const (
	cborUint  = 0
	cborBytes = 2
	cborText  = 3
	cborArray = 4
	cborMap   = 5
	cborTag   = 6
)

type cborWriter struct{ b []byte }

func (w *cborWriter) head(major byte, n uint64) {
	m := major << 5
	switch {
	case n < 24:
		w.b = append(w.b, m|byte(n))
	case n <= 0xff:
		w.b = append(w.b, m|24, byte(n))
	case n <= 0xffff:
		w.b = append(w.b, m|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		w.b = append(w.b, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	default:
		w.b = append(w.b, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

func (w *cborWriter) bytes(b []byte) { w.head(cborBytes, uint64(len(b))); w.b = append(w.b, b...) }
func (w *cborWriter) text(s string)  { w.head(cborText, uint64(len(s))); w.b = append(w.b, s...) }

var errCBOR = errors.New("malformed CBOR")

// cborReader reads one value at a time; the first error sticks.
type cborReader struct {
	b   []byte
	err error
}

func (r *cborReader) fail() { r.err = errCBOR }

// head reads an initial byte and its argument, refusing indefinite lengths, reserved
// additional information and arguments not in their shortest form.
func (r *cborReader) head() (byte, uint64) {
	if r.err != nil || len(r.b) == 0 {
		r.fail()
		return 0, 0
	}
	major, ai := r.b[0]>>5, r.b[0]&0x1f
	r.b = r.b[1:]
	if ai < 24 {
		return major, uint64(ai)
	}
	if ai > 27 {
		r.fail()
		return 0, 0
	}
	size := 1 << (ai - 24)
	if len(r.b) < size {
		r.fail()
		return 0, 0
	}
	var n uint64
	for _, c := range r.b[:size] {
		n = n<<8 | uint64(c)
	}
	r.b = r.b[size:]
	if (size == 1 && n < 24) || (size > 1 && n < 1<<(4*size)) {
		r.fail() // not the shortest form
		return 0, 0
	}
	return major, n
}

// expect reads a head of the given major type with an argument of at most limit.
func (r *cborReader) expect(major byte, limit uint64) int {
	m, n := r.head()
	if r.err != nil {
		return 0
	}
	if m != major || n > limit {
		r.fail()
		return 0
	}
	return int(n)
}

// bytes reads a byte string of exactly size bytes (any size up to the input when size < 0).
func (r *cborReader) bytes(size int) []byte {
	n := r.expect(cborBytes, uint64(len(r.b)))
	if r.err != nil || (size >= 0 && n != size) || n > len(r.b) {
		r.fail()
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *cborReader) text() string {
	n := r.expect(cborText, uint64(len(r.b)))
	if r.err != nil || n > len(r.b) || !utf8.Valid(r.b[:n]) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// array reads an array head of at most limit elements, each taking at least one byte.
func (r *cborReader) array(limit int) int {
	return r.expect(cborArray, uint64(min(limit, len(r.b))))
}

// mapLen reads a map head of at most limit entries, each taking at least two bytes.
func (r *cborReader) mapLen(limit int) int {
	return r.expect(cborMap, uint64(min(limit, len(r.b)/2)))
}

func (r *cborReader) uint(limit uint64) uint64 {
	m, n := r.head()
	if r.err == nil && (m != cborUint || n > limit) {
		r.fail()
	}
	return n
}

// done fails unless every byte was read.
func (r *cborReader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	return r.err
}
