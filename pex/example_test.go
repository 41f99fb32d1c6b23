package pex_test

import (
	"encoding/json"
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
