package openid4vp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A shop asks "over 18?" with OpenID4VP; the wallet, in the same process, answers over
// loopback, disclosing one claim of its identity credential.
func Example() {
	ctx := context.Background()
	newDID := func() (keys.Signer, string, string) {
		s := must(keys.Generate(keys.Ed25519))
		id := must(key.Create(s.Public()))
		return s, id, id + "#" + strings.TrimPrefix(id, "did:key:")
	}
	ministry, ministryDID, ministryKID := newDID()
	walletKey, _, walletKID := newDID()
	shopKey, shopDID, shopKID := newDID()

	// The ministry issues an SD-JWT VC whose personal claims are each disclosable.
	issuer := must(vc.NewIssuer(ministry, ministryKID, vc.IssuerOptions{}))
	age, ageFrame := must2(sdjwt.AgeEqualOrOver(time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC), time.Now(), 18))
	frame := must(sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"birthdate"}))
	frame.Members["age_equal_or_over"] = ageFrame
	id := must(issuer.IssueSDJWT(ctx, map[string]any{"given_name": "Alice", "birthdate": "2001-04-12", "age_equal_or_over": age}, frame,
		vc.SDJWTOptions{VCT: "urn:example:id:1", Holder: walletKey.Public()}))

	// The shop's verifier: its response endpoint on loopback.
	var v *openid4vp.Verifier
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { v.ResponseHandler().ServeHTTP(w, r) }))
	defer srv.Close()
	trust := must(vc.NewTrustList(vc.TrustedIssuer{ID: ministryDID}))
	v = must(openid4vp.NewVerifier(openid4vp.VerifierOptions{
		ClientID: openid4vp.PrefixDID + ":" + shopDID, ResponseURI: srv.URL + "/response",
		Signer: shopKey, KeyID: shopKID, ByValue: true, Credentials: vc.VerifierOptions{Trust: trust},
	}))
	req := must(v.NewRequest(ctx, []byte(`{"credentials":[{"id":"age","format":"dc+sd-jwt",
		"meta":{"vct_values":["urn:example:id:1"]},"claims":[{"path":["age_equal_or_over","18"]}]}]}`)))

	// The wallet reads the request (req.URL, from a QR code), asks its user, answers.
	wallet := must(openid4vp.NewWallet(openid4vp.WalletOptions{}))
	in := must(wallet.ParseRequest(ctx, req.URL))
	holder := must(presentation.NewHolder(walletKey, walletKID, presentation.HolderOptions{}))
	consent := func(_ context.Context, verifier string, shares []openid4vp.Share) (bool, error) {
		for _, s := range shares {
			fmt.Printf("share %v of %q with the shop? yes\n", s.Claims, s.CredentialID)
		}
		return true, nil
	}
	resp := must(wallet.Respond(ctx, in, holder, map[string][]byte{"id": id}, consent))
	post := must(srv.Client().Post(resp.URI, "application/x-www-form-urlencoded", bytes.NewReader(resp.Body)))
	post.Body.Close()

	res := must(v.Result(ctx, req.State))
	learned := res.Credentials["age"][0].Claims
	fmt.Println("the shop learned age_equal_or_over.18:", learned["age_equal_or_over"].(map[string]any)["18"])
	var names []string
	for k := range learned {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Println("claims the shop sees:", names)
	_, sawBirthdate := learned["birthdate"]
	_, sawName := learned["given_name"]
	fmt.Println("birth date or name seen:", sawBirthdate || sawName)
	// Output:
	// share [[age_equal_or_over 18]] of "id" with the shop? yes
	// the shop learned age_equal_or_over.18: true
	// claims the shop sees: [age_equal_or_over cnf iat iss vct]
	// birth date or name seen: false
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
