package did

import (
	"fmt"
	"strconv"
	"strings"
)

// DID is a decentralized identifier (DID Core §3.1): did:Method:ID.
//
// The zero value is not a valid DID; see [DID.IsZero]. Two DIDs are the same DID when
// they are equal as Go values: no case folding or percent-decoding is applied.
type DID struct {
	// Method is the method name: one or more lowercase ASCII letters and digits.
	Method string
	// ID is the method-specific identifier exactly as written: percent-encoding is kept.
	ID string
}

// Parse parses s as a DID (DID Core §3.1):
//
//	did                = "did:" method-name ":" method-specific-id
//	method-name        = 1*method-char
//	method-char        = %x61-7A / DIGIT
//	method-specific-id = *( *idchar ":" ) 1*idchar
//	idchar             = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
//
// The scheme must be lowercase, as DID Core requires. A DID URL (with a path, query or
// fragment) is not a DID; use [ParseURL]. Errors wrap [ErrInvalidDID], or [ErrTooLarge] for
// strings longer than [MaxURLLength].
func Parse(s string) (DID, error) {
	if len(s) > MaxURLLength {
		return DID{}, fmt.Errorf("did: %d bytes, more than %d: %w", len(s), MaxURLLength, ErrTooLarge)
	}
	d, n, err := parseDID(s)
	if err != nil {
		return DID{}, err
	}
	if n != len(s) {
		return DID{}, invalidDID(s, n, "character not allowed in a DID")
	}
	return d, nil
}

// parseDID parses the DID at the start of s. It stops at the first character that
// cannot be part of a method-specific id and returns the DID and its length.
func parseDID(s string) (DID, int, error) {
	const prefix = "did:"
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return DID{}, 0, invalidDID(s, 0, `does not start with "did:"`)
	}
	i := len(prefix)
	for i < len(s) && isMethodChar(s[i]) {
		i++
	}
	if i == len(prefix) {
		return DID{}, 0, invalidDID(s, i, "empty or invalid method name")
	}
	if i == len(s) || s[i] != ':' {
		return DID{}, 0, invalidDID(s, i, "method name not followed by ':'")
	}
	method := s[len(prefix):i]
	i++
	start := i
scan:
	for i < len(s) {
		c := s[i]
		switch {
		case isIDChar(c) || c == ':':
			i++
		case c == '%':
			if !validPct(s, i) {
				return DID{}, 0, invalidDID(s, i, "invalid percent-encoding")
			}
			i += 3
		default:
			break scan
		}
	}
	if i == start {
		return DID{}, 0, invalidDID(s, i, "empty method-specific id")
	}
	if s[i-1] == ':' {
		return DID{}, 0, invalidDID(s, i-1, "method-specific id ends with ':'")
	}
	return DID{Method: method, ID: s[start:i]}, i, nil
}

func invalidDID(s string, at int, why string) error {
	return fmt.Errorf("did: %s: %s at offset %d: %w", quote(s), why, at, ErrInvalidDID)
}

// String returns "did:" + d.Method + ":" + d.ID, or "" for the zero DID.
func (d DID) String() string {
	if d.IsZero() {
		return ""
	}
	return "did:" + d.Method + ":" + d.ID
}

// IsZero reports whether d is the zero DID.
func (d DID) IsZero() bool { return d.Method == "" && d.ID == "" }

// MarshalText implements [encoding.TextMarshaler]. The zero DID marshals as empty text;
// any other DID must be valid.
func (d DID) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	s := d.String()
	if _, err := Parse(s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [Parse]. Empty text gives the
// zero DID.
func (d *DID) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = DID{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func isMethodChar(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isIDChar reports whether c is an idchar other than pct-encoded.
func isIDChar(c byte) bool { return isAlnum(c) || c == '.' || c == '-' || c == '_' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validPct reports whether s[i:] starts with "%" HEXDIG HEXDIG.
func validPct(s string, i int) bool {
	return i+2 < len(s) && s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2])
}

// quote quotes s for an error message, shortened so that hostile input cannot make
// errors large.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

// validMethodName reports whether s is a method-name.
// MethodOf returns the method name of a string that starts like a DID, "did:<method>:",
// when the name is valid (lowercase letters and digits, DID Core §3.1). It checks nothing
// else: method resolvers use it to tell "another method" (methodNotSupported) from "not a
// DID at all" (invalidDid) before parsing.
func MethodOf(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return "", false
	}
	m, _, ok := strings.Cut(rest, ":")
	if !ok || !validMethodName(m) {
		return "", false
	}
	return m, true
}

func validMethodName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isMethodChar(s[i]) {
			return false
		}
	}
	return true
}
