package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// maxURLLength bounds the URLs we parse; no DID document or status list URL comes close.
const maxURLLength = 8 << 10

// localSuffixes are names that resolve on the local network, never on the public DNS
// (RFC 6761 localhost, RFC 6762 .local, RFC 8375 home.arpa, ICANN's .internal).
var localSuffixes = []string{".local", ".internal", ".home.arpa"}

// CheckURL parses rawURL and applies the URL-level policy of opts: the URL must be
// absolute, https (or http with AllowHTTP), without userinfo, with a host that is a
// public IP literal or a fully qualified DNS name. Names that always resolve locally
// (localhost and *.localhost unless AllowLoopback, *.local, *.internal, *.home.arpa and
// single-label names) are refused with errs.ErrForbiddenAddress; host names whose last
// label is numeric ("127.1", "0x7f.1") are refused with errs.ErrInvalidURL, because some
// resolvers read them as IPv4 addresses.
//
// CheckURL does no I/O: it cannot know what a name resolves to. A Guard checks that again,
// on the address it dials. Only AllowHTTP and AllowLoopback of opts are used.
//
// Errors wrap errs.ErrInvalidURL, errs.ErrInsecureURL or errs.ErrForbiddenAddress.
func CheckURL(rawURL string, opts Options) (*url.URL, error) {
	if len(rawURL) > maxURLLength {
		return nil, fmt.Errorf("netguard: %w: longer than %d bytes", errs.ErrInvalidURL, maxURLLength)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// A *url.Error quotes the whole input; keep only its reason.
		reason := err
		if ue, ok := errors.AsType[*url.Error](err); ok {
			reason = ue.Err
		}
		return nil, fmt.Errorf("netguard: %w: %v", errs.ErrInvalidURL, reason)
	}
	if err := checkURL(u, opts); err != nil {
		return nil, fmt.Errorf("netguard: %w", err)
	}
	return u, nil
}

// checkURL applies the policy of CheckURL to a parsed URL. It reads the fields rather
// than trusting how they were produced, because requests sent through Guard.Client may
// carry URLs built by hand.
func checkURL(u *url.URL, opts Options) error {
	if u == nil {
		return fmt.Errorf("%w: no URL", errs.ErrInvalidURL)
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		return fmt.Errorf("%w: not an absolute URL", errs.ErrInvalidURL)
	case "https":
	case "http":
		if !opts.AllowHTTP {
			return fmt.Errorf("%w: scheme http", errs.ErrInsecureURL)
		}
	default:
		return fmt.Errorf("%w: scheme %q", errs.ErrInsecureURL, u.Scheme)
	}
	if u.Opaque != "" {
		return fmt.Errorf("%w: opaque URL", errs.ErrInvalidURL)
	}
	if u.User != nil {
		return fmt.Errorf("%w: userinfo in URL", errs.ErrInvalidURL)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: no host", errs.ErrInvalidURL)
	}
	return checkHost(u.Host, opts)
}

// checkHost checks a URL's host[:port].
func checkHost(hostport string, opts Options) error {
	host, port := hostport, ""
	bracketed := strings.HasPrefix(hostport, "[")
	if bracketed {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return fmt.Errorf("%w: missing ] in host", errs.ErrInvalidURL)
		}
		host, port = hostport[1:end], hostport[end+1:]
		if port != "" && port[0] != ':' {
			return fmt.Errorf("%w: text after IP literal", errs.ErrInvalidURL)
		}
	} else if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		host, port = hostport[:i], hostport[i:]
	}
	if err := checkPort(strings.TrimPrefix(port, ":")); err != nil {
		return err
	}
	if bracketed {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() {
			return fmt.Errorf("%w: invalid IPv6 literal", errs.ErrInvalidURL)
		}
		return checkAddr(a, opts.AllowLoopback)
	}
	if strings.ContainsAny(host, ":[]") {
		return fmt.Errorf("%w: invalid host", errs.ErrInvalidURL)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return checkAddr(a, opts.AllowLoopback)
	}
	return checkName(host, opts)
}

// checkPort accepts an empty port (the scheme's default) or 1 to 65535 in decimal.
func checkPort(port string) error {
	if port == "" {
		return nil
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 || len(port) > 5 {
		return fmt.Errorf("%w: invalid port", errs.ErrInvalidURL)
	}
	return nil
}

// checkName checks a DNS host name: ASCII letters, digits, '-' and '_' in labels of 1 to
// 63 bytes, 253 bytes in all, one optional trailing dot. Internationalized names must be
// given in their A-label (xn--) form.
func checkName(name string, opts Options) error {
	n := strings.TrimSuffix(name, ".")
	if n == "" || len(n) > 253 {
		return fmt.Errorf("%w: invalid host name", errs.ErrInvalidURL)
	}
	labels := strings.Split(n, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return fmt.Errorf("%w: invalid host name", errs.ErrInvalidURL)
		}
	}
	if numericLabel(labels[len(labels)-1]) {
		return fmt.Errorf("%w: host name ends in a number", errs.ErrInvalidURL)
	}
	lower := strings.ToLower(n)
	if lower == "localhost" || strings.HasSuffix(lower, ".localhost") {
		if opts.AllowLoopback {
			return nil
		}
		return fmt.Errorf("%w: %s is a loopback name", errs.ErrForbiddenAddress, n)
	}
	if len(labels) == 1 {
		return fmt.Errorf("%w: %s is a single-label name", errs.ErrForbiddenAddress, n)
	}
	for _, s := range localSuffixes {
		if strings.HasSuffix(lower, s) {
			return fmt.Errorf("%w: %s is a local name", errs.ErrForbiddenAddress, n)
		}
	}
	return nil
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// numericLabel reports whether a final label would make the WHATWG URL parser (and
// inet_aton) read the host as an IPv4 number: all decimal digits, or 0x and hex digits.
func numericLabel(l string) bool {
	if len(l) >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X') {
		for i := 2; i < len(l); i++ {
			c := l[i]
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
}
