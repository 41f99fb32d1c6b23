package jsonld

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// typicalInputs returns what an eddsa-rdfc-2022 verifier of a typical VCDM 2.0 credential
// (testdata/typical-credential.json, the credential of the vc/dataintegrity benchmarks)
// converts to RDF: the credential and its proof configuration.
func typicalInputs(b testing.TB) [2][]byte {
	b.Helper()
	doc := readFile(b, "testdata/typical-credential.json")
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		b.Fatal(err)
	}
	config, err := json.Marshal(map[string]any{
		"@context":           m["@context"],
		"type":               "DataIntegrityProof",
		"cryptosuite":        "eddsa-rdfc-2022",
		"created":            "2025-06-01T00:00:00Z",
		"verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
		"proofPurpose":       "assertionMethod",
	})
	if err != nil {
		b.Fatal(err)
	}
	return [2][]byte{doc, config}
}

// BenchmarkRawEd25519Verify is the unit the JSON-LD figures are compared with: one
// Ed25519 signature check of 64 bytes, as eddsa-rdfc-2022 verifies.
func BenchmarkRawEd25519Verify(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	msg := make([]byte, 64)
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}

// BenchmarkTypicalToRDF converts the typical credential and its proof configuration to
// canonical N-Quads with ToRDF and Canonicalize, on the compiled path (what ToRDF does for
// these documents) and on the general path (json-gold's expansion).
func BenchmarkTypicalToRDF(b *testing.B) {
	docs := typicalInputs(b)
	c := DefaultContexts()
	general := func(l ld.DocumentLoader) ld.DocumentLoader { return l }
	for _, bc := range []struct {
		name string
		hook loaderHook
	}{{"compiled", nil}, {"json-gold", general}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range docs {
					quads, err := toRDF(ctx, d, c, Options{}, bc.hook)
					if err != nil {
						b.Fatal(err)
					}
					cz, err := Canonicalize(ctx, quads, CanonOptions{})
					if err != nil {
						b.Fatal(err)
					}
					_ = cz.NQuads()
				}
			}
		})
	}
}

// BenchmarkTypicalExpand expands the typical credential and its proof configuration, on
// the compiled path and with json-gold.
func BenchmarkTypicalExpand(b *testing.B) {
	docs := typicalInputs(b)
	c := DefaultContexts()
	general := func(l ld.DocumentLoader) ld.DocumentLoader { return l }
	for _, bc := range []struct {
		name string
		hook loaderHook
	}{{"compiled", nil}, {"json-gold", general}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range docs {
					if _, err := expand(ctx, d, c, Options{}, bc.hook); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkJSONGoldNormalizeTypical is json-gold's own URDNA2015 normalization of the
// typical credential and its proof configuration, with the same loader: the floor of a
// verifier built on json-gold alone.
func BenchmarkJSONGoldNormalizeTypical(b *testing.B) {
	docs := typicalInputs(b)
	c := DefaultContexts()
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			var v any
			if err := json.Unmarshal(d, &v); err != nil {
				b.Fatal(err)
			}
			o := ld.NewJsonLdOptions("")
			o.DocumentLoader = newRegistryLoader(b.Context(), c)
			o.Algorithm = ld.AlgorithmURDNA2015
			o.Format = "application/n-quads"
			if _, err := ld.NewJsonLdProcessor().Normalize(v, o); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPresentationToRDF converts the presentation of two credentials with their
// proofs (testdata/presentation-two.json) to canonical N-Quads, on the compiled path and
// with json-gold, whose lost graph containers the general path restores.
func BenchmarkPresentationToRDF(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join("testdata", "presentation-two.json"))
	if err != nil {
		b.Fatal(err)
	}
	c := DefaultContexts()
	general := func(l ld.DocumentLoader) ld.DocumentLoader { return l }
	for _, bc := range []struct {
		name string
		hook loaderHook
	}{{"compiled", nil}, {"json-gold", general}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				quads, err := toRDF(ctx, doc, c, Options{}, bc.hook)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Canonicalize(ctx, quads, CanonOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
