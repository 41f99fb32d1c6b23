package dcql_test

import (
	"fmt"
	"testing"

	"github.com/credence-dev/credence/pex/dcql"
)

// wallet returns n credentials of three kinds, one in three of each matching its query.
func wallet(n int) []dcql.Credential {
	creds := make([]dcql.Credential, n)
	for i := range creds {
		switch i % 3 {
		case 0:
			creds[i] = dcql.Credential{ID: fmt.Sprint("pid", i), Format: "dc+sd-jwt", VCT: "https://example.com/pid", HolderBound: true,
				Claims: map[string]any{"given_name": "Erika", "age_equal_or_over": map[string]any{"18": true, "21": i%2 == 0},
					"address": map[string]any{"locality": "Berlin"}},
				Disclosable: [][]any{{"given_name"}, {"age_equal_or_over", "18"}, {"age_equal_or_over", "21"}, {"address"}}}
		case 1:
			creds[i] = dcql.Credential{ID: fmt.Sprint("diploma", i), Format: "ldp_vc", Types: []string{"VerifiableCredential", "Diploma"}, HolderBound: true,
				Claims: map[string]any{"credentialSubject": map[string]any{"degrees": []any{
					map[string]any{"type": "BSc"}, map[string]any{"type": "MSc"}}}}}
		default:
			creds[i] = dcql.Credential{ID: fmt.Sprint("job", i), Format: "jwt_vc_json", Types: []string{"VerifiableCredential", "Employment"}, HolderBound: true,
				Claims: map[string]any{"credentialSubject": map[string]any{"employer": "ACME", "role": "engineer"}}}
		}
	}
	return creds
}

const benchQuery = `{"credentials": [
	{"id": "age", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://example.com/pid"]},
	 "claims": [{"path": ["age_equal_or_over", "21"], "values": [true]}, {"path": ["address", "locality"]}]},
	{"id": "degree", "format": "ldp_vc", "meta": {"type_values": [["Diploma"]]},
	 "claims": [{"path": ["credentialSubject", "degrees", null, "type"], "values": ["MSc"]}]},
	{"id": "job", "format": "jwt_vc_json", "meta": {"type_values": [["Employment"]]},
	 "claims": [{"id": "e", "path": ["credentialSubject", "employer"], "values": ["ACME"]}, {"id": "r", "path": ["credentialSubject", "role"]}],
	 "claim_sets": [["e", "r"], ["e"]]}
]}`

// BenchmarkEvaluate runs one query of three credential queries against wallets of growing size.
func BenchmarkEvaluate(b *testing.B) {
	q, err := dcql.ParseQuery([]byte(benchQuery))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 100, 1000, 10000} {
		creds := wallet(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dcql.Evaluate(q, creds); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseQuery(b *testing.B) {
	data := []byte(benchQuery)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dcql.ParseQuery(data); err != nil {
			b.Fatal(err)
		}
	}
}
