package keys

import (
	"crypto"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Secp256k1PublicKey is a secp256k1 public key (ES256K, RFC 8812). The standard library
// has no secp256k1; this type keeps the curve implementation out of the API.
type Secp256k1PublicKey struct {
	key *secp256k1.PublicKey
}

// ParseSecp256k1PublicKey parses a SEC 1 compressed (33 bytes) or uncompressed (65
// bytes) secp256k1 point, checking that it is on the curve.
func ParseSecp256k1PublicKey(b []byte) (*Secp256k1PublicKey, error) {
	if len(b) != 33 && len(b) != 65 {
		return nil, fmt.Errorf("keys: secp256k1 point of %d bytes: %w", len(b), ErrInvalidKey)
	}
	k, err := secp256k1.ParsePubKey(b)
	if err != nil {
		return nil, fmt.Errorf("keys: secp256k1 point: %w", ErrInvalidKey)
	}
	return &Secp256k1PublicKey{key: k}, nil
}

// Compressed returns the 33-byte SEC 1 compressed encoding.
func (k *Secp256k1PublicKey) Compressed() []byte { return k.key.SerializeCompressed() }

// Uncompressed returns the 65-byte SEC 1 uncompressed encoding.
func (k *Secp256k1PublicKey) Uncompressed() []byte { return k.key.SerializeUncompressed() }

// Equal reports whether x is the same secp256k1 public key.
func (k *Secp256k1PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*Secp256k1PublicKey)
	return ok && o != nil && k.key.IsEqual(o.key)
}

func (k *Secp256k1PublicKey) verify(msg, sig []byte) error {
	if len(sig) != 64 {
		return fmt.Errorf("keys: ES256K signature of %d bytes: %w", len(sig), ErrInvalidSignature)
	}
	var r, s secp256k1.ModNScalar
	if overflow := r.SetByteSlice(sig[:32]); overflow || r.IsZero() {
		return fmt.Errorf("keys: ES256K signature: %w", ErrInvalidSignature)
	}
	if overflow := s.SetByteSlice(sig[32:]); overflow || s.IsZero() {
		return fmt.Errorf("keys: ES256K signature: %w", ErrInvalidSignature)
	}
	h := sha256.Sum256(msg)
	if !secpecdsa.NewSignature(&r, &s).Verify(h[:], k.key) {
		return fmt.Errorf("keys: ES256K: %w", ErrInvalidSignature)
	}
	return nil
}

// Secp256k1PrivateKey is a secp256k1 private key. It is a crypto.Signer whose Sign takes a
// SHA-256 digest and returns an ASN.1 DER signature (RFC 6979 deterministic nonces), like
// *ecdsa.PrivateKey does.
type Secp256k1PrivateKey struct {
	key *secp256k1.PrivateKey
}

// GenerateSecp256k1 makes a fresh secp256k1 private key from crypto/rand.
func GenerateSecp256k1() (*Secp256k1PrivateKey, error) {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		return nil, err
	}
	return &Secp256k1PrivateKey{key: k}, nil
}

// ParseSecp256k1PrivateKey parses a 32-byte big-endian scalar in [1, n-1].
func ParseSecp256k1PrivateKey(d []byte) (*Secp256k1PrivateKey, error) {
	if len(d) != 32 {
		return nil, fmt.Errorf("keys: secp256k1 private scalar of %d bytes: %w", len(d), ErrInvalidKey)
	}
	var s secp256k1.ModNScalar
	if overflow := s.SetByteSlice(d); overflow || s.IsZero() {
		return nil, fmt.Errorf("keys: secp256k1 private scalar out of range: %w", ErrInvalidKey)
	}
	return &Secp256k1PrivateKey{key: secp256k1.NewPrivateKey(&s)}, nil
}

// Public returns the *Secp256k1PublicKey.
func (k *Secp256k1PrivateKey) Public() crypto.PublicKey {
	return &Secp256k1PublicKey{key: k.key.PubKey()}
}

// Bytes returns the 32-byte private scalar. Handle it as a secret.
func (k *Secp256k1PrivateKey) Bytes() []byte {
	b := k.key.Key.Bytes()
	return b[:]
}

// Sign signs a 32-byte SHA-256 digest. opts must say crypto.SHA256. rand is unused: the
// nonce is derived per RFC 6979.
func (k *Secp256k1PrivateKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts == nil || opts.HashFunc() != crypto.SHA256 || len(digest) != sha256.Size {
		return nil, fmt.Errorf("keys: secp256k1 signs SHA-256 digests only: %w", ErrAlgorithmNotAllowed)
	}
	return secpecdsa.Sign(k.key, digest).Serialize(), nil
}
