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
