package dataintegrity

import (
	"context"
	"errors"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

// FuzzBBSProofValue: a bbs-2023 proofValue never panics the parser, fails only with a
// sentinel, and an accepted one re-encodes to a value that parses back to the same
// encoding (a derived proof's label map is written in ascending order, whatever order
// it was read in).
func FuzzBBSProofValue(f *testing.F) {
	f.Fuzz(func(t *testing.T, pv string) {
		base, derived, err := parseBBSProofValue(pv)
		if err != nil {
			if !errors.Is(err, ErrInvalidProof) && !errors.Is(err, ErrUnsupportedProof) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		var again string
		if base != nil {
			again = base.encode()
		} else {
			if again, err = derived.encode(); err != nil {
				t.Fatalf("accepted derived proof does not encode: %v", err)
			}
		}
		b2, d2, err := parseBBSProofValue(again)
		if err != nil {
			t.Fatalf("re-encoded proof value does not parse: %v", err)
		}
		var third string
		if b2 != nil {
			third = b2.encode()
		} else {
			third, _ = d2.encode()
		}
		if third != again {
			t.Fatalf("encoding is not stable:\n%s\n%s", again, third)
		}
	})
}

// FuzzVerifyBBS runs Verify with an RDF conversion on arbitrary documents (seeds in
// testdata/fuzz/FuzzVerifyBBS: bbs-2023 derived and base credentials of a did:key zUC7
// issuer and broken variants), so that derived proofs reach canonicalization, relabelling
// and the BBS proof check. Properties: no panic; an error comes with a nil result and
// wraps a sentinel; a success lists proofs with their key and suite.
func FuzzVerifyBBS(f *testing.F) {
	ctx := context.Background()
	opts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF}
	more := []error{errs.ErrUnknownContext, errs.ErrCanonicalizationLimit, ErrInvalidOptions}
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := Verify(ctx, doc, opts)
		if err != nil {
			if res != nil {
				t.Fatalf("result with error %v", err)
			}
			for _, s := range append(sentinels, more...) {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error without a sentinel: %v", err)
		}
		for _, p := range res.Proofs {
			if p.Key == nil || p.Cryptosuite == "" {
				t.Fatalf("incomplete result %+v", p)
			}
		}
	})
}
