package jsonld

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
)

// pathResult is what one expansion path makes of a document.
type pathResult struct {
	expanded []any
	nquads   []byte // canonical N-Quads
	raw      []byte // N-Quads before canonicalization, in the order ToRDF gives them
	err      error
}

// bothPaths expands doc on the general path (json-gold) and on the compiled path. compiled
// is false when the compiled path gave up; its result is then the zero value.
func bothPaths(t testing.TB, c *Contexts, doc []byte, opts Options) (general, fast pathResult, compiled bool) {
	t.Helper()
	ctx := context.Background()
	run := func(expandWith func(map[string]any) ([]any, error)) pathResult {
		v, err := decodeDocument(ctx, doc, c, opts)
		if err != nil {
			return pathResult{err: err}
		}
		out, err := expandWith(v)
		if err != nil {
			return pathResult{err: err}
		}
		r := pathResult{expanded: out}
		quads, err := expandedToRDF(out)
		if err != nil {
			r.err = err
			return r
		}
		r.raw = SerializeNQuads(quads)
		cz, err := Canonicalize(ctx, quads, CanonOptions{})
		if err != nil {
			r.err = err
			return r
		}
		r.nquads = cz.NQuads()
		return r
	}
	general = run(func(v map[string]any) ([]any, error) { return expandChecked(ctx, v, c, nil) })
	fast = run(func(v map[string]any) ([]any, error) {
		out, ok := compiledExpand(c, v)
		if !ok {
			return nil, errNotCompiled
		}
		return out, nil
	})
	if errors.Is(fast.err, errNotCompiled) || (fast.expanded == nil && fast.err != nil) {
		// Gave up, or the document failed the checks both paths share.
		fast = pathResult{}
	}
	// ToRDF converts on the compiled path without building the expanded document: it
	// must agree with Expand's compiled path on whether it handles the document, and give
	// the same quads.
	var direct pathResult
	if v, err := decodeDocument(context.Background(), doc, c, opts); err == nil {
		if quads, ok := compiledToRDF(c, v); ok {
			direct.raw = SerializeNQuads(quads)
			if cz, err := Canonicalize(context.Background(), quads, CanonOptions{}); err == nil {
				direct.nquads = cz.NQuads()
			}
		} else {
			direct.err = errNotCompiled
		}
	}
	if fast.expanded == nil {
		if direct.raw != nil {
			t.Errorf("compiledToRDF handles a document compiledExpand does not: %.200s", doc)
		}
		return general, pathResult{}, false
	}
	if direct.err != nil {
		t.Errorf("compiledExpand handles a document compiledToRDF does not: %.200s", doc)
	} else if !bytes.Equal(direct.raw, fast.raw) || !bytes.Equal(direct.nquads, fast.nquads) {
		t.Errorf("compiledToRDF and expandedToRDF of compiledExpand differ:\n%s\n%s", direct.raw, fast.raw)
	}
	return general, fast, true
}

// checkSamePaths fails t unless the compiled path either gave up or gave exactly what the
// general path gives: the same expanded document, the same quads in the same order, the same
// canonical form. It reports whether the compiled path handled doc.
func checkSamePaths(t testing.TB, c *Contexts, name string, doc []byte, opts Options) bool {
	t.Helper()
	general, fast, compiled := bothPaths(t, c, doc, opts)
	if !compiled {
		return false
	}
	if general.err != nil {
		t.Errorf("%s: the compiled path expanded a document the general path refuses (%v)", name, general.err)
		return true
	}
	if fast.err != nil {
		t.Errorf("%s: compiled path: %v", name, fast.err)
		return true
	}
	if !reflect.DeepEqual(general.expanded, fast.expanded) {
		g, _ := json.Marshal(general.expanded)
		f, _ := json.Marshal(fast.expanded)
		t.Errorf("%s: expanded documents differ:\ngeneral  %s\ncompiled %s", name, g, f)
	}
	if !bytes.Equal(general.raw, fast.raw) {
		t.Errorf("%s: quads differ:\ngeneral\n%s\ncompiled\n%s", name, general.raw, fast.raw)
	}
	if !bytes.Equal(general.nquads, fast.nquads) {
		t.Errorf("%s: canonical N-Quads differ:\ngeneral\n%s\ncompiled\n%s", name, general.nquads, fast.nquads)
	}
	return true
}

