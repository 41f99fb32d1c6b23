package schema

import (
	"crypto/ed25519"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

// BenchmarkValidate validates a typical credential against a cached compiled schema.
// Compare with BenchmarkDecodeBaseline (the strict parse alone) and
// BenchmarkLibraryValidateBaseline (the JSON Schema evaluation alone, on a parsed value).
func BenchmarkValidate(b *testing.B) {
	v, err := NewValidator(Options{Registry: registry(b, personSchemas)})
	if err != nil {
		b.Fatal(err)
	}
	cred := readTestdata(b, "credentials/person-ok.json")
	if err := v.Validate(b.Context(), cred); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(cred)))
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(b.Context(), cred); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeBaseline is the strict JSON parse of the credential that Validate does
// first.
func BenchmarkDecodeBaseline(b *testing.B) {
	cred := readTestdata(b, "credentials/person-ok.json")
	b.SetBytes(int64(len(cred)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsonx.Decode(cred, jsonx.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLibraryValidateBaseline is the JSON Schema library's evaluation of the parsed
// credential against the compiled schema, without anything of this package around it.
func BenchmarkLibraryValidateBaseline(b *testing.B) {
	v, err := NewValidator(Options{Registry: registry(b, personSchemas)})
	if err != nil {
		b.Fatal(err)
	}
	sch, err := v.jsonSchema(b.Context(), Entry{ID: personURL, Kind: KindJSONSchema})
	if err != nil {
		b.Fatal(err)
	}
	inst, err := jsonx.Decode(readTestdata(b, "credentials/person-ok.json"), jsonx.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := sch.Validate(inst); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateSchemaCredential validates against a JsonSchemaCredential, whose
// verification (here one Ed25519 signature, see BenchmarkEd25519Baseline) runs on every
// call; the compiled schema is cached.
func BenchmarkValidateSchemaCredential(b *testing.B) {
	signer := newTestSigner()
	reg := NewRegistry()
	if err := reg.AddCredential(scURL, signer.sign(readTestdata(b, "credentials/schema-credential.json"))); err != nil {
		b.Fatal(err)
	}
	v, err := NewValidator(Options{Registry: reg, VerifyCredential: signer.verify})
	if err != nil {
		b.Fatal(err)
	}
	cred := readTestdata(b, "credentials/sc-ok.json")
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Validate(b.Context(), cred); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEd25519Baseline is the signature check inside the test VerifyFunc.
func BenchmarkEd25519Baseline(b *testing.B) {
	signer := newTestSigner()
	msg := readTestdata(b, "credentials/schema-credential.json")
	sig := ed25519.Sign(signer.priv, msg)
	pub := signer.priv.Public().(ed25519.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("bad signature")
		}
	}
}

// BenchmarkCompile is the cost of a cache miss: parsing, compiling (with one offline $ref)
// and the expansion bound.
func BenchmarkCompile(b *testing.B) {
	v, err := NewValidator(Options{Registry: registry(b, personSchemas), CacheSize: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.jsonSchema(b.Context(), Entry{ID: personURL, Kind: KindJSONSchema}); err != nil {
			b.Fatal(err)
		}
	}
}
