package keys_test

import (
	"errors"
	"testing"

	"github.com/credence-dev/credence/keys"
)

func isSentinel(err error) bool {
	for _, s := range []error{keys.ErrMalformed, keys.ErrTooLarge, keys.ErrInvalidKey, keys.ErrUnsupportedKeyType,
		keys.ErrPrivateKeyMaterial, keys.ErrAlgorithmKeyMismatch, keys.ErrTooDeep} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzParseJWK: never panics, every error is a sentinel, and an accepted key re-encodes
// to a JWK that parses to the same key.
func FuzzParseJWK(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		pub, err := keys.ParseJWK(data)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		out, err := keys.JWK(pub)
		if err != nil {
			t.Fatal(err)
		}
		again, err := keys.ParseJWK(out)
		if err != nil || !keys.Equal(pub, again) {
			t.Fatalf("accepted key does not round-trip: %v", err)
		}
	})
}

// FuzzParseMultikey: never panics, every error is a sentinel, and an accepted value
// re-encodes to itself (the encoding is canonical).
func FuzzParseMultikey(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := keys.ParseMultikey(s)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		again, err := keys.Multikey(pub)
		if err != nil || again != s {
			t.Fatalf("accepted %q re-encodes as %q (%v)", s, again, err)
		}
	})
}
