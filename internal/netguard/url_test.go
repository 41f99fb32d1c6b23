package netguard

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	var (
		loopback = Options{AllowLoopback: true}
		plain    = Options{AllowHTTP: true}
	)
	tests := []struct {
		name string
		url  string
		opts Options
		want error
	}{
		{"https name", "https://example.com", Options{}, nil},
		{"https path query fragment", "https://example.com/a/b?c=d#e", Options{}, nil},
		{"upper-case scheme and host", "HTTPS://EXAMPLE.com:8443/", Options{}, nil},
		{"trailing dot", "https://example.com./", Options{}, nil},
		{"empty port", "https://example.com:/", Options{}, nil},
		{"A-label", "https://xn--bcher-kva.example/", Options{}, nil},
		{"underscore label", "https://a_b.example.com/", Options{}, nil},
		{"did:web path", "https://example.com:3000/user/alice/did.json", Options{}, nil},
		{"public IPv4 literal", "https://93.184.216.34/", Options{}, nil},
		{"public IPv6 literal", "https://[2606:2800:220:1:248:1893:25c8:1946]:443/", Options{}, nil},
		{"mapped public IPv4", "https://[::ffff:93.184.216.34]/", Options{}, nil},

		{"http", "http://example.com/", Options{}, errs.ErrInsecureURL},
		{"http allowed", "http://example.com/", plain, nil},
		{"ftp", "ftp://example.com/", plain, errs.ErrInsecureURL},
		{"file", "file:///etc/passwd", Options{}, errs.ErrInsecureURL},
		{"javascript", "javascript:alert(1)", Options{}, errs.ErrInsecureURL},
		{"ws", "ws://example.com/", plain, errs.ErrInsecureURL},

		{"empty", "", Options{}, errs.ErrInvalidURL},
		{"relative path", "/did.json", Options{}, errs.ErrInvalidURL},
		{"scheme-relative", "//example.com/did.json", Options{}, errs.ErrInvalidURL},
		{"bare host", "example.com", Options{}, errs.ErrInvalidURL},
		{"opaque", "https:example.com", Options{}, errs.ErrInvalidURL},
		{"no host", "https:///did.json", Options{}, errs.ErrInvalidURL},
		{"userinfo", "https://user:pass@example.com/", Options{}, errs.ErrInvalidURL},
		{"user only", "https://user@example.com/", Options{}, errs.ErrInvalidURL},
		{"empty userinfo", "https://@example.com/", Options{}, errs.ErrInvalidURL},
		{"userinfo before loopback", "https://example.com@127.0.0.1/", loopback, errs.ErrInvalidURL},
		{"port 0", "https://example.com:0/", Options{}, errs.ErrInvalidURL},
		{"port too large", "https://example.com:65536/", Options{}, errs.ErrInvalidURL},
		{"space in host", "https://exa mple.com/", Options{}, errs.ErrInvalidURL},
		{"non-ASCII host", "https://bücher.example/", Options{}, errs.ErrInvalidURL},
		{"escaped non-ASCII host", "https://b%C3%BCcher.example/", Options{}, errs.ErrInvalidURL},
		{"escaped ASCII host", "https://%6c%6fcalhost/", Options{}, errs.ErrInvalidURL},
		{"leading hyphen", "https://-a.example.com/", Options{}, errs.ErrInvalidURL},
		{"empty label", "https://a..example.com/", Options{}, errs.ErrInvalidURL},
		{"long label", "https://" + strings.Repeat("a", 64) + ".example/", Options{}, errs.ErrInvalidURL},
		{"short IPv4", "https://127.1/", Options{}, errs.ErrInvalidURL},
		{"decimal IPv4", "https://2130706433/", Options{}, errs.ErrInvalidURL},
		{"hex IPv4", "https://0x7f000001/", Options{}, errs.ErrInvalidURL},
		{"octal IPv4", "https://0177.0.0.01/", Options{}, errs.ErrInvalidURL},
		{"numeric last label", "https://example.123/", Options{}, errs.ErrInvalidURL},
		{"IPv4 trailing dot", "https://10.0.0.1./", Options{}, errs.ErrInvalidURL},
		{"unclosed bracket", "https://[::1/", loopback, errs.ErrInvalidURL},
		{"bracketed IPv4", "https://[127.0.0.1]/", loopback, errs.ErrInvalidURL},
		{"bracketed name", "https://[example.com]/", Options{}, errs.ErrInvalidURL},
		{"too long", "https://example.com/" + strings.Repeat("a", maxURLLength), Options{}, errs.ErrInvalidURL},

		{"localhost", "https://localhost/", Options{}, errs.ErrForbiddenAddress},
		{"localhost upper-case dot", "https://LOCALHOST./", Options{}, errs.ErrForbiddenAddress},
		{"sub.localhost", "https://a.localhost:8443/", Options{}, errs.ErrForbiddenAddress},
		{"single label", "https://intranet/", Options{}, errs.ErrForbiddenAddress},
		{"mDNS", "https://printer.local/", Options{}, errs.ErrForbiddenAddress},
		{"internal", "https://metadata.google.internal/computeMetadata/v1/", Options{}, errs.ErrForbiddenAddress},
		{"home.arpa", "https://router.home.arpa/", Options{}, errs.ErrForbiddenAddress},
		{"metadata literal", "https://169.254.169.254/latest/meta-data/", Options{}, errs.ErrForbiddenAddress},
		{"metadata literal over http", "http://169.254.169.254/", plain, errs.ErrForbiddenAddress},
		{"loopback literal", "https://127.0.0.1/", Options{}, errs.ErrForbiddenAddress},
		{"IPv6 loopback", "https://[::1]/", Options{}, errs.ErrForbiddenAddress},
		{"mapped private", "https://[::ffff:10.0.0.1]/", Options{}, errs.ErrForbiddenAddress},
		{"link-local", "https://[fe80::1]/", Options{}, errs.ErrForbiddenAddress},
		{"link-local zone", "https://[fe80::1%25eth0]/", Options{}, errs.ErrForbiddenAddress},
		{"unspecified", "https://0.0.0.0/", Options{}, errs.ErrForbiddenAddress},
		{"IPv6 unspecified", "https://[::]/", Options{}, errs.ErrForbiddenAddress},
		{"private", "https://192.168.1.1:8443/", Options{}, errs.ErrForbiddenAddress},

		{"loopback allowed", "https://127.0.0.1:8443/", loopback, nil},
		{"IPv6 loopback allowed", "https://[::1]:8443/", loopback, nil},
		{"localhost allowed", "https://localhost:8443/", loopback, nil},
		{"mapped loopback still refused", "https://[::ffff:127.0.0.1]/", loopback, errs.ErrForbiddenAddress},
		{"private still refused", "https://10.0.0.1/", loopback, errs.ErrForbiddenAddress},
		{"metadata still refused", "https://169.254.169.254/", loopback, errs.ErrForbiddenAddress},
		{"intranet still refused", "https://intranet/", loopback, errs.ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := CheckURL(tt.url, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckURL(%q) = %v, want %v", tt.url, err, tt.want)
			}
			if (err == nil) != (u != nil) {
				t.Errorf("CheckURL(%q) = %v, %v: want exactly one of URL and error", tt.url, u, err)
			}
		})
	}
}

