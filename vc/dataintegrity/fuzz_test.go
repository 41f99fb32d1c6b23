package dataintegrity

import (
	"context"
	"errors"
	"testing"

	"github.com/credence-dev/credence/keys"
)

// sentinels are the errors Verify may wrap with the options FuzzVerify uses.
var sentinels = []error{
	ErrMalformed, ErrTooLarge, ErrTooDeep, ErrMissingProof, ErrInvalidProof, ErrUnsupportedProof,
	ErrAlgorithmNotAllowed, ErrAlgorithmKeyMismatch, ErrInvalidKey, ErrMissingKeyID, ErrInvalidDIDURL,
	ErrProofPurpose, ErrChallengeMismatch, ErrDomainMismatch, ErrIssuedInFuture, ErrExpired,
	ErrInvalidSignature, ErrBaseProofPresented, keys.ErrUnsupportedKeyType, keys.ErrPrivateKeyMaterial,
}

// FuzzVerify runs the proof parser and Verify on arbitrary documents (seeds in
// testdata/fuzz/FuzzVerify: signed credentials, presentations, proof sets and chains of
// every suite, and broken variants). Properties: no panic; an error comes with a nil
// result and wraps a sentinel; a success lists one verified proof per proof of the
// document, each with its key, and verifying again gives the same.
func FuzzVerify(f *testing.F) {
	ctx := context.Background()
	opts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: standInRDFC}
	f.Fuzz(func(t *testing.T, doc []byte) {
		res, err := Verify(ctx, doc, opts)
		if err != nil {
			if res != nil {
				t.Fatalf("result with error %v", err)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error without a sentinel: %v", err)
		}
		if res == nil || len(res.Proofs) != len(decodeProofs(t, doc)) {
			t.Fatalf("result %+v for %d proofs", res, len(decodeProofs(t, doc)))
		}
		for _, p := range res.Proofs {
			if p.Key == nil || p.VerificationMethod == "" || p.Purpose != PurposeAssertionMethod {
				t.Fatalf("incomplete result %+v", p)
			}
		}
		again, err := Verify(ctx, doc, opts)
		if err != nil || len(again.Proofs) != len(res.Proofs) {
			t.Fatalf("second Verify: %v", err)
		}
	})
}
