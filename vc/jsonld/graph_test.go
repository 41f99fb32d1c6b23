package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

// The presentations of testdata/presentation-{one,two}.json embed one and two credentials,
// each with its Data Integrity proof. testdata/presentation-{one,two}.nq are their RDFC-1.0
// canonical N-Quads: the presentation's statements in the default graph, each credential's
// in a named graph of its own (verifiableCredential has a @graph container), and each
// credential's proof in a further graph, named by a statement of the credential's graph
// (proof has a @graph container too). vc/interop_di_test.go checks that jsonld.js
// canonicalizes them to the same bytes.

const (
	iriVerifiableCredential = "https://www.w3.org/2018/credentials#verifiableCredential"
	iriProof                = "https://w3id.org/security#proof"
)

// TestPresentationGraphs checks the canonical N-Quads of the presentations against the
// expected files, and the graph structure they hold.
func TestPresentationGraphs(t *testing.T) {
	ctx := context.Background()
	c := DefaultContexts()
	for name, credentials := range map[string]int{"presentation-one": 1, "presentation-two": 2} {
		t.Run(name, func(t *testing.T) {
			doc := readFile(t, filepath.Join("testdata", name+".json"))
			want := readFile(t, filepath.Join("testdata", name+".nq"))
			quads, err := ToRDF(ctx, doc, c, Options{RequireFirst: CredentialsV2})
			if err != nil {
				t.Fatal(err)
			}
			cz, err := Canonicalize(ctx, quads, CanonOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := cz.NQuads(); !bytes.Equal(got, want) {
				t.Errorf("canonical N-Quads:\n%s\nwant\n%s", got, want)
			}
			checkGraphs(t, cz.Quads, credentials)
		})
	}
}

// checkGraphs checks that each of the n credentials of a presentation is a named graph
// named by a blank node, holding the credential's statements and one proof statement
// whose object names yet another graph, that of the proof; and that the default graph
// holds nothing of the credentials.
func checkGraphs(t *testing.T, quads []Quad, n int) {
	t.Helper()
	byGraph := map[Term][]Quad{}
	for _, q := range quads {
		byGraph[q.Graph] = append(byGraph[q.Graph], q)
	}
	var credGraphs []Term
	for _, q := range byGraph[Term{}] {
		if q.Predicate.Value == iriProof || q.Predicate.Value == "https://www.w3.org/2018/credentials#issuer" {
			t.Errorf("credential statement in the default graph: %v", q)
		}
		if q.Predicate.Value == iriVerifiableCredential {
			if q.Object.Kind != TermBlankNode {
				t.Errorf("verifiableCredential is not a graph name: %v", q)
			}
			credGraphs = append(credGraphs, q.Object)
		}
	}
	if len(credGraphs) != n {
		t.Fatalf("%d credential graphs, want %d", len(credGraphs), n)
	}
	if len(byGraph) != 1+2*n {
		t.Errorf("%d graphs, want the default graph, %d credential graphs and %d proof graphs", len(byGraph), n, n)
	}
	for _, g := range credGraphs {
		var proofs []Term
		for _, q := range byGraph[g] {
			if q.Predicate.Value == iriProof {
				proofs = append(proofs, q.Object)
			}
		}
		if len(proofs) != 1 || proofs[0].Kind != TermBlankNode || proofs[0] == g {
			t.Fatalf("credential graph %s: proof statements naming %v, want one graph of its own", g.Value, proofs)
		}
		if len(byGraph[proofs[0]]) == 0 {
			t.Errorf("proof graph %s of credential graph %s is empty", proofs[0].Value, g.Value)
		}
	}
}

// TestGraphContainerExpansion checks the expanded form of a presentation on the compiled
// path (each credential a graph object, each proof a graph object inside it), and that the
// general path, given the same presentation with an inline context that keeps it off the
// compiled path, restores the graph containers json-gold loses: same canonical N-Quads.
func TestGraphContainerExpansion(t *testing.T) {
	ctx := context.Background()
	c := DefaultContexts()
	for _, name := range []string{"presentation-one", "presentation-two"} {
		doc := readFile(t, filepath.Join("testdata", name+".json"))
		out, err := Expand(ctx, doc, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		vcs, _ := out[0].(map[string]any)[iriVerifiableCredential].([]any)
		if len(vcs) == 0 {
			t.Fatalf("%s: no verifiableCredential", name)
		}
		for i, v := range vcs {
			g, _ := v.(map[string]any)["@graph"].([]any)
			if len(g) != 1 || len(v.(map[string]any)) != 1 {
				t.Fatalf("%s: verifiableCredential %d is not a graph object of one node: %v", name, i, v)
			}
			proofs, _ := g[0].(map[string]any)[iriProof].([]any)
			if len(proofs) != 1 {
				t.Fatalf("%s: credential %d: %d proofs", name, i, len(proofs))
			}
			if _, ok := proofs[0].(map[string]any)["@graph"]; !ok {
				t.Errorf("%s: credential %d: proof is not a graph object: %v", name, i, proofs[0])
			}
		}

		inline := withInlineContext(t, doc, map[string]any{"extra": "https://e.example/extra"})
		opts := Options{AllowInlineContexts: true}
		if v, err := decodeDocument(ctx, inline, c, opts); err != nil {
			t.Fatal(err)
		} else if _, ok := compiledExpand(c, v); ok {
			t.Fatal("the compiled path took a document with an inline context")
		}
		general, err := Expand(ctx, inline, c, opts)
		if err != nil {
			t.Fatalf("%s on the general path: %v", name, err)
		}
		if !reflect.DeepEqual(general, out) {
			g, _ := json.Marshal(general)
			f, _ := json.Marshal(out)
			t.Errorf("%s: expanded documents differ:\ngeneral  %s\ncompiled %s", name, g, f)
		}
		quads, err := ToRDF(ctx, inline, c, opts)
		if err != nil {
			t.Fatal(err)
		}
		cz, err := Canonicalize(ctx, quads, CanonOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if want := readFile(t, filepath.Join("testdata", name+".nq")); !bytes.Equal(cz.NQuads(), want) {
			t.Errorf("%s on the general path: canonical N-Quads\n%s\nwant\n%s", name, cz.NQuads(), want)
		}
	}
}

// TestGraphContainerRefused checks that the general path refuses, with a TermError
// wrapping errs.ErrUnsupportedFormat, the uses of a term with a container and a scoped
// context whose expansion it cannot make exact.
func TestGraphContainerRefused(t *testing.T) {
	ctx := context.Background()
	c := DefaultContexts()
	const vcIRI = "https://www.w3.org/2018/credentials#verifiableCredential"
	cred := map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiableCredential", "issuer": "did:example:1"}
	vp := func(extra map[string]any) map[string]any {
		m := map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": "VerifiablePresentation"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name    string
		doc     map[string]any
		inline  map[string]any
		pointer string
	}{
		// The same name defined otherwise elsewhere: which definition applies depends on
		// the active context.
		{"two definitions", vp(map[string]any{"verifiableCredential": cred}),
			map[string]any{"verifiableCredential": map[string]any{"@id": vcIRI, "@type": "@id"}}, "/verifiableCredential"},
		// A list container with a scoped context: json-gold loses it as well.
		{"list container", vp(map[string]any{"items": []any{"a"}}),
			map[string]any{"items": map[string]any{"@id": "https://e.example/items", "@container": "@list", "@context": map[string]any{"x": "https://e.example/x"}}}, "/items"},
		// A value whose origin cannot be told: a value object, next to a member that
		// is the IRI written out.
		{"value next to the IRI", vp(map[string]any{"verifiableCredential": "urn:x", vcIRI: map[string]any{"@id": "urn:y"}}),
			map[string]any{"extra": "https://e.example/extra"}, ""},
		// A vocabulary that gives the name the same IRI where the term is not in scope.
		{"vocabulary", vp(map[string]any{"verifiableCredential": cred}),
			map[string]any{"@vocab": "https://www.w3.org/2018/credentials#"}, "/verifiableCredential"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := json.Marshal(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			doc = withInlineContext(t, doc, tc.inline)
			_, err = Expand(ctx, doc, c, Options{AllowInlineContexts: true})
			var te *TermError
			if !errors.Is(err, errs.ErrUnsupportedFormat) || !errors.As(err, &te) {
				t.Fatalf("got %v, want a TermError wrapping %v", err, errs.ErrUnsupportedFormat)
			}
			if te.Pointer != tc.pointer {
				t.Errorf("pointer %q, want %q (%v)", te.Pointer, tc.pointer, err)
			}
		})
	}

	// A VC Data Model 1.1 presentation: verifiableCredential has a @graph container and
	// no scoped context there, which json-gold expands correctly.
	v1 := []byte(`{"@context":["https://www.w3.org/2018/credentials/v1",{"extra":"https://e.example/extra"}],"type":"VerifiablePresentation","verifiableCredential":{"@context":"https://www.w3.org/2018/credentials/v1","id":"urn:uuid:1","type":"VerifiableCredential","issuer":"did:example:1"}}`)
	out, err := Expand(ctx, v1, c, Options{AllowInlineContexts: true})
	if err != nil {
		t.Fatalf("VCDM 1.1 presentation on the general path: %v", err)
	}
	if g, _ := out[0].(map[string]any)[iriVerifiableCredential].([]any)[0].(map[string]any)["@graph"].([]any); len(g) != 1 {
		t.Errorf("VCDM 1.1 presentation: credential not in a graph object: %v", out)
	}
}

// withInlineContext appends an inline context to the top-level @context of doc.
func withInlineContext(t *testing.T, doc []byte, inline map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	ctxs, ok := m["@context"].([]any)
	if !ok {
		ctxs = []any{m["@context"]}
	}
	m["@context"] = append(ctxs, inline)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
