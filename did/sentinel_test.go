package did

import (
	"errors"

	"github.com/credence-dev/credence/keys"
)

// sentinels lists every sentinel that a function of this package may wrap.
var sentinels = []error{
	ErrInvalidDID, ErrInvalidDIDURL, ErrInvalidDIDDocument, ErrMethodNotSupported, ErrNotFound,
	ErrVerificationMethodNotFound, ErrVerificationRelationship, ErrMalformed, ErrTooLarge,
	ErrTooDeep, ErrInvalidKey, ErrInsecureURL, ErrForbiddenAddress, ErrInvalidURL,
	ErrUnsupportedKeyType, ErrDeactivated, ErrAlreadyRegistered, ErrResolutionFailed,
	keys.ErrPrivateKeyMaterial, keys.ErrAlgorithmNotAllowed,
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
