package did

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Resolver resolves a DID to a DID document (DID Resolution: the resolve function).
//
// A Resolver returns a non-nil *Resolution with a Document whose id is did, or an error
// that wraps a sentinel of this package, preferably a [*ResolutionError]. Implementations
// must be safe for concurrent use and must not keep ctx.
type Resolver interface {
	Resolve(ctx context.Context, did string) (*Resolution, error)
}

// Resolution is the result of resolving a DID (DID Core §7.1).
type Resolution struct {
	Document           *Document          `json:"didDocument"`
	DocumentMetadata   DocumentMetadata   `json:"didDocumentMetadata"`
	ResolutionMetadata ResolutionMetadata `json:"didResolutionMetadata"`
}

// DocumentMetadata is the DID document metadata (DID Core §7.1.3). Its JSON form has the
// members created, updated, deactivated, versionId, equivalentId and canonicalId; every
// other member is kept in Extra. Times are RFC 3339 and marshal in UTC without fractional
// seconds, as DID Core asks.
type DocumentMetadata struct {
	Created      *time.Time
	Updated      *time.Time
	Deactivated  bool
	VersionID    string
	EquivalentID []string
	CanonicalID  string
	Extra        map[string]json.RawMessage
}

// ResolutionMetadata is the DID resolution metadata (DID Core §7.1.2): contentType and
// error; every other member is kept in Extra.
type ResolutionMetadata struct {
	ContentType string
	// Error is a DID Resolution error code (the Code constants); empty on success.
	Error string
	Extra map[string]json.RawMessage
}

// Error codes of DID Resolution (DID Core §7.1.2, DID Resolution, and the DID
// Specification Registries).
const (
	CodeInvalidDID                 = "invalidDid"
	CodeInvalidDIDURL              = "invalidDidUrl"
	CodeNotFound                   = "notFound"
	CodeMethodNotSupported         = "methodNotSupported"
	CodeRepresentationNotSupported = "representationNotSupported"
	CodeInvalidDIDDocument         = "invalidDidDocument"
	CodeInternalError              = "internalError"
	CodeInvalidPublicKey           = "invalidPublicKey"
	CodeUnsupportedPublicKeyType   = "unsupportedPublicKeyType"
	CodeInvalidPublicKeyLength     = "invalidPublicKeyLength" // did:key and did:peer key bytes of the wrong length
	CodeInvalidOptions             = "invalidOptions"
	// CodeDeactivated is not a W3C error code. DID Resolution reports a deactivated DID
	// as a success with didDocumentMetadata.deactivated true; a [Registry] reports it as
	// an error with this code (wrapping [ErrDeactivated]) so that its keys are never used
	// by mistake. A resolution server should answer with the metadata (HTTP 410).
	CodeDeactivated = "deactivated"
)

// ResolutionError is a failed resolution or dereference with its DID Resolution error
// code, for servers that must report one.
type ResolutionError struct {
	Code string // one of the Code constants
	DID  string // the DID or DID URL being resolved
	Err  error  // wraps a sentinel of this package
}

// NewResolutionError returns a ResolutionError. A nil err is replaced by the sentinel
// that code stands for.
func NewResolutionError(code, did string, err error) *ResolutionError {
	if err == nil {
		err = sentinelFor(code)
	}
	return &ResolutionError{Code: code, DID: did, Err: err}
}

// Error returns the code, the DID and the detail.
func (e *ResolutionError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("did: resolving %s: %s", quote(e.DID), e.Code)
	}
	return fmt.Sprintf("did: resolving %s: %s: %v", quote(e.DID), e.Code, e.Err)
}

// Unwrap returns e.Err.
func (e *ResolutionError) Unwrap() error { return e.Err }

// codeFor returns the code for an error a resolver returned that is not a
// *ResolutionError.
func codeFor(err error) string {
	switch {
	case errors.Is(err, ErrInvalidDID):
		return CodeInvalidDID
	case errors.Is(err, ErrInvalidDIDURL):
		return CodeInvalidDIDURL
	case errors.Is(err, ErrNotFound):
		return CodeNotFound
	case errors.Is(err, ErrMethodNotSupported):
		return CodeMethodNotSupported
	case errors.Is(err, ErrInvalidDIDDocument):
		return CodeInvalidDIDDocument
	case errors.Is(err, ErrInvalidKey):
		return CodeInvalidPublicKey
	case errors.Is(err, ErrUnsupportedKeyType):
		return CodeUnsupportedPublicKeyType
	case errors.Is(err, ErrDeactivated):
		return CodeDeactivated
	}
	return CodeInternalError
}

