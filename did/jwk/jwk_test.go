package jwk

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

var sentinels = map[string]error{
	"ErrInvalidDID":           did.ErrInvalidDID,
	"ErrMethodNotSupported":   did.ErrMethodNotSupported,
	"ErrTooLarge":             did.ErrTooLarge,
	"ErrMalformed":            keys.ErrMalformed,
	"ErrInvalidKey":           keys.ErrInvalidKey,
	"ErrPrivateKeyMaterial":   keys.ErrPrivateKeyMaterial,
	"ErrUnsupportedKeyType":   keys.ErrUnsupportedKeyType,
	"ErrAlgorithmKeyMismatch": keys.ErrAlgorithmKeyMismatch,
}

type resolveCase struct {
	Name          string   `json:"name"`
	DID           string   `json:"did"`
	Relationships []string `json:"relationships"`
	Code          string   `json:"code"`
	Error         string   `json:"error"`
}

func TestResolveCases(t *testing.T) {
	data, err := os.ReadFile("testdata/cases/resolve.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []resolveCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil || len(f.Cases) == 0 {
		t.Fatalf("cases: %v", err)
	}
	r := New()
	for _, tc := range f.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			var want error
			if tc.Error != "" {
				if want = sentinels[tc.Error]; want == nil {
					t.Fatalf("unknown sentinel %q", tc.Error)
				}
			}
			res, err := r.Resolve(context.Background(), tc.DID)
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
			if want != nil {
				var re *did.ResolutionError
				if !errors.As(err, &re) || re.Code != tc.Code || res != nil {
					t.Fatalf("got %v (%#v), want code %q and no result", res, err, tc.Code)
				}
				if tc.Code == did.CodeInvalidDID && !errors.Is(err, did.ErrInvalidDID) {
					t.Errorf("invalidDid error does not wrap did.ErrInvalidDID: %v", err)
				}
				return
			}
			checkDocument(t, res, tc.DID)
			if got := relationships(res.Document); !slices.Equal(got, tc.Relationships) {
				t.Errorf("relationships: got %v, want %v", got, tc.Relationships)
			}
		})
	}
}

// checkDocument checks what every resolved did:jwk document has, and that publicKeyJwk
// is the DID's JWK exactly.
func checkDocument(t *testing.T, res *did.Resolution, id string) {
	t.Helper()
	doc := res.Document
	if doc == nil || doc.ID != id || res.ResolutionMetadata.ContentType != ContentType {
		t.Fatalf("resolution %+v", res)
	}
	if err := doc.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if len(doc.VerificationMethod) != 1 {
		t.Fatalf("%d methods", len(doc.VerificationMethod))
	}
	vm := doc.VerificationMethod[0]
	if vm.ID != id+"#0" || vm.Controller != id || vm.Type != "JsonWebKey2020" {
		t.Errorf("method %+v", vm)
	}
	raw, err := b64.DecodeString(strings.TrimPrefix(id, prefix))
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(vm.PublicKeyJwk, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("publicKeyJwk (-DID +document):\n%s", diff)
	}
	if _, err := vm.PublicKey(); err != nil {
		t.Errorf("PublicKey: %v", err)
	}
}

// relationships lists, in order, the relationships that reference the one method.
func relationships(doc *did.Document) []string {
	var out []string
	for _, rel := range []struct {
		name string
		refs []did.MethodRef
	}{
		{"assertionMethod", doc.AssertionMethod},
		{"authentication", doc.Authentication},
		{"capabilityDelegation", doc.CapabilityDelegation},
		{"capabilityInvocation", doc.CapabilityInvocation},
		{"keyAgreement", doc.KeyAgreement},
	} {
		if len(rel.refs) == 1 && rel.refs[0].ID == doc.VerificationMethod[0].ID {
			out = append(out, rel.name)
		}
	}
	return out
}

func TestCreate(t *testing.T) {
	ed, _, _ := ed25519.GenerateKey(rand.Reader)
	x, _ := ecdh.X25519().GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	k1, err := keys.GenerateSecp256k1()
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"assertionMethod", "authentication", "capabilityDelegation", "capabilityInvocation", "keyAgreement"}
	tests := []struct {
		name string
		pub  crypto.PublicKey
		rels []string
		want error
	}{
		{"ed25519", ed, all[:4], nil},
		{"x25519", x.PublicKey(), all[4:], nil},
		{"p256", p256.Public(), all, nil},
		{"p384", p384.Public(), all, nil},
		{"secp256k1", k1.Public(), all, nil},
		{"p521", p521.Public(), nil, keys.ErrUnsupportedKeyType},
		{"nil", nil, nil, keys.ErrUnsupportedKeyType},
		{"short ed25519", ed25519.PublicKey(ed[:31]), nil, keys.ErrInvalidKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Create(tc.pub)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil {
				if id != "" {
					t.Errorf("DID %q with an error", id)
				}
				return
			}
			res, err := New().Resolve(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			checkDocument(t, res, id)
			pub, err := res.Document.VerificationMethod[0].PublicKey()
			if err != nil || !keys.Equal(pub, tc.pub) {
				t.Errorf("key does not round-trip: %v", err)
			}
			if got := relationships(res.Document); !slices.Equal(got, tc.rels) {
				t.Errorf("relationships: got %v, want %v", got, tc.rels)
			}
		})
	}
}
