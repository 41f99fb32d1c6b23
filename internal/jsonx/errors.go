package jsonx

import (
	"fmt"

	"github.com/credence-dev/credence/internal/errs"
)

// SyntaxError reports input that is not strict JSON or that nests too deeply, and where the
// problem was found. Its message never contains input text.
type SyntaxError struct {
	Offset int64  // byte offset in the input at which the problem was detected
	Msg    string // what is wrong, such as "duplicate member name"
	Err    error  // errs.ErrMalformed or errs.ErrTooDeep
}

// Error returns the message and the offset.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonx: %s at offset %d", e.Msg, e.Offset)
}

// Unwrap returns the sentinel, so errors.Is(err, errs.ErrMalformed) works.
func (e *SyntaxError) Unwrap() error { return e.Err }

func malformed(off int, msg string) error {
	return &SyntaxError{Offset: int64(off), Msg: msg, Err: errs.ErrMalformed}
}

func tooDeep(off, limit int) error {
	return &SyntaxError{Offset: int64(off), Msg: fmt.Sprintf("nesting deeper than %d levels", limit), Err: errs.ErrTooDeep}
}
