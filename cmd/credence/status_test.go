package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCryptosuites issues a Data Integrity credential with each cryptosuite, presents it
// and verifies the presentation.
func TestCryptosuites(t *testing.T) {
	dir := t.TempDir()
	holder := newIdentity(t, dir, "holder", "ed25519")
	write(t, dir, "cred.json", credential(holder.did))
	for _, tt := range []struct{ suite, keyType string }{
		{"eddsa-jcs-2022", "ed25519"},
		{"eddsa-rdfc-2022", "ed25519"},
		{"ecdsa-jcs-2019", "p256"},
		{"ecdsa-jcs-2019", "p384"},
		{"ecdsa-rdfc-2019", "p256"},
		{"ecdsa-rdfc-2019", "p384"},
	} {
		t.Run(tt.suite+"/"+tt.keyType, func(t *testing.T) {
			iss := newIdentity(t, dir, tt.suite+"-"+tt.keyType, tt.keyType)
			cred := write(t, dir, tt.suite+"-"+tt.keyType+".di",
				ok(t, dir, "", "issue", "--key", iss.file, "--format", "di", "--cryptosuite", tt.suite, "cred.json"))
			got := decode[map[string]any](t, ok(t, dir, "", "verify", "--trust-issuer", iss.did, "--json", cred))
			if proof, _ := got["proof"].(map[string]any); proof["algorithm"] != tt.suite {
				t.Errorf("proof %v, want cryptosuite %s", got["proof"], tt.suite)
			}
			vp := write(t, dir, tt.suite+"-"+tt.keyType+".vp",
				ok(t, dir, "", "present", "--key", holder.file, "--challenge", "c-"+tt.suite, "--domain", "v.example", cred))
			res := decode[verified](t, ok(t, dir, "", "verify", "--presentation", "--challenge", "c-"+tt.suite,
				"--domain", "v.example", "--trust-issuer", iss.did, "--json", vp))
			if !res.Verified || len(res.Credentials) != 1 || res.Credentials[0].Issuer != iss.did {
				t.Errorf("verify presentation: %+v", res)
			}
		})
	}
}

// entryIndex is the statusListIndex of the credentialStatus of a credential file.
func entryIndex(t *testing.T, dir, file string) string {
	t.Helper()
	in := decode[struct {
		Claims struct {
			CredentialStatus struct {
				Index string `json:"statusListIndex"`
			} `json:"credentialStatus"`
		} `json:"claims"`
	}](t, ok(t, dir, "", "inspect", "--json", file))
	if in.Claims.CredentialStatus.Index == "" {
		t.Fatalf("%s has no status entry", file)
	}
	return in.Claims.CredentialStatus.Index
}

