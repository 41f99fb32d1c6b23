package presentation_test

import (
	"context"
	"encoding/json"
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
		{[]vc.ClaimPath{{"type", nil}, {"credentialSubject", "ageOver18"}}, nil},
		{[]vc.ClaimPath{{"type", 1}, {"credentialSubject", "ageOver18"}}, nil},
		{[]vc.ClaimPath{{"type", 1}}, vc.ErrInvalidOptions}, // no credentialSubject would be left
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

// The ministry issues the age credential with a bbs-2023 base proof from a BBS key
// (did:key zUC7...); the wallet derives one credential per shop that reveals the over-18
// claim. Each derivation carries a fresh zero-knowledge proof, so the two shops cannot
// link them by their proofs; they can by what is revealed, here the subject id, which
// goes with any claim of the subject.
func ExampleHolder_Derive_bbs() {
	ctx := context.Background()
	at := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	ministry, _ := keys.GenerateBBSKey(nil)
	ministryDID, _ := key.Create(ministry.Public())
	ministryKID := ministryDID + "#" + strings.TrimPrefix(ministryDID, "did:key:")
	wallet, _ := keys.Generate(keys.P256)
	walletDID, _ := key.Create(wallet.Public())
	walletKID := walletDID + "#" + strings.TrimPrefix(walletDID, "did:key:")

	c, _ := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSubject":{"id":"` + walletDID + `","birthDate":"2001-04-12","ageOver18":true}}`))
	issuer, _ := vc.NewBBSIssuer(ministry, ministryKID, vc.IssuerOptions{Clock: at})
	base, err := issuer.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "bbs-2023"})
	if err != nil {
		fmt.Println(err)
		return
	}

	holder, _ := presentation.NewHolder(wallet, walletKID, presentation.HolderOptions{Clock: at})
	forShop1, err := holder.Derive(ctx, base, []string{"/credentialSubject/ageOver18"})
	if err != nil {
		fmt.Println(err)
		return
	}
	forShop2, _ := holder.Derive(ctx, base, []string{"/credentialSubject/ageOver18"})

	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID, Types: []string{"AgeCredential"}})
	verifier, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: at})
	got, err := verifier.VerifyCredential(ctx, forShop1)
	if err != nil {
		fmt.Println(err)
		return
	}
	subject := got.Claims()["credentialSubject"].(map[string]any)
	fmt.Println("suite:", got.Proof().Algorithm)
	fmt.Println("over 18:", subject["ageOver18"])
	fmt.Println("birth date disclosed:", subject["birthDate"] != nil)
	fmt.Println("subject id disclosed:", subject["id"] == walletDID)
	_, err = verifier.VerifyCredential(ctx, forShop2)
	fmt.Println("second derivation verifies:", err == nil)
	fmt.Println("same proof twice:", proofValue(forShop1) == proofValue(forShop2))

	_, err = verifier.VerifyCredential(ctx, base)
	fmt.Println("base proof refused:", errors.Is(err, vc.ErrBaseProofPresented))
	// Output:
	// suite: bbs-2023
	// over 18: true
	// birth date disclosed: false
	// subject id disclosed: true
	// second derivation verifies: true
	// same proof twice: false
	// base proof refused: true
}

// proofValue returns the proofValue of a credential's one proof.
func proofValue(cred []byte) string {
	var doc struct {
		Proof struct {
			ProofValue string `json:"proofValue"`
		} `json:"proof"`
	}
	_ = json.Unmarshal(cred, &doc)
	return doc.Proof.ProofValue
}

// TestDeriveBBS: a bbs-2023 credential goes through Derive, DeriveClaims and a Data
// Integrity presentation; a changed disclosure is refused, and so is the base credential
// in a presentation or at a verifier.
func TestDeriveBBS(t *testing.T) {
	ctx := context.Background()
	at := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	ministry, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ministryDID, err := key.Create(ministry.Public())
	if err != nil {
		t.Fatal(err)
	}
	wallet, _ := keys.Generate(keys.Ed25519)
	walletDID, _ := key.Create(wallet.Public())
	kid := func(id string) string { return id + "#" + strings.TrimPrefix(id, "did:key:") }
	issuer, err := vc.NewBBSIssuer(ministry, kid(ministryDID), vc.IssuerOptions{Clock: at})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"credentialSubject":{"id":"` + walletDID + `","ageOver18":true,"name":"Alice"}}`))
	if err != nil {
		t.Fatal(err)
	}
	base, err := issuer.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{MandatoryPointers: []string{"/type"}})
	if err != nil {
		t.Fatal(err)
	}
	holder, _ := presentation.NewHolder(wallet, kid(walletDID), presentation.HolderOptions{Clock: at})
	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID})
	v, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: at})

	derived, err := holder.Derive(ctx, base, []string{"/credentialSubject/ageOver18"})
	if err != nil {
		t.Fatal(err)
	}
	byClaims, err := holder.DeriveClaims(ctx, base, []vc.ClaimPath{{"credentialSubject", "ageOver18"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string][]byte{"Derive": derived, "DeriveClaims": byClaims} {
		got, err := v.VerifyCredential(ctx, d)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s := got.Claims()["credentialSubject"].(map[string]any); s["ageOver18"] != true || s["name"] != nil {
			t.Errorf("%s: disclosed %v", name, s)
		}
	}
	if proofValue(derived) == proofValue(byClaims) {
		t.Error("two derivations with the same proof value")
	}
	changed := []byte(strings.Replace(string(derived), `"ageOver18":true`, `"ageOver18":false`, 1))
	if _, err := v.VerifyCredential(ctx, changed); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("changed disclosure: %v, want ErrInvalidSignature", err)
	}

	vp, err := holder.Present(ctx, [][]byte{derived}, presentation.Request{Format: vc.FormatDataIntegrity, Challenge: "c1", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.VerifyPresentation(ctx, vp, vc.Expect{Challenge: "c1", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Credentials()[0].Proof().Algorithm != "bbs-2023" {
		t.Errorf("credential proof %+v", got.Credentials()[0].Proof())
	}
	if _, err := holder.Present(ctx, [][]byte{base}, presentation.Request{Format: vc.FormatDataIntegrity, Challenge: "c2", Domain: "shop.example"}); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Errorf("base credential in a presentation: %v, want ErrBaseProofPresented", err)
	}
	if _, err := v.VerifyCredential(ctx, base); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Errorf("base credential at a verifier: %v, want ErrBaseProofPresented", err)
	}
	if _, err := holder.Derive(ctx, derived, []string{"/credentialSubject/ageOver18"}); !errors.Is(err, vc.ErrUnsupportedProof) {
		t.Errorf("deriving a derived credential: %v, want ErrUnsupportedProof", err)
	}
}
