package pex

import (
	"fmt"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// Sentinels, shared with every Credence package so that errors.Is works across them.
var (
	ErrMalformed         = errs.ErrMalformed         // a definition or submission that breaks PEX v2
	ErrTooLarge          = errs.ErrTooLarge          // over a size or count limit
	ErrTooDeep           = errs.ErrTooDeep           // nested too deeply
	ErrUnsupportedPath   = errs.ErrUnsupportedPath   // a path that is not RFC 9535 JSONPath
	ErrUnsupportedSchema = errs.ErrUnsupportedSchema // a filter that does not compile
	ErrRemoteReference   = errs.ErrRemoteReference   // a filter with a $ref outside itself
	ErrUnsafePattern     = errs.ErrUnsafePattern     // a filter regular expression that needs backtracking
	ErrNoMatch           = errs.ErrNoMatch           // credentials or a submission that do not satisfy a definition
)

// NoMatchError reports why a definition cannot be satisfied. It wraps [ErrNoMatch].
// Reasons name descriptor ids, candidate ids and paths, never claim values.
type NoMatchError struct {
	Reasons []string
}

// Error lists the reasons.
func (e *NoMatchError) Error() string { return "pex: no match: " + strings.Join(e.Reasons, "; ") }

// Unwrap returns ErrNoMatch.
func (e *NoMatchError) Unwrap() error { return ErrNoMatch }

func malformed(format string, args ...any) error {
	return fmt.Errorf("pex: "+format+": %w", append(args, ErrMalformed)...)
}
