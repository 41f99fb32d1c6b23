package did

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/keys"
)

const exampleDID = "did:example:123456789abcdefghi"

func mustParseDocument(t testing.TB, name string) *Document {
	t.Helper()
	doc, err := ParseDocument(readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func TestVerificationMethodFor(t *testing.T) {
	basic := mustParseDocument(t, "valid-basic.json")
	relative := mustParseDocument(t, "valid-relative-ids.json")
	embedded := mustParseDocument(t, "valid-embedded-assertion.json")
	single := mustParseDocument(t, "valid-single-controller.json")
	tests := []struct {
		name   string
		doc    *Document
		ref    string
		rel    Relationship
		wantID string
		want   error
	}{
		{"absolute ref", basic, exampleDID + "#key-1", Authentication, exampleDID + "#key-1", nil},
		{"relative ref", basic, "#key-2", AssertionMethod, exampleDID + "#key-2", nil},
		{"authentication only, asked for assertionMethod", basic, "#key-1", AssertionMethod, "", ErrVerificationRelationship},
		{"assertionMethod only, asked for authentication", basic, exampleDID + "#key-2", Authentication, "", ErrVerificationRelationship},
		{"not in any relationship", basic, "#key-2", KeyAgreement, "", ErrVerificationRelationship},
		{"unknown method", basic, "#key-3", Authentication, "", ErrVerificationMethodNotFound},
		{"service id is not a method", basic, "#files", Authentication, "", ErrVerificationMethodNotFound},
		{"other DID", basic, "did:example:other#key-1", Authentication, "", ErrVerificationMethodNotFound},
		{"unknown relationship", basic, "#key-1", Relationship("authenticate"), "", ErrVerificationRelationship},
		{"invalid ref", basic, "key-1", Authentication, "", ErrInvalidDIDURL},
		{"invalid ref escape", basic, "#key%2", Authentication, "", ErrInvalidDIDURL},
		{"relative ids in document", relative, "#key-1", Authentication, exampleDID + "#key-1", nil},
		{"relative id, absolute ref", relative, exampleDID + "#key-1", CapabilityInvocation, exampleDID + "#key-1", nil},
		{"relative ids, other relationship", relative, "#key-1", CapabilityDelegation, "", ErrVerificationRelationship},
		{"embedded in assertionMethod", embedded, "#assert-1", AssertionMethod, exampleDID + "#assert-1", nil},
		{"embedded in assertionMethod, asked for authentication", embedded, "#assert-1", Authentication, "", ErrVerificationRelationship},
		{"reference into another document is not followed", single, "did:example:bcehfew7h32f32h7af3#key-9", Authentication, "", ErrVerificationMethodNotFound},
		{"percent-encoding is not normalised", basic, exampleDID + "#key%2D1", Authentication, "", ErrVerificationMethodNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := tt.doc.VerificationMethodFor(tt.ref, tt.rel)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err != nil {
				if vm != nil {
					t.Errorf("got a method with an error")
				}
				return
			}
			if vm.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", vm.ID, tt.wantID)
			}
		})
	}
}

