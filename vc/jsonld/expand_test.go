package jsonld_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/vc/jsonld"
)

// credential builds a VCDM 2.0 credential with the given @context (JSON) and extra
// top-level and subject members (JSON object bodies without braces, or "").
func credential(ctx, top, subject string) []byte {
	if top != "" {
		top = "," + top
	}
	if subject != "" {
		subject = "," + subject
	}
	return fmt.Appendf(nil, `{"@context":%s,"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
"type":["VerifiableCredential"],"issuer":"https://vc.example/issuers/5678",
"validFrom":"2023-01-01T00:00:00Z","credentialSubject":{"id":"did:example:abcdefgh"%s}%s}`, ctx, subject, top)
}

const (
	v2         = `"https://www.w3.org/ns/credentials/v2"`
	examplesV2 = `"https://www.w3.org/ns/credentials/examples/v2"`
	v2Examples = `[` + v2 + `,` + examplesV2 + `]`
)

// TestExpandAttacks feeds hostile documents to Expand and ToRDF and checks the sentinel.
func TestExpandAttacks(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000)
	big := credential(v2Examples, `"padding":"`+strings.Repeat("x", 2<<20)+`"`, "")
	manyContexts := `[` + strings.Repeat(`{"@context":`+v2+`,"id":"urn:x"},`, 300) + `{}]`
	longIRI := "https://example.com/" + strings.Repeat("a", 2100)
	inline := jsonld.Options{AllowInlineContexts: true}
	first := jsonld.Options{RequireFirst: jsonld.CredentialsV2}
	for _, tc := range []struct {
		name string
		doc  []byte
		opts jsonld.Options
		want error
	}{
		{"accepted", credential(v2Examples, "", `"alumniOf":"The School of Examples"`), first, nil},
		{"accepted inline context when allowed",
			credential(`[`+v2+`,{"alumniOf":"https://schema.org/alumniOf"}]`, "", `"alumniOf":"The School of Examples"`), inline, nil},

		// Context references that are not registry entries.
		{"unknown remote context", credential(`[`+v2+`,"https://evil.example/context.jsonld"]`, "", ""), first, errs.ErrUnknownContext},
		{"http instead of https", credential(`["http://www.w3.org/ns/credentials/v2"]`, "", ""), jsonld.Options{}, errs.ErrUnknownContext},
		{"trailing slash", credential(`["https://www.w3.org/ns/credentials/v2/"]`, "", ""), jsonld.Options{}, errs.ErrUnknownContext},
		{"file path", credential(`[`+v2+`,"/etc/passwd"]`, "", ""), first, errs.ErrUnknownContext},
		{"relative path", credential(`[`+v2+`,"contexts/credentials-v2.jsonld"]`, "", ""), first, errs.ErrUnknownContext},
		{"file URL", credential(`[`+v2+`,"file:///etc/passwd"]`, "", ""), first, errs.ErrUnknownContext},
		{"unknown context in a nested object",
			credential(v2Examples, "", `"@context":"https://evil.example/ctx","alumniOf":"x"`), first, errs.ErrUnknownContext},
		{"escaped @context member", []byte(`{"@\u0063ontext":["https://evil.example/ctx"]}`), jsonld.Options{}, errs.ErrUnknownContext},
		{"too many context loads", []byte(`{"@context":` + v2 + `,"@graph":` + manyContexts + `}`), jsonld.Options{}, errs.ErrTooLarge},

		// Inline contexts.
		{"inline context rejected by default", credential(`[`+v2+`,{"@vocab":"https://evil.example/#"}]`, "", `"anything":"x"`), first, errs.ErrUnknownContext},
		{"null context rejected by default", credential(`[`+v2+`,null]`, "", ""), first, errs.ErrUnknownContext},
		{"nested inline context rejected by default",
			credential(v2Examples, "", `"@context":{"x":"https://evil.example/x"},"x":"y"`), first, errs.ErrUnknownContext},
		{"protected term redefined inline",
			credential(`[`+v2+`,{"name":"https://evil.example/name"}]`, `"name":"x"`, ""), inline, errs.ErrUnknownContext},
		{"protected term redefined in a nested inline context",
			credential(v2Examples, "", `"@context":{"id":"https://evil.example/id"}`), inline, errs.ErrUnknownContext},
		{"protected term nullified inline",
			credential(`[`+v2+`,{"issuer":null}]`, "", ""), inline, errs.ErrUnknownContext},
		{"protected term nullified and redefined inline",
			credential(`[`+v2+`,{"name":{"@id":null}},{"name":"https://evil.example/name"}]`, "", `"name":"x"`), inline, errs.ErrUnknownContext},
		{"context reset inline", credential(`[`+v2+`,null,`+examplesV2+`]`, "", ""), inline, errs.ErrUnknownContext},
		{"import of an unknown context", credential(`[`+v2+`,{"@import":"https://evil.example/ctx"}]`, "", ""), inline, errs.ErrUnknownContext},
		{"scoped context not registered",
			credential(`[`+v2+`,{"x":{"@id":"https://ex.example/x","@context":"https://evil.example/ctx"}}]`, "", `"x":{"y":1}`), inline, errs.ErrUnknownContext},
		{"non-boolean @protected", credential(`[`+v2+`,{"@protected":"yes"}]`, "", ""), inline, errs.ErrMalformed},
		// Inline contexts that make the processor panic.
		{"non-boolean @protected in a term", credential(`[`+v2+`,{"x":{"@id":"https://ex.example/x","@protected":"yes"}}]`, "", `"x":"y"`), inline, errs.ErrMalformed},
		{"empty @nest", credential(`[`+v2+`,{"x":{"@id":"https://ex.example/x","@nest":""}}]`, "", `"x":"y"`), inline, errs.ErrMalformed},
		{"number in @container", credential(`[`+v2+`,{"x":{"@id":"https://ex.example/x","@container":[1]}}]`, "", `"x":"y"`), inline, errs.ErrMalformed},

		// Context order.
		{"VC context not first", credential(`[`+examplesV2+`,`+v2+`]`, "", ""), first, errs.ErrUnknownContext},
		{"VC context swapped for v1", credential(`["https://www.w3.org/2018/credentials/v1",`+examplesV2+`]`, "", ""), first, errs.ErrUnknownContext},
		{"no context", []byte(`{"id":"urn:x"}`), first, errs.ErrUnknownContext},

		// Terms that would be dropped.
		{"undefined property", credential(`[`+v2+`]`, "", `"undefinedProperty":"x"`), first, errs.ErrUnknownContext},
		{"undefined top-level property", credential(`[`+v2+`]`, `"undefinedProperty":"x"`, ""), first, errs.ErrUnknownContext},
		{"undefined type", credential(`[`+v2+`]`, `"credentialStatus":{"id":"urn:s","type":"UndefinedStatus"}`, ""), first, errs.ErrUnknownContext},
		{"keyword-like key", credential(v2Examples, `"@unknown":"x"`, ""), first, errs.ErrUnknownContext},
		{"blank node property", []byte(`{"@id":"urn:x","_:p":"v"}`), jsonld.Options{}, errs.ErrUnknownContext},
		{"@index", credential(v2Examples, "", `"alumniOf":{"@value":"x","@index":"i"}`), first, errs.ErrUnknownContext},
		{"base direction", credential(v2Examples, "", `"alumniOf":{"@value":"x","@language":"ar","@direction":"rtl"}`), first, nil},
		{"invalid base direction", credential(v2Examples, "", `"alumniOf":{"@value":"x","@language":"ar","@direction":"up"}`), first, errs.ErrMalformed},
		{"relative IRI as id", credential(v2Examples, "", `"knows":{"id":"relative/person","name":"x"}`), first, errs.ErrMalformed},
		{"relative IRI as issuer", []byte(strings.Replace(string(credential(v2Examples, "", "")), `"https://vc.example/issuers/5678"`, `"issuers/5678"`, 1)), first, errs.ErrMalformed},
		{"long IRI kept", credential(v2Examples, "", `"homepage":{"id":"`+longIRI+`"}`), first, nil},
		{"malformed language tag", credential(v2Examples, "", `"alumniOf":{"@value":"x","@language":"not a tag"}`), first, errs.ErrMalformed},
		{"integer beyond 2^53", credential(v2Examples, "", `"count":12345678901234567890`), first, errs.ErrMalformed},
		{"number out of range", credential(v2Examples, "", `"count":1e400`), first, errs.ErrMalformed},

		// JSON.
		{"100k-deep JSON", []byte(deep), jsonld.Options{}, errs.ErrTooDeep},
		{"2 MB document", big, first, errs.ErrTooLarge},
		{"too many objects", []byte(`{"@context":` + v2 + `,"@graph":[` + strings.Repeat(`{"type":"VerifiableCredential"},`, 10_000) + `{}]}`), jsonld.Options{}, errs.ErrTooLarge},
		{"duplicate member", []byte(`{"@context":` + v2 + `,"id":"urn:a","id":"urn:b"}`), jsonld.Options{}, errs.ErrMalformed},
		{"top-level array", []byte(`[{"@context":` + v2 + `}]`), jsonld.Options{}, errs.ErrMalformed},
		{"top-level string", []byte(`"https://www.w3.org/ns/credentials/v2"`), jsonld.Options{}, errs.ErrMalformed},
		{"JSON-LD syntax", credential(v2Examples, `"@id":5`, ""), jsonld.Options{}, errs.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := jsonld.DefaultContexts()
			_, err := jsonld.Expand(context.Background(), tc.doc, c, tc.opts)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Expand: got %v, want %v", err, tc.want)
			}
			quads, err := jsonld.ToRDF(context.Background(), tc.doc, c, tc.opts)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("ToRDF: got %v, want %v", err, tc.want)
			}
			if err != nil && quads != nil {
				t.Errorf("ToRDF returned quads with an error")
			}
		})
	}
}

