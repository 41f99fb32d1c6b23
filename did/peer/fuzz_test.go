package peer

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// fuzzSentinels are the errors a failed resolution may wrap; each failure wraps one.
var fuzzSentinels = []error{
	did.ErrInvalidDID, did.ErrMethodNotSupported, did.ErrNotFound, did.ErrInvalidDIDDocument,
	did.ErrTooLarge, keys.ErrInvalidKey, keys.ErrPrivateKeyMaterial, keys.ErrUnsupportedKeyType,
	ErrUnsupportedNumalgo, ErrHashMismatch,
}

// FuzzResolve resolves arbitrary strings. Properties: no panic; a failure is a
// *did.ResolutionError with a nil result wrapping a sentinel; a resolved document has the
// DID as id, passes Validate and survives a JSON round trip through did.ParseDocument.
// The seeds (testdata/fuzz/FuzzResolve) are the specification's DIDs and our cases.
func FuzzResolve(f *testing.F) {
	const shortForm = "did:peer:4zQmd8CpeFPci817KDsbSAKWcXAE2mjvCQSasRewvbSF54Bd"
	f.Add(shortForm)
	r := New(Options{LongForms: fuzzStore{}})
	f.Fuzz(func(t *testing.T, id string) {
		res, err := r.Resolve(context.Background(), id)
		if err != nil {
			var re *did.ResolutionError
			if res != nil || !errors.As(err, &re) || re.Code == "" {
				t.Fatalf("failure %v with result %v", err, res)
			}
			for _, s := range fuzzSentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		doc := res.Document
		if doc == nil || doc.ID != id {
			t.Fatalf("document %+v for %q", doc, id)
		}
		if err := doc.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := did.ParseDocument(data); err != nil {
			t.Fatalf("ParseDocument of the resolved document: %v\n%s", err, data)
		}
	})
}

// fuzzStore knows nothing: short forms exercise the store path and end in notFound.
type fuzzStore struct{}

func (fuzzStore) LongForm(context.Context, string) (string, error) { return "", did.ErrNotFound }
