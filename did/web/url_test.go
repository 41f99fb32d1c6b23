package web_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/web"
)

func TestURL(t *testing.T) {
	for _, tc := range []struct {
		did  string
		want string
		err  error
	}{
		// The examples of the did:web specification.
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json", nil},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json", nil},
		{"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json", nil},
		{"did:web:example.com", "https://example.com/.well-known/did.json", nil},

		// Ports, case, A-labels.
		{"did:web:example.com%3a3000", "https://example.com:3000/.well-known/did.json", nil},
		{"did:web:example.com%3A443", "https://example.com:443/.well-known/did.json", nil},
		{"did:web:example.com%3A65535", "https://example.com:65535/.well-known/did.json", nil},
		{"did:web:Example.COM", "https://Example.COM/.well-known/did.json", nil},
		{"did:web:xn--bcher-kva.example", "https://xn--bcher-kva.example/.well-known/did.json", nil},
		{"did:web:a-b.c1.example", "https://a-b.c1.example/.well-known/did.json", nil},
		{"did:web:1.example", "https://1.example/.well-known/did.json", nil},

		// Path segments are decoded once and encoded again.
		{"did:web:example.com:user%20name", "https://example.com/user%20name/did.json", nil},
		{"did:web:example.com:%41lice", "https://example.com/Alice/did.json", nil},
		{"did:web:example.com:%3F", "https://example.com/%3F/did.json", nil},
		{"did:web:example.com:a%23b", "https://example.com/a%23b/did.json", nil},
		{"did:web:example.com:%25", "https://example.com/%25/did.json", nil},
		{"did:web:example.com:%40me", "https://example.com/@me/did.json", nil},
		{"did:web:example.com:%C3%A9", "https://example.com/%C3%A9/did.json", nil},
		{"did:web:example.com:...", "https://example.com/.../did.json", nil},
		{"did:web:example.com:a.b_c-d", "https://example.com/a.b_c-d/did.json", nil},
		{"did:web:example.com:u:v:w:x", "https://example.com/u/v/w/x/did.json", nil},
		{"did:web:example.com:.well-known", "https://example.com/.well-known/did.json", nil},

		// Not did:web DIDs.
		{"", "", did.ErrInvalidDID},
		{"did:web:", "", did.ErrInvalidDID},
		{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "", did.ErrInvalidDID},
		{"DID:web:example.com", "", did.ErrInvalidDID},
		{"did:WEB:example.com", "", did.ErrInvalidDID},
		{"did:web:example.com/path", "", did.ErrInvalidDID},
		{"did:web:example.com#key-1", "", did.ErrInvalidDID},
		{"did:web:example.com?service=x", "", did.ErrInvalidDID},
		{"did:web:example.com:", "", did.ErrInvalidDID},
		{"did:web:example.com::user", "", did.ErrInvalidDID},
		{"did:web::example.com", "", did.ErrInvalidDID},
		{"did:web:exa mple.com", "", did.ErrInvalidDID},
		{"did:web:example.com%G0", "", did.ErrInvalidDID},

		// Ports.
		{"did:web:example.com%3A", "", did.ErrInvalidDID},
		{"did:web:example.com%3A0", "", did.ErrInvalidDID},
		{"did:web:example.com%3A65536", "", did.ErrInvalidDID},
		{"did:web:example.com%3A08443", "", did.ErrInvalidDID},
		{"did:web:example.com%3Ahttps", "", did.ErrInvalidDID},
		{"did:web:example.com%3A443%3A444", "", did.ErrInvalidDID},
		{"did:web:%3A443", "", did.ErrInvalidDID},

		// Host names.
		{"did:web:exa%6Dple.com", "", did.ErrInvalidDID},
		{"did:web:example.com%2Fevil.com", "", did.ErrInvalidDID},
		{"did:web:user%40example.com", "", did.ErrInvalidDID},
		{"did:web:example.com%40evil.com", "", did.ErrInvalidDID},
		{"did:web:example.com%3A443%40evil.com", "", did.ErrInvalidDID},
		{"did:web:b%C3%BCcher.example", "", did.ErrInvalidDID},
		{"did:web:-example.com", "", did.ErrInvalidDID},
		{"did:web:example-.com", "", did.ErrInvalidDID},
		{"did:web:example..com", "", did.ErrInvalidDID},
		{"did:web:.example.com", "", did.ErrInvalidDID},
		{"did:web:example.com.", "", did.ErrInvalidDID},
		{"did:web:ex_ample.com", "", did.ErrInvalidDID},
		{"did:web:" + strings.Repeat("a", 64) + ".example", "", did.ErrInvalidDID},
		{"did:web:" + strings.Repeat("abcdefghi.", 26) + "example", "", did.ErrInvalidDID},
		{"did:web:8.8.8.8", "", did.ErrInvalidDID},
		{"did:web:8.8.8.8%3A443", "", did.ErrInvalidDID},
		{"did:web:example.123", "", did.ErrInvalidDID},
		{"did:web:example.0x7f", "", did.ErrInvalidDID},

		// Path traversal and unsafe segments.
		{"did:web:example.com%2F..%2Fadmin", "", did.ErrInvalidDID},
		{"did:web:example.com:..:x", "", did.ErrInvalidDID},
		{"did:web:example.com:.:x", "", did.ErrInvalidDID},
		{"did:web:example.com:%2E%2E:admin", "", did.ErrInvalidDID},
		{"did:web:example.com:%2e%2e", "", did.ErrInvalidDID},
		{"did:web:example.com:%2E", "", did.ErrInvalidDID},
		{"did:web:example.com:user%2F..%2F..%2Fadmin", "", did.ErrInvalidDID},
		{"did:web:example.com:a%2Fb", "", did.ErrInvalidDID},
		{"did:web:example.com:a%5Cb", "", did.ErrInvalidDID},
		{"did:web:example.com:a%00b", "", did.ErrInvalidDID},
		{"did:web:example.com:a%0Ab", "", did.ErrInvalidDID},
		{"did:web:example.com:a%7Fb", "", did.ErrInvalidDID},
		{"did:web:example.com:a%C2%85b", "", did.ErrInvalidDID},
		{"did:web:example.com:%FF", "", did.ErrInvalidDID},

		// Length.
		{"did:web:example.com:" + strings.Repeat("a", web.MaxDIDLength), "", did.ErrTooLarge},
	} {
		t.Run(tc.did, func(t *testing.T) {
			got, err := web.URL(tc.did)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("URL(%q) error = %v, want %v", tc.did, err, tc.err)
			}
			if err != nil && !errors.Is(err, did.ErrInvalidDID) && !errors.Is(err, did.ErrForbiddenAddress) {
				t.Errorf("URL(%q) error = %v, wraps neither ErrInvalidDID nor ErrForbiddenAddress", tc.did, err)
			}
			if got != tc.want {
				t.Errorf("URL(%q) = %q, want %q", tc.did, got, tc.want)
			}
		})
	}
}

