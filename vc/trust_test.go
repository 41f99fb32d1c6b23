package vc_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestTrustListPeriodsAndTypes(t *testing.T) {
	ctx := context.Background()
	tl, err := vc.ParseTrustList([]byte(`{"issuers":[
		{"id":"did:web:ministry.example","name":"Ministry","types":["IdentityCredential"],"notBefore":"2026-01-01T00:00:00Z","notAfter":"2027-01-01T00:00:00Z"},
		{"id":"did:web:ministry.example","types":["IdentityCredential","ResidenceCredential"],"notBefore":"2027-01-01T00:00:00Z"},
		{"id":"https://university.example","types":["DiplomaCredential"]},
		{"id":"did:web:old.example","notAfter":"2025-06-30T23:59:59Z"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	id := []string{"VerifiableCredential", "IdentityCredential"}
	res := []string{"VerifiableCredential", "ResidenceCredential"}
	for _, tc := range []struct {
		name   string
		issuer string
		types  []string
		at     string
		ok     bool
	}{
		{"first period", "did:web:ministry.example", id, "2026-06-01T00:00:00Z", true},
		{"before every period", "did:web:ministry.example", id, "2025-12-31T23:59:59Z", false},
		{"a type of the second period only, in the first", "did:web:ministry.example", res, "2026-06-01T00:00:00Z", false},
		{"a type of the second period", "did:web:ministry.example", res, "2028-01-01T00:00:00Z", true},
		{"no end", "https://university.example", []string{"DiplomaCredential"}, "2099-01-01T00:00:00Z", true},
		{"VerifiableCredential alone never matches a type", "https://university.example", []string{"VerifiableCredential"}, "2026-01-01T00:00:00Z", false},
		{"expired entry", "did:web:old.example", nil, "2026-01-01T00:00:00Z", false},
		{"entry in force then", "did:web:old.example", nil, "2025-01-01T00:00:00Z", true},
		{"unlisted", "did:web:evil.example", id, "2026-06-01T00:00:00Z", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tl.TrustIssuerAt(ctx, tc.issuer, tc.types, *at(tc.at))
			if tc.ok != (err == nil) || err != nil && !errors.Is(err, vc.ErrUntrustedIssuer) {
				t.Fatalf("TrustIssuerAt = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	// Saved and read back, the list is the same.
	data, err := tl.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trust.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	read, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := vc.ParseTrustList(read)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tl.Entries(), back.Entries()); diff != "" {
		t.Errorf("round trip (-saved +read):\n%s", diff)
	}
	// Entries is a copy.
	e := tl.Entries()
	e[0].Types[0] = "Changed"
	if tl.Entries()[0].Types[0] != "IdentityCredential" {
		t.Error("Entries shares memory with the list")
	}
	for name, doc := range map[string]string{
		"ends before it starts": `{"issuers":[{"id":"x","notBefore":"2027-01-01T00:00:00Z","notAfter":"2026-01-01T00:00:00Z"}]}`,
		"the same entry twice":  `{"issuers":[{"id":"x","types":["A"]},{"id":"x","types":["A"]}]}`,
		"no id":                 `{"issuers":[{"types":["A"]}]}`,
		"unknown member":        `{"issuers":[{"id":"x","trusted":true}]}`,
		"not a time":            `{"issuers":[{"id":"x","notAfter":"tomorrow"}]}`,
		"no issuers":            `{}`,
		"duplicate member":      `{"issuers":[],"issuers":[]}`,
	} {
		if _, err := vc.ParseTrustList([]byte(doc)); !errors.Is(err, vc.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	empty, _ := vc.NewTrustList()
	if data, _ := empty.MarshalJSON(); string(data) != `{"issuers":[]}` {
		t.Errorf("empty list saved as %s", data)
	}
}

// TestTrustListAtVerifierClock checks that a Verifier judges trust-list periods at its
// own clock, so that an audit at a past instant sees the list as it was.
func TestTrustListAtVerifierClock(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(ctx, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tl := mustTrust(t, vc.TrustedIssuer{ID: iss.did, NotAfter: at("2000-01-01T00:00:00Z")})
	_, err = verifier(t, vc.VerifierOptions{Trust: tl}).VerifyCredential(ctx, tok)
	if !errors.Is(err, vc.ErrUntrustedIssuer) {
		t.Fatalf("entry ended in 2000: %v, want ErrUntrustedIssuer", err)
	}
	tl = mustTrust(t, vc.TrustedIssuer{ID: iss.did, NotBefore: at(now.Add(-time.Hour).Format(time.RFC3339)), NotAfter: at(now.Add(time.Hour).Format(time.RFC3339))})
	if _, err := verifier(t, vc.VerifierOptions{Trust: tl}).VerifyCredential(ctx, tok); err != nil {
		t.Fatalf("entry in force at the verifier's clock: %v", err)
	}
}
