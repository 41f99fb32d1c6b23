package jsonld_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/vc/jsonld"
)

// publishedContexts maps each embedded URL to the published document in ../shared/vectors
// (source folder, file) and to the embedded file; see contexts/README.md.
var publishedContexts = []struct{ url, source, file, embedded string }{
	{"https://www.w3.org/2018/credentials/v1", "jsonld-contexts", "w3c-vc-data-model/credentials/v1.jsonld", "credentials-v1.jsonld"},
	{"https://www.w3.org/ns/credentials/v2", "jsonld-contexts", "w3c-vc-data-model/credentials/v2.jsonld", "credentials-v2.jsonld"},
	{"https://www.w3.org/2018/credentials/examples/v1", "jsonld-contexts", "w3c-vc-data-model/credentials/examples/v1.jsonld", "credentials-examples-v1.jsonld"},
	{"https://www.w3.org/ns/credentials/examples/v2", "jsonld-contexts", "w3c-vc-data-model/credentials/examples/v2.jsonld", "credentials-examples-v2.jsonld"},
	{"https://www.w3.org/ns/credentials/undefined-terms/v2", "jsonld-contexts", "w3c-vc-data-model/credentials/undefined-terms/v2.jsonld", "credentials-undefined-terms-v2.jsonld"},
	{"https://www.w3.org/ns/credentials/status/v1", "w3c-bitstring-status-list", "contexts/v1.jsonld", "credentials-status-v1.jsonld"},
	{"https://w3id.org/security/data-integrity/v1", "jsonld-contexts", "npm/data-integrity-v1.jsonld", "data-integrity-v1.jsonld"},
	{"https://w3id.org/security/data-integrity/v2", "jsonld-contexts", "npm/data-integrity-v2.jsonld", "data-integrity-v2.jsonld"},
	{"https://w3id.org/security/multikey/v1", "jsonld-contexts", "npm/multikey-v1.jsonld", "multikey-v1.jsonld"},
	{"https://w3id.org/security/suites/ed25519-2020/v1", "jsonld-contexts", "vc-di-eddsa/lds-ed25519-2020-v1.json", "ed25519-2020-v1.jsonld"},
	{"https://www.w3.org/ns/did/v1", "jsonld-contexts", "npm/did-v1.jsonld", "did-v1.jsonld"},
	{"https://w3id.org/citizenship/v4rc1", "jsonld-contexts", "citizenship-vocab/citizenship-v4rc1.jsonld", "citizenship-v4rc1.jsonld"},
	{"https://w3id.org/vdl/v1", "jsonld-contexts", "vdl-vocab/v1.jsonld", "vdl-v1.jsonld"},
	{"https://w3id.org/vdl/aamva/v1", "jsonld-contexts", "vdl-vocab/aamva/v1.jsonld", "vdl-aamva-v1.jsonld"},
}

func TestDefaultContexts(t *testing.T) {
	c := jsonld.DefaultContexts()
	var want []string
	for _, p := range publishedContexts {
		want = append(want, p.url)
	}
	got := c.URLs()
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embedded URLs (-want +got):\n%s", diff)
	}
	if d := jsonld.DefaultContexts(); d == c {
		t.Error("DefaultContexts returned the same registry twice")
	}
}

// TestEmbeddedContextsMatchPublished checks that each embedded file is the published
// document as a JSON value, in compact form with the member order kept.
func TestEmbeddedContextsMatchPublished(t *testing.T) {
	for _, p := range publishedContexts {
		t.Run(p.embedded, func(t *testing.T) {
			embedded, err := os.ReadFile(filepath.Join("contexts", p.embedded))
			if err != nil {
				t.Fatal(err)
			}
			published := vectors.Read(t, p.source, p.file)
			var a, b any
			if err := json.Unmarshal(embedded, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(published, &b); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("embedded file differs from the published document (-published +embedded):\n%s", diff)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, published); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(compact.Bytes(), embedded) {
				t.Error("embedded file is not the compact form of the published document")
			}
			if bytes.Contains(embedded, []byte(`"@import"`)) {
				t.Error("embedded context uses @import")
			}
		})
	}
}

const exampleContext = `{"@context":{"@protected":true,"ExampleThing":"https://example.com/vocab#ExampleThing","size":"https://example.com/vocab#size"}}`

