package jsonx

import "encoding/json"

// decoder checks and builds a value in one recursive pass over data.
type decoder struct {
	data     []byte
	str      string // data as one string: unescaped strings and numbers are substrings of it
	pos      int
	depth    int
	maxDepth int
	vals     []any    // elements of the open arrays, innermost last
	members  []member // members of the open objects, innermost last
	buf      []byte   // scratch for unescaping
}

type member struct {
	key string
	val any
	off int // offset of the name, for the duplicate error
}

// value decodes the value at d.pos (whitespace already skipped) and leaves d.pos past it.
func (d *decoder) value() (any, error) {
	i := d.pos
	if i >= len(d.data) {
		return nil, malformed(i, "unexpected end of input")
	}
	switch c := d.data[i]; c {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		s, err := d.string()
		if err != nil {
			return nil, err
		}
		return s, nil
	case 't':
		end, err := literal(d.data, i, "true")
		d.pos = end
		return true, err
	case 'f':
		end, err := literal(d.data, i, "false")
		d.pos = end
		return false, err
	case 'n':
		end, err := literal(d.data, i, "null")
		d.pos = end
		return nil, err
	default:
		if c != '-' && !isDigit(c) {
			return nil, malformed(i, "unexpected character")
		}
		end, err := scanNumber(d.data, i)
		if err != nil {
			return nil, err
		}
		d.pos = end
		return json.Number(d.str[i:end]), nil
	}
}

// string decodes the string whose opening quote is at d.pos.
func (d *decoder) string() (string, error) {
	start := d.pos + 1
	end, esc, err := scanString(d.data, start)
	if err != nil {
		return "", err
	}
	d.pos = end
	if !esc {
		return d.str[start : end-1], nil
	}
	d.buf = unescape(d.buf[:0], d.data[start:end-1])
	return string(d.buf), nil
}

func (d *decoder) array() (any, error) {
	open := d.pos
	if d.depth++; d.depth > d.maxDepth {
		return nil, tooDeep(open, d.maxDepth)
	}
	i := skipWS(d.data, open+1)
	if i < len(d.data) && d.data[i] == ']' {
		d.pos = i + 1
		d.depth--
		return make([]any, 0), nil
	}
	base := len(d.vals)
	for {
		d.pos = i
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.vals = append(d.vals, v)
		i = skipWS(d.data, d.pos)
		if i < len(d.data) && d.data[i] == ',' {
			i = skipWS(d.data, i+1)
			continue
		}
		if i < len(d.data) && d.data[i] == ']' {
			break
		}
		return nil, malformed(i, "expected ',' or ']'")
	}
	d.pos = i + 1
	d.depth--
	elems := d.vals[base:]
	a := make([]any, len(elems))
	copy(a, elems)
	clear(elems)
	d.vals = d.vals[:base]
	return a, nil
}

func (d *decoder) object() (any, error) {
	open := d.pos
	if d.depth++; d.depth > d.maxDepth {
		return nil, tooDeep(open, d.maxDepth)
	}
	i := skipWS(d.data, open+1)
	if i < len(d.data) && d.data[i] == '}' {
		d.pos = i + 1
		d.depth--
		return map[string]any{}, nil
	}
	base := len(d.members)
	for {
		if i >= len(d.data) || d.data[i] != '"' {
			return nil, malformed(i, "expected member name")
		}
		d.pos = i
		key, err := d.string()
		if err != nil {
			return nil, err
		}
		off := i
		i = skipWS(d.data, d.pos)
		if i >= len(d.data) || d.data[i] != ':' {
			return nil, malformed(i, "expected ':'")
		}
		d.pos = skipWS(d.data, i+1)
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, member{key: key, val: v, off: off})
		i = skipWS(d.data, d.pos)
		if i < len(d.data) && d.data[i] == ',' {
			i = skipWS(d.data, i+1)
			continue
		}
		if i < len(d.data) && d.data[i] == '}' {
			break
		}
		return nil, malformed(i, "expected ',' or '}'")
	}
	d.pos = i + 1
	d.depth--
	ms := d.members[base:]
	m := make(map[string]any, len(ms))
	for k := range ms {
		m[ms[k].key] = ms[k].val
		// The map has one entry per name so far: if it did not grow, the name was seen.
		if len(m) != k+1 {
			return nil, malformed(ms[k].off, "duplicate member name")
		}
	}
	clear(ms)
	d.members = d.members[:base]
	return m, nil
}
