package dcql_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/credence-dev/credence/pex/dcql"
)

const sdMeta = `"meta": {"vct_values": ["https://example.com/pid"]}`

func TestParseQueryRejects(t *testing.T) {
	cred := func(body string) string { return `{"credentials": [{` + body + `}]}` }
	sd := func(extra string) string {
		return cred(`"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + extra)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf(`{"id": "q%d", "format": "dc+sd-jwt", %s}`, i, sdMeta)
	}
	tests := []struct {
		name  string
		query string
		want  error
	}{
		{"accept minimal", sd(""), nil},
		{"accept unknown members", `{"x": 1, "credentials": [{"id": "pid", "format": "dc+sd-jwt", "y": [], ` + sdMeta + `}]}`, nil},
		{"not an object", `[]`, dcql.ErrMalformed},
		{"no credentials", `{}`, dcql.ErrMalformed},
		{"empty credentials", `{"credentials": []}`, dcql.ErrMalformed},
		{"duplicate member", `{"credentials": [], "credentials": []}`, dcql.ErrMalformed},
		{"trailing data", sd("") + `{}`, dcql.ErrMalformed},
		{"bad id", cred(`"id": "a b", "format": "dc+sd-jwt", ` + sdMeta), dcql.ErrMalformed},
		{"empty id", cred(`"id": "", "format": "dc+sd-jwt", ` + sdMeta), dcql.ErrMalformed},
		{"duplicate id", `{"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["T"]]}}, {"id": "a", "format": "ldp_vc", "meta": {"type_values": [["T"]]}}]}`, dcql.ErrMalformed},
		{"no format", cred(`"id": "pid", ` + sdMeta), dcql.ErrMalformed},
		{"no meta", cred(`"id": "pid", "format": "dc+sd-jwt"`), dcql.ErrMalformed},
		{"no vct_values", cred(`"id": "pid", "format": "dc+sd-jwt", "meta": {}`), dcql.ErrMalformed},
		{"empty vct_values", cred(`"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": []}`), dcql.ErrMalformed},
		{"type_values not nested", cred(`"id": "v", "format": "jwt_vc_json", "meta": {"type_values": ["T"]}`), dcql.ErrMalformed},
		{"empty type_values alternative", cred(`"id": "v", "format": "ldp_vc", "meta": {"type_values": [[]]}`), dcql.ErrMalformed},
		{"no doctype_value", cred(`"id": "m", "format": "mso_mdoc", "meta": {}`), dcql.ErrMalformed},
		{"multiple not bool", sd(`, "multiple": "yes"`), dcql.ErrMalformed},
		{"holder binding not bool", sd(`, "require_cryptographic_holder_binding": 1`), dcql.ErrMalformed},
		{"empty trusted_authorities", sd(`, "trusted_authorities": []`), dcql.ErrMalformed},
		{"trusted_authorities without values", sd(`, "trusted_authorities": [{"type": "aki"}]`), dcql.ErrMalformed},
		{"trusted_authorities empty type", sd(`, "trusted_authorities": [{"type": "", "values": ["x"]}]`), dcql.ErrMalformed},
		{"empty claims", sd(`, "claims": []`), dcql.ErrMalformed},
		{"empty path", sd(`, "claims": [{"path": []}]`), dcql.ErrMalformed},
		{"negative index", sd(`, "claims": [{"path": ["a", -1]}]`), dcql.ErrMalformed},
		{"fractional index", sd(`, "claims": [{"path": ["a", 1.5]}]`), dcql.ErrMalformed},
		{"exponent index", sd(`, "claims": [{"path": ["a", 1e2]}]`), dcql.ErrMalformed},
		{"boolean component", sd(`, "claims": [{"path": [true]}]`), dcql.ErrMalformed},
		{"empty values", sd(`, "claims": [{"path": ["a"], "values": []}]`), dcql.ErrMalformed},
		{"null value", sd(`, "claims": [{"path": ["a"], "values": [null]}]`), dcql.ErrMalformed},
		{"float value", sd(`, "claims": [{"path": ["a"], "values": [1.5]}]`), dcql.ErrMalformed},
		{"object value", sd(`, "claims": [{"path": ["a"], "values": [{}]}]`), dcql.ErrMalformed},
		{"bad claim id", sd(`, "claims": [{"id": "a.b", "path": ["a"]}]`), dcql.ErrMalformed},
		{"duplicate claim id", sd(`, "claims": [{"id": "a", "path": ["a"]}, {"id": "a", "path": ["b"]}]`), dcql.ErrMalformed},
		{"claim_sets without claims", sd(`, "claim_sets": [["a"]]`), dcql.ErrMalformed},
		{"claim_sets with claim missing id", sd(`, "claims": [{"id": "a", "path": ["a"]}, {"path": ["b"]}], "claim_sets": [["a"]]`), dcql.ErrMalformed},
		{"claim_sets unknown id", sd(`, "claims": [{"id": "a", "path": ["a"]}], "claim_sets": [["b"]]`), dcql.ErrMalformed},
		{"empty claim_sets", sd(`, "claims": [{"id": "a", "path": ["a"]}], "claim_sets": []`), dcql.ErrMalformed},
		{"empty claim set", sd(`, "claims": [{"id": "a", "path": ["a"]}], "claim_sets": [[]]`), dcql.ErrMalformed},
		{"mdoc path of one", cred(`"id": "m", "format": "mso_mdoc", "meta": {"doctype_value": "d"}, "claims": [{"path": ["ns"]}]`), dcql.ErrMalformed},
		{"mdoc path with index", cred(`"id": "m", "format": "mso_mdoc", "meta": {"doctype_value": "d"}, "claims": [{"path": ["ns", 0]}]`), dcql.ErrMalformed},
		{"mdoc intent_to_retain not bool", cred(`"id": "m", "format": "mso_mdoc", "meta": {"doctype_value": "d"}, "claims": [{"path": ["ns", "e"], "intent_to_retain": "no"}]`), dcql.ErrMalformed},
		{"empty credential_sets", `{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `}], "credential_sets": []}`, dcql.ErrMalformed},
		{"credential set without options", `{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `}], "credential_sets": [{}]}`, dcql.ErrMalformed},
		{"credential set empty option", `{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `}], "credential_sets": [{"options": [[]]}]}`, dcql.ErrMalformed},
		{"credential set unknown id", `{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `}], "credential_sets": [{"options": [["other"]]}]}`, dcql.ErrMalformed},
		{"credential set required not bool", `{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `}], "credential_sets": [{"options": [["pid"]], "required": "no"}]}`, dcql.ErrMalformed},
		{"too many credential queries", `{"credentials": [` + strings.Join(many, ",") + `]}`, dcql.ErrTooLarge},
		{"too large", sd(`, "x": "` + strings.Repeat("a", 256<<10) + `"`), dcql.ErrTooLarge},
		{"too deep", sd(`, "x": ` + strings.Repeat("[", 70) + strings.Repeat("]", 70)), dcql.ErrTooDeep},
		{"path too long", sd(`, "claims": [{"path": [` + strings.TrimSuffix(strings.Repeat(`"a",`, 65), ",") + `]}]`), dcql.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := dcql.ParseQuery([]byte(tc.query))
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if (q == nil) == (err == nil) {
				t.Errorf("query %v with error %v", q, err)
			}
		})
	}
}

func TestParseQueryDefaults(t *testing.T) {
	q, err := dcql.ParseQuery([]byte(`{"credentials": [{"id": "pid", "format": "dc+sd-jwt", ` + sdMeta + `,
		"claims": [{"path": ["a", 0, null], "values": ["x", 7, false]}]}],
		"credential_sets": [{"options": [["pid"]]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cq := q.Credentials[0]
	if !cq.RequireHolderBinding || cq.Multiple {
		t.Errorf("require_cryptographic_holder_binding %v, multiple %v: want true, false", cq.RequireHolderBinding, cq.Multiple)
	}
	if !q.CredentialSets[0].Required {
		t.Error("credential set not required by default")
	}
	cl := cq.Claims[0]
	if cl.Path[0] != "a" || cl.Path[1] != 0 || cl.Path[2] != nil {
		t.Errorf("path %#v", cl.Path)
	}
	if cl.Values[0] != "x" || cl.Values[1] != int64(7) || cl.Values[2] != false {
		t.Errorf("values %#v", cl.Values)
	}
}
