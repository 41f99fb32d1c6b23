// Package credence is the root of the Credence module, a library that issues, holds and
// verifies verifiable credentials so that an application can check a claim such as
// "over 18" and learn nothing else.
//
// The root package holds no code. Start with:
//
//   - [github.com/credence-dev/credence/keys]: key types, JWK and Multikey, algorithms
//     and signers (crypto.Signer, so KMS and HSM keys plug in);
//   - [github.com/credence-dev/credence/did]: DID syntax, documents, resolution and
//     dereferencing, with the methods in its subpackages (key, jwk, web, peer,
//     universal).
package credence