// sentinelFor returns the sentinel for a code, for codes that come without an error.
func sentinelFor(code string) error {
	switch code {
	case CodeInvalidDID:
		return ErrInvalidDID
	case CodeInvalidDIDURL:
		return ErrInvalidDIDURL
	case CodeNotFound:
		return ErrNotFound
	case CodeMethodNotSupported:
		return ErrMethodNotSupported
	case CodeInvalidDIDDocument:
		return ErrInvalidDIDDocument
	case CodeInvalidPublicKey:
		return ErrInvalidKey
	case CodeUnsupportedPublicKeyType:
		return ErrUnsupportedKeyType
	case CodeDeactivated:
		return ErrDeactivated
	}
	return ErrResolutionFailed
}

// MarshalJSON implements [json.Marshaler].
func (m DocumentMetadata) MarshalJSON() ([]byte, error) {
	var w objWriter
	saved := w.open()
	if m.Created != nil {
		w.str("created", m.Created.UTC().Format(time.RFC3339))
	}
	if m.Updated != nil {
		w.str("updated", m.Updated.UTC().Format(time.RFC3339))
	}
	if m.Deactivated {
		w.key("deactivated")
		w.b = append(w.b, "true"...)
	}
	if m.VersionID != "" {
		w.str("versionId", m.VersionID)
	}
	if m.EquivalentID != nil {
		w.key("equivalentId")
		w.strings(m.EquivalentID)
	}
	if m.CanonicalID != "" {
		w.str("canonicalId", m.CanonicalID)
	}
	if err := w.extra(m.Extra, isDocumentMetadataMember); err != nil {
		return nil, err
	}
	w.close(saved)
	return w.b, nil
}

func isDocumentMetadataMember(k string) bool {
	switch k {
	case "created", "updated", "deactivated", "versionId", "equivalentId", "canonicalId":
		return true
	}
	return false
}

// UnmarshalJSON implements [json.Unmarshaler]. A member of the wrong type wraps
// [ErrMalformed].
func (m *DocumentMetadata) UnmarshalJSON(data []byte) error {
	d, i, j, err := newDecoder(data, false)
	if err != nil {
		return err
	}
	d.metadata = true
	var out DocumentMetadata
	err = d.object(i, j, func(k string, vi, vj int) error {
		var err error
		switch k {
		case "created", "updated":
			var s string
			if s, err = d.str(vi, vj); err != nil {
				return err
			}
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return fmt.Errorf("did: metadata %s: not an RFC 3339 time: %w", d.pointer(), ErrMalformed)
			}
			if k == "created" {
				out.Created = &t
			} else {
				out.Updated = &t
			}
		case "deactivated":
			switch d.s[vi:vj] {
			case "true":
				out.Deactivated = true
			case "false":
			default:
				return d.wrongType("a boolean")
			}
		case "versionId":
			out.VersionID, err = d.str(vi, vj)
		case "equivalentId":
			out.EquivalentID, err = d.strings(vi, vj)
		case "canonicalId":
			out.CanonicalID, err = d.str(vi, vj)
		default:
			if out.Extra == nil {
				out.Extra = make(map[string]json.RawMessage)
			}
			out.Extra[k] = d.rawValue(vi, vj)
		}
		return err
	})
	if err != nil {
		return err
	}
	*m = out
	return nil
}

// MarshalJSON implements [json.Marshaler].
func (m ResolutionMetadata) MarshalJSON() ([]byte, error) {
	var w objWriter
	saved := w.open()
	if m.ContentType != "" {
		w.str("contentType", m.ContentType)
	}
	if m.Error != "" {
		w.str("error", m.Error)
	}
	if err := w.extra(m.Extra, func(k string) bool { return k == "contentType" || k == "error" }); err != nil {
		return nil, err
	}
	w.close(saved)
	return w.b, nil
}

// UnmarshalJSON implements [json.Unmarshaler]. A member of the wrong type wraps
// [ErrMalformed].
func (m *ResolutionMetadata) UnmarshalJSON(data []byte) error {
	d, i, j, err := newDecoder(data, false)
	if err != nil {
		return err
	}
	d.metadata = true
	var out ResolutionMetadata
	err = d.object(i, j, func(k string, vi, vj int) error {
		var err error
		switch k {
		case "contentType":
			out.ContentType, err = d.str(vi, vj)
		case "error":
			out.Error, err = d.str(vi, vj)
		default:
			if out.Extra == nil {
				out.Extra = make(map[string]json.RawMessage)
			}
			out.Extra[k] = d.rawValue(vi, vj)
		}
		return err
	})
	if err != nil {
		return err
	}
	*m = out
	return nil
}
