package openid4vp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

type party struct {
	signer   keys.Signer
	did, kid string
}

func newParty(t testing.TB, kt keys.KeyType) party {
	t.Helper()
	s, err := keys.Generate(kt)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return party{s, id, id + "#" + strings.TrimPrefix(id, "did:key:")}
}

const ageQuery = `{"credentials":[{"id":"age","format":"dc+sd-jwt","meta":{"vct_values":["urn:example:id:1"]},"claims":[{"path":["age_equal_or_over","18"]}]}]}`

// fixture is an issuer, a holder with a wallet of one SD-JWT VC identity credential and
// one vc+jwt diploma, and a verifier policy trusting the issuer.
type fixture struct {
	iss, alice party
	holder     *presentation.Holder
	held       map[string][]byte
	policy     vc.VerifierOptions
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{iss: newParty(t, keys.Ed25519), alice: newParty(t, keys.P256)}
	i, err := vc.NewIssuer(f.iss.signer, f.iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	age, ageFrame, err := sdjwt.AgeEqualOrOver(time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC), now, 18, 21)
	if err != nil {
		t.Fatal(err)
	}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"birthdate"})
	if err != nil {
		t.Fatal(err)
	}
	frame.Members["age_equal_or_over"] = ageFrame
	id, err := i.IssueSDJWT(context.Background(), map[string]any{"given_name": "Alice", "birthdate": "2001-04-12", "age_equal_or_over": age}, frame,
		vc.SDJWTOptions{VCT: "urn:example:id:1", Holder: f.alice.signer.Public()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
		`"type":["VerifiableCredential","DiplomaCredential"],"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"` + f.alice.did + `","degree":"BSc"}}`))
	if err != nil {
		t.Fatal(err)
	}
	diploma, err := i.Issue(context.Background(), c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f.held = map[string][]byte{"id": id, "diploma": diploma}
	if f.holder, err = presentation.NewHolder(f.alice.signer, f.alice.kid, presentation.HolderOptions{Clock: clock}); err != nil {
		t.Fatal(err)
	}
	tl, err := vc.NewTrustList(vc.TrustedIssuer{ID: f.iss.did})
	if err != nil {
		t.Fatal(err)
	}
	f.policy = vc.VerifierOptions{Trust: tl}
	return f
}

func approve(got *[]Share) ConsentFunc {
	return func(_ context.Context, _ string, s []Share) (bool, error) {
		*got = s
		return true, nil
	}
}

