package jsonx

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// plain marks the bytes that may stand for themselves inside a string with no further
// check: printable ASCII other than '"' and '\\'.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipWS returns the index of the first byte at or after i that is not JSON whitespace
// (RFC 8259 §2: space, tab, line feed, carriage return; nothing else).
func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanString checks the string whose opening quote is at data[i-1] and returns the index just
// past its closing quote, and whether it holds escapes. It rejects unescaped control
// characters, invalid UTF-8 and escapes that RFC 8259 §7 does not allow, including
// surrogate escapes that do not form a pair.
func scanString(data []byte, i int) (int, bool, error) {
	esc := false
	for {
		for i < len(data) && plain[data[i]] {
			i++
		}
		if i >= len(data) {
			return 0, false, malformed(i, "unterminated string")
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, esc, nil
		case c == '\\':
			esc = true
			n, err := scanEscape(data, i)
			if err != nil {
				return 0, false, err
			}
			i = n
		case c < 0x20:
			return 0, false, malformed(i, "control character in string")
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return 0, false, malformed(i, "invalid UTF-8")
			}
			i += size
		}
	}
}

// scanEscape checks the escape whose backslash is at data[i] and returns the index past it.
func scanEscape(data []byte, i int) (int, error) {
	if i+1 >= len(data) {
		return 0, malformed(i, "unterminated string")
	}
	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2, nil
	case 'u':
		r, ok := hex4(data, i+2)
		if !ok {
			return 0, malformed(i, "invalid \\u escape")
		}
		if !utf16.IsSurrogate(r) {
			return i + 6, nil
		}
		if r < 0xdc00 && i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
			if r2, ok := hex4(data, i+8); ok && 0xdc00 <= r2 && r2 <= 0xdfff {
				return i + 12, nil
			}
		}
		return 0, malformed(i, "unpaired surrogate escape")
	default:
		return 0, malformed(i, "invalid escape")
	}
}

// hex4 decodes the four hexadecimal digits at data[i:i+4].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// unescape appends to dst the decoded form of s, the body of a string that scanString accepted.
func unescape(dst, s []byte) []byte {
	for {
		j := bytes.IndexByte(s, '\\')
		if j < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:j]...)
		s = s[j:]
		n := 2
		switch c := s[1]; c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(s, 2)
			n = 6
			if utf16.IsSurrogate(r) {
				r2, _ := hex4(s, 8)
				r = utf16.DecodeRune(r, r2)
				n = 12
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, c)
		}
		s = s[n:]
	}
}

// scanNumber checks the number starting at data[i] against RFC 8259 §6 and returns the index
// past it.
func scanNumber(data []byte, i int) (int, error) {
	start := i
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i++
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	default:
		return 0, malformed(start, "invalid number")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return 0, malformed(start, "invalid number")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return 0, malformed(start, "invalid number")
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	return i, nil
}

// literal checks that lit ("true", "false" or "null") starts at data[i].
func literal(data []byte, i int, lit string) (int, error) {
	if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
		return i + len(lit), nil
	}
	return 0, malformed(i, "invalid literal")
}
