package jsonld_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/vc/jsonld"
)

func credentialNQuads(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/credential.nq")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkCanonicalize canonicalizes the quads of a VCDM 2.0 credential (41 quads, five
// blank nodes), as an eddsa-rdfc-2022 issuer or verifier does once per credential.
func BenchmarkCanonicalize(b *testing.B) {
	quads, err := jsonld.ParseNQuads(credentialNQuads(b), jsonld.NQuadsLimits{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
		if err != nil {
			b.Fatal(err)
		}
		_ = c.NQuads()
	}
}

// BenchmarkCanonicalizePoison measures how fast the W3C suite's poison dataset (a ten-node
// clique) is refused at work factor 3.
func BenchmarkCanonicalizePoison(b *testing.B) {
	quads := clique(10)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{WorkFactor: 3}); !errors.Is(err, errs.ErrCanonicalizationLimit) {
			b.Fatal(err)
		}
	}
}
