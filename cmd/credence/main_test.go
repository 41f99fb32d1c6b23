package main

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credence-dev/credence/vc"
)

// bin is the credence binary built once for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "credence-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "credence")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building credence: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary gave.
type result struct {
	stdout, stderr string
	code           int
}

// cli runs credence in dir with args, stdin as its standard input.
func cli(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running credence %v: %v", args, err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

// ok runs credence and fails the test unless it exits 0.
func ok(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	r := cli(t, dir, stdin, args...)
	if r.code != 0 {
		t.Fatalf("credence %s: exit %d, stderr %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// fails runs credence, which must exit 1 with --json reporting the sentinel want.
func fails(t *testing.T, dir, stdin, want string, args ...string) {
	t.Helper()
	r := cli(t, dir, stdin, append(args, "--json")...)
	if r.code != 1 {
		t.Fatalf("credence %s: exit %d, want 1 (stderr %s)", strings.Join(args, " "), r.code, r.stderr)
	}
	var rep struct {
		Error   *string `json:"error"`
		Message string  `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("credence %s: stdout is not a JSON error: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	got := "<null>"
	if rep.Error != nil {
		got = *rep.Error
	}
	if got != want {
		t.Errorf("credence %s: error %s, want %s (%s)", strings.Join(args, " "), got, want, rep.Message)
	}
	if rep.Message == "" {
		t.Errorf("credence %s: empty message", strings.Join(args, " "))
	}
	if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); n != 0 {
		t.Errorf("stderr has %d lines, want one: %q", n+1, r.stderr)
	}
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
	return v
}

// identity is a key file and its DID.
type identity struct {
	file, did, kid string
}

func newIdentity(t *testing.T, dir, name, typ string) identity {
	t.Helper()
	file := name + ".jwk"
	info := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--type", typ, "--out", file, "--json"))
	return identity{file: file, did: info["didKey"].(string), kid: info["didKeyKid"].(string)}
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func credential(subject string) string {
	return `{"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "ExampleAgeCredential"],
		"validFrom": "2026-01-01T00:00:00Z", "validUntil": "2036-01-01T00:00:00Z",
		"credentialSubject": {"id": "` + subject + `", "name": "Alice", "ageOver18": true}}`
}

func credential11(subject string) string {
	return `{"@context": ["https://www.w3.org/2018/credentials/v1"],
		"type": ["VerifiableCredential"],
		"issuanceDate": "2026-01-01T00:00:00Z", "expirationDate": "2036-01-01T00:00:00Z",
		"credentialSubject": {"id": "` + subject + `", "name": "Alice", "ageOver18": true}}`
}

const sdClaims = `{"given_name": "Alice", "birthdate": "2001-04-12",
	"address": {"street_address": "1 Main Street", "locality": "Springfield"},
	"nationalities": ["DE", "FR"], "age_equal_or_over": {"18": true, "21": true}}`

func TestHelp(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string // in stdout
	}{
		{[]string{"--help"}, "Exit codes"},
		{[]string{"help"}, "Exit codes"},
		{[]string{"keys", "--help"}, "usage: credence keys <generate>"},
		{[]string{"did", "--help"}, "usage: credence did <create|resolve>"},
		{[]string{"keys", "generate", "--help"}, "Exit codes"},
		{[]string{"did", "create", "--help"}, "Exit codes"},
		{[]string{"did", "resolve", "--help"}, "Exit codes"},
		{[]string{"issue", "--help"}, "Exit codes"},
		{[]string{"present", "--help"}, "Exit codes"},
		{[]string{"verify", "--help"}, "Exit codes"},
		{[]string{"inspect", "-h"}, "Exit codes"},
		{[]string{"match", "--help"}, "Exit codes"},
		{[]string{"status", "--help"}, "usage: credence status <create|allocate|set|clear|publish|check>"},
		{[]string{"status", "create", "--help"}, "Exit codes"},
		{[]string{"status", "allocate", "--help"}, "Exit codes"},
		{[]string{"status", "set", "--help"}, "Exit codes"},
		{[]string{"status", "clear", "--help"}, "Exit codes"},
		{[]string{"status", "publish", "--help"}, "Exit codes"},
		{[]string{"status", "check", "--help"}, "Exit codes"},
	} {
		r := cli(t, dir, "", tt.args...)
		if r.code != 0 || !strings.Contains(r.stdout, tt.want) || r.stderr != "" {
			t.Errorf("credence %v: exit %d, stdout %q, stderr %q", tt.args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	cred := write(t, dir, "cred.json", credential(iss.did))
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"keys"},
		{"keys", "rotate"},
		{"keys", "generate", "--type", "rsa"},
		{"keys", "generate", "--format", "der"},
		{"keys", "generate", "--no-such-flag"},
		{"keys", "generate", "extra"},
		{"did", "create"},
		{"did", "create", "--key", iss.file, "--method", "web"},
		{"did", "resolve"},
		{"did", "resolve", "--resolver", "https://resolver.example", "--resolver-method", "ion", "did:ion:x"},
		{"did", "resolve", "--allow-network", "--resolver", "https://resolver.example", "did:ion:x"},
		{"did", "resolve", "--allow-network", "--resolver-method", "ion", "did:ion:x"},
		{"did", "resolve", "--allow-network", "--resolver", "https://resolver.example", "--resolver-method", "key", "did:ion:x"},
		{"did", "resolve", "--allow-network", "--resolver", "http://resolver.example", "--resolver-method", "ion", "did:ion:x"},
		{"status"},
		{"status", "revoke"},
		{"issue", "--key", iss.file, "--format", "cose", cred},
		{"issue", "--key", iss.file, "--format", "sd-jwt", cred},
		{"issue", "--key", iss.file, "--format", "jwt", "--disclose", "/name", cred},
		{"issue", "--key", iss.file},
		{"issue", cred},
		{"present", "--key", iss.file},
		{"verify", cred},
		{"verify", "--accept-any-issuer", "--trust-issuer", iss.did, cred},
		{"verify", "--accept-any-issuer", "--nonce", "n", cred},
		{"verify", "--accept-any-issuer", "--presentation", "--nonce", "n", cred},
		{"verify", "--accept-any-issuer", "--at", "yesterday", cred},
		{"verify", "--accept-any-issuer"},
		{"inspect"},
	} {
		r := cli(t, dir, "", args...)
		if r.code != 2 {
			t.Errorf("credence %v: exit %d, want 2 (stderr %q)", args, r.code, r.stderr)
		}
		if r.stderr == "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 && len(args) > 0 {
			t.Errorf("credence %v: stderr %q, want one line", args, r.stderr)
		}
		if strings.Contains(r.stderr, "goroutine") {
			t.Errorf("credence %v: stack trace on stderr", args)
		}
	}
}

func TestKeysGenerate(t *testing.T) {
	dir := t.TempDir()
	for _, typ := range []string{"ed25519", "p256", "p384", "secp256k1"} {
		t.Run(typ, func(t *testing.T) {
			file := typ + ".jwk"
			info := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--type", typ, "--out", file, "--json"))
			if _, has := info["privateJwk"]; has {
				t.Error("--json with --out printed the private key")
			}
			for _, k := range []string{"didKey", "didKeyKid", "didJwk", "didJwkKid", "algorithm", "publicKey"} {
				if s, _ := info[k].(string); s == "" && k != "publicKey" || info[k] == nil {
					t.Errorf("%s missing: %v", k, info)
				}
			}
			if !strings.HasPrefix(info["didKey"].(string), "did:key:") || !strings.HasPrefix(info["didJwk"].(string), "did:jwk:") {
				t.Errorf("DIDs: %v", info)
			}
			st, err := os.Stat(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
			}
			priv := decode[map[string]any](t, readFile(t, dir, file))
			if priv["d"] == nil {
				t.Errorf("key file holds no private key: %v", priv)
			}
			// The DID create prints agrees with keys generate.
			got := decode[map[string]any](t, ok(t, dir, "", "did", "create", "--key", file, "--json"))
			if got["did"] != info["didKey"] || got["kid"] != info["didKeyKid"] {
				t.Errorf("did create: %v, keys generate: %v", got, info)
			}
			got = decode[map[string]any](t, ok(t, dir, "", "did", "create", "--key", file, "--method", "jwk", "--json"))
			if got["did"] != info["didJwk"] || got["kid"] != info["didJwkKid"] {
				t.Errorf("did create --method jwk: %v, keys generate: %v", got, info)
			}
		})
	}
	t.Run("pem", func(t *testing.T) {
		for _, typ := range []string{"ed25519", "p256", "p384", "secp256k1"} {
			info := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--type", typ, "--format", "pem", "--json"))
			p, _ := info["publicKey"].(string)
			block, rest := pem.Decode([]byte(p))
			if block == nil || block.Type != "PUBLIC KEY" || len(rest) != 0 {
				t.Fatalf("%s: publicKey %q is not one PEM public key", typ, p)
			}
			if typ == "secp256k1" {
				// crypto/x509 does not know the curve: check the structure and the point.
				var spki struct {
					Algorithm struct{ Algorithm, Curve asn1.ObjectIdentifier }
					Key       asn1.BitString
				}
				if _, err := asn1.Unmarshal(block.Bytes, &spki); err != nil || !spki.Algorithm.Curve.Equal(asn1.ObjectIdentifier{1, 3, 132, 0, 10}) || len(spki.Key.Bytes) != 65 {
					t.Errorf("secp256k1 SubjectPublicKeyInfo: %+v, %v", spki, err)
				}
				continue
			}
			if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
				t.Errorf("%s: %v", typ, err)
			}
		}
	})
	t.Run("multikey", func(t *testing.T) {
		info := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--format", "multikey", "--json"))
		if mk, _ := info["publicKey"].(string); !strings.HasPrefix(mk, "z6Mk") {
			t.Errorf("publicKey %v, want an Ed25519 Multikey", info["publicKey"])
		}
		if info["privateJwk"] == nil {
			t.Error("without --out, --json must hold the private key")
		}
	})
	t.Run("stdout", func(t *testing.T) {
		r := cli(t, dir, "", "keys", "generate")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		priv := decode[map[string]any](t, r.stdout)
		if priv["d"] == nil || priv["crv"] != "Ed25519" {
			t.Errorf("stdout is not a private Ed25519 JWK: %s", r.stdout)
		}
		if !strings.Contains(r.stderr, "did:key:") {
			t.Errorf("stderr has no summary: %s", r.stderr)
		}
	})
	t.Run("no overwrite", func(t *testing.T) {
		write(t, dir, "exists.jwk", "{}")
		if r := cli(t, dir, "", "keys", "generate", "--out", "exists.jwk"); r.code != 1 {
			t.Errorf("exit %d, want 1", r.code)
		}
		if readFile(t, dir, "exists.jwk") != "{}" {
			t.Error("an existing file was overwritten")
		}
	})
	t.Run("bls12381g2", func(t *testing.T) {
		info := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--type", "bls12381g2", "--out", "bbs.jwk", "--json"))
		if info["algorithm"] != "BBS" || !strings.HasPrefix(info["didKey"].(string), "did:key:zUC7") {
			t.Errorf("BBS key: %v", info)
		}
		priv := decode[map[string]any](t, readFile(t, dir, "bbs.jwk"))
		if priv["crv"] != "BLS12381G2" || priv["d"] == nil {
			t.Errorf("BBS private JWK: %v", priv)
		}
		got := decode[map[string]any](t, ok(t, dir, "", "did", "create", "--key", "bbs.jwk", "--json"))
		if got["did"] != info["didKey"] {
			t.Errorf("did create: %v, keys generate: %v", got["did"], info["didKey"])
		}
		mk := decode[map[string]any](t, ok(t, dir, "", "keys", "generate", "--type", "bls12381g2", "--format", "multikey", "--json"))
		if s, _ := mk["publicKey"].(string); !strings.HasPrefix(s, "zUC7") {
			t.Errorf("BBS Multikey: %v", mk["publicKey"])
		}
		if r := cli(t, dir, "", "keys", "generate", "--type", "bls12381g2", "--format", "pem"); r.code != 2 {
			t.Errorf("BBS key as PEM: exit %d, want 2", r.code)
		}
	})
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// verified is the --json output of a verified presentation.
type verified struct {
	Verified    bool   `json:"verified"`
	Kind        string `json:"kind"`
	Format      string `json:"format"`
	Holder      string `json:"holder"`
	Credentials []struct {
		Format string         `json:"format"`
		Issuer string         `json:"issuer"`
		Claims map[string]any `json:"claims"`
	} `json:"credentials"`
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	holder := newIdentity(t, dir, "holder", "p256")
	write(t, dir, "cred.json", credential(holder.did))
	write(t, dir, "cred11.json", credential11(holder.did))
	write(t, dir, "claims.json", sdClaims)
	for _, tt := range []struct {
		format, input, vpFormat string
		issueArgs, presentArgs  []string
	}{
		{format: "jwt", input: "cred.json", vpFormat: "jwt"},
		{format: "jwt11", input: "cred11.json", vpFormat: "jwt11"},
		{format: "di", input: "cred.json", vpFormat: "di"},
		{format: "sd-jwt", input: "claims.json", vpFormat: "dc+sd-jwt",
			issueArgs: []string{"--vct", "https://issuer.example/age", "--holder-jwk", holder.file,
				"--disclose", "/given_name", "--disclose", "/birthdate", "--disclose", "/address",
				"--disclose", "/nationalities/*", "--disclose", "/age_equal_or_over/18", "--disclose", "/age_equal_or_over/21"},
			presentArgs: []string{"--disclose", "/age_equal_or_over/18"}},
	} {
		t.Run(tt.format, func(t *testing.T) {
			args := append([]string{"issue", "--key", iss.file, "--kid", iss.kid, "--format", tt.format}, tt.issueArgs...)
			token := ok(t, dir, "", append(args, tt.input)...)
			cred := write(t, dir, tt.format+".cred", token)

			// As issued, read from stdin.
			got := decode[map[string]any](t, ok(t, dir, token, "verify", "--trust-issuer", iss.did, "--json", "-"))
			if got["verified"] != true || got["issuer"] != iss.did {
				t.Errorf("verify credential: %v", got)
			}
			if text := ok(t, dir, "", "verify", "--trust-issuer", iss.did, cred); !strings.HasPrefix(text, "VERIFIED credential") {
				t.Errorf("text output: %s", text)
			}
			in := decode[map[string]any](t, ok(t, dir, "", "inspect", "--json", cred))
			if in["verified"] != false {
				t.Errorf("inspect --json: %v", in)
			}
			if text := ok(t, dir, "", "inspect", cred); !strings.Contains(text, "UNVERIFIED") {
				t.Errorf("inspect text output not marked UNVERIFIED: %s", text)
			}

			bind := []string{"--nonce", "nonce-" + tt.format, "--audience", "did:example:verifier"}
			if tt.vpFormat == "di" {
				bind = []string{"--challenge", "challenge-di", "--domain", "verifier.example"}
			}
			args = append(append([]string{"present", "--key", holder.file, "--kid", holder.kid}, bind...), tt.presentArgs...)
			vp := write(t, dir, tt.format+".vp", ok(t, dir, "", append(args, cred)...))
			args = append(append([]string{"verify", "--presentation", "--trust-issuer", iss.did, "--json"}, bind...), vp)
			res := decode[verified](t, ok(t, dir, "", args...))
			if !res.Verified || res.Kind != "presentation" || res.Format != tt.vpFormat || len(res.Credentials) != 1 {
				t.Fatalf("verify presentation: %+v", res)
			}
			c := res.Credentials[0]
			if c.Issuer != iss.did {
				t.Errorf("issuer %q, want %q", c.Issuer, iss.did)
			}
			if tt.format != "sd-jwt" {
				if res.Holder != holder.did {
					t.Errorf("holder %q, want %q", res.Holder, holder.did)
				}
				subject, _ := c.Claims["credentialSubject"].(map[string]any)
				if subject["ageOver18"] != true {
					t.Errorf("claims %v", c.Claims)
				}
				return
			}
			age, _ := c.Claims["age_equal_or_over"].(map[string]any)
			if age["18"] != true {
				t.Errorf("age_equal_or_over.18 not disclosed: %v", c.Claims)
			}
			for _, hidden := range []string{"given_name", "birthdate", "address"} {
				if _, seen := c.Claims[hidden]; seen {
					t.Errorf("%s was disclosed: %v", hidden, c.Claims)
				}
			}
			if _, seen := age["21"]; seen {
				t.Errorf("age_equal_or_over.21 was disclosed: %v", c.Claims)
			}
			// The same SD-JWT presentation again is a replay only within one verifier;
			// a second run is a new process, so it verifies again.
		})
	}
}

func TestVerifyFailures(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	holder := newIdentity(t, dir, "holder", "ed25519")
	write(t, dir, "cred.json", credential(holder.did))
	token := strings.TrimSpace(ok(t, dir, "", "issue", "--key", iss.file, "--format", "jwt", "cred.json"))
	cred := write(t, dir, "cred.jwt", token)
	vp := write(t, dir, "vp.jwt", ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n-1", "--audience", "did:example:v", cred))
	write(t, dir, "future.json", strings.Replace(credential(holder.did), "2026-01-01", "2035-01-01", 1))
	future := write(t, dir, "future.jwt", ok(t, dir, "", "issue", "--key", iss.file, "future.json"))
	write(t, dir, "garbage.txt", "{not json")
	write(t, dir, "other-trust.json", `{"issuers": [{"id": "did:example:ministry"}]}`)
	write(t, dir, "typed-trust.json", `{"issuers": [{"id": "`+iss.did+`", "types": ["DrivingLicence"]}]}`)
	write(t, dir, "trust.json", `{"issuers": [{"id": "`+iss.did+`", "types": ["ExampleAgeCredential"]}]}`)

	// Flip one character of the signature.
	sig := []byte(token)
	i := len(sig) - 5
	if sig[i] == 'A' {
		sig[i] = 'B'
	} else {
		sig[i] = 'A'
	}
	tampered := write(t, dir, "tampered.jwt", string(sig))
	payload := strings.Split(token, ".")
	payload[1] = payload[1][:len(payload[1])-2] + "xx"
	tamperedPayload := write(t, dir, "tampered-payload.jwt", strings.Join(payload, "."))

	ok(t, dir, "", "verify", "--trust", "trust.json", cred)
	ok(t, dir, "", "verify", "--trust", "other-trust.json", "--trust-issuer", iss.did, cred)
	ok(t, dir, "", "verify", "--accept-any-issuer", "--at", "2030-01-01T00:00:00Z", cred)

	for _, tt := range []struct {
		name, want string
		args       []string
	}{
		{"untrusted issuer", "ErrUntrustedIssuer", []string{"--trust-issuer", "did:example:ministry", cred}},
		{"untrusted issuer (file)", "ErrUntrustedIssuer", []string{"--trust", "other-trust.json", cred}},
		{"untrusted type", "ErrUntrustedIssuer", []string{"--trust", "typed-trust.json", cred}},
		{"expired", "ErrExpired", []string{"--accept-any-issuer", "--at", "2036-06-01T00:00:00Z", cred}},
		{"not yet valid", "ErrNotYetValid", []string{"--accept-any-issuer", future}},
		{"issued in the future", "ErrIssuedInFuture", []string{"--accept-any-issuer", "--at", "2025-06-01T00:00:00Z", cred}},
		{"tampered signature", "ErrInvalidSignature", []string{"--accept-any-issuer", tampered}},
		{"tampered payload", "", []string{"--accept-any-issuer", tamperedPayload}},
		{"wrong nonce", "ErrNonceMismatch", []string{"--presentation", "--nonce", "n-2", "--audience", "did:example:v", "--accept-any-issuer", vp}},
		{"wrong audience", "ErrAudienceMismatch", []string{"--presentation", "--nonce", "n-1", "--audience", "did:example:w", "--accept-any-issuer", vp}},
		{"presentation as credential", "ErrInvalidType", []string{"--accept-any-issuer", vp}},
		{"unsecured JSON", "ErrMissingProof", []string{"--accept-any-issuer", "cred.json"}},
		{"not JSON", "ErrMalformed", []string{"--accept-any-issuer", "garbage.txt"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				r := cli(t, dir, "", append([]string{"verify", "--json"}, tt.args...)...)
				if r.code != 1 {
					t.Errorf("exit %d, want 1", r.code)
				}
				return
			}
			fails(t, dir, "", tt.want, append([]string{"verify"}, tt.args...)...)
		})
	}
	t.Run("missing file", func(t *testing.T) {
		r := cli(t, dir, "", "verify", "--accept-any-issuer", "no-such-file")
		if r.code != 1 || r.stdout != "" {
			t.Errorf("exit %d, stdout %q", r.code, r.stdout)
		}
	})
}

func TestDIDResolve(t *testing.T) {
	dir := t.TempDir()
	id := newIdentity(t, dir, "k", "ed25519")
	res := decode[map[string]any](t, ok(t, dir, "", "did", "resolve", id.did))
	doc, _ := res["didDocument"].(map[string]any)
	if doc["id"] != id.did {
		t.Errorf("resolved %v", res)
	}
	// did:web stays offline without --allow-network.
	r := cli(t, dir, "", "did", "resolve", "did:web:example.com")
	if r.code != 1 || !strings.Contains(r.stderr, "--allow-network") {
		t.Errorf("did:web without --allow-network: exit %d, stderr %q", r.code, r.stderr)
	}
	fails(t, dir, "", "ErrInvalidDID", "did", "resolve", "not-a-did")
	// did:peer resolves offline (numalgo 0 is the key itself).
	peerDID := "did:peer:0" + strings.TrimPrefix(id.did, "did:key:")
	res = decode[map[string]any](t, ok(t, dir, "", "did", "resolve", peerDID))
	if doc, _ := res["didDocument"].(map[string]any); doc["id"] != peerDID {
		t.Errorf("did:peer: %v", res)
	}
	// A method no resolver handles, and no --resolver for it.
	fails(t, dir, "", "ErrMethodNotSupported", "did", "resolve", "did:ion:EiClkZMDxPKqC9c-umQfTkR8vvZ9JPhl_xLDI9Nfk38w5w")

	// A document supplied locally, used to verify a credential of a did:web issuer.
	jwkDoc := decode[map[string]any](t, ok(t, dir, "", "did", "create", "--key", id.file, "--json"))
	pub := jwkDoc["didDocument"].(map[string]any)["verificationMethod"].([]any)[0].(map[string]any)
	webDID := "did:web:issuer.example"
	vm := map[string]any{"id": webDID + "#key-1", "type": pub["type"], "controller": webDID,
		"publicKeyMultibase": pub["publicKeyMultibase"]}
	local, err := json.Marshal(map[string]any{
		"@context": []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":       webDID, "verificationMethod": []any{vm},
		"assertionMethod": []string{webDID + "#key-1"}, "authentication": []string{webDID + "#key-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "web.json", string(local))
	res = decode[map[string]any](t, ok(t, dir, "", "did", "resolve", "--did-document", "web.json", webDID))
	if doc, _ := res["didDocument"].(map[string]any); doc["id"] != webDID {
		t.Errorf("local document: %v", res)
	}
	write(t, dir, "cred.json", credential("did:example:alice"))
	cred := write(t, dir, "web.jwt", ok(t, dir, "", "issue", "--key", id.file, "--kid", webDID+"#key-1", "cred.json"))
	ok(t, dir, "", "verify", "--did-document", "web.json", "--trust-issuer", webDID, cred)
	fails(t, dir, "", "ErrMethodNotSupported", "verify", "--trust-issuer", webDID, cred)
}

func TestDisclosePaths(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(sdClaims), &doc); err != nil {
		t.Fatal(err)
	}
	errUsage := errors.New("usage error")
	for _, tt := range []struct {
		in   string
		want error // nil: accepted, and written back as in
	}{
		{"/given_name", nil},
		{"/address/street_address", nil},
		{"/nationalities/1", nil},
		{"/nationalities/*", nil},
		{"/age_equal_or_over/18", nil},
		{"given_name", errUsage},
		{"/nationalities/01", errUsage},
		{"/nationalities/x", errUsage},
		{"/nationalities/2", vc.ErrNotFound},
		{"/given_name/x", vc.ErrNotFound},
		{"/nobody", vc.ErrNotFound},
	} {
		p, err := parsePath(tt.in, doc)
		var ue *usageError
		switch {
		case tt.want == nil && err != nil, tt.want == errUsage && !errors.As(err, &ue),
			tt.want != nil && tt.want != errUsage && !errors.Is(err, tt.want):
			t.Errorf("parsePath(%q): %v, want %v", tt.in, err, tt.want)
		case err == nil && pointer(p) != tt.in:
			t.Errorf("parsePath(%q) = %s", tt.in, pointer(p))
		}
	}
	p, err := parsePath("/a~1b/c~0d", map[string]any{"a/b": map[string]any{"c~d": 1}})
	if err != nil || len(p) != 2 || p[0] != "a/b" || p[1] != "c~d" || pointer(p) != "/a~1b/c~0d" {
		t.Errorf("escapes: %v, %v", p, err)
	}
}

func TestMore(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "p384")
	holder := newIdentity(t, dir, "holder", "ed25519")
	k1 := newIdentity(t, dir, "k1", "secp256k1")
	credJSON := credential(holder.did)

	t.Run("stdin and two credentials", func(t *testing.T) {
		a := write(t, dir, "a.jwt", ok(t, dir, credJSON, "issue", "--key", iss.file, "-"))
		b := write(t, dir, "b.jwt", ok(t, dir, credJSON, "issue", "--key", iss.file, "--format", "jwt", "-"))
		vp := ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", a, b)
		res := decode[verified](t, ok(t, dir, vp, "verify", "--presentation", "--nonce", "n", "--audience", "a",
			"--trust-issuer", iss.did, "--json", "-"))
		if len(res.Credentials) != 2 {
			t.Errorf("%d credentials, want 2", len(res.Credentials))
		}
	})
	t.Run("ES256K needs --alg", func(t *testing.T) {
		c := write(t, dir, "k1.jwt", ok(t, dir, credJSON, "issue", "--key", k1.file, "-"))
		fails(t, dir, "", "ErrAlgorithmNotAllowed", "verify", "--trust-issuer", k1.did, c)
		ok(t, dir, "", "verify", "--trust-issuer", k1.did, "--alg", "ES256K", c)
	})
	t.Run("Data Integrity challenge and domain", func(t *testing.T) {
		c := write(t, dir, "c.di", ok(t, dir, credJSON, "issue", "--key", iss.file, "--format", "di", "-"))
		vp := write(t, dir, "vp.di", ok(t, dir, "", "present", "--key", holder.file, "--challenge", "c-1", "--domain", "v.example", c))
		fails(t, dir, "", "ErrChallengeMismatch", "verify", "--presentation", "--challenge", "c-2", "--domain", "v.example", "--trust-issuer", iss.did, vp)
		fails(t, dir, "", "ErrDomainMismatch", "verify", "--presentation", "--challenge", "c-1", "--domain", "w.example", "--trust-issuer", iss.did, vp)
		if r := cli(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", c); r.code != 2 {
			t.Errorf("a Data Integrity presentation without --challenge: exit %d, want 2", r.code)
		}
	})
	t.Run("SD-JWT", func(t *testing.T) {
		write(t, dir, "claims.json", sdClaims)
		c := write(t, dir, "c.sdjwt", ok(t, dir, "", "issue", "--key", iss.file, "--format", "sd-jwt", "--vct", "https://x.example/id",
			"--holder-jwk", holder.file, "--disclose", "/given_name", "--disclose", "/birthdate", "claims.json"))
		in := decode[struct {
			Disclosable []string `json:"disclosable"`
		}](t, ok(t, dir, "", "inspect", "--json", c))
		if strings.Join(in.Disclosable, " ") != "/birthdate /given_name" {
			t.Errorf("disclosable %v", in.Disclosable)
		}
		vp := ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", "--disclose", "/given_name", c)
		vpFile := write(t, dir, "vp.sdjwt", vp)
		// A presentation is not a credential as issued: its key binding must be checked.
		fails(t, dir, "", "ErrInvalidType", "verify", "--trust-issuer", iss.did, vpFile)
		fails(t, dir, "", "ErrNonceMismatch", "verify", "--presentation", "--nonce", "m", "--audience", "a", "--trust-issuer", iss.did, vpFile)
		// Another key than the cnf key cannot present it.
		if r := cli(t, dir, "", "present", "--key", iss.file, "--nonce", "n", "--audience", "a", c); r.code != 1 {
			t.Errorf("presenting with another key: exit %d, want 1", r.code)
		}
		if r := cli(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", "--disclose", "/nobody", c); r.code != 1 {
			t.Errorf("disclosing a claim that does not exist: exit %d, want 1", r.code)
		}
		if r := cli(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", c, c); r.code != 2 {
			t.Errorf("two SD-JWTs: exit %d, want 2", r.code)
		}
	})
	t.Run("status", func(t *testing.T) {
		withStatus := strings.Replace(credJSON, `"credentialSubject"`, `"credentialStatus": {"id": "https://status.example/1#7",
			"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
			"statusListCredential": "https://status.example/1"}, "credentialSubject"`, 1)
		c := write(t, dir, "status.jwt", ok(t, dir, withStatus, "issue", "--key", iss.file, "-"))
		// The status list cannot be fetched offline: fail closed unless told to skip.
		if r := cli(t, dir, "", "verify", "--trust-issuer", iss.did, "--json", c); r.code != 1 || !strings.Contains(r.stdout, `"error": "ErrStatus`) {
			t.Errorf("unchecked status: exit %d, stdout %s", r.code, r.stdout)
		}
		ok(t, dir, "", "verify", "--trust-issuer", iss.did, "--skip-status", c)
	})
	t.Run("presentation at another time", func(t *testing.T) {
		c := write(t, dir, "t.jwt", ok(t, dir, credJSON, "issue", "--key", iss.file, "-"))
		vp := write(t, dir, "t.vp", ok(t, dir, "", "present", "--key", holder.file, "--nonce", "n", "--audience", "a", c))
		fails(t, dir, "", "ErrStale", "verify", "--presentation", "--nonce", "n", "--audience", "a", "--trust-issuer", iss.did, "--at", "2035-01-01T00:00:00Z", vp)
	})
	t.Run("verbose", func(t *testing.T) {
		c := write(t, dir, "v.jwt", ok(t, dir, credJSON, "issue", "--key", iss.file, "-"))
		r := cli(t, dir, "", "verify", "--trust-issuer", iss.did, "--verbose", c)
		if r.code != 0 || !strings.Contains(r.stderr, "verified credential") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "Alice") {
			t.Errorf("--verbose logged a claim value: %s", r.stderr)
		}
		if q := cli(t, dir, "", "verify", "--trust-issuer", iss.did, c); q.stderr != "" {
			t.Errorf("stderr without --verbose: %q", q.stderr)
		}
	})
}
