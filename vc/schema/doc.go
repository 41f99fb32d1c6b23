// Package schema validates credentials against their credentialSchema entries, as the
// W3C Verifiable Credentials JSON Schema specification defines: entries of type
// JsonSchema name a JSON Schema, entries of type JsonSchemaCredential name a verifiable
// credential whose credentialSubject.jsonSchema holds one. The whole credential is the
// instance.
//
// A verifier builds one [Validator] from schemas it knows, and validates each credential
// after verifying it:
//
//	reg := schema.NewRegistry()
//	err := reg.Add("https://example.com/schemas/email.json", emailSchema)
//	v, err := schema.NewValidator(schema.Options{
//		Registry:         reg,
//		VerifyCredential: verifySchemaCredential, // verifies a JsonSchemaCredential, returns its JSON
//	})
//	err = v.Validate(ctx, credentialJSON) // *ValidationError wrapping ErrSchemaValidation
//
// Schemas may be JSON Schema 2020-12 (which the specification requires), 2019-09 or
// draft-07, named by their $schema, which must be present (VC JSON Schema §4: schemas
// without it must not be processed; other dialects are the specification's Indeterminate
// outcome, ErrUnsupportedSchema). $id is not required: the specification asks schema
// authors for it, and it is used as the base of relative references when present. format
// is an assertion. A
// schema credential is verified by the caller's callback, because only the caller knows
// how to verify credentials and whom to trust for schemas; then its own type, id,
// credentialSchema and credentialSubject.type are checked, and its jsonSchema is used.
//
// # Security
//
// The zero [Options] fail closed: a schema that is not in the Registry is
// ErrSchemaRetrieval, a $ref outside the Registry is ErrRemoteReference, an unknown
// credentialSchema type or dialect is ErrUnsupportedSchema. Nothing is ever read from
// files. digestSRI and digestMultibase, when present, are checked against the bytes of
// the schema (or schema credential) before it is used.
//
// Schemas are untrusted input too: their size and nesting are bounded before they are
// parsed, the resources that $ref loads are counted, regular expressions are RE2 (linear
// time), and a schema whose evaluation could multiply (nested applicators reaching the
// same subschema by many paths) is refused when compiled ([Options].MaxExpansion).
//
// Validation errors name the failing keyword and its location in the credential and the
// schema, never the failing value: credential values are often personal data.
//
// # Network access
//
// Only through the [Fetcher] the caller passes; without one nothing is fetched. The
// [HTTPFetcher] goes through the library's network guard: https only, public addresses
// only, 3 redirects, 10 s, 256 KiB bodies. Fetched bodies are kept for
// [Options].FetchTTL, which also keeps verifiers from telling schema hosts about each
// credential they check (VC JSON Schema §6.2).
package schema
