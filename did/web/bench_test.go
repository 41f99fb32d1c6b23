package web_test

import (
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/web"
)

func BenchmarkURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := web.URL("did:web:example.com%3A3000:user:alice"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve is one full resolution against a loopback TLS server (connections
// are reused).
func BenchmarkResolve(b *testing.B) {
	s := newServer(b)
	id := s.did("user", "alice")
	s.serve("/user/alice/did.json", "application/did+json", document(id))
	r := s.resolver(b, web.Options{AllowLoopback: true})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(b.Context(), id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedResolve is what a verifier pays per credential once the issuer's DID is
// in its cache.
func BenchmarkCachedResolve(b *testing.B) {
	s := newServer(b)
	id := s.did("user", "alice")
	s.serve("/user/alice/did.json", "application/did+json", document(id))
	c := did.NewCache(s.resolver(b, web.Options{AllowLoopback: true}), did.CacheOptions{})
	if _, err := c.Resolve(b.Context(), id); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Resolve(b.Context(), id); err != nil {
			b.Fatal(err)
		}
	}
	if n := s.requests.Load(); n != 1 {
		b.Errorf("%d requests, want 1", n)
	}
}
