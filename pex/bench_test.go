package pex_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/credence-dev/credence/pex"
)

// scaleDefinition asks for three credentials, each with filters of the common shapes.
const scaleDefinition = `{
	"id": "scale",
	"input_descriptors": [
		{"id": "id_card", "constraints": {"limit_disclosure": "required", "fields": [
			{"path": ["$.type"], "filter": {"type": "array", "contains": {"const": "IDCard"}}},
			{"path": ["$.credentialSubject.birthdate"], "filter": {"type": "string", "format": "date"}},
			{"path": ["$.credentialSubject.age_over_18"], "filter": {"type": "boolean", "const": true}}
		]}},
		{"id": "diploma", "constraints": {"fields": [
			{"path": ["$.type"], "filter": {"type": "array", "contains": {"const": "Diploma"}}},
			{"path": ["$.credentialSubject.degree"], "filter": {"type": "string", "enum": ["BSc", "MSc", "PhD"]}}
		]}},
		{"id": "employment", "constraints": {"limit_disclosure": "preferred", "fields": [
			{"path": ["$.credentialSubject.employer"], "filter": {"type": "string", "pattern": "^A"}},
			{"path": ["$.credentialSubject.salary"], "filter": {"type": "number", "minimum": 30000}}
		]}}
	]
}`

// scaleWallet returns n credentials, a third of each kind, each kind meeting one descriptor.
func scaleWallet(n int) []pex.Candidate {
	creds := make([]pex.Candidate, n)
	for i := range creds {
		switch i % 3 {
		case 0:
			creds[i] = pex.Candidate{ID: fmt.Sprint("id", i), Format: "dc+sd-jwt", SelectiveDisclosure: true, Claims: map[string]any{
				"type":              []any{"VerifiableCredential", "IDCard"},
				"credentialSubject": map[string]any{"given_name": "Erika", "birthdate": "1990-01-01", "age_over_18": true}}}
		case 1:
			creds[i] = pex.Candidate{ID: fmt.Sprint("diploma", i), Format: "ldp_vc", Claims: map[string]any{
				"type":              []any{"VerifiableCredential", "Diploma"},
				"credentialSubject": map[string]any{"degree": "MSc", "university": "TU"}}}
		default:
			creds[i] = pex.Candidate{ID: fmt.Sprint("job", i), Format: "jwt_vc_json", Claims: map[string]any{
				"type":              []any{"VerifiableCredential", "Employment"},
				"credentialSubject": map[string]any{"employer": "ACME", "salary": json.Number("45000")}}}
		}
	}
	return creds
}

var scaleSizes = []int{10, 100, 1000, 10000}

// BenchmarkEvaluate runs the three-descriptor definition, compiled once, against wallets
// of 10 to 10,000 credentials, with the filters compiled to direct checks.
func BenchmarkEvaluate(b *testing.B) {
	def, err := pex.ParseDefinition([]byte(scaleDefinition))
	if err != nil {
		b.Fatal(err)
	}
	benchScale(b, def)
}

// BenchmarkEvaluateLibraryFilters is BenchmarkEvaluate with every filter validated by
// the JSON Schema library instead: the baseline the compiled checks are measured against.
func BenchmarkEvaluateLibraryFilters(b *testing.B) {
	def, err := pex.ParseDefinition([]byte(scaleDefinition))
	if err != nil {
		b.Fatal(err)
	}
	benchScale(b, pex.WithLibraryFilters(def))
}

func benchScale(b *testing.B, def *pex.Definition) {
	for _, n := range scaleSizes {
		creds := scaleWallet(n)
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

// BenchmarkSchemaValidate is the raw operation: one JSON Schema validation of one value
// by the library, as each filter check would cost without compilation.
func BenchmarkSchemaValidate(b *testing.B) {
	c := jsonschema.NewCompiler()
	if err := c.AddResource("urn:f", map[string]any{"type": "number", "minimum": json.Number("30000")}); err != nil {
		b.Fatal(err)
	}
	s, err := c.Compile("urn:f")
	if err != nil {
		b.Fatal(err)
	}
	v := json.Number("45000")
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateLoan runs the loan definition (four descriptors, nested
// requirements) against 1,000 credentials.
func BenchmarkEvaluateLoan(b *testing.B) {
	def, err := pex.ParseDefinition([]byte(loanDefinition))
	if err != nil {
		b.Fatal(err)
	}
	creds := make([]pex.Candidate, 1000)
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
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pex.Evaluate(def, creds); err != nil {
			b.Fatal(err)
		}
	}
}
