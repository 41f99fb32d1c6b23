package schema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/vectors"
)

// The VCDM 2.0 test suite's credentialSchema inputs: the -ok files must parse, the -fail
// files (no id, no type, an id that is not a URL) must not. The -ok files use example
// types that are neither JsonSchema nor JsonSchemaCredential, so validating them is
// ErrUnsupportedSchema (VC JSON Schema's Indeterminate outcome): counted apart.
func TestVectorsVCDM2(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, "w3c-vcdm2"), "input")
	files, err := filepath.Glob(filepath.Join(dir, "credential-schema*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no credential-schema vectors in %s", dir)
	}
	v, err := NewValidator(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var parsed, refused, indeterminate int
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			entries, perr := ParseEntries(doc["credentialSchema"])
			verr := v.Validate(t.Context(), data)
			if strings.HasSuffix(name, "-fail.json") {
				if !errors.Is(perr, ErrMalformed) || !errors.Is(verr, ErrMalformed) {
					t.Fatalf("ParseEntries: %v, Validate: %v; want ErrMalformed", perr, verr)
				}
				refused++
				return
			}
			if perr != nil || len(entries) == 0 {
				t.Fatalf("ParseEntries: %v", perr)
			}
			parsed++
			for _, e := range entries {
				if e.Kind != KindOther {
					t.Fatalf("entry %+v: want KindOther", e)
				}
			}
			if !errors.Is(verr, ErrUnsupportedSchema) {
				t.Fatalf("Validate: %v, want ErrUnsupportedSchema", verr)
			}
			indeterminate++
		})
	}
	t.Logf("w3c-vcdm2: %d credentialSchema vectors: %d parse (%d of them of types other than JsonSchema, refused with ErrUnsupportedSchema), %d refused with ErrMalformed",
		len(files), parsed, indeterminate, refused)
}

// The VC-JOSE-COSE examples and test-suite inputs name JsonSchema schemas that the
// vectors do not include: with our own degree and alumni schemas registered for their
// URLs they validate; the one whose schema nobody has is ErrSchemaRetrieval.
func TestVectorsJOSECOSE(t *testing.T) {
	dir := vectors.Dir(t, "w3c-vc-jose-cose")
	v, err := NewValidator(Options{Registry: registry(t, map[string]string{
		"https://example.org/examples/degree.json": "degree.json",
		"https://example.org/examples/alumni.json": "alumni.json",
	})})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, sub := range []string{"spec-examples", "test-suite-input"} {
		m, _ := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		for _, f := range m {
			if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), `"credentialSchema"`) {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Fatalf("no credentials with credentialSchema in %s", dir)
	}
	var valid, unretrievable int
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			err = v.Validate(t.Context(), data)
			if strings.Contains(string(data), "contoso.example/bafybeigdyr") {
				if !errors.Is(err, ErrSchemaRetrieval) {
					t.Fatalf("got %v, want ErrSchemaRetrieval", err)
				}
				unretrievable++
				return
			}
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			valid++
		})
	}
	t.Logf("w3c-vc-jose-cose: %d credentials with credentialSchema: %d valid, %d refused with ErrSchemaRetrieval (schema not published)", len(files), valid, unretrievable)
}
