package sdjwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// sentinels are the errors a failure of this package may wrap.
var sentinels = []error{
	ErrMalformed, ErrTooLarge, ErrTooDeep, ErrInvalidType, ErrInvalidOptions, ErrUnsupportedFormat,
	ErrAlgorithmNotAllowed, ErrAlgorithmKeyMismatch, ErrInvalidKey, ErrUnsupportedKeyType,
	ErrInvalidSignature, ErrUnsupportedCritical, ErrUntrustedKeySource, ErrIssuerMismatch,
	ErrExpired, ErrNotYetValid, ErrIssuedInFuture, ErrStale,
	ErrKeyBindingRequired, ErrHolderBinding, ErrNonceMismatch, ErrAudienceMismatch, ErrSDHashMismatch,
	ErrInvalidDisclosure, ErrDuplicateDisclosure, ErrUnreferencedDisclosure, ErrDuplicateDigest,
	ErrDisclosureOverwrite, ErrReservedClaimDisclosed, ErrInvalidDigest, ErrUnsupportedHashAlgorithm,
	ErrNoMatch, ErrPrivateKeyMaterial, errs.ErrNotFound, ErrTypeMetadata,
}

// sentinelOf returns the one sentinel err wraps, or nil when it wraps none or several.
func sentinelOf(err error) error {
	var found error
	for _, s := range sentinels {
		if errors.Is(err, s) {
			if found != nil {
				return nil
			}
			found = s
		}
	}
	return found
}

// checkErr fails unless err is nil when want is, and otherwise wraps want and nothing
// else.
func checkErr(t testing.TB, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && err == nil:
		t.Fatalf("accepted, want %v", want)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	case want != nil && sentinelOf(err) != want:
		t.Fatalf("error %v wraps more than one sentinel", err)
	}
}

// decodeJSON decodes data as the package does.
func decodeJSON(t testing.TB, data []byte) any {
	t.Helper()
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatalf("decoding JSON: %v", err)
	}
	return v
}

// normalJSON re-decodes a Go value so that it compares with decoded JSON.
func normalJSON(t testing.TB, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, data)
}

func diffJSON(t testing.TB, got, want any) string {
	t.Helper()
	return cmp.Diff(normalJSON(t, want), normalJSON(t, got))
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// yamlKeys reads the EC keys of a generator settings file (example-specs/*.yml): for
// each key, the members kty, crv, x, y, d and kid, labelled by the nearest section
// ("issuer_keys", "issuer_key", "holder_key") and numbered within it.
func yamlKeys(t testing.TB, text string) map[string]map[string]string {
	t.Helper()
	section := regexp.MustCompile(`^\s*([a-z_]+):\s*$`)
	member := regexp.MustCompile(`^\s*(- )?(kty|crv|x|y|d|kid):\s*"?([^"\s]+)"?\s*$`)
	out := map[string]map[string]string{}
	var label string
	var cur map[string]string
	n := 0
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\n")
		if m := section.FindStringSubmatch(line); m != nil {
			label, n = m[1], 0
			continue
		}
		m := member.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[2] == "kty" {
			cur = map[string]string{}
			out[fmt.Sprintf("%s/%d", label, n)] = cur
			n++
		}
		if cur != nil {
			cur[m[2]] = m[3]
		}
	}
	return out
}

// ecSigner makes a signer of one of yamlKeys' keys.
func ecSigner(t testing.TB, k map[string]string) keys.Signer {
	t.Helper()
	data, err := json.Marshal(map[string]string{"kty": k["kty"], "crv": k["crv"], "x": k["x"], "y": k["y"], "d": k["d"]})
	if err != nil {
		t.Fatal(err)
	}
	s, err := keys.ParsePrivateJWK(data)
	if err != nil {
		t.Fatalf("private key: %v", err)
	}
	return s
}
