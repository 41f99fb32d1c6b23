package netguard

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/credence-dev/credence/internal/errs"
)

// Sentinels of this package. The URL and address checks use the shared sentinels of
// internal/errs (ErrInsecureURL, ErrInvalidURL, ErrForbiddenAddress), and Get also
// ErrTooLarge and ErrNotFound; these cover what has no shared name yet.
var (
	// ErrHTTPStatus: the server answered with a status other than 2xx, 404 or 410.
	// The *StatusError in the chain holds the code.
	ErrHTTPStatus = errors.New("netguard: unexpected HTTP status")
	// ErrTooManyRedirects: the redirect chain is longer than Options.MaxRedirects.
	ErrTooManyRedirects = errors.New("netguard: too many redirects")
	// ErrInvalidConfig: New was called with a nil client, a negative limit or a
	// transport it cannot guard.
	ErrInvalidConfig = errors.New("netguard: invalid configuration")
)

// StatusError reports a response whose status is not 2xx. Err is errs.ErrNotFound for 404
// and 410 and ErrHTTPStatus for every other code, so callers test the kind with errors.Is
// and read the code with errors.As.
type StatusError struct {
	Code int   // HTTP status code
	Err  error // errs.ErrNotFound or ErrHTTPStatus
}

func newStatusError(code int) *StatusError {
	e := &StatusError{Code: code, Err: ErrHTTPStatus}
	if code == http.StatusNotFound || code == http.StatusGone {
		e.Err = errs.ErrNotFound
	}
	return e
}

// Error names the HTTP status.
func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP status %d: %v", e.Code, e.Err)
}

// Unwrap returns the sentinel.
func (e *StatusError) Unwrap() error { return e.Err }
