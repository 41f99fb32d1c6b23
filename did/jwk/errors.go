package jwk

// Failures of [Resolver.Resolve] are *did.ResolutionError values whose Err wraps one of
// did.ErrInvalidDID (with did.ErrTooLarge for oversized input), did.ErrMethodNotSupported,
// keys.ErrInvalidKey, keys.ErrPrivateKeyMaterial, keys.ErrUnsupportedKeyType or
// keys.ErrAlgorithmKeyMismatch; test with errors.Is.

// Error codes beside the ones package did defines.
const (
	// codeUnsupportedPublicKeyType is the DID Specification Registries' code for a key
	// type the resolver does not support (RSA, "oct", P-521, ...).
	codeUnsupportedPublicKeyType = "unsupportedPublicKeyType"
)
