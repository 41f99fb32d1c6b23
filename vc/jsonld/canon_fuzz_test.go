package jsonld_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/vc/jsonld"
)

// FuzzCanonicalize parses data as N-Quads and checks that canonicalizing a shuffled and
// relabelled copy (chosen by seed) gives the same N-Quads, that the issued map relabels the
// input into the output, and that the output is its own canonical form. Small limits keep
// each run short; a dataset over the limit must fail with ErrCanonicalizationLimit. Seeds
// are in testdata/fuzz/FuzzCanonicalize.
func FuzzCanonicalize(f *testing.F) {
	f.Add([]byte("_:a <urn:ex:p> _:b .\n_:b <urn:ex:p> _:a .\n_:a <urn:ex:q> \"x\" _:g .\n"), uint64(1))
	opts := jsonld.CanonOptions{WorkFactor: 2, MaxQuads: 24}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		quads, err := jsonld.ParseNQuads(data, jsonld.NQuadsLimits{MaxBytes: 4 << 10, MaxQuads: opts.MaxQuads})
		if err != nil {
			return
		}
		ctx := context.Background()
		c1, err := jsonld.Canonicalize(ctx, quads, opts)
		if err != nil {
			if !errors.Is(err, errs.ErrCanonicalizationLimit) {
				t.Fatalf("Canonicalize: %v", err)
			}
			return
		}
		out := c1.NQuads()

		// The issued map is a bijection that turns the input into the output.
		seen := map[string]bool{}
		for _, to := range c1.Issued {
			if seen[to] {
				t.Fatalf("canonical label %s issued twice", to)
			}
			seen[to] = true
		}
		mapped := renameOnly(quads, c1.Issued)
		slices.SortFunc(mapped, func(a, b jsonld.Quad) int { return bytes.Compare(nq(a), nq(b)) })
		mapped = slices.Compact(mapped)
		if !slices.Equal(mapped, c1.Quads) {
			t.Fatalf("issued map does not relabel the input into the output:\n%s\n%s", jsonld.SerializeNQuads(mapped), out)
		}

		c2, err := jsonld.Canonicalize(ctx, c1.Quads, opts)
		if err == nil && !bytes.Equal(c2.NQuads(), out) {
			t.Fatalf("canonical form is not a fixed point:\n%s\n%s", out, c2.NQuads())
		}
		if err != nil && !errors.Is(err, errs.ErrCanonicalizationLimit) {
			t.Fatalf("Canonicalize of the canonical form: %v", err)
		}

		// Tie-breaking follows input order, so a relabelled copy may need a little more or
		// less work; when it succeeds, the result must be the same.
		other, _ := relabel(quads, rand.New(rand.NewPCG(seed, seed>>32)))
		c3, err := jsonld.Canonicalize(ctx, other, opts)
		if err != nil {
			if !errors.Is(err, errs.ErrCanonicalizationLimit) {
				t.Fatalf("Canonicalize of a relabelled copy: %v", err)
			}
			return
		}
		if !bytes.Equal(c3.NQuads(), out) {
			t.Fatalf("relabelled copy canonicalizes differently:\n%s\n%s", out, c3.NQuads())
		}
	})
}

func nq(q jsonld.Quad) []byte { return jsonld.SerializeNQuads([]jsonld.Quad{q}) }
