package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/vectors"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "documents", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseDocumentFiles(t *testing.T) {
	tests := map[string]error{
		"valid-basic.json":                      nil,
		"valid-relative-ids.json":               nil,
		"valid-embedded-assertion.json":         nil,
		"valid-controllers.json":                nil,
		"valid-single-controller.json":          nil,
		"valid-extra-members.json":              nil,
		"valid-empty-arrays.json":               nil,
		"invalid-duplicate-ids.json":            ErrInvalidDIDDocument,
		"invalid-duplicate-embedded-id.json":    ErrInvalidDIDDocument,
		"invalid-service-method-id-clash.json":  ErrInvalidDIDDocument,
		"invalid-duplicate-member.json":         ErrMalformed,
		"invalid-id.json":                       ErrInvalidDIDDocument,
		"invalid-id-missing.json":               ErrInvalidDIDDocument,
		"invalid-id-is-url.json":                ErrInvalidDIDDocument,
		"invalid-reference-undefined.json":      ErrInvalidDIDDocument,
		"invalid-method-controller.json":        ErrInvalidDIDDocument,
		"invalid-method-no-type.json":           ErrInvalidDIDDocument,
		"invalid-method-relative-path-id.json":  ErrInvalidDIDDocument,
		"invalid-method-two-keys.json":          ErrInvalidDIDDocument,
		"invalid-private-jwk.json":              ErrInvalidDIDDocument,
		"invalid-controller-number.json":        ErrInvalidDIDDocument,
		"invalid-controller-not-did.json":       ErrInvalidDIDDocument,
		"invalid-context.json":                  ErrInvalidDIDDocument,
		"invalid-relationship-number.json":      ErrInvalidDIDDocument,
		"invalid-service-no-endpoint.json":      ErrInvalidDIDDocument,
		"invalid-service-endpoint-not-uri.json": ErrInvalidDIDDocument,
		"invalid-service-duplicate.json":        ErrInvalidDIDDocument,
		"invalid-also-known-as.json":            ErrInvalidDIDDocument,
		"invalid-trailing-data.json":            ErrMalformed,
		"invalid-not-object.json":               ErrInvalidDIDDocument,
		"invalid-null-id.json":                  ErrInvalidDIDDocument,
		"invalid-deep.json":                     ErrTooDeep,
	}
	files, err := filepath.Glob(filepath.Join("testdata", "documents", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d files in testdata/documents, %d in the table", len(files), len(tests))
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			doc, err := ParseDocument(readTestdata(t, name))
			if !errors.Is(err, want) || (want == nil && err != nil) {
				t.Fatalf("ParseDocument error = %v, want %v", err, want)
			}
			if (err == nil) != (doc != nil) {
				t.Errorf("ParseDocument = %v, %v: want exactly one non-nil", doc, err)
			}
			if strings.HasPrefix(name, "valid-") != (want == nil) {
				t.Errorf("file name and expected error disagree")
			}
		})
	}
}

func TestParseDocumentLimits(t *testing.T) {
	huge := []byte(`{"id":"did:example:123","pad":"` + strings.Repeat("a", MaxDocumentBytes) + `"}`)
	if _, err := ParseDocument(huge); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge document: error = %v, want %v", err, ErrTooLarge)
	}
	deep := []byte(`{"id":"did:example:123","verificationMethod":[{"id":"#k","type":"T","controller":"did:example:123","x":` +
		strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 100) + `}]}`)
	if _, err := ParseDocument(deep); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep document: error = %v, want %v", err, ErrTooDeep)
	}
	for _, bad := range []string{"", "{", "nul", `{"id":"did:example:1",}`, "\xff"} {
		if _, err := ParseDocument([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseDocument(%q) error = %v, want %v", bad, err, ErrMalformed)
		}
	}
}

