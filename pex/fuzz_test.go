package pex_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/credence-dev/credence/pex"
)

// FuzzParseDefinition checks that ParseDefinition fails only with its sentinels and that
// an accepted definition evaluates without failing unexpectedly.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(loanDefinition))
	f.Add([]byte(`{"id": "d", "input_descriptors": [{"id": "a", "constraints": {"fields": [{"path": ["$..a[?@.b > 1]"], "filter": {"type": "object"}}]}}]}`))
	f.Add([]byte(`{"id": "d", "frame": {"@explicit": true, "credentialSubject": {"@explicit": true, "account": {}}}, "input_descriptors": [
		{"id": "a", "constraints": {"subject_is_issuer": "preferred", "fields": [{"id": "f1", "path": ["$.credentialSubject.account"], "filter": {"type": "string"}, "predicate": "preferred"}],
		 "is_holder": [{"field_id": ["f1"], "directive": "preferred"}], "same_subject": [{"field_id": ["f1", "f2"], "directive": "required"}]}},
		{"id": "b", "constraints": {"fields": [{"id": "f2", "path": ["$.credentialSubject.employer"], "intent_to_retain": true}]}}]}`))
	cand := []pex.Candidate{
		{ID: "x", Format: "ldp_vc", Claims: map[string]any{"a": []any{map[string]any{"b": 2.0}}, "credentialSubject": map[string]any{"account": "DE1", "employer": "E", "salary": 50000.0}}},
		{ID: "y", Format: "vc+sd-jwt", SelectiveDisclosure: true, Claims: map[string]any{"credentialSubject": map[string]any{"account": "DE2"}}},
	}
	sentinels := []error{pex.ErrMalformed, pex.ErrTooLarge, pex.ErrTooDeep, pex.ErrUnsupportedPath, pex.ErrUnsupportedSchema, pex.ErrRemoteReference, pex.ErrUnsafePattern}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := pex.ParseDefinition(data)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error is no sentinel: %v", err)
		}
		res, err := pex.Evaluate(def, cand)
		if err != nil {
			if !errors.Is(err, pex.ErrNoMatch) {
				t.Fatalf("Evaluate: %v", err)
			}
			return
		}
		sub, order := res.Submission("s")
		var presented []pex.Candidate
		for _, id := range order {
			for _, c := range cand {
				if c.ID == id {
					presented = append(presented, c)
				}
			}
		}
		if err := pex.Check(def, sub, presented); err != nil {
			t.Fatalf("Check of the wallet's submission: %v", err)
		}
	})
}

// FuzzParseSubmission checks that ParseSubmission fails only with its sentinels, that an
// accepted submission marshals and parses back to itself, and that checking it against a
// definition fails only with a sentinel.
func FuzzParseSubmission(f *testing.F) {
	f.Add([]byte(`{"id": "s", "definition_id": "loan", "descriptor_map": [{"id": "bank_1", "format": "vc+sd-jwt", "path": "$.verifiableCredential[0]"}]}`))
	f.Add([]byte(`{"id": "s", "definition_id": "loan", "descriptor_map": [{"id": "bank_1", "format": "jwt_vp", "path": "$", "path_nested": {"id": "bank_1", "format": "vc+sd-jwt", "path": "$.vp.verifiableCredential[0]"}}]}`))
	def, err := pex.ParseDefinition([]byte(loanDefinition))
	if err != nil {
		f.Fatal(err)
	}
	presented := []pex.Candidate{{Format: "vc+sd-jwt", SelectiveDisclosure: true, Claims: map[string]any{"credentialSubject": map[string]any{"account": "DE1"}}}}
	sentinels := []error{pex.ErrMalformed, pex.ErrTooLarge, pex.ErrTooDeep, pex.ErrUnsupportedPath, pex.ErrNoMatch}
	isSentinel := func(err error) bool {
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return true
			}
		}
		return false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := pex.ParseSubmission(data)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("error is no sentinel: %v", err)
			}
			return
		}
		back, err := json.Marshal(sub)
		if err != nil {
			t.Fatal(err)
		}
		again, err := pex.ParseSubmission(back)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", back, err)
		}
		if !reflect.DeepEqual(sub, again) {
			t.Fatalf("round trip changed the submission: %s", back)
		}
		for _, vps := range [][]pex.Presentation{{{Credentials: presented}}, {{Format: "jwt_vp", Credentials: presented}, {Credentials: presented}}} {
			if err := pex.CheckPresentations(def, sub, vps); err != nil && !isSentinel(err) {
				t.Fatalf("CheckPresentations: error is no sentinel: %v", err)
			}
		}
	})
}
