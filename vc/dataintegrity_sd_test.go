package vc_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// TestECDSASDCredential issues an ecdsa-sd-2023 credential through the facade, derives a
// disclosure of the age claim and verifies it; the base credential is refused.
func TestECDSASDCredential(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.P256), newParty(t, keys.Ed25519)
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	base, err := i.Issue(ctx, parseCredential(t, credentialJSON("", alice.did)), vc.FormatDataIntegrity,
		vc.IssueOptions{Cryptosuite: "ecdsa-sd-2023", MandatoryPointers: []string{"/credentialSubject/id"}})
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	if _, err := v.VerifyCredential(ctx, base); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Fatalf("base credential: %v, want ErrBaseProofPresented", err)
	}

	derived, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/ageOver18"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.VerifyCredential(ctx, derived)
	if err != nil {
		t.Fatal(err)
	}
	subject := got.Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != true || subject["id"] != alice.did || subject["name"] != nil {
		t.Errorf("disclosed subject %v", subject)
	}
	for _, m := range []string{"issuer", "validFrom", "validUntil"} {
		if got.Claims()[m] == nil {
			t.Errorf("%s is always mandatory, not disclosed", m)
		}
	}
	if got.Proof().Algorithm != "ecdsa-sd-2023" || got.Issuer() != iss.did {
		t.Errorf("proof %+v, issuer %s", got.Proof(), got.Issuer())
	}

	// Tampered disclosed value.
	var doc map[string]any
	if err := json.Unmarshal(derived, &doc); err != nil {
		t.Fatal(err)
	}
	doc["credentialSubject"].(map[string]any)["ageOver18"] = false
	tampered, _ := json.Marshal(doc)
	if _, err := v.VerifyCredential(ctx, tampered); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("tampered: %v, want ErrInvalidSignature", err)
	}

	// A verifier that does not allow ES256 does not accept the suite.
	v384 := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Algorithms: []string{keys.ES384}})
	if _, err := v384.VerifyCredential(ctx, derived); !errors.Is(err, vc.ErrAlgorithmNotAllowed) {
		t.Errorf("ES384-only verifier: %v, want ErrAlgorithmNotAllowed", err)
	}

	// Issuing options the suite refuses.
	p384 := newParty(t, keys.P384)
	i384, _ := vc.NewIssuer(p384.signer, p384.kid, vc.IssuerOptions{Clock: clock})
	for _, tc := range []struct {
		name string
		iss  *vc.Issuer
		f    vc.Format
		opts vc.IssueOptions
		want error
	}{
		{"P-384 key", i384, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "ecdsa-sd-2023"}, vc.ErrAlgorithmKeyMismatch},
		{"pointers with a JWT", i, vc.FormatJWT, vc.IssueOptions{MandatoryPointers: []string{"/issuer"}}, vc.ErrInvalidOptions},
		{"pointers with ecdsa-rdfc-2019", i, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "ecdsa-rdfc-2019", MandatoryPointers: []string{"/issuer"}}, vc.ErrInvalidOptions},
		{"pointer naming nothing", i, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "ecdsa-sd-2023", MandatoryPointers: []string{"/credentialSubject/height"}}, vc.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.iss.Issue(ctx, parseCredential(t, credentialJSON("", alice.did)), tc.f, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/height"}}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Errorf("derive with a pointer naming nothing: %v, want ErrInvalidOptions", err)
	}
}
