package jose_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"testing"

	"github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
)

func benchToken(b *testing.B) (keys.Signer, []byte) {
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 0, 1024)
	payload = append(payload, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:holder","ageOver":18}}`...)
	tok, err := jose.Sign(s, payload, jose.SignOptions{Typ: "vc+jwt", Kid: "did:example:issuer#key-1"})
	if err != nil {
		b.Fatal(err)
	}
	return s, tok
}

// BenchmarkRawEd25519Verify is the baseline: ed25519.Verify over the same signing input.
func BenchmarkRawEd25519Verify(b *testing.B) {
	s, token := benchToken(b)
	tok, err := jose.Parse(token, vcPolicy)
	if err != nil {
		b.Fatal(err)
	}
	pub := s.Public().(ed25519.PublicKey)
	in := tok.SigningInput()
	sig := token[len(in)+1:]
	raw := make([]byte, 64)
	if _, err := base64Decode(raw, sig); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, in, raw) {
			b.Fatal("bad signature")
		}
	}
}

// BenchmarkParseVerify is Parse plus Verify of a compact EdDSA token.
func BenchmarkParseVerify(b *testing.B) {
	s, token := benchToken(b)
	pub := s.Public()
	b.ReportAllocs()
	for b.Loop() {
		tok, err := jose.Parse(token, vcPolicy)
		if err != nil {
			b.Fatal(err)
		}
		if err := tok.Verify(pub, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	s, _ := benchToken(b)
	payload := []byte(`{"iss":"did:example:issuer","vc":{}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jose.Sign(s, payload, jose.SignOptions{Typ: "vc+jwt"}); err != nil {
			b.Fatal(err)
		}
	}
}

func base64Decode(dst, src []byte) (int, error) {
	return b64url.Decode(dst, src)
}

var b64url = base64.RawURLEncoding
