package presentation_test

import (
	"context"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// TestPresentVPSDJWT presents a vc+sd-jwt revealing one claim and a vc+jwt in one
// vp+sd-jwt, and checks what the verifier learns.
func TestPresentVPSDJWT(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
		`"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",` +
		`"credentialSubject":{"id":"` + alice.did + `","name":"Alice","ageOver18":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	sd, err := i.Issue(ctx, c, vc.FormatSDJWT, vc.IssueOptions{Disclose: []vc.ClaimPath{{"credentialSubject", "name"}, {"credentialSubject", "ageOver18"}}})
	if err != nil {
		t.Fatal(err)
	}
	jwt := credential(t, iss, alice.did, vc.FormatJWT)
	h, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	req := presentation.Request{Nonce: "n-sd", Audience: "https://shop.example", Format: vc.FormatSDJWT,
		Disclose: map[int][]vc.ClaimPath{0: {{"credentialSubject", "ageOver18"}}}}
	vp, err := h.Present(ctx, [][]byte{sd, jwt}, req)
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
	v, err := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.VerifyPresentation(ctx, vp, vc.Expect{Nonce: req.Nonce, Audience: req.Audience})
	if err != nil {
		t.Fatal(err)
	}
	if p.Format() != vc.FormatSDJWT || p.Holder() != alice.did || len(p.Credentials()) != 2 {
		t.Fatalf("verified %s %s %d", p.Format(), p.Holder(), len(p.Credentials()))
	}
	subject := p.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != true || subject["name"] != nil {
		t.Fatalf("the verifier learned %v", subject)
	}
	// Without a Disclose entry only the plain-text claims go.
	req.Nonce, req.Disclose = "n-sd2", nil
	vp, err = h.Present(ctx, [][]byte{sd}, req)
	if err != nil {
		t.Fatal(err)
	}
	p, err = v.VerifyPresentation(ctx, vp, vc.Expect{Nonce: req.Nonce, Audience: req.Audience})
	if err != nil {
		t.Fatal(err)
	}
	subject = p.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != nil || subject["name"] != nil {
		t.Fatalf("the verifier learned %v", subject)
	}
}
