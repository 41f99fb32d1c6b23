package jsonld_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/vc/jsonld"
)

func iri(v string) jsonld.Term   { return jsonld.Term{Kind: jsonld.TermIRI, Value: v} }
func blank(v string) jsonld.Term { return jsonld.Term{Kind: jsonld.TermBlankNode, Value: v} }
func lit(v string) jsonld.Term {
	return jsonld.Term{Kind: jsonld.TermLiteral, Value: v, Datatype: jsonld.XSDString}
}
func typed(v, dt string) jsonld.Term {
	return jsonld.Term{Kind: jsonld.TermLiteral, Value: v, Datatype: dt}
}
func lang(v, tag string) jsonld.Term {
	return jsonld.Term{Kind: jsonld.TermLiteral, Value: v, Datatype: jsonld.RDFLangString, Language: tag}
}

func TestParseNQuads(t *testing.T) {
	s, p, o, g := iri("http://example.org/s"), iri("http://example.org/p"), iri("http://example.org/o"), iri("http://example.org/g")
	for _, tc := range []struct {
		name string
		in   string
		want []jsonld.Quad
	}{
		{"empty", "", nil},
		{"blank lines and comments", "\n\r\n# comment\n  \t# another\r", nil},
		{"triple", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .", []jsonld.Quad{{s, p, o, jsonld.Term{}}}},
		{"quad", "<http://example.org/s> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n", []jsonld.Quad{{s, p, o, g}}},
		{"minimal whitespace", "<http://example.org/s><http://example.org/p><http://example.org/o><http://example.org/g>.", []jsonld.Quad{{s, p, o, g}}},
		{"shortest statement", `_:a<a:>"".`, []jsonld.Quad{{blank("a"), iri("a:"), lit(""), jsonld.Term{}}}},
		{"tabs and comment after", "\t<http://example.org/s>\t<http://example.org/p> <http://example.org/o> .\t# c\n", []jsonld.Quad{{s, p, o, jsonld.Term{}}}},
		{"CRLF lines", "_:a <http://example.org/p> _:b .\r\n_:b <http://example.org/p> _:a _:g .\r\n", []jsonld.Quad{
			{blank("a"), p, blank("b"), jsonld.Term{}},
			{blank("b"), p, blank("a"), blank("g")},
		}},
		{"blank node labels", "_:0a.b-c <http://example.org/p> _:x.\n_:_:y\u00b7 <http://example.org/p> _:\u00e9t\u00e9 .", []jsonld.Quad{
			{blank("0a.b-c"), p, blank("x"), jsonld.Term{}},
			{blank("_:y\u00b7"), p, blank("\u00e9t\u00e9"), jsonld.Term{}},
		}},
		{"literals", `<http://example.org/s> <http://example.org/p> "" .
<http://example.org/s> <http://example.org/p> "chat"@fr-BE .
<http://example.org/s> <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://example.org/s> <http://example.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> <http://example.org/g> .`, []jsonld.Quad{
			{s, p, lit(""), jsonld.Term{}},
			{s, p, lang("chat", "fr-BE"), jsonld.Term{}},
			{s, p, typed("1", "http://www.w3.org/2001/XMLSchema#integer"), jsonld.Term{}},
			{s, p, lit("x"), g},
		}},
		{"escapes", `<http://example.org/\u0073> <http://example.org/p> "\t\b\n\r\f\"\'\\\u00e9\U0001F600" .`, []jsonld.Quad{
			{s, p, lit("\t\b\n\r\f\"'\\\u00e9\U0001F600"), jsonld.Term{}},
		}},
		{"IRI with non-ASCII and escaped NBSP", `<urn:ex:\u00a0> <http://example.org/p> <urn:ex:∞> .`, []jsonld.Quad{
			{iri("urn:ex:\u00a0"), p, iri("urn:ex:∞"), jsonld.Term{}},
		}},
		{"raw control characters in a literal", "<http://example.org/s> <http://example.org/p> \"a\x00\x7f\tb\" .", []jsonld.Quad{
			{s, p, lit("a\x00\x7f\tb"), jsonld.Term{}},
		}},
		{"duplicates kept", "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
			[]jsonld.Quad{{s, p, o, jsonld.Term{}}, {s, p, o, jsonld.Term{}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jsonld.ParseNQuads([]byte(tc.in), jsonld.NQuadsLimits{})
			if err != nil {
				t.Fatalf("ParseNQuads: %v", err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseNQuadsErrors(t *testing.T) {
	const spo = "<http://example.org/s> <http://example.org/p> "
	for _, tc := range []struct {
		name string
		in   string
		lim  jsonld.NQuadsLimits
		want error
	}{
		{"missing dot", spo + "<http://example.org/o>", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"two statements on a line", spo + "<http://example.org/o> . " + spo + "<http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"missing object", spo + ".", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"five terms", spo + "<http://example.org/o> <http://example.org/g> <http://example.org/h> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"literal subject", `"s" <http://example.org/p> <http://example.org/o> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"blank predicate", `<http://example.org/s> _:p <http://example.org/o> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"literal graph", spo + `<http://example.org/o> "g" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"relative IRI", spo + "<o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"empty IRI", spo + "<> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"scheme starts with a digit", spo + "<1http:x> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"space in IRI", spo + "<http://example.org/a b> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"escaped space in IRI", spo + `<http://example.org/a\u0020b> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"escaped > in IRI", spo + `<http://example.org/a\u003Eb> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"brace in IRI", spo + "<http://example.org/{a}> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"ECHAR in IRI", spo + `<http://example.org/\n> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"unterminated IRI", spo + "<http://example.org/o .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"line end in IRI", spo + "<http://example.org/o\n> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"unterminated literal", spo + `"abc .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"line end in literal", spo + "\"a\nb\" .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"invalid ECHAR", spo + `"\a" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"short UCHAR", spo + `"\u12" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"bad hex", spo + `"\u12G4" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"surrogate escape", spo + `"\uD800" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"escape beyond Unicode", spo + `"\U00110000" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"single quotes", spo + `'a' .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"long string quotes", spo + `"""a""" .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"bad language tag", spo + `"a"@1en .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"empty language tag", spo + `"a"@ .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"language tag ending in -", spo + `"a"@en- .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"datatype not an IRI", spo + `"a"^^xsd:string .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"relative datatype", spo + `"a"^^<string> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"langString without tag", spo + `"a"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"datatype and language", spo + `"a"@en^^<http://example.org/d> .`, jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"blank node without label", "_: <http://example.org/p> <http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"blank node label starting with -", "_:-a <http://example.org/p> <http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"blank node label starting with .", "_:.a <http://example.org/p> <http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"blank node without colon", "_a <http://example.org/p> <http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"prefixed name", "ex:s <http://example.org/p> <http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"invalid UTF-8", spo + "\"\xff\" .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"byte order mark", "\ufeff" + spo + "<http://example.org/o> .", jsonld.NQuadsLimits{}, errs.ErrMalformed},
		{"too many bytes", spo + "<http://example.org/o> .", jsonld.NQuadsLimits{MaxBytes: 20}, errs.ErrTooLarge},
		{"too many quads", strings.Repeat(spo+"<http://example.org/o> .\n", 3), jsonld.NQuadsLimits{MaxQuads: 2}, errs.ErrTooLarge},
		{"negative limit", "", jsonld.NQuadsLimits{MaxQuads: -1}, errs.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := jsonld.ParseNQuads([]byte(tc.in), tc.lim)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if got != nil {
				t.Errorf("got quads %v with an error", got)
			}
		})
	}
}

func TestParseNQuadsLimitsExact(t *testing.T) {
	doc := []byte(strings.Repeat("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n", 3))
	if _, err := jsonld.ParseNQuads(doc, jsonld.NQuadsLimits{MaxBytes: len(doc), MaxQuads: 3}); err != nil {
		t.Errorf("at the limits: %v", err)
	}
}

func TestSerializeNQuads(t *testing.T) {
	s, p := iri("http://example.org/s"), iri("http://example.org/p")
	for _, tc := range []struct {
		name string
		q    jsonld.Quad
		want string
	}{
		{"IRIs", jsonld.Quad{s, p, iri("urn:ex:∞"), iri("http://example.org/g")}, "<http://example.org/s> <http://example.org/p> <urn:ex:∞> <http://example.org/g> .\n"},
		{"blank nodes", jsonld.Quad{blank("a"), p, blank("b"), blank("g")}, "_:a <http://example.org/p> _:b _:g .\n"},
		{"simple literal", jsonld.Quad{s, p, lit("x"), jsonld.Term{}}, "<http://example.org/s> <http://example.org/p> \"x\" .\n"},
		{"empty datatype", jsonld.Quad{s, p, jsonld.Term{Kind: jsonld.TermLiteral, Value: "x"}, jsonld.Term{}}, "<http://example.org/s> <http://example.org/p> \"x\" .\n"},
		{"typed literal", jsonld.Quad{s, p, typed("1", "http://www.w3.org/2001/XMLSchema#integer"), jsonld.Term{}}, "<http://example.org/s> <http://example.org/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"},
		{"language", jsonld.Quad{s, p, lang("x", "en-GB"), jsonld.Term{}}, "<http://example.org/s> <http://example.org/p> \"x\"@en-GB .\n"},
		{"escapes", jsonld.Quad{s, p, lit("\x00\x07\b\t\n\x0b\f\r\x0e\x1f \"'\\\x7f\u0080é😀"), jsonld.Term{}},
			"<http://example.org/s> <http://example.org/p> \"\\u0000\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u001F \\\"'\\\\\\u007F\u0080é😀\" .\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(jsonld.SerializeNQuads([]jsonld.Quad{tc.q})); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if got := tc.q.String() + "\n"; got != tc.want {
				t.Errorf("String() = %q, want %q", tc.q.String(), strings.TrimSuffix(tc.want, "\n"))
			}
		})
	}
	if got := jsonld.SerializeNQuads(nil); len(got) != 0 {
		t.Errorf("no quads: got %q", got)
	}
}

// TestNQuadsRoundTrip reads every N-Quads file of the W3C suite, writes it in canonical form
// and reads it back.
func TestNQuadsRoundTrip(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, "w3c-rdf-canon"), "rdfc10")
	files, err := filepath.Glob(filepath.Join(dir, "*.nq"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no N-Quads files in %s (%v)", dir, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q1, err := jsonld.ParseNQuads(data, jsonld.NQuadsLimits{})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		out := jsonld.SerializeNQuads(q1)
		q2, err := jsonld.ParseNQuads(out, jsonld.NQuadsLimits{})
		if err != nil || !slices.Equal(q1, q2) {
			t.Errorf("%s: round trip: %v", filepath.Base(f), err)
		}
		// Expected outputs are canonical already.
		if strings.HasSuffix(f, "-rdfc10.nq") && string(out) != string(data) {
			t.Errorf("%s: canonical form differs:\n%s\nwant\n%s", filepath.Base(f), out, data)
		}
	}
}

func TestTermString(t *testing.T) {
	for _, tc := range []struct {
		t    jsonld.Term
		want string
	}{
		{jsonld.Term{}, ""},
		{iri("urn:x"), "<urn:x>"},
		{blank("b0"), "_:b0"},
		{lang("a\"b", "en"), `"a\"b"@en`},
	} {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.t, got, tc.want)
		}
	}
	if got := jsonld.TermLiteral.String(); got != "literal" {
		t.Errorf("TermLiteral.String() = %q", got)
	}
}