func TestParseDocumentTypes(t *testing.T) {
	const d = `"id":"did:example:1"`
	tests := []struct {
		name string
		doc  string
	}{
		{"context number", `{"@context":1,` + d + `}`},
		{"context null", `{"@context":null,` + d + `}`},
		{"context nested array", `{"@context":["https://www.w3.org/ns/did/v1",["x"]],` + d + `}`},
		{"context empty", `{"@context":[],` + d + `}`},
		{"id number", `{"id":1}`},
		{"alsoKnownAs string", `{` + d + `,"alsoKnownAs":"https://a.example/"}`},
		{"alsoKnownAs duplicate", `{` + d + `,"alsoKnownAs":["https://a.example/","https://a.example/"]}`},
		{"controller null element", `{` + d + `,"controller":[null]}`},
		{"controller duplicate", `{` + d + `,"controller":["did:example:1","did:example:1"]}`},
		{"verificationMethod object", `{` + d + `,"verificationMethod":{}}`},
		{"verificationMethod string", `{` + d + `,"verificationMethod":["#k"]}`},
		{"method id number", `{` + d + `,"verificationMethod":[{"id":1,"type":"T","controller":"did:example:1"}]}`},
		{"method no id", `{` + d + `,"verificationMethod":[{"type":"T","controller":"did:example:1"}]}`},
		{"method no controller", `{` + d + `,"verificationMethod":[{"id":"#k","type":"T"}]}`},
		{"method jwk string", `{` + d + `,"verificationMethod":[{"id":"#k","type":"T","controller":"did:example:1","publicKeyJwk":"x"}]}`},
		{"method two materials", `{` + d + `,"verificationMethod":[{"id":"#k","type":"T","controller":"did:example:1","publicKeyMultibase":"z6Mk","publicKeyBase58":"x"}]}`},
		{"method id other scheme", `{` + d + `,"verificationMethod":[{"id":"https://example.com/#k","type":"T","controller":"did:example:1"}]}`},
		{"authentication string", `{` + d + `,"authentication":"#k"}`},
		{"authentication empty ref", `{` + d + `,"authentication":[""]}`},
		{"authentication bad ref", `{` + d + `,"authentication":["#a b"]}`},
		{"authentication names service", `{` + d + `,"authentication":["#s"],"service":[{"id":"#s","type":"T","serviceEndpoint":"https://a.example/"}]}`},
		{"embedded invalid", `{` + d + `,"assertionMethod":[{"id":"#k","type":"T","controller":"nope"}]}`},
		{"service object", `{` + d + `,"service":{}}`},
		{"service no id", `{` + d + `,"service":[{"type":"T","serviceEndpoint":"https://a.example/"}]}`},
		{"service bad id", `{` + d + `,"service":[{"id":"a b","type":"T","serviceEndpoint":"https://a.example/"}]}`},
		{"service no type", `{` + d + `,"service":[{"id":"#s","serviceEndpoint":"https://a.example/"}]}`},
		{"service empty type", `{` + d + `,"service":[{"id":"#s","type":[],"serviceEndpoint":"https://a.example/"}]}`},
		{"service type number", `{` + d + `,"service":[{"id":"#s","type":1,"serviceEndpoint":"https://a.example/"}]}`},
		{"service endpoint number", `{` + d + `,"service":[{"id":"#s","type":"T","serviceEndpoint":1}]}`},
		{"service endpoint empty set", `{` + d + `,"service":[{"id":"#s","type":"T","serviceEndpoint":[]}]}`},
		{"service endpoint set of numbers", `{` + d + `,"service":[{"id":"#s","type":"T","serviceEndpoint":[1]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseDocument([]byte(tt.doc)); !errors.Is(err, ErrInvalidDIDDocument) {
				t.Errorf("error = %v, want %v", err, ErrInvalidDIDDocument)
			}
		})
	}
}

// rawSemantic compares raw JSON members by value, ignoring white space.
var rawSemantic = cmp.Comparer(func(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
})

// jsonValue decodes data for a semantic comparison.
func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	return v
}

func TestDocumentRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // if empty, in
	}{
		{name: "minimal", in: `{"id":"did:example:1"}`},
		{name: "context array", in: `{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:example:1"}`},
		{
			name: "context string becomes an array",
			in:   `{"@context":"https://www.w3.org/ns/did/v1","id":"did:example:1"}`,
			want: `{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:example:1"}`,
		},
		{
			name: "one-element controller array becomes a string",
			in:   `{"id":"did:example:1","controller":["did:example:2"]}`,
			want: `{"id":"did:example:1","controller":"did:example:2"}`,
		},
		{
			name: "one-element service type array becomes a string",
			in:   `{"id":"did:example:1","service":[{"id":"#s","type":["T"],"serviceEndpoint":"https://a.example/"}]}`,
			want: `{"id":"did:example:1","service":[{"id":"#s","type":"T","serviceEndpoint":"https://a.example/"}]}`,
		},
		{name: "escapes", in: `{"id":"did:example:1","note":"\u003c\"\\\n\u0001\u2028é","alsoKnownAs":["urn:x:%C3%A9"],"caf\u00e9":"\ud83d\ude00"}`},
		{name: "numbers kept", in: `{"id":"did:example:1","n":[1.000,1e400,-0,12345678901234567890],"@context":["https://www.w3.org/ns/did/v1",{"n":1.50}]}`},
	}
	for _, name := range []string{
		"valid-basic.json", "valid-relative-ids.json", "valid-embedded-assertion.json",
		"valid-controllers.json", "valid-single-controller.json", "valid-extra-members.json",
		"valid-empty-arrays.json",
	} {
		tests = append(tests, struct{ name, in, want string }{name: name, in: string(readTestdata(t, name))})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParseDocument([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			out, err := doc.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(out) {
				t.Fatalf("MarshalJSON gave invalid JSON: %s", out)
			}
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if diff := cmp.Diff(jsonValue(t, []byte(want)), jsonValue(t, out)); diff != "" {
				t.Errorf("MarshalJSON mismatch (-want +got):\n%s", diff)
			}
			again, err := ParseDocument(out)
			if err != nil {
				t.Fatalf("re-parsing: %v", err)
			}
			if diff := cmp.Diff(doc, again, rawSemantic); diff != "" && tt.want == "" {
				t.Errorf("re-parsed document differs (-first +second):\n%s", diff)
			}
			std, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonValue(t, out), jsonValue(t, std)); diff != "" {
				t.Errorf("json.Marshal differs from MarshalJSON (-MarshalJSON +json.Marshal):\n%s", diff)
			}
			if again, err := again.MarshalJSON(); err != nil || !bytes.Equal(again, out) {
				t.Errorf("second MarshalJSON = %s, %v; want the first one", again, err)
			}
		})
	}
}

func TestDocumentFields(t *testing.T) {
	doc, err := ParseDocument(readTestdata(t, "valid-extra-members.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(doc.Extra["created"]); got != `"2021-01-01T00:00:00Z"` {
		t.Errorf("Extra[created] = %s", got)
	}
	vm := doc.VerificationMethod[0]
	if got := string(vm.Extra["publicKeyBase58"]); got != `"H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV"` {
		t.Errorf("publicKeyBase58 = %s", got)
	}
	if got := string(doc.Service[0].Extra["priority"]); got != "1" {
		t.Errorf("service priority = %s", got)
	}
	basic, err := ParseDocument(readTestdata(t, "valid-basic.json"))
	if err != nil {
		t.Fatal(err)
	}
	jwk := basic.VerificationMethod[1].PublicKeyJwk
	want := `{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}`
	if string(jwk) != want {
		t.Errorf("publicKeyJwk = %s, want it exactly as written", jwk)
	}
}

func TestMarshalInvalid(t *testing.T) {
	tests := []struct {
		name string
		doc  *Document
		want error
	}{
		{"extra shadows id", &Document{ID: "did:example:1", Extra: map[string]json.RawMessage{"id": json.RawMessage(`"x"`)}}, ErrInvalidDIDDocument},
		{"extra invalid JSON", &Document{ID: "did:example:1", Extra: map[string]json.RawMessage{"x": json.RawMessage(`{`)}}, ErrMalformed},
		{"ref with both", &Document{ID: "did:example:1", Authentication: []MethodRef{{ID: "#k", Embedded: &VerificationMethod{ID: "#k"}}}}, ErrInvalidDIDDocument},
		{"method extra shadows type", &Document{ID: "did:example:1", VerificationMethod: []VerificationMethod{{ID: "#k", Extra: map[string]json.RawMessage{"type": json.RawMessage(`"x"`)}}}}, ErrInvalidDIDDocument},
		{"bad jwk", &Document{ID: "did:example:1", VerificationMethod: []VerificationMethod{{ID: "#k", PublicKeyJwk: json.RawMessage(`{`)}}}, ErrMalformed},
		{"bad context", &Document{ID: "did:example:1", Context: []any{func() {}}}, ErrInvalidDIDDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.doc.MarshalJSON(); !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidateBuilt(t *testing.T) {
	good := func() *Document {
		return &Document{
			ID: "did:example:1",
			VerificationMethod: []VerificationMethod{
				{ID: "#k", Type: "Multikey", Controller: "did:example:1", PublicKeyMultibase: "z6Mk"},
			},
			Authentication: []MethodRef{{ID: "#k"}},
		}
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("Validate of a good document: %v", err)
	}
	tests := []struct {
		name   string
		modify func(*Document)
	}{
		{"nil document", nil},
		{"empty ref", func(d *Document) { d.Authentication = []MethodRef{{}} }},
		{"ref and embedded", func(d *Document) {
			d.Authentication = []MethodRef{{ID: "#k", Embedded: &VerificationMethod{ID: "#e", Type: "T", Controller: "did:example:1"}}}
		}},
		{"context not a string first", func(d *Document) { d.Context = []any{map[string]any{}} }},
		{"context element of another type", func(d *Document) { d.Context = []any{ContextV1, 3} }},
		{"context element empty", func(d *Document) { d.Context = []any{ContextV11, ""} }},
		{"jwk not an object", func(d *Document) {
			d.VerificationMethod[0].PublicKeyMultibase = ""
			d.VerificationMethod[0].PublicKeyJwk = json.RawMessage(`[]`)
		}},
		{"service empty type element", func(d *Document) {
			d.Service = []Service{{ID: "#s", Type: []string{""}, ServiceEndpoint: json.RawMessage(`"https://a.example/"`)}}
		}},
		{"service bad endpoint JSON", func(d *Document) {
			d.Service = []Service{{ID: "#s", Type: []string{"T"}, ServiceEndpoint: json.RawMessage(`{`)}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d *Document
			if tt.modify != nil {
				d = good()
				tt.modify(d)
			}
			if err := d.Validate(); !errors.Is(err, ErrInvalidDIDDocument) {
				t.Errorf("error = %v, want %v", err, ErrInvalidDIDDocument)
			}
		})
	}
}

func TestClone(t *testing.T) {
	doc, err := ParseDocument(readTestdata(t, "valid-controllers.json"))
	if err != nil {
		t.Fatal(err)
	}
	emb, err := ParseDocument(readTestdata(t, "valid-embedded-assertion.json"))
	if err != nil {
		t.Fatal(err)
	}
	ext, err := ParseDocument(readTestdata(t, "valid-extra-members.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Document{doc, emb, ext} {
		c := d.Clone()
		if diff := cmp.Diff(d, c); diff != "" {
			t.Fatalf("Clone differs:\n%s", diff)
		}
	}
	c := doc.Clone()
	c.Controller[0] = "did:example:mallory"
	c.Context[1].(map[string]any)["weight"] = "changed"
	c.VerificationMethod[0].PublicKeyMultibase = "z"
	if doc.Controller[0] == "did:example:mallory" || doc.Context[1].(map[string]any)["weight"] == "changed" || doc.VerificationMethod[0].PublicKeyMultibase == "z" {
		t.Error("changing the clone changed the original")
	}
	ce := emb.Clone()
	ce.AssertionMethod[0].Embedded.PublicKeyJwk[2] = 'X'
	if emb.AssertionMethod[0].Embedded.PublicKeyJwk[2] == 'X' {
		t.Error("changing the clone's embedded JWK changed the original")
	}
	cx := ext.Clone()
	cx.Extra["proof"][0] = '['
	cx.Service[0].ServiceEndpoint[0] = '['
	if ext.Extra["proof"][0] == '[' || ext.Service[0].ServiceEndpoint[0] == '[' {
		t.Error("changing the clone's raw members changed the original")
	}
	if (*Document)(nil).Clone() != nil {
		t.Error("nil Clone is not nil")
	}
}

// TestVectorDocuments parses the DID documents of the did:key, did:jwk and did:peer
// specifications.
func TestVectorDocuments(t *testing.T) {
	type named struct {
		name string
		doc  json.RawMessage
	}
	var docs []named
	docs = append(docs, named{"did-key ed25519-x25519", vectors.Read(t, "did-key", "spec-examples/ed25519-x25519-did-document.json")})
	var jwk struct {
		Examples []struct {
			Name        string          `json:"name"`
			DIDDocument json.RawMessage `json:"didDocument"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(vectors.Read(t, "did-jwk", "examples.json"), &jwk); err != nil {
		t.Fatal(err)
	}
	erratum := 0
	for _, e := range jwk.Examples {
		// The P-256 example prints one reference as "did:jwk:$eyJ...", which is not a DID
		// URL (vectors README): the document must be rejected as printed and accepted
		// once corrected.
		if bytes.Contains(e.DIDDocument, []byte("did:jwk:$")) {
			erratum++
			if _, err := ParseDocument(e.DIDDocument); !errors.Is(err, ErrInvalidDIDDocument) {
				t.Errorf("did-jwk %s as printed: error = %v, want %v", e.Name, err, ErrInvalidDIDDocument)
			}
			e.DIDDocument = bytes.ReplaceAll(e.DIDDocument, []byte("did:jwk:$"), []byte("did:jwk:"))
		}
		docs = append(docs, named{"did-jwk " + e.Name, e.DIDDocument})
	}
	if erratum != 1 {
		t.Errorf("found the did:jwk erratum %d times, want 1", erratum)
	}
	var peer struct {
		Blocks []struct {
			Heading string          `json:"heading"`
			JSON    json.RawMessage `json:"json"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(vectors.Read(t, "did-peer", "spec-core-code-blocks.json"), &peer); err != nil {
		t.Fatal(err)
	}
	for _, b := range peer.Blocks {
		var probe struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(b.JSON, &probe) == nil && strings.HasPrefix(probe.ID, "did:peer:") {
			docs = append(docs, named{"did-peer " + b.Heading, b.JSON})
		}
	}
	if len(docs) < 5 {
		t.Fatalf("found %d vector documents, want at least 5", len(docs))
	}
	for _, v := range docs {
		t.Run(v.name, func(t *testing.T) {
			doc, err := ParseDocument(v.doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, rel := range relationships {
				if _, err := doc.Methods(rel); err != nil {
					t.Errorf("Methods(%s): %v", rel, err)
				}
			}
			out, err := doc.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonValue(t, v.doc), jsonValue(t, out)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"ok", `{"id":"did:example:1","x":{"id":1,"id":2}}`, nil},
		{"not JSON", `{"id":`, ErrMalformed},
		{"empty", ``, ErrMalformed},
		{"duplicate member", `{"id":"did:example:1","id":"did:example:2"}`, ErrMalformed},
		{"escaped duplicate member", `{"id":"did:example:1","i\u0064":"did:example:2"}`, ErrMalformed},
		{"duplicate in a method", `{"id":"did:example:1","verificationMethod":[{"id":"#a","id":"#b"}]}`, ErrMalformed},
		{"wrong type", `{"id":true}`, ErrInvalidDIDDocument},
		{"null", `null`, ErrInvalidDIDDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Document
			err := d.UnmarshalJSON([]byte(tt.in))
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
	var d Document
	if err := d.UnmarshalJSON([]byte("{\"id\":\"did:example:\xff\"}")); err != nil || d.ID != "did:example:\ufffd" {
		t.Errorf("invalid UTF-8: %q, %v; want it replaced as encoding/json does", d.ID, err)
	}
	var parts struct {
		VM  VerificationMethod `json:"vm"`
		Ref []MethodRef        `json:"refs"`
		Svc Service            `json:"svc"`
	}
	in := `{"vm":{"id":"#k","type":"T","controller":"did:example:1","x":1},"refs":["#k",{"id":"#e","type":"T","controller":"did:example:1"}],"svc":{"id":"#s","type":["A","B"],"serviceEndpoint":"https://a.example/"}}`
	if err := json.Unmarshal([]byte(in), &parts); err != nil {
		t.Fatal(err)
	}
	if parts.VM.ID != "#k" || string(parts.VM.Extra["x"]) != "1" || parts.Ref[0].ID != "#k" || parts.Ref[1].Embedded == nil ||
		len(parts.Svc.Type) != 2 || string(parts.Svc.ServiceEndpoint) != `"https://a.example/"` {
		t.Errorf("decoded %+v", parts)
	}
	out, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonValue(t, []byte(in)), jsonValue(t, out)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"vm":[]}`, `{"refs":[1]}`, `{"svc":{"serviceEndpoint":1}}`, `{"svc":{"type":{}}}`} {
		if err := json.Unmarshal([]byte(bad), &parts); !errors.Is(err, ErrInvalidDIDDocument) {
			t.Errorf("%s: error = %v, want %v", bad, err, ErrInvalidDIDDocument)
		}
	}
}

func TestMarshalByValue(t *testing.T) {
	doc := mustParseDocument(t, "valid-basic.json")
	byPtr, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	byVal, err := json.Marshal(struct{ D Document }{*doc})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"D":` + string(byPtr) + `}`; string(byVal) != want {
		t.Errorf("by value: %s\nwant %s", byVal, want)
	}
}
