package sdjwt

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/claimpath"
)

// Path names a claim in a JSON payload, as the claims path pointers of
// SD-JWT VC and DCQL do: a string selects an object member, a non-negative integer an
// array element, and nil every element of an array. []any{"address", "street_address"}
// is the street address; []any{"nationalities", 1} the second nationality;
// []any{"nationalities", nil} all of them.
//
// Integers may be any Go integer type or a json.Number holding an integer, so paths
// decoded from a JSON request work as they are. Array indices count the elements as the
// holder sees them, with every disclosure applied and decoys removed: the positions of
// the claims the issuer started from.
type Path []any

// String returns the path as a JSON Pointer (RFC 6901), with "*" for nil.
func (p Path) String() string {
	var b strings.Builder
	for _, c := range p {
		b.WriteByte('/')
		switch v := c.(type) {
		case nil:
			b.WriteByte('*')
		case string:
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(v, "~", "~0"), "/", "~1"))
		default:
			if i, ok := index(v); ok {
				b.WriteString(strconv.Itoa(i))
			} else {
				fmt.Fprintf(&b, "%v", v)
			}
		}
	}
	return b.String()
}

// index returns the array index a path component stands for.
func index(c any) (int, bool) { return claimpath.Index(c) }

// checkPath reports a component that is neither a string, an index nor nil.
func checkPath(p Path) error {
	if len(p) == 0 {
		return fmt.Errorf("sdjwt: empty path: %w", ErrInvalidOptions)
	}
	for _, c := range p {
		if c == nil {
			continue
		}
		if _, ok := c.(string); ok {
			continue
		}
		if _, ok := index(c); !ok {
			return fmt.Errorf("sdjwt: path %v: component %v is not a string, index or nil: %w", p, c, ErrInvalidOptions)
		}
	}
	return nil
}

// matches reports whether the concrete path of a claim (strings and ints only) is
// selected by pattern p, component by component, as far as both go.
func matches(claim, p Path) bool {
	n := min(len(claim), len(p))
	for i := range n {
		if !componentMatches(claim[i], p[i]) {
			return false
		}
	}
	return true
}

func componentMatches(c, p any) bool {
	switch cv := c.(type) {
	case string:
		pv, ok := p.(string)
		return ok && pv == cv
	case int:
		if p == nil {
			return true
		}
		pv, ok := index(p)
		return ok && pv == cv
	}
	return false
}

// appendPath returns a copy of p with c appended.
func appendPath(p Path, c any) Path {
	out := make(Path, len(p)+1)
	copy(out, p)
	out[len(p)] = c
	return out
}