func sum(doc string) string {
	h := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(h[:])
}

func TestContextsAdd(t *testing.T) {
	const u = "https://example.com/contexts/v1"
	for _, tc := range []struct {
		name, url, doc, hash string
		want                 error
	}{
		{"added", u, exampleContext, sum(exampleContext), nil},
		{"uppercase hash", u, exampleContext, strings.ToUpper(sum(exampleContext)), nil},
		{"hash mismatch", u, exampleContext, sum(exampleContext + " "), errs.ErrUnknownContext},
		{"malformed hash", u, exampleContext, "abc", errs.ErrInvalidOptions},
		{"http URL", "http://example.com/contexts/v1", exampleContext, sum(exampleContext), errs.ErrInsecureURL},
		{"file URL", "file:///etc/passwd", exampleContext, sum(exampleContext), errs.ErrInsecureURL},
		{"relative URL", "contexts/v1", exampleContext, sum(exampleContext), errs.ErrInvalidURL},
		{"file path", "/etc/passwd", exampleContext, sum(exampleContext), errs.ErrInvalidURL},
		{"fragment", u + "#x", exampleContext, sum(exampleContext), errs.ErrInvalidURL},
		{"user information", "https://user@example.com/c", exampleContext, sum(exampleContext), errs.ErrInvalidURL},
		{"overwrite an embedded context", jsonld.CredentialsV2, exampleContext, sum(exampleContext), errs.ErrInvalidOptions},
		{"not JSON", u, "{", sum("{"), errs.ErrMalformed},
		{"duplicate member", u, `{"@context":{},"@context":{}}`, sum(`{"@context":{},"@context":{}}`), errs.ErrMalformed},
		{"no @context", u, `{"a":1}`, sum(`{"a":1}`), errs.ErrMalformed},
		{"not an object", u, `[]`, sum(`[]`), errs.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := jsonld.DefaultContexts()
			before := len(c.URLs())
			err := c.Add(tc.url, []byte(tc.doc), tc.hash)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil && len(c.URLs()) != before {
				t.Error("a failed Add changed the registry")
			}
		})
	}

	var c jsonld.Contexts // the zero value is an empty registry
	if err := c.Add(u, []byte(exampleContext), sum(exampleContext)); err != nil {
		t.Fatal(err)
	}
	if err := c.Add(u, []byte(exampleContext), sum(exampleContext)); err != nil {
		t.Errorf("adding the same document again: %v", err)
	}
	other := `{"@context":{"size":"https://example.com/other#size"}}`
	if err := c.Add(u, []byte(other), sum(other)); !errors.Is(err, errs.ErrInvalidOptions) {
		t.Errorf("replacing a document: got %v, want ErrInvalidOptions", err)
	}
	doc := []byte(`{"@context":"` + u + `","@id":"urn:thing","@type":"ExampleThing","size":3}`)
	quads, err := jsonld.ToRDF(context.Background(), doc, &c, jsonld.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(jsonld.SerializeNQuads(sorted(quads))); got != `<urn:thing> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.com/vocab#ExampleThing> .
<urn:thing> <https://example.com/vocab#size> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
` {
		t.Errorf("got\n%s", got)
	}
}

func sorted(q []jsonld.Quad) []jsonld.Quad {
	slices.SortFunc(q, func(a, b jsonld.Quad) int { return strings.Compare(a.String(), b.String()) })
	return q
}

// TestContextsConcurrent uses one registry from several goroutines while it grows.
func TestContextsConcurrent(t *testing.T) {
	c := jsonld.DefaultContexts()
	doc := credential(v2Examples, "", `"alumniOf":"x"`)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				if _, err := jsonld.ToRDF(context.Background(), doc, c, jsonld.Options{}); err != nil {
					t.Error(err)
				}
				ctx := strings.Replace(exampleContext, "size", "size"+string(rune('a'+i*5+j)), 1)
				if err := c.Add("https://example.com/c/"+string(rune('a'+i*5+j)), []byte(ctx), sum(ctx)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(c.URLs()); n != len(publishedContexts)+20 {
		t.Errorf("got %d contexts, want %d", n, len(publishedContexts)+20)
	}
}
