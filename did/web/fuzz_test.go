package web_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/web"
	"github.com/credence-dev/credence/internal/netguard"
)

// FuzzURL checks the properties of every URL that URL builds: https, the host and port
// of the DID's first segment, a path of decoded DID segments ending in /did.json, no
// dot segments, nothing the network guard would refuse. Errors wrap one of the two
// sentinels that URL documents. Seeds are in testdata/fuzz/FuzzURL.
func FuzzURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, d string) {
		got, err := web.URL(d)
		if err != nil {
			if got != "" {
				t.Errorf("URL(%q) = %q with error %v", d, got, err)
			}
			if !errors.Is(err, did.ErrInvalidDID) && !errors.Is(err, did.ErrForbiddenAddress) {
				t.Errorf("URL(%q): error %v wraps neither ErrInvalidDID nor ErrForbiddenAddress", d, err)
			}
			return
		}
		parsed, err := did.Parse(d)
		if err != nil || parsed.Method != "web" {
			t.Fatalf("URL(%q) = %q, but it is not a did:web DID: %v", d, got, err)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("URL(%q) = %q: %v", d, got, err)
		}
		if u.Scheme != "https" || u.User != nil || u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			t.Errorf("URL(%q) = %q: not a plain https URL", d, got)
		}
		segs := strings.Split(parsed.ID, ":")
		host := segs[0]
		if i := strings.Index(strings.ToUpper(host), "%3A"); i >= 0 {
			host = host[:i] + ":" + host[i+3:]
		}
		if u.Host != host {
			t.Errorf("URL(%q) = %q: host %q, want %q", d, got, u.Host, host)
		}
		if !strings.HasSuffix(u.Path, "/did.json") || !strings.HasSuffix(u.EscapedPath(), "/did.json") {
			t.Errorf("URL(%q) = %q: path does not end with /did.json", d, got)
		}
		for _, p := range []string{u.Path, u.EscapedPath()} {
			for seg := range strings.SplitSeq(p, "/") {
				if seg == ".." || seg == "." {
					t.Errorf("URL(%q) = %q: dot segment in %q", d, got, p)
				}
			}
		}
		want := []string{"", ".well-known", "did.json"}
		if len(segs) > 1 {
			want = []string{""}
			for _, s := range segs[1:] {
				dec, err := url.PathUnescape(s)
				if err != nil {
					t.Fatalf("URL(%q) = %q, but segment %q does not decode: %v", d, got, s, err)
				}
				want = append(want, dec)
			}
			want = append(want, "did.json")
		}
		if p := strings.Join(want, "/"); u.Path != p {
			t.Errorf("URL(%q) = %q: path %q, want %q", d, got, u.Path, p)
		}
		if _, err := netguard.CheckURL(got, netguard.Options{}); err != nil {
			t.Errorf("URL(%q) = %q, refused by the guard: %v", d, got, err)
		}
		if again, err := web.URL(d); again != got || err != nil {
			t.Errorf("URL(%q) = %q, then %q, %v", d, got, again, err)
		}
	})
}
