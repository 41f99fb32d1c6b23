package dcql_test

import (
	"errors"
	"testing"

	"github.com/credence-dev/credence/pex/dcql"
)

func TestCheckResponse(t *testing.T) {
	q, err := dcql.ParseQuery([]byte(`{
		"credentials": [
			{"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.com/pid"]},
			 "claims": [{"id": "age", "path": ["age_equal_or_over", "18"], "values": [true]}, {"id": "dob", "path": ["birthdate"]}],
			 "claim_sets": [["age"], ["dob"]]},
			{"id": "other_pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.com/other"]}},
			{"id": "loyalty", "format": "jwt_vc_json", "multiple": true, "require_cryptographic_holder_binding": false,
			 "meta": {"type_values": [["Loyalty"]]}}
		],
		"credential_sets": [
			{"options": [["pid"], ["other_pid"]]},
			{"required": false, "options": [["loyalty"]]}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	over18 := dcql.Credential{Format: "dc+sd-jwt", VCT: "https://example.com/pid", HolderBound: true,
		Claims: map[string]any{"age_equal_or_over": map[string]any{"18": true}}}
	under18 := dcql.Credential{Format: "dc+sd-jwt", VCT: "https://example.com/pid", HolderBound: true,
		Claims: map[string]any{"age_equal_or_over": map[string]any{"18": false}}}
	withDOB := dcql.Credential{Format: "dc+sd-jwt", VCT: "https://example.com/pid", HolderBound: true,
		Claims: map[string]any{"birthdate": "2000-01-01"}}
	unbound := over18
	unbound.HolderBound = false
	other := dcql.Credential{Format: "dc+sd-jwt", VCT: "https://example.com/other", HolderBound: true, Claims: map[string]any{}}
	loyalty := dcql.Credential{Format: "jwt_vc_json", Types: []string{"VerifiableCredential", "Loyalty"}, Claims: map[string]any{}}

	tests := []struct {
		name      string
		presented map[string][]dcql.Credential
		want      error
	}{
		{"over 18", map[string][]dcql.Credential{"pid": {over18}}, nil},
		{"second claim set", map[string][]dcql.Credential{"pid": {withDOB}}, nil},
		{"other option", map[string][]dcql.Credential{"other_pid": {other}}, nil},
		{"with optional, multiple", map[string][]dcql.Credential{"pid": {over18}, "loyalty": {loyalty, loyalty}}, nil},
		{"nothing", map[string][]dcql.Credential{}, dcql.ErrNoMatch},
		{"only optional", map[string][]dcql.Credential{"loyalty": {loyalty}}, dcql.ErrNoMatch},
		{"disallowed value", map[string][]dcql.Credential{"pid": {under18}}, dcql.ErrNoMatch},
		{"not holder bound", map[string][]dcql.Credential{"pid": {unbound}}, dcql.ErrNoMatch},
		{"two without multiple", map[string][]dcql.Credential{"pid": {over18, over18}}, dcql.ErrNoMatch},
		{"wrong vct", map[string][]dcql.Credential{"pid": {other}}, dcql.ErrNoMatch},
		{"unrequested id", map[string][]dcql.Credential{"pid": {over18}, "extra": {over18}}, dcql.ErrNoMatch},
		{"bad optional", map[string][]dcql.Credential{"pid": {over18}, "loyalty": {other}}, dcql.ErrNoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := dcql.CheckResponse(q, tc.presented)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if err := dcql.CheckResponse(nil, nil); !errors.Is(err, dcql.ErrMalformed) {
		t.Errorf("nil query: got %v", err)
	}
}

func TestCheckResponseWithoutSets(t *testing.T) {
	q, err := dcql.ParseQuery([]byte(`{"credentials": [
		{"id": "a", "format": "ldp_vc", "meta": {"type_values": [["A"]]}},
		{"id": "b", "format": "ldp_vc", "meta": {"type_values": [["B"]]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a := dcql.Credential{Format: "ldp_vc", Types: []string{"A"}, HolderBound: true}
	b := dcql.Credential{Format: "ldp_vc", Types: []string{"B"}, HolderBound: true}
	if err := dcql.CheckResponse(q, map[string][]dcql.Credential{"a": {a}, "b": {b}}); err != nil {
		t.Errorf("both: %v", err)
	}
	if err := dcql.CheckResponse(q, map[string][]dcql.Credential{"a": {a}}); !errors.Is(err, dcql.ErrNoMatch) {
		t.Errorf("one of two: got %v", err)
	}
}
