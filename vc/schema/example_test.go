package schema_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/credence-dev/credence/vc/schema"
)

func ExampleValidator_Validate() {
	reg := schema.NewRegistry()
	err := reg.Add("https://example.com/schemas/email.json", []byte(`{
		"$id": "https://example.com/schemas/email.json",
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"type": "object",
		"properties": {
			"credentialSubject": {
				"type": "object",
				"properties": {"emailAddress": {"type": "string", "format": "email"}},
				"required": ["emailAddress"]
			}
		}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := schema.NewValidator(schema.Options{Registry: reg})
	if err != nil {
		fmt.Println(err)
		return
	}
	credential := func(email string) []byte {
		return []byte(`{
			"@context": ["https://www.w3.org/ns/credentials/v2"],
			"type": ["VerifiableCredential", "EmailCredential"],
			"issuer": "https://example.com/issuers/14",
			"credentialSubject": {"emailAddress": "` + email + `"},
			"credentialSchema": {"id": "https://example.com/schemas/email.json", "type": "JsonSchema"}
		}`)
	}

	fmt.Println(v.Validate(context.Background(), credential("subject@example.com")))

	err = v.Validate(context.Background(), credential("not an email"))
	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		f := ve.Failures[0]
		fmt.Println(errors.Is(err, schema.ErrSchemaValidation), f.Keyword, f.InstanceLocation)
	}
	// Output:
	// <nil>
	// true format /credentialSubject/emailAddress
}
