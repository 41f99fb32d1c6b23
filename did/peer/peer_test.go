package peer

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
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

var sentinels = map[string]error{
	"ErrInvalidDID":         did.ErrInvalidDID,
	"ErrInvalidDIDDocument": did.ErrInvalidDIDDocument,
	"ErrMethodNotSupported": did.ErrMethodNotSupported,
	"ErrNotFound":           did.ErrNotFound,
	"ErrTooLarge":           did.ErrTooLarge,
	"ErrTooDeep":            did.ErrTooDeep,
	"ErrMalformed":          did.ErrMalformed,
	"ErrInvalidKey":         keys.ErrInvalidKey,
	"ErrPrivateKeyMaterial": keys.ErrPrivateKeyMaterial,
	"ErrUnsupportedKeyType": keys.ErrUnsupportedKeyType,
	"ErrUnsupportedNumalgo": ErrUnsupportedNumalgo,
	"ErrHashMismatch":       ErrHashMismatch,
}

type resolveCase struct {
	Name     string   `json:"name"`
	DID      string   `json:"did"`
	Methods  int      `json:"methods"`
	Services []string `json:"services"`
	Code     string   `json:"code"`
	Error    string   `json:"error"`
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
	r := New(Options{})
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
					t.Fatalf("got %v, %v; want code %q and no result", res, err, tc.Code)
				}
				return
			}
			doc := res.Document
			if doc.ID != tc.DID || res.ResolutionMetadata.ContentType != ContentType {
				t.Errorf("id %q, metadata %+v", doc.ID, res.ResolutionMetadata)
			}
			if err := doc.Validate(); err != nil {
				t.Error(err)
			}
			if len(doc.VerificationMethod) != tc.Methods {
				t.Errorf("%d methods, want %d", len(doc.VerificationMethod), tc.Methods)
			}
			var ids []string
			for _, s := range doc.Service {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tc.Services) {
				t.Errorf("service ids %v, want %v", ids, tc.Services)
			}
			for _, vm := range doc.VerificationMethod {
				if _, err := vm.PublicKey(); err != nil && vm.Type == "Multikey" {
					t.Errorf("method %s: %v", vm.ID, err)
				}
			}
		})
	}
}

func generate(t *testing.T) (ed, x, p256 crypto.PublicKey) {
	t.Helper()
	e, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	xk, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return e, xk.PublicKey(), pk.Public()
}

