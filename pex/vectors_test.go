package pex_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/pex"
)

const source = "dif-pex"

func decodeFile(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

// schemaCompiler loads the DIF schemas from the vectors folder. The claim format registry
// schemas they reference are not among the vectors; a stand-in that accepts any object
// takes their place, so format designations are not checked here.
func schemaCompiler(t *testing.T, dir string) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseLoader(refuse{})
	stub := map[string]any{"type": "string"}
	for _, u := range []string{
		"https://identity.foundation/claim-format-registry/schemas/presentation-definition-claim-format-designations.json",
		"https://identity.foundation/claim-format-registry/schemas/presentation-submission-claim-format-designations.json",
	} {
		doc := map[string]any{"type": "object", "definitions": map[string]any{"format": stub}}
		if err := c.AddResource(u, doc); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "schemas", "*.json"))
	if len(files) == 0 {
		t.Fatal("no schemas")
	}
	for _, f := range files {
		if err := c.AddResource("file:///dif-pex/"+filepath.Base(f), decodeFile(t, f)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

type refuse struct{}

func (refuse) Load(url string) (any, error) { return nil, errors.New("no loading: " + url) }

// TestVectorSchemas validates every example against the DIF schema named for it.
func TestVectorSchemas(t *testing.T) {
	dir := vectors.Dir(t, source)
	c := schemaCompiler(t, dir)
	total, placeholders := 0, 0
	for _, g := range []struct{ glob, schema string }{
		{"test/presentation-definition/*.json", "presentation-definition-envelope.json"},
		{"test/presentation-submission/*.json", "presentation-submission.json"},
		{"test/submission-requirements/*example.json", "submission-requirements.json"},
	} {
		sch, err := c.Compile("file:///dif-pex/" + g.schema)
		if err != nil {
			t.Fatalf("%s: %v", g.schema, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, g.glob))
		if len(files) == 0 {
			t.Fatalf("no files for %s", g.glob)
		}
		for _, f := range files {
			doc := decodeFile(t, f)
			// Submissions embedded in a VP, JWT, OIDC, DIDComm or CHAPI wrapper: validate
			// the object holding presentation_submission.
			if strings.Contains(g.glob, "submission/") {
				holder, ok := findMember(doc, "presentation_submission").(map[string]any)
				if !ok { // the CHAPI and DIDComm wrappers hold a placeholder only
					placeholders++
					continue
				}
				doc = map[string]any{"presentation_submission": holder["presentation_submission"]}
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("%s: %v", filepath.Base(f), err)
			}
			total++
		}
	}
	if placeholders > 2 {
		t.Errorf("%d submission examples without a submission, want at most the 2 placeholders", placeholders)
	}
	t.Logf("%d examples validate (%d wrappers without a submission)", total, placeholders)
}

// findMember returns the object that has member name, searching depth first.
func findMember(v any, name string) any {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v[name]; ok {
			return v
		}
		for _, x := range v {
			if m := findMember(x, name); m != nil {
				return m
			}
		}
	case []any:
		for _, x := range v {
			if m := findMember(x, name); m != nil {
				return m
			}
		}
	}
	return nil
}

// TestVectorDefinitionsParse parses every example definition.
func TestVectorDefinitionsParse(t *testing.T) {
	dir := vectors.Dir(t, source)
	files, _ := filepath.Glob(filepath.Join(dir, "test/presentation-definition/*.json"))
	if len(files) == 0 {
		t.Fatal("no definitions")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			env := decodeFile(t, f).(map[string]any)
			pd, ok := env["presentation_definition"]
			if !ok { // an input descriptor on its own
				pd = map[string]any{"id": "wrapper", "input_descriptors": []any{env}}
			}
			data, err := json.Marshal(pd)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pex.ParseDefinition(data); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The sample implementation's definition is PEX v1 (no id, a "schema" member and a
	// filter of type "date", which JSON Schema does not have): rejected.
	data := vectors.Read(t, source, "sample-implementation/src/__fixtures__/test-vectors/presentation_definition.json")
	if _, err := pex.ParseDefinition(data); !errors.Is(err, pex.ErrMalformed) {
		t.Errorf("v1 sample definition: got %v, want ErrMalformed", err)
	}
}

// TestVectorSubmissionsParse parses every example submission, path_nested included,
// and checks that it marshals back to the same JSON.
func TestVectorSubmissionsParse(t *testing.T) {
	dir := vectors.Dir(t, source)
	files, _ := filepath.Glob(filepath.Join(dir, "test/presentation-submission/*.json"))
	if len(files) == 0 {
		t.Fatal("no submissions")
	}
	parsed, nested := 0, 0
	for _, f := range files {
		holder, ok := findMember(decodeFile(t, f), "presentation_submission").(map[string]any)
		if !ok {
			continue // a placeholder wrapper (CHAPI, DIDComm)
		}
		parsed++
		data, err := json.Marshal(holder["presentation_submission"])
		if err != nil {
			t.Fatal(err)
		}
		sub, err := pex.ParseSubmission(data)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		for _, m := range sub.DescriptorMap {
			if m.PathNested != nil {
				nested++
			}
		}
		back, err := json.Marshal(sub)
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(back, &got); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", filepath.Base(f), d)
		}
	}
	if parsed < 5 || nested < 2 {
		t.Errorf("parsed %d submissions (%d mappings with path_nested), want 5 (2)", parsed, nested)
	}
	t.Logf("%d submissions parsed, %d mappings with path_nested", parsed, nested)
}
