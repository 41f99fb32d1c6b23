package peer

import "errors"

// Errors of this package. A failed resolution is a *did.ResolutionError whose Err wraps
// one of these or one of did.ErrInvalidDID, did.ErrTooLarge, did.ErrNotFound,
// did.ErrMethodNotSupported, did.ErrInvalidDIDDocument, keys.ErrInvalidKey,
// keys.ErrPrivateKeyMaterial and keys.ErrUnsupportedKeyType; test with errors.Is.
var (
	// ErrUnsupportedNumalgo: a did:peer numalgo this package does not resolve (1 and 3).
	// It comes with did.ErrMethodNotSupported.
	ErrUnsupportedNumalgo = errors.New("peer: numalgo not supported")
	// ErrHashMismatch: a did:peer:4 whose hash is not the hash of its encoded document,
	// or a long form given for another short form. It comes with did.ErrInvalidDID.
	ErrHashMismatch = errors.New("peer: hash does not match the encoded document")
)
