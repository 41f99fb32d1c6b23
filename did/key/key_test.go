package key

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
	"strings"
	"testing"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// sentinels names the errors that test cases may expect.
var sentinels = map[string]error{
	"ErrInvalidDID":         did.ErrInvalidDID,
	"ErrMethodNotSupported": did.ErrMethodNotSupported,
	"ErrTooLarge":           did.ErrTooLarge,
	"ErrInvalidKey":         keys.ErrInvalidKey,
	"ErrPrivateKeyMaterial": keys.ErrPrivateKeyMaterial,
	"ErrUnsupportedKeyType": keys.ErrUnsupportedKeyType,
}

type resolveCase struct {
	Name   string `json:"name"`
	DID    string `json:"did"`
	Format string `json:"format"`
	Derive bool   `json:"derive"`
	Code   string `json:"code"`
	Error  string `json:"error"`
}

func loadCases(t *testing.T) []resolveCase {
	t.Helper()
	data, err := os.ReadFile("testdata/cases/resolve.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []resolveCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	return f.Cases
}

func TestResolveCases(t *testing.T) {
	for _, tc := range loadCases(t) {
		t.Run(tc.Name, func(t *testing.T) {
			var want error
			if tc.Error != "" {
				want = sentinels[tc.Error]
				if want == nil {
					t.Fatalf("unknown sentinel %q", tc.Error)
				}
			}
			r, err := New(Options{PublicKeyFormat: tc.Format, EnableEncryptionKeyDerivation: tc.Derive})
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Resolve(context.Background(), tc.DID)
			if !errors.Is(err, want) {
				t.Fatalf("Resolve: got %v, want %v", err, want)
			}
			if want != nil {
				if res != nil {
					t.Error("result with an error")
				}
				var re *did.ResolutionError
				if !errors.As(err, &re) {
					t.Fatalf("got %T, want *did.ResolutionError", err)
				}
				if re.Code != tc.Code {
					t.Errorf("code: got %q, want %q", re.Code, tc.Code)
				}
				return
			}
			checkDocument(t, res, tc.DID)
		})
	}
}

// checkDocument checks the properties every resolved did:key document has.
func checkDocument(t *testing.T, res *did.Resolution, id string) {
	t.Helper()
	doc := res.Document
	if doc == nil || doc.ID != id {
		t.Fatalf("document id: got %+v, want %s", doc, id)
	}
	if res.ResolutionMetadata.ContentType != ContentType {
		t.Errorf("content type %q", res.ResolutionMetadata.ContentType)
	}
	if err := doc.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if len(doc.VerificationMethod) != 1 {
		t.Fatalf("%d verification methods, want 1", len(doc.VerificationMethod))
	}
	vm := doc.VerificationMethod[0]
	mb := id[strings.LastIndexByte(id, ':')+1:]
	if vm.ID != id+"#"+mb || vm.Controller != id {
		t.Errorf("method id %q, controller %q", vm.ID, vm.Controller)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		t.Fatalf("PublicKey: %v", err)
	}
	want, err := keys.ParseMultikey(mb)
	if err != nil {
		t.Fatal(err)
	}
	if !keys.Equal(pub, want) {
		t.Error("method key differs from the DID's key")
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		format string
		want   error
	}{
		{"", nil},
		{FormatMultikey, nil},
		{FormatJsonWebKey, nil},
		{FormatJsonWebKey2020, nil},
		{"Ed25519VerificationKey2020", ErrUnsupportedFormat},
		{"multikey", ErrUnsupportedFormat},
		{"JsonWebKey2021", ErrUnsupportedFormat},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			r, err := New(Options{PublicKeyFormat: tc.format})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if (r == nil) == (err == nil) {
				t.Errorf("resolver %v with error %v", r, err)
			}
		})
	}
}

func TestRelationships(t *testing.T) {
	ed, _, _ := ed25519.GenerateKey(rand.Reader)
	x, _ := ecdh.X25519().GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	k1, err := keys.GenerateSecp256k1()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pub    crypto.PublicKey
		derive bool
		sign   bool // listed under the four signing relationships
		agree  int  // keyAgreement entries
	}{
		{"ed25519", ed, false, true, 0},
		{"ed25519 derived", ed, true, true, 1},
		{"x25519", x.PublicKey(), false, false, 1},
		{"x25519 derive", x.PublicKey(), true, false, 1},
		{"p256", p256.Public(), true, true, 0},
		{"p384", p384.Public(), false, true, 0},
		{"secp256k1", k1.Public(), true, true, 0},
	}
	for _, format := range []string{FormatMultikey, FormatJsonWebKey, FormatJsonWebKey2020} {
		for _, tc := range tests {
			t.Run(format+"/"+tc.name, func(t *testing.T) {
				id, err := Create(tc.pub)
				if err != nil {
					t.Fatal(err)
				}
				r, err := New(Options{PublicKeyFormat: format, EnableEncryptionKeyDerivation: tc.derive})
				if err != nil {
					t.Fatal(err)
				}
				res, err := r.Resolve(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				checkDocument(t, res, id)
				doc := res.Document
				if vm := doc.VerificationMethod[0]; vm.Type != format {
					t.Errorf("type %q, want %q", vm.Type, format)
				}
				for _, rel := range []did.Relationship{did.Authentication, did.AssertionMethod, did.CapabilityInvocation, did.CapabilityDelegation} {
					_, err := doc.VerificationMethodFor(doc.VerificationMethod[0].ID, rel)
					if (err == nil) != tc.sign {
						t.Errorf("%s: %v", rel, err)
					}
				}
				if len(doc.KeyAgreement) != tc.agree {
					t.Fatalf("%d keyAgreement entries, want %d", len(doc.KeyAgreement), tc.agree)
				}
				if tc.agree == 1 {
					ms, err := doc.Methods(did.KeyAgreement)
					if err != nil || len(ms) != 1 {
						t.Fatalf("Methods(keyAgreement): %v, %v", ms, err)
					}
					pub, err := ms[0].PublicKey()
					if err != nil {
						t.Fatal(err)
					}
					if kt, _ := keys.TypeOf(pub); kt != keys.X25519 {
						t.Errorf("keyAgreement key type %s", kt)
					}
				}
			})
		}
	}
}

func TestCreate(t *testing.T) {
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	tests := []struct {
		name string
		pub  crypto.PublicKey
		want error
	}{
		{"nil", nil, keys.ErrUnsupportedKeyType},
		{"p521", p521.Public(), keys.ErrUnsupportedKeyType},
		{"short ed25519", ed25519.PublicKey(make([]byte, 31)), keys.ErrInvalidKey},
		{"private key", ed25519.NewKeyFromSeed(make([]byte, 32)), keys.ErrUnsupportedKeyType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Create(tc.pub)
			if !errors.Is(err, tc.want) || id != "" {
				t.Fatalf("got %q, %v, want %v", id, err, tc.want)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg := did.NewRegistry()
	if err := reg.Register("key", r); err != nil {
		t.Fatal(err)
	}
	const id = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	vm, err := reg.Dereference(context.Background(), id+"#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	if vm.Type != FormatMultikey {
		t.Errorf("type %q", vm.Type)
	}
	_, err = reg.Dereference(context.Background(), id+"#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.KeyAgreement)
	if !errors.Is(err, did.ErrVerificationRelationship) {
		t.Errorf("keyAgreement: got %v, want %v", err, did.ErrVerificationRelationship)
	}
}
