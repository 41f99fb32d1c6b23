package presentation_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// The holder answers a shop's request with its over-18 credential; the shop verifies the
// presentation against the nonce and audience it chose.
func ExampleHolder_Present() {
	ctx := context.Background()
	at := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	didKey := func(s keys.Signer) (string, string) {
		id, _ := key.Create(s.Public())
		return id, id + "#" + strings.TrimPrefix(id, "did:key:")
	}
	ministry, _ := keys.Generate(keys.Ed25519)
	ministryDID, ministryKID := didKey(ministry)
	wallet, _ := keys.Generate(keys.P256)
	walletDID, walletKID := didKey(wallet)

	c, _ := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSubject":{"id":"` + walletDID + `","ageOver18":true}}`))
	issuer, _ := vc.NewIssuer(ministry, ministryKID, vc.IssuerOptions{Clock: at})
	cred, _ := issuer.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})

	holder, _ := presentation.NewHolder(wallet, walletKID, presentation.HolderOptions{Clock: at})
	vp, err := holder.Present(ctx, [][]byte{cred}, presentation.Request{Nonce: "x7Yq2", Audience: "https://shop.example"})
	if err != nil {
		fmt.Println(err)
		return
	}

	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID, Types: []string{"AgeCredential"}})
	verifier, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: at})
	got, err := verifier.VerifyPresentation(ctx, vp, vc.Expect{Nonce: "x7Yq2", Audience: "https://shop.example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	subject := got.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	fmt.Println("holder is the subject:", got.Holder() == walletDID)
	fmt.Println("over 18:", subject["ageOver18"])

	_, err = verifier.VerifyPresentation(ctx, vp, vc.Expect{Nonce: "x7Yq2", Audience: "https://shop.example"})
	fmt.Println("replayed:", err != nil)
	// Output:
	// holder is the subject: true
	// over 18: true
	// replayed: true
}
