package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

const verifierID = "https://verifier.example"

// party is a key and its did:key.
type party struct {
	signer   keys.Signer
	did, kid string
}

func newParty(t *testing.T) party {
	t.Helper()
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return party{s, id, id + "#" + strings.TrimPrefix(id, "did:key:")}
}

func (p party) issuer(t *testing.T) *vc.Issuer {
	t.Helper()
	iss, err := vc.NewIssuer(p.signer, p.kid, vc.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// statusServer is the issuer's status list host: an httptest TLS server, whose client
// the verifier is given.
func statusServer(t *testing.T, iss *vc.Issuer, revoked ...int) *httptest.Server {
	t.Helper()
	list, err := status.NewBitstringList(status.MinBitstringEntries, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range revoked {
		if err := list.Set(i, 1); err != nil {
			t.Fatal(err)
		}
	}
	var signed []byte
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/status/1" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/vc+jwt")
		w.Write(signed)
	}))
	ts.StartTLS()
	t.Cleanup(ts.Close)
	now := time.Now().Truncate(time.Second)
	doc, err := list.Credential(status.BitstringCredentialOptions{ID: ts.URL + "/status/1", Issuer: iss.ID(),
		Purpose: []string{status.PurposeRevocation}, ValidFrom: now.Add(-time.Minute), ValidUntil: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential(doc)
	if err != nil {
		t.Fatal(err)
	}
	if signed, err = iss.Issue(context.Background(), c, vc.FormatJWT, vc.IssueOptions{}); err != nil {
		t.Fatal(err)
	}
	return ts
}

func credentialWithStatus(t *testing.T, iss *vc.Issuer, holder, listURL string, idx int) []byte {
	t.Helper()
	c, err := vc.ParseCredential([]byte(`{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "AgeCredential"], "validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": {"id": "` + holder + `", "ageOver18": true},
		"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "` + strconv.Itoa(idx) + `", "statusListCredential": "` + listURL + `"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := iss.Issue(context.Background(), c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func call(t *testing.T, url string, body any) (int, verifyResponse) {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out verifyResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestVerify(t *testing.T) {
	issuerParty, holder, stranger := newParty(t), newParty(t), newParty(t)
	iss := issuerParty.issuer(t)
	lists := statusServer(t, iss, 7)
	listURL := lists.URL + "/status/1"
	good := credentialWithStatus(t, iss, holder.did, listURL, 3)
	revoked := credentialWithStatus(t, iss, holder.did, listURL, 7)
	untrusted := credentialWithStatus(t, stranger.issuer(t), holder.did, listURL, 3)

	trust, err := vc.ParseTrustList([]byte(`{"issuers": [{"id": "` + issuerParty.did + `", "types": ["AgeCredential"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	// The status host is a loopback TLS server: the test trusts its certificate through
	// its client, and lets the fetcher reach loopback, which production never does.
	s, err := newServer(config{id: verifierID, trust: trust, client: lists.Client(),
		fetch: status.HTTPFetcherOptions{AllowLoopback: true}, log: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler())
	defer ts.Close()

	code, res := call(t, ts.URL+"/verify", map[string]any{"credential": string(good)})
	if code != http.StatusOK || !res.Verified || len(res.Credentials) != 1 || res.Credentials[0].Issuer != issuerParty.did {
		t.Fatalf("good credential: %d %+v", code, res)
	}
	for _, tt := range []struct {
		name   string
		cred   []byte
		reason string
	}{
		{"revoked", revoked, "status"},
		{"untrusted issuer", untrusted, "trust"},
		{"garbage", []byte("not a credential"), "malformed"},
	} {
		code, res := call(t, ts.URL+"/verify", map[string]any{"credential": string(tt.cred)})
		if code != http.StatusUnprocessableEntity || res.Verified || res.Reason != tt.reason {
			t.Errorf("%s: %d %+v, want reason %s", tt.name, code, res, tt.reason)
		}
	}

	// A presentation, bound to a nonce of this verifier.
	h, err := presentation.NewHolder(holder.signer, holder.kid, presentation.HolderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Post(ts.URL+"/challenge", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ch struct{ Nonce, Audience string }
	json.NewDecoder(resp.Body).Decode(&ch)
	resp.Body.Close()
	if ch.Nonce == "" || ch.Audience != verifierID {
		t.Fatalf("challenge: %+v", ch)
	}
	vp, err := h.Present(context.Background(), [][]byte{good}, presentation.Request{Nonce: ch.Nonce, Audience: ch.Audience})
	if err != nil {
		t.Fatal(err)
	}
	code, res = call(t, ts.URL+"/verify", map[string]any{"presentation": string(vp), "nonce": ch.Nonce})
	if code != http.StatusOK || !res.Verified || res.Holder != holder.did {
		t.Fatalf("presentation: %d %+v", code, res)
	}
	// The nonce is spent: the same presentation again is refused.
	if code, res = call(t, ts.URL+"/verify", map[string]any{"presentation": string(vp), "nonce": ch.Nonce}); code != http.StatusUnprocessableEntity {
		t.Errorf("replay: %d %+v", code, res)
	}
	// A nonce this verifier never gave.
	vp2, err := h.Present(context.Background(), [][]byte{good}, presentation.Request{Nonce: "made-up", Audience: verifierID})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ = call(t, ts.URL+"/verify", map[string]any{"presentation": string(vp2), "nonce": "made-up"}); code != http.StatusUnprocessableEntity {
		t.Errorf("unknown nonce: %d", code)
	}
	if code, _ = call(t, ts.URL+"/verify", map[string]any{}); code != http.StatusBadRequest {
		t.Errorf("empty request: %d", code)
	}
	if strings.Contains(logs.String(), "ageOver18\":true") {
		t.Errorf("a claim value was logged:\n%s", logs.String())
	}
}

// TestProductionFetcher: with the production policy the same status host is refused
// (a loopback address), and the credential fails closed.
func TestProductionFetcher(t *testing.T) {
	issuerParty, holder := newParty(t), newParty(t)
	iss := issuerParty.issuer(t)
	lists := statusServer(t, iss)
	cred := credentialWithStatus(t, iss, holder.did, lists.URL+"/status/1", 3)
	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: issuerParty.did})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(config{id: verifierID, trust: trust, client: lists.Client(), log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler())
	defer ts.Close()
	code, res := call(t, ts.URL+"/verify", map[string]any{"credential": string(cred)})
	if code != http.StatusUnprocessableEntity || res.Reason != "status" {
		t.Errorf("loopback status list with the production fetcher: %d %+v", code, res)
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stderr); code != 0 || !strings.Contains(stderr.String(), "POST /verify") {
		t.Errorf("--help: exit %d, %s", code, stderr.String())
	}
	if code := run(context.Background(), []string{"--id", "x"}, &stderr); code != 2 {
		t.Errorf("no --trust: exit %d, want 2", code)
	}
}
