package jose

import "github.com/credence-dev/credence/internal/errs"

var (
	errMalformed       = errs.ErrMalformed
	errTooLarge        = errs.ErrTooLarge
	errInvalidType     = errs.ErrInvalidType
	errAlgNotAllowed   = errs.ErrAlgorithmNotAllowed
	errAlgKeyMismatch  = errs.ErrAlgorithmKeyMismatch
	errCritical        = errs.ErrUnsupportedCritical
	errKeySource       = errs.ErrUntrustedKeySource
	errExpired         = errs.ErrExpired
	errNotYetValid     = errs.ErrNotYetValid
	errIssuedInFuture  = errs.ErrIssuedInFuture
	errUnsupportedForm = errs.ErrUnsupportedFormat
	errInvalidKey      = errs.ErrInvalidKey
)
