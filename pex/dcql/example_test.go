package dcql_test

import (
	"fmt"

	"github.com/credence-dev/credence/pex/dcql"
)

// A verifier asks to prove that the holder is over 18; the wallet holds an ID (an SD-JWT
// VC), a diploma and an employment credential, and discloses one claim of the ID.
func ExampleEvaluate() {
	q, err := dcql.ParseQuery([]byte(`{"credentials": [{
		"id": "over18",
		"format": "dc+sd-jwt",
		"meta": {"vct_values": ["https://credentials.example.com/identity_credential"]},
		"claims": [{"path": ["age_equal_or_over", "18"], "values": [true]}]
	}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	wallet := []dcql.Credential{
		{
			ID: "diploma", Format: "ldp_vc", Types: []string{"VerifiableCredential", "UniversityDegreeCredential"},
			Claims: map[string]any{"credentialSubject": map[string]any{"degree": "MSc"}}, HolderBound: true,
		},
		{
			ID: "id-card", Format: "dc+sd-jwt", VCT: "https://credentials.example.com/identity_credential",
			Claims: map[string]any{
				"given_name": "Erika", "birthdate": "1990-01-01",
				"age_equal_or_over": map[string]any{"18": true, "65": false},
			},
			Disclosable: [][]any{{"given_name"}, {"birthdate"}, {"age_equal_or_over", "18"}, {"age_equal_or_over", "65"}},
			HolderBound: true,
		},
		{
			ID: "employment", Format: "jwt_vc_json", Types: []string{"VerifiableCredential", "EmploymentCredential"},
			Claims: map[string]any{"credentialSubject": map[string]any{"employer": "ACME"}}, HolderBound: true,
		},
	}
	res, err := dcql.Evaluate(q, wallet)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Response()["over18"] {
		fmt.Println(p.CredentialID, p.Disclose)
	}
	// Output:
	// id-card [[age_equal_or_over 18]]
}
