package keys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"filippo.io/edwards25519"
	"fmt"
)

// Algorithm names (RFC 7518 §3.1, RFC 8037 §3.1, RFC 8812 §3.2). These are the only
// signature algorithms the library signs or verifies with.
const (
	EdDSA  = "EdDSA"  // Ed25519 (RFC 8037)
	ES256  = "ES256"  // ECDSA P-256 with SHA-256
	ES384  = "ES384"  // ECDSA P-384 with SHA-384
	ES256K = "ES256K" // ECDSA secp256k1 with SHA-256 (RFC 8812)
)

// KeyType names a kind of key the library can generate, encode and decode.
type KeyType string

// Key types.
const (
	Ed25519   KeyType = "ed25519"
	P256      KeyType = "p256"
	P384      KeyType = "p384"
	Secp256k1 KeyType = "secp256k1"
	X25519    KeyType = "x25519" // key agreement only; never signs
	// BLS12381G2 is declared in bls12381.go: BBS keys, which never sign JOSE.
)

// TypeOf reports the KeyType of a public key: *ecdsa.PublicKey on P-256 or P-384,
// ed25519.PublicKey, *ecdh.PublicKey on X25519, *Secp256k1PublicKey, or
// *BLS12381G2PublicKey.
func TypeOf(pub crypto.PublicKey) (KeyType, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("keys: ed25519 public key of %d bytes: %w", len(k), ErrInvalidKey)
		}
		return Ed25519, nil
	case *ed25519.PublicKey:
		if k == nil {
			return "", fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
		}
		return TypeOf(*k)
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return "", fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
		}
		switch k.Curve {
		case elliptic.P256():
			return P256, nil
		case elliptic.P384():
			return P384, nil
		}
		return "", fmt.Errorf("keys: ecdsa curve %s: %w", k.Curve.Params().Name, ErrUnsupportedKeyType)
	case *ecdh.PublicKey:
		if k == nil {
			return "", fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
		}
		if k.Curve() == ecdh.X25519() {
			return X25519, nil
		}
		return "", fmt.Errorf("keys: ecdh curve %v: %w", k.Curve(), ErrUnsupportedKeyType)
	case *Secp256k1PublicKey:
		if k == nil || k.key == nil {
			return "", fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
		}
		return Secp256k1, nil
	case *BLS12381G2PublicKey:
		if k == nil || k.k == nil {
			return "", fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
		}
		return BLS12381G2, nil
	}
	return "", fmt.Errorf("keys: public key of type %T: %w", pub, ErrUnsupportedKeyType)
}

// Algorithm returns the one signature algorithm pub is used with. The key, never a
// token header, decides the algorithm: Ed25519 is EdDSA, P-256 is ES256, P-384 is ES384,
// secp256k1 is ES256K. X25519 keys do not sign and BLS12-381 G2 keys sign only with BBS:
// both give ErrUnsupportedKeyType.
func Algorithm(pub crypto.PublicKey) (string, error) {
	kt, err := TypeOf(pub)
	if err != nil {
		return "", err
	}
	switch kt {
	case Ed25519:
		return EdDSA, nil
	case P256:
		return ES256, nil
	case P384:
		return ES384, nil
	case Secp256k1:
		return ES256K, nil
	}
	if kt == BLS12381G2 {
		return "", fmt.Errorf("keys: %s keys sign only with BBS: %w", kt, ErrUnsupportedKeyType)
	}
	return "", fmt.Errorf("keys: %s keys do not sign: %w", kt, ErrUnsupportedKeyType)
}

// Generate makes a fresh signing key of type kt from crypto/rand.
func Generate(kt KeyType) (Signer, error) {
	var priv crypto.Signer
	var err error
	switch kt {
	case Ed25519:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case P256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		priv, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case Secp256k1:
		priv, err = GenerateSecp256k1()
	default:
		return nil, fmt.Errorf("keys: generate %q: %w", kt, ErrUnsupportedKeyType)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: generate %s: %w", kt, err)
	}
	return SignerFor(priv)
}

// parseEd25519 checks that b is the 32-byte encoding of a point on the Edwards curve.
// ed25519.Verify would refuse every signature of a key that is not one, but a DID
// document or JWK holding such a key is malformed, and saying so early keeps those
// documents out.
func parseEd25519(b []byte) (ed25519.PublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("keys: ed25519 key of %d bytes: %w", len(b), ErrInvalidKey)
	}
	if _, err := new(edwards25519.Point).SetBytes(b); err != nil {
		return nil, fmt.Errorf("keys: ed25519 key is not a curve point: %w", ErrInvalidKey)
	}
	return ed25519.PublicKey(b), nil
}

// Equal reports whether two public keys are the same key.
func Equal(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if p, ok := a.(*ed25519.PublicKey); ok && p != nil {
		a = *p
	}
	if p, ok := b.(*ed25519.PublicKey); ok && p != nil {
		b = *p
	}
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}
