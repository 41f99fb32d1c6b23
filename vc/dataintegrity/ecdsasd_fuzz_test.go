package dataintegrity

import (
	"errors"
	"reflect"
	"testing"
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
