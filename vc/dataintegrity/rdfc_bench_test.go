package dataintegrity

import (
	"context"
	"crypto"
	"encoding/json"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jsonld"
)

// jsonLDCanon is the Canonicalizer the vc package builds: the document as JSON, converted
// to RDF with the registered contexts only, then RDFC-1.0.
func jsonLDCanon(c *jsonld.Contexts) Canonicalizer {
	return func(ctx context.Context, doc map[string]any, h crypto.Hash) ([]byte, error) {
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		quads, err := jsonld.ToRDF(ctx, data, c, jsonld.Options{})
		if err != nil {
			return nil, err
		}
		canon, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{Hash: h})
		if err != nil {
			return nil, err
		}
		return canon.NQuads(), nil
	}
}

// rdfcBenchSetup signs benchCredential with eddsa-rdfc-2022 and returns what verifying
// it takes.
func rdfcBenchSetup(b testing.TB) (testKey, Canonicalizer, []byte, VerifyOptions) {
	k := newTestKey(b, keys.Ed25519, 9)
	canon := jsonLDCanon(jsonld.DefaultContexts())
	signed, err := Sign(context.Background(), []byte(benchCredential), k.signer, ProofOptions{
		Cryptosuite: EdDSARDFC2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod,
		Created: vectorNow, Canonicalize: canon,
	})
	if err != nil {
		b.Fatal(err)
	}
	pub := k.signer.Public()
	key := func(context.Context, string, string) (crypto.PublicKey, error) { return pub, nil }
	return k, canon, signed, VerifyOptions{Key: key, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: canon}
}

// BenchmarkVerifyEdDSARDFC2022 verifies a typical credential secured with eddsa-rdfc-2022,
// JSON-LD included; compare with BenchmarkEd25519Verify.
func BenchmarkVerifyEdDSARDFC2022(b *testing.B) {
	_, _, signed, opts := rdfcBenchSetup(b)
	ctx := context.Background()
	b.SetBytes(int64(len(signed)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, signed, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignEdDSARDFC2022 adds an eddsa-rdfc-2022 proof to a typical credential;
// compare with BenchmarkEd25519Verify (the unit of the goals) and BenchmarkEd25519Sign.
func BenchmarkSignEdDSARDFC2022(b *testing.B) {
	k, canon, _, _ := rdfcBenchSetup(b)
	ctx := context.Background()
	opts := ProofOptions{
		Cryptosuite: EdDSARDFC2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod,
		Created: vectorNow, Canonicalize: canon,
	}
	doc := []byte(benchCredential)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(ctx, doc, k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// rdfcInputs returns the two documents an eddsa-rdfc-2022 verifier canonicalizes: the
// credential without its proof and the proof configuration.
func rdfcInputs(b *testing.B) (doc, config map[string]any) {
	_, _, signed, _ := rdfcBenchSetup(b)
	m := decodeObject(b, signed)
	proof, _ := m["proof"].(map[string]any)
	config = map[string]any{"@context": m["@context"]}
	for k, v := range proof {
		if k != "proofValue" {
			config[k] = v
		}
	}
	return withoutProof(m), config
}

// BenchmarkRDFCTransform measures the JSON-LD part of one verification: the credential and
// the proof configuration to canonical N-Quads (JSON, expansion to RDF, RDFC-1.0).
func BenchmarkRDFCTransform(b *testing.B) {
	doc, config := rdfcInputs(b)
	canon := jsonLDCanon(jsonld.DefaultContexts())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := canon(ctx, doc, crypto.SHA256); err != nil {
			b.Fatal(err)
		}
		if _, err := canon(ctx, config, crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRDFCCanonicalizeOnly measures RDFC-1.0 alone on the quads of the credential and
// of the proof configuration.
func BenchmarkRDFCCanonicalizeOnly(b *testing.B) {
	doc, config := rdfcInputs(b)
	c := jsonld.DefaultContexts()
	ctx := context.Background()
	var sets [][]jsonld.Quad
	for _, v := range []map[string]any{doc, config} {
		q, err := jsonld.ToRDF(ctx, mustJSON(b, v), c, jsonld.Options{})
		if err != nil {
			b.Fatal(err)
		}
		sets = append(sets, q)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range sets {
			cz, err := jsonld.Canonicalize(ctx, q, jsonld.CanonOptions{})
			if err != nil {
				b.Fatal(err)
			}
			_ = cz.NQuads()
		}
	}
}

// TestRDFCRoundTrip signs and verifies benchCredential with eddsa-rdfc-2022 and the
// JSON-LD canonicalizer, and checks that a changed claim fails.
func TestRDFCRoundTrip(t *testing.T) {
	k := newTestKey(t, keys.Ed25519, 9)
	canon := jsonLDCanon(jsonld.DefaultContexts())
	ctx := context.Background()
	signed, err := Sign(ctx, []byte(benchCredential), k.signer, ProofOptions{
		Cryptosuite: EdDSARDFC2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod,
		Created: vectorNow, Canonicalize: canon,
	})
	if err != nil {
		t.Fatal(err)
	}
	pub := k.signer.Public()
	key := func(context.Context, string, string) (crypto.PublicKey, error) { return pub, nil }
	opts := VerifyOptions{Key: key, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: canon}
	if _, err := Verify(ctx, signed, opts); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	m := decodeObject(t, signed)
	m["credentialSubject"].(map[string]any)["name"] = "Jayden Doe Jr"
	if _, err := Verify(ctx, mustJSON(t, m), opts); err == nil {
		t.Fatal("a changed claim verified")
	}
}
