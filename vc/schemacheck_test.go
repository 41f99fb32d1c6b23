package vc_test

import (
	"context"
	"errors"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/schema"
)

const ageSchema = `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
 "required":["credentialSubject"],"properties":{"credentialSubject":{"type":"object","required":["ageOver18"],
 "properties":{"ageOver18":{"type":"boolean"}}}}}`

func schemaCredential(t *testing.T, subject, schemaID, claims string) *vc.Credential {
	t.Helper()
	return parseCredential(t, `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSchema":{"id":"`+schemaID+`","type":"JsonSchema"},
		"credentialSubject":{"id":"`+subject+`",`+claims+`}}`)
}

func TestVerifierSchemas(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	reg := schema.NewRegistry()
	if err := reg.Add("https://schemas.example/age.json", []byte(ageSchema)); err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Schemas: &vc.SchemaOptions{Registry: reg}})
	for _, tc := range []struct {
		name   string
		c      *vc.Credential
		format vc.Format
		err    error
	}{
		{"valid vc+jwt", schemaCredential(t, alice.did, "https://schemas.example/age.json", `"ageOver18":true`), vc.FormatJWT, nil},
		{"valid Data Integrity", schemaCredential(t, alice.did, "https://schemas.example/age.json", `"ageOver18":true`), vc.FormatDataIntegrity, nil},
		{"invalid vc+jwt", schemaCredential(t, alice.did, "https://schemas.example/age.json", `"ageOver18":"yes"`), vc.FormatJWT, vc.ErrSchemaValidation},
		{"invalid vc+sd-jwt", schemaCredential(t, alice.did, "https://schemas.example/age.json", `"name":"Alice"`), vc.FormatSDJWT, vc.ErrSchemaValidation},
		{"invalid Data Integrity", schemaCredential(t, alice.did, "https://schemas.example/age.json", `"name":"Alice"`), vc.FormatDataIntegrity, vc.ErrSchemaValidation},
		{"unknown schema", schemaCredential(t, alice.did, "https://schemas.example/other.json", `"ageOver18":true`), vc.FormatJWT, vc.ErrSchemaRetrieval},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := issue(t, iss, tc.c, tc.format)
			_, err := v.VerifyCredential(ctx, tok)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var ve *vc.VerifyError
			if err != nil && (!errors.As(err, &ve) || ve.Reason != vc.ReasonSchema) {
				t.Fatalf("error %v has no schema reason", err)
			}
		})
	}
	// Without Schemas, credentialSchema is not validated.
	bad := issue(t, iss, schemaCredential(t, alice.did, "https://schemas.example/age.json", `"ageOver18":"yes"`), vc.FormatJWT)
	if _, err := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)}).VerifyCredential(ctx, bad); err != nil {
		t.Fatalf("without Schemas: %v", err)
	}
}

// TestVerifierSchemaCredential validates against a JsonSchemaCredential, which the
// Verifier verifies under its own trust policy.
func TestVerifierSchemaCredential(t *testing.T) {
	ctx := context.Background()
	iss, alice, authority := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	const schemaURL = "https://schemas.example/age-credential"
	sc := parseCredential(t, `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"`+schemaURL+`",
		"type":["VerifiableCredential","JsonSchemaCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSchema":{"id":"https://www.w3.org/ns/credentials/json-schema/v2.json","type":"JsonSchema"},
		"credentialSubject":{"id":"`+schemaURL+`#subject","type":"JsonSchema","jsonSchema":`+ageSchema+`}}`)
	scTok := issue(t, authority, sc, vc.FormatJWT)
	reg := schema.NewRegistry()
	if err := reg.AddCredential(schemaURL, scTok); err != nil {
		t.Fatal(err)
	}
	c := parseCredential(t, `{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z",
		"credentialSchema":{"id":"`+schemaURL+`","type":"JsonSchemaCredential"},
		"credentialSubject":{"id":"`+alice.did+`","ageOver18":"yes"}}`)
	tok := issue(t, iss, c, vc.FormatJWT)
	trusted := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did, authority.did), Schemas: &vc.SchemaOptions{Registry: reg}})
	if _, err := trusted.VerifyCredential(ctx, tok); !errors.Is(err, vc.ErrSchemaValidation) {
		t.Fatalf("against the schema credential: %v, want ErrSchemaValidation", err)
	}
	untrusted := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Schemas: &vc.SchemaOptions{Registry: reg}})
	if _, err := untrusted.VerifyCredential(ctx, tok); !errors.Is(err, vc.ErrUntrustedIssuer) {
		t.Fatalf("schema credential of an untrusted issuer: %v, want ErrUntrustedIssuer", err)
	}
}
