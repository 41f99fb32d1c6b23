package web

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/netguard"
)

// MaxDIDLength is the longest did:web DID, in bytes, that [URL] and [Resolver.Resolve]
// accept. A host name has at most 253 bytes; the rest leaves room for a deep path.
const MaxDIDLength = 2048

// maxHostLength is the longest DNS name (RFC 1035 §2.3.4, without the trailing dot).
const maxHostLength = 253

// URL returns the https URL of the DID document of the did:web DID d, as the did:web
// method specification (W3C CCG, "Read (Resolve)") maps it:
//
//	did:web:example.com                  https://example.com/.well-known/did.json
//	did:web:example.com%3A3000           https://example.com:3000/.well-known/did.json
//	did:web:example.com:user:alice       https://example.com/user/alice/did.json
//
// The method-specific id is split at ':'. The first segment is the host, optionally
// followed by "%3A" (or "%3a") and a port; the other segments are path segments, each
// percent-decoded once and percent-encoded again as a URL path segment.
//
// URL is stricter than the specification's text, so that a DID names exactly one URL
// and cannot reach what its author did not mean to publish:
//
//   - the host is a DNS name of letters, digits and '-' in labels of 1 to 63 bytes,
//     253 bytes in all, without a trailing dot. ASCII letters of either case are
//     accepted and kept as written (DNS ignores case, but two DIDs that differ in case
//     are different DIDs, and the document's id must match the one resolved exactly).
//     Internationalized names must be written in their A-label form ("xn--..."); no
//     percent-encoding other than the port's "%3A" is allowed in the host, so userinfo,
//     '/', '@' and non-ASCII host names are refused;
//   - the port is a decimal number from 1 to 65535 without leading zeros;
//   - IP addresses are refused, as the specification requires: a loopback, private,
//     link-local (cloud metadata) or otherwise non-public address with an error wrapping
//     [did.ErrForbiddenAddress], any other with [did.ErrInvalidDID]; names that only
//     resolve locally (localhost, *.local, single-label names) wrap
//     [did.ErrForbiddenAddress] too;
//   - path segments must not be empty, "." or "..", and must not decode to a string
//     holding '/', '\', a control character or invalid UTF-8, so that no path traversal
//     is possible;
//   - d is at most [MaxDIDLength] bytes.
//
// URL does no I/O: a host name that resolves to a forbidden address is refused later,
// when [Resolver.Resolve] dials it. Errors wrap [did.ErrInvalidDID] or
// [did.ErrForbiddenAddress].
func URL(d string) (string, error) {
	return buildURL(d, false)
}

