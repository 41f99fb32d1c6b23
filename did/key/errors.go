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

// CodeInvalidPublicKeyLength is the did:key specification's error code for key bytes
// that do not have the length of their multicodec (§ Signature Method Creation
// Algorithm), which package did has no constant for. It appears in
// [did.ResolutionError.Code] beside did.CodeInvalidDID, did.CodeMethodNotSupported,
// did.CodeInvalidPublicKey and did.CodeUnsupportedPublicKeyType (RSA, P-521, BLS12-381
// and other key types outside policy).
const CodeInvalidPublicKeyLength = "invalidPublicKeyLength"
