package status

import (
	"errors"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package. Every failure wraps one of them; test with errors.Is.
// Except ErrListFull, they are the library-wide sentinels, so errors.Is(err, vc.ErrX)
// works as well.
var (
	// ErrRevoked: a revocation entry's status is set, or a token list says INVALID.
	ErrRevoked = errs.ErrRevoked
	// ErrSuspended: a suspension entry's status is set, or a token list says SUSPENDED.
	ErrSuspended = errs.ErrSuspended
	// ErrStatusVerification: the status list could not be verified: the callback refused
	// it, it is of another issuer, another purpose, another URL, or outside its validity.
	ErrStatusVerification = errs.ErrStatusVerification
	// ErrStatusRetrieval: the status list could not be fetched (no Fetcher, network error,
	// refused address, HTTP error).
	ErrStatusRetrieval = errs.ErrStatusRetrieval
	// ErrStatusIndex: a statusListIndex or idx that is not a non-negative integer in the
	// required syntax.
	ErrStatusIndex = errs.ErrStatusIndex
	// ErrStatusRange: an index past the end of the list, or a status value too wide for it.
	ErrStatusRange = errs.ErrStatusRange
	// ErrStatusListLength: a bitstring with fewer entries than the minimum (131,072).
	ErrStatusListLength = errs.ErrStatusListLength
	// ErrTooLarge: a list that inflates past the limit (16 MiB), or input over a size limit.
	ErrTooLarge = errs.ErrTooLarge
	// ErrMalformed: JSON, base64url, multibase, GZIP or ZLIB that is not well-formed, or a
	// member of the wrong type.
	ErrMalformed = errs.ErrMalformed
	// ErrTooDeep: JSON nested more deeply than 64 levels.
	ErrTooDeep = errs.ErrTooDeep
	// ErrUnsupportedFormat: a status entry type this package does not check.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
	// ErrInvalidOptions: out-of-range arguments to a constructor or builder.
	ErrInvalidOptions = errs.ErrInvalidOptions
	// ErrIssuerMismatch: wrapped with ErrStatusVerification when the list is of another issuer.
	ErrIssuerMismatch = errs.ErrIssuerMismatch
	// ErrExpired: wrapped with ErrStatusVerification when the list is past validUntil or exp.
	ErrExpired = errs.ErrExpired
	// ErrNotYetValid: wrapped with ErrStatusVerification when the list is before validFrom.
	ErrNotYetValid = errs.ErrNotYetValid
	// ErrForbiddenAddress: an HTTPFetcher refused a loopback, private or link-local target.
	ErrForbiddenAddress = errs.ErrForbiddenAddress
	// ErrInsecureURL: an HTTPFetcher refused a URL that is not https.
	ErrInsecureURL = errs.ErrInsecureURL
	// ErrIssuedInFuture: wrapped with ErrStatusVerification when a token's iat is ahead.
	ErrIssuedInFuture = errs.ErrIssuedInFuture
)

// ErrListFull: an Allocator has handed out every index of its list.
var ErrListFull = errors.New("status: no free index left in the status list")
