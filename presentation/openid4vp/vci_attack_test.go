package openid4vp

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

func (f *vciFixture) offer(t testing.TB, tx *TxCode, configs ...string) *Offer {
	t.Helper()
	if len(configs) == 0 {
		configs = []string{"pid"}
	}
	o, err := f.issuer.NewOffer(context.Background(), OfferOptions{OfferID: "app-1", ConfigurationIDs: configs, TxCode: tx})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func tokenForm(o *Offer, tx ...string) url.Values {
	form := url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {o.Offer.Grants.PreAuthorizedCode.Code}}
	if len(tx) > 0 {
		form.Set("tx_code", tx[0])
	}
	return form
}

func (f *vciFixture) token(t testing.TB, configs ...string) string {
	t.Helper()
	res, err := f.issuer.Token(context.Background(), tokenForm(f.offer(t, nil, configs...)))
	if err != nil {
		t.Fatal(err)
	}
	return res.AccessToken
}

func (f *vciFixture) nonce(t testing.TB) string {
	t.Helper()
	n, err := f.issuer.Nonce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// proofJWT signs a key proof with s; edit changes the header and claims before signing.
func (f *vciFixture) proofJWT(t testing.TB, s keys.Signer, nonce string, edit func(hdr, claims map[string]any)) string {
	t.Helper()
	j, err := keys.JWK(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	hdr := map[string]any{"alg": s.Algorithm(), "typ": ProofTyp, "jwk": json.RawMessage(j)}
	claims := map[string]any{"aud": f.srv.URL, "iat": f.clock.now().Unix(), "nonce": nonce}
	if edit != nil {
		edit(hdr, claims)
	}
	tok, err := signCompact(s, hdr, claims)
	if err != nil {
		t.Fatal(err)
	}
	return string(tok)
}

func credentialBody(cid string, proofs ...string) []byte {
	b, _ := json.Marshal(map[string]any{"credential_configuration_id": cid, "proofs": map[string]any{"jwt": proofs}})
	return b
}

func wantOAuth(t *testing.T, err error, code string, sentinel error) {
	t.Helper()
	oe, ok := errors.AsType[*OAuthError](err)
	if !ok || oe.Code != code || !errors.Is(err, sentinel) {
		t.Fatalf("got %v, want %s wrapping %v", err, code, sentinel)
	}
}

func TestTokenAttacks(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, nil)
	t.Run("reused pre-authorized code", func(t *testing.T) {
		o := f.offer(t, nil)
		if _, err := f.issuer.Token(ctx, tokenForm(o)); err != nil {
			t.Fatal(err)
		}
		_, err := f.issuer.Token(ctx, tokenForm(o))
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrReplay)
	})
	t.Run("unknown code", func(t *testing.T) {
		_, err := f.issuer.Token(ctx, url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {"guess"}})
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
	})
	t.Run("wrong tx_code, then the attempt limit", func(t *testing.T) {
		o := f.offer(t, &TxCode{})
		for range DefaultTxCodeAttempts {
			_, err := f.issuer.Token(ctx, tokenForm(o, "000000x"))
			wantOAuth(t, err, ErrCodeInvalidGrant, ErrInvalidTxCode)
		}
		// The grant is spent: even the right code no longer works.
		_, err := f.issuer.Token(ctx, tokenForm(o, o.TxCode))
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrInvalidTxCode)
	})
	t.Run("right tx_code after a wrong one", func(t *testing.T) {
		o := f.offer(t, &TxCode{})
		_, err := f.issuer.Token(ctx, tokenForm(o, "nope"))
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrInvalidTxCode)
		if _, err := f.issuer.Token(ctx, tokenForm(o, o.TxCode)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("missing tx_code", func(t *testing.T) {
		o := f.offer(t, &TxCode{})
		_, err := f.issuer.Token(ctx, tokenForm(o))
		wantOAuth(t, err, ErrCodeInvalidRequest, ErrMalformed)
		if _, err := f.issuer.Token(ctx, tokenForm(o, o.TxCode)); err != nil {
			t.Fatalf("a request without tx_code counted as an attempt: %v", err)
		}
	})
	t.Run("tx_code where none is needed", func(t *testing.T) {
		_, err := f.issuer.Token(ctx, tokenForm(f.offer(t, nil), "123456"))
		wantOAuth(t, err, ErrCodeInvalidRequest, ErrMalformed)
	})
	t.Run("authorization_code grant", func(t *testing.T) {
		_, err := f.issuer.Token(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {"x"}})
		wantOAuth(t, err, ErrCodeUnsupportedGrantType, ErrMalformed)
	})
	t.Run("repeated parameter", func(t *testing.T) {
		o := f.offer(t, nil)
		form := tokenForm(o)
		form.Add("pre-authorized_code", "other")
		_, err := f.issuer.Token(ctx, form)
		wantOAuth(t, err, ErrCodeInvalidRequest, ErrMalformed)
	})
	t.Run("expired code", func(t *testing.T) {
		g := newVCIFixture(t, nil)
		o := g.offer(t, nil)
		g.clock.advance(11 * time.Minute)
		_, err := g.issuer.Token(ctx, tokenForm(o))
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
	})
	t.Run("concurrent redemptions", func(t *testing.T) {
		o := f.offer(t, nil)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 16 {
			wg.Go(func() {
				if _, err := f.issuer.Token(ctx, tokenForm(o)); err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d redemptions of one code", wins)
		}
	})
}

func TestCredentialAttacks(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, nil)
	alice := f.alice.signer
	ok := func(t *testing.T) {
		t.Helper()
		if _, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", f.proofJWT(t, alice, f.nonce(t), nil))); err != nil {
			t.Fatal(err)
		}
	}
	ok(t)
	proofCase := func(name string, edit func(hdr, claims map[string]any), code string, want error) {
		t.Run(name, func(t *testing.T) {
			_, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", f.proofJWT(t, alice, f.nonce(t), edit)))
			wantOAuth(t, err, code, want)
		})
	}
	proofCase("wrong aud", func(_, c map[string]any) { c["aud"] = "https://other.example" }, ErrCodeInvalidProof, vc.ErrAudienceMismatch)
	proofCase("aud array", func(_, c map[string]any) { c["aud"] = []string{f.srv.URL} }, ErrCodeInvalidProof, vc.ErrAudienceMismatch)
	proofCase("typ JWT", func(h, _ map[string]any) { h["typ"] = "JWT" }, ErrCodeInvalidProof, vc.ErrInvalidType)
	proofCase("no typ", func(h, _ map[string]any) { delete(h, "typ") }, ErrCodeInvalidProof, vc.ErrInvalidType)
	proofCase("alg none", func(h, _ map[string]any) { h["alg"] = "none" }, ErrCodeInvalidProof, vc.ErrAlgorithmNotAllowed)
	proofCase("alg HS256", func(h, _ map[string]any) { h["alg"] = "HS256" }, ErrCodeInvalidProof, vc.ErrAlgorithmNotAllowed)
	proofCase("alg of another key type", func(h, _ map[string]any) { h["alg"] = "EdDSA" }, ErrCodeInvalidProof, vc.ErrAlgorithmKeyMismatch)
	proofCase("no nonce", func(_, c map[string]any) { delete(c, "nonce") }, ErrCodeInvalidProof, ErrMalformed)
	proofCase("unknown nonce", func(_, c map[string]any) { c["nonce"] = "made-up" }, ErrCodeInvalidNonce, ErrNotFound)
	proofCase("no iat", func(_, c map[string]any) { delete(c, "iat") }, ErrCodeInvalidProof, ErrMalformed)
	proofCase("string iat", func(_, c map[string]any) { c["iat"] = "1780000000" }, ErrCodeInvalidProof, ErrMalformed)
	proofCase("old iat", func(_, c map[string]any) { c["iat"] = now.Add(-10 * time.Minute).Unix() }, ErrCodeInvalidProof, vc.ErrStale)
	proofCase("future iat", func(_, c map[string]any) { c["iat"] = now.Add(10 * time.Minute).Unix() }, ErrCodeInvalidProof, vc.ErrIssuedInFuture)
	proofCase("iss in an anonymous flow", func(_, c map[string]any) { c["iss"] = "wallet" }, ErrCodeInvalidProof, ErrMalformed)
	proofCase("kid and jwk", func(h, _ map[string]any) { h["kid"] = f.alice.kid }, ErrCodeInvalidProof, ErrMalformed)
	proofCase("no key", func(h, _ map[string]any) { delete(h, "jwk") }, ErrCodeInvalidProof, vc.ErrMissingKeyID)
	proofCase("x5c", func(h, _ map[string]any) { h["x5c"] = []string{"MIIB"} }, ErrCodeInvalidProof, vc.ErrUntrustedKeySource)
	proofCase("jku", func(h, _ map[string]any) { h["jku"] = "https://attacker.example/jwks" }, ErrCodeInvalidProof, vc.ErrUntrustedKeySource)
	proofCase("crit", func(h, _ map[string]any) { h["crit"] = []string{"exp"} }, ErrCodeInvalidProof, vc.ErrUnsupportedCritical)
	proofCase("kid of did:web", func(h, _ map[string]any) {
		delete(h, "jwk")
		h["kid"] = "did:web:attacker.example#key-1"
	}, ErrCodeInvalidProof, vc.ErrUntrustedKeySource)
	proofCase("kid of another did:key", func(h, _ map[string]any) {
		delete(h, "jwk")
		h["kid"] = newParty(t, keys.P256).kid
	}, ErrCodeInvalidProof, vc.ErrInvalidSignature)
	t.Run("proof signed by another key than its jwk", func(t *testing.T) {
		mallory := newParty(t, keys.P256).signer
		j, _ := keys.JWK(alice.Public())
		proof := f.proofJWT(t, mallory, f.nonce(t), func(h, _ map[string]any) { h["jwk"] = json.RawMessage(j) })
		_, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", proof))
		wantOAuth(t, err, ErrCodeInvalidProof, vc.ErrInvalidSignature)
	})
	t.Run("private key in jwk", func(t *testing.T) {
		pj, err := keys.PrivateJWK(alice)
		if err != nil {
			t.Fatal(err)
		}
		proof := f.proofJWT(t, alice, f.nonce(t), func(h, _ map[string]any) { h["jwk"] = json.RawMessage(pj) })
		_, err = f.issuer.Credential(ctx, f.token(t), credentialBody("pid", proof))
		wantOAuth(t, err, ErrCodeInvalidProof, vc.ErrPrivateKeyMaterial)
	})
	t.Run("tampered signature", func(t *testing.T) {
		p := f.proofJWT(t, alice, f.nonce(t), nil)
		p = p[:len(p)-4] + map[bool]string{true: "AAAA", false: "BBBB"}[!strings.HasSuffix(p, "AAAA")]
		_, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", p))
		wantOAuth(t, err, ErrCodeInvalidProof, vc.ErrInvalidSignature)
	})
	t.Run("reused c_nonce", func(t *testing.T) {
		n := f.nonce(t)
		if _, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", f.proofJWT(t, alice, n, nil))); err != nil {
			t.Fatal(err)
		}
		_, err := f.issuer.Credential(ctx, f.token(t), credentialBody("pid", f.proofJWT(t, alice, n, nil)))
		wantOAuth(t, err, ErrCodeInvalidNonce, ErrReplay)
	})
	t.Run("stale c_nonce", func(t *testing.T) {
		g := newVCIFixture(t, func(o *IssuerOptions) { o.TokenLifetime = time.Hour })
		n := g.nonce(t)
		tok := g.token(t)
		g.clock.advance(4 * time.Minute)
		p := g.proofJWT(t, alice, n, nil)
		g.clock.advance(2 * time.Minute)
		_, err := g.issuer.Credential(ctx, tok, credentialBody("pid", p))
		wantOAuth(t, err, ErrCodeInvalidNonce, ErrNotFound)
	})
	t.Run("expired access token", func(t *testing.T) {
		g := newVCIFixture(t, nil)
		tok := g.token(t)
		g.clock.advance(6 * time.Minute)
		_, err := g.issuer.Credential(ctx, tok, credentialBody("pid", g.proofJWT(t, alice, g.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeInvalidToken, ErrNotFound)
	})
	t.Run("unknown access token", func(t *testing.T) {
		_, err := f.issuer.Credential(ctx, "guess", credentialBody("pid", f.proofJWT(t, alice, f.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeInvalidToken, ErrNotFound)
	})
	t.Run("token and code of another issuer sharing the store", func(t *testing.T) {
		store := NewMemoryIssuanceStore(0, f.clock.now)
		a := newVCIFixture(t, func(o *IssuerOptions) { o.Store = store })
		b := newVCIFixture(t, func(o *IssuerOptions) { o.Store = store })
		_, err := b.issuer.Credential(ctx, a.token(t), credentialBody("pid", b.proofJWT(t, alice, b.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeInvalidToken, vc.ErrIssuerMismatch)
		_, err = b.issuer.Token(ctx, tokenForm(a.offer(t, nil)))
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrNotFound)
		// A nonce of one issuer is unknown to the other.
		_, err = b.issuer.Credential(ctx, b.token(t), credentialBody("pid", b.proofJWT(t, alice, a.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeInvalidNonce, ErrNotFound)
	})
	t.Run("configuration not in the offer", func(t *testing.T) {
		_, err := f.issuer.Credential(ctx, f.token(t, "diploma"), credentialBody("pid", f.proofJWT(t, alice, f.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeUnknownCredentialConfiguration, ErrNotFound)
	})
	bodyCase := func(name, body, code string, want error) {
		t.Run(name, func(t *testing.T) {
			_, err := f.issuer.Credential(ctx, f.token(t), []byte(strings.ReplaceAll(body, "PROOF", f.proofJWT(t, alice, f.nonce(t), nil))))
			wantOAuth(t, err, code, want)
		})
	}
	bodyCase("credential_identifier", `{"credential_identifier":"x","proofs":{"jwt":["PROOF"]}}`, ErrCodeUnknownCredentialIdentifier, ErrNotFound)
	bodyCase("both identifiers", `{"credential_identifier":"x","credential_configuration_id":"pid","proofs":{"jwt":["PROOF"]}}`, ErrCodeInvalidCredentialRequest, ErrMalformed)
	bodyCase("no identifier", `{"proofs":{"jwt":["PROOF"]}}`, ErrCodeInvalidCredentialRequest, ErrMalformed)
	bodyCase("response encryption", `{"credential_configuration_id":"pid","proofs":{"jwt":["PROOF"]},"credential_response_encryption":{"jwk":{},"enc":"A128GCM"}}`, ErrCodeInvalidEncryptionParameters, ErrMalformed)
	bodyCase("no proofs", `{"credential_configuration_id":"pid"}`, ErrCodeInvalidProof, vc.ErrMissingProof)
	bodyCase("pre-final single proof", `{"credential_configuration_id":"pid","proof":{"proof_type":"jwt","jwt":"PROOF"}}`, ErrCodeInvalidProof, vc.ErrMissingProof)
	bodyCase("di_vp proofs", `{"credential_configuration_id":"pid","proofs":{"di_vp":[{}]}}`, ErrCodeInvalidProof, vc.ErrUnsupportedProof)
	bodyCase("two proof types", `{"credential_configuration_id":"pid","proofs":{"jwt":["PROOF"],"attestation":["x"]}}`, ErrCodeInvalidProof, vc.ErrUnsupportedProof)
	bodyCase("empty jwt proofs", `{"credential_configuration_id":"pid","proofs":{"jwt":[]}}`, ErrCodeInvalidProof, ErrMalformed)
	bodyCase("batch beyond BatchSize", `{"credential_configuration_id":"pid","proofs":{"jwt":["PROOF","PROOF"]}}`, ErrCodeInvalidCredentialRequest, ErrTooLarge)
	bodyCase("duplicate member", `{"credential_configuration_id":"pid","credential_configuration_id":"pid","proofs":{"jwt":["PROOF"]}}`, ErrCodeInvalidCredentialRequest, ErrMalformed)
	bodyCase("not JSON", `credential_configuration_id=pid`, ErrCodeInvalidCredentialRequest, ErrMalformed)
	t.Run("batch with a repeated key", func(t *testing.T) {
		g := newVCIFixture(t, func(o *IssuerOptions) { o.BatchSize = 3 })
		n := g.nonce(t)
		_, err := g.issuer.Credential(ctx, g.token(t), credentialBody("pid", g.proofJWT(t, alice, n, nil), g.proofJWT(t, alice, n, nil)))
		wantOAuth(t, err, ErrCodeInvalidProof, ErrReplay)
		bob := newParty(t, keys.Ed25519).signer
		res, err := g.issuer.Credential(ctx, g.token(t), credentialBody("pid", g.proofJWT(t, alice, n, nil), g.proofJWT(t, bob, n, nil)))
		if err != nil || len(res.Credentials) != 2 {
			t.Fatalf("batch of two keys: %v, %v", res, err)
		}
	})
	t.Run("claims callback refuses", func(t *testing.T) {
		o, err := f.issuer.NewOffer(ctx, OfferOptions{OfferID: "refused", ConfigurationIDs: []string{"pid"}})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f.issuer.Token(ctx, tokenForm(o))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.issuer.Credential(ctx, tr.AccessToken, credentialBody("pid", f.proofJWT(t, alice, f.nonce(t), nil)))
		wantOAuth(t, err, ErrCodeCredentialRequestDenied, ErrRejected)
		if strings.Contains(err.Error(), "secret") {
			t.Fatalf("the callback's reason leaked: %v", err)
		}
	})
}

func TestCredentialEndpointHTTP(t *testing.T) {
	f := newVCIFixture(t, nil)
	c := f.srv.Client()
	post := func(body []byte, auth, ct string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/credential", bytes.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		req.Header.Set("Content-Type", ct)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		jsonDecode(res.Body, &m)
		return res, m
	}
	body := credentialBody("pid", f.proofJWT(t, f.alice.signer, f.nonce(t), nil))
	for _, tc := range []struct {
		name       string
		body       []byte
		auth, ct   string
		status     int
		code, wwwA string
	}{
		{"no access token", body, "", "application/json", 401, ErrCodeInvalidToken, `Bearer error="invalid_token"`},
		{"basic auth", body, "Basic " + base64.StdEncoding.EncodeToString([]byte("a:b")), "application/json", 401, ErrCodeInvalidToken, `Bearer error="invalid_token"`},
		{"oversized request", bytes.Repeat([]byte(" "), DefaultMaxCredentialRequestBytes+1), "Bearer " + f.token(t), "application/json", 413, ErrCodeInvalidCredentialRequest, ""},
		{"form body", []byte("a=b"), "Bearer " + f.token(t), "application/x-www-form-urlencoded", 400, ErrCodeInvalidCredentialRequest, ""},
		{"valid", body, "Bearer " + f.token(t), "application/json", 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, m := post(tc.body, tc.auth, tc.ct)
			if res.StatusCode != tc.status || res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("WWW-Authenticate") != tc.wwwA {
				t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
			}
			if tc.code != "" && m["error"] != tc.code {
				t.Fatalf("error %v, want %s", m, tc.code)
			}
			if tc.code == "" {
				creds, _ := m["credentials"].([]any)
				if len(creds) != 1 {
					t.Fatalf("response %v", m)
				}
			}
		})
	}
	t.Run("oversized token request", func(t *testing.T) {
		res, err := c.Post(f.srv.URL+"/token", "application/x-www-form-urlencoded", strings.NewReader(strings.Repeat("a", DefaultMaxCredentialRequestBytes+1)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 413 {
			t.Fatalf("status %d", res.StatusCode)
		}
	})
	t.Run("token endpoint over HTTP", func(t *testing.T) {
		res, err := c.Post(f.srv.URL+"/token", "application/x-www-form-urlencoded", strings.NewReader(tokenForm(f.offer(t, nil)).Encode()))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		jsonDecode(res.Body, &m)
		res.Body.Close()
		if res.StatusCode != 200 || m["token_type"] != "Bearer" || m["expires_in"] != float64(300) || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("token response %d %v", res.StatusCode, m)
		}
	})
}

func TestIssuanceWalletRefuses(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, nil)
	t.Run("metadata for another issuer", func(t *testing.T) {
		// A server whose metadata names the real issuer: an offer naming this server
		// must not be redeemed with the real issuer's endpoints.
		fake := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			md := f.issuer.Metadata()
			writeJSON(w, md)
		}))
		defer fake.Close()
		v, _ := vc.NewVerifier(f.policy)
		w, err := NewIssuanceWallet(IssuanceWalletOptions{HTTPClient: fake.Client(), Credentials: v, netguard: netguard.Options{AllowLoopback: true}})
		if err != nil {
			t.Fatal(err)
		}
		o := f.offer(t, nil).Offer
		o.CredentialIssuer = fake.URL
		_, err = w.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer})
		if !errors.Is(err, vc.ErrIssuerMismatch) {
			t.Fatalf("got %v, want ErrIssuerMismatch", err)
		}
	})
	strict := f.newWallet(t, f.policy, netguard.Options{})
	for _, tc := range []struct {
		name, invocation string
		want             error
	}{
		{"offer by reference on a private address", OfferURIInvocation("https://10.0.0.8/offers/1"), vc.ErrForbiddenAddress},
		{"offer by reference on loopback", OfferURIInvocation("https://127.0.0.1/offers/1"), vc.ErrForbiddenAddress},
		{"offer by reference on the metadata address", OfferURIInvocation("https://169.254.169.254/latest"), vc.ErrForbiddenAddress},
		{"offer by reference over http", OfferURIInvocation("http://issuer.example/offers/1"), vc.ErrInsecureURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := strict.ParseOffer(ctx, tc.invocation); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("issuer on a private address", func(t *testing.T) {
		o := f.offer(t, nil).Offer
		o.CredentialIssuer = "https://192.168.1.10"
		if _, err := strict.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer}); !errors.Is(err, vc.ErrForbiddenAddress) {
			t.Fatalf("got %v", err)
		}
		o.CredentialIssuer = f.srv.URL // loopback, refused without the test option
		if _, err := strict.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer}); !errors.Is(err, vc.ErrForbiddenAddress) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("tx_code needed, no callback", func(t *testing.T) {
		o := f.offer(t, &TxCode{}).Offer
		if _, err := f.wallet.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer}); !errors.Is(err, ErrInvalidOptions) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("wrong tx_code", func(t *testing.T) {
		o := f.offer(t, &TxCode{}).Offer
		_, err := f.wallet.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer, TxCode: func(context.Context, *TxCode) (string, error) { return "x", nil }})
		wantOAuth(t, err, ErrCodeInvalidGrant, ErrRejected)
	})
	t.Run("untrusted issuer", func(t *testing.T) {
		w := f.newWallet(t, vc.VerifierOptions{Clock: f.clock.now}, netguard.Options{AllowLoopback: true})
		o := f.offer(t, nil).Offer
		if _, err := w.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer}); !errors.Is(err, vc.ErrUntrustedIssuer) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("configuration not offered", func(t *testing.T) {
		o := f.offer(t, nil).Offer
		if _, err := f.wallet.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer, ConfigurationIDs: []string{"diploma"}}); !errors.Is(err, ErrInvalidOptions) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("credential bound to another key", func(t *testing.T) {
		bob := newParty(t, keys.Ed25519)
		vi, _ := vc.NewIssuer(f.cred.signer, f.cred.kid, vc.IssuerOptions{Clock: f.clock.now})
		cred, err := vi.IssueSDJWT(ctx, map[string]any{"given_name": "Bob"}, sdjwt.Frame{}, vc.SDJWTOptions{VCT: "urn:example:id:1", Holder: bob.signer.Public()})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := vc.NewVerifier(f.policy)
		ver, err := v.VerifyCredential(ctx, cred)
		if err != nil {
			t.Fatal(err)
		}
		md := f.issuer.Metadata()
		if err := checkReceived(ver, md.Configurations["pid"], f.alice.signer, f.alice.did); !errors.Is(err, vc.ErrHolderBinding) {
			t.Fatalf("got %v, want ErrHolderBinding", err)
		}
		if err := checkReceived(ver, md.Configurations["pid"], bob.signer, bob.did); err != nil {
			t.Fatal(err)
		}
		diploma, _ := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","` + examplesContext + `"],"type":["VerifiableCredential","DiplomaCredential"],"credentialSubject":{"id":"` + bob.did + `"}}`))
		dj, err := vi.Issue(ctx, diploma, vc.FormatJWT, vc.IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		dv, err := v.VerifyCredential(ctx, dj)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkReceived(dv, md.Configurations["diploma"], f.alice.signer, f.alice.did); !errors.Is(err, vc.ErrHolderBinding) {
			t.Fatalf("got %v, want ErrHolderBinding", err)
		}
		if err := checkReceived(dv, md.Configurations["pid"], bob.signer, bob.did); !errors.Is(err, vc.ErrUnsupportedFormat) {
			t.Fatalf("a vc+jwt for dc+sd-jwt: %v", err)
		}
	})
}

func TestParseOffer(t *testing.T) {
	for _, tc := range []struct {
		name, offer string
		want        error
	}{
		{"minimal", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"]}`, nil},
		{"unknown members ignored", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"x":1}`, nil},
		{"pre-authorized with tx_code", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"input_mode":"text","length":4,"description":"SMS"}}}}`, nil},
		{"http issuer", `{"credential_issuer":"http://i.example","credential_configuration_ids":["a"]}`, vc.ErrInsecureURL},
		{"issuer with query", `{"credential_issuer":"https://i.example?a=b","credential_configuration_ids":["a"]}`, vc.ErrInsecureURL},
		{"no configurations", `{"credential_issuer":"https://i.example","credential_configuration_ids":[]}`, ErrMalformed},
		{"repeated configuration", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a","a"]}`, ErrMalformed},
		{"empty code", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":""}}}`, ErrMalformed},
		{"bad input_mode", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"input_mode":"emoji"}}}}`, ErrMalformed},
		{"long description", `{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"description":"` + strings.Repeat("x", 301) + `"}}}}`, ErrMalformed},
		{"duplicate member", `{"credential_issuer":"https://i.example","credential_issuer":"https://j.example","credential_configuration_ids":["a"]}`, ErrMalformed},
		{"not an object", `["https://i.example"]`, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseOffer([]byte(tc.offer))
			if !errors.Is(err, tc.want) || (err == nil) != (o != nil) {
				t.Fatalf("got %v, %v; want %v", o, err, tc.want)
			}
			if err != nil {
				return
			}
			// Offers round-trip through their invocation URL.
			u, err := o.URL()
			if err != nil {
				t.Fatal(err)
			}
			back, ref, err := ParseOfferURL(u)
			if err != nil || ref != "" || back.CredentialIssuer != o.CredentialIssuer {
				t.Fatalf("round trip: %v %q %v", back, ref, err)
			}
		})
	}
	for _, inv := range []string{
		"openid-credential-offer://?x=1",
		"openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=https%3A%2F%2Fi.example",
		"openid-credential-offer://?credential_offer_uri=a&credential_offer_uri=b",
		"openid-credential-offer://?credential_offer=%zz",
	} {
		if _, _, err := ParseOfferURL(inv); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseOfferURL(%q) = %v, want ErrMalformed", inv, err)
		}
	}
	if _, _, err := ParseOfferURL(strings.Repeat("a", MaxOfferBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized offer: %v", err)
	}
}

// TestOmittedClaims: a claims callback may leave out a claim the configuration makes
// disclosable; the credential is issued without it.
func TestOmittedClaims(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, func(o *IssuerOptions) {
		o.Claims = func(context.Context, ClaimsRequest) (map[string]any, error) {
			return map[string]any{"given_name": "Alice", "nationalities": []any{"FR", "DE"}}, nil
		}
		o.Configurations["pid"] = CredentialConfiguration{Format: FormatSDJWTVC, VCT: "urn:example:id:1", Claims: []ClaimDescription{
			{Path: []any{"given_name"}, Disclosable: true}, {Path: []any{"birthdate"}, Disclosable: true},
			{Path: []any{"nationalities", nil}, Disclosable: true}, {Path: []any{"address", "locality"}, Disclosable: true},
		}}
	})
	o := f.offer(t, nil).Offer
	got, err := f.wallet.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer})
	if err != nil {
		t.Fatal(err)
	}
	if c := got[0].Verified.Claims(); c["given_name"] != "Alice" || c["birthdate"] != nil {
		t.Fatalf("claims %v", c)
	}
	for _, tc := range []struct {
		path []any
		want bool
	}{
		{[]any{"a"}, true}, {[]any{"b"}, false}, {[]any{"l", 1}, true}, {[]any{"l", 2}, false}, {[]any{"l", nil}, true},
		{[]any{"e", nil}, false}, {[]any{"a", "x"}, false}, {[]any{"l", float64(0)}, true}, {[]any{"l", -1}, false},
	} {
		v := map[string]any{"a": "x", "l": []any{"p", "q"}, "e": []any{}}
		if got := hasPath(v, tc.path); got != tc.want {
			t.Errorf("hasPath(%v) = %v", tc.path, got)
		}
	}
}

// TestAuthorizationDetails: authorization_details in a token request narrow the
// token, the response names credential identifiers, and credential requests must use
// them (§6.2, §8.2).
func TestAuthorizationDetails(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, nil)
	o := f.offer(t, nil, "pid", "diploma")
	form := tokenForm(o)
	form.Set("authorization_details", `[{"type":"openid_credential","credential_configuration_id":"ldp"}]`)
	_, err := f.issuer.Token(ctx, form)
	wantOAuth(t, err, "invalid_authorization_details", ErrMalformed)
	form.Set("authorization_details", `[{"type":"openid_credential","credential_configuration_id":"pid"}]`)
	res, err := f.issuer.Token(ctx, form) // the refused request did not spend the code
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AuthorizationDetails) != 1 || res.AuthorizationDetails[0].ConfigurationID != "pid" || res.AuthorizationDetails[0].CredentialIdentifiers[0] != "pid" {
		t.Fatalf("authorization details %+v", res.AuthorizationDetails)
	}
	proof := func() string { return f.proofJWT(t, f.alice.signer, f.nonce(t), nil) }
	_, err = f.issuer.Credential(ctx, res.AccessToken, credentialBody("pid", proof()))
	wantOAuth(t, err, ErrCodeInvalidCredentialRequest, ErrMalformed)
	_, err = f.issuer.Credential(ctx, res.AccessToken, []byte(`{"credential_identifier":"diploma","proofs":{"jwt":["`+proof()+`"]}}`))
	wantOAuth(t, err, ErrCodeUnknownCredentialIdentifier, ErrNotFound)
	if _, err := f.issuer.Credential(ctx, res.AccessToken, []byte(`{"credential_identifier":"pid","proofs":{"jwt":["`+proof()+`"]}}`)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`[]`, `[{"type":"x","credential_configuration_id":"pid"}]`, `[{"type":"openid_credential","credential_configuration_id":"pid"},{"type":"openid_credential","credential_configuration_id":"pid"}]`, `{}`} {
		form := tokenForm(f.offer(t, nil))
		form.Set("authorization_details", bad)
		_, err := f.issuer.Token(ctx, form)
		wantOAuth(t, err, "invalid_authorization_details", ErrMalformed)
	}
}

// flakyNonces refuses the first c_nonce it is asked to spend, as if it had gone stale.
type flakyNonces struct {
	*MemoryIssuanceStore
	mu      sync.Mutex
	refused bool
}

func (s *flakyNonces) UseNonce(ctx context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.refused {
		s.refused = true
		return ErrNotFound
	}
	return s.MemoryIssuanceStore.UseNonce(ctx, key)
}

// TestWalletRetriesInvalidNonce: after invalid_nonce the wallet fetches a new c_nonce
// and tries once more (§8.3.1.2).
func TestWalletRetriesInvalidNonce(t *testing.T) {
	f := newVCIFixture(t, func(o *IssuerOptions) { o.Store = &flakyNonces{MemoryIssuanceStore: NewMemoryIssuanceStore(0, clock)} })
	o := f.offer(t, nil).Offer
	if _, err := f.wallet.Receive(context.Background(), &o, ReceiveOptions{Holder: f.alice.signer}); err != nil {
		t.Fatal(err)
	}
}
