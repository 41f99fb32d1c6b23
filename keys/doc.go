// Package keys converts between Go keys and their wire forms (JWK, Multikey), names the
// signature algorithm each key uses, and signs and verifies in the forms that JOSE and
// Data Integrity use.
//
// Public keys are the standard library's types where it has them: ed25519.PublicKey,
// *ecdsa.PublicKey on P-256 and P-384, *ecdh.PublicKey on X25519 (key agreement only);
// secp256k1 keys are *Secp256k1PublicKey and *Secp256k1PrivateKey. Signing keys are
// crypto.Signer values, so keys held in a KMS or an HSM plug in through [SignerFor]:
//
//	s, err := keys.SignerFor(kmsKey)  // algorithm taken from kmsKey.Public()
//	sig, err := keys.Sign(s, msg)     // r‖s for ECDSA, as JWS wants
//	err = keys.Verify(pub, keys.ES256, msg, sig)
//
// # Security
//
// The key decides the algorithm: [Algorithm] maps each key to exactly one algorithm
// and [Verify] refuses any other (ErrAlgorithmKeyMismatch). Only EdDSA, ES256, ES384 and
// ES256K exist here; RSA, HMAC, "none" and P-521 are refused with a named error.
// BLS12-381 G2 keys (*BLS12381G2PublicKey, [BBSSigner]) sign and verify only with BBS
// (draft-irtf-cfrg-bbs-signatures-06), never JOSE.
// Parsers check sizes before decoding, reject private members where a public key is
// expected (ErrPrivateKeyMaterial), and check that points lie on their curve.
package keys
