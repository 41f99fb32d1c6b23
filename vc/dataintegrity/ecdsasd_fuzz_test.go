package dataintegrity

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

// sdProofValueErr reports whether err wraps a sentinel the proof value decoders may return.
func sdProofValueErr(err error) bool {
	return errors.Is(err, ErrInvalidProof) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrBaseProofPresented)
}

// FuzzECDSASDBaseProofValue decodes arbitrary ecdsa-sd-2023 base proof values (seeds in
// testdata/fuzz/FuzzECDSASDBaseProofValue: our own base proofs and broken variants).
// Properties: no panic; an error comes with a nil result and wraps a sentinel; a decoded
// proof has components of the fixed sizes and encodes back to the same text, since the
// decoder accepts only the shortest form.
func FuzzECDSASDBaseProofValue(f *testing.F) {
	f.Fuzz(func(t *testing.T, pv string) {
		p, err := parseECDSASDBase(pv)
		if err != nil {
			if p != nil || !sdProofValueErr(err) {
				t.Fatalf("%v, %v", p, err)
			}
			return
		}
		if len(p.baseSignature) != p256SigSize || len(p.publicKey) != p256KeySize || len(p.hmacKey) != hmacKeySize {
			t.Fatalf("component sizes %d %d %d", len(p.baseSignature), len(p.publicKey), len(p.hmacKey))
		}
		for _, s := range p.signatures {
			if len(s) != p256SigSize {
				t.Fatalf("signature of %d bytes", len(s))
			}
		}
		if got := p.encode(); got != pv {
			t.Fatalf("re-encoded as %s", got)
		}
	})
}

// FuzzECDSASDDerivedProofValue decodes arbitrary ecdsa-sd-2023 derived proof values (seeds
// in testdata/fuzz/FuzzECDSASDDerivedProofValue). Properties: no panic; an error comes
// with a nil result and wraps a sentinel; a decoded proof encodes to a value that decodes
// to the same components (the label map is written in key order, so the text may differ).
func FuzzECDSASDDerivedProofValue(f *testing.F) {
	f.Fuzz(func(t *testing.T, pv string) {
		p, err := parseECDSASDDerived(pv)
		if err != nil {
			if p != nil || !sdProofValueErr(err) {
				t.Fatalf("%v, %v", p, err)
			}
			return
		}
		text, err := p.encode()
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := parseECDSASDDerived(text)
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, again, p)
		}
	})
}

// FuzzVerifyECDSASD runs Verify with an RDF conversion on arbitrary documents (seeds in
// testdata/fuzz/FuzzVerifyECDSASD: our derived and base credentials and broken variants),
// so that derived proofs reach canonicalization, relabelling and signature checks.
// Properties: no panic; an error comes with a nil result and wraps a sentinel; a success
// is one ecdsa-sd-2023 proof by the seeds' issuer.
func FuzzVerifyECDSASD(f *testing.F) {
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
