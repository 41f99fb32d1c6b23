package openid4vp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/vc"
)

const walletClient, walletRedirect = "wallet-app", "https://wallet.example/cb"

func withClients(o *IssuerOptions) {
	o.Clients = map[string]Client{walletClient: {RedirectURIs: []string{walletRedirect}}}
}

// authorize runs the browser's part: the wallet's authorization URL to the issuer's
// Authorize, approved for offerID; it returns the redirect.
func authorize(t *testing.T, f *vciFixture, a *Authorization, offerID string) string {
	t.Helper()
	u, err := url.Parse(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.issuer.Authorize(context.Background(), u.Query())
	if err != nil {
		t.Fatal(err)
	}
	redirect, err := f.issuer.Approve(context.Background(), p, offerID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(redirect, walletRedirect+"?") {
		t.Fatalf("redirect %s", redirect)
	}
	return redirect
}

func TestAuthorizationCodeFlow(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, withClients)
	ao := AuthorizationOptions{ClientID: walletClient, RedirectURI: walletRedirect}
	t.Run("issuer initiated", func(t *testing.T) {
		o, err := f.issuer.NewOffer(ctx, OfferOptions{OfferID: "app-1", ConfigurationIDs: []string{"pid", "diploma"}, Grant: GrantAuthorizationCode})
		if err != nil {
			t.Fatal(err)
		}
		offer, err := f.wallet.ParseOffer(ctx, o.URL)
		if err != nil || offer.Grants.AuthorizationCode == nil || offer.Grants.PreAuthorizedCode != nil {
			t.Fatalf("offer %+v, %v", offer, err)
		}
		a, err := f.wallet.Authorize(ctx, offer, ao)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.wallet.ReceiveAuthorized(ctx, a, authorize(t, f, a, ""), ReceiveOptions{Holder: f.alice.signer, KeyID: f.alice.kid})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ConfigurationID != "pid" || got[1].Verified.Subjects()[0] != f.alice.did {
			t.Fatalf("received %+v", got)
		}
		// The issuer_state is spent.
		u, _ := url.Parse(a.URL)
		_, err = f.issuer.Authorize(ctx, u.Query())
		wantOAuth(t, err, ErrCodeInvalidRequest, ErrReplay)
	})
	t.Run("wallet initiated", func(t *testing.T) {
		offer := &CredentialOffer{CredentialIssuer: f.srv.URL, ConfigurationIDs: []string{"diploma"}}
		a, err := f.wallet.Authorize(ctx, offer, ao)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(a.URL)
		p, err := f.issuer.Authorize(ctx, u.Query())
		if err != nil || p.OfferID != "" || len(p.ConfigurationIDs) != 1 {
			t.Fatalf("pending %+v, %v", p, err)
		}
		if _, err := f.issuer.Approve(ctx, p, ""); !errors.Is(err, ErrInvalidOptions) {
			t.Fatalf("approve without an offer: %v", err)
		}
		redirect, err := f.issuer.Approve(ctx, p, "app-9")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.wallet.ReceiveAuthorized(ctx, a, redirect, ReceiveOptions{Holder: f.alice.signer}); err != nil {
			t.Fatal(err)
		}
	})
	as, err := f.srv.Client().Get(f.srv.URL + WellKnownAuthorizationServer)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	jsonDecode(as.Body, &m)
	as.Body.Close()
	if m["authorization_endpoint"] != f.srv.URL+"/authorize" || m["code_challenge_methods_supported"].([]any)[0] != "S256" {
		t.Fatalf("authorization server metadata %v", m)
	}
}

func TestAuthorizationCodeAttacks(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, withClients)
	ao := AuthorizationOptions{ClientID: walletClient, RedirectURI: walletRedirect}
	start := func(t *testing.T) (*Authorization, url.Values) {
		t.Helper()
		o := f.offer(t, nil)
		a, err := f.wallet.Authorize(ctx, &CredentialOffer{CredentialIssuer: o.Offer.CredentialIssuer, ConfigurationIDs: o.Offer.ConfigurationIDs}, ao)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(a.URL)
		return a, u.Query()
	}
	codeOf := func(t *testing.T, a *Authorization) (string, url.Values) {
		t.Helper()
		r, _ := url.Parse(authorize(t, f, a, "app-1"))
		return r.Query().Get("code"), url.Values{"grant_type": {GrantAuthorizationCode}, "code": {r.Query().Get("code")},
			"code_verifier": {a.verifier}, "client_id": {walletClient}, "redirect_uri": {walletRedirect}}
	}
	authCase := func(name string, edit func(q url.Values), code string, want error) {
		t.Run(name, func(t *testing.T) {
			_, q := start(t)
			edit(q)
			_, err := f.issuer.Authorize(ctx, q)
			wantOAuth(t, err, code, want)
		})
	}
	authCase("unknown client", func(q url.Values) { q.Set("client_id", "mallory") }, "unauthorized_client", ErrNotFound)
	authCase("unregistered redirect", func(q url.Values) { q.Set("redirect_uri", "https://attacker.example/cb") }, ErrCodeInvalidRequest, ErrMalformed)
	authCase("plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, ErrCodeInvalidRequest, ErrMalformed)
	authCase("no PKCE", func(q url.Values) { q.Del("code_challenge") }, ErrCodeInvalidRequest, ErrMalformed)
	authCase("implicit", func(q url.Values) { q.Set("response_type", "token") }, ErrCodeInvalidRequest, ErrMalformed)
	authCase("unknown configuration", func(q url.Values) {
		q.Set("authorization_details", `[{"type":"openid_credential","credential_configuration_id":"x"}]`)
	}, "invalid_scope", ErrNotFound)
	authCase("unknown issuer_state", func(q url.Values) { q.Set("issuer_state", "guess") }, ErrCodeInvalidRequest, ErrNotFound)
	authCase("repeated parameter", func(q url.Values) { q.Add("redirect_uri", walletRedirect) }, ErrCodeInvalidRequest, ErrMalformed)
	t.Run("wrong code_verifier spends the code", func(t *testing.T) {
		a, _ := start(t)
		_, form := codeOf(t, a)
		right := form.Get("code_verifier")
		form.Set("code_verifier", strings.Repeat("A", 43))
		_, err := f.issuer.Token(ctx, form)
		wantOAuth(t, err, ErrCodeInvalidGrant, vc.ErrInvalidProof)
		form.Set("code_verifier", right)
		_, err = f.issuer.Token(ctx, form)
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrReplay)
	})
	t.Run("code reused", func(t *testing.T) {
		a, _ := start(t)
		_, form := codeOf(t, a)
		if _, err := f.issuer.Token(ctx, form); err != nil {
			t.Fatal(err)
		}
		_, err := f.issuer.Token(ctx, form)
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrReplay)
	})
	t.Run("code for another client or redirect", func(t *testing.T) {
		a, _ := start(t)
		_, form := codeOf(t, a)
		form.Set("redirect_uri", "https://wallet.example/other")
		_, err := f.issuer.Token(ctx, form)
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
	})
	t.Run("code as a pre-authorized code", func(t *testing.T) {
		a, _ := start(t)
		code, _ := codeOf(t, a)
		_, err := f.issuer.Token(ctx, url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {code}})
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
	})
	t.Run("issuer_state as a pre-authorized code", func(t *testing.T) {
		o, err := f.issuer.NewOffer(ctx, OfferOptions{OfferID: "app-1", ConfigurationIDs: []string{"pid"}, Grant: GrantAuthorizationCode})
		if err != nil {
			t.Fatal(err)
		}
		st := o.Offer.Grants.AuthorizationCode.IssuerState
		for _, code := range []string{st, "issuer_state\x00" + st} {
			_, err := f.issuer.Token(ctx, url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {code}})
			wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		g := newVCIFixture(t, withClients)
		o := g.offer(t, nil)
		a, err := g.wallet.Authorize(ctx, &CredentialOffer{CredentialIssuer: o.Offer.CredentialIssuer, ConfigurationIDs: []string{"pid"}}, ao)
		if err != nil {
			t.Fatal(err)
		}
		redirect := authorize(t, g, a, "app-1")
		g.clock.advance(2 * time.Minute)
		_, err = g.wallet.ReceiveAuthorized(ctx, a, redirect, ReceiveOptions{Holder: g.alice.signer})
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrRejected)
	})
	t.Run("wallet checks the redirect", func(t *testing.T) {
		a, _ := start(t)
		redirect := authorize(t, f, a, "app-1")
		ro := ReceiveOptions{Holder: f.alice.signer}
		forged := strings.Replace(redirect, "state=", "state=x", 1)
		if _, err := f.wallet.ReceiveAuthorized(ctx, a, forged, ro); !errors.Is(err, ErrMalformed) {
			t.Fatalf("state mismatch: %v", err)
		}
		u, _ := url.Parse(redirect)
		q := u.Query()
		q.Set("iss", "https://attacker.example")
		u.RawQuery = q.Encode()
		if _, err := f.wallet.ReceiveAuthorized(ctx, a, u.String(), ro); !errors.Is(err, vc.ErrIssuerMismatch) {
			t.Fatalf("iss mismatch: %v", err)
		}
		p, err := f.issuer.Authorize(ctx, mustQuery(t, a.URL))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.wallet.ReceiveAuthorized(ctx, a, f.issuer.Deny(p), ro); !errors.Is(err, ErrRejected) {
			t.Fatalf("denied: %v", err)
		}
	})
	t.Run("authorization endpoint over HTTP", func(t *testing.T) {
		a, q := start(t)
		h := f.issuer.AuthorizationHandler(func(w http.ResponseWriter, r *http.Request, p *PendingAuthorization) {
			redirect, err := f.issuer.Approve(r.Context(), p, "app-1")
			if err != nil {
				t.Error(err)
			}
			http.Redirect(w, r, redirect, http.StatusFound)
		})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, a.URL, nil))
		if rec.Code != http.StatusFound {
			t.Fatalf("status %d", rec.Code)
		}
		if _, err := f.wallet.ReceiveAuthorized(ctx, a, rec.Header().Get("Location"), ReceiveOptions{Holder: f.alice.signer}); err != nil {
			t.Fatal(err)
		}
		q.Set("redirect_uri", "https://attacker.example/cb")
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/authorize?"+q.Encode(), nil))
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Location") != "" {
			t.Fatalf("bad redirect_uri: %d, Location %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("flow off without clients", func(t *testing.T) {
		g := newVCIFixture(t, nil)
		_, err := g.issuer.Authorize(ctx, url.Values{})
		wantOAuth(t, err, ErrCodeInvalidRequest, ErrInvalidOptions)
		if _, err := g.issuer.NewOffer(ctx, OfferOptions{OfferID: "a", ConfigurationIDs: []string{"pid"}, Grant: GrantAuthorizationCode}); !errors.Is(err, ErrInvalidOptions) {
			t.Fatalf("authorization code offer without clients: %v", err)
		}
		_, err = g.issuer.Token(ctx, url.Values{"grant_type": {GrantAuthorizationCode}, "code": {"x"}})
		wantOAuth(t, err, ErrCodeUnsupportedGrantType, ErrMalformed)
	})
}

func mustQuery(t *testing.T, s string) url.Values {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
