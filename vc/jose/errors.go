package jose

import "github.com/credence-dev/credence/internal/errs"

// Errors returned by this package. Every failure wraps one of them; test with errors.Is.
// They are the library-wide sentinels, so errors.Is(err, vc.ErrX) works as well.
var (
	// ErrMalformed: the token, payload or envelope is not well-formed (JSON, base64url,
	// registered claim types, a missing vc claim, a property that contradicts a claim).
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: the input is larger than the limit (1 MiB by default).
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON nested more deeply than 64 levels.
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidType: a typ, cty or type that is not the one the format requires, or a
	// kind the caller did not accept.
	ErrInvalidType = errs.ErrInvalidType
	// ErrUnsupportedFormat: a format this package does not handle: SD-JWT, COSE, the JWS
	// JSON serialization, JWE, or an unknown media type.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
	// ErrAlgorithmNotAllowed: an alg outside the allow-list ("none", HMAC, RSA, ES512, ...).
	ErrAlgorithmNotAllowed = errs.ErrAlgorithmNotAllowed
	// ErrAlgorithmKeyMismatch: the header alg is not the verification key's algorithm.
	ErrAlgorithmKeyMismatch = errs.ErrAlgorithmKeyMismatch
	// ErrInvalidKey: a nil or unusable key.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrUnsupportedKeyType: a key type outside policy (RSA, P-521, ...).
	ErrUnsupportedKeyType = errs.ErrUnsupportedKeyType
	// ErrInvalidSignature: the signature does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature
	// ErrUnsupportedCritical: a crit, b64 or zip header.
	ErrUnsupportedCritical = errs.ErrUnsupportedCritical
	// ErrUntrustedKeySource: a header that carries its own key (jwk, jku, x5u, x5c).
	ErrUntrustedKeySource = errs.ErrUntrustedKeySource
	// ErrMissingKeyID: no kid where the issuer or holder is a DID.
	ErrMissingKeyID = errs.ErrMissingKeyID
	// ErrIssuerMismatch: iss differs from the credential's issuer or the presentation's holder.
	ErrIssuerMismatch = errs.ErrIssuerMismatch
	// ErrExpired: exp is in the past.
	ErrExpired = errs.ErrExpired
	// ErrNotYetValid: nbf is in the future.
	ErrNotYetValid = errs.ErrNotYetValid
	// ErrIssuedInFuture: iat is in the future.
	ErrIssuedInFuture = errs.ErrIssuedInFuture
)
