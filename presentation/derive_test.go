package presentation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// The ministry issues an age credential with an ecdsa-sd-2023 base proof; the wallet
// derives a credential that reveals the over-18 claim and nothing else of the subject;
// the shop verifies it and never sees the birth date.
func ExampleHolder_Derive() {
	ctx := context.Background()
	at := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	didKey := func(s keys.Signer) (string, string) {
		id, _ := key.Create(s.Public())
		return id, id + "#" + strings.TrimPrefix(id, "did:key:")
	}
	ministry, _ := keys.Generate(keys.P256)
	ministryDID, ministryKID := didKey(ministry)
	wallet, _ := keys.Generate(keys.P256)
	walletDID, walletKID := didKey(wallet)

	c, _ := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSubject":{"id":"` + walletDID + `","birthDate":"2001-04-12","ageOver18":true}}`))
	issuer, _ := vc.NewIssuer(ministry, ministryKID, vc.IssuerOptions{Clock: at})
	base, err := issuer.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{
		Cryptosuite: "ecdsa-sd-2023", MandatoryPointers: []string{"/credentialSubject/id"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	holder, _ := presentation.NewHolder(wallet, walletKID, presentation.HolderOptions{Clock: at})
	derived, err := holder.Derive(ctx, base, []string{"/credentialSubject/ageOver18"})
	if err != nil {
		fmt.Println(err)
		return
	}

	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID, Types: []string{"AgeCredential"}})
	verifier, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: at})
	got, err := verifier.VerifyCredential(ctx, derived)
	if err != nil {
		fmt.Println(err)
		return
	}
	subject := got.Claims()["credentialSubject"].(map[string]any)
	fmt.Println("over 18:", subject["ageOver18"])
	fmt.Println("birth date disclosed:", subject["birthDate"] != nil)

	_, err = verifier.VerifyCredential(ctx, base)
	fmt.Println("base proof refused:", errors.Is(err, vc.ErrBaseProofPresented))
	// Output:
	// over 18: true
	// birth date disclosed: false
	// base proof refused: true
}

func TestDeriveRefuses(t *testing.T) {
	ctx := context.Background()
	at := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	ministry, _ := keys.Generate(keys.P256)
	ministryDID, _ := key.Create(ministry.Public())
	wallet, _ := keys.Generate(keys.P256)
	walletDID, _ := key.Create(wallet.Public())
	other, _ := keys.Generate(keys.P256)
	otherDID, _ := key.Create(other.Public())
	kid := func(id string) string { return id + "#" + strings.TrimPrefix(id, "did:key:") }
	issuer, _ := vc.NewIssuer(ministry, kid(ministryDID), vc.IssuerOptions{Clock: at})
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"credentialSubject":{"id":"` + walletDID + `","ageOver18":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	base, err := issuer.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "ecdsa-sd-2023"})
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := issuer.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	holder, _ := presentation.NewHolder(wallet, kid(walletDID), presentation.HolderOptions{Clock: at})
	stranger, _ := presentation.NewHolder(other, kid(otherDID), presentation.HolderOptions{Clock: at})
	for _, tc := range []struct {
		name     string
		h        *presentation.Holder
		cred     []byte
		pointers []string
		want     error
	}{
		{"not about the holder", stranger, base, []string{"/credentialSubject/ageOver18"}, vc.ErrHolderBinding},
		{"a vc+jwt", holder, jwt, []string{"/credentialSubject/ageOver18"}, vc.ErrUnsupportedFormat},
		{"pointer naming nothing", holder, base, []string{"/credentialSubject/birthDate"}, vc.ErrInvalidOptions},
		{"not a pointer", holder, base, []string{"credentialSubject"}, vc.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.h.Derive(ctx, tc.cred, tc.pointers); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	derived, err := holder.Derive(ctx, base, []string{"/credentialSubject/ageOver18"})
	if err != nil {
		t.Fatal(err)
	}
	// Claims paths, as a DCQL query names them.
	for _, tc := range []struct {
		paths []vc.ClaimPath
		want  error
	}{
		{[]vc.ClaimPath{{"credentialSubject", "ageOver18"}}, nil},
		{[]vc.ClaimPath{{"type", nil}}, nil},
		{[]vc.ClaimPath{{"type", 1}}, nil},
		{[]vc.ClaimPath{{"credentialSubject", "birthDate"}}, vc.ErrInvalidOptions},
		{[]vc.ClaimPath{{"type", 7}}, vc.ErrInvalidOptions},
		{[]vc.ClaimPath{{"type", true}}, vc.ErrInvalidOptions},
	} {
		out, err := holder.DeriveClaims(ctx, base, tc.paths)
		if !errors.Is(err, tc.want) || (err == nil) == (out == nil) {
			t.Errorf("DeriveClaims(%v): %v, want %v", tc.paths, err, tc.want)
		}
	}
	// A derived credential goes into a Data Integrity presentation.
	vp, err := holder.Present(ctx, [][]byte{derived}, presentation.Request{Format: vc.FormatDataIntegrity, Challenge: "c1", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID})
	v, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: at})
	got, err := v.VerifyPresentation(ctx, vp, vc.Expect{Challenge: "c1", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Credentials()[0].Claims()["credentialSubject"].(map[string]any)["ageOver18"] != true {
		t.Error("ageOver18 not disclosed")
	}
	// The holder never puts the base credential into a presentation (a verifier would
	// refuse it too, but its HMAC key would already have left the wallet).
	if _, err := holder.Present(ctx, [][]byte{base}, presentation.Request{Format: vc.FormatDataIntegrity, Challenge: "c2", Domain: "shop.example"}); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Errorf("base credential in a presentation: %v, want ErrBaseProofPresented", err)
	}
}
