package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

type result struct {
	code           int
	stdout, stderr string
}

func runWallet(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"--dir", dir}, args...), strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func mustRun(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	r := runWallet(t, dir, stdin, args...)
	if r.code != 0 {
		t.Fatalf("wallet %v: exit %d: %s", args, r.code, r.stderr)
	}
	return r.stdout
}

func TestWallet(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "w")
	mustRun(t, dir, "", "init")
	if r := runWallet(t, dir, "", "init"); r.code != 1 {
		t.Errorf("second init: exit %d, want 1", r.code)
	}
	keyJSON, err := os.ReadFile(filepath.Join(dir, "holder.jwk"))
	if err != nil {
		t.Fatal(err)
	}
	holderKey, err := keys.ParsePrivateJWK(keyJSON)
	if err != nil {
		t.Fatal(err)
	}
	holderDID, err := key.Create(holderKey.Public())
	if err != nil {
		t.Fatal(err)
	}

	// An issuer gives the holder an SD-JWT VC and a vc+jwt.
	issKey, err := keys.Generate(keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	issDID, err := key.Create(issKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	iss, err := vc.NewIssuer(issKey, issDID+"#"+strings.TrimPrefix(issDID, "did:key:"), vc.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{"given_name": "Alice", "birthdate": "2001-04-12",
		"age_equal_or_over": map[string]any{"18": true, "21": true}}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"birthdate"},
		sdjwt.Path{"age_equal_or_over", "18"}, sdjwt.Path{"age_equal_or_over", "21"})
	if err != nil {
		t.Fatal(err)
	}
	sd, err := iss.IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{VCT: "https://ministry.example/id", Holder: holderKey.Public()})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential([]byte(`{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "ExampleAgeCredential"], "validFrom": "2026-01-01T00:00:00Z",
		"credentialSubject": {"id": "` + holderDID + `", "name": "Alice", "ageOver18": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := iss.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "id.sdjwt"), sd, 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, "", "add", filepath.Join(tmp, "id.sdjwt"))
	mustRun(t, dir, string(jwt), "add", "--name", "age.jwt", "-")
	for _, bad := range [][]string{{"add", "--name", "../escape", "-"}, {"add", "--name", "x", "-"}} {
		if r := runWallet(t, dir, "not a credential", bad...); r.code == 0 {
			t.Errorf("wallet %v: exit 0", bad)
		}
	}
	list := mustRun(t, dir, "", "list")
	if !strings.Contains(list, "id.sdjwt: dc+sd-jwt from "+issDID) || !strings.Contains(list, "/age_equal_or_over/18") {
		t.Errorf("list:\n%s", list)
	}

	v, err := vc.NewVerifier(vc.VerifierOptions{AcceptAnyIssuer: true})
	if err != nil {
		t.Fatal(err)
	}
	// The holder declines: nothing is printed, nothing logged.
	r := runWallet(t, dir, "n\n", "present", "--verifier", "https://shop.example", "--nonce", "n-1", "--disclose", "/age_equal_or_over/18", "id.sdjwt")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "no consent") {
		t.Errorf("declined: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "log.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a declined presentation was logged: %v", err)
	}
	// The holder agrees, after seeing exactly what goes.
	r = runWallet(t, dir, "y\n", "present", "--verifier", "https://shop.example", "--nonce", "n-2", "--disclose", "/age_equal_or_over/18", "id.sdjwt")
	if r.code != 0 {
		t.Fatalf("present: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "The verifier https://shop.example would receive:") || !strings.Contains(r.stderr, "/age_equal_or_over/18") {
		t.Errorf("consent screen:\n%s", r.stderr)
	}
	for _, hidden := range []string{"/given_name", "/birthdate", "/age_equal_or_over/21"} {
		if strings.Contains(r.stderr, hidden+"\n") {
			t.Errorf("consent screen lists %s, which is not shared:\n%s", hidden, r.stderr)
		}
	}
	vp, err := v.VerifyPresentation(ctx, []byte(strings.TrimSpace(r.stdout)), vc.Expect{Nonce: "n-2", Audience: "https://shop.example"})
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	got := vp.Credentials()[0].Claims()
	if _, ok := got["given_name"]; ok {
		t.Errorf("given_name was disclosed: %v", got)
	}
	if age, _ := got["age_equal_or_over"].(map[string]any); age["18"] != true || age["21"] != nil {
		t.Errorf("disclosed ages: %v", got["age_equal_or_over"])
	}

	// A vc+jwt goes whole; --yes skips the question.
	r = runWallet(t, dir, "", "present", "--verifier", "did:example:bar", "--nonce", "n-3", "--yes", "age.jwt")
	if r.code != 0 || !strings.Contains(r.stderr, "/credentialSubject/name") {
		t.Fatalf("present vc+jwt: exit %d: %s", r.code, r.stderr)
	}
	if _, err := v.VerifyPresentation(ctx, []byte(strings.TrimSpace(r.stdout)), vc.Expect{Nonce: "n-3", Audience: "did:example:bar"}); err != nil {
		t.Errorf("verify vc+jwt presentation: %v", err)
	}

	// The log says who got which claims, and when, never the values.
	raw, err := os.ReadFile(filepath.Join(dir, "log.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Alice", "2001-04-12", "true"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the log holds the value %q:\n%s", secret, raw)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2", len(lines))
	}
	var first logEntry
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Verifier != "https://shop.example" || first.Time.IsZero() || len(first.Credentials) != 1 ||
		!strings.Contains(strings.Join(first.Credentials[0].Claims, " "), "/age_equal_or_over/18") {
		t.Errorf("log entry: %+v", first)
	}
	log := mustRun(t, dir, "", "log")
	if !strings.Contains(log, "to https://shop.example") || !strings.Contains(log, "to did:example:bar") {
		t.Errorf("log:\n%s", log)
	}

	mustRun(t, dir, "", "delete", "age.jwt")
	if r := runWallet(t, dir, "", "present", "--verifier", "v", "--nonce", "n", "--yes", "age.jwt"); r.code != 1 {
		t.Errorf("presenting a deleted credential: exit %d", r.code)
	}
	for _, args := range [][]string{{}, {"frobnicate"}, {"present", "id.sdjwt"}, {"delete"}, {"delete", "../holder.jwk"},
		{"present", "--verifier", "v", "--nonce", "n", "--yes", "id.sdjwt", "id.sdjwt"}} {
		if r := runWallet(t, dir, "", args...); r.code != 2 {
			t.Errorf("wallet %v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "holder.jwk")); err != nil {
		t.Errorf("holder key: %v", err)
	}
	if r := runWallet(t, dir, "", "--help"); r.code != 0 || !strings.Contains(r.stdout, "present --verifier") {
		t.Errorf("--help: exit %d, %s", r.code, r.stdout)
	}
}
