package did

// MaxURLLength is the longest DID or DID URL, in bytes, that [Parse] and [ParseURL] accept.
const MaxURLLength = 8 << 10

// URL is a DID URL (DID Core §3.2): a DID, then an optional path, query and fragment,
// each kept exactly as written (percent-encoding is not decoded).
type URL struct {
	DID DID
	// Path is empty or starts with "/".
	Path string
	// Query is the query without the leading "?".
	Query string
	// Fragment is the fragment without the leading "#".
	Fragment string
}

// ParseURL parses s as a DID URL. Errors wrap [ErrInvalidDIDURL], or [ErrInvalidDID] when
// the DID part is bad, or [ErrTooLarge].
func ParseURL(s string) (*URL, error) {
	return nil, ErrInvalidDIDURL
}

// String reassembles u. For a URL returned by [ParseURL] it returns the parsed input.
func (u *URL) String() string {
	return ""
}

// Param returns the value of the query parameter name, percent-decoded, and whether it is
// present. The DID parameters of DID Core §3.2.1 are service, relativeRef, versionId,
// versionTime and hl; any other name is looked up the same way.
func (u *URL) Param(name string) (string, bool) {
	return "", false
}

// ResolveReference resolves ref against u: a fragment ("#key-1"), a query ("?service=x"),
// a path ("/p"), or an absolute DID URL, which is returned parsed.
func (u *URL) ResolveReference(ref string) (*URL, error) {
	return nil, ErrInvalidDIDURL
}
