package main

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
)

// env is the demo on a loopback port with a browser-like client (cookies, redirects).
type env struct {
	t   *testing.T
	a   *app
	srv *httptest.Server
	c   *http.Client
	dir string
}

func newEnv(t *testing.T, dir string) *env {
	t.Helper()
	return newEnvWith(t, options{dataDir: dir})
}

func newEnvWith(t *testing.T, o options) *env {
	t.Helper()
	dir := o.dataDir
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o.base = "http://" + ln.Addr().String()
	a, err := newApp(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: a.routes()}}
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	return &env{t: t, a: a, srv: srv, c: &http.Client{Jar: jar}, dir: dir}
}

// page is a response as the browser ends up with it.
type page struct {
	code int
	url  string
	body string
}

func (e *env) do(req *http.Request) page {
	e.t.Helper()
	res, err := e.c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Request.URL.String(), string(b)}
}

func (e *env) get(path string) page {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url(path), nil)
	return e.do(req)
}

func (e *env) post(path string, form url.Values) page {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

func (e *env) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return e.srv.URL + path
}

func (p page) has(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.body, s) {
			t.Fatalf("%s (%d) lacks %q:\n%s", p.url, p.code, s, mainOf(p.body))
		}
	}
}

func (p page) lacks(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(p.body, s) {
			t.Fatalf("%s shows %q:\n%s", p.url, s, mainOf(p.body))
		}
	}
}

func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
}

var hiddenRE = regexp.MustCompile(`name="([a-z_]+)" value="([^"]*)"`)

// field reads the value of a form field of the page.
func (p page) field(t *testing.T, name string) string {
	t.Helper()
	for _, m := range hiddenRE.FindAllStringSubmatch(p.body, -1) {
		if m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	t.Fatalf("%s has no field %s:\n%s", p.url, name, mainOf(p.body))
	return ""
}

func (e *env) getID(birthdate string) page {
	e.t.Helper()
	return e.issue("id", birthdate)
}

// issue gets a credential of kind from the portal: an OpenID4VCI offer the wallet
// accepts (or, with direct issuance, straight into the wallet).
func (e *env) issue(kind, birthdate string) page {
	e.t.Helper()
	p := e.post("/issuer/issue/"+kind, url.Values{"given_name": {"Alice"}, "family_name": {"Example"}, "birthdate": {birthdate}})
	if strings.Contains(p.url, "/wallet/offer?") {
		p = e.post("/wallet/offer", url.Values{"offer": {p.field(e.t, "offer")}, "decision": {"accept"}})
	}
	if p.code != http.StatusOK || !strings.Contains(p.url, "/wallet/?added=") {
		e.t.Fatalf("issuing: %d %s\n%s", p.code, p.url, mainOf(p.body))
	}
	return p
}

// consent starts the shop's or the login's request and returns the consent screen.
func (e *env) consent(start string) page {
	e.t.Helper()
	p := e.post(start, nil)
	if !strings.Contains(p.url, "/wallet/authorize?") {
		e.t.Fatalf("%s led to %s (%d)", start, p.url, p.code)
	}
	return p
}

func TestPages(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.getID("2001-04-12")
	labelFor := regexp.MustCompile(`<label for="([^"]+)"`)
	inputID := regexp.MustCompile(`<(?:input|textarea)[^>]*\bid="([^"]+)"`)
	for _, path := range []string{"/", "/issuer/", "/wallet/", "/shop/", "/shop/wine", "/login/", "/border/"} {
		p := e.get(path)
		if p.code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, p.code)
		}
		p.has(t, `<html lang="en">`, "<h1>", `<main id="main">`, `href="/style.css"`)
		labels := map[string]bool{}
		for _, m := range labelFor.FindAllStringSubmatch(p.body, -1) {
			labels[m[1]] = true
		}
		for _, m := range inputID.FindAllStringSubmatch(p.body, -1) {
			if !labels[m[1]] {
				t.Errorf("%s: field %s has no label", path, m[1])
			}
		}
		if strings.Contains(p.body, "<script") {
			t.Errorf("%s has a script", path)
		}
	}
	res, err := e.c.Get(e.srv.URL + "/style.css")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("style.css headers: %v", res.Header)
	}
	// A form posted from another origin does nothing.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/wallet/erase", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := e.do(req); p.code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", p.code)
	}
	e.get("/wallet/").has(t, "Identity card")
	if p := e.get("/nowhere"); p.code != http.StatusNotFound {
		t.Errorf("GET /nowhere: %d", p.code)
	}
}

