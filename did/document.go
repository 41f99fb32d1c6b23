package did

import (
	"crypto"
	"encoding/json"
)

// MaxDocumentBytes is the largest DID document [ParseDocument] accepts.
const MaxDocumentBytes = 256 << 10

// Relationship is a verification relationship (DID Core §5.3).
type Relationship string

// The verification relationships of DID Core §5.3.
const (
	Authentication       Relationship = "authentication"
	AssertionMethod      Relationship = "assertionMethod"
	KeyAgreement         Relationship = "keyAgreement"
	CapabilityInvocation Relationship = "capabilityInvocation"
	CapabilityDelegation Relationship = "capabilityDelegation"
)

// Document is a DID document (DID Core §4, §5) in its JSON representation.
type Document struct {
	// Context is "@context": a string or an array of strings and objects, kept as given.
	Context            []any
	ID                 string
	AlsoKnownAs        []string
	Controller         []string // JSON: a string or an array; a single one marshals as a string
	VerificationMethod []VerificationMethod

	Authentication       []MethodRef
	AssertionMethod      []MethodRef
	KeyAgreement         []MethodRef
	CapabilityInvocation []MethodRef
	CapabilityDelegation []MethodRef

	Service []Service
	// Extra holds every other member, kept as written; it round-trips.
	Extra map[string]json.RawMessage
}

// MethodRef is an entry of a verification relationship: a reference to a verification
// method (ID, possibly relative) or an embedded one (Embedded, with ID empty).
type MethodRef struct {
	ID       string
	Embedded *VerificationMethod
}

// VerificationMethod is a verification method (DID Core §5.2).
type VerificationMethod struct {
	ID         string
	Type       string
	Controller string
	// PublicKeyJwk is the publicKeyJwk member exactly as in the document, or nil.
	PublicKeyJwk       json.RawMessage
	PublicKeyMultibase string
	// Extra holds every other member (publicKeyBase58, ...), kept as written.
	Extra map[string]json.RawMessage
}

// Service is a service (DID Core §5.4).
type Service struct {
	ID   string
	Type []string // JSON: a string or a set of strings
	// ServiceEndpoint is the serviceEndpoint member as written: a string, a map or a set.
	ServiceEndpoint json.RawMessage
	Extra           map[string]json.RawMessage
}

// ParseDocument decodes data strictly (at most [MaxDocumentBytes], duplicate keys
// rejected) and validates it with [Document.Validate].
func ParseDocument(data []byte) (*Document, error) {
	return nil, ErrInvalidDIDDocument
}

// Validate checks d against DID Core. Errors wrap [ErrInvalidDIDDocument].
func (d *Document) Validate() error {
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d *Document) MarshalJSON() ([]byte, error) {
	return nil, ErrInvalidDIDDocument
}

// UnmarshalJSON implements json.Unmarshaler. It checks JSON types only; use
// [ParseDocument] for untrusted input.
func (d *Document) UnmarshalJSON(data []byte) error {
	return ErrInvalidDIDDocument
}

// VerificationMethodFor returns the verification method ref names, if rel authorises it.
func (d *Document) VerificationMethodFor(ref string, rel Relationship) (*VerificationMethod, error) {
	return nil, ErrVerificationMethodNotFound
}

// Methods returns the verification methods of rel, with ids made absolute.
func (d *Document) Methods(rel Relationship) ([]VerificationMethod, error) {
	return nil, ErrVerificationRelationship
}

// PublicKey returns the public key of vm, from publicKeyJwk or publicKeyMultibase.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	return nil, ErrInvalidKey
}