// buildURL is URL, with loopback hosts allowed when allowLoopback is set (for tests).
func buildURL(d string, allowLoopback bool) (string, error) {
	if len(d) > MaxDIDLength {
		return "", fmt.Errorf("web: DID of %d bytes, more than %d: %w: %w", len(d), MaxDIDLength, did.ErrInvalidDID, did.ErrTooLarge)
	}
	parsed, err := did.Parse(d)
	if err != nil {
		return "", fmt.Errorf("web: %w", err)
	}
	if parsed.Method != "web" {
		return "", invalid(d, "not a did:web DID")
	}
	segs := strings.Split(parsed.ID, ":")
	hostport, err := hostPort(d, segs[0], allowLoopback)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len("https://") + len(parsed.ID) + len("/.well-known/did.json"))
	b.WriteString("https://")
	b.WriteString(hostport)
	if len(segs) == 1 {
		b.WriteString("/.well-known")
	}
	for _, seg := range segs[1:] {
		p, err := pathSegment(d, seg)
		if err != nil {
			return "", err
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	b.WriteString("/did.json")
	u := b.String()

	// The guard applies the same policy when fetching; checking here as well makes URL
	// refuse exactly what Resolve would refuse before any I/O.
	if _, err := netguard.CheckURL(u, netguard.Options{AllowLoopback: allowLoopback}); err != nil {
		if errors.Is(err, did.ErrForbiddenAddress) {
			return "", fmt.Errorf("web: %s: %w", quote(d), err)
		}
		return "", fmt.Errorf("web: %s: %w: %w", quote(d), did.ErrInvalidDID, err)
	}
	return u, nil
}

// hostPort checks the first segment of a did:web method-specific id and returns the
// URL authority it names: host or host:port.
func hostPort(d, seg string, allowLoopback bool) (string, error) {
	host, port := seg, ""
	if i := strings.Index(strings.ToUpper(seg), "%3A"); i >= 0 {
		host, port = seg[:i], seg[i+3:]
		if port == "" {
			return "", invalid(d, "empty port")
		}
		if !validPort(port) {
			return "", invalid(d, "port is not a number from 1 to 65535")
		}
	}
	if host == "" {
		return "", invalid(d, "empty host")
	}
	if strings.IndexByte(host, '%') >= 0 {
		return "", invalid(d, "percent-encoding in the host other than the port's %3A")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if err := checkAddr(d, a, allowLoopback); err != nil {
			return "", err
		}
	} else if err := checkHostName(d, host); err != nil {
		return "", err
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

// checkAddr handles a host that is an IPv4 literal (IPv6 literals cannot be written in
// a did:web DID: '[' and ':' are not allowed in the host). The specification forbids IP
// addresses; non-public ones get the more specific error, and loopback passes only when
// allowed for tests.
func checkAddr(d string, a netip.Addr, allowLoopback bool) error {
	if _, err := netguard.CheckURL("https://"+a.String()+"/", netguard.Options{AllowLoopback: allowLoopback}); err != nil {
		if errors.Is(err, did.ErrForbiddenAddress) {
			return fmt.Errorf("web: %s: %w", quote(d), err)
		}
		return fmt.Errorf("web: %s: %w: %w", quote(d), did.ErrInvalidDID, err)
	}
	if allowLoopback && a.IsLoopback() {
		return nil
	}
	return invalid(d, "the host is an IP address")
}

// checkHostName checks a DNS host name: letter-digit-hyphen labels (RFC 1123 §2.1).
// A final label of digits only, or of "0x" and hex digits, is refused: resolvers
// (inet_aton) read such names as IPv4 addresses ("127.1", "0x7f000001").
func checkHostName(d, host string) error {
	if len(host) > maxHostLength {
		return invalid(d, "host name longer than 253 bytes")
	}
	last := ""
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || len(label) > 63 {
			return invalid(d, "empty or over-long label in the host name")
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return invalid(d, "host name label starts or ends with '-'")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return invalid(d, "character not allowed in a host name")
			}
		}
		last = label
	}
	if numeric(last) {
		return invalid(d, "host name that reads as a number")
	}
	return nil
}

func numeric(label string) bool {
	digits := label
	hex := len(label) >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')
	if hex {
		digits = label[2:]
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		switch {
		case '0' <= c && c <= '9':
		case hex && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
		default:
			return false
		}
	}
	return true
}

func validPort(p string) bool {
	if len(p) > 5 || p[0] == '0' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// pathSegment percent-decodes one path segment of a did:web DID and checks it.
func pathSegment(d, seg string) (string, error) {
	if seg == "" {
		return "", invalid(d, "empty path segment")
	}
	p, err := url.PathUnescape(seg)
	if err != nil {
		return "", invalid(d, "invalid percent-encoding in a path segment")
	}
	if p == "." || p == ".." {
		return "", invalid(d, `path segment "." or ".."`)
	}
	if !utf8.ValidString(p) {
		return "", invalid(d, "path segment is not UTF-8")
	}
	for _, r := range p {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f || (0x80 <= r && r < 0xa0) {
			return "", invalid(d, "path segment holds '/', '\\' or a control character")
		}
	}
	return p, nil
}

func invalid(d, why string) error {
	return fmt.Errorf("web: %s: %s: %w", quote(d), why, did.ErrInvalidDID)
}

// quote quotes s for an error message, shortened so that hostile input cannot make
// errors large.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
