package keys_test

import (
	"testing"

	"github.com/credence-dev/credence/keys"
)

func BenchmarkParseJWK(b *testing.B) {
	data := []byte(`{"kty":"EC","crv":"P-256","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns","y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.ParseJWK(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMultikey(b *testing.B) {
	for _, tc := range []struct{ name, mk string }{
		{"ed25519", "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		{"p256", "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := keys.ParseMultikey(tc.mk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify is the raw signature check other benchmarks are compared with.
func BenchmarkVerify(b *testing.B) {
	msg := make([]byte, 256)
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		s, err := keys.Generate(kt)
		if err != nil {
			b.Fatal(err)
		}
		sig, err := keys.Sign(s, msg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(kt), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := keys.Verify(s.Public(), s.Algorithm(), msg, sig); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
