package keys

import "github.com/credence-dev/credence/internal/errs"

// Errors returned by this package. Each failure wraps one of them; test with errors.Is.
var (
	// ErrMalformed: the input is not well-formed (JSON, base64url, multibase, lengths).
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: the input is larger than the package accepts.
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON nested more deeply than the package accepts.
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidKey: the key is well-formed but not a valid key (off-curve point, bad length,
	// contradictory members).
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrUnsupportedKeyType: a key type outside policy (RSA, HMAC "oct", P-521, BLS12-381 G1 and G1+G2).
	ErrUnsupportedKeyType = errs.ErrUnsupportedKeyType
	// ErrPrivateKeyMaterial: private members where a public key was expected.
	ErrPrivateKeyMaterial = errs.ErrPrivateKeyMaterial
	// ErrAlgorithmNotAllowed: an algorithm name outside policy ("none", HMAC, RSA, ES512, ...).
	ErrAlgorithmNotAllowed = errs.ErrAlgorithmNotAllowed
	// ErrAlgorithmKeyMismatch: an algorithm that does not belong to the key.
	ErrAlgorithmKeyMismatch = errs.ErrAlgorithmKeyMismatch
	// ErrInvalidSignature: the signature does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature
)
