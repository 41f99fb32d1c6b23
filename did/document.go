package did

import (
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
)

// MaxDocumentBytes is the largest DID document [ParseDocument] accepts.
const MaxDocumentBytes = 256 << 10

// The base contexts of DID Core 1.0 and 1.1 (DID Core §4.1, §6.3.1).
const (
	ContextV1  = "https://www.w3.org/ns/did/v1"
	ContextV11 = "https://www.w3.org/ns/did/v1.1"
)

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
//
// Members are kept as written: relative ids stay relative (use [Document.Methods] or
// [Document.VerificationMethodFor] for absolute ones), members this type does not model
// are kept in Extra, and a member given as an empty array stays an empty, non-nil slice,
// so that a parsed document marshals back to equal JSON. A nil slice is an absent member.
//
// A Document is not safe for concurrent mutation; concurrent reads are safe.
type Document struct {
	// Context is "@context": a string (one element) or an array of strings and objects
	// (map[string]any, numbers as json.Number), kept as given. It marshals as an array.
	// nil means no @context (the plain JSON representation).
	Context     []any
	ID          string
	AlsoKnownAs []string
	// Controller is a string or an array in JSON; a single one marshals as a string.
	Controller         []string
	VerificationMethod []VerificationMethod

	Authentication       []MethodRef
	AssertionMethod      []MethodRef
	KeyAgreement         []MethodRef
	CapabilityInvocation []MethodRef
	CapabilityDelegation []MethodRef

	Service []Service
	// Extra holds every other member as written; it round-trips. It must not hold a
	// member this type models ("id", "service", ...).
	Extra map[string]json.RawMessage
}

// MethodRef is an entry of a verification relationship (DID Core §5.3): a reference to a
// verification method by id, possibly relative ("#key-1"), or an embedded method, which
// holds for this relationship only. Exactly one of ID and Embedded is set.
type MethodRef struct {
	ID       string
	Embedded *VerificationMethod
}

// VerificationMethod is a verification method (DID Core §5.2).
type VerificationMethod struct {
	// ID is a DID URL, absolute or relative to the document's id, as written.
	ID         string
	Type       string
	Controller string
	// PublicKeyJwk is the publicKeyJwk member exactly as in the document, or nil.
	PublicKeyJwk json.RawMessage
	// PublicKeyMultibase is the publicKeyMultibase member, or "" when absent.
	PublicKeyMultibase string
	// Extra holds every other member (publicKeyBase58, ...), kept as written.
	Extra map[string]json.RawMessage
}

// Service is a service (DID Core §5.4).
type Service struct {
	// ID is a URI, or a DID URL relative to the document's id ("#linked-domain").
	ID string
	// Type is a string or a set of strings in JSON; a single one marshals as a string.
	Type []string
	// ServiceEndpoint is the serviceEndpoint member as written: a string, a map or a set.
	ServiceEndpoint json.RawMessage
	// Extra holds every other member, kept as written.
	Extra map[string]json.RawMessage
}

// ParseDocument decodes data strictly with the limits of internal/jsonx (at most
// [MaxDocumentBytes]; duplicate member names, invalid UTF-8, trailing data and excess
// nesting are rejected) and validates the result with [Document.Validate].
//
// Errors wrap [ErrTooLarge], [ErrTooDeep] or [ErrMalformed] for JSON that is not
// acceptable, and [ErrInvalidDIDDocument] for a document that breaks DID Core (a member
// of the wrong JSON type, an invalid id, ...).
func ParseDocument(data []byte) (*Document, error) {
	if len(data) > MaxDocumentBytes {
		return nil, fmt.Errorf("did: document of %d bytes, more than %d: %w", len(data), MaxDocumentBytes, ErrTooLarge)
	}
	if err := jsonx.Validate(data, jsonx.Limits{MaxBytes: MaxDocumentBytes}); err != nil {
		return nil, fmt.Errorf("did: document: %w", err)
	}
	d, err := unmarshalDocument(data, true)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// validRelationship reports whether rel is one of the five relationships of DID Core.
func validRelationship(rel Relationship) bool {
	switch rel {
	case Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation:
		return true
	}
	return false
}

// relationship returns the entries of rel, and false for an unknown relationship.
func (d *Document) relationship(rel Relationship) ([]MethodRef, bool) {
	switch rel {
	case Authentication:
		return d.Authentication, true
	case AssertionMethod:
		return d.AssertionMethod, true
	case KeyAgreement:
		return d.KeyAgreement, true
	case CapabilityInvocation:
		return d.CapabilityInvocation, true
	case CapabilityDelegation:
		return d.CapabilityDelegation, true
	}
	return nil, false
}

// relationships lists the five relationships in DID Core order.
var relationships = [...]Relationship{Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation}