// jsonLDDocuments returns the JSON objects with an @context among the files under dir, and
// for each one with a proof, the document without it and each proof configuration (the
// proof with the document's @context and without proofValue), as the RDFC suites
// canonicalize them. Names are relative to dir.
func jsonLDDocuments(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".jsonld")) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var m map[string]any
		if json.Unmarshal(data, &m) != nil || m["@context"] == nil {
			return nil
		}
		name, _ := filepath.Rel(dir, path)
		docs[name] = data
		proof, ok := m["proof"]
		if !ok {
			return nil
		}
		unsecured := make(map[string]any, len(m))
		for k, v := range m {
			if k != "proof" {
				unsecured[k] = v
			}
		}
		docs[name+"#unsecured"] = mustMarshal(t, unsecured)
		proofs, isArray := proof.([]any)
		if !isArray {
			proofs = []any{proof}
		}
		for i, p := range proofs {
			pm, ok := p.(map[string]any)
			if !ok {
				continue
			}
			config := map[string]any{"@context": m["@context"]}
			for k, v := range pm {
				if k != "proofValue" {
					config[k] = v
				}
			}
			docs[name+"#proof"+string(rune('0'+i%10))] = mustMarshal(t, config)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCompiledMatchesGeneral runs every JSON-LD document of the vectors and of the
// project's test data through both expansion paths: whenever the compiled path handles a
// document, it must give the general path's expanded document, quads and canonical form.
// The typical credentials of the Data Integrity vectors must take the compiled path.
func TestCompiledMatchesGeneral(t *testing.T) {
	c := DefaultContexts()
	sources := []string{"w3c-vc-di-eddsa", "w3c-vc-di-ecdsa", "w3c-vc-di-bbs", "w3c-vcdm2", "w3c-bitstring-status-list", "w3c-vc-jose-cose"}
	inline := Options{AllowInlineContexts: true}
	type tally struct{ compiled, fallback, refused int }
	total := tally{}
	check := func(label string, docs map[string][]byte) {
		var n tally
		for _, name := range slices.Sorted(mapKeys(docs)) {
			doc := docs[name]
			// Inline contexts allowed, so that documents with them are compared too (they
			// take the general path).
			general, _, _ := bothPaths(t, c, doc, inline)
			checkSamePaths(t, c, label+"/"+name, doc, Options{})
			if checkSamePaths(t, c, label+"/"+name, doc, inline) {
				n.compiled++
			} else if general.err != nil {
				n.refused++
			} else {
				n.fallback++
				t.Logf("general path: %s", name)
			}
		}
		t.Logf("%s: %d documents: %d on the compiled path, %d on the general path, %d refused by both",
			label, len(docs), n.compiled, n.fallback, n.refused)
		total.compiled += n.compiled
		total.fallback += n.fallback
		total.refused += n.refused
	}
	for _, s := range sources {
		check(s, jsonLDDocuments(t, vectors.Dir(t, s)))
	}
	for _, dir := range []string{"testdata", "../dataintegrity/testdata", "../testdata", "../status/testdata"} {
		if _, err := os.Stat(dir); err == nil {
			check(dir, jsonLDDocuments(t, dir))
		}
	}
	t.Logf("all: %d on the compiled path, %d on the general path, %d refused by both", total.compiled, total.fallback, total.refused)
	if total.compiled == 0 {
		t.Fatal("no document took the compiled path")
	}

	// The credentials the suites sign must not fall back.
	for _, name := range []string{"TestVectors/unsigned.json", "TestVectors/eddsa-rdfc-2022/signedDataInt.json"} {
		doc := vectors.Read(t, "w3c-vc-di-eddsa", name)
		for label, d := range map[string][]byte{name: doc, name + "#unsecured": withoutProof(t, doc)} {
			if !checkSamePaths(t, c, label, d, Options{RequireFirst: CredentialsV2}) {
				t.Errorf("%s: fell back to the general path", label)
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestCompiledCases covers what the compiled path must handle or leave alone.
func TestCompiledCases(t *testing.T) {
	c := DefaultContexts()
	const v2 = `"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"]`
	cases := []struct {
		name     string
		doc      string
		compiled bool
	}{
		{"typed credential", `{` + v2 + `,"type":["VerifiableCredential"],"issuer":"did:example:1","validFrom":"2025-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2","age":42,"ok":true,"x":1.5}}`, true},
		{"graph container", `{` + v2 + `,"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{"a":"b"},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","verificationMethod":"did:example:1#k","created":"2025-01-01T00:00:00Z","proofValue":"z1"}}`, true},
		{"json literal", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"JsonSchema","jsonSchema":{"b":[1,2],"a":null}}`, true},
		{"status entry", `{` + v2 + `,"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{"a":"b"},"credentialStatus":{"id":"https://s.example/1#3","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"3","statusListCredential":"https://s.example/1","statusSize":1,"statusMessage":[{"status":"0x0","message":"ok"}]}}`, true},
		{"absolute IRI keys", `{` + v2 + `,"https://e.example/p":"x","type":"VerifiableCredential"}`, true},
		{"null value", `{` + v2 + `,"type":"VerifiableCredential","name":null,"issuer":"did:example:1"}`, true},
		{"empty array", `{` + v2 + `,"type":[],"name":[]}`, true},
		{"blank node id", `{` + v2 + `,"id":"_:b7","type":"VerifiableCredential","credentialSubject":{"id":"_:b7"}}`, true},
		{"v1 credential", `{"@context":["https://www.w3.org/2018/credentials/v1","https://www.w3.org/ns/credentials/examples/v2"],"type":["VerifiableCredential"],"issuer":"did:example:1","issuanceDate":"2020-01-01T00:00:00Z","credentialSubject":{"id":"did:example:2","a":"b"}}`, true},
		{"undefined term", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","foo":"bar"}`, false},
		{"relative id", `{` + v2 + `,"id":"rel/1","type":"VerifiableCredential"}`, false},
		{"value object", `{` + v2 + `,"type":"VerifiableCredential","name":{"@value":"x","@language":"en"}}`, false},
		{"list", `{` + v2 + `,"type":"VerifiableCredential","a":{"@list":["x"]}}`, false},
		{"reverse", `{` + v2 + `,"@reverse":{"a":{"id":"did:example:9"}}}`, false},
		{"inline context", `{"@context":["https://www.w3.org/ns/credentials/v2",{"a":"https://e.example/a"}],"a":"b"}`, false},
		{"presentation", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:example:1"}}`, true},
		{"presentation of two", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:example:1"},{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:example:2","proof":{"type":"DataIntegrityProof","proofPurpose":"assertionMethod"}}]}`, true},
		{"presentation with the IRI written out", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","https://www.w3.org/2018/credentials#verifiableCredential":{"id":"urn:x"},"verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":"did:example:1"}}`, true},
		{"presentation of a string", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","verifiableCredential":"x"}`, true},
		{"nested context", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":{"@context":"https://www.w3.org/ns/credentials/examples/v2","a":"b"}}`, true},
		{"compact IRI with v1 prefix", `{"@context":"https://www.w3.org/2018/credentials/v1","type":"VerifiableCredential","cred:x":"y"}`, true},
		{"unknown context", `{"@context":"https://e.example/ctx","a":"b"}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{AllowInlineContexts: tc.name == "inline context"}
			got := checkSamePaths(t, c, tc.name, []byte(tc.doc), opts)
			if got != tc.compiled {
				general, _, _ := bothPaths(t, c, []byte(tc.doc), opts)
				t.Errorf("compiled path taken: %v, want %v (general path: %v)", got, tc.compiled, general.err)
			}
		})
	}
}

// TestCompiledSharedRegistry expands concurrently with one registry, as a verifier does.
func TestCompiledSharedRegistry(t *testing.T) {
	c := DefaultContexts()
	doc := vectors.Read(t, "w3c-vc-di-eddsa", "TestVectors/unsigned.json")
	want, err := ToRDF(context.Background(), doc, c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 8)
	for range 8 {
		go func() {
			for range 20 {
				got, err := ToRDF(context.Background(), doc, c, Options{})
				if err == nil && !reflect.DeepEqual(got, want) {
					err = errNotCompiled
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}

// TestCompiledAddedContexts registers contexts with features the embedded ones do not
// use and checks that both paths agree on documents that use them.
func TestCompiledAddedContexts(t *testing.T) {
	c := DefaultContexts()
	add := func(u, doc string) {
		t.Helper()
		sum := sha256.Sum256([]byte(doc))
		if err := c.Add(u, []byte(doc), hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
	}
	add("https://e.example/a", `{"@context":{"@protected":true,"ex":"https://e.example/ns#","p":{"@id":"ex:p","@container":"@set"},"q":{"@id":"ex:q","@type":"ex:T"},"r":"ex:r","V":{"@id":"ex:V","@context":{"s":{"@id":"ex:s","@type":"@vocab"}}}}}`)
	add("https://e.example/b", `{"@context":{"p":{"@id":"https://e.example/ns#p","@container":[]}}}`)
	add("https://e.example/c", `{"@context":{"@protected":true,"p":{"@id":"https://e.example/ns#p","@container":"@set"},"r":"https://e.example/ns#r"}}`)
	add("https://e.example/d", `{"@context":{"@language":"en","t":"https://e.example/ns#t"}}`)
	add("https://e.example/e", `{"@context":["https://e.example/a"]}`)
	add("https://e.example/f", `{"@context":{"@vocab":"https://e.example/v#","x":null}}`)
	cases := []struct {
		name, doc string
		compiled  bool
	}{
		{"prefix and coercion", `{"@context":"https://e.example/a","p":["x",1],"q":"2020","r":true,"ex:z":"w","@type":["ex:U","V"]}`, true},
		{"undefined alias", `{"@context":"https://e.example/a","type":"V"}`, false},
		{"prefix terms", `{"@context":"https://e.example/a","@type":"V","s":"r","ex:z":"w","@id":"ex:me"}`, true},
		{"identical protected redefinition", `{"@context":["https://e.example/a","https://e.example/c"],"p":"x","r":"y"}`, true},
		{"container [] is a different definition", `{"@context":["https://e.example/a","https://e.example/b"],"p":"x"}`, false},
		{"default language", `{"@context":"https://e.example/d","t":"x"}`, false},
		{"context array", `{"@context":"https://e.example/e","r":"x"}`, false},
		{"null term", `{"@context":"https://e.example/f","x":"y","w":"z"}`, false},
		{"vocab", `{"@context":"https://e.example/f","w":"z","@type":"K"}`, true},
	}
	for _, tc := range cases {
		got := checkSamePaths(t, c, tc.name, []byte(tc.doc), Options{})
		if got != tc.compiled {
			general, _, _ := bothPaths(t, c, []byte(tc.doc), Options{})
			t.Errorf("%s: compiled path taken: %v, want %v (general path: %v)", tc.name, got, tc.compiled, general.err)
		}
	}

	// More context references than the general path's loader serves.
	var b strings.Builder
	b.WriteString(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","credentialSubject":[`)
	for i := range maxContextLoads + 1 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"@context":"https://www.w3.org/ns/credentials/examples/v2","a":"b"}`)
	}
	b.WriteString(`]}`)
	if checkSamePaths(t, c, "many context references", []byte(b.String()), Options{}) {
		t.Error("many context references: the compiled path did not give up")
	}
}

// TestEmptyMemberName: the processor drops a member with an empty name silently, so both
// paths refuse it.
func TestEmptyMemberName(t *testing.T) {
	c := DefaultContexts()
	for _, doc := range []string{
		`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"":"x"}`,
		`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"credentialSubject":{"a":{"":{"b":"c"}}}}`,
	} {
		_, err := ToRDF(context.Background(), []byte(doc), c, Options{})
		var te *TermError
		if !errors.As(err, &te) || !errors.Is(err, errs.ErrUnknownContext) {
			t.Errorf("%s: %v, want a TermError wrapping ErrUnknownContext", doc, err)
		}
	}
}
