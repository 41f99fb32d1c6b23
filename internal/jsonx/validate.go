package jsonx

import (
	"bytes"
	"hash/maphash"
)

// validator checks data with the same rules, in the same order, as decoder, so that both
// report the same first error, but keeps only the member names of the open objects.
type validator struct {
	data     []byte
	depth    int
	maxDepth int
	names    []name  // member names of the open objects, innermost last
	buf      []byte  // decoded escaped names; the names of open objects point into it
	table    []int32 // open-addressing scratch for objects with many members
	seed     maphash.Seed
	seeded   bool
}

type name struct {
	b   []byte // decoded name
	off int
}

// linearNames is the member count up to which duplicates are found by comparing every pair.
const linearNames = 16

func (v *validator) value(i int) (int, error) {
	if i >= len(v.data) {
		return 0, malformed(i, "unexpected end of input")
	}
	switch c := v.data[i]; c {
	case '{':
		return v.object(i)
	case '[':
		return v.array(i)
	case '"':
		end, _, err := scanString(v.data, i+1)
		return end, err
	case 't':
		return literal(v.data, i, "true")
	case 'f':
		return literal(v.data, i, "false")
	case 'n':
		return literal(v.data, i, "null")
	default:
		if c != '-' && !isDigit(c) {
			return 0, malformed(i, "unexpected character")
		}
		return scanNumber(v.data, i)
	}
}

func (v *validator) array(open int) (int, error) {
	if v.depth++; v.depth > v.maxDepth {
		return 0, tooDeep(open, v.maxDepth)
	}
	i := skipWS(v.data, open+1)
	if i < len(v.data) && v.data[i] == ']' {
		v.depth--
		return i + 1, nil
	}
	for {
		var err error
		if i, err = v.value(i); err != nil {
			return 0, err
		}
		i = skipWS(v.data, i)
		if i < len(v.data) && v.data[i] == ',' {
			i = skipWS(v.data, i+1)
			continue
		}
		if i < len(v.data) && v.data[i] == ']' {
			v.depth--
			return i + 1, nil
		}
		return 0, malformed(i, "expected ',' or ']'")
	}
}

func (v *validator) object(open int) (int, error) {
	if v.depth++; v.depth > v.maxDepth {
		return 0, tooDeep(open, v.maxDepth)
	}
	i := skipWS(v.data, open+1)
	if i < len(v.data) && v.data[i] == '}' {
		v.depth--
		return i + 1, nil
	}
	base, mark := len(v.names), len(v.buf)
	for {
		if i >= len(v.data) || v.data[i] != '"' {
			return 0, malformed(i, "expected member name")
		}
		end, esc, err := scanString(v.data, i+1)
		if err != nil {
			return 0, err
		}
		b := v.data[i+1 : end-1]
		if esc {
			// Later appends never touch b: its capacity ends where it ends.
			n := len(v.buf)
			v.buf = unescape(v.buf, b)
			b = v.buf[n:len(v.buf):len(v.buf)]
		}
		v.names = append(v.names, name{b: b, off: i})
		i = skipWS(v.data, end)
		if i >= len(v.data) || v.data[i] != ':' {
			return 0, malformed(i, "expected ':'")
		}
		if i, err = v.value(skipWS(v.data, i+1)); err != nil {
			return 0, err
		}
		i = skipWS(v.data, i)
		if i < len(v.data) && v.data[i] == ',' {
			i = skipWS(v.data, i+1)
			continue
		}
		if i < len(v.data) && v.data[i] == '}' {
			break
		}
		return 0, malformed(i, "expected ',' or '}'")
	}
	if err := v.unique(v.names[base:]); err != nil {
		return 0, err
	}
	clear(v.names[base:])
	v.names = v.names[:base]
	v.buf = v.buf[:mark]
	v.depth--
	return i + 1, nil
}

// unique reports the first name in ns equal to an earlier one, as decoder.object does.
func (v *validator) unique(ns []name) error {
	if len(ns) <= linearNames {
		for j := 1; j < len(ns); j++ {
			for k := range j {
				if bytes.Equal(ns[k].b, ns[j].b) {
					return malformed(ns[j].off, "duplicate member name")
				}
			}
		}
		return nil
	}
	if !v.seeded {
		v.seed, v.seeded = maphash.MakeSeed(), true
	}
	size := 2 * linearNames
	for size < 2*len(ns) {
		size *= 2
	}
	if cap(v.table) < size {
		v.table = make([]int32, size)
	} else {
		v.table = v.table[:size]
		clear(v.table)
	}
	mask := uint64(size - 1)
	for j := range ns {
		h := maphash.Bytes(v.seed, ns[j].b) & mask
		for {
			k := v.table[h]
			if k == 0 {
				v.table[h] = int32(j + 1)
				break
			}
			if bytes.Equal(ns[k-1].b, ns[j].b) {
				return malformed(ns[j].off, "duplicate member name")
			}
			h = (h + 1) & mask
		}
	}
	return nil
}