// TestTermErrorPointer checks that dropped terms and relative IRIs are located.
func TestTermErrorPointer(t *testing.T) {
	for _, tc := range []struct {
		name          string
		doc           []byte
		pointer, term string
		want          error
	}{
		{"undefined subject property", credential(`[`+v2+`]`, "", `"undefinedProperty":"x"`),
			"/credentialSubject/undefinedProperty", "undefinedProperty", errs.ErrUnknownContext},
		{"undefined top-level property", credential(`[`+v2+`]`, `"undefinedProperty":{"a":1}`, ""),
			"/undefinedProperty", "undefinedProperty", errs.ErrUnknownContext},
		{"undefined type", credential(`[`+v2+`]`, "", ""),
			"/type/1", "UndefinedCredential", errs.ErrUnknownContext},
		{"undefined type of a nested node", credential(`[`+v2+`]`, `"credentialStatus":[{"id":"urn:s","type":"UndefinedStatus"}]`, ""),
			"/credentialStatus/0/type", "UndefinedStatus", errs.ErrUnknownContext},
		{"relative id", credential(v2Examples, "", `"knows":[{"id":"relative/person","name":"x"}]`),
			"/credentialSubject/knows/0/id", "relative/person", errs.ErrMalformed},
		{"invalid base direction", credential(v2Examples, "", `"alumniOf":[{"@value":"x","@language":"ar","@direction":"up"}]`),
			"/credentialSubject/alumniOf/0", "up", errs.ErrMalformed},
		{"@index", credential(v2Examples, "", `"alumniOf":{"@value":"x","@index":"i"}`),
			"/credentialSubject/alumniOf", "@index", errs.ErrUnknownContext},
		{"embedded credential without its own context",
			[]byte(`{"@context":[` + v2 + `],"type":"VerifiablePresentation","verifiableCredential":[{"type":"VerifiableCredential"}]}`),
			"/verifiableCredential/0", "", errs.ErrUnknownContext},
		{"escaped pointer", credential(`[`+v2+`]`, "", `"a/b~c":"x"`),
			"/credentialSubject/a~1b~0c", "a/b~c", errs.ErrUnknownContext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			if tc.name == "undefined type" {
				doc = []byte(strings.Replace(string(doc), `["VerifiableCredential"]`, `["VerifiableCredential","UndefinedCredential"]`, 1))
			}
			_, err := jsonld.ToRDF(context.Background(), doc, jsonld.DefaultContexts(), jsonld.Options{RequireFirst: jsonld.CredentialsV2})
			var te *jsonld.TermError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a *TermError", err)
			}
			if te.Pointer != tc.pointer || te.Term != tc.term || !errors.Is(err, tc.want) {
				t.Errorf("got pointer %q, term %q, err %v; want %q, %q, %v", te.Pointer, te.Term, err, tc.pointer, tc.term, tc.want)
			}
		})
	}
}

