package web

import (
	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package, besides the sentinels of package did
// (did.ErrInvalidDID, did.ErrForbiddenAddress, did.ErrInsecureURL, did.ErrNotFound,
// did.ErrTooLarge, did.ErrInvalidDIDDocument, ...). Test for them with errors.Is.
var (
	// ErrInvalidOptions: New was called with a nil client or with Options it cannot honour.
	ErrInvalidOptions = errs.ErrInvalidOptions
	// ErrUnsupportedFormat: the server answered with a media type that is not a JSON
	// representation of a DID document. It is the shared sentinel of every Credence
	// package, so errors.Is works whichever package reported it.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
)
