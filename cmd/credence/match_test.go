package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const testDefinition = `{"presentation_definition": {"id": "age-check", "input_descriptors": [
	{"id": "over18", "name": "Age", "purpose": "Prove you are over 18", "format": {"dc+sd-jwt": {}},
	 "constraints": {"limit_disclosure": "required",
	  "fields": [{"path": ["$.age_equal_or_over['18']"], "filter": {"type": "boolean", "const": true}}]}},
	{"id": "example", "format": {"jwt_vc_json": {}, "ldp_vc": {}},
	 "constraints": {"fields": [{"path": ["$.credentialSubject.ageOver18", "$.vc.credentialSubject.ageOver18"],
	  "filter": {"const": true}}]}}]}}`

const testQuery = `{"credentials": [
	{"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://x.example/id"]},
	 "claims": [{"path": ["age_equal_or_over", "18"], "values": [true]}]},
	{"id": "ex", "format": "jwt_vc_json", "meta": {"type_values": [["ExampleAgeCredential"]]},
	 "claims": [{"path": ["credentialSubject", "ageOver18"]}]}]}`

// walletDir fills a folder with credentials of every format and a file that is none.
func walletDir(t *testing.T, dir string) (iss, holder identity) {
	t.Helper()
	iss = newIdentity(t, dir, "issuer", "ed25519")
	holder = newIdentity(t, dir, "holder", "ed25519")
	w := filepath.Join(dir, "wallet")
	if err := os.Mkdir(w, 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "cred.json", credential(holder.did))
	write(t, dir, "cred11.json", credential11(holder.did))
	write(t, dir, "claims.json", sdClaims)
	write(t, w, "id.sdjwt", ok(t, dir, "", "issue", "--key", iss.file, "--format", "sd-jwt", "--vct", "https://x.example/id",
		"--holder-jwk", holder.file, "--disclose", "/given_name", "--disclose", "/birthdate",
		"--disclose", "/age_equal_or_over/18", "--disclose", "/age_equal_or_over/21", "claims.json"))
	write(t, w, "age.jwt", ok(t, dir, "", "issue", "--key", iss.file, "cred.json"))
	write(t, w, "age11.jwt", ok(t, dir, "", "issue", "--key", iss.file, "--format", "jwt11", "cred11.json"))
	write(t, w, "age.di", ok(t, dir, "", "issue", "--key", iss.file, "--format", "di", "cred.json"))
	write(t, w, "notes.txt", "not a credential")
	return iss, holder
}