func TestAgeGate(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.getID("2001-04-12")
	e.get("/shop/wine").has(t, `id="verify-age"`)

	c := e.consent("/shop/verify")
	c.has(t, "Share with Corner Shop?", "Identity card: age_equal_or_over.18 (that you are 18 or older, not your birth date), given_name (your given name)</label>",
		"Identity card: age_equal_or_over.18 (that you are 18 or older, not your birth date)</label>", e.a.shop.ClientID)
	c.lacks(t, "birthdate\"", "2001")
	p := e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "option": {"0"}, "decision": {"approve"}})
	if !strings.HasSuffix(p.url, "/shop/wine") {
		t.Fatalf("approval led to %s", p.url)
	}
	p.has(t, "Access granted: welcome, Alice.", "age_equal_or_over.18, cnf, exp, given_name, iat, iss, vct")
	p.lacks(t, "birthdate", "family_name", "age_equal_or_over.21")

	// The second claim set: the age only.
	c = e.consent("/shop/verify")
	p = e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "option": {"1"}, "decision": {"approve"}})
	p.has(t, `id="granted"`, "Access granted.", "age_equal_or_over.18, cnf, exp, iat, iss, vct")
	p.lacks(t, "given_name", "Alice")

	// A decision counts once.
	if p := e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "decision": {"approve"}}); p.code != http.StatusNotFound {
		t.Errorf("second decision: %d", p.code)
	}
	w := e.get("/wallet/")
	w.has(t, "<td>Corner Shop</td><td>Identity card</td><td>age_equal_or_over.18</td>", "<td>age_equal_or_over.18, given_name</td>")
	w.lacks(t, "Alice</td>", "2001-04-12")
}

func TestAgeGateDenied(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.getID("2001-04-12")
	c := e.consent("/shop/verify")
	p := e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "decision": {"deny"}})
	p.has(t, "Nothing was shared", "Corner Shop received nothing.")
	e.get("/shop/wine").has(t, `id="verify-age"`)
	e.get("/wallet/").has(t, "Nothing shared yet.")
}

func TestAgeGateRefusals(t *testing.T) {
	e := newEnv(t, t.TempDir())
	// No credential at all, then one of someone under 18: nothing answers the query.
	if p := e.consent("/shop/verify"); p.code != http.StatusUnprocessableEntity || !strings.Contains(p.body, "no credential in this wallet answers") {
		t.Fatalf("empty wallet: %d\n%s", p.code, mainOf(p.body))
	}
	e.getID(time.Now().AddDate(-15, 0, 0).Format(time.DateOnly))
	if p := e.consent("/shop/verify"); p.code != http.StatusUnprocessableEntity {
		t.Fatalf("under 18: %d\n%s", p.code, mainOf(p.body))
	}
	// Invalid issuance input.
	if p := e.post("/issuer/issue/id", url.Values{"given_name": {"A"}}); p.code != http.StatusBadRequest {
		t.Errorf("issuing without a birth date: %d", p.code)
	}
	if p := e.post("/issuer/issue/passport", url.Values{"given_name": {"A"}, "family_name": {"B"}, "birthdate": {"2000-01-01"}}); p.code != http.StatusBadRequest {
		t.Errorf("issuing an unknown kind: %d", p.code)
	}
	// Requests the wallet must refuse.
	for _, q := range []string{"", "client_id=x", "client_id=redirect_uri:https://evil.example/r&response_uri=https://evil.example/r"} {
		if p := e.get("/wallet/authorize?" + q); p.code != http.StatusBadRequest || !strings.Contains(p.body, "the wallet refused this request") {
			t.Errorf("authorize?%s: %d", q, p.code)
		}
	}
	if p := e.post("/wallet/authorize", url.Values{"pending": {"nope"}, "decision": {"approve"}}); p.code != http.StatusNotFound {
		t.Errorf("unknown pending: %d", p.code)
	}
}

