package key

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// FuzzResolve resolves arbitrary strings with derivation on. Properties: no panic; a
// failure is a *did.ResolutionError with a nil result wrapping a sentinel; a resolved
// document has the DID as id, passes Validate, survives did.ParseDocument, and its key
// encodes back to the DID (one key, one DID).
func FuzzResolve(f *testing.F) {
	f.Add("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	r, err := New(Options{EnableEncryptionKeyDerivation: true})
	if err != nil {
		f.Fatal(err)
	}
	sentinels := []error{did.ErrInvalidDID, did.ErrMethodNotSupported, keys.ErrInvalidKey, keys.ErrPrivateKeyMaterial, keys.ErrUnsupportedKeyType}
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
		pub, err := doc.VerificationMethod[0].PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		again, err := Create(pub)
		if err != nil {
			t.Fatal(err)
		}
		if mb := again[len(prefix):]; id != again && id != prefix+"1:"+mb {
			t.Fatalf("key of %q encodes to %q", id, again)
		}
	})
}
