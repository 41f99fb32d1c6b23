// Package key resolves did:key DIDs (W3C CCG did:key Method v0.9): a DID that is a public
// key, expanded into a DID document without any network access.
//
// Build a [Resolver] once and register it on a did.Registry; [Create] makes the DID of a
// key:
//
//	r, err := key.New(key.Options{}) // Multikey verification methods
//	reg := did.NewRegistry()
//	reg.Register("key", r)
//	id, err := key.Create(signer.Public()) // did:key:z6Mk...
//	res, err := reg.Resolve(ctx, id)
//
// Ed25519, P-256, P-384 and secp256k1 keys get one verification method under
// authentication, assertionMethod, capabilityInvocation and capabilityDelegation; an
// X25519 key is listed under keyAgreement only. P-256, P-384 and secp256k1 keys get no
// keyAgreement entry, as the specification's algorithm gives none.
//
// Documents have the shape of the specification's printed example: "@context" is
// https://www.w3.org/ns/did/v1.1 alone for Multikey and JsonWebKey methods (that context
// defines both types), and a derived X25519 key is embedded in keyAgreement rather than
// added to verificationMethod. [FormatJsonWebKey2020] gives the earlier shape, with the
// did/v1 and jws-2020 contexts.
//
// Errors carry the specification's codes: invalidDid, invalidPublicKeyLength,
// invalidPublicKey and unsupportedPublicKeyType (see [did.ResolutionError]); a DID of
// another method is methodNotSupported.
//
// # Security
//
// Only the key types that package keys accepts resolve: Ed25519, X25519, P-256, P-384,
// secp256k1 and BLS12-381 G2 (the keys of BBS signatures, checked to be in G2). RSA,
// P-521, BLS12-381 G1 and G1+G2 and every other multicodec fail with the code
// unsupportedPublicKeyType and keys.ErrUnsupportedKeyType; private-key multicodecs fail
// with invalidPublicKey and keys.ErrPrivateKeyMaterial. Key lengths and curve points are
// checked before a document is built, and input longer than [MaxLength] is refused
// before it is decoded.
//
// [Options.EnableEncryptionKeyDerivation] reuses an Ed25519 signing key for X25519 key
// agreement. The did:key specification allows it but notes that no complete proof shows
// the reuse to be safe; it is off by default.
package key