// A signed request from a verifier the demo does not run: the wallet shows it as
// unknown, and the response is never sent to its response URI.
func TestForeignVerifier(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.getID("2001-04-12")
	s, _ := keys.Generate(keys.Ed25519)
	id, _ := key.Create(s.Public())
	v, err := openid4vp.NewVerifier(openid4vp.VerifierOptions{
		ClientID: openid4vp.PrefixDID + ":" + id, ResponseURI: "https://elsewhere.example/response",
		Signer: s, KeyID: id + "#" + strings.TrimPrefix(id, "did:key:"), ByValue: true,
		WalletURL: e.srv.URL + "/wallet/authorize", Credentials: vc.VerifierOptions{AcceptAnyIssuer: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	req, err := v.NewRequest(context.Background(), []byte(loginQuery))
	if err != nil {
		t.Fatal(err)
	}
	c := e.get(req.URL)
	c.has(t, "Share with Unknown site?", id)
	p := e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "decision": {"approve"}})
	if p.code != http.StatusBadGateway || !strings.Contains(p.body, "not one of this demo") {
		t.Fatalf("foreign response URI: %d\n%s", p.code, mainOf(p.body))
	}
	if _, err := v.Result(context.Background(), req.State); !errors.Is(err, openid4vp.ErrPending) {
		t.Errorf("the foreign verifier got something: %v", err)
	}
	e.get("/wallet/").has(t, "Nothing shared yet.")
}

func TestLogin(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.getID("2001-04-12")
	e.get("/login/").has(t, `id="login-wallet"`)
	login := func() string {
		c := e.consent("/login/start")
		c.has(t, "Share with Forum (login with wallet)?", "no personal claims")
		p := e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "option": {c.field(t, "option")}, "decision": {"approve"}})
		p.has(t, `id="signed-in"`, "The forum learned only: cnf, exp, iat, iss, vct.")
		p.lacks(t, "Alice", "given_name", "age_equal_or_over")
		return regexp.MustCompile(`account <code>([^<]+)</code>`).FindStringSubmatch(p.body)[1]
	}
	first, second := login(), login()
	if first != second {
		t.Errorf("the account changed between logins: %s, %s", first, second)
	}
	if other := pairwise(e.a.shop.ClientID, "did:example:same-holder"); other == pairwise(e.a.login.ClientID, "did:example:same-holder") {
		t.Error("the account identifier is the same at two sites")
	}
	e.get("/wallet/").has(t, "<td>Forum (login with wallet)</td><td>Identity card</td><td>none (key only)</td>")
}

func TestDashboard(t *testing.T) {
	dir := t.TempDir()
	e := newEnv(t, dir)
	e.getID("2001-04-12")
	c := e.consent("/shop/verify")
	e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "option": {"1"}, "decision": {"approve"}}).has(t, "Access granted.")

	w := e.get("/wallet/")
	share := w.field(t, "share")
	cred := w.field(t, "credential")
	// Withdrawing the record makes the demo shop forget the proof.
	e.post("/wallet/revoke", url.Values{"share": {share}}).has(t, "withdrawn ")
	e.get("/shop/wine").has(t, `id="verify-age"`)
	if p := e.post("/wallet/revoke", url.Values{"share": {share}}); p.code != http.StatusBadRequest {
		t.Errorf("withdrawing twice: %d", p.code)
	}

	// Kept across restarts: a new app on the same directory.
	e2 := newEnv(t, dir)
	e2.get("/wallet/").has(t, "Identity card", "withdrawn ", "age_equal_or_over.18")

	e2.post("/wallet/delete", url.Values{"credential": {cred}}).has(t, "No credentials.")
	if p := e2.post("/wallet/delete", url.Values{"credential": {cred}}); p.code != http.StatusBadRequest {
		t.Errorf("deleting twice: %d", p.code)
	}
	e2.post("/wallet/erase", nil).has(t, "No credentials.", "Nothing shared yet.")
	if _, err := os.Stat(filepath.Join(dir, "wallet.json")); !os.IsNotExist(err) {
		t.Errorf("wallet.json after erase: %v", err)
	}
}

