package jsonld

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
)

// diRun is one Add Proof run of a Data Integrity vector folder.
type diRun struct {
	name        string      // folder under TestVectors, such as "ecdsa-rdfc-2019-p256/employ"
	unsigned    []byte      // the document before the proof was added
	proofConfig []byte      // the proof configuration, with its @context
	canonDoc    []byte      // expected canonical N-Quads of unsigned
	canonProof  []byte      // expected canonical N-Quads of proofConfig
	hash        crypto.Hash // the cryptosuite's hash
}

// diRuns finds the RDFC runs (eddsa-rdfc-2022, ecdsa-rdfc-2019, each with its employ/
// variant), the Ed25519Signature2020 run and the two ecdsa-sd-2023 base proofs of the
// vc-di-eddsa and vc-di-ecdsa vectors.
func diRuns(t testing.TB) []diRun {
	t.Helper()
	var runs []diRun
	for _, source := range []string{"w3c-vc-di-eddsa", "w3c-vc-di-ecdsa"} {
		root := filepath.Join(vectors.Dir(t, source), "TestVectors")
		dirs, err := filepath.Glob(filepath.Join(root, "*rdfc*"))
		if err != nil {
			t.Fatal(err)
		}
		if source == "w3c-vc-di-eddsa" {
			dirs = append(dirs, filepath.Join(root, "Ed25519Signature2020"))
		}
		for _, d := range slices.Clone(dirs) {
			if fi, err := os.Stat(filepath.Join(d, "employ")); err == nil && fi.IsDir() {
				dirs = append(dirs, filepath.Join(d, "employ"))
			}
		}
		for _, d := range dirs {
			rel, _ := filepath.Rel(root, d)
			r := diRun{name: filepath.ToSlash(rel), hash: crypto.SHA256}
			if strings.Contains(rel, "p384") {
				r.hash = crypto.SHA384
			}
			r.canonDoc = readGlob(t, d, "canonDoc*.txt")
			r.canonProof = readGlob(t, d, "proofCanon*.txt")
			r.proofConfig = readGlob(t, d, "proofConfig*.json")
			switch {
			case strings.HasSuffix(rel, "employ"):
				r.unsigned = readFile(t, filepath.Join(root, "employmentAuth.json"))
			case strings.HasPrefix(rel, "Ed25519Signature2020"):
				// No unsigned file carries this run's contexts: remove the proof from the
				// signed document, as a verifier does.
				r.unsigned = withoutProof(t, readGlob(t, d, "signed*.json"))
			default:
				r.unsigned = readFile(t, filepath.Join(root, "unsigned.json"))
			}
			runs = append(runs, r)
		}
		if source == "w3c-vc-di-ecdsa" {
			// The base proofs of ecdsa-sd-2023 canonicalize the document before relabelling
			// its blank nodes; addBaseDocCanon.json holds the result one quad per entry.
			for _, name := range []string{"prc", "employ"} {
				d := filepath.Join(root, "ecdsa-sd-2023", name)
				var lines []string
				if err := json.Unmarshal(readFile(t, filepath.Join(d, "addBaseDocCanon.json")), &lines); err != nil {
					t.Fatal(err)
				}
				// The base document as signed: the prCredUnsigned.json of this commit has
				// another description than the one the prc vectors were made from.
				runs = append(runs, diRun{
					name:        "ecdsa-sd-2023/" + name,
					unsigned:    withoutProof(t, readFile(t, filepath.Join(d, "addSignedSDBase.json"))),
					proofConfig: readFile(t, filepath.Join(d, "addProofConfig.json")),
					canonDoc:    []byte(strings.Join(lines, "")),
					canonProof:  readFile(t, filepath.Join(d, "addProofConfigCanon.txt")),
					hash:        crypto.SHA256,
				})
			}
		}
	}
	return runs
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readGlob(t testing.TB, dir, pattern string) []byte {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(m) != 1 {
		t.Fatalf("%s/%s: want one file, found %v (%v)", dir, pattern, m, err)
	}
	return readFile(t, m[0])
}

func withoutProof(t testing.TB, signed []byte) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(signed, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "proof")
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func canonical(t testing.TB, c *Contexts, doc []byte, opts Options, h crypto.Hash) []byte {
	t.Helper()
	quads, err := ToRDF(context.Background(), doc, c, opts)
	if err != nil {
		t.Fatalf("ToRDF: %v", err)
	}
	cz, err := Canonicalize(context.Background(), quads, CanonOptions{Hash: h})
	if err != nil {
		t.Fatalf("Canonicalize: %v", err)
	}
	return cz.NQuads()
}

// TestDataIntegrityVectors converts the unsigned document and the proof configuration of
// every RDFC run and compares their canonical N-Quads with the vectors, byte for byte.
func TestDataIntegrityVectors(t *testing.T) {
	c := DefaultContexts()
	runs := diRuns(t)
	if len(runs) == 0 {
		t.Fatal("no Data Integrity runs found")
	}
	var passed int
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			opts := Options{RequireFirst: CredentialsV2}
			ok := true
			if got := canonical(t, c, r.unsigned, opts, r.hash); !bytes.Equal(got, r.canonDoc) {
				t.Errorf("document:\ngot\n%s\nwant\n%s", got, r.canonDoc)
				ok = false
			}
			if got := canonical(t, c, r.proofConfig, opts, r.hash); !bytes.Equal(got, r.canonProof) {
				t.Errorf("proof configuration:\ngot\n%s\nwant\n%s", got, r.canonProof)
				ok = false
			}
			if ok {
				passed++
			}
		})
	}
	t.Logf("Data Integrity vectors: %d of %d runs (%d canonical documents) match", passed, len(runs), 2*passed)
}

