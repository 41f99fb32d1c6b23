package vc_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// TestDIPresentationWithoutHolder: a Data Integrity presentation that names no holder
// is its signer's; its credentials must be about the signer.
func TestDIPresentationWithoutHolder(t *testing.T) {
	ctx := context.Background()
	iss, alice, bob := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	aboutAlice := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatDataIntegrity)
	aboutBob := issue(t, iss, parseCredential(t, credentialJSON("", bob.did)), vc.FormatDataIntegrity)
	sign := func(cred []byte, challenge string) []byte {
		p := &vc.Presentation{Context: []any{vc.ContextV2}, Type: []string{vc.TypeVerifiablePresentation}, VerifiableCredential: []json.RawMessage{cred}}
		vp, err := vc.SignPresentation(ctx, alice.signer, alice.kid, p, vc.FormatDataIntegrity, vc.PresentationOptions{Challenge: challenge, Domain: "shop.example", IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		return vp
	}
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	got, err := v.VerifyPresentation(ctx, sign(aboutAlice, "c1"), vc.Expect{Challenge: "c1", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Holder() != alice.did {
		t.Fatalf("holder %q, want the signer %q", got.Holder(), alice.did)
	}
	if _, err := v.VerifyPresentation(ctx, sign(aboutBob, "c2"), vc.Expect{Challenge: "c2", Domain: "shop.example"}); !errors.Is(err, vc.ErrHolderBinding) {
		t.Fatalf("another subject's credential: %v, want ErrHolderBinding", err)
	}
}
