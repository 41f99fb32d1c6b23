package jwk

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
)

func BenchmarkResolve(b *testing.B) {
	ed, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		pub  any
	}{{"Ed25519", ed}, {"P-256", p256.Public()}} {
		id, err := Create(c.pub)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			r := New()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Resolve(b.Context(), id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
