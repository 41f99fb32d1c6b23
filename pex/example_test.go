package pex_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/credence-dev/credence/pex"
)

// A verifier asks the holder to prove being over 18, with limit_disclosure: the wallet
// holds an ID credential (an SD-JWT), a diploma and an employment credential, and
// answers with the ID credential, disclosing only its age claim.
func ExampleEvaluate() {
	def, err := pex.ParseDefinition([]byte(`{
		"id": "over-18",
		"input_descriptors": [{
			"id": "age",
			"format": {"vc+sd-jwt": {}},
			"constraints": {
				"limit_disclosure": "required",
				"fields": [{"path": ["$.age_equal_or_over['18']"], "filter": {"type": "boolean", "const": true}}]
			}
		}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	wallet := []pex.Candidate{
		{ID: "diploma", Format: "ldp_vc", Claims: map[string]any{"credentialSubject": map[string]any{"degree": "MSc"}}},
		{ID: "id-card", Format: "vc+sd-jwt", SelectiveDisclosure: true, Claims: map[string]any{
			"given_name": "Erika", "birthdate": "1990-01-01", "age_equal_or_over": map[string]any{"18": true, "65": false},
		}},
		{ID: "employment", Format: "jwt_vc_json", Claims: map[string]any{"vc": map[string]any{
			"credentialSubject": map[string]any{"employer": "ACME"}}}},
	}
	res, err := pex.Evaluate(def, wallet)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range res.Selected {
		fmt.Println(s.DescriptorID, s.Match.CandidateID, s.Match.Disclose, s.Match.Limited)
	}
	sub, order := res.Submission("submission-1")
	out, _ := json.Marshal(sub)
	fmt.Println(string(out), order)
	// Output:
	// age id-card [[age_equal_or_over 18]] true
	// {"id":"submission-1","definition_id":"over-18","descriptor_map":[{"id":"age","format":"vc+sd-jwt","path":"$.verifiableCredential[0]"}]} [id-card]
}

// A verifier checks the presentation_submission of a vp_token that holds one JWT
// presentation: the mapping names the presentation ($) and, in path_nested, the
// credential inside it.
func ExampleCheckPresentations() {
	def, err := pex.ParseDefinition([]byte(`{
		"id": "employment",
		"input_descriptors": [{
			"id": "employer",
			"constraints": {"fields": [{"path": ["$.vc.credentialSubject.employer"], "filter": {"type": "string", "pattern": "^ACME"}}]}
		}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sub, err := pex.ParseSubmission([]byte(`{
		"id": "s-1", "definition_id": "employment",
		"descriptor_map": [{"id": "employer", "format": "jwt_vp_json", "path": "$",
			"path_nested": {"id": "employer", "format": "jwt_vc_json", "path": "$.vp.verifiableCredential[0]"}}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The credentials of the verified presentation, as the verifier's views of them.
	vp := pex.Presentation{Format: "jwt_vp_json", Credentials: []pex.Candidate{{
		Format: "jwt_vc_json", Claims: map[string]any{"vc": map[string]any{"credentialSubject": map[string]any{"employer": "ACME Corp"}}},
	}}}
	fmt.Println(pex.CheckPresentations(def, sub, []pex.Presentation{vp}))
	vp.Credentials[0].Claims = map[string]any{"vc": map[string]any{"credentialSubject": map[string]any{"employer": "Other"}}}
	err = pex.CheckPresentations(def, sub, []pex.Presentation{vp})
	fmt.Println(errors.Is(err, pex.ErrNoMatch))
	// Output:
	// <nil>
	// true
}
