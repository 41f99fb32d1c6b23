package bbs

import (
	"bytes"
	"errors"
	"testing"
)

// isSentinel reports whether err wraps one of the package's sentinels.
func isSentinel(err error) bool {
	for _, s := range []error{ErrMalformed, ErrTooLarge, ErrInvalidKey, ErrInvalidSignature, ErrInvalidProof} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzParseProof: octets_to_proof never panics, fails only with a sentinel, and an
// accepted proof re-encodes to the same bytes. ProofVerify on the input fails with a
// sentinel unless the proof is genuine.
func FuzzParseProof(f *testing.F) {
	var s Suite
	sk, err := s.KeyGen(bytes.Repeat([]byte{1}, 32), nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodeProof(b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if !bytes.Equal(p.encode(), b) {
			t.Fatal("accepted proof does not re-encode to its input")
		}
		idx := make([]int, 0, 2)
		if len(p.mHat) < 8 {
			idx = append(idx, len(p.mHat))
		}
		msgs := make([][]byte, len(idx))
		if err := s.ProofVerify(sk.PublicKey(), b, nil, nil, msgs, idx); err == nil || !isSentinel(err) {
			t.Fatalf("ProofVerify on fuzzed input: %v", err)
		}
	})
}

// FuzzParseSignature: octets_to_signature never panics and fails only with a sentinel;
// an accepted signature re-encodes to its input, and Verify of fuzzed bytes fails with a
// sentinel.
func FuzzParseSignature(f *testing.F) {
	var s Suite
	sk, err := s.KeyGen(bytes.Repeat([]byte{1}, 32), nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, e, err := decodeSignature(b)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error without sentinel: %v", err)
			}
			if _, _, errCT := decodeSignatureCT(b); errCT == nil {
				t.Fatal("circl decoding accepts what gnark decoding refuses")
			}
			return
		}
		ab, eb := a.Bytes(), e.Bytes()
		if !bytes.Equal(append(ab[:], eb[:]...), b) {
			t.Fatal("accepted signature does not re-encode to its input")
		}
		if _, _, err := decodeSignatureCT(b); err != nil {
			t.Fatalf("circl decoding refuses what gnark decoding accepts: %v", err)
		}
		if err := s.Verify(sk.PublicKey(), b, nil, [][]byte{[]byte("m")}); err == nil || !isSentinel(err) {
			t.Fatalf("Verify on fuzzed input: %v", err)
		}
	})
}

// FuzzParsePublicKey: octets_to_pubkey never panics, fails only with ErrMalformed, and
// an accepted key re-encodes to its input.
func FuzzParsePublicKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		pk, err := ParsePublicKey(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error without ErrMalformed: %v", err)
			}
			return
		}
		if !bytes.Equal(pk.Bytes(), b) {
			t.Fatal("accepted key does not re-encode to its input")
		}
	})
}