func TestStatusBitstring(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	holder := newIdentity(t, dir, "holder", "p256")
	const listURL = "https://status.example/lists/1"
	ok(t, dir, "", "status", "create", "--id", listURL, "list.json")
	if r := cli(t, dir, "", "status", "create", "--id", listURL, "list.json"); r.code != 1 {
		t.Errorf("creating over an existing list: exit %d, want 1", r.code)
	}
	write(t, dir, "cred.json", credential(holder.did))
	var creds []string
	for i := range 3 {
		creds = append(creds, write(t, dir, "c"+strconv.Itoa(i)+".jwt",
			ok(t, dir, "", "issue", "--key", iss.file, "--status", "list.json", "cred.json")))
	}
	seen := map[string]bool{}
	for _, c := range creds {
		seen[entryIndex(t, dir, c)] = true
	}
	if len(seen) != 3 {
		t.Errorf("three credentials share indices: %v", seen)
	}
	publish := func() string {
		t.Helper()
		return write(t, dir, "list.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "list.json"))
	}
	publish()
	lists := []string{"--status-list", listURL + "=list.jwt"}
	verify := append([]string{"verify", "--trust-issuer", iss.did}, lists...)
	ok(t, dir, "", append(verify, creds[0])...)
	// Without the list, the status cannot be checked: fail closed.
	fails(t, dir, "", "ErrStatusRetrieval", "verify", "--trust-issuer", iss.did, creds[0])
	fails(t, dir, "", "ErrStatusRetrieval", "verify", "--trust-issuer", iss.did, "--status-list", "https://other.example/x=list.jwt", creds[0])

	idx := entryIndex(t, dir, creds[0])
	set := decode[map[string]any](t, ok(t, dir, "", "status", "set", "--json", "list.json", idx))
	if set["previous"] != 0.0 || set["value"] != 1.0 {
		t.Errorf("status set: %v", set)
	}
	// The list as published before says valid; the new one says revoked.
	ok(t, dir, "", append(verify, creds[0])...)
	publish()
	fails(t, dir, "", "ErrRevoked", append(verify, creds[0])...)
	fails(t, dir, "", "ErrRevoked", append([]string{"status", "check"}, append(lists, creds[0])...)...)
	ok(t, dir, "", append(verify, creds[1])...)
	check := decode[struct {
		OK      bool `json:"ok"`
		Entries []struct {
			Purpose string `json:"purpose"`
			Index   int    `json:"index"`
			Value   int    `json:"value"`
		} `json:"entries"`
	}](t, ok(t, dir, "", append([]string{"status", "check", "--json"}, append(lists, creds[1])...)...))
	if !check.OK || len(check.Entries) != 1 || check.Entries[0].Purpose != "revocation" || strconv.Itoa(check.Entries[0].Index) != entryIndex(t, dir, creds[1]) {
		t.Errorf("status check: %+v", check)
	}

	// A list signed by another issuer does not vouch for this issuer's credentials.
	other := newIdentity(t, dir, "other", "ed25519")
	write(t, dir, "other.jwt", ok(t, dir, "", "status", "publish", "--key", other.file, "list.json"))
	// (The status check says ErrStatusVerification, for the reason ErrIssuerMismatch.)
	fails(t, dir, "", "ErrIssuerMismatch", "verify", "--trust-issuer", iss.did, "--status-list", listURL+"=other.jwt", creds[1])
	// A list published as Data Integrity works as well.
	write(t, dir, "list.di", ok(t, dir, "", "status", "publish", "--format", "di", "--key", iss.file, "list.json"))
	ok(t, dir, "", "verify", "--trust-issuer", iss.did, "--status-list", listURL+"=list.di", creds[1])
	// The published list is valid for --valid-for only.
	fails(t, dir, "", "ErrExpired", append(verify, "--at", "2035-01-01T00:00:00Z", creds[1])...)

	// A folder: one revoked among three, a summary, exit 1.
	folder := filepath.Join(dir, "wallet")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range creds {
		write(t, folder, c, readFile(t, dir, c))
	}
	write(t, folder, ".hidden", "not read")
	r := cli(t, dir, "", append(verify, "--json", "wallet")...)
	if r.code != 1 {
		t.Fatalf("verify folder: exit %d, want 1 (stderr %s)", r.code, r.stderr)
	}
	batch := decode[struct {
		Verified bool `json:"verified"`
		Total    int  `json:"total"`
		Failed   int  `json:"failed"`
		Results  []struct {
			File     string  `json:"file"`
			Verified bool    `json:"verified"`
			Error    *string `json:"error"`
		} `json:"results"`
	}](t, r.stdout)
	if batch.Verified || batch.Total != 3 || batch.Failed != 1 || batch.Results[0].Error == nil || *batch.Results[0].Error != "ErrRevoked" || !batch.Results[1].Verified {
		t.Errorf("verify folder: %+v", batch)
	}
	r = cli(t, dir, "", append(verify, "--verbose", "wallet")...)
	if r.code != 1 || !strings.Contains(r.stdout, "2 verified, 1 failed, 3 in all") || !strings.Contains(r.stdout, "FAILED    c0.jwt  ErrRevoked") {
		t.Errorf("verify folder text: exit %d\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stderr, "progress") || strings.Contains(r.stderr, "Alice") {
		t.Errorf("verify folder progress: %s", r.stderr)
	}
	ok(t, dir, "", "status", "clear", "list.json", idx)
	publish()
	out := ok(t, dir, "", append(verify, "wallet")...)
	if !strings.Contains(out, "3 verified, 0 failed") {
		t.Errorf("after clear: %s", out)
	}
}

func TestStatusSuspensionAndMessages(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "p256")
	const listURL = "https://status.example/suspension"
	ok(t, dir, "", "status", "create", "--id", listURL, "--purpose", "suspension", "--size", "200000", "susp.json")
	write(t, dir, "cred.json", credential("did:example:alice"))
	c := write(t, dir, "c.jwt", ok(t, dir, "", "issue", "--key", iss.file, "--status", "susp.json", "cred.json"))
	idx := entryIndex(t, dir, c)
	ok(t, dir, "", "status", "set", "susp.json", idx)
	write(t, dir, "susp.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "susp.json"))
	fails(t, dir, "", "ErrSuspended", "verify", "--accept-any-issuer", "--status-list", listURL+"=susp.jwt", c)

	// Two bits per entry, with a message for each value.
	const msgURL = "https://status.example/messages"
	ok(t, dir, "", "status", "create", "--id", msgURL, "--purpose", "message", "--status-size", "2",
		"--message", "0x0=valid", "--message", "0x1=pending", "--message", "0x2=under review", "--message", "0x3=closed", "msg.json")
	m := write(t, dir, "m.jwt", ok(t, dir, "", "issue", "--key", iss.file, "--status", "msg.json", "cred.json"))
	ok(t, dir, "", "status", "set", "--value", "2", "msg.json", entryIndex(t, dir, m))
	write(t, dir, "msg.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "msg.json"))
	out := ok(t, dir, "", "status", "check", "--status-list", msgURL+"=msg.jwt", m)
	if !strings.Contains(out, "is 2 (under review)") {
		t.Errorf("status check: %s", out)
	}
	ok(t, dir, "", "verify", "--accept-any-issuer", "--status-list", msgURL+"=msg.jwt", m)

	for _, args := range [][]string{
		{"status", "create", "list.json"},
		{"status", "create", "--id", "not a url", "list.json"},
		{"status", "create", "--id", listURL, "--size", "1000", "small.json"},
		{"status", "create", "--id", listURL, "--purpose", "refresh", "x.json"},
		{"status", "create", "--id", listURL, "--status-size", "2", "--message", "0x0=a", "x.json"},
		{"status", "create", "--id", listURL, "--purpose", "message", "x.json"},
		{"status", "set", "susp.json", "-1"},
		{"status", "set", "susp.json"},
		{"status", "set", "--value", "2", "susp.json", "3"},
		{"status", "publish", "--key", iss.file, "--format", "sd-jwt", "susp.json"},
		{"status", "check", c},
		{"status", "allocate"},
		{"verify", "--accept-any-issuer", "--skip-status", "--status-list", listURL + "=susp.jwt", c},
		{"verify", "--accept-any-issuer", "--status-list", "susp.jwt", c},
		{"verify", "--accept-any-issuer", "--status-list", "relative/url=susp.jwt", c},
	} {
		if r := cli(t, dir, "", args...); r.code != 2 {
			t.Errorf("credence %v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
	}
	fails(t, dir, "", "ErrStatusRange", "status", "set", "susp.json", "200000")
	fails(t, dir, "", "ErrMalformed", "status", "set", "cred.json", "1")
}

func TestStatusToken(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	holder := newIdentity(t, dir, "holder", "ed25519")
	const listURL = "https://status.example/tokens/1"
	ok(t, dir, "", "status", "create", "--token", "--status-size", "2", "--id", listURL, "tok.json")
	write(t, dir, "claims.json", sdClaims)
	sd := write(t, dir, "c.sdjwt", ok(t, dir, "", "issue", "--key", iss.file, "--format", "sd-jwt", "--vct", "https://x.example/id",
		"--holder-jwk", holder.file, "--disclose", "/given_name", "--status", "tok.json", "claims.json"))
	write(t, dir, "tok.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "tok.json"))
	lists := []string{"--status-list", listURL + "=tok.jwt"}
	ok(t, dir, "", append([]string{"verify", "--trust-issuer", iss.did, sd}, lists...)...)
	out := ok(t, dir, "", append([]string{"status", "check", sd}, lists...)...)
	if !strings.Contains(out, "(VALID)") {
		t.Errorf("status check: %s", out)
	}
	vp := write(t, dir, "vp", ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", sd))
	present := append([]string{"verify", "--presentation", "--nonce", "n", "--audience", "a", "--trust-issuer", iss.did, vp}, lists...)
	ok(t, dir, "", present...)

	in := decode[struct {
		Claims struct {
			Status struct {
				List struct {
					Idx int `json:"idx"`
				} `json:"status_list"`
			} `json:"status"`
		} `json:"claims"`
	}](t, ok(t, dir, "", "inspect", "--json", sd))
	idx := strconv.Itoa(in.Claims.Status.List.Idx)
	ok(t, dir, "", "status", "set", "--value", "suspended", "tok.json", idx)
	write(t, dir, "tok.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "tok.json"))
	fails(t, dir, "", "ErrSuspended", append([]string{"verify", "--trust-issuer", iss.did, sd}, lists...)...)
	ok(t, dir, "", "status", "set", "--value", "invalid", "tok.json", idx)
	write(t, dir, "tok.jwt", ok(t, dir, "", "status", "publish", "--key", iss.file, "tok.json"))
	fails(t, dir, "", "ErrRevoked", append([]string{"status", "check", sd}, lists...)...)
	// The key binding presentation fails too: the status travels with the credential.
	write(t, dir, "vp", ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n2", "--audience", "a", sd))
	present[3] = "n2"
	fails(t, dir, "", "ErrRevoked", present...)

	// A token list signed by another key of another issuer is refused.
	other := newIdentity(t, dir, "other", "ed25519")
	write(t, dir, "other.jwt", ok(t, dir, "", "status", "publish", "--key", other.file, "tok.json"))
	fails(t, dir, "", "ErrIssuerMismatch", "status", "check", "--status-list", listURL+"=other.jwt", sd)
	// A token list is for SD-JWT; a bitstring list for the VCDM formats.
	write(t, dir, "cred.json", credential(holder.did))
	if r := cli(t, dir, "", "issue", "--key", iss.file, "--status", "tok.json", "cred.json"); r.code != 2 {
		t.Errorf("token list for a vc+jwt: exit %d, want 2", r.code)
	}
}

func TestVerifyAt(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	write(t, dir, "cred.json", strings.Replace(credential("did:example:alice"), "2026-01-01", "2030-01-01", 1))
	c := write(t, dir, "c.jwt", ok(t, dir, "", "issue", "--key", iss.file, "cred.json"))
	// Issued now, valid from 2030 until 2036: an audit at each instant.
	fails(t, dir, "", "ErrNotYetValid", "verify", "--trust-issuer", iss.did, "--at", "2029-12-31T23:00:00Z", c)
	ok(t, dir, "", "verify", "--trust-issuer", iss.did, "--at", "2030-01-01T00:00:00Z", c)
	fails(t, dir, "", "ErrExpired", "verify", "--trust-issuer", iss.did, "--at", "2036-01-02T00:00:00Z", c)
}
