// Package jwk resolves did:jwk DIDs (quartzjer/did-jwk): a DID that is a base64url-encoded
// public JWK, expanded into a DID document without any network access.
//
// Register a [Resolver] on a did.Registry; [Create] makes the DID of a key, and the key's
// verification method is always the DID URL "<did>#0":
//
//	reg := did.NewRegistry()
//	reg.Register("jwk", jwk.New())
//	id, err := jwk.Create(signer.Public()) // did:jwk:eyJjcnYiOi...
//	vm, err := reg.Dereference(ctx, id+"#0", did.AssertionMethod)
//
// # Security
//
// The DID is untrusted input: it is limited to [MaxLength] bytes before it is decoded,
// must be canonical base64url (no padding, no stray bits) and must decode to strict JSON
// (duplicate members, invalid UTF-8 and trailing data are refused). Only public keys that
// package keys accepts resolve (Ed25519, X25519, P-256, P-384, secp256k1, with points on
// their curve); a JWK carrying private members such as "d" is refused with
// keys.ErrPrivateKeyMaterial, so a private key pasted into a DID is never used or echoed
// into a document. RSA, "oct" (HMAC) and other key types are refused with
// keys.ErrUnsupportedKeyType.
//
// A JWK without "use" is listed under every verification relationship, keyAgreement
// included, as the did:jwk specification says; a verifier still checks that the key can
// sign with the algorithm it expects (keys.Verify), so an X25519 key never verifies a
// signature.
package jwk
