package jose_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"math/big"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

// benchCredential is a VCDM 2.0 credential of about 750 bytes, so its vc+jwt is ~1 KB.
const benchCredential = `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
	`"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","ExampleAgeCredential"],` +
	`"issuer":{"id":"did:example:2g55q912ec3476eba2l9812ecbfe","name":"Example Issuer"},` +
	`"validFrom":"2024-01-01T00:00:00Z","validUntil":"2034-01-01T00:00:00Z",` +
	`"credentialSubject":{"id":"did:example:ebfeb1f712ebc6f1c276e12ec21","ageOver":18,"address":{"locality":"Anytown","country":"ZZ"}},` +
	`"credentialStatus":{"id":"https://example.com/status/3#94567","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"https://example.com/status/3"},` +
	`"credentialSchema":{"id":"https://example.org/examples/age.json","type":"JsonSchema"},"iat":1704067200,"exp":2019686400}`

func benchToken(b *testing.B, s keys.Signer) []byte {
	tok, err := jose.SignCredential(s, "did:example:2g55q912ec3476eba2l9812ecbfe#key-1", []byte(benchCredential), jose.SignOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return tok
}

func splitToken(b *testing.B, tok []byte) (input, sig []byte) {
	i := strings.LastIndexByte(string(tok), '.')
	sig, err := b64.DecodeString(string(tok[i+1:]))
	if err != nil {
		b.Fatal(err)
	}
	return tok[:i], sig
}

// BenchmarkParseVerify is the whole of this package's part in verifying a ~1 KB vc+jwt:
// Parse (header, payload checks, claims) and Verify.
func BenchmarkParseVerify(b *testing.B) {
	for _, tc := range []struct {
		name string
		s    keys.Signer
	}{{"Ed25519", edKey(b)}, {"ES256", ecKey(b, elliptic.P256())}} {
		b.Run(tc.name, func(b *testing.B) {
			tok := benchToken(b, tc.s)
			pub := tc.s.Public()
			b.SetBytes(int64(len(tok)))
			b.ReportAllocs()
			for b.Loop() {
				p, err := jose.Parse(tok, jose.ParseOptions{Kinds: []jose.Kind{jose.CredentialJWT}})
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Verify(pub, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRawVerify is the baseline: the bare signature check over the same signing
// input (hashing included for ECDSA).
func BenchmarkRawVerify(b *testing.B) {
	b.Run("Ed25519", func(b *testing.B) {
		s := edKey(b)
		tok := benchToken(b, s)
		in, sig := splitToken(b, tok)
		pub := s.Public().(ed25519.PublicKey)
		b.SetBytes(int64(len(tok)))
		b.ReportAllocs()
		for b.Loop() {
			if !ed25519.Verify(pub, in, sig) {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("ES256", func(b *testing.B) {
		s := ecKey(b, elliptic.P256())
		tok := benchToken(b, s)
		in, sig := splitToken(b, tok)
		pub := s.Public().(*ecdsa.PublicKey)
		r, ss := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		b.SetBytes(int64(len(tok)))
		b.ReportAllocs()
		for b.Loop() {
			h := sha256.Sum256(in)
			if !ecdsa.Verify(pub, h[:], r, ss) {
				b.Fatal("bad signature")
			}
		}
	})
}

// BenchmarkSignCredential signs the ~1 KB credential as a vc+jwt with Ed25519.
func BenchmarkSignCredential(b *testing.B) {
	s := edKey(b)
	doc := []byte(benchCredential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jose.SignCredential(s, "did:example:2g55q912ec3476eba2l9812ecbfe#key-1", doc, jose.SignOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawSign is the baseline: ed25519.Sign over the same signing input.
func BenchmarkRawSign(b *testing.B) {
	s := edKey(b)
	in, _ := splitToken(b, benchToken(b, s))
	priv := edPriv()
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(priv, in)
	}
}