// ssrfDIDs are DIDs that name hosts a resolver must never contact. Each must be refused
// with want, without I/O, whatever Options.AllowLoopback says, except where loopback
// says it is allowed with AllowLoopback.
var ssrfDIDs = []struct {
	did      string
	want     error
	loopback bool // accepted when loopback is allowed
}{
	{"did:web:127.0.0.1%3A8080", did.ErrForbiddenAddress, true},
	{"did:web:127.0.0.1", did.ErrForbiddenAddress, true},
	{"did:web:127.255.255.254%3A443", did.ErrForbiddenAddress, true},
	{"did:web:localhost", did.ErrForbiddenAddress, true},
	{"did:web:localhost%3A8443", did.ErrForbiddenAddress, true},
	{"did:web:api.localhost", did.ErrForbiddenAddress, true},
	{"did:web:169.254.169.254", did.ErrForbiddenAddress, false},
	{"did:web:169.254.169.254:latest:meta-data", did.ErrForbiddenAddress, false},
	{"did:web:169.254.170.2%3A80", did.ErrForbiddenAddress, false},
	{"did:web:10.0.0.1", did.ErrForbiddenAddress, false},
	{"did:web:10.255.255.255%3A8443", did.ErrForbiddenAddress, false},
	{"did:web:172.16.0.1", did.ErrForbiddenAddress, false},
	{"did:web:192.168.1.1", did.ErrForbiddenAddress, false},
	{"did:web:100.64.0.1", did.ErrForbiddenAddress, false},
	{"did:web:0.0.0.0", did.ErrForbiddenAddress, false},
	{"did:web:255.255.255.255", did.ErrForbiddenAddress, false},
	{"did:web:224.0.0.1", did.ErrForbiddenAddress, false},
	{"did:web:metadata.google.internal", did.ErrForbiddenAddress, false},
	{"did:web:printer.local", did.ErrForbiddenAddress, false},
	{"did:web:router.home.arpa", did.ErrForbiddenAddress, false},
	{"did:web:intranet", did.ErrForbiddenAddress, false},
	// IPv6 literals cannot be written: '[' is not allowed in a DID, and ':' splits the
	// method-specific id.
	{"did:web:[::1]", did.ErrInvalidDID, false},
	{"did:web:[::1]%3A8443", did.ErrInvalidDID, false},
	{"did:web:%5B%3A%3A1%5D", did.ErrInvalidDID, false},
	{"did:web:%5B%3A%3A1%5D%3A8443", did.ErrInvalidDID, false},
	{"did:web:%5B%3A%3Affff%3A169.254.169.254%5D", did.ErrInvalidDID, false},
	{"did:web:%5Bfe80%3A%3A1%25eth0%5D", did.ErrInvalidDID, false},
	{"did:web:::1", did.ErrInvalidDID, false},
	{"did:web:0:0:0:0:0:0:0:1", did.ErrInvalidDID, false},
	// Numeric forms that inet_aton reads as 127.0.0.1 or 169.254.169.254.
	{"did:web:2130706433", did.ErrInvalidDID, false},
	{"did:web:0x7f000001", did.ErrInvalidDID, false},
	{"did:web:127.1", did.ErrInvalidDID, false},
	{"did:web:0177.0.0.1", did.ErrInvalidDID, false},
	{"did:web:169.254.43518", did.ErrInvalidDID, false},
	{"did:web:0xa9fea9fe", did.ErrInvalidDID, false},
	// Userinfo and traversal.
	{"did:web:example.com%40169.254.169.254", did.ErrInvalidDID, false},
	{"did:web:169.254.169.254%2F", did.ErrInvalidDID, false},
	{"did:web:example.com%2F..%2Fadmin", did.ErrInvalidDID, false},
	{"did:web:example.com:..:x", did.ErrInvalidDID, false},
	{"did:web:example.com:%2E%2E:x", did.ErrInvalidDID, false},
}

func TestURLRefusesNonPublicHosts(t *testing.T) {
	for _, tc := range ssrfDIDs {
		t.Run(tc.did, func(t *testing.T) {
			got, err := web.URL(tc.did)
			if !errors.Is(err, tc.want) {
				t.Fatalf("URL(%q) = %q, %v, want error %v", tc.did, got, err, tc.want)
			}
			if got != "" {
				t.Errorf("URL(%q) = %q with an error", tc.did, got)
			}
		})
	}
}