// TestExpandOptions checks the options that are errors in themselves.
func TestExpandOptions(t *testing.T) {
	doc := credential(v2Examples, "", "")
	ctx := context.Background()
	c := jsonld.DefaultContexts()
	for _, tc := range []struct {
		name string
		c    *jsonld.Contexts
		opts jsonld.Options
		want error
	}{
		{"nil registry", nil, jsonld.Options{}, errs.ErrInvalidOptions},
		{"negative MaxBytes", c, jsonld.Options{MaxBytes: -1}, errs.ErrInvalidOptions},
		{"negative MaxObjects", c, jsonld.Options{MaxObjects: -1}, errs.ErrInvalidOptions},
		{"MaxObjects below the document", c, jsonld.Options{MaxObjects: 1}, errs.ErrTooLarge},
		{"RequireFirst not registered", c, jsonld.Options{RequireFirst: "https://example.com/ctx"}, errs.ErrInvalidOptions},
		{"MaxBytes below the document", c, jsonld.Options{MaxBytes: 100}, errs.ErrTooLarge},
		{"empty registry", &jsonld.Contexts{}, jsonld.Options{}, errs.ErrUnknownContext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := jsonld.ToRDF(ctx, doc, tc.c, tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := jsonld.ToRDF(cancelled, doc, c, jsonld.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// TestExpand checks the expanded form of a small credential.
func TestExpand(t *testing.T) {
	out, err := jsonld.Expand(context.Background(), credential(v2Examples, "", `"alumniOf":"School"`), jsonld.DefaultContexts(), jsonld.Options{RequireFirst: jsonld.CredentialsV2})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("got %d top-level nodes, want 1", len(out))
	}
	node, _ := out[0].(map[string]any)
	subj, _ := node["https://www.w3.org/2018/credentials#credentialSubject"].([]any)
	if node["@id"] != "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33" || len(subj) != 1 {
		t.Errorf("unexpected expansion %v", out)
	}
}

func ExampleToRDF() {
	ctx := context.Background()
	contexts := jsonld.DefaultContexts() // build once and share: it is safe for concurrent use
	doc := []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "AlumniCredential"],
		"issuer": "https://vc.example/issuers/5678",
		"credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"}
	}`)
	quads, err := jsonld.ToRDF(ctx, doc, contexts, jsonld.Options{RequireFirst: jsonld.CredentialsV2})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(c.NQuads()))
	// Output:
	// <did:example:abcdefgh> <https://www.w3.org/ns/credentials/examples#alumniOf> "The School of Examples" .
	// _:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
	// _:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/examples#AlumniCredential> .
	// _:c14n0 <https://www.w3.org/2018/credentials#credentialSubject> <did:example:abcdefgh> .
	// _:c14n0 <https://www.w3.org/2018/credentials#issuer> <https://vc.example/issuers/5678> .
}

// A member that no context defines would not be signed: ToRDF refuses the document and
// names the member.
func ExampleTermError() {
	doc := []byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2"],
		"type": ["VerifiableCredential"],
		"issuer": "https://vc.example/issuers/5678",
		"credentialSubject": {"id": "did:example:abcdefgh", "favoriteColor": "blue"}
	}`)
	_, err := jsonld.ToRDF(context.Background(), doc, jsonld.DefaultContexts(), jsonld.Options{RequireFirst: jsonld.CredentialsV2})
	var te *jsonld.TermError
	if errors.As(err, &te) {
		fmt.Println(te.Reason, te.Pointer)
	}
	// Output:
	// property not defined by any context /credentialSubject/favoriteColor
}
