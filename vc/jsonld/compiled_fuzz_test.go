package jsonld

import (
	"encoding/json"
	"testing"
)

// FuzzCompiledMatchesGeneral mutates credentials and checks that the compiled path and the
// general path agree on the result: the same expanded document, quads and canonical form,
// or the compiled path gives up. Both follow JSON-LD 1.1 where json-gold alone would not
// (the graph container of verifiableCredential, see lostGraphContainers). Besides the bytes of doc, which the fuzzer mutates, the
// member key with the JSON value is set in the at-th object of the document (counting in
// document order), so that mutations stay JSON and reach the JSON-LD processing. Seeds are
// in testdata/fuzz/FuzzCompiledMatchesGeneral.
func FuzzCompiledMatchesGeneral(f *testing.F) {
	f.Add([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:2","a":"b"}}`),
		uint8(1), "type", []byte(`"JsonSchema"`))
	c := DefaultContexts()
	f.Fuzz(func(t *testing.T, doc []byte, at uint8, key string, value []byte) {
		if len(doc) > 8<<10 || len(value) > 1<<10 {
			return
		}
		var m map[string]any
		if json.Unmarshal(doc, &m) == nil && m != nil {
			var v any
			if json.Unmarshal(value, &v) == nil {
				n := int(at)
				setInObject(m, &n, key, v)
			}
			if b, err := json.Marshal(m); err == nil {
				doc = b
			}
		}
		opts := Options{MaxObjects: 200}
		checkSamePaths(t, c, "fuzz", doc, opts)
		opts.AllowInlineContexts = true
		checkSamePaths(t, c, "fuzz (inline contexts allowed)", doc, opts)
	})
}

// setInObject sets key to v in the *n-th object of v's tree (depth first, members in
// sorted order), counting *n down.
func setInObject(tree any, n *int, key string, v any) bool {
	switch t := tree.(type) {
	case map[string]any:
		if *n == 0 {
			t[key] = v
			return true
		}
		*n--
		for _, k := range sortedKeys(t) {
			if setInObject(t[k], n, key, v) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if setInObject(e, n, key, v) {
				return true
			}
		}
	}
	return false
}
