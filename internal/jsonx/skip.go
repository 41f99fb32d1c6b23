package jsonx

// SkipSpace, EndString and EndValue walk JSON that Decode or Validate has already
// accepted, for decoders that read members in place instead of building values. On input
// that was not checked they never run past the end, but their answers mean nothing.

// SkipSpace returns the index of the first byte at or after i that is not JSON
// whitespace.
func SkipSpace[T ~string | ~[]byte](s T, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// EndString returns the index just past the string literal that starts at s[i] == '"'.
func EndString[T ~string | ~[]byte](s T, i int) int {
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(s)
}

// EndValue returns the index just past the value that starts at s[i].
func EndValue[T ~string | ~[]byte](s T, i int) int {
	switch s[i] {
	case '"':
		return EndString(s, i)
	case '{', '[':
		depth := 0
		for i < len(s) {
			switch s[i] {
			case '"':
				i = EndString(s, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(s)
	}
	for i < len(s) { // number, true, false, null
		switch s[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
