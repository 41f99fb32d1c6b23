package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/vc"
)

func TestIssueYAML(t *testing.T) {
	dir := t.TempDir()
	iss := newIdentity(t, dir, "issuer", "ed25519")
	write(t, dir, "cred.yaml", `# a credential written as YAML
"@context":
  - https://www.w3.org/ns/credentials/v2
  - https://www.w3.org/ns/credentials/examples/v2
type: [VerifiableCredential, ExampleAgeCredential]
validFrom: 2026-01-01T00:00:00Z
credentialSubject:
  id: did:example:alice
  name: Alice
  ageOver18: true
  ageGroup: 18
  nickname: "007"
`)
	c := write(t, dir, "c.jwt", ok(t, dir, "", "issue", "--key", iss.file, "cred.yaml"))
	res := decode[struct {
		Claims struct {
			ValidFrom string         `json:"validFrom"`
			Subject   map[string]any `json:"credentialSubject"`
		} `json:"claims"`
	}](t, ok(t, dir, "", "verify", "--trust-issuer", iss.did, "--json", c))
	s := res.Claims.Subject
	if res.Claims.ValidFrom != "2026-01-01T00:00:00Z" || s["name"] != "Alice" || s["ageOver18"] != true || s["ageGroup"] != 18.0 || s["nickname"] != "007" {
		t.Errorf("claims from YAML: %+v", res.Claims)
	}
	// SD-JWT claims from stdin, YAML detected from the content.
	sd := ok(t, dir, "given_name: Alice\nage_equal_or_over:\n  18: true\n", "issue", "--key", iss.file, "--format", "sd-jwt",
		"--vct", "https://x.example/id", "--disclose", "/age_equal_or_over/18", "-")
	in := decode[struct {
		Disclosable []string `json:"disclosable"`
	}](t, ok(t, dir, sd, "inspect", "--json", "-"))
	if strings.Join(in.Disclosable, " ") != "/age_equal_or_over/18" {
		t.Errorf("disclosable: %v", in.Disclosable)
	}
	for _, tt := range []struct{ name, yaml, want string }{
		{"duplicate key", "a: 1\na: 2\n", "ErrMalformed"},
		{"anchor and alias", "a: &x [1, 2]\nb: *x\n", "ErrMalformed"},
		{"merge key", "base: {a: 1}\nc:\n  <<: {a: 1}\n", "ErrMalformed"},
		{"custom tag", "a: !secret x\n", "ErrMalformed"},
		{"binary", "a: !!binary aGVsbG8=\n", "ErrMalformed"},
		{"two documents", "a: 1\n---\nb: 2\n", "ErrMalformed"},
		{"not YAML", "a: [1, 2\n", "ErrMalformed"},
		{"infinity", "a: .inf\n", "ErrMalformed"},
		{"too deep", strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n", "ErrTooDeep"},
		{"far too deep for the parser", strings.Repeat("[", 20000) + "\n", "ErrMalformed"},
		{"too large", "a: \"" + strings.Repeat("x", 1<<20) + "\"\n", "ErrTooLarge"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fails(t, dir, tt.yaml, tt.want, "issue", "--key", iss.file, "--input", "yaml", "-")
		})
	}
	if r := cli(t, dir, "{}", "issue", "--key", iss.file, "--input", "toml", "-"); r.code != 2 {
		t.Errorf("--input toml: exit %d, want 2", r.code)
	}
}

func TestYAMLToJSON(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a: 1\nb: [x, 'y', 2.5, null, false]\n", `{"a":1,"b":["x","y",2.5,null,false]}`},
		{"18: true\n0x10: 1\n", `{"0x10":1,"18":true}`},
		{"t: 2026-01-01T00:00:00Z\n", `{"t":"2026-01-01T00:00:00Z"}`},
		{"h: 0x1F\n", `{"h":31}`},
		{"s: \"<&>\"\n", `{"s":"<&>"}`},
	} {
		got, err := yamlToJSON([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("yamlToJSON(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

// FuzzYAMLToJSON: any input either converts to one valid JSON value, or fails with one
// of the input sentinels; it never panics.
func FuzzYAMLToJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := yamlToJSON(data)
		if err != nil {
			if !errors.Is(err, vc.ErrMalformed) && !errors.Is(err, vc.ErrTooLarge) && !errors.Is(err, vc.ErrTooDeep) {
				t.Fatalf("error without an input sentinel: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %q from %q", out, data)
		}
	})
}