func TestMatchPEX(t *testing.T) {
	dir := t.TempDir()
	walletDir(t, dir)
	write(t, dir, "def.json", testDefinition)
	got := decode[struct {
		Satisfied   bool `json:"satisfied"`
		Descriptors []struct {
			ID      string `json:"id"`
			Matches []struct {
				Credential      string   `json:"credential"`
				Format          string   `json:"format"`
				Disclose        []string `json:"disclose"`
				Limited         bool     `json:"limited"`
				WholeCredential bool     `json:"wholeCredential"`
			} `json:"matches"`
		} `json:"descriptors"`
		Submission struct {
			DefinitionID  string `json:"definition_id"`
			DescriptorMap []struct {
				ID, Format, Path string
			} `json:"descriptor_map"`
		} `json:"presentation_submission"`
		Skipped []struct{ File string } `json:"skipped"`
	}](t, ok(t, dir, "", "match", "--pex", "def.json", "--json", "wallet"))
	if !got.Satisfied || len(got.Descriptors) != 2 || got.Submission.DefinitionID != "age-check" || len(got.Submission.DescriptorMap) != 2 {
		t.Fatalf("match: %+v", got)
	}
	sd := got.Descriptors[0].Matches
	if len(sd) != 1 || sd[0].Credential != filepath.Join("wallet", "id.sdjwt") || !sd[0].Limited || sd[0].WholeCredential ||
		strings.Join(sd[0].Disclose, " ") != "/age_equal_or_over/18" {
		t.Errorf("over18 matches: %+v", sd)
	}
	var names []string
	for _, m := range got.Descriptors[1].Matches {
		names = append(names, filepath.Base(m.Credential)+":"+m.Format)
		if !m.WholeCredential {
			t.Errorf("%s: a JWT credential discloses everything", m.Credential)
		}
	}
	slices.Sort(names)
	if strings.Join(names, " ") != "age.di:ldp_vc age.jwt:jwt_vc_json age11.jwt:jwt_vc_json" {
		t.Errorf("example matches: %v", names)
	}
	if len(got.Skipped) != 1 || filepath.Base(got.Skipped[0].File) != "notes.txt" {
		t.Errorf("skipped: %+v", got.Skipped)
	}
	text := ok(t, dir, "", "match", "--pex", "def.json", "wallet")
	for _, want := range []string{"input descriptor over18 (Age: Prove you are over 18)", "discloses only /age_equal_or_over/18",
		"discloses the whole credential", "over18 <- wallet/id.sdjwt", "skipped wallet/notes.txt"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	// Files may be named one by one; without the SD-JWT the definition fails.
	fails(t, dir, "", "ErrNoMatch", "match", "--pex", "def.json", "wallet/age.jwt", "wallet/age.di")
	write(t, dir, "bad.json", `{"id": "x", "input_descriptors": [{"id": "a", "constraints": {"fields": [{"path": ["$..[?(@.a =~ 'x')]"]}]}}]}`)
	if r := cli(t, dir, "", "match", "--pex", "bad.json", "wallet"); r.code != 1 {
		t.Errorf("a definition that does not parse: exit %d, want 1", r.code)
	}
}

func TestMatchDCQL(t *testing.T) {
	dir := t.TempDir()
	walletDir(t, dir)
	write(t, dir, "query.json", testQuery)
	got := decode[struct {
		Satisfied bool `json:"satisfied"`
		Queries   []struct {
			ID      string `json:"id"`
			Matches []struct {
				Credential      string   `json:"credential"`
				Disclose        []string `json:"disclose"`
				WholeCredential bool     `json:"wholeCredential"`
			} `json:"matches"`
			Rejected []struct {
				Credential, Reason string
			} `json:"rejected"`
		} `json:"queries"`
		Response map[string][]struct {
			Credential string   `json:"credential"`
			Disclose   []string `json:"disclose"`
		} `json:"response"`
	}](t, ok(t, dir, "", "match", "--dcql", "query.json", "--json", "wallet"))
	if !got.Satisfied || len(got.Queries) != 2 {
		t.Fatalf("match: %+v", got)
	}
	pid := got.Response["pid"]
	if len(pid) != 1 || filepath.Base(pid[0].Credential) != "id.sdjwt" || strings.Join(pid[0].Disclose, " ") != "/age_equal_or_over/18" {
		t.Errorf("pid: %+v", pid)
	}
	ex := got.Response["ex"]
	if len(ex) != 1 || filepath.Base(ex[0].Credential) != "age.jwt" {
		t.Errorf("ex: %+v (queries %+v)", ex, got.Queries[1])
	}
	if m := got.Queries[1].Matches; len(m) != 1 || !m[0].WholeCredential {
		t.Errorf("ex matches: %+v", m)
	}
	text := ok(t, dir, "", "match", "--dcql", "query.json", "--verbose", "wallet")
	if !strings.Contains(text, "pid <- wallet/id.sdjwt") || !strings.Contains(text, "credential query ex (jwt_vc_json)") {
		t.Errorf("text output:\n%s", text)
	}
	write(t, dir, "other.json", `{"dcql_query": {"credentials": [{"id": "pid", "format": "dc+sd-jwt",
		"meta": {"vct_values": ["https://other.example/pid"]}}]}}`)
	fails(t, dir, "", "ErrNoMatch", "match", "--dcql", "other.json", "wallet")
	for _, args := range [][]string{
		{"match", "wallet"},
		{"match", "--pex", "query.json", "--dcql", "query.json", "wallet"},
		{"match", "--dcql", "query.json"},
	} {
		if r := cli(t, dir, "", args...); r.code != 2 {
			t.Errorf("credence %v: exit %d, want 2", args, r.code)
		}
	}
}
