package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

const testToken = "0123456789abcdef0123456789abcdef"

// testClient talks to the httptest servers of the tests only.
var testClient = &http.Client{Timeout: 10 * time.Second}

// testServer runs the issuer over httptest; the status list URL is the test server's.
func testServer(t *testing.T, state string) (*httptest.Server, *server, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := keys.PrivateJWK(signer)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, tokenFile := filepath.Join(dir, "key.jwk"), filepath.Join(dir, "token")
	if err := os.WriteFile(keyFile, priv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokenFile, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	ts := httptest.NewUnstartedServer(nil)
	s, err := newServer(config{keyFile: keyFile, tokenFile: tokenFile, stateDir: state,
		listURL: "http://" + ts.Listener.Addr().String() + listPath, log: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s.handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); s.close() })
	return ts, s, &logs
}

func post(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// loopbackFetcher gets status lists from the test server. A verifier in production
// uses status.NewHTTPFetcher, which refuses anything but https to public hosts.
type loopbackFetcher struct{ base string }

func (f loopbackFetcher) Fetch(ctx context.Context, url, _ string) ([]byte, error) {
	if !strings.HasPrefix(url, f.base) {
		return nil, fmt.Errorf("unexpected URL %s", url)
	}
	resp, err := testClient.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

const credentialJSON = `{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
	"validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:alice", "name": "Alice"}}`

func TestIssueAndRevoke(t *testing.T) {
	ts, s, logs := testServer(t, t.TempDir())
	v, err := vc.NewVerifier(vc.VerifierOptions{AcceptAnyIssuer: true, StatusFetcher: loopbackFetcher{ts.URL}})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(format string) (json.RawMessage, int) {
		t.Helper()
		code, out := post(t, ts.URL+"/issue", testToken, `{"credential": `+credentialJSON+`, "format": "`+format+`"}`)
		if code != http.StatusOK {
			t.Fatalf("issue %s: %d %v", format, code, out)
		}
		raw, _ := json.Marshal(out["credential"])
		return raw, int(out["statusIndex"].(float64))
	}
	jwtJSON, jwtIdx := issue("jwt")
	var token string
	if err := json.Unmarshal(jwtJSON, &token); err != nil {
		t.Fatal(err)
	}
	diCred, diIdx := issue("di")
	if jwtIdx == diIdx {
		t.Errorf("two credentials share the index %d", jwtIdx)
	}
	ctx := context.Background()
	for _, c := range [][]byte{[]byte(token), diCred} {
		got, err := v.VerifyCredential(ctx, c)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		if got.Issuer() != s.issuer.ID() {
			t.Errorf("issuer %s, want %s", got.Issuer(), s.issuer.ID())
		}
	}
	if code, _ := post(t, ts.URL+"/revoke", "", `{"index": 1}`); code != http.StatusUnauthorized {
		t.Errorf("revoke without token: %d", code)
	}
	if code, _ := post(t, ts.URL+"/revoke", "wrong-token-wrong-token", `{"index": 1}`); code != http.StatusUnauthorized {
		t.Errorf("revoke with a wrong token: %d", code)
	}
	if code, _ := post(t, ts.URL+"/issue", "", `{"credential": `+credentialJSON+`}`); code != http.StatusUnauthorized {
		t.Errorf("issue without token: %d", code)
	}
	if code, out := post(t, ts.URL+"/revoke", testToken, fmt.Sprintf(`{"index": %d}`, jwtIdx)); code != http.StatusOK {
		t.Fatalf("revoke: %d %v", code, out)
	}
	// A new verifier: the first one caches the list for its ttl.
	v, err = vc.NewVerifier(vc.VerifierOptions{AcceptAnyIssuer: true, StatusFetcher: loopbackFetcher{ts.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyCredential(ctx, []byte(token)); !errors.Is(err, vc.ErrRevoked) {
		t.Errorf("revoked credential: %v, want ErrRevoked", err)
	}
	if _, err := v.VerifyCredential(ctx, diCred); err != nil {
		t.Errorf("the other credential: %v", err)
	}
	for _, body := range []string{`{}`, `{"credential": {"type": "x"}}`, `{"credential": ` + credentialJSON + `, "format": "sd-jwt"}`, `not json`} {
		if code, _ := post(t, ts.URL+"/issue", testToken, body); code/100 != 4 {
			t.Errorf("issue %s: %d, want a 4xx", body, code)
		}
	}
	if code, _ := post(t, ts.URL+"/revoke", testToken, `{"index": 999999999}`); code != http.StatusBadRequest {
		t.Errorf("revoke outside the list: %d", code)
	}
	if strings.Contains(logs.String(), "Alice") {
		t.Errorf("a claim value was logged:\n%s", logs)
	}
	if !strings.Contains(logs.String(), `"msg":"revoked"`) {
		t.Errorf("no log of the revocation:\n%s", logs)
	}
}

func TestRestart(t *testing.T) {
	state := t.TempDir()
	ts, _, _ := testServer(t, state)
	_, out := post(t, ts.URL+"/issue", testToken, `{"credential": `+credentialJSON+`}`)
	idx := int(out["statusIndex"].(float64))
	post(t, ts.URL+"/revoke", testToken, fmt.Sprintf(`{"index": %d}`, idx))
	ts.Close()

	// The list and the allocated indices survive a restart.
	ts2, s2, _ := testServer(t, state)
	if got, err := s2.list.Get(idx); err != nil || got != 1 {
		t.Errorf("after restart, index %d is %d (%v), want 1", idx, got, err)
	}
	if s2.alloc.Allocated() != 1 {
		t.Errorf("after restart, %d indices allocated, want 1", s2.alloc.Allocated())
	}
	resp, err := testClient.Get(ts2.URL + listPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "application/vc+jwt" {
		t.Errorf("status list content type %q", resp.Header.Get("Content-Type"))
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &stderr); code != 0 || !strings.Contains(stderr.String(), "POST /issue") {
		t.Errorf("--help: exit %d, %s", code, stderr.String())
	}
	if code := run(context.Background(), nil, &stderr); code != 2 {
		t.Errorf("no flags: exit %d, want 2", code)
	}
}
