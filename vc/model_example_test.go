package vc_test

import (
	"errors"
	"fmt"

	"github.com/credence-dev/credence/vc"
)

func ExampleParseCredential() {
	data := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential"],
	  "issuer": "did:example:issuer",
	  "validFrom": "2024-01-01T00:00:00.000Z",
	  "credentialSubject": {"id": "did:example:alice", "ageOver18": true}
	}`)
	c, err := vc.ParseCredential(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Version(), c.Issuer.ID, c.Subject[0].ID, string(c.Subject[0].Claims["ageOver18"]))

	// Times keep the text they were written in.
	out, _ := c.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// VCDM 2.0 did:example:issuer did:example:alice true
	// {"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:issuer","validFrom":"2024-01-01T00:00:00.000Z","credentialSubject":{"id":"did:example:alice","ageOver18":true}}
}

func ExampleCredential_Validate() {
	c, err := vc.ParseCredential([]byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2"],
	  "type": ["VerifiableCredential"],
	  "issuer": "did:example:issuer",
	  "credentialSubject": [{"id": "did:example:alice"}, {"id": "alice"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = c.Validate()
	var ve *vc.VerifyError
	if errors.As(err, &ve) {
		fmt.Println(ve.Reason, ve.Path, errors.Is(err, vc.ErrMalformed))
	}
	// Output:
	// data model /credentialSubject/1/id true
}
