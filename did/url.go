package did

import (
	"fmt"
	"net/url"
	"strings"
)

// MaxURLLength is the longest DID or DID URL, in bytes, that [Parse] and [ParseURL] accept.
const MaxURLLength = 8 << 10

// URL is a DID URL (DID Core §3.2): a DID, then an optional path, query and fragment,
// each kept exactly as written (percent-encoding is not decoded).
type URL struct {
	DID DID
	// Path is empty or starts with "/".
	Path string
	// Query is the query without the leading "?". Empty means no query.
	Query string
	// Fragment is the fragment without the leading "#". Empty means no fragment.
	Fragment string
}

// ParseURL parses s as a DID URL (DID Core §3.2):
//
//	did-url = did path-abempty [ "?" query ] [ "#" fragment ]
//
// with path-abempty, query and fragment as in RFC 3986 §3.3-3.5: ASCII only, no spaces or
// control characters, and every "%" followed by two hex digits. An empty query or fragment
// after "?" or "#" is rejected, so that [URL.String] gives back exactly s.
//
// Errors wrap [ErrInvalidDIDURL], [ErrInvalidDID] when the DID part is bad, or [ErrTooLarge]
// for strings longer than [MaxURLLength].
func ParseURL(s string) (*URL, error) {
	if len(s) > MaxURLLength {
		return nil, fmt.Errorf("did: %d bytes, more than %d: %w", len(s), MaxURLLength, ErrTooLarge)
	}
	d, n, err := parseDID(s)
	if err != nil {
		return nil, err
	}
	u := &URL{DID: d}
	rest := s[n:]
	if rest == "" {
		return u, nil
	}
	switch rest[0] {
	case '/', '?', '#':
	default:
		return nil, invalidDID(s, n, "character not allowed in a DID")
	}
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	u.Path, rest = rest[:end], rest[end:]
	if err := checkURIPart(u.Path, s, n, false); err != nil {
		return nil, err
	}
	n += len(u.Path)
	if strings.HasPrefix(rest, "?") {
		end = strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		u.Query, rest = rest[1:end], rest[end:]
		if u.Query == "" {
			return nil, invalidURL(s, n, "empty query")
		}
		if err := checkURIPart(u.Query, s, n+1, true); err != nil {
			return nil, err
		}
		n += 1 + len(u.Query)
	}
	if strings.HasPrefix(rest, "#") {
		u.Fragment = rest[1:]
		if u.Fragment == "" {
			return nil, invalidURL(s, n, "empty fragment")
		}
		if err := checkURIPart(u.Fragment, s, n+1, true); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// checkURIPart checks a path (allowQ false) or a query or fragment (allowQ true) of s
// that starts at offset at.
func checkURIPart(part, s string, at int, allowQ bool) error {
	for i := 0; i < len(part); i++ {
		c := part[i]
		switch {
		case isPChar(c) || c == '/':
		case c == '?' && allowQ:
		case c == '%':
			if !validPct(part, i) {
				return invalidURL(s, at+i, "invalid percent-encoding")
			}
			i += 2
		default:
			return invalidURL(s, at+i, "character not allowed")
		}
	}
	return nil
}

func invalidURL(s string, at int, why string) error {
	return fmt.Errorf("did: URL %s: %s at offset %d: %w", quote(s), why, at, ErrInvalidDIDURL)
}

// isPChar reports whether c is a pchar of RFC 3986 other than pct-encoded:
// unreserved / sub-delims / ":" / "@".
func isPChar(c byte) bool {
	if isAlnum(c) {
		return true
	}
	switch c {
	case '-', '.', '_', '~', // unreserved
		'!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', // sub-delims
		':', '@':
		return true
	}
	return false
}

// String reassembles u. For a URL returned by [ParseURL] it returns the parsed input.
func (u *URL) String() string {
	var b strings.Builder
	ds := u.DID.String()
	b.Grow(len(ds) + len(u.Path) + len(u.Query) + len(u.Fragment) + 2)
	b.WriteString(ds)
	b.WriteString(u.Path)
	if u.Query != "" {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.Fragment != "" {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// Param returns the value of the first query parameter called name, percent-decoded, and
// whether it is present. The query is read as name=value pairs separated by "&"; names
// and values are percent-decoded and "+" is kept as is (RFC 3986 has no "+" for space).
// DID Core §3.2.1 defines service, relativeRef, versionId, versionTime and hl; any other
// name is looked up the same way.
func (u *URL) Param(name string) (string, bool) {
	q := u.Query
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.PathUnescape(k)
		if err != nil || k != name {
			continue
		}
		v, err = url.PathUnescape(v)
		if err != nil {
			return "", false
		}
		return v, true
	}
	return "", false
}

// ResolveReference resolves ref against u, as RFC 3986 §5.2 does with u as the base, and
// returns the result parsed. ref may be:
//
//   - an absolute DID URL ("did:example:123#key-1"), returned as is;
//   - a fragment ("#key-1"): u with that fragment;
//   - a query ("?service=x"): u's DID and path with that query;
//   - an absolute path ("/p"): u's DID with that path, dot segments removed;
//   - empty: u without its fragment.
//
// DID Core §3.2.2 resolves relative DID URLs against the DID. A literal RFC 3986 merge
// of "/p" or "p" with "did:example:123" would give "did:/p" or "did:p", dropping the
// method-specific id, so an absolute path is appended to the DID instead, and a
// relative path ("p", "../p") or a network-path ("//host") reference is rejected, as is
// any URI of another scheme. Errors wrap [ErrInvalidDIDURL] or [ErrInvalidDID].
func (u *URL) ResolveReference(ref string) (*URL, error) {
	if len(ref) > MaxURLLength {
		return nil, fmt.Errorf("did: %d bytes, more than %d: %w", len(ref), MaxURLLength, ErrTooLarge)
	}
	base := u.DID.String()
	switch {
	case ref == "":
		return &URL{DID: u.DID, Path: u.Path, Query: u.Query}, nil
	case ref[0] == '#':
		return ParseURL(base + u.Path + queryPart(u.Query) + ref)
	case ref[0] == '?':
		return ParseURL(base + u.Path + ref)
	case strings.HasPrefix(ref, "//"):
		return nil, invalidURL(ref, 0, "network-path reference")
	case ref[0] == '/':
		path, rest := ref, ""
		if i := strings.IndexAny(ref, "?#"); i >= 0 {
			path, rest = ref[:i], ref[i:]
		}
		return ParseURL(base + removeDotSegments(path) + rest)
	}
	if scheme, ok := uriScheme(ref); ok {
		if !strings.EqualFold(scheme, "did") {
			return nil, invalidURL(ref, 0, "not a DID URL")
		}
		return ParseURL(ref)
	}
	return nil, invalidURL(ref, 0, "relative-path reference")
}

func queryPart(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// uriScheme returns the scheme of s if s starts with one (RFC 3986 §3.1).
func uriScheme(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i], true
		default:
			return "", false
		}
	}
	return "", false
}

// removeDotSegments implements RFC 3986 §5.2.4 for an absolute path.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}
