package dataintegrity

import (
	"bytes"
	"encoding/json"
)

// Sign returns the caller's document as written, with only the proof (and, when it adds
// one, the @context) changed: these helpers find the byte spans of top-level members in
// JSON that jsonx has already accepted, so they do not re-check the syntax.

type span struct{ start, end int }

type topLevel struct {
	members map[string]span // value spans of the names Sign may replace
	lastEnd int             // end of the last member's value; 0 for an empty object
	close   int             // offset of the closing brace
}

func scanTopLevel(data []byte, names ...string) topLevel {
	t := topLevel{members: make(map[string]span, len(names))}
	i := skipSpace(data, 0) + 1 // past '{'
	for {
		i = skipSpace(data, i)
		if data[i] == '}' {
			t.close = i
			return t
		}
		if data[i] == ',' {
			i = skipSpace(data, i+1)
		}
		keyStart := i
		i = skipString(data, i)
		key := data[keyStart:i]
		i = skipSpace(data, i) + 1 // past ':'
		i = skipSpace(data, i)
		start := i
		i = skipValue(data, i)
		t.lastEnd = i
		name := unquote(key)
		for _, n := range names {
			if n == name {
				t.members[n] = span{start, i}
			}
		}
	}
}

// arrayElements returns the spans of the elements of the array at data[s.start:s.end].
func arrayElements(data []byte, s span) []span {
	var out []span
	i := s.start + 1
	for {
		i = skipSpace(data, i)
		switch data[i] {
		case ']':
			return out
		case ',':
			i = skipSpace(data, i+1)
		}
		start := i
		i = skipValue(data, i)
		out = append(out, span{start, i})
	}
}

func unquote(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key[1 : len(key)-1])
	}
	var s string
	_ = json.Unmarshal(key, &s) // valid: jsonx accepted it
	return s
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the string starting at data[i] == '"'.
func skipString(data []byte, i int) int {
	for i++; ; i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
}

// skipValue returns the offset after the value starting at data[i].
func skipValue(data []byte, i int) int {
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch data[i] {
			case '"':
				i = skipString(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
	default: // number or literal
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return i
	}
}

// edit replaces data[s.start:s.end] with text; edits are applied in order of start.
type edit struct {
	span
	text []byte
}

func applyEdits(data []byte, edits []edit) []byte {
	n := len(data)
	for _, e := range edits {
		n += len(e.text) - (e.end - e.start)
	}
	out := make([]byte, 0, n)
	at := 0
	for _, e := range edits {
		out = append(out, data[at:e.start]...)
		out = append(out, e.text...)
		at = e.end
	}
	return append(out, data[at:]...)
}