func TestCreate2(t *testing.T) {
	ed, x, p256 := generate(t)
	dm := did.Service{Type: []string{"DIDCommMessaging"}, ServiceEndpoint: json.RawMessage(`{"uri":"https://example.com/<a>&b","accept":["didcomm/v2"],"routingKeys":[]}`)}
	withID := did.Service{ID: "#files", Type: []string{"LinkedDomains", "Other"}, ServiceEndpoint: json.RawMessage(`"https://example.com/"`),
		Extra: map[string]json.RawMessage{"accept": json.RawMessage(`["x"]`), "priority": json.RawMessage(`1.5`)}}
	tests := []struct {
		name     string
		keys     []Key
		services []did.Service
		want     error
	}{
		{"keys", []Key{{did.Authentication, ed}, {did.KeyAgreement, x}, {did.AssertionMethod, p256}, {did.KeyAgreement, p256}}, nil, nil},
		{"services", []Key{{did.CapabilityInvocation, ed}}, []did.Service{dm, withID, dm}, nil},
		{"service only", nil, []did.Service{dm}, nil},
		{"nothing", nil, nil, did.ErrInvalidDIDDocument},
		{"x25519 signing", []Key{{did.Authentication, x}}, nil, keys.ErrInvalidKey},
		{"ed25519 agreement", []Key{{did.KeyAgreement, ed}}, nil, keys.ErrInvalidKey},
		{"unknown relationship", []Key{{"other", ed}}, nil, did.ErrInvalidDIDDocument},
		{"nil key", []Key{{did.Authentication, nil}}, nil, keys.ErrUnsupportedKeyType},
		{"absolute service id", nil, []did.Service{{ID: "did:example:1#s", Type: []string{"x"}, ServiceEndpoint: json.RawMessage(`"https://example.com/"`)}}, did.ErrInvalidDIDDocument},
		{"no type", nil, []did.Service{{ServiceEndpoint: json.RawMessage(`"https://example.com/"`)}}, did.ErrInvalidDIDDocument},
		{"no endpoint", nil, []did.Service{{Type: []string{"x"}}}, did.ErrInvalidDIDDocument},
		{"bad endpoint JSON", nil, []did.Service{{Type: []string{"x"}, ServiceEndpoint: json.RawMessage(`{"a":1,"a":2}`)}}, did.ErrMalformed},
		{"abbreviation as member", nil, []did.Service{{Type: []string{"x"}, ServiceEndpoint: json.RawMessage(`{"uri":"https://example.com/","t":1}`)}}, did.ErrInvalidDIDDocument},
		{"modeled member in Extra", nil, []did.Service{{Type: []string{"x"}, ServiceEndpoint: json.RawMessage(`"https://example.com/"`), Extra: map[string]json.RawMessage{"id": json.RawMessage(`"#x"`)}}}, did.ErrInvalidDIDDocument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := Create2(tc.keys, tc.services)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil {
				return
			}
			res, err := New(Options{}).Resolve(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			doc := res.Document
			if len(doc.VerificationMethod) != len(tc.keys) {
				t.Fatalf("%d methods", len(doc.VerificationMethod))
			}
			for i, k := range tc.keys {
				vm, err := doc.VerificationMethodFor("#key-"+string(rune('1'+i)), k.Relationship)
				if err != nil {
					t.Fatal(err)
				}
				pub, err := vm.PublicKey()
				if err != nil || !keys.Equal(pub, k.PublicKey) {
					t.Errorf("key %d: %v", i, err)
				}
			}
			if len(doc.Service) != len(tc.services) {
				t.Fatalf("%d services", len(doc.Service))
			}
			for i, s := range tc.services {
				got := doc.Service[i]
				if s.ID != "" && got.ID != s.ID {
					t.Errorf("service %d id %q", i, got.ID)
				}
				got.ID = s.ID
				if diff := cmp.Diff(serviceJSON(t, s), serviceJSON(t, got)); diff != "" {
					t.Errorf("service %d (-in +out):\n%s", i, diff)
				}
			}
		})
	}
}

