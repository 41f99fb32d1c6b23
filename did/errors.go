package did

import (
	"errors"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package. Each failure wraps one of them; test with errors.Is.
var (
	// ErrInvalidDID: a string that is not a DID (DID Core §3.1).
	ErrInvalidDID = errs.ErrInvalidDID
	// ErrInvalidDIDURL: a string that is not a DID URL (DID Core §3.2), or a DID URL that
	// lacks a part the operation needs (a fragment, a service parameter).
	ErrInvalidDIDURL = errs.ErrInvalidDIDURL
	// ErrInvalidDIDDocument: a DID document that breaks DID Core §4 and §5.
	ErrInvalidDIDDocument = errs.ErrInvalidDIDDocument
	// ErrMethodNotSupported: no resolver is registered for the DID method.
	ErrMethodNotSupported = errs.ErrMethodNotSupported
	// ErrNotFound: the DID, service or other resource does not exist.
	ErrNotFound = errs.ErrNotFound
	// ErrVerificationMethodNotFound: the document has no verification method with that id.
	ErrVerificationMethodNotFound = errs.ErrVerificationMethodNotFound
	// ErrVerificationRelationship: the verification method exists but is not listed under the
	// requested verification relationship.
	ErrVerificationRelationship = errs.ErrVerificationRelationship
	// ErrMalformed: input that is not well-formed JSON.
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: input larger than the package accepts.
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON nested more deeply than the package accepts.
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidKey: a verification method whose key material is not a valid key.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrInsecureURL: a URL whose scheme is not allowed (for example http where https is required).
	ErrInsecureURL = errs.ErrInsecureURL
	// ErrForbiddenAddress: a URL that points to a forbidden network address.
	ErrForbiddenAddress = errs.ErrForbiddenAddress
	// ErrInvalidURL: a string that is not a valid URL.
	ErrInvalidURL = errs.ErrInvalidURL
	// ErrUnsupportedKeyType: key material of a kind package keys does not support; the
	// same value as keys.ErrUnsupportedKeyType.
	ErrUnsupportedKeyType = errs.ErrUnsupportedKeyType
)

// Errors defined by this package.
var (
	// ErrDeactivated: the DID has been deactivated (its document metadata says
	// deactivated: true, DID Core §7.1.3); its keys must not be used.
	ErrDeactivated = errs.ErrDeactivated
	// ErrAlreadyRegistered: a Registry already has a resolver for the method.
	ErrAlreadyRegistered = errors.New("did: method already registered")
	// ErrResolutionFailed: a resolver failed for a reason that no other sentinel names
	// (the W3C code internalError); the resolver's own error is wrapped beside it.
	ErrResolutionFailed = errs.ErrResolutionFailed
)
