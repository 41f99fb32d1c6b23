package key

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
)

func BenchmarkResolve(b *testing.B) {
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	p256DID, err := Create(p256.Public())
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		did  string
		opts Options
	}{
		{"Ed25519", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Options{}},
		{"Ed25519/derived", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", Options{EnableEncryptionKeyDerivation: true}},
		{"P-256", p256DID, Options{}},
		{"P-256/JsonWebKey2020", p256DID, Options{PublicKeyFormat: FormatJsonWebKey2020}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r, err := New(c.opts)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Resolve(b.Context(), c.did); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
