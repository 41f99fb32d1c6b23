package vc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/dataintegrity"
)

// bbsOptions verifies bbs-2023 proofs with the engine itself, keys from did:key
// verification methods (sdOptions with the suite allowed).
func bbsOptions() dataintegrity.VerifyOptions {
	o := sdOptions()
	o.AllowedSuites = []string{dataintegrity.BBS2023}
	return o
}

// TestInteropDIFixturesBBS checks the bbs-2023 documents Digital Bazaar's libraries
// issued (testdata/interop/di/bbs-2023.*.json): their derived proof verifies here, with
// the engine and through vc.Verifier, and a tampered copy does not; their base proof
// verifies for the holder and is refused to a verifier; and credentials derived here from
// their base proof verify.
func TestInteropDIFixturesBBS(t *testing.T) {
	ctx := context.Background()
	base, derived := readFixture(t, "bbs-2023.base.json"), readFixture(t, "bbs-2023.derived.json")
	var head struct {
		Issuer string `json:"issuer"`
	}
	if err := json.Unmarshal(derived, &head); err != nil {
		t.Fatal(err)
	}
	issuer := head.Issuer
	if !strings.HasPrefix(issuer, "did:key:zUC7") {
		t.Fatalf("issuer %s is not a did:key of a BLS12-381 G2 key", issuer)
	}

	res, err := dataintegrity.Verify(ctx, derived, bbsOptions())
	if err != nil {
		t.Fatalf("derived proof: %v", err)
	}
	if got := res.Proofs[0].VerificationMethod; got != issuer+"#"+strings.TrimPrefix(issuer, "did:key:") {
		t.Errorf("derived proof by %s, want %s", got, issuer)
	}
	tampered := bytes.Replace(derived, []byte(`"ageOver18": true`), []byte(`"ageOver18": false`), 1)
	if bytes.Equal(tampered, derived) {
		t.Fatal("nothing to tamper with")
	}
	if _, err := dataintegrity.Verify(ctx, tampered, bbsOptions()); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("tampered derived proof: got %v, want %v", err, vc.ErrInvalidSignature)
	}
	if _, err := dataintegrity.VerifyBase(ctx, base, bbsOptions()); err != nil {
		t.Errorf("base proof, for the holder: %v", err)
	}
	if _, err := dataintegrity.Verify(ctx, base, bbsOptions()); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Errorf("base proof, to a verifier: got %v, want %v", err, vc.ErrBaseProofPresented)
	}

	ours, err := dataintegrity.Derive(ctx, base, dataintegrity.DeriveOptions{
		SelectivePointers: []string{"/credentialSubject/ageOver18"}, ToRDF: sdToRDF, PresentationHeader: []byte("interop"),
	})
	if err != nil {
		t.Fatalf("deriving from their base proof: %v", err)
	}
	if _, err := dataintegrity.Verify(ctx, ours, bbsOptions()); err != nil {
		t.Errorf("our derivation from their base proof: %v", err)
	}
	// The BBS proof is randomized; what is revealed is the same as theirs.
	if !jsonEqual(t, withoutProof(t, ours), withoutProof(t, derived)) {
		t.Errorf("revealed here:\n%s\nthere:\n%s", ours, derived)
	}

	// Through the facade: vc.Verifier (the key from the did:key document) and
	// vc.DeriveCredential.
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, issuer)})
	got, err := v.VerifyCredential(ctx, derived)
	if err != nil {
		t.Fatalf("vc.Verifier, derived proof: %v", err)
	}
	if got.Issuer() != issuer || got.Proof().Algorithm != dataintegrity.BBS2023 {
		t.Errorf("verified as %s %+v", got.Issuer(), got.Proof())
	}
	if diff := cmp.Diff(map[string]any{"ageOver18": true}, got.Claims()["credentialSubject"]); diff != "" {
		t.Errorf("disclosed credentialSubject (-want +got):\n%s", diff)
	}
	if _, err := v.VerifyCredential(ctx, tampered); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("vc.Verifier, tampered derived proof: got %v, want %v", err, vc.ErrInvalidSignature)
	}
	if _, err := v.VerifyCredential(ctx, base); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Errorf("vc.Verifier, base proof: got %v, want %v", err, vc.ErrBaseProofPresented)
	}
	facade, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/birthDate"}})
	if err != nil {
		t.Fatalf("vc.DeriveCredential: %v", err)
	}
	got, err = v.VerifyCredential(ctx, facade)
	if err != nil {
		t.Fatalf("vc.Verifier, our derivation: %v", err)
	}
	if sub, _ := got.Claims()["credentialSubject"].(map[string]any); sub["birthDate"] == nil || sub["ageOver18"] != nil {
		t.Errorf("disclosed credentialSubject %v, want birthDate", sub)
	}
	t.Logf("di interop: bbs-2023: their derived proof, their base proof (holder) and 2 derivations of ours from it verified here; tampered and base refused")
}
