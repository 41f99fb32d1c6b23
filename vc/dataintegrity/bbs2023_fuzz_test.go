package dataintegrity

import (
	"errors"
	"testing"
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
