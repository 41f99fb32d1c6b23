package did_test

import (
	"errors"
	"fmt"

	"github.com/credence-dev/credence/did"
)

func ExampleParseURL() {
	u, err := did.ParseURL("did:example:123?service=files&relativeRef=%2Fresume.pdf#page-2")
	if err != nil {
		fmt.Println(err)
		return
	}
	service, _ := u.Param("service")
	ref, _ := u.Param("relativeRef")
	fmt.Println(u.DID.Method, u.DID.ID)
	fmt.Println(service, ref, u.Fragment)

	key, err := u.ResolveReference("#key-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(key)

	_, err = did.ParseURL("did:example:123#has space")
	fmt.Println(errors.Is(err, did.ErrInvalidDIDURL))
	// Output:
	// example 123
	// files /resume.pdf page-2
	// did:example:123?service=files&relativeRef=%2Fresume.pdf#key-1
	// true
}

func ExampleDocument_VerificationMethodFor() {
	doc, err := did.ParseDocument([]byte(`{
		"@context": ["https://www.w3.org/ns/did/v1"],
		"id": "did:example:123",
		"verificationMethod": [{
			"id": "#key-1",
			"type": "Multikey",
			"controller": "did:example:123",
			"publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
		}],
		"authentication": ["#key-1"]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	vm, err := doc.VerificationMethodFor("did:example:123#key-1", did.Authentication)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vm.ID, vm.Type)

	// The key may authenticate the DID subject, not issue credentials.
	_, err = doc.VerificationMethodFor("#key-1", did.AssertionMethod)
	fmt.Println(errors.Is(err, did.ErrVerificationRelationship))
	// Output:
	// did:example:123#key-1 Multikey
	// true
}
