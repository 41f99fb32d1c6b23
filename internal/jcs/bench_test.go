package jcs

import (
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

const credential = `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],
"name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.",
"issuer":"https://vc.example/issuers/5678","validFrom":"2023-01-01T00:00:00Z",
"credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples","age":21.5}}`

func BenchmarkCanonicalize(b *testing.B) {
	v, err := jsonx.Decode([]byte(credential), jsonx.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Append(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}
