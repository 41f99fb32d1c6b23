package universal

import (
	"errors"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package, besides the sentinels of package did. Test for them
// with errors.Is.
var (
	// ErrInvalidOptions: New was called with a nil client or with Options it cannot honour
	// (no BaseURL, an http or non-public BaseURL, no Methods, a negative limit).
	ErrInvalidOptions = errs.ErrInvalidOptions
	// ErrRemote: the failure was reported by the resolution server (an error code in its
	// resolution metadata, or an HTTP error status), not found by this package. It is
	// wrapped beside the sentinel of the reported code, such as did.ErrNotFound.
	ErrRemote = errors.New("universal: error reported by the resolver")
	// ErrUnsupportedFormat: the server answered with a media type that is not a DID
	// resolution result or a JSON representation of a DID document. It is the shared
	// sentinel of every Credence package.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
)
