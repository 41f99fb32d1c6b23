package jwk

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// FuzzResolve resolves arbitrary strings. Properties: no panic; a failure is a
// *did.ResolutionError with a nil result wrapping a sentinel; a resolved document has
// the DID as id, passes Validate and survives did.ParseDocument.
func FuzzResolve(f *testing.F) {
	f.Add("did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9")
	r := New()
	sentinels := []error{did.ErrInvalidDID, did.ErrMethodNotSupported, keys.ErrInvalidKey, keys.ErrPrivateKeyMaterial,
		keys.ErrUnsupportedKeyType, keys.ErrAlgorithmKeyMismatch}
	f.Fuzz(func(t *testing.T, id string) {
		res, err := r.Resolve(context.Background(), id)
		if err != nil {
			var re *did.ResolutionError
			if res != nil || !errors.As(err, &re) || re.Code == "" {
				t.Fatalf("failure %v with result %v", err, res)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		doc := res.Document
		if doc.ID != id {
			t.Fatalf("id %q for %q", doc.ID, id)
		}
		if err := doc.Validate(); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := did.ParseDocument(data); err != nil {
			t.Fatalf("ParseDocument: %v", err)
		}
	})
}
