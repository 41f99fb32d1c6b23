package jcs

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/errs"
)

// MaxDepth bounds the nesting of the values Canonicalize accepts. Values from jsonx are
// already bounded by its depth limit; this guards values built in Go (and cycles).
const MaxDepth = 1000

// Canonicalize returns the canonical form of v, a value as jsonx.Decode or
// encoding/json (with UseNumber) returns it; decode untrusted input with jsonx first,
// which rejects the duplicate names that JCS cannot represent: nil, bool, string, json.Number, float64,
// map[string]any and []any; int, int64 and []string are accepted too, for values built in
// Go. Strings must be valid UTF-8. Canonicalize is safe for concurrent use and does not
// modify v.
func Canonicalize(v any) ([]byte, error) {
	return Append(make([]byte, 0, 512), v)
}

// Append appends the canonical form of v to dst; see Canonicalize. On error the returned
// slice is nil.
func Append(dst []byte, v any) ([]byte, error) {
	var names [32]string
	e := encoder{buf: dst, keys: names[:0]}
	if err := e.value(v, 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

type encoder struct {
	buf  []byte
	keys []string // scratch space for member names, shared by all objects
}

func (e *encoder) value(v any, depth int) error {
	if depth > MaxDepth {
		return fmt.Errorf("jcs: nesting deeper than %d levels: %w", MaxDepth, errs.ErrTooDeep)
	}
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case bool:
		if x {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case string:
		return e.string(x)
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return fmt.Errorf("jcs: number outside the range of IEEE 754 double precision: %w", errs.ErrMalformed)
		}
		return e.number(f)
	case float64:
		return e.number(x)
	case int:
		return e.number(float64(x))
	case int64:
		return e.number(float64(x))
	case []any:
		e.buf = append(e.buf, '[')
		for i, el := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(el, depth+1); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case []string:
		e.buf = append(e.buf, '[')
		for i, el := range x {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.string(el); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case map[string]any:
		return e.object(x, depth)
	default:
		return fmt.Errorf("jcs: value of Go type %T has no JSON form: %w", v, errs.ErrMalformed)
	}
	return nil
}

func (e *encoder) object(m map[string]any, depth int) error {
	// The scratch slice is shared with nested objects: take this object's names from
	// its end and give the space back when done.
	base := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	names := e.keys[base:]
	slices.SortFunc(names, compareUTF16)
	e.buf = append(e.buf, '{')
	for i := range names {
		k := e.keys[base+i] // e.keys may move while nested objects grow it
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.string(k); err != nil {
			return err
		}
		e.buf = append(e.buf, ':')
		if err := e.value(m[k], depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	clear(e.keys[base:])
	e.keys = e.keys[:base]
	return nil
}

const hexDigits = "0123456789abcdef"

// string writes s as ECMAScript JSON.stringify does (RFC 8785 §3.2.2.2).
func (e *encoder) string(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("jcs: string is not valid UTF-8: %w", errs.ErrMalformed)
	}
	b := append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
	return nil
}

func (e *encoder) number(f float64) error {
	b, err := AppendNumber(e.buf, f)
	if err != nil {
		return err
	}
	e.buf = b
	return nil
}

// AppendNumber appends f as ECMAScript's Number.prototype.toString writes it (ECMA-262
// §6.1.6.1.20, RFC 8785 §3.2.2.3): the shortest digits that round-trip, in plain notation
// for decimal exponents from -6 to 20 and in exponent notation ("1e+21", "1e-7") outside.
// Negative zero is "0"; NaN and the infinities are errors.
func AppendNumber(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("jcs: NaN or infinite number: %w", errs.ErrMalformed)
	}
	if f == 0 {
		return append(dst, '0'), nil
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// strconv's shortest form is d[.ddd]e±xx; take its digits and decimal exponent.
	var scratch [32]byte
	s := strconv.AppendFloat(scratch[:0], f, 'e', -1, 64)
	ePos := slices.Index(s, 'e')
	exp, _ := strconv.Atoi(string(s[ePos+1:]))
	var digits [24]byte
	k := 0
	for _, c := range s[:ePos] {
		if c != '.' {
			digits[k] = c
			k++
		}
	}
	d := digits[:k]
	n := exp + 1 // the value is 0.d × 10^n
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		for range n - k {
			dst = append(dst, '0')
		}
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		dst = append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, '0', '.')
		for range -n {
			dst = append(dst, '0')
		}
		dst = append(dst, d...)
	default:
		dst = append(dst, d[0])
		if k > 1 {
			dst = append(dst, '.')
			dst = append(dst, d[1:]...)
		}
		dst = append(dst, 'e')
		if n-1 >= 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, int64(n-1), 10)
	}
	return dst, nil
}

// compareUTF16 orders strings by their UTF-16 code units (RFC 8785 §3.2.3). UTF-8 byte
// order is code point order, which differs from UTF-16 order only where a character above
// U+FFFF (a surrogate pair, D800-DFFF) meets one in E000-FFFF; so compare bytes up to the
// first difference and rank the two characters found there.
func compareUTF16(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	if i == n {
		return cmp.Compare(len(a), len(b))
	}
	if a[i] < utf8.RuneSelf && b[i] < utf8.RuneSelf {
		return cmp.Compare(a[i], b[i])
	}
	for i > 0 && !utf8.RuneStart(a[i]) {
		i-- // a[:i] == b[:i], so the runes start at the same offset in both
	}
	ra, _ := utf8.DecodeRuneInString(a[i:])
	rb, _ := utf8.DecodeRuneInString(b[i:])
	return cmp.Compare(utf16Rank(ra), utf16Rank(rb))
}

// utf16Rank maps a code point to a number whose order is that of its UTF-16 encoding:
// the BMP below the surrogates, then the supplementary planes (high surrogate first),
// then E000-FFFF.
func utf16Rank(r rune) rune {
	switch {
	case r < 0xd800:
		return r
	case r >= 0x10000:
		return 0xd800 + (r - 0x10000)
	default:
		return r + 0x100000
	}
}
