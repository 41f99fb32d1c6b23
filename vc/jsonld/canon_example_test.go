package jsonld_test

import (
	"context"
	"fmt"

	"github.com/credence-dev/credence/vc/jsonld"
)

func ExampleCanonicalize() {
	doc := []byte(`_:subject <https://schema.org/name> "Aroha" .
<urn:uuid:1> <https://www.w3.org/2018/credentials#credentialSubject> _:subject .
`)
	quads, err := jsonld.ParseNQuads(doc, jsonld.NQuadsLimits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := jsonld.Canonicalize(context.Background(), quads, jsonld.CanonOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(c.NQuads()))
	fmt.Println(c.Issued["subject"])
	// Output:
	// <urn:uuid:1> <https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .
	// _:c14n0 <https://schema.org/name> "Aroha" .
	// c14n0
}
