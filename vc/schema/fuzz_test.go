package schema

import (
	"errors"
	"testing"
)

// sentinels are the errors every failure of this package must wrap one of.
var sentinels = []error{
	ErrSchemaValidation, ErrSchemaRetrieval, ErrUnsupportedSchema, ErrRemoteReference, ErrMalformed,
	ErrTooLarge, ErrTooDeep, ErrInvalidType, ErrInvalidDigest, ErrUnsupportedHashAlgorithm, ErrInvalidOptions,
}

func checkSentinel(t *testing.T, err error) {
	t.Helper()
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error wraps no sentinel: %v", err)
}

// FuzzParseEntries: any credentialSchema value either parses into entries whose ids are
// URLs and whose types are non-empty, or fails with a sentinel.
func FuzzParseEntries(f *testing.F) {
	f.Add([]byte(`{"id":"https://example.com/schemas/email.json","type":"JsonSchema"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseEntries(data)
		if err != nil {
			if entries != nil {
				t.Fatal("entries returned with an error")
			}
			checkSentinel(t, err)
			return
		}
		if len(entries) == 0 || len(entries) > DefaultMaxEntries {
			t.Fatalf("%d entries", len(entries))
		}
		for _, e := range entries {
			if !isURL(e.ID) || len(e.Type) == 0 {
				t.Fatalf("entry %+v accepted", e)
			}
		}
	})
}

// FuzzRegistryAdd: any schema is either refused by Add with a sentinel, or compiles (or is
// refused when compiled) and validates a credential, with every error a sentinel and no
// panic. Remote references are refused; nothing is fetched.
func FuzzRegistryAdd(f *testing.F) {
	f.Add([]byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}`))
	cred := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
		`"credentialSubject":{"id":"did:example:1","emailAddress":"a@example.com","age":42,"tags":["a","b"]},` +
		`"credentialSchema":{"id":"https://example.com/schemas/fuzz.json","type":"JsonSchema"}}`)
	f.Fuzz(func(t *testing.T, schema []byte) {
		reg := NewRegistry()
		if err := reg.Add("https://example.com/schemas/fuzz.json", schema); err != nil {
			checkSentinel(t, err)
			return
		}
		v, err := NewValidator(Options{Registry: reg, MaxSchemaBytes: 64 << 10})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Validate(t.Context(), cred); err != nil {
			checkSentinel(t, err)
		}
	})
}

// FuzzValidate: any credential validated against a fixed schema gives nil or a sentinel.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"credentialSubject":{"emailAddress":"a@example.com"},"credentialSchema":{"id":"https://example.com/schemas/email.json","type":"JsonSchema"}}`))
	f.Fuzz(func(t *testing.T, cred []byte) {
		reg := NewRegistry()
		if err := reg.Add(emailURL, fuzzEmailSchema); err != nil {
			t.Fatal(err)
		}
		v, err := NewValidator(Options{Registry: reg})
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Validate(t.Context(), cred); err != nil {
			checkSentinel(t, err)
			var ve *ValidationError
			if errors.As(err, &ve) && len(ve.Failures) == 0 {
				t.Fatal("ValidationError without failures")
			}
		}
	})
}

var fuzzEmailSchema = []byte(`{"$id":"https://example.com/schemas/email.json","$schema":"https://json-schema.org/draft/2020-12/schema",
"type":"object","properties":{"credentialSubject":{"type":"object","properties":{"emailAddress":{"type":"string","format":"email"}},"required":["emailAddress"]}},"required":["credentialSubject"]}`)
