package dataintegrity

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/vc/jsonld"
)

func TestParsePointer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []pathStep
		err  bool
	}{
		{"/a", []pathStep{{name: "a"}}, false},
		{"/a/0/b", []pathStep{{name: "a"}, {name: "0", index: 0, isIndex: true}, {name: "b"}}, false},
		{"/a~1b/~0c", []pathStep{{name: "a/b"}, {name: "~c"}}, false},
		{"/01", []pathStep{{name: "01"}}, false},
		{"/-1", []pathStep{{name: "-1"}}, false},
		{"/12", []pathStep{{name: "12", index: 12, isIndex: true}}, false},
		{"/", []pathStep{{name: ""}}, false},
		{"", nil, true},
		{"a", nil, true},
		{"/a~", nil, true},
		{"/a~2", nil, true},
	} {
		got, err := parsePointer(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%q: error %v", tc.in, err)
			continue
		}
		if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(pathStep{})); !tc.err && d != "" {
			t.Errorf("%q: %s", tc.in, d)
		}
	}
}

// TestSelectJSONLD: the selection keeps ids (not blank node identifiers) and types on the
// path, and makes sparse arrays dense in index order.
func TestSelectJSONLD(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(`{"@context":["c"],"id":"urn:d","type":"T","a":{"id":"_:b1","type":["U"],"x":1,"y":2},
		"l":[{"id":"urn:e","v":1,"w":2},{"v":3},{"v":4}],"s":["p","q","r"]}`), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pointers []string
		want     string
	}{
		{[]string{"/a/x"}, `{"@context":["c"],"id":"urn:d","type":"T","a":{"type":["U"],"x":1}}`},
		{[]string{"/l/2/v", "/l/0/w"}, `{"@context":["c"],"id":"urn:d","type":"T","l":[{"id":"urn:e","w":2},{"v":4}]}`},
		{[]string{"/s/2", "/s/0"}, `{"@context":["c"],"id":"urn:d","type":"T","s":["p","r"]}`},
		{[]string{"/a"}, `{"@context":["c"],"id":"urn:d","type":"T","a":{"id":"_:b1","type":["U"],"x":1,"y":2}}`},
		{[]string{"/s", "/s/1"}, `{"@context":["c"],"id":"urn:d","type":"T","s":["p","q","r"]}`},
	} {
		ps, err := parsePointers(tc.pointers, ErrInvalidOptions)
		if err != nil {
			t.Fatal(err)
		}
		got, err := selectJSONLD(doc, ps)
		if err != nil {
			t.Fatalf("%v: %v", tc.pointers, err)
		}
		var want map[string]any
		_ = json.Unmarshal([]byte(tc.want), &want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%v: %s", tc.pointers, d)
		}
	}
	for _, p := range []string{"/nothing", "/s/3", "/s/x", "/a/x/y", "/l/0/v/1"} {
		ps, _ := parsePointers([]string{p}, ErrInvalidOptions)
		if _, err := selectJSONLD(doc, ps); !errors.As(err, new(errNoMatch)) {
			t.Errorf("%s: %v, want no match", p, err)
		}
	}
	if sel, err := selectJSONLD(doc, nil); sel != nil || err != nil {
		t.Errorf("no pointers: %v, %v", sel, err)
	}
}

// TestShuffledLabelsBBSVector checks the bbs-2023 label map factory on the canonical
// statements of the W3C vc-di-bbs base proof vector (its document uses an inline
// @vocab context).
func TestShuffledLabelsBBSVector(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(vectors.Dir(t, "w3c-vc-di-bbs"), "TestVectors")
	key, err := hex.DecodeString(readObject(t, filepath.Join(dir, "BBSKeyMaterial.json"))["hmacKeyString"].(string))
	if err != nil {
		t.Fatal(err)
	}
	doc := withoutProof(readObject(t, filepath.Join(dir, "addSignedSDBase.json")))
	b, _ := json.Marshal(doc)
	quads, err := jsonld.ToRDF(ctx, b, jsonld.DefaultContexts(), jsonld.Options{AllowInlineContexts: true})
	if err != nil {
		t.Fatal(err)
	}
	lines, _, err := canonicalizeQuads(ctx, quads, hmacShuffledLabels(key))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "addBaseDocHMACCanon.json")), &want); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("addBaseDocHMACCanon.json (-want +got):\n%s", d)
	}
}
