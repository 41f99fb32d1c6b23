package bbs

import "github.com/credence-dev/credence/internal/errs"

// Errors returned by this package. Each failure wraps one of them; test with errors.Is.
var (
	// ErrMalformed: an encoding that is not a signature, proof, key or scalar of this
	// ciphersuite (wrong length, a point off the curve or outside G1/G2, the identity, a
	// scalar that is zero or not below r).
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: more messages than MaxMessages, or a proof longer than one for
	// MaxMessages undisclosed messages.
	ErrTooLarge = errs.ErrTooLarge
	// ErrInvalidKey: a secret key that is zero or not below r, or key material shorter than
	// 32 bytes.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrInvalidSignature: a well-formed signature that does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature
	// ErrInvalidProof: a well-formed proof that does not verify, or disclosed indexes and
	// messages that do not fit it.
	ErrInvalidProof = errs.ErrInvalidProof
)
