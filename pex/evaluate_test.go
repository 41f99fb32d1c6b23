package pex_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/pex"
)

func claims(t *testing.T, s string) map[string]any {
	t.Helper()
	v, err := jsonx.Decode([]byte(s), jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return v.(map[string]any)
}

func TestParseDefinitionRejects(t *testing.T) {
	desc := func(constraints string) string {
		return `{"id": "d", "input_descriptors": [{"id": "a", "constraints": ` + constraints + `}]}`
	}
	field := func(f string) string { return desc(`{"fields": [` + f + `]}`) }
	tests := []struct {
		name, def string
		want      error
	}{
		{"minimal", `{"id": "d", "input_descriptors": []}`, nil},
		{"field", field(`{"path": ["$.a", "$.b[*].c"], "filter": {"type": "string", "pattern": "^x"}, "optional": true}`), nil},
		{"draft-07 schema", field(`{"path": ["$.a"], "filter": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}}`), nil},
		{"local ref", field(`{"path": ["$.a"], "filter": {"$ref": "#/definitions/s", "definitions": {"s": {"type": "string"}}}}`), nil},
		{"no id", `{"input_descriptors": []}`, pex.ErrMalformed},
		{"no descriptors", `{"id": "d"}`, pex.ErrMalformed},
		{"duplicate descriptor", `{"id": "d", "input_descriptors": [{"id": "a", "constraints": {}}, {"id": "a", "constraints": {}}]}`, pex.ErrMalformed},
		{"no constraints", `{"id": "d", "input_descriptors": [{"id": "a"}]}`, pex.ErrMalformed},
		{"bad limit_disclosure", desc(`{"limit_disclosure": "always"}`), pex.ErrMalformed},
		{"empty path", field(`{"path": []}`), pex.ErrMalformed},
		{"bad path", field(`{"path": ["$.a["]}`), pex.ErrUnsupportedPath},
		{"not jsonpath", field(`{"path": ["a.b"]}`), pex.ErrUnsupportedPath},
		{"remote ref", field(`{"path": ["$.a"], "filter": {"$ref": "https://example.com/schema.json"}}`), pex.ErrRemoteReference},
		{"file ref", field(`{"path": ["$.a"], "filter": {"$ref": "file:///etc/passwd"}}`), pex.ErrRemoteReference},
		{"bad schema", field(`{"path": ["$.a"], "filter": {"type": 5}}`), pex.ErrUnsupportedSchema},
		{"backtracking pattern", field(`{"path": ["$.a"], "filter": {"type": "string", "pattern": "(a+)+\\1"}}`), pex.ErrUnsafePattern},
		{"look-ahead pattern property", field(`{"path": ["$.a"], "filter": {"type": "object", "patternProperties": {"^(?=x)": {}}}}`), pex.ErrUnsafePattern},
		{"pattern in const", field(`{"path": ["$.a"], "filter": {"const": {"pattern": "(?=x)"}}}`), nil},
		{"nested pattern", field(`{"path": ["$.a"], "filter": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}}}`), nil},
		{"optional not bool", field(`{"path": ["$.a"], "optional": "yes"}`), pex.ErrMalformed},
		{"predicate without filter", field(`{"path": ["$.a"], "predicate": "required"}`), pex.ErrMalformed},
		{"bad rule", `{"id": "d", "input_descriptors": [{"id": "a", "group": ["A"], "constraints": {}}], "submission_requirements": [{"rule": "any", "from": "A"}]}`, pex.ErrMalformed},
		{"unknown group", `{"id": "d", "input_descriptors": [{"id": "a", "group": ["A"], "constraints": {}}], "submission_requirements": [{"rule": "all", "from": "B"}]}`, pex.ErrMalformed},
		{"from and from_nested", `{"id": "d", "input_descriptors": [{"id": "a", "group": ["A"], "constraints": {}}], "submission_requirements": [{"rule": "all", "from": "A", "from_nested": [{"rule": "all", "from": "A"}]}]}`, pex.ErrMalformed},
		{"negative count", `{"id": "d", "input_descriptors": [{"id": "a", "group": ["A"], "constraints": {}}], "submission_requirements": [{"rule": "pick", "count": -1, "from": "A"}]}`, pex.ErrMalformed},
		{"min over max", `{"id": "d", "input_descriptors": [{"id": "a", "group": ["A"], "constraints": {}}], "submission_requirements": [{"rule": "pick", "min": 2, "max": 1, "from": "A"}]}`, pex.ErrMalformed},
		{"duplicate member", `{"id": "d", "id": "e", "input_descriptors": []}`, pex.ErrMalformed},
		{"too deep", `{"id": "d", "input_descriptors": [], "x": ` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`, pex.ErrTooDeep},
		{"too large", `{"id": "d", "input_descriptors": [], "x": "` + strings.Repeat("a", 256<<10) + `"}`, pex.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := pex.ParseDefinition([]byte(tc.def))
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if (d == nil) == (err == nil) {
				t.Error("definition and error both or neither")
			}
		})
	}
}

const loanDefinition = `{
	"id": "loan",
	"format": {"jwt_vc": {"alg": ["EdDSA"]}, "ldp_vc": {"proof_type": ["DataIntegrityProof"]}, "vc+sd-jwt": {}},
	"submission_requirements": [
		{"rule": "pick", "count": 1, "from": "bank"},
		{"rule": "pick", "min": 1, "max": 1, "from_nested": [
			{"rule": "all", "from": "job"},
			{"rule": "all", "from": "id"}
		]}
	],
	"input_descriptors": [
		{"id": "bank_1", "group": ["bank"], "constraints": {"limit_disclosure": "required", "fields": [
			{"path": ["$.credentialSubject.account", "$.vc.credentialSubject.account"], "filter": {"type": "string", "pattern": "^DE"}}
		]}},
		{"id": "bank_2", "group": ["bank"], "constraints": {"fields": [
			{"path": ["$.vc.credentialSubject.iban"]}
		]}},
		{"id": "employment", "group": ["job"], "constraints": {"limit_disclosure": "preferred", "fields": [
			{"path": ["$.credentialSubject.employer"]},
			{"path": ["$.credentialSubject.salary"], "filter": {"type": "number", "minimum": 30000}},
			{"path": ["$.credentialSubject.manager"], "optional": true}
		]}},
		{"id": "passport", "group": ["id"], "constraints": {"fields": [
			{"path": ["$.type"], "filter": {"type": "array", "contains": {"const": "Passport"}}},
			{"path": ["$.credentialSubject.names[*]"], "filter": {"type": "string", "minLength": 2}}
		]}}
	]
}`

func TestEvaluate(t *testing.T) {
	def, err := pex.ParseDefinition([]byte(loanDefinition))
	if err != nil {
		t.Fatal(err)
	}
	sdBank := pex.Candidate{ID: "sd_bank", Format: "vc+sd-jwt", SelectiveDisclosure: true,
		Claims: claims(t, `{"credentialSubject": {"account": "DE89", "balance": 3}}`)}
	ldpBank := pex.Candidate{ID: "ldp_bank", Format: "ldp_vc", Claims: claims(t, `{"credentialSubject": {"account": "DE12"}}`)}
	frBank := pex.Candidate{ID: "fr_bank", Format: "vc+sd-jwt", SelectiveDisclosure: true,
		Claims: claims(t, `{"credentialSubject": {"account": "FR76"}}`)}
	jwtBank := pex.Candidate{ID: "jwt_bank", Format: "jwt_vc", Claims: claims(t, `{"vc": {"credentialSubject": {"iban": "X"}}}`)}
	job := pex.Candidate{ID: "job", Format: "ldp_vc", Claims: claims(t, `{"credentialSubject": {"employer": "ACME", "salary": 45000, "manager": "M"}}`)}
	poorJob := pex.Candidate{ID: "poor_job", Format: "ldp_vc", Claims: claims(t, `{"credentialSubject": {"employer": "ACME", "salary": 100}}`)}
	passport := pex.Candidate{ID: "passport", Format: "ldp_vc",
		Claims: claims(t, `{"type": ["VerifiableCredential", "Passport"], "credentialSubject": {"names": ["E", "Erika"]}}`)}
	wrongFormat := pex.Candidate{ID: "mdoc", Format: "mso_mdoc", Claims: claims(t, `{"credentialSubject": {"account": "DE1"}}`)}

	type sel struct {
		Descriptor, Candidate string
		Disclose              [][]any
		Limited               bool
		Optional              [][]any
	}
	tests := []struct {
		name  string
		creds []pex.Candidate
		want  []sel
		err   error
	}{
		{"first bank, employment", []pex.Candidate{wrongFormat, ldpBank, sdBank, job}, []sel{
			{"bank_1", "sd_bank", [][]any{{"credentialSubject", "account"}}, true, nil},
			{"employment", "job", [][]any{{"credentialSubject", "employer"}, {"credentialSubject", "salary"}}, false, [][]any{{"credentialSubject", "manager"}}},
		}, nil},
		{"second bank, passport", []pex.Candidate{frBank, jwtBank, poorJob, passport}, []sel{
			{"bank_2", "jwt_bank", [][]any{{"vc", "credentialSubject", "iban"}}, false, nil},
			{"passport", "passport", [][]any{{"type"}, {"credentialSubject", "names", 1}}, false, nil},
		}, nil},
		{"no bank", []pex.Candidate{ldpBank, frBank, job}, nil, pex.ErrNoMatch},
		{"neither job nor id", []pex.Candidate{sdBank, poorJob}, nil, pex.ErrNoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := pex.Evaluate(def, tc.creds)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("got %v, want %v", err, tc.err)
			}
			if err != nil {
				var nm *pex.NoMatchError
				if !errors.As(err, &nm) || len(nm.Reasons) == 0 || res != nil {
					t.Errorf("error %v, result %v", err, res)
				}
				return
			}
			var got []sel
			for _, s := range res.Selected {
				got = append(got, sel{s.DescriptorID, s.Match.CandidateID, s.Match.Disclose, s.Match.Limited, s.Match.Optional})
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("selected (-want +got):\n%s", d)
			}
			// The submission the wallet builds passes the verifier's check.
			sub, order := res.Submission("sub-1")
			var presented []pex.Candidate
			for _, id := range order {
				i := slices.IndexFunc(tc.creds, func(c pex.Candidate) bool { return c.ID == id })
				presented = append(presented, tc.creds[i])
			}
			if err := pex.Check(def, sub, presented); err != nil {
				t.Errorf("Check of the wallet's submission: %v", err)
			}
		})
	}
}

func TestEvaluateWithoutRequirements(t *testing.T) {
	def, err := pex.ParseDefinition([]byte(`{"id": "d", "input_descriptors": [
		{"id": "a", "constraints": {"fields": [{"path": ["$.a"]}]}},
		{"id": "b", "constraints": {"fields": [{"path": ["$.b"], "predicate": "required", "filter": {"type": "number", "minimum": 18}}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a := pex.Candidate{ID: "a", Format: "ldp_vc", Claims: map[string]any{"a": 1.0, "b": 20.0}}
	// b needs a predicate proof, which is not supported: the definition cannot be met.
	if _, err := pex.Evaluate(def, []pex.Candidate{a}); !errors.Is(err, pex.ErrNoMatch) {
		t.Errorf("got %v, want ErrNoMatch", err)
	}
}

func TestCheck(t *testing.T) {
	def, err := pex.ParseDefinition([]byte(loanDefinition))
	if err != nil {
		t.Fatal(err)
	}
	sdBank := pex.Candidate{Format: "vc+sd-jwt", SelectiveDisclosure: true, Claims: claims(t, `{"credentialSubject": {"account": "DE89"}}`)}
	job := pex.Candidate{Format: "ldp_vc", Claims: claims(t, `{"credentialSubject": {"employer": "ACME", "salary": 45000}}`)}
	poorJob := pex.Candidate{Format: "ldp_vc", Claims: claims(t, `{"credentialSubject": {"employer": "ACME", "salary": 1}}`)}
	sub := func(s string) *pex.Submission {
		t.Helper()
		p, err := pex.ParseSubmission([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := `{"id": "s", "definition_id": "loan", "descriptor_map": [
		{"id": "bank_1", "format": "vc+sd-jwt", "path": "$.verifiableCredential[0]"},
		{"id": "employment", "format": "ldp_vc", "path": "$.verifiableCredential[1]"}]}`
	tests := []struct {
		name      string
		sub       string
		presented []pex.Candidate
		want      error
	}{
		{"good", good, []pex.Candidate{sdBank, job}, nil},
		{"jwt vp path", strings.ReplaceAll(good, "$.verifiableCredential", "$.vp.verifiableCredential"), []pex.Candidate{sdBank, job}, nil},
		{"salary too low", good, []pex.Candidate{sdBank, poorJob}, pex.ErrNoMatch},
		{"swapped", good, []pex.Candidate{job, sdBank}, pex.ErrNoMatch},
		{"out of range", good, []pex.Candidate{sdBank}, pex.ErrNoMatch},
		{"wrong definition", strings.Replace(good, `"loan"`, `"other"`, 1), []pex.Candidate{sdBank, job}, pex.ErrNoMatch},
		{"unknown descriptor", strings.Replace(good, `"bank_1"`, `"bank_9"`, 1), []pex.Candidate{sdBank, job}, pex.ErrNoMatch},
		{"requirement unmet", `{"id": "s", "definition_id": "loan", "descriptor_map": [
			{"id": "bank_1", "format": "vc+sd-jwt", "path": "$"}]}`, []pex.Candidate{sdBank}, pex.ErrNoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := pex.Check(def, sub(tc.sub), tc.presented)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	for _, bad := range []string{`[]`, `{"definition_id": "x", "descriptor_map": []}`, `{"id": "s", "definition_id": "x"}`,
		`{"id": "s", "definition_id": "x", "descriptor_map": [{"id": "a", "format": "ldp_vc"}]}`} {
		if _, err := pex.ParseSubmission([]byte(bad)); !errors.Is(err, pex.ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", bad, err)
		}
	}
}
