package openid4vp

import (
	"context"
	"errors"
	"testing"
)

// FuzzParseRequest feeds arbitrary invocation URLs to a Wallet: an authenticated
// request or an error wrapping a sentinel, never a panic.
func FuzzParseRequest(f *testing.F) {
	f.Add("openid4vp://?client_id=redirect_uri%3Ahttps%3A%2F%2Fshop.example%2Fcb&response_type=vp_token&response_mode=direct_post&response_uri=https%3A%2F%2Fshop.example%2Fcb&nonce=n-0S6_WzA2Mj-0123456789&dcql_query=%7B%22credentials%22%3A%5B%7B%22id%22%3A%22a%22%2C%22format%22%3A%22dc%2Bsd-jwt%22%7D%5D%7D")
	f.Add("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3Az6Mk&request=eyJhbGciOiJFZERTQSJ9.e30.AA")
	w, err := NewWallet(WalletOptions{AllowRedirectURI: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, invocation string) {
		r, err := w.ParseRequest(context.Background(), invocation)
		if err == nil && (r.Query == nil || r.Nonce == "") {
			t.Fatal("accepted a request without a query or a nonce")
		}
		if err != nil && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUntrustedVerifier) && !errors.Is(err, ErrTooLarge) {
			// Other sentinels are possible (keys, signatures); every error must wrap one.
			if errors.Unwrap(err) == nil {
				t.Fatalf("error without a sentinel: %v", err)
			}
		}
	})
}

// FuzzHandleResponse feeds arbitrary response bodies to a Verifier with one pending
// request: never a panic, never an accepted response.
func FuzzHandleResponse(f *testing.F) {
	fx := newFixture(f)
	_, signer, x5c := testCA(f, "verifier.example")
	v := x509Verifier(f, fx, signer, x5c, VerifierOptions{ResponseMode: ResponseModeDirectPost})
	req, err := v.NewRequest(context.Background(), []byte(ageQuery))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("state=" + req.State + "&vp_token=%7B%22age%22%3A%5B%22eyJ%22%5D%7D"))
	f.Add([]byte("response=eyJraWQiOiJ4In0...."))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := v.HandleResponse(context.Background(), body); err == nil {
			t.Fatal("a forged response was accepted")
		}
	})
}
