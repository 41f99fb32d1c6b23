package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"testing"

	"github.com/credence-dev/credence/keys"
)

// benchCredential is a typical VCDM 2.0 credential: status, schema, a subject with a
// few nested claims (about 1.3 kB signed).
const benchCredential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:5f4e4b8a-3a9c-4b5e-9a43-1e1b3e2a7d10",
  "type": ["VerifiableCredential", "UniversityDegreeCredential"],
  "issuer": {"id": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "name": "Example University"},
  "validFrom": "2025-01-01T00:00:00Z",
  "validUntil": "2030-01-01T00:00:00Z",
  "name": "Bachelor of Science and Arts",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "name": "Jayden Doe",
    "birthDate": "1990-04-12",
    "degree": {"type": "BachelorDegree", "name": "Bachelor of Science and Arts", "gpa": 3.72}
  },
  "credentialStatus": {
    "id": "https://university.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://university.example/status/3"
  },
  "credentialSchema": {"id": "https://university.example/schemas/degree.json", "type": "JsonSchema"}
}`

func benchSetup(b *testing.B) (testKey, []byte, VerifyOptions) {
	k := newTestKey(b, keys.Ed25519, 9)
	signed, err := Sign(context.Background(), []byte(benchCredential), k.signer, ProofOptions{
		Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow,
	})
	if err != nil {
		b.Fatal(err)
	}
	pub := k.signer.Public()
	// The facade resolves and caches keys; the benchmark measures the engine.
	key := func(context.Context, string, string) (crypto.PublicKey, error) { return pub, nil }
	return k, signed, VerifyOptions{Key: key, Purpose: PurposeAssertionMethod, Now: fixedNow}
}

// BenchmarkVerifyEdDSAJCS2022 verifies a typical credential; compare with
// BenchmarkEd25519Verify, the signature check alone.
func BenchmarkVerifyEdDSAJCS2022(b *testing.B) {
	_, signed, opts := benchSetup(b)
	ctx := context.Background()
	b.SetBytes(int64(len(signed)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, signed, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEd25519Verify(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 64) // the hash data of a JCS proof
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("no")
		}
	}
}

// BenchmarkSignEdDSAJCS2022 signs a typical credential; compare with BenchmarkEd25519Sign.
func BenchmarkSignEdDSAJCS2022(b *testing.B) {
	k, _, _ := benchSetup(b)
	ctx := context.Background()
	opts := ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow}
	doc := []byte(benchCredential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(ctx, doc, k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEd25519Sign(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	msg := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(priv, msg)
	}
}
