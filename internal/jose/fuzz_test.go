package jose_test

import (
	"errors"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
)

// FuzzParse: the compact parser never panics, every error wraps a sentinel, and an
// accepted token has a header alg from the allow-list and a typ the policy names.
func FuzzParse(f *testing.F) {
	sentinels := []error{errs.ErrMalformed, errs.ErrTooLarge, errs.ErrTooDeep, errs.ErrInvalidType,
		errs.ErrAlgorithmNotAllowed, errs.ErrUnsupportedCritical, errs.ErrUntrustedKeySource, errs.ErrUnsupportedFormat}
	ed, _ := keys.Generate(keys.Ed25519)
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := jose.Parse(data, vcPolicy)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error %v wraps no sentinel", err)
		}
		if tok.Header.Typ != "vc+jwt" {
			t.Fatalf("accepted typ %q", tok.Header.Typ)
		}
		switch tok.Header.Alg {
		case keys.EdDSA, keys.ES256, keys.ES384:
		default:
			t.Fatalf("accepted alg %q", tok.Header.Alg)
		}
		if err := tok.Verify(ed.Public(), nil); err == nil {
			t.Fatal("a fuzzed token verified with a fresh key")
		}
	})
}