func TestVerificationMethodForCopies(t *testing.T) {
	doc := mustParseDocument(t, "valid-basic.json")
	vm, err := doc.VerificationMethodFor("#key-2", AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	vm.PublicKeyJwk[0] = '['
	vm.Controller = "did:example:mallory"
	if doc.VerificationMethod[1].PublicKeyJwk[0] != '{' || doc.VerificationMethod[1].Controller != exampleDID {
		t.Error("changing the result changed the document")
	}
}

// TestVerificationMethodForUnvalidated covers documents built in Go, which Validate
// would reject.
func TestVerificationMethodForUnvalidated(t *testing.T) {
	doc := &Document{
		ID: exampleDID,
		VerificationMethod: []VerificationMethod{
			{ID: "#key-1", Type: "Multikey", Controller: exampleDID, PublicKeyMultibase: "z6Mk"},
		},
		Authentication:  []MethodRef{{ID: "#key-2"}},
		AssertionMethod: []MethodRef{{ID: "#key-1"}, {Embedded: &VerificationMethod{ID: "#emb"}}},
	}
	if _, err := doc.VerificationMethodFor("#key-2", Authentication); !errors.Is(err, ErrVerificationMethodNotFound) {
		t.Errorf("dangling reference: error = %v, want %v", err, ErrVerificationMethodNotFound)
	}
	if _, err := doc.Methods(Authentication); !errors.Is(err, ErrVerificationMethodNotFound) {
		t.Errorf("Methods with a dangling reference: error = %v, want %v", err, ErrVerificationMethodNotFound)
	}
	bad := &Document{ID: "not a did"}
	if _, err := bad.VerificationMethodFor("#k", Authentication); !errors.Is(err, ErrInvalidDIDDocument) {
		t.Errorf("invalid document id: error = %v, want %v", err, ErrInvalidDIDDocument)
	}
	if _, err := bad.Methods(Authentication); !errors.Is(err, ErrInvalidDIDDocument) {
		t.Errorf("Methods, invalid document id: error = %v, want %v", err, ErrInvalidDIDDocument)
	}
}

func TestMethods(t *testing.T) {
	doc := mustParseDocument(t, "valid-embedded-assertion.json")
	got, err := doc.Methods(AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	want := []VerificationMethod{{
		ID:           exampleDID + "#assert-1",
		Type:         "JsonWebKey",
		Controller:   exampleDID,
		PublicKeyJwk: json.RawMessage(`{"kty":"EC","crv":"P-256","x":"acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0","y":"_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE"}`),
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Methods(assertionMethod) (-want +got):\n%s", diff)
	}
	got, err = doc.Methods(Authentication)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != exampleDID+"#key-1" || got[0].PublicKeyMultibase == "" {
		t.Errorf("Methods(authentication) = %+v", got)
	}
	if got, err := doc.Methods(KeyAgreement); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Methods(keyAgreement) = %v, %v; want empty", got, err)
	}
	single := mustParseDocument(t, "valid-single-controller.json")
	if got, err := single.Methods(Authentication); err != nil || len(got) != 0 {
		t.Errorf("Methods with only an external reference = %v, %v; want empty", got, err)
	}
	if _, err := doc.Methods("nope"); !errors.Is(err, ErrVerificationRelationship) {
		t.Errorf("unknown relationship: error = %v, want %v", err, ErrVerificationRelationship)
	}
}

func TestPublicKey(t *testing.T) {
	doc := mustParseDocument(t, "valid-basic.json")
	mk, err := doc.VerificationMethodFor("#key-1", Authentication)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := mk.PublicKey()
	if err != nil {
		t.Fatalf("Multikey: %v", err)
	}
	want, err := keys.ParseMultikey("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pub.(ed25519.PublicKey); !ok || !keys.Equal(pub, want) {
		t.Errorf("Multikey key = %T %v, want %v", pub, pub, want)
	}
	jwk, err := doc.VerificationMethodFor("#key-2", AssertionMethod)
	if err != nil {
		t.Fatal(err)
	}
	pub, err = jwk.PublicKey()
	if err != nil {
		t.Fatalf("JWK: %v", err)
	}
	if _, ok := pub.(*ecdsa.PublicKey); !ok {
		t.Errorf("JWK key = %T, want *ecdsa.PublicKey", pub)
	}

	const mb = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	realJWK := doc.VerificationMethod[1].PublicKeyJwk
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name string
		vm   VerificationMethod
		want error
	}{
		{"Ed25519VerificationKey2020 multibase", VerificationMethod{Type: "Ed25519VerificationKey2020", PublicKeyMultibase: mb}, nil},
		{"JsonWebKey2020", VerificationMethod{Type: "JsonWebKey2020", PublicKeyJwk: realJWK}, nil},
		{"publicKeyBase58", VerificationMethod{Type: "Ed25519VerificationKey2018", Extra: map[string]json.RawMessage{"publicKeyBase58": raw(`"H3C2AVvLMv6gmMNam3uVAjZpfkcJCwDwnZn6z3wXmqPV"`)}}, keys.ErrUnsupportedKeyType},
		{"publicKeyHex", VerificationMethod{Type: "X", Extra: map[string]json.RawMessage{"publicKeyHex": raw(`"00"`)}}, keys.ErrUnsupportedKeyType},
		{"no key", VerificationMethod{Type: "Multikey"}, ErrInvalidKey},
		{"both", VerificationMethod{Type: "X", PublicKeyMultibase: mb, PublicKeyJwk: realJWK}, ErrInvalidKey},
		{"multibase and base58", VerificationMethod{Type: "X", PublicKeyMultibase: mb, Extra: map[string]json.RawMessage{"publicKeyBase58": raw(`"x"`)}}, ErrInvalidKey},
		{"Multikey with a JWK", VerificationMethod{Type: "Multikey", PublicKeyJwk: realJWK}, ErrInvalidKey},
		{"JsonWebKey with multibase", VerificationMethod{Type: "JsonWebKey", PublicKeyMultibase: mb}, ErrInvalidKey},
		{"private JWK", VerificationMethod{Type: "JsonWebKey", PublicKeyJwk: raw(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`)}, keys.ErrPrivateKeyMaterial},
		{"HMAC JWK", VerificationMethod{Type: "JsonWebKey", PublicKeyJwk: raw(`{"kty":"oct","k":"AAAA"}`)}, nil},
		{"bad multibase", VerificationMethod{Type: "Multikey", PublicKeyMultibase: "z0OIl"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.vm.ID = "#k"
			pub, err := tt.vm.PublicKey()
			switch {
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("error = %v, want %v", err, tt.want)
			case tt.want == nil && (tt.name == "HMAC JWK" || tt.name == "bad multibase"):
				// Rejected by package keys; the sentinel is its choice.
				if err == nil || !isSentinel(err) {
					t.Fatalf("error = %v, want a sentinel of package keys", err)
				}
			case tt.want == nil && err != nil:
				t.Fatalf("error = %v", err)
			}
			if (err == nil) == (pub == nil) {
				t.Errorf("PublicKey = %v, %v: want exactly one non-nil", pub, err)
			}
		})
	}
}

// TestMethodsLarge checks that a document of the largest accepted size is listed and
// validated in linear time.
func TestMethodsLarge(t *testing.T) {
	var b []byte
	b = append(b, `{"id":"did:example:1","verificationMethod":[`...)
	n := 0
	for len(b) < MaxDocumentBytes/2-200 {
		if n > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"id":"#k%d","type":"T","controller":"did:example:1"}`, n)
		n++
	}
	b = append(b, `],"authentication":[`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `"#k%d"`, i)
	}
	b = append(b, `]}`...)
	start := time.Now()
	doc, err := ParseDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	vms, err := doc.Methods(Authentication)
	if err != nil || len(vms) != n {
		t.Fatalf("Methods = %d methods, %v; want %d", len(vms), err, n)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d methods took %v", n, d)
	}
}
