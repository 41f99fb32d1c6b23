package did

import (
	"context"
	"encoding/json"
	"time"
)

// Resolver resolves a DID to a DID document (DID Resolution §4).
type Resolver interface {
	Resolve(ctx context.Context, did string) (*Resolution, error)
}

// Resolution is the result of resolving a DID.
type Resolution struct {
	Document           *Document          `json:"didDocument"`
	DocumentMetadata   DocumentMetadata   `json:"didDocumentMetadata"`
	ResolutionMetadata ResolutionMetadata `json:"didResolutionMetadata"`
}

// DocumentMetadata is the DID document metadata (DID Core §7.1.3).
type DocumentMetadata struct {
	Created      *time.Time
	Updated      *time.Time
	Deactivated  bool
	VersionID    string
	EquivalentID []string
	CanonicalID  string
	Extra        map[string]json.RawMessage
}

// ResolutionMetadata is the DID resolution metadata (DID Core §7.1.2).
type ResolutionMetadata struct {
	ContentType string
	Error       string
	Extra       map[string]json.RawMessage
}

// Error codes of DID Resolution (DID Core §7.1.2 and the DID Specification Registries).
const (
	CodeInvalidDID                 = "invalidDid"
	CodeInvalidDIDURL              = "invalidDidUrl"
	CodeNotFound                   = "notFound"
	CodeMethodNotSupported         = "methodNotSupported"
	CodeRepresentationNotSupported = "representationNotSupported"
	CodeInvalidDIDDocument         = "invalidDidDocument"
	CodeInternalError              = "internalError"
	CodeInvalidPublicKey           = "invalidPublicKey"
)

// ResolutionError is a failed resolution or dereference with its DID Resolution error code.
type ResolutionError struct {
	Code string // one of the Code constants
	DID  string // the DID or DID URL being resolved
	Err  error  // wraps a sentinel
}

// NewResolutionError returns a ResolutionError.
func NewResolutionError(code, did string, err error) *ResolutionError {
	return &ResolutionError{Code: code, DID: did, Err: err}
}

func (e *ResolutionError) Error() string {
	return "did: resolving " + e.DID + ": " + e.Code
}

// Unwrap returns e.Err.
func (e *ResolutionError) Unwrap() error { return e.Err }
