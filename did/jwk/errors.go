package jwk

// Failures of [Resolver.Resolve] are *did.ResolutionError values with the codes
// invalidDid, methodNotSupported, invalidPublicKey or unsupportedPublicKeyType, whose Err
// wraps one of did.ErrInvalidDID (with did.ErrTooLarge for oversized input, or
// keys.ErrMalformed for a JWK that is not strict JSON), did.ErrMethodNotSupported,
// keys.ErrInvalidKey, keys.ErrPrivateKeyMaterial, keys.ErrUnsupportedKeyType or
// keys.ErrAlgorithmKeyMismatch; test with errors.Is. The package defines no sentinels of
// its own.