// typicalCredential is the unsigned document of the eddsa-rdfc-2022 vector: a VCDM 2.0
// credential with the base and examples contexts.
func typicalCredential(b *testing.B) []byte {
	b.Helper()
	return vectors.Read(b, "w3c-vc-di-eddsa", "TestVectors/unsigned.json")
}

// BenchmarkToRDF measures ToRDF and Canonicalize of a typical credential.
func BenchmarkToRDF(b *testing.B) {
	doc := typicalCredential(b)
	c := DefaultContexts()
	opts := Options{RequireFirst: CredentialsV2}
	b.ReportAllocs()
	for b.Loop() {
		quads, err := ToRDF(b.Context(), doc, c, opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Canonicalize(b.Context(), quads, CanonOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJSONGoldNormalize measures json-gold's own URDNA2015 normalization of the same
// document with the same loader, for comparison with BenchmarkToRDF.
func BenchmarkJSONGoldNormalize(b *testing.B) {
	doc := typicalCredential(b)
	c := DefaultContexts()
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
		o := ld.NewJsonLdOptions("")
		o.DocumentLoader = newRegistryLoader(b.Context(), c)
		o.Algorithm = ld.AlgorithmURDNA2015
		o.Format = "application/n-quads"
		if _, err := ld.NewJsonLdProcessor().Normalize(v, o); err != nil {
			b.Fatal(err)
		}
	}
}

// countingLoader sits between the processor and the registry loader and checks every call:
// a document is served only for a registered URL, and is the registered document.
type countingLoader struct {
	t     *testing.T
	reg   *Contexts
	inner ld.DocumentLoader
	calls int
}

func (l *countingLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	l.calls++
	rd, err := l.inner.LoadDocument(u)
	d, registered := l.reg.lookup(u)
	switch {
	case err == nil && !registered:
		l.t.Errorf("loader served %q, which is not registered", u)
	case err == nil && !reflect.DeepEqual(rd.Document, d.value):
		l.t.Errorf("loader served another document for %q", u)
	case err != nil && !registered && !errors.Is(err, errs.ErrUnknownContext):
		l.t.Errorf("loading %q: %v, want ErrUnknownContext", u, err)
	}
	return rd, err
}

// FuzzToRDF checks that ToRDF never panics, fails only with the input sentinels, loads
// nothing outside the registry, and returns datasets that Canonicalize accepts, that
// canonicalize the same way every time and that agree with json-gold's conversion.
func FuzzToRDF(f *testing.F) {
	f.Add([]byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential"}`), false)
	c := DefaultContexts()
	f.Fuzz(func(t *testing.T, doc []byte, inline bool) {
		ctx := context.Background()
		var loaders []*countingLoader
		hook := func(inner ld.DocumentLoader) ld.DocumentLoader {
			cl := &countingLoader{t: t, reg: c, inner: inner}
			loaders = append(loaders, cl)
			return cl
		}
		opts := Options{AllowInlineContexts: inline}
		quads, err := toRDF(ctx, doc, c, opts, hook)
		for _, l := range loaders {
			if l.calls > maxContextLoads+1 {
				t.Errorf("%d loader calls in one expansion", l.calls)
			}
		}
		if err != nil {
			if quads != nil {
				t.Error("quads returned with an error")
			}
			if !errors.Is(err, errs.ErrMalformed) && !errors.Is(err, errs.ErrUnknownContext) &&
				!errors.Is(err, errs.ErrTooLarge) && !errors.Is(err, errs.ErrTooDeep) &&
				!errors.Is(err, errs.ErrUnsupportedFormat) {
				t.Fatalf("error wraps no input sentinel: %v", err)
			}
			return
		}
		first, err := Canonicalize(ctx, quads, CanonOptions{})
		if errors.Is(err, errs.ErrCanonicalizationLimit) {
			return
		}
		if err != nil {
			t.Fatalf("Canonicalize refused the output of ToRDF: %v", err)
		}
		again, err := ToRDF(ctx, doc, c, opts)
		if err != nil {
			t.Fatalf("second ToRDF: %v", err)
		}
		second, err := Canonicalize(ctx, again, CanonOptions{})
		if err != nil {
			t.Fatalf("second Canonicalize: %v", err)
		}
		if !bytes.Equal(first.NQuads(), second.NQuads()) {
			t.Fatalf("two conversions canonicalize differently:\n%s\n%s", first.NQuads(), second.NQuads())
		}
		compareWithJSONGold(t, doc, c, opts)
	})
}

// TestFuzzSeeds checks that the seed corpus exercises success as well as failure.
func TestFuzzSeeds(t *testing.T) {
	want := map[string]error{
		"alumni": nil, "status-entry": nil, "proof": nil, "presentation": nil, "enveloped": nil,
		"v1-ed25519": nil, "did-document": nil, "inline-containers": nil, "inline-json-literal": nil,
		"nested-context": nil, "graph-reverse": nil, "undefined-property": errs.ErrUnknownContext,
		"presentation-inline": nil, "presentation-unsupported": errs.ErrUnsupportedFormat,
	}
	c := DefaultContexts()
	for name, wantErr := range want {
		t.Run(name, func(t *testing.T) {
			doc, inline := readSeed(t, filepath.Join("testdata", "fuzz", "FuzzToRDF", name))
			quads, err := ToRDF(context.Background(), doc, c, Options{AllowInlineContexts: inline})
			if !errors.Is(err, wantErr) || (err == nil) != (wantErr == nil) {
				t.Fatalf("got %v, want %v", err, wantErr)
			}
			if err == nil && len(quads) == 0 {
				t.Error("no quads")
			}
		})
	}
}

// readSeed reads a corpus file of FuzzToRDF: a []byte and a bool.
func readSeed(t *testing.T, name string) ([]byte, bool) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(readFile(t, name))), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "[]byte(") || !strings.HasPrefix(lines[2], "bool(") {
		t.Fatalf("%s: not a FuzzToRDF corpus file", name)
	}
	doc, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(doc), lines[2] == "bool(true)"
}

// TestBaseDirection checks the i18n datatype of strings with a base direction.
func TestBaseDirection(t *testing.T) {
	c := DefaultContexts()
	for _, tc := range []struct{ value, want string }{
		{`{"@value":"x","@language":"AR-eg","@direction":"rtl"}`, `"x"^^<https://www.w3.org/ns/i18n#ar-eg_rtl>`},
		{`{"@value":"x","@direction":"ltr"}`, `"x"^^<https://www.w3.org/ns/i18n#_ltr>`},
		{`{"@value":"x","@language":"en"}`, `"x"@en`},
	} {
		doc := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"@id":"urn:s","note":` + tc.value + `}`)
		quads, err := ToRDF(context.Background(), doc, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(quads) != 1 || quads[0].Object.String() != tc.want {
			t.Errorf("%s: got %v, want object %s", tc.value, quads, tc.want)
		}
	}
}

// TestVCDM2Inputs converts every input of the VC Data Model 2.0 test suite that must be
// accepted.
func TestVCDM2Inputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(vectors.Dir(t, "w3c-vcdm2"), "input", "*", "*-ok.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no -ok inputs found (%v)", err)
	}
	c := DefaultContexts()
	for _, f := range files {
		if _, err := ToRDF(context.Background(), readFile(t, f), c, Options{RequireFirst: CredentialsV2}); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	t.Logf("VCDM 2.0 suite: %d -ok inputs converted", len(files))
}

// jsonGoldRDF converts checked expanded output with json-gold's own node map and RDF
// conversion, the oracle of the differential tests. ok is false when json-gold fails.
func jsonGoldRDF(expanded []any) (quads []Quad, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ds, err := ld.NewJsonLdApi().ToRDF(expanded, &ld.JsonLdOptions{ProcessingMode: ld.JsonLd_1_1})
	if err != nil {
		return nil, false
	}
	for _, name := range slices.Sorted(maps.Keys(ds.Graphs)) {
		for _, lq := range ds.Graphs[name] {
			var q Quad
			for i, n := range []ld.Node{lq.Subject, lq.Predicate, lq.Object, lq.Graph} {
				var t Term
				switch n := n.(type) {
				case nil:
				case ld.IRI:
					t = Term{Kind: TermIRI, Value: n.Value}
				case ld.BlankNode:
					t = Term{Kind: TermBlankNode, Value: strings.TrimPrefix(n.Attribute, "_:")}
				case ld.Literal:
					if n.Datatype == rdfJSON && strings.HasPrefix(n.Value, "JSON Canonicalization error") {
						// json-gold writes its canonicalization error as the literal (a
						// JSON string literal such as "" makes it fail): no conversion.
						return nil, false
					}
					t = Term{Kind: TermLiteral, Value: n.Value, Datatype: n.Datatype, Language: n.Language}
				default:
					return nil, false
				}
				*[]*Term{&q.Subject, &q.Predicate, &q.Object, &q.Graph}[i] = t
			}
			quads = append(quads, q)
		}
	}
	return quads, true
}

// compareWithJSONGold checks ToRDF's conversion of doc against json-gold's. json-gold drops
// statements with IRIs it does not accept, so its dataset may be smaller; it must never
// hold a statement that ours lacks.
func compareWithJSONGold(t *testing.T, doc []byte, c *Contexts, opts Options) {
	t.Helper()
	ctx := context.Background()
	expanded, err := Expand(ctx, doc, c, opts)
	if err != nil {
		return
	}
	ours, err := expandedToRDF(expanded)
	if err != nil {
		return
	}
	// json-gold has no rdfDirection option: give it the i18n datatypes ToRDF writes.
	withDatatypes(expanded)
	theirs, ok := jsonGoldRDF(expanded)
	if !ok {
		return
	}
	a, errA := Canonicalize(ctx, ours, CanonOptions{})
	b, errB := Canonicalize(ctx, theirs, CanonOptions{})
	if errA != nil || errB != nil {
		return
	}
	switch {
	case len(b.Quads) > len(a.Quads):
		t.Errorf("json-gold finds more statements:\nours\n%s\njson-gold\n%s", a.NQuads(), b.NQuads())
	case len(b.Quads) == len(a.Quads) && !bytes.Equal(a.NQuads(), b.NQuads()):
		t.Errorf("conversions differ:\nours\n%s\njson-gold\n%s", a.NQuads(), b.NQuads())
	}
}

// TestAgainstJSONGold compares the conversion with json-gold's on the vectors, the VCDM 2.0
// suite's inputs and the fuzz seeds.
func TestAgainstJSONGold(t *testing.T) {
	c := DefaultContexts()
	n := 0
	for _, r := range diRuns(t) {
		compareWithJSONGold(t, r.unsigned, c, Options{})
		compareWithJSONGold(t, r.proofConfig, c, Options{})
		n += 2
	}
	files, _ := filepath.Glob(filepath.Join(vectors.Dir(t, "w3c-vcdm2"), "input", "*", "*.json"))
	for _, f := range files {
		compareWithJSONGold(t, readFile(t, f), c, Options{AllowInlineContexts: true})
		n++
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzToRDF", "*"))
	for _, f := range seeds {
		doc, inline := readSeed(t, f)
		compareWithJSONGold(t, doc, c, Options{AllowInlineContexts: inline})
		n++
	}
	t.Logf("%d documents compared", n)
}

// withDatatypes rewrites the value objects with a base direction of expanded output as
// literals of their i18n datatype.
func withDatatypes(v any) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			withDatatypes(e)
		}
	case map[string]any:
		if _, ok := v["@value"]; ok {
			if d, ok := v["@direction"].(string); ok {
				lang, _ := v["@language"].(string)
				delete(v, "@direction")
				delete(v, "@language")
				v["@type"] = i18nNamespace + strings.ToLower(lang) + "_" + d
			}
			return
		}
		for _, e := range v {
			withDatatypes(e)
		}
	}
}
