package openid4vp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
)

// An issuer offers an identity credential with a pre-authorized code and a
// transaction code; the wallet, in the same process, receives it over loopback, bound
// to its own key.
func ExampleIssuer() {
	ctx := context.Background()
	ministry, _, ministryKID := newDIDForExample()
	walletKey := must(keys.Generate(keys.P256))

	// The issuer: its endpoints on a TLS server whose URL is its identifier.
	var h http.Handler
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	signer := must(vc.NewIssuer(ministry, ministryKID, vc.IssuerOptions{}))
	iss := must(openid4vp.NewIssuer(openid4vp.IssuerOptions{
		Identifier: srv.URL, Issuer: signer,
		Configurations: map[string]openid4vp.CredentialConfiguration{
			"pid": {Format: openid4vp.FormatSDJWTVC, VCT: "urn:example:id:1", Claims: []openid4vp.ClaimDescription{
				{Path: []any{"given_name"}, Display: []openid4vp.ClaimDisplay{{Name: "Given name"}}, Disclosable: true},
				{Path: []any{"birthdate"}, Display: []openid4vp.ClaimDisplay{{Name: "Date of birth"}}, Disclosable: true},
			}},
		},
		// The claims of the person the offer was made for, from the issuer's records.
		Claims: func(_ context.Context, req openid4vp.ClaimsRequest) (map[string]any, error) {
			return map[string]any{"given_name": "Alice", "birthdate": "2001-04-12"}, nil
		},
	}))
	h = iss.Handler()
	offer := must(iss.NewOffer(ctx, openid4vp.OfferOptions{OfferID: "application-17", ConfigurationIDs: []string{"pid"}, TxCode: &openid4vp.TxCode{Description: "sent to you by SMS"}}))
	// offer.URL goes into a QR code; offer.TxCode goes by SMS.

	// The wallet trusts the ministry's credentials, and reaches the loopback issuer
	// only because this is an example.
	trust := must(vc.NewTrustList(vc.TrustedIssuer{ID: signer.ID()}))
	wallet := must(openid4vp.NewIssuanceWallet(openid4vp.IssuanceWalletOptions{
		HTTPClient: srv.Client(), Credentials: must(vc.NewVerifier(vc.VerifierOptions{Trust: trust})), AllowLoopback: true,
	}))
	parsed := must(wallet.ParseOffer(ctx, offer.URL))
	received := must(wallet.Receive(ctx, parsed, openid4vp.ReceiveOptions{
		Holder: walletKey,
		TxCode: func(_ context.Context, t *openid4vp.TxCode) (string, error) {
			fmt.Println("the wallet asks for the code", t.Description)
			return offer.TxCode, nil
		},
	}))
	got := received[0].Verified
	fmt.Println("received:", received[0].Format, got.Claims()["vct"])
	fmt.Println("bound to the wallet's key:", keys.Equal(got.Holder(), walletKey.Public()))
	// Output:
	// the wallet asks for the code sent to you by SMS
	// received: dc+sd-jwt urn:example:id:1
	// bound to the wallet's key: true
}

func newDIDForExample() (keys.Signer, string, string) {
	s := must(keys.Generate(keys.Ed25519))
	id := must(key.Create(s.Public()))
	return s, id, id + "#" + strings.TrimPrefix(id, "did:key:")
}
