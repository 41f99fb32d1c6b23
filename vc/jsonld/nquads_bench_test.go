package jsonld_test

import (
	"testing"

	"github.com/credence-dev/credence/vc/jsonld"
)

// BenchmarkParseNQuads reads the N-Quads of a VCDM 2.0 credential (41 statements).
func BenchmarkParseNQuads(b *testing.B) {
	data := credentialNQuads(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonld.ParseNQuads(data, jsonld.NQuadsLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSerializeNQuads writes the same 41 quads in canonical form.
func BenchmarkSerializeNQuads(b *testing.B) {
	quads, err := jsonld.ParseNQuads(credentialNQuads(b), jsonld.NQuadsLimits{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = jsonld.SerializeNQuads(quads)
	}
}
