package key

import "github.com/credence-dev/credence/internal/errs"

// Errors returned by this package besides the ones it shares with packages keys and did.
// A failed resolution is a *did.ResolutionError whose Err wraps one of keys.ErrInvalidKey,
// keys.ErrUnsupportedKeyType, keys.ErrPrivateKeyMaterial, did.ErrInvalidDID,
// did.ErrMethodNotSupported or did.ErrTooLarge; test with errors.Is.
var (
	// ErrUnsupportedFormat: an Options.PublicKeyFormat that New does not know.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
)

// Error codes of the did:key specification (§ Signature Method Creation Algorithm) that
// package did has no constant for. They appear in [did.ResolutionError.Code] beside
// did.CodeInvalidDID, did.CodeMethodNotSupported and did.CodeInvalidPublicKey.
const (
	// CodeInvalidPublicKeyLength: the key bytes do not have the length of their multicodec.
	CodeInvalidPublicKeyLength = "invalidPublicKeyLength"
	// CodeUnsupportedPublicKeyType: a key type outside this package's policy (RSA, P-521,
	// BLS12-381, ...), reported for the multicodec of the key.
	CodeUnsupportedPublicKeyType = "unsupportedPublicKeyType"
)
