package schema

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// registry returns a Registry with schemas (URL → file under testdata/schemas).
func registry(t testing.TB, schemas map[string]string) *Registry {
	t.Helper()
	r := NewRegistry()
	for u, f := range schemas {
		if err := r.Add(u, readTestdata(t, "schemas/"+f)); err != nil {
			t.Fatalf("Add(%s): %v", u, err)
		}
	}
	return r
}

// testSigner stands in for the facade: a schema credential is "secured" as
// base64url(json) "." base64url(Ed25519 signature over the JSON).
type testSigner struct {
	priv ed25519.PrivateKey
}

func newTestSigner() testSigner {
	return testSigner{priv: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))}
}

func (s testSigner) sign(payload []byte) []byte {
	enc := base64.RawURLEncoding
	return []byte(enc.EncodeToString(payload) + "." + enc.EncodeToString(ed25519.Sign(s.priv, payload)))
}

// verify is a VerifyFunc.
func (s testSigner) verify(_ context.Context, raw []byte) ([]byte, error) {
	p, sig, ok := bytes.Cut(raw, []byte("."))
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(string(p))
	signature, err2 := enc.DecodeString(string(sig))
	if !ok || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("test: %w", errs.ErrMalformed)
	}
	if !ed25519.Verify(s.priv.Public().(ed25519.PublicKey), payload, signature) {
		return nil, fmt.Errorf("test: %w", errs.ErrInvalidSignature)
	}
	return payload, nil
}

// mapFetcher serves bodies from a map and counts requests; anything else is 404.
type mapFetcher struct {
	bodies map[string][]byte
	calls  int
}

func (f *mapFetcher) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	f.calls++
	b, ok := f.bodies[url]
	if !ok {
		return nil, fmt.Errorf("test: %s: %w", url, errs.ErrNotFound)
	}
	return b, nil
}

var testTime = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
