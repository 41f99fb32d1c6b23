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
	"github.com/credence-dev/credence/vc/sdjwt"
)

// The over-18 promise: the ministry issues an SD-JWT VC in which the birth date and each
// age answer are disclosable on their own; the wallet discloses only "18 or over"; the
// shop learns that answer and nothing else.
func ExampleHolder_Disclose() {
	ctx := context.Background()
	didKey := func(s keys.Signer) (string, string) {
		id, _ := key.Create(s.Public())
		return id, id + "#" + strings.TrimPrefix(id, "did:key:")
	}
	ministry, _ := keys.Generate(keys.Ed25519) // any crypto.Signer works: keys.SignerFor(kmsKey)
	ministryDID, ministryKID := didKey(ministry)
	wallet, _ := keys.Generate(keys.P256)
	_, walletKID := didKey(wallet)
	nonce, shopID := "x7Yq2", "https://shop.example"

	issuer, _ := vc.NewIssuer(ministry, ministryKID, vc.IssuerOptions{})
	birthdate := time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC)
	age, ageFrame, _ := sdjwt.AgeEqualOrOver(birthdate, time.Now(), 18, 21)
	cred, _ := issuer.IssueSDJWT(ctx, map[string]any{"birthdate": "2001-04-12", "age_equal_or_over": age},
		sdjwt.Frame{Members: map[string]sdjwt.Frame{"birthdate": {Disclosable: true}, "age_equal_or_over": ageFrame}},
		vc.SDJWTOptions{VCT: "https://ministry.example/identity", Holder: wallet.Public()})

	// The wallet discloses only "18 or over", bound to the shop's nonce and identifier.
	holder, _ := presentation.NewHolder(wallet, walletKID, presentation.HolderOptions{})
	vp, _ := holder.Disclose(ctx, cred, []vc.ClaimPath{{"age_equal_or_over", "18"}},
		presentation.Request{Nonce: nonce, Audience: shopID})

	// The shop: a trust list, nothing else to configure (did:key and did:jwk resolve offline).
	trust, _ := vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID})
	verifier, _ := vc.NewVerifier(vc.VerifierOptions{Trust: trust})
	got, err := verifier.VerifyPresentation(ctx, vp, vc.Expect{Nonce: nonce, Audience: shopID})
	if err != nil {
		fmt.Println(err)
		return
	}
	claims := got.Credentials()[0].Claims()
	fmt.Println("age_equal_or_over:", claims["age_equal_or_over"])
	_, sawBirthdate := claims["birthdate"]
	fmt.Println("birth date seen:", sawBirthdate)
	// Output:
	// age_equal_or_over: map[18:true]
	// birth date seen: false
}