// verifierServer runs v's handlers on an httptest TLS server at /request/ and /response.
func verifierServer(t *testing.T, v **Verifier) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/request/", func(w http.ResponseWriter, r *http.Request) { (*v).RequestHandler().ServeHTTP(w, r) })
	mux.HandleFunc("/response", func(w http.ResponseWriter, r *http.Request) { (*v).ResponseHandler().ServeHTTP(w, r) })
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFlowDIDOverHTTP(t *testing.T) {
	for _, mode := range []string{ResponseModeDirectPostJWT, ResponseModeDirectPost} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t)
			shop := newParty(t, keys.Ed25519)
			var v *Verifier
			srv := verifierServer(t, &v)
			var err error
			v, err = NewVerifier(VerifierOptions{
				ClientID: PrefixDID + ":" + shop.did, ResponseURI: srv.URL + "/response", RequestURI: srv.URL + "/request/",
				Signer: shop.signer, KeyID: shop.kid, ResponseMode: mode, Credentials: f.policy, Clock: clock,
			})
			if err != nil {
				t.Fatal(err)
			}
			req, err := v.NewRequest(ctx, []byte(ageQuery))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Result(ctx, req.State); !errors.Is(err, ErrPending) {
				t.Fatalf("before the response: %v, want ErrPending", err)
			}
			w, err := NewWallet(WalletOptions{HTTPClient: srv.Client(), Clock: clock, netguard: netguard.Options{AllowLoopback: true}})
			if err != nil {
				t.Fatal(err)
			}
			in, err := w.ParseRequest(ctx, req.URL)
			if err != nil {
				t.Fatal(err)
			}
			if in.Verifier != PrefixDID+":"+shop.did {
				t.Fatalf("verifier %s", in.Verifier)
			}
			var shares []Share
			resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&shares))
			if err != nil {
				t.Fatal(err)
			}
			if len(shares) != 1 || shares[0].CredentialID != "id" || fmt.Sprint(shares[0].Claims) != "[[age_equal_or_over 18]]" || shares[0].Whole {
				t.Fatalf("consent was asked for %+v", shares)
			}
			if mode == ResponseModeDirectPostJWT && (strings.Contains(string(resp.Body), "vp_token") || !strings.HasPrefix(string(resp.Body), "response=")) {
				t.Fatalf("direct_post.jwt body is not encrypted: %.80s", resp.Body)
			}
			res, err := v.Result(ctx, req.State)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Credentials["age"]
			if len(got) != 1 || got[0].Format != "dc+sd-jwt" || got[0].Issuer != f.iss.did || got[0].Holder != "" && got[0].Holder == "x" {
				t.Fatalf("result %+v", res)
			}
			claims := got[0].Claims
			if fmt.Sprint(claims["age_equal_or_over"]) != "map[18:true]" || claims["birthdate"] != nil || claims["given_name"] != nil {
				t.Fatalf("the verifier learned %v", claims)
			}
			// The same response again is a replay; the request object is gone.
			if _, err := v.HandleResponse(ctx, resp.Body); !errors.Is(err, ErrReplay) {
				t.Fatalf("second response: %v, want ErrReplay", err)
			}
			if r, err := srv.Client().Get(srv.URL + "/request/" + req.State); err != nil || r.StatusCode != http.StatusNotFound {
				t.Fatalf("request object after the response: %v %v", r.StatusCode, err)
			}
		})
	}
}