func TestBorder(t *testing.T) {
	e := newEnv(t, t.TempDir())
	p := e.issue("vaccination", "2001-04-12")
	p.has(t, "Vaccination certificate", "Show to a border officer")
	id := p.field(t, "credential")

	present := func(challenge string, claims ...string) string {
		t.Helper()
		e.get("/wallet/present/"+id).has(t, `<label for="challenge">`, `id="claim-birthdate">`)
		p := e.post("/wallet/present/"+id, url.Values{"challenge": {challenge}, "claim": claims})
		m := regexp.MustCompile(`(?s)<textarea id="token" readonly[^>]*>(.*?)</textarea>`).FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no presentation:\n%s", mainOf(p.body))
		}
		return html.UnescapeString(m[1])
	}
	check := func(challenge, token string) page {
		return e.post("/border/", url.Values{"challenge": {challenge}, "token": {token}})
	}
	ch := e.get("/border/").field(t, "challenge")
	if again := e.get("/border/").field(t, "challenge"); again != ch {
		t.Errorf("the officer's challenge changed before it was used: %s, %s", ch, again)
	}
	tok := present(ch, "given_name", "vaccine")
	v := check(ch, tok)
	v.has(t, `id="valid"`, "<dt>given_name</dt><dd>Alice</dd>", "<dt>vaccine</dt><dd>Yellow fever</dd>", healthID)
	v.lacks(t, "2001-04-12", "family_name")

	// The same token again: its challenge was used.
	check(ch, tok).has(t, `id="invalid"`, "unknown or expired")
	// A token made for another challenge.
	ch2 := e.get("/border/").field(t, "challenge")
	check(ch2, tok).has(t, `id="invalid"`, "Not valid")
	// Garbage.
	ch3 := e.get("/border/").field(t, "challenge")
	check(ch3, "not a token").has(t, `id="invalid"`)

	// Revoked at the agency: the cached list still says valid until it is updated.
	e.post("/issuer/revoke", url.Values{"index": {"0"}}).has(t, "revoked")
	ch4 := e.get("/border/").field(t, "challenge")
	check(ch4, present(ch4, "vaccine")).has(t, `id="valid"`)
	e.post("/border/refresh", nil)
	ch5 := e.get("/border/").field(t, "challenge")
	check(ch5, present(ch5, "vaccine")).has(t, `id="invalid"`, "revoked this certificate")

	if p := e.post("/issuer/revoke", url.Values{"index": {"7"}}); p.code != http.StatusBadRequest {
		t.Errorf("revoking an index never issued: %d", p.code)
	}
	if p := e.get("/wallet/present/nope"); p.code != http.StatusNotFound {
		t.Errorf("presenting an unknown credential: %d", p.code)
	}
	e.get("/wallet/").has(t, "<td>Border control (offline)</td><td>Vaccination certificate</td><td>given_name, vaccine</td>")
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, &out, &errOut, ready)
	}()
	var base string
	select {
	case base = <-ready:
	case code := <-done:
		t.Fatalf("run exited %d before listening: %s", code, errOut.String())
	}
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	if code := <-done; code != 0 || res.StatusCode != http.StatusOK || !strings.Contains(out.String(), "open "+base+"/") {
		t.Errorf("run: %d, GET / %d, output %q %q", code, res.StatusCode, out.String(), errOut.String())
	}
	if code := run(context.Background(), []string{"--addr", "0.0.0.0:0"}, io.Discard, io.Discard, nil); code != 2 {
		t.Errorf("a non-loopback address: exit %d", code)
	}
}

// OpenID4VCI between the portal and the wallet: the offer page, declining, accepting,
// and an offer that works once.
func TestIssuance(t *testing.T) {
	e := newEnv(t, t.TempDir())
	e.get("/issuer/").has(t, "Issuance: OpenID4VCI 1.0")
	o := e.post("/issuer/issue/id", url.Values{"given_name": {"Alice"}, "family_name": {"Example"}, "birthdate": {"2001-04-12"}})
	o.has(t, "Ministry of the Interior offers you a credential", "<h2>Identity card</h2>", "age_equal_or_over.18", e.a.tlsBase+"/ministry")
	offer := o.field(t, "offer")
	e.post("/wallet/offer", url.Values{"offer": {offer}, "decision": {"decline"}}).has(t, "Offer declined")
	e.get("/wallet/").has(t, "No credentials.")
	// Declining sent nothing: the code still works, once.
	p := e.post("/wallet/offer", url.Values{"offer": {offer}, "decision": {"accept"}})
	p.has(t, "Identity card", "from Ministry of the Interior", "(just added)")
	if p := e.post("/wallet/offer", url.Values{"offer": {offer}, "decision": {"accept"}}); p.code != http.StatusBadGateway {
		t.Errorf("an offer accepted twice: %d", p.code)
	}
	for _, q := range []string{"", "credential_offer=%7B%7D", "credential_offer_uri=https%3A%2F%2Fevil.example%2Fo"} {
		if p := e.get("/wallet/offer?" + q); p.code != http.StatusBadRequest && p.code != http.StatusBadGateway {
			t.Errorf("offer?%s: %d", q, p.code)
		}
	}
	w := e.get("/wallet/")
	if n := strings.Count(w.body, "<h3>Identity card</h3>"); n != 1 {
		t.Errorf("%d identity cards in the wallet", n)
	}
}

// The direct issuance path serves the same scenarios.
func TestDirectIssuance(t *testing.T) {
	e := newEnvWith(t, options{dataDir: t.TempDir(), direct: true})
	e.get("/issuer/").has(t, "Issuance: direct")
	e.getID("2001-04-12")
	c := e.consent("/shop/verify")
	e.post("/wallet/authorize", url.Values{"pending": {c.field(t, "pending")}, "option": {"1"}, "decision": {"approve"}}).has(t, "Access granted.")
	if p := e.get("/wallet/offer?credential_offer=%7B%7D"); p.code != http.StatusNotFound {
		t.Errorf("offer page with direct issuance: %d", p.code)
	}
}
