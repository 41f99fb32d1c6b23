package jsonld_test

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/vc/jsonld"
)

func mustParse(t testing.TB, doc string) []jsonld.Quad {
	t.Helper()
	q, err := jsonld.ParseNQuads([]byte(doc), jsonld.NQuadsLimits{})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestCanonicalize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		opts   jsonld.CanonOptions
		want   string
		issued map[string]string
	}{
		{"empty", "", jsonld.CanonOptions{}, "", map[string]string{}},
		{"no blank nodes, sorted and deduplicated",
			"<urn:ex:b> <urn:ex:p> \"2\" .\n<urn:ex:a> <urn:ex:p> \"1\" <urn:ex:g> .\n<urn:ex:b> <urn:ex:p> \"2\" .\n",
			jsonld.CanonOptions{},
			"<urn:ex:a> <urn:ex:p> \"1\" <urn:ex:g> .\n<urn:ex:b> <urn:ex:p> \"2\" .\n", map[string]string{}},
		{"self loop counted once",
			"_:x <urn:ex:p> _:x .\n_:x <urn:ex:q> \"v\" .\n", jsonld.CanonOptions{},
			"_:c14n0 <urn:ex:p> _:c14n0 .\n_:c14n0 <urn:ex:q> \"v\" .\n", map[string]string{"x": "c14n0"}},
		{"symmetric pair",
			"_:a <urn:ex:p> \"v\" .\n_:b <urn:ex:p> \"v\" .\n", jsonld.CanonOptions{},
			"_:c14n0 <urn:ex:p> \"v\" .\n_:c14n1 <urn:ex:p> \"v\" .\n", map[string]string{"a": "c14n0", "b": "c14n1"}},
		{"blank node graph name",
			"<urn:ex:s> <urn:ex:p> <urn:ex:o> _:g .\n_:g <urn:ex:q> \"x\" .\n", jsonld.CanonOptions{Hash: crypto.SHA384},
			"<urn:ex:s> <urn:ex:p> <urn:ex:o> _:c14n0 .\n_:c14n0 <urn:ex:q> \"x\" .\n", map[string]string{"g": "c14n0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := jsonld.Canonicalize(context.Background(), mustParse(t, tc.in), tc.opts)
			if err != nil {
				t.Fatalf("Canonicalize: %v", err)
			}
			if got := string(c.NQuads()); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if fmt.Sprint(c.Issued) != fmt.Sprint(tc.issued) {
				t.Errorf("issued %v, want %v", c.Issued, tc.issued)
			}
		})
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	s, p, o := iri("urn:ex:s"), iri("urn:ex:p"), iri("urn:ex:o")
	ok := []jsonld.Quad{{s, p, o, jsonld.Term{}}}
	lit := func(v, dt, lang string) jsonld.Term {
		return jsonld.Term{Kind: jsonld.TermLiteral, Value: v, Datatype: dt, Language: lang}
	}
	for _, tc := range []struct {
		name  string
		quads []jsonld.Quad
		opts  jsonld.CanonOptions
		want  error
	}{
		{"SHA-512", ok, jsonld.CanonOptions{Hash: crypto.SHA512}, errs.ErrInvalidOptions},
		{"negative work factor", ok, jsonld.CanonOptions{WorkFactor: -1}, errs.ErrInvalidOptions},
		{"negative quad limit", ok, jsonld.CanonOptions{MaxQuads: -1}, errs.ErrInvalidOptions},
		{"too many quads", []jsonld.Quad{ok[0], ok[0], ok[0]}, jsonld.CanonOptions{MaxQuads: 2}, errs.ErrTooLarge},
		{"literal subject", []jsonld.Quad{{lit("s", "", ""), p, o, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"blank predicate", []jsonld.Quad{{s, blank("p"), o, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"default graph as object", []jsonld.Quad{{s, p, jsonld.Term{}, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"literal graph", []jsonld.Quad{{s, p, o, lit("g", "", "")}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"unknown kind", []jsonld.Quad{{s, p, jsonld.Term{Kind: 9, Value: "x"}, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"default graph with a value", []jsonld.Quad{{s, p, o, jsonld.Term{Value: "g"}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"relative IRI", []jsonld.Quad{{iri("s"), p, o, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"IRI with >", []jsonld.Quad{{s, p, iri("urn:ex:o> <urn:ex:x"), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"IRI with line end", []jsonld.Quad{{s, p, iri("urn:ex:o\n"), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"IRI with a datatype", []jsonld.Quad{{s, p, jsonld.Term{Kind: jsonld.TermIRI, Value: "urn:ex:o", Datatype: jsonld.XSDString}, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"invalid blank node label", []jsonld.Quad{{blank("a b"), p, o, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"empty blank node label", []jsonld.Quad{{blank(""), p, o, jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"literal not UTF-8", []jsonld.Quad{{s, p, lit("\xff", "", ""), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"relative datatype", []jsonld.Quad{{s, p, lit("1", "integer", ""), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"invalid language tag", []jsonld.Quad{{s, p, lit("a", "", "en_GB"), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"language with another datatype", []jsonld.Quad{{s, p, lit("a", jsonld.XSDString, "en"), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
		{"langString without language", []jsonld.Quad{{s, p, lit("a", jsonld.RDFLangString, ""), jsonld.Term{}}}, jsonld.CanonOptions{}, errs.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := jsonld.Canonicalize(context.Background(), tc.quads, tc.opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if c != nil {
				t.Errorf("got a result with an error")
			}
		})
	}
}

// TestCanonicalizeNormalizes checks that implied datatypes are filled in, so that a literal
// with and without its xsd:string datatype is one quad.
func TestCanonicalizeNormalizes(t *testing.T) {
	s, p := iri("urn:ex:s"), iri("urn:ex:p")
	quads := []jsonld.Quad{
		{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "a"}, jsonld.Term{}},
		{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "a", Datatype: jsonld.XSDString}, jsonld.Term{}},
		{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "b", Language: "en"}, jsonld.Term{}},
	}
	c, err := jsonld.Canonicalize(context.Background(), quads, jsonld.CanonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []jsonld.Quad{
		{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "a", Datatype: jsonld.XSDString}, jsonld.Term{}},
		{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "b", Datatype: jsonld.RDFLangString, Language: "en"}, jsonld.Term{}},
	}
	if !slices.Equal(c.Quads, want) {
		t.Errorf("got %v, want %v", c.Quads, want)
	}
}

// TestCanonicalizeFixedPoint canonicalizes the canonical form of the benchmark credential
// again: nothing may change.
func TestCanonicalizeFixedPoint(t *testing.T) {
	data, err := os.ReadFile("testdata/credential.nq")
	if err != nil {
		t.Fatal(err)
	}
	c1, err := jsonld.Canonicalize(context.Background(), mustParse(t, string(data)), jsonld.CanonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c1.Quads) != 41 || len(c1.Issued) != 5 {
		t.Errorf("%d quads, %d blank nodes; want 41, 5", len(c1.Quads), len(c1.Issued))
	}
	c2, err := jsonld.Canonicalize(context.Background(), c1.Quads, jsonld.CanonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(c2.NQuads()) != string(c1.NQuads()) {
		t.Errorf("second canonicalization differs:\n%s\nfirst:\n%s", c2.NQuads(), c1.NQuads())
	}
	for from, to := range c2.Issued {
		if from != to {
			t.Errorf("canonical label %s relabelled %s", from, to)
		}
	}
}

func TestCanonicalizeContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := jsonld.Canonicalize(ctx, mustParse(t, "_:a <urn:ex:p> _:b .\n"), jsonld.CanonOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want %v", err, context.Canceled)
	}

	// A clique that a high work factor would let run for hours stops at the deadline.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = jsonld.Canonicalize(ctx, clique(10), jsonld.CanonOptions{WorkFactor: 12})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: got %v, want %v", err, context.DeadlineExceeded)
	}
	if d := time.Since(start); d > timeScale*time.Second {
		t.Errorf("deadline of 50ms noticed after %v", d)
	}
}

// clique returns n blank nodes all linked to each other and to themselves.
func clique(n int) []jsonld.Quad {
	var quads []jsonld.Quad
	for i := range n {
		for j := range n {
			quads = append(quads, jsonld.Quad{blank(fmt.Sprint("e", i)), iri("urn:ex:p"), blank(fmt.Sprint("e", j)), jsonld.Term{}})
		}
	}
	return quads
}

// TestCanonicalizeHardShapes feeds datasets built to make Hash N-Degree Quads slow: each
// must finish quickly, with a result or with the limit error.
func TestCanonicalizeHardShapes(t *testing.T) {
	p := iri("urn:ex:p")
	var ring, hubs, lonely []jsonld.Quad
	// A ring of 2,000 blank nodes that all look alike: the recursion runs round it.
	for i := range 2000 {
		ring = append(ring, jsonld.Quad{blank(fmt.Sprint("r", i)), p, blank(fmt.Sprint("r", (i+1)%2000)), jsonld.Term{}})
	}
	// Two hubs of 2,000 leaves each: orderings of 2,000 related nodes.
	for h := range 2 {
		for i := range 2000 {
			hubs = append(hubs, jsonld.Quad{blank(fmt.Sprint("h", h)), p, blank(fmt.Sprint("l", h, "_", i)), jsonld.Term{}})
		}
	}
	// 5,000 look-alike blank nodes not linked to each other: linear at factor 1.
	for i := range 5000 {
		lonely = append(lonely, jsonld.Quad{blank(fmt.Sprint("x", i)), p, lit("same"), jsonld.Term{}})
	}
	for _, tc := range []struct {
		name   string
		quads  []jsonld.Quad
		factor int
		want   error
	}{
		{"ring factor 1", ring, 1, errs.ErrCanonicalizationLimit},
		{"ring factor 3", ring, 3, errs.ErrCanonicalizationLimit},
		{"hubs factor 1", hubs, 1, errs.ErrCanonicalizationLimit},
		{"hubs factor 3", hubs, 3, errs.ErrCanonicalizationLimit},
		{"doubled 2 factor 1", doubled(2), 1, errs.ErrCanonicalizationLimit},
		{"doubled 2 factor 2", doubled(2), 2, nil},
		{"doubled 6 factor 3", doubled(6), 3, errs.ErrCanonicalizationLimit},
		{"clique 12 factor 3", clique(12), 3, errs.ErrCanonicalizationLimit},
		{"lonely factor 1", lonely, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			c, err := jsonld.Canonicalize(context.Background(), tc.quads, jsonld.CanonOptions{WorkFactor: tc.factor})
			d := time.Since(start)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil && len(c.Issued) == 0 {
				t.Error("no blank nodes issued")
			}
			if d > timeScale*5*time.Second {
				t.Errorf("took %v, limit %v", d, timeScale*5*time.Second)
			}
			t.Logf("%v in %v", err, d)
		})
	}
}

// doubled returns two look-alike blank nodes with k related nodes each, every one related
// twice (through two graphs), so that most orderings are cut short before any recursion:
// (2k)!/2^k orderings, 7,484,400 for k = 6.
func doubled(k int) []jsonld.Quad {
	var quads []jsonld.Quad
	for _, a := range []string{"a", "b"} {
		for i := range k {
			for _, g := range []string{"urn:ex:g1", "urn:ex:g2"} {
				quads = append(quads, jsonld.Quad{blank(a), iri("urn:ex:p"), blank(fmt.Sprint(a, i)), iri(g)})
			}
		}
	}
	return quads
}
