package jsonld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
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
// general path refuses the same presentation, with an inline context that keeps it off the
// compiled path, rather than lose the graph container.
func TestGraphContainerExpansion(t *testing.T) {
	ctx := context.Background()
	c := DefaultContexts()
	doc := readFile(t, filepath.Join("testdata", "presentation-two.json"))
	out, err := Expand(ctx, doc, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	vcs, _ := out[0].(map[string]any)[iriVerifiableCredential].([]any)
	if len(vcs) != 2 {
		t.Fatalf("%d values of verifiableCredential, want 2", len(vcs))
	}
	for i, v := range vcs {
		g, _ := v.(map[string]any)["@graph"].([]any)
		if len(g) != 1 || len(v.(map[string]any)) != 1 {
			t.Fatalf("verifiableCredential %d is not a graph object of one node: %v", i, v)
		}
		proofs, _ := g[0].(map[string]any)[iriProof].([]any)
		if len(proofs) != 1 {
			t.Fatalf("credential %d: %d proofs", i, len(proofs))
		}
		if _, ok := proofs[0].(map[string]any)["@graph"]; !ok {
			t.Errorf("credential %d: proof is not a graph object: %v", i, proofs[0])
		}
	}

	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	m["@context"] = append(m["@context"].([]any), map[string]any{"extra": "https://e.example/extra"})
	inline, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{AllowInlineContexts: true}
	if v, err := decodeDocument(ctx, inline, c, opts); err != nil {
		t.Fatal(err)
	} else if _, ok := compiledExpand(c, v); ok {
		t.Fatal("the compiled path took a document with an inline context")
	}
	for _, f := range []func() error{
		func() error { _, err := Expand(ctx, inline, c, opts); return err },
		func() error { _, err := ToRDF(ctx, inline, c, opts); return err },
	} {
		err := f()
		var te *TermError
		if !errors.Is(err, errs.ErrUnsupportedFormat) || !errors.As(err, &te) || te.Pointer != "/verifiableCredential" || te.Term != "verifiableCredential" {
			t.Errorf("general path: got %v, want a TermError at /verifiableCredential wrapping %v", err, errs.ErrUnsupportedFormat)
		}
	}

	// A VC Data Model 1.1 presentation: verifiableCredential has a @graph container and
	// no scoped context there, which json-gold expands correctly; both paths accept it.
	v1 := []byte(`{"@context":["https://www.w3.org/2018/credentials/v1",{"extra":"https://e.example/extra"}],"type":"VerifiablePresentation","verifiableCredential":{"@context":"https://www.w3.org/2018/credentials/v1","id":"urn:uuid:1","type":"VerifiableCredential","issuer":"did:example:1"}}`)
	if _, err := Expand(ctx, v1, c, opts); err != nil {
		t.Errorf("VCDM 1.1 presentation on the general path: %v", err)
	}
}
