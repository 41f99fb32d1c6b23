package openid4vp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

const examplesContext = "https://www.w3.org/ns/credentials/examples/v2"

// testConfigurations are the credentials the test issuer offers: an SD-JWT VC identity
// credential (the vct ageQuery asks for), and a diploma as jwt_vc_json and as ldp_vc.
func testConfigurations() map[string]CredentialConfiguration {
	return map[string]CredentialConfiguration{
		"pid": {Format: FormatSDJWTVC, VCT: "urn:example:id:1", Validity: 24 * time.Hour,
			Display: []CredentialDisplay{{Name: "Identity", Locale: "en"}},
			Claims: []ClaimDescription{
				{Path: []any{"given_name"}, Display: []ClaimDisplay{{Name: "Given name", Locale: "en"}}, Disclosable: true},
				{Path: []any{"birthdate"}, Display: []ClaimDisplay{{Name: "Date of birth", Locale: "en"}}, Disclosable: true},
				{Path: []any{"age_equal_or_over", "18"}, Display: []ClaimDisplay{{Name: "Over 18", Locale: "en"}}, Disclosable: true},
			}},
		"diploma": {Format: FormatJWTVCJSON, Types: []string{"DiplomaCredential"}, Contexts: []string{examplesContext},
			Claims: []ClaimDescription{{Path: []any{"credentialSubject", "degree"}, Display: []ClaimDisplay{{Name: "Degree"}}}}},
		"diploma_ldp": {Format: FormatLDPVC, Types: []string{"DiplomaCredential"}, Contexts: []string{examplesContext}},
	}
}

func testClaims(_ context.Context, req ClaimsRequest) (map[string]any, error) {
	if req.OfferID == "refused" {
		return nil, errors.New("the applicant's file is closed: secret reason")
	}
	switch req.ConfigurationID {
	case "pid":
		return map[string]any{"given_name": "Alice", "birthdate": "2001-04-12", "age_equal_or_over": map[string]any{"18": true}}, nil
	default:
		return map[string]any{"degree": "BSc"}, nil
	}
}