// FuzzCheckURL checks that CheckURL never panics, that every error wraps one of its
// sentinels, and that an accepted URL is https (or http when allowed) with a public or
// named host, and is accepted again after a round trip through String.
func FuzzCheckURL(f *testing.F) {
	// Seeds live in testdata/fuzz/FuzzCheckURL.
	optsList := []Options{{}, {AllowHTTP: true, AllowLoopback: true}}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, opts := range optsList {
			u, err := CheckURL(raw, opts)
			if err != nil {
				if u != nil {
					t.Fatalf("CheckURL(%q) returned a URL and %v", raw, err)
				}
				if !errors.Is(err, errs.ErrInvalidURL) && !errors.Is(err, errs.ErrInsecureURL) && !errors.Is(err, errs.ErrForbiddenAddress) {
					t.Fatalf("CheckURL(%q) = %v: wraps no sentinel", raw, err)
				}
				continue
			}
			if u.Scheme != "https" && !(opts.AllowHTTP && u.Scheme == "http") {
				t.Fatalf("CheckURL(%q) accepted scheme %q", raw, u.Scheme)
			}
			if u.Host == "" || u.Hostname() == "" || u.User != nil || u.Opaque != "" {
				t.Fatalf("CheckURL(%q) accepted %#v", raw, u)
			}
			if a, err := netip.ParseAddr(u.Hostname()); err == nil {
				if k := classify(a); k != "" && !(opts.AllowLoopback && isPlainLoopback(a)) {
					t.Fatalf("CheckURL(%q) accepted %s address %s", raw, k, a)
				}
			}
			if _, err := CheckURL(u.String(), opts); err != nil {
				t.Fatalf("CheckURL(%q) accepted, but not its String %q: %v", raw, u.String(), err)
			}
		}
	})
}
