package pex_test

import (
	"fmt"
	"testing"

	"github.com/credence-dev/credence/pex"
)

// BenchmarkEvaluate runs the loan definition (four descriptors, nested requirements)
// against wallets of growing size.
func BenchmarkEvaluate(b *testing.B) {
	def, err := pex.ParseDefinition([]byte(loanDefinition))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 100, 1000} {
		creds := make([]pex.Candidate, n)
		for i := range creds {
			switch i % 3 {
			case 0:
				creds[i] = pex.Candidate{ID: fmt.Sprint(i), Format: "vc+sd-jwt", SelectiveDisclosure: true,
					Claims: map[string]any{"credentialSubject": map[string]any{"account": "DE89"}}}
			case 1:
				creds[i] = pex.Candidate{ID: fmt.Sprint(i), Format: "ldp_vc",
					Claims: map[string]any{"credentialSubject": map[string]any{"employer": "ACME", "salary": 45000.0}}}
			default:
				creds[i] = pex.Candidate{ID: fmt.Sprint(i), Format: "jwt_vc", Claims: map[string]any{"vc": map[string]any{}}}
			}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pex.Evaluate(def, creds); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