// vciFixture is an issuer on an httptest TLS server, and a wallet for Alice that
// trusts it.
type vciFixture struct {
	cred, alice party
	clock       *testClock
	srv         *httptest.Server
	issuer      *Issuer
	wallet      *IssuanceWallet
	policy      vc.VerifierOptions
}

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newVCIFixture(t testing.TB, edit func(*IssuerOptions)) *vciFixture {
	t.Helper()
	f := &vciFixture{cred: newParty(t, keys.Ed25519), alice: newParty(t, keys.P256), clock: &testClock{t: now}}
	var h http.Handler
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(f.srv.Close)
	vi, err := vc.NewIssuer(f.cred.signer, f.cred.kid, vc.IssuerOptions{Clock: f.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	o := IssuerOptions{Identifier: f.srv.URL, Issuer: vi, Configurations: testConfigurations(), Claims: testClaims, Clock: f.clock.now}
	if edit != nil {
		edit(&o)
	}
	if f.issuer, err = NewIssuer(o); err != nil {
		t.Fatal(err)
	}
	h = f.issuer.Handler()
	tl, err := vc.NewTrustList(vc.TrustedIssuer{ID: f.cred.did})
	if err != nil {
		t.Fatal(err)
	}
	f.policy = vc.VerifierOptions{Trust: tl, Clock: f.clock.now}
	f.wallet = f.newWallet(t, f.policy, netguard.Options{AllowLoopback: true})
	return f
}

func (f *vciFixture) newWallet(t testing.TB, policy vc.VerifierOptions, ng netguard.Options) *IssuanceWallet {
	t.Helper()
	v, err := vc.NewVerifier(policy)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewIssuanceWallet(IssuanceWalletOptions{HTTPClient: f.srv.Client(), Credentials: v, Clock: f.clock.now, netguard: ng})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestIssuanceFlows(t *testing.T) {
	for _, tc := range []struct {
		config   string
		byRef    bool
		txCode   *TxCode
		kid      bool
		wantType string
	}{
		{config: "pid"},
		{config: "pid", byRef: true, txCode: &TxCode{Description: "sent by SMS"}},
		{config: "pid", kid: true, txCode: &TxCode{InputMode: TxCodeText, Length: 8}},
		{config: "diploma", kid: true},
		{config: "diploma", byRef: true},
		{config: "diploma_ldp", kid: true, txCode: &TxCode{}},
	} {
		t.Run(fmt.Sprintf("%s/ref=%v/tx=%v/kid=%v", tc.config, tc.byRef, tc.txCode != nil, tc.kid), func(t *testing.T) {
			ctx := context.Background()
			f := newVCIFixture(t, nil)
			offer, err := f.issuer.NewOffer(ctx, OfferOptions{OfferID: "app-1", ConfigurationIDs: []string{tc.config}, TxCode: tc.txCode, ByReference: tc.byRef})
			if err != nil {
				t.Fatal(err)
			}
			if tc.byRef != strings.Contains(offer.URL, "credential_offer_uri=") || !strings.HasPrefix(offer.URL, CredentialOfferScheme+"?") {
				t.Fatalf("offer URL %s", offer.URL)
			}
			if (tc.txCode != nil) != (offer.TxCode != "") || strings.Contains(offer.URL, offer.TxCode) && offer.TxCode != "" {
				t.Fatalf("tx code %q in offer %s", offer.TxCode, offer.URL)
			}
			parsed, err := f.wallet.ParseOffer(ctx, offer.URL)
			if err != nil {
				t.Fatal(err)
			}
			var asked *TxCode
			o := ReceiveOptions{Holder: f.alice.signer, TxCode: func(_ context.Context, t *TxCode) (string, error) { asked = t; return offer.TxCode, nil }}
			if tc.kid {
				o.KeyID = f.alice.kid
			}
			got, err := f.wallet.Receive(ctx, parsed, o)
			if err != nil {
				t.Fatal(err)
			}
			if (asked != nil) != (tc.txCode != nil) || asked != nil && asked.Description != tc.txCode.Description {
				t.Fatalf("the wallet asked for a tx code: %+v", asked)
			}
			if len(got) != 1 || got[0].ConfigurationID != tc.config || got[0].Verified.Issuer() != f.cred.did {
				t.Fatalf("received %+v", got)
			}
			v := got[0].Verified
			claims := v.Claims()
			switch tc.config {
			case "pid":
				if !keys.Equal(v.Holder(), f.alice.signer.Public()) || claims["given_name"] != "Alice" || v.ValidUntil() == nil {
					t.Fatalf("pid claims %v", claims)
				}
			default:
				want := f.alice.did
				if !tc.kid {
					want = mustDIDJWK(t, f.alice.signer)
				}
				if subj := v.Subjects(); len(subj) != 1 || subj[0] != want {
					t.Fatalf("subjects %v, want %s", subj, want)
				}
			}
			// The code is spent: the same offer cannot be redeemed again.
			if _, err := f.wallet.Receive(ctx, parsed, o); !errors.Is(err, ErrRejected) {
				t.Fatalf("second redemption: %v, want ErrRejected", err)
			}
		})
	}
}

func mustDIDJWK(t testing.TB, s keys.Signer) string {
	t.Helper()
	w := &IssuanceWallet{}
	d, err := w.holderDID(ReceiveOptions{Holder: s})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIssueThenPresent receives an SD-JWT VC and a vc+jwt diploma and presents both to
// the package's OpenID4VP verifier: what the issuer binds, the verifier accepts.
func TestIssueThenPresent(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, nil)
	offer, err := f.issuer.NewOffer(ctx, OfferOptions{OfferID: "app-2", ConfigurationIDs: []string{"pid", "diploma"}, TxCode: &TxCode{}})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := f.wallet.ParseOffer(ctx, offer.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.wallet.Receive(ctx, parsed, ReceiveOptions{Holder: f.alice.signer, KeyID: f.alice.kid,
		TxCode: func(context.Context, *TxCode) (string, error) { return offer.TxCode, nil }})
	if err != nil {
		t.Fatal(err)
	}
	held := map[string][]byte{}
	for _, r := range got {
		held[r.ConfigurationID] = r.Credential
	}
	shop := newParty(t, keys.Ed25519)
	var v *Verifier
	srv := verifierServer(t, &v)
	if v, err = NewVerifier(VerifierOptions{ClientID: PrefixDID + ":" + shop.did, ResponseURI: srv.URL + "/response", RequestURI: srv.URL + "/request/",
		Signer: shop.signer, KeyID: shop.kid, Credentials: f.policy, Clock: f.clock.now}); err != nil {
		t.Fatal(err)
	}
	query := `{"credentials":[` +
		`{"id":"age","format":"dc+sd-jwt","meta":{"vct_values":["urn:example:id:1"]},"claims":[{"path":["age_equal_or_over","18"]}]},` +
		`{"id":"degree","format":"jwt_vc_json","meta":{"type_values":[["DiplomaCredential"]]},"claims":[{"path":["credentialSubject","degree"]}]}]}`
	req, err := v.NewRequest(ctx, []byte(query))
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWallet(WalletOptions{HTTPClient: srv.Client(), Clock: f.clock.now, netguard: netguard.Options{AllowLoopback: true}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.ParseRequest(ctx, req.URL)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := presentation.NewHolder(f.alice.signer, f.alice.kid, presentation.HolderOptions{Clock: f.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	var shares []Share
	if _, err := w.Respond(ctx, in, holder, held, approve(&shares)); err != nil {
		t.Fatal(err)
	}
	res, err := v.Result(ctx, req.State)
	if err != nil {
		t.Fatal(err)
	}
	age, degree := res.Credentials["age"], res.Credentials["degree"]
	if len(age) != 1 || fmt.Sprint(age[0].Claims["age_equal_or_over"]) != "map[18:true]" || age[0].Claims["birthdate"] != nil || age[0].Claims["given_name"] != nil {
		t.Fatalf("age: %+v", age)
	}
	if len(degree) != 1 || degree[0].Issuer != f.cred.did {
		t.Fatalf("degree: %+v", degree)
	}
	subj, _ := degree[0].Claims["credentialSubject"].(map[string]any)
	if subj["degree"] != "BSc" || subj["id"] != f.alice.did {
		t.Fatalf("degree claims %v", degree[0].Claims)
	}
}

func TestIssuerMetadataEndpoints(t *testing.T) {
	f := newVCIFixture(t, func(o *IssuerOptions) { o.Display = []IssuerDisplay{{Name: "Ministry", Locale: "en"}} })
	c := f.srv.Client()
	get := func(path string) map[string]any {
		t.Helper()
		res, err := c.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		var m map[string]any
		if err := jsonDecode(res.Body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	md := get(WellKnownIssuer)
	if md["credential_issuer"] != f.srv.URL || md["credential_endpoint"] != f.srv.URL+"/credential" || md["nonce_endpoint"] != f.srv.URL+"/nonce" {
		t.Fatalf("metadata %v", md)
	}
	cfgs := md["credential_configurations_supported"].(map[string]any)
	pid := cfgs["pid"].(map[string]any)
	if pid["format"] != "dc+sd-jwt" || pid["vct"] != "urn:example:id:1" ||
		fmt.Sprint(pid["cryptographic_binding_methods_supported"]) != "[jwk did:key did:jwk]" ||
		fmt.Sprint(pid["proof_types_supported"]) != "map[jwt:map[proof_signing_alg_values_supported:[EdDSA ES256 ES384]]]" {
		t.Fatalf("pid %v", pid)
	}
	claims := pid["credential_metadata"].(map[string]any)["claims"].([]any)
	if len(claims) != 3 || fmt.Sprint(claims[0]) != "map[display:[map[locale:en name:Given name]] path:[given_name]]" {
		t.Fatalf("pid claims %v", claims)
	}
	if d := cfgs["diploma"].(map[string]any)["credential_definition"]; fmt.Sprint(d) != "map[type:[VerifiableCredential DiplomaCredential]]" {
		t.Fatalf("diploma definition %v", d)
	}
	if d := cfgs["diploma_ldp"].(map[string]any)["credential_definition"]; fmt.Sprint(d) != "map[@context:[https://www.w3.org/ns/credentials/v2 "+examplesContext+"] type:[VerifiableCredential DiplomaCredential]]" {
		t.Fatalf("diploma_ldp definition %v", d)
	}
	as := get(WellKnownAuthorizationServer)
	if as["issuer"] != f.srv.URL || as["token_endpoint"] != f.srv.URL+"/token" || as["pre-authorized_grant_anonymous_access_supported"] != true {
		t.Fatalf("authorization server metadata %v", as)
	}
	res, err := c.Post(f.srv.URL+"/nonce", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var n map[string]any
	if err := jsonDecode(res.Body, &n); err != nil || res.Header.Get("Cache-Control") != "no-store" || len(fmt.Sprint(n["c_nonce"])) < 32 {
		t.Fatalf("nonce response %v %v %v", n, res.Header, err)
	}
	res.Body.Close()
}

func TestWellKnownURL(t *testing.T) {
	for _, tc := range []struct {
		id, want string
		err      error
	}{
		{"https://issuer.example", "https://issuer.example/.well-known/openid-credential-issuer", nil},
		{"https://issuer.example/", "https://issuer.example/.well-known/openid-credential-issuer", nil},
		{"https://issuer.example/tenant", "https://issuer.example/.well-known/openid-credential-issuer/tenant", nil},
		{"https://issuer.example:8443/a/b", "https://issuer.example:8443/.well-known/openid-credential-issuer/a/b", nil},
		{"http://issuer.example", "", vc.ErrInsecureURL},
		{"https://issuer.example?x=1", "", vc.ErrInsecureURL},
		{"https://issuer.example#f", "", vc.ErrInsecureURL},
		{"https://user@issuer.example", "", vc.ErrInsecureURL},
	} {
		got, err := WellKnownURL(tc.id, WellKnownIssuer)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("WellKnownURL(%q) = %q, %v; want %q, %v", tc.id, got, err, tc.want, tc.err)
		}
	}
}

func TestNewIssuerOptions(t *testing.T) {
	vi, err := vc.NewIssuer(newParty(t, keys.Ed25519).signer, newParty(t, keys.Ed25519).kid, vc.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ok := IssuerOptions{Identifier: "https://issuer.example", Issuer: vi, Configurations: testConfigurations(), Claims: testClaims}
	for _, tc := range []struct {
		name string
		edit func(*IssuerOptions)
		want error
	}{
		{"valid", func(*IssuerOptions) {}, nil},
		{"http identifier", func(o *IssuerOptions) { o.Identifier = "http://issuer.example" }, ErrInvalidOptions},
		{"no issuer", func(o *IssuerOptions) { o.Issuer = nil }, ErrInvalidOptions},
		{"no claims", func(o *IssuerOptions) { o.Claims = nil }, ErrInvalidOptions},
		{"no configurations", func(o *IssuerOptions) { o.Configurations = nil }, ErrInvalidOptions},
		{"HMAC proofs", func(o *IssuerOptions) { o.ProofAlgorithms = []string{"HS256"} }, ErrInvalidOptions},
		{"negative lifetime", func(o *IssuerOptions) { o.TokenLifetime = -1 }, ErrInvalidOptions},
		{"sd-jwt without vct", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: FormatSDJWTVC}}
		}, ErrInvalidOptions},
		{"mso_mdoc", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: "mso_mdoc"}}
		}, vc.ErrUnsupportedFormat},
		{"disclosable jwt claim", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: FormatJWTVCJSON, Claims: []ClaimDescription{{Path: []any{"a"}, Disclosable: true}}}}
		}, ErrInvalidOptions},
		{"claim described twice", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: FormatSDJWTVC, VCT: "v", Claims: []ClaimDescription{{Path: []any{"a"}}, {Path: []any{"a"}}}}}
		}, ErrMalformed},
		{"array and object", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: FormatSDJWTVC, VCT: "v", Claims: []ClaimDescription{{Path: []any{"a", nil}}, {Path: []any{"a", "b"}}}}}
		}, ErrMalformed},
		{"all and one element", func(o *IssuerOptions) {
			o.Configurations = map[string]CredentialConfiguration{"x": {Format: FormatSDJWTVC, VCT: "v", Claims: []ClaimDescription{{Path: []any{"a", nil}}, {Path: []any{"a", 0}}}}}
		}, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := ok
			tc.edit(&o)
			_, err := NewIssuer(o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("NewIssuer: %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := NewIssuanceWallet(IssuanceWalletOptions{}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("NewIssuanceWallet without a client: %v", err)
	}
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// TestIssuerWithPath runs an issuer whose identifier has a path: the metadata lives at
// the well-known URL with the path after it, and the endpoints under the path.
func TestIssuerWithPath(t *testing.T) {
	ctx := context.Background()
	f := newVCIFixture(t, func(o *IssuerOptions) { o.Identifier += "/tenant/a" })
	if f.issuer.Metadata().CredentialEndpoint != f.srv.URL+"/tenant/a/credential" {
		t.Fatalf("metadata %+v", f.issuer.Metadata())
	}
	res, err := f.srv.Client().Get(f.srv.URL + WellKnownIssuer + "/tenant/a")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("metadata: %v %v", res, err)
	}
	res.Body.Close()
	o := f.offer(t, nil).Offer
	if _, err := f.wallet.Receive(ctx, &o, ReceiveOptions{Holder: f.alice.signer}); err != nil {
		t.Fatal(err)
	}
	vi, _ := vc.NewIssuer(f.cred.signer, f.cred.kid, vc.IssuerOptions{})
	if _, err := NewIssuer(IssuerOptions{Identifier: "https://issuer.example/a+b", Issuer: vi, Configurations: testConfigurations(), Claims: testClaims}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("identifier with a pattern in its path: %v", err)
	}
}