// testCA makes a root and a leaf for dnsName; it returns the root pool, the leaf's
// signer and the x5c chain.
func testCA(t testing.TB, dnsName string) (*x509.CertPool, keys.Signer, []string) {
	t.Helper()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test Root"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := x509.ParseCertificate(rootDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: dnsName}, DNSNames: []string{dnsName},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, &leafKey.PublicKey, rootKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(root)
	s, err := keys.SignerFor(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	return pool, s, []string{base64.StdEncoding.EncodeToString(leafDER)}
}

func x509Verifier(t testing.TB, f *fixture, signer keys.Signer, x5c []string, o VerifierOptions) *Verifier {
	t.Helper()
	o.ClientID, o.ResponseURI, o.Signer, o.X5C, o.ByValue, o.Credentials, o.Clock = PrefixX509SANDNS+":verifier.example", "https://verifier.example/openid4vp/response", signer, x5c, true, f.policy, clock
	v, err := NewVerifier(o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFlowX509ByValue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	roots, signer, x5c := testCA(t, "verifier.example")
	v := x509Verifier(t, f, signer, x5c, VerifierOptions{Enc: "A256GCM"})
	req, err := v.NewRequest(ctx, []byte(ageQuery))
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWallet(WalletOptions{Roots: roots, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.ParseRequest(ctx, req.URL)
	if err != nil {
		t.Fatal(err)
	}
	var shares []Share
	resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&shares))
	if err != nil {
		t.Fatal(err)
	}
	if resp.URI != "https://verifier.example/openid4vp/response" {
		t.Fatalf("response URI %s", resp.URI)
	}
	if _, err := v.HandleResponse(ctx, resp.Body); err != nil {
		t.Fatal(err)
	}
	res, err := v.Result(ctx, req.State)
	if err != nil || res.Credentials["age"][0].Claims["birthdate"] != nil {
		t.Fatalf("result %+v, %v", res, err)
	}
	// Wallets that do not trust the root, or find another name, refuse.
	otherRoots, _, _ := testCA(t, "verifier.example")
	w2, _ := NewWallet(WalletOptions{Roots: otherRoots, Clock: clock})
	if _, err := w2.ParseRequest(ctx, req.URL); !errors.Is(err, ErrUntrustedVerifier) {
		t.Fatalf("unknown root: %v", err)
	}
	w3, _ := NewWallet(WalletOptions{Clock: clock})
	if _, err := w3.ParseRequest(ctx, req.URL); !errors.Is(err, ErrUntrustedVerifier) {
		t.Fatalf("no roots: %v", err)
	}
	_, evilSigner, evilX5C := testCA(t, "evil.example")
	evil := x509Verifier(t, f, evilSigner, evilX5C, VerifierOptions{})
	evilReq, _ := evil.NewRequest(ctx, []byte(ageQuery))
	if _, err := w.ParseRequest(ctx, evilReq.URL); !errors.Is(err, ErrUntrustedVerifier) {
		t.Fatalf("certificate of another name: %v", err)
	}
}

func TestAttacks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	roots, signer, x5c := testCA(t, "verifier.example")
	w, err := NewWallet(WalletOptions{Roots: roots, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	respond := func(t *testing.T, v *Verifier, edit func(*IncomingRequest)) (*Request, *Response) {
		t.Helper()
		req, err := v.NewRequest(ctx, []byte(ageQuery))
		if err != nil {
			t.Fatal(err)
		}
		in, err := w.ParseRequest(ctx, req.URL)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			edit(in)
		}
		var shares []Share
		resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&shares))
		if err != nil {
			t.Fatal(err)
		}
		return req, resp
	}
	plain := x509Verifier(t, f, signer, x5c, VerifierOptions{ResponseMode: ResponseModeDirectPost})
	enc := x509Verifier(t, f, signer, x5c, VerifierOptions{})

	t.Run("wrong nonce", func(t *testing.T) {
		_, resp := respond(t, plain, func(in *IncomingRequest) { in.Nonce = "another-nonce-of-enough-length" })
		if _, err := plain.HandleResponse(ctx, resp.Body); !errors.Is(err, vc.ErrNonceMismatch) {
			t.Fatalf("%v, want ErrNonceMismatch", err)
		}
	})
	t.Run("response for another request", func(t *testing.T) {
		_, resp := respond(t, plain, nil)
		other, _ := plain.NewRequest(ctx, []byte(ageQuery))
		form, _ := url.ParseQuery(string(resp.Body))
		form.Set("state", other.State)
		if _, err := plain.HandleResponse(ctx, []byte(form.Encode())); !errors.Is(err, vc.ErrNonceMismatch) {
			t.Fatalf("%v, want ErrNonceMismatch", err)
		}
	})
	t.Run("unknown state", func(t *testing.T) {
		_, resp := respond(t, plain, nil)
		form, _ := url.ParseQuery(string(resp.Body))
		form.Set("state", "nope")
		if _, err := plain.HandleResponse(ctx, []byte(form.Encode())); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v, want ErrNotFound", err)
		}
	})
	t.Run("audience of another verifier", func(t *testing.T) {
		_, resp := respond(t, plain, func(in *IncomingRequest) { in.ClientID = "x509_san_dns:other.example" })
		if _, err := plain.HandleResponse(ctx, resp.Body); !errors.Is(err, vc.ErrAudienceMismatch) {
			t.Fatalf("%v, want ErrAudienceMismatch", err)
		}
	})
	t.Run("unencrypted where direct_post.jwt was asked", func(t *testing.T) {
		req, resp := respond(t, plain, nil)
		_ = req
		encReq, _ := enc.NewRequest(ctx, []byte(ageQuery))
		form, _ := url.ParseQuery(string(resp.Body))
		form.Set("state", encReq.State)
		if _, err := enc.HandleResponse(ctx, []byte(form.Encode())); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%v, want ErrMalformed", err)
		}
	})
	t.Run("encrypted to another request's key", func(t *testing.T) {
		_, resp := respond(t, enc, nil)
		form, _ := url.ParseQuery(string(resp.Body))
		jwe := form.Get("response")
		other, _ := enc.NewRequest(ctx, []byte(ageQuery))
		// Relabel the JWE's kid with the other request's state: the header is
		// authenticated, so decryption with the other request's key fails.
		head, rest, _ := strings.Cut(jwe, ".")
		hj, _ := b64.DecodeString(head)
		hj2 := strings.Replace(string(hj), kidOf(t, jwe), other.State, 1)
		form.Set("response", b64.EncodeToString([]byte(hj2))+"."+rest)
		if _, err := enc.HandleResponse(ctx, []byte(form.Encode())); !errors.Is(err, vc.ErrInvalidSignature) {
			t.Fatalf("%v, want ErrInvalidSignature", err)
		}
	})
	t.Run("oversized response", func(t *testing.T) {
		small := x509Verifier(t, f, signer, x5c, VerifierOptions{ResponseMode: ResponseModeDirectPost, MaxResponseBytes: 200})
		_, resp := respond(t, small, nil)
		if _, err := small.HandleResponse(ctx, resp.Body); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%v, want ErrTooLarge", err)
		}
	})
	t.Run("presentation the query did not ask for", func(t *testing.T) {
		_, resp := respond(t, plain, nil)
		form, _ := url.ParseQuery(string(resp.Body))
		form.Set("vp_token", strings.Replace(form.Get("vp_token"), `"age"`, `"other"`, 1))
		if _, err := plain.HandleResponse(ctx, []byte(form.Encode())); !errors.Is(err, ErrMalformed) {
			t.Fatalf("%v, want ErrMalformed", err)
		}
	})
	t.Run("empty vp_token does not satisfy the query", func(t *testing.T) {
		req, _ := plain.NewRequest(ctx, []byte(ageQuery))
		body := url.Values{"state": {req.State}, "vp_token": {"{}"}}.Encode()
		if _, err := plain.HandleResponse(ctx, []byte(body)); !errors.Is(err, ErrNoMatch) {
			t.Fatalf("%v, want ErrNoMatch", err)
		}
	})
	t.Run("expired request", func(t *testing.T) {
		later := now
		v, err := NewVerifier(VerifierOptions{ClientID: PrefixX509SANDNS + ":verifier.example", ResponseURI: "https://verifier.example/r",
			Signer: signer, X5C: x5c, ByValue: true, ResponseMode: ResponseModeDirectPost, Credentials: f.policy, Clock: func() time.Time { return later }})
		if err != nil {
			t.Fatal(err)
		}
		_, resp := respond(t, v, nil)
		later = now.Add(10 * time.Minute)
		if _, err := v.HandleResponse(ctx, resp.Body); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v, want ErrNotFound", err)
		}
	})
	t.Run("consent denied", func(t *testing.T) {
		req, _ := plain.NewRequest(ctx, []byte(ageQuery))
		in, err := w.ParseRequest(ctx, req.URL)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.Respond(ctx, in, f.holder, f.held, func(context.Context, string, []Share) (bool, error) { return false, nil })
		if !errors.Is(err, ErrConsentDenied) {
			t.Fatalf("%v, want ErrConsentDenied", err)
		}
	})
	t.Run("no matching credential", func(t *testing.T) {
		req, _ := plain.NewRequest(ctx, []byte(`{"credentials":[{"id":"pid","format":"dc+sd-jwt","meta":{"vct_values":["urn:other"]}}]}`))
		in, _ := w.ParseRequest(ctx, req.URL)
		var s []Share
		if _, err := w.Respond(ctx, in, f.holder, f.held, approve(&s)); !errors.Is(err, ErrNoMatch) {
			t.Fatalf("%v, want ErrNoMatch", err)
		}
	})
}

