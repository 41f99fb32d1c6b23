package dcql

import (
	"fmt"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// Sentinels, shared with every Credence package so that errors.Is works across them.
var (
	ErrMalformed       = errs.ErrMalformed       // a query that breaks OpenID4VP 1.0 §6
	ErrTooLarge        = errs.ErrTooLarge        // a query over a size or count limit
	ErrTooDeep         = errs.ErrTooDeep         // a query nested too deeply
	ErrUnsupportedPath = errs.ErrUnsupportedPath // a claims path component that is not a string, index or null
	ErrNoMatch         = errs.ErrNoMatch         // credentials or a response that do not satisfy a query
)

// NoMatchError reports why a query cannot be satisfied. It wraps [ErrNoMatch]. Reasons
// name query ids, credential ids and claim paths, never claim values.
type NoMatchError struct {
	Reasons []string
}

// Error lists the reasons.
func (e *NoMatchError) Error() string {
	return "dcql: no match: " + strings.Join(e.Reasons, "; ")
}

// Unwrap returns ErrNoMatch.
func (e *NoMatchError) Unwrap() error { return ErrNoMatch }

func malformed(format string, args ...any) error {
	return fmt.Errorf("dcql: "+format+": %w", append(args, ErrMalformed)...)
}

func tooLarge(format string, args ...any) error {
	return fmt.Errorf("dcql: "+format+": %w", append(args, ErrTooLarge)...)
}