func serviceJSON(t *testing.T, s did.Service) any {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCreate0(t *testing.T) {
	ed, x, p256 := generate(t)
	for _, pub := range []crypto.PublicKey{ed, x, p256} {
		id, err := Create0(pub)
		if err != nil {
			t.Fatal(err)
		}
		for _, derive := range []bool{false, true} {
			res, err := New(Options{EnableEncryptionKeyDerivation: derive}).Resolve(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			got, err := res.Document.VerificationMethod[0].PublicKey()
			if err != nil || !keys.Equal(got, pub) {
				t.Errorf("%s: key does not round-trip: %v", id, err)
			}
			_, isEd := pub.(ed25519.PublicKey)
			_, isX := pub.(*ecdh.PublicKey)
			wantAgreement := isX || isEd && derive
			if (len(res.Document.KeyAgreement) == 1) != wantAgreement {
				t.Errorf("%s derive=%v: keyAgreement %v", id, derive, res.Document.KeyAgreement)
			}
		}
	}
	if _, err := Create0(ed25519.PublicKey(make([]byte, 31))); !errors.Is(err, keys.ErrInvalidKey) {
		t.Errorf("short key: %v", err)
	}
}

func TestCreate4(t *testing.T) {
	doc := `{
		"@context": ["https://www.w3.org/ns/did/v1"],
		"verificationMethod": [{"id": "#k", "type": "Multikey", "publicKeyMultibase": "z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"},
			{"id": "#other", "type": "Multikey", "controller": "did:example:123", "publicKeyMultibase": "z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"}],
		"authentication": ["#k", {"id": "#embedded", "type": "Multikey", "publicKeyMultibase": "z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"}],
		"alsoKnownAs": ["https://example.com/"]
	}`
	long, short, err := Create4([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{LongForms: memoryStore{short: long}})
	for _, id := range []string{long, short} {
		res, err := r.Resolve(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		d := res.Document
		other := map[string]string{long: short, short: long}[id]
		if d.ID != id || !slices.Equal(d.AlsoKnownAs, []string{"https://example.com/", other}) {
			t.Errorf("id %q, alsoKnownAs %v", d.ID, d.AlsoKnownAs)
		}
		if d.VerificationMethod[0].Controller != id || d.VerificationMethod[1].Controller != "did:example:123" || d.Authentication[1].Embedded.Controller != id {
			t.Errorf("controllers not set as the specification says: %+v", d)
		}
	}

	tests := []struct {
		name  string
		input string
		want  error
	}{
		{"id", `{"id":"did:example:1"}`, did.ErrInvalidDIDDocument},
		{"array", `[]`, did.ErrMalformed},
		{"duplicate", `{"service":[],"service":[]}`, did.ErrMalformed},
		{"invalid document", `{"authentication":["#missing"]}`, did.ErrInvalidDIDDocument},
		{"too long", `{"alsoKnownAs":["https://example.com/` + string(make([]byte, 0)) + string(slices.Repeat([]byte("a"), 8000)) + `"]}`, did.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			long, short, err := Create4([]byte(tc.input))
			if !errors.Is(err, tc.want) || long != "" || short != "" {
				t.Fatalf("got %q, %q, %v; want %v", long, short, err, tc.want)
			}
		})
	}
}

func TestResolveShort(t *testing.T) {
	long, short, err := Create4([]byte(`{"verificationMethod":[{"id":"#k","type":"Multikey","publicKeyMultibase":"z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"}],"authentication":["#k"]}`))
	if err != nil {
		t.Fatal(err)
	}
	long2, short2, err := Create4([]byte(`{"alsoKnownAs":["https://example.com/"]}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		short, long string
		want        error
	}{
		{"ok", short, long, nil},
		{"other long form", short, long2, ErrHashMismatch},
		{"short as long", short, short2, did.ErrInvalidDID},
		{"long as short", long, long, did.ErrInvalidDID},
		{"not peer", "did:key:z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc", long, did.ErrMethodNotSupported},
		{"numalgo 2", "did:peer:2.Vz6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc", long, did.ErrInvalidDID},
	}
	r := New(Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.ResolveShort(context.Background(), tc.short, tc.long)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil && res.Document.ID != tc.short {
				t.Errorf("id %q", res.Document.ID)
			}
		})
	}
	// A store that answers with the wrong long form is caught; a failing store is an
	// internal error.
	bad := New(Options{LongForms: memoryStore{short: long2}})
	if _, err := bad.Resolve(context.Background(), short); !errors.Is(err, ErrHashMismatch) {
		t.Errorf("wrong long form from the store: %v", err)
	}
	failing := New(Options{LongForms: failingStore{}})
	var re *did.ResolutionError
	if _, err := failing.Resolve(context.Background(), short); !errors.As(err, &re) || re.Code != did.CodeInternalError || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("failing store: %v", err)
	}
	if s, err := ShortForm(short); err == nil {
		t.Errorf("ShortForm of a short form: %q", s)
	}
}

type failingStore struct{}

func (failingStore) LongForm(context.Context, string) (string, error) {
	return "", context.DeadlineExceeded
}

func TestRegistry(t *testing.T) {
	ed, x, _ := generate(t)
	id, err := Create2([]Key{{did.Authentication, ed}, {did.KeyAgreement, x}}, []did.Service{{Type: []string{"DIDCommMessaging"}, ServiceEndpoint: json.RawMessage(`"https://example.com/didcomm"`)}})
	if err != nil {
		t.Fatal(err)
	}
	reg := did.NewRegistry()
	if err := reg.Register("peer", New(Options{})); err != nil {
		t.Fatal(err)
	}
	vm, err := reg.Dereference(context.Background(), id+"#key-2", did.KeyAgreement)
	if err != nil {
		t.Fatal(err)
	}
	if vm.ID != id+"#key-2" {
		t.Errorf("id %q", vm.ID)
	}
	if _, err := reg.Dereference(context.Background(), id+"#key-2", did.Authentication); !errors.Is(err, did.ErrVerificationRelationship) {
		t.Errorf("got %v, want %v", err, did.ErrVerificationRelationship)
	}
	u, err := reg.DereferenceService(context.Background(), id+"?service=service")
	if err != nil || u != "https://example.com/didcomm" {
		t.Errorf("service: %q, %v", u, err)
	}
}