func kidOf(t *testing.T, jwe string) string {
	t.Helper()
	k, err := jweKid([]byte(jwe))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestWalletRefusesRequests(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	shop, mallory := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	w, err := NewWallet(WalletOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	didVerifier := func(t *testing.T, clientDID string, s party) *Verifier {
		v, err := NewVerifier(VerifierOptions{ClientID: PrefixDID + ":" + clientDID, ResponseURI: "https://shop.example/r", Signer: s.signer, KeyID: s.kid,
			ByValue: true, Credentials: f.policy, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	good, _ := didVerifier(t, shop.did, shop).NewRequest(ctx, []byte(ageQuery))
	if _, err := w.ParseRequest(ctx, good.URL); err != nil {
		t.Fatalf("a good request: %v", err)
	}
	u, _ := url.Parse(good.URL)
	q := u.Query()
	reqObj := q.Get("request")
	with := func(edit func(q url.Values)) string {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = append([]string(nil), v...)
		}
		edit(q2)
		return "openid4vp://?" + q2.Encode()
	}
	// mallory signs a request claiming to be the shop.
	spoof, err := NewVerifier(VerifierOptions{ClientID: PrefixDID + ":" + mallory.did, ResponseURI: "https://evil.example/r", Signer: mallory.signer, KeyID: mallory.kid,
		ByValue: true, Credentials: f.policy, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	spoofReq, _ := spoof.NewRequest(ctx, []byte(ageQuery))
	su, _ := url.Parse(spoofReq.URL)
	redirect := url.Values{"client_id": {"redirect_uri:https://shop.example/cb"}, "response_type": {"vp_token"}, "response_mode": {"direct_post"},
		"response_uri": {"https://shop.example/cb"}, "nonce": {"n-0S6_WzA2Mj-long-enough"}, "dcql_query": {ageQuery}}
	for _, tc := range []struct {
		name string
		url  string
		w    *Wallet
		err  error
	}{
		{"unsigned request for a signed prefix", with(func(q url.Values) {
			q.Del("request")
			q.Set("response_type", "vp_token")
			q.Set("response_mode", "direct_post")
			q.Set("response_uri", "https://shop.example/r")
			q.Set("nonce", "n-0S6_WzA2Mj-long-enough")
			q.Set("dcql_query", ageQuery)
		}), w, ErrUntrustedVerifier},
		{"client_id spoofing: invocation names the shop, object is mallory's", with(func(q url.Values) { q.Set("request", su.Query().Get("request")) }), w, ErrUntrustedVerifier},
		{"request object signature broken", with(func(q url.Values) { q.Set("request", reqObj[:len(reqObj)-4]+"AAAA") }), w, ErrInvalidSignature},
		{"no client identifier prefix", with(func(q url.Values) { q.Set("client_id", "shop") }), w, ErrUntrustedVerifier},
		{"origin prefix", with(func(q url.Values) { q.Set("client_id", "origin:https://shop.example") }), w, ErrUntrustedVerifier},
		{"redirect_uri not allowed by default", "openid4vp://?" + redirect.Encode(), w, ErrUntrustedVerifier},
		{"transaction_data", with(func(q url.Values) { q.Set("transaction_data", "[]") }), w, ErrMalformed},
		{"request and request_uri", with(func(q url.Values) { q.Set("request_uri", "https://shop.example/req") }), w, ErrMalformed},
		{"request_uri without a client", with(func(q url.Values) { q.Del("request"); q.Set("request_uri", "https://shop.example/req") }), w, ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.w.ParseRequest(ctx, tc.url); !errors.Is(err, tc.err) {
				t.Fatalf("%v, want %v", err, tc.err)
			}
		})
	}
	// redirect_uri when allowed: the response URI must be the client identifier, and no
	// private address is posted to.
	open, _ := NewWallet(WalletOptions{AllowRedirectURI: true, Clock: clock})
	if _, err := open.ParseRequest(ctx, "openid4vp://?"+redirect.Encode()); err != nil {
		t.Fatalf("allowed redirect_uri: %v", err)
	}
	redirect.Set("response_uri", "https://evil.example/cb")
	if _, err := open.ParseRequest(ctx, "openid4vp://?"+redirect.Encode()); !errors.Is(err, ErrUntrustedVerifier) {
		t.Fatalf("redirect_uri with another response URI: %v", err)
	}
	guarded, _ := NewWallet(WalletOptions{AllowRedirectURI: true, HTTPClient: http.DefaultClient, Clock: clock})
	redirect.Set("client_id", "redirect_uri:https://10.0.0.7/cb")
	redirect.Set("response_uri", "https://10.0.0.7/cb")
	if _, err := guarded.ParseRequest(ctx, "openid4vp://?"+redirect.Encode()); !errors.Is(err, vc.ErrForbiddenAddress) {
		t.Fatalf("response URI at a private address: %v", err)
	}
	// A request_uri on a private address is never fetched.
	priv := with(func(q url.Values) { q.Del("request"); q.Set("request_uri", "https://192.168.0.1/req") })
	if _, err := guarded.ParseRequest(ctx, priv); !errors.Is(err, vc.ErrForbiddenAddress) {
		t.Fatalf("request_uri at a private address: %v", err)
	}
}

func TestNewVerifierOptions(t *testing.T) {
	f := newFixture(t)
	shop := newParty(t, keys.Ed25519)
	for name, o := range map[string]VerifierOptions{
		"no prefix":                      {ClientID: "shop", ResponseURI: "https://shop.example/r"},
		"http response URI":              {ClientID: "redirect_uri:http://shop.example/r", ResponseURI: "http://shop.example/r"},
		"redirect_uri with another URI":  {ClientID: "redirect_uri:https://shop.example/a", ResponseURI: "https://shop.example/r"},
		"redirect_uri signed":            {ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r", Signer: shop.signer},
		"did without signer":             {ClientID: PrefixDID + ":" + shop.did, ResponseURI: "https://shop.example/r", ByValue: true},
		"did with a key of another DID":  {ClientID: PrefixDID + ":did:example:other", ResponseURI: "https://shop.example/r", Signer: shop.signer, KeyID: shop.kid, ByValue: true},
		"x509 without chain":             {ClientID: PrefixX509SANDNS + ":shop.example", ResponseURI: "https://shop.example/r", Signer: shop.signer, ByValue: true},
		"x509 response on another host":  {ClientID: PrefixX509SANDNS + ":shop.example", ResponseURI: "https://cdn.example/r", Signer: shop.signer, X5C: []string{"AA=="}, ByValue: true},
		"replay store given":             {ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r", Credentials: vc.VerifierOptions{Trust: f.policy.Trust, Replay: vc.NewMemoryReplayStore(0, nil)}},
		"unknown response mode":          {ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r", ResponseMode: "fragment"},
		"A128CBC-HS256":                  {ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r", Enc: "A128CBC-HS256"},
		"by reference without a request": {ClientID: PrefixDID + ":" + shop.did, ResponseURI: "https://shop.example/r", Signer: shop.signer, KeyID: shop.kid},
	} {
		if name != "replay store given" {
			o.Credentials = f.policy
		}
		if _, err := NewVerifier(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%s: %v, want ErrInvalidOptions", name, err)
		}
	}
	v, err := NewVerifier(VerifierOptions{ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r", Credentials: f.policy, ResponseMode: ResponseModeDirectPost})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.NewRequest(context.Background(), []byte(`{"credentials":[]}`)); err == nil {
		t.Error("an invalid DCQL query became a request")
	}
}

// TestPlanAndDecline: a wallet shows the plan first, then declines; the verifier's
// Result reports the refusal, and the request cannot be answered afterwards.
func TestPlanAndDecline(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	roots, signer, x5c := testCA(t, "verifier.example")
	v := x509Verifier(t, f, signer, x5c, VerifierOptions{})
	w, err := NewWallet(WalletOptions{Roots: roots, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	req, err := v.NewRequest(ctx, []byte(ageQuery))
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.ParseRequest(ctx, req.URL)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.Plan(ctx, in, f.held)
	if err != nil || len(plan) != 1 || fmt.Sprint(plan[0].Claims) != "[[age_equal_or_over 18]]" {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	var shares []Share
	resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&shares))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(shares) != fmt.Sprint(plan) {
		t.Fatalf("Respond shared %+v, the plan said %+v", shares, plan)
	}
	_ = resp
	// A second request, declined.
	req2, _ := v.NewRequest(ctx, []byte(ageQuery))
	in2, err := w.ParseRequest(ctx, req2.URL)
	if err != nil {
		t.Fatal(err)
	}
	no, err := w.Decline(ctx, in2, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.HandleResponse(ctx, no.Body); err != nil {
		t.Fatalf("error response: %v", err)
	}
	if _, err := v.Result(ctx, req2.State); !errors.Is(err, ErrConsentDenied) {
		t.Fatalf("Result after a refusal: %v, want ErrConsentDenied", err)
	}
	yes, err := w.Respond(ctx, in2, f.holder, f.held, approve(&shares))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.HandleResponse(ctx, yes.Body); !errors.Is(err, ErrReplay) {
		t.Fatalf("answer after a refusal: %v, want ErrReplay", err)
	}
	if _, err := w.Decline(ctx, in2, "bad code"); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("bad error code: %v", err)
	}
	if _, err := w.Plan(ctx, nil, f.held); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("Plan without a request: %v", err)
	}
}

// TestSameDeviceRedirect: the verifier returns a redirect URI with a response_code; only
// that code reads the outcome, and a redirect to a private address is not followed.
func TestSameDeviceRedirect(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	shop := newParty(t, keys.Ed25519)
	for _, tc := range []struct {
		name, redirect string
		err            error
	}{
		{"public front end", "https://shop.example/done", nil},
		{"private address", "https://10.0.0.7/done", vc.ErrForbiddenAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verifier
			srv := verifierServer(t, &v)
			var err error
			v, err = NewVerifier(VerifierOptions{
				ClientID: PrefixDID + ":" + shop.did, ResponseURI: srv.URL + "/response", RequestURI: srv.URL + "/request/",
				Signer: shop.signer, KeyID: shop.kid, RedirectURI: tc.redirect, Credentials: f.policy, Clock: clock,
			})
			if err != nil {
				t.Fatal(err)
			}
			req, err := v.NewRequest(ctx, []byte(ageQuery))
			if err != nil {
				t.Fatal(err)
			}
			w, err := NewWallet(WalletOptions{HTTPClient: srv.Client(), Clock: clock, netguard: netguard.Options{AllowLoopback: true}})
			if err != nil {
				t.Fatal(err)
			}
			in, err := w.ParseRequest(ctx, req.URL)
			if err != nil {
				t.Fatal(err)
			}
			var shares []Share
			resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&shares))
			if tc.err != nil {
				if !errors.Is(err, tc.err) || resp == nil || resp.RedirectURI != "" {
					t.Fatalf("Respond: %v, redirect %q; want %v and no redirect", err, resp.RedirectURI, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			prefix := tc.redirect + "#response_code="
			if !strings.HasPrefix(resp.RedirectURI, prefix) {
				t.Fatalf("redirect %q", resp.RedirectURI)
			}
			code := strings.TrimPrefix(resp.RedirectURI, prefix)
			if _, err := v.ResultFor(ctx, req.State, "another-code"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("ResultFor with another code: %v, want ErrNotFound", err)
			}
			res, err := v.ResultFor(ctx, req.State, code)
			if err != nil || len(res.Credentials["age"]) != 1 {
				t.Fatalf("ResultFor: %+v, %v", res, err)
			}
		})
	}
	if _, err := NewVerifier(VerifierOptions{ClientID: "redirect_uri:https://shop.example/r", ResponseURI: "https://shop.example/r",
		RedirectURI: "http://shop.example/done", Credentials: f.policy}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("http redirect URI: %v", err)
	}
}
