package bbs

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// PublicKey is a BBS public key: a point of G2 other than the identity. Only
// ParsePublicKey and SecretKey.PublicKey make one, so a *PublicKey has always passed the
// checks of octets_to_pubkey. It is immutable and safe for concurrent use.
type PublicKey struct {
	w     gnark.G2Affine
	bytes [PublicKeySize]byte
	// lines are the Miller-loop line evaluations of W, computed on the first
	// verification and shared by every later one.
	lines func() *g2Lines
}

// ParsePublicKey decodes a compressed G2 point (octets_to_pubkey, draft §4.2.4.6): it
// must be on the curve, in the subgroup G2 and not the identity. Any other input is
// ErrMalformed.
func ParsePublicKey(b []byte) (*PublicKey, error) {
	if len(b) != PublicKeySize {
		return nil, fmt.Errorf("bbs: public key of %d bytes, want %d: %w", len(b), PublicKeySize, ErrMalformed)
	}
	if b[0]&0x80 == 0 {
		return nil, fmt.Errorf("bbs: public key not in compressed form: %w", ErrMalformed)
	}
	return newPublicKey(b)
}

// RawPublicKeySize is the size of the uncompressed encoding of a public key: the
// coordinates x and y of the G2 point, each an element c1 || c0 of Fp2, big-endian.
const RawPublicKeySize = 2 * PublicKeySize

// ParseRawPublicKey decodes the 192-byte uncompressed encoding of a public key (the form
// JWKs carry as x and y), with the checks of ParsePublicKey.
func ParseRawPublicKey(b []byte) (*PublicKey, error) {
	if len(b) != RawPublicKeySize || b[0]&0xe0 != 0 {
		return nil, fmt.Errorf("bbs: raw public key of %d bytes, want %d without flag bits: %w", len(b), RawPublicKeySize, ErrMalformed)
	}
	return newPublicKey(b)
}

func newPublicKey(b []byte) (*PublicKey, error) {
	pk := new(PublicKey)
	// gnark's SetBytes checks that the point is on the curve and in G2.
	if _, err := pk.w.SetBytes(b); err != nil {
		return nil, fmt.Errorf("bbs: public key is not a point of G2: %w", ErrMalformed)
	}
	if pk.w.IsInfinity() {
		return nil, fmt.Errorf("bbs: public key is the identity: %w", ErrMalformed)
	}
	pk.bytes = pk.w.Bytes()
	w := pk.w
	pk.lines = sync.OnceValue(func() *g2Lines {
		l := gnark.PrecomputeLines(w)
		return &l
	})
	return pk, nil
}

// RawBytes returns the 192-byte uncompressed encoding of the key.
func (pk *PublicKey) RawBytes() []byte {
	b := pk.w.RawBytes()
	return b[:]
}

// Bytes returns the 96-byte compressed encoding of the key.
func (pk *PublicKey) Bytes() []byte { return append([]byte(nil), pk.bytes[:]...) }

// Equal reports whether pk and x are the same key.
func (pk *PublicKey) Equal(x *PublicKey) bool {
	return pk != nil && x != nil && pk.bytes == x.bytes
}

// Signer signs a header and a list of messages with BBS. SecretKey is the in-memory
// implementation; a key held in a KMS or an HSM can be another one. BBS does not fit
// crypto.Signer: a signature covers a header and an ordered list of messages, not one
// digest.
type Signer interface {
	// PublicKey returns the public key of the signer.
	PublicKey() *PublicKey
	// Sign returns the 80-byte signature of header and messages (the draft's Sign).
	Sign(ctx context.Context, header []byte, messages [][]byte) ([]byte, error)
}

// SecretKey is an in-memory BBS secret key, an integer SK with 0 < SK < r, bound to the
// Suite whose generators it signs with. It implements Signer. Its String, GoString and
// Format methods never print the key; Bytes is the only way to read it.
type SecretKey struct {
	sk    circl.Scalar
	pub   *PublicKey
	suite *Suite
}

var _ Signer = (*SecretKey)(nil)

// KeyGen derives a secret key from key material of at least 32 secret bytes, as the
// draft's KeyGen (§3.4.1): hash_to_scalar(key_material || I2OSP(len(key_info), 2) ||
// key_info, key_dst). A nil keyDST is the default, api_id || "KEYGEN_DST_", as in the
// draft's fixtures.
func (s *Suite) KeyGen(keyMaterial, keyInfo, keyDST []byte) (*SecretKey, error) {
	if len(keyMaterial) < 32 {
		return nil, fmt.Errorf("bbs: key material of %d bytes, want at least 32: %w", len(keyMaterial), ErrInvalidKey)
	}
	if len(keyInfo) > 65535 {
		return nil, fmt.Errorf("bbs: key info of %d bytes: %w", len(keyInfo), ErrTooLarge)
	}
	if keyDST == nil {
		keyDST = defaultKeyGenDST
	}
	in := make([]byte, 0, len(keyMaterial)+2+len(keyInfo))
	in = append(in, keyMaterial...)
	in = binary.BigEndian.AppendUint16(in, uint16(len(keyInfo)))
	in = append(in, keyInfo...)
	sk, err := hashToScalar(in, keyDST)
	clear(in)
	if err != nil {
		return nil, err
	}
	if sk.IsZero() == 1 {
		return nil, fmt.Errorf("bbs: derived key is zero: %w", ErrInvalidKey)
	}
	return s.newSecretKey(&sk)
}

// GenerateKey makes a fresh secret key from 32 bytes of rand; a nil rand is crypto/rand.
func (s *Suite) GenerateKey(rnd io.Reader) (*SecretKey, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var material [32]byte
	defer clear(material[:])
	if _, err := io.ReadFull(rnd, material[:]); err != nil {
		return nil, fmt.Errorf("bbs: reading randomness: %w", err)
	}
	return s.KeyGen(material[:], nil, nil)
}

// NewSecretKey reads a secret key from its 32-byte big-endian encoding, which must be
// an integer 0 < SK < r; anything else is ErrInvalidKey.
func (s *Suite) NewSecretKey(b []byte) (*SecretKey, error) {
	if len(b) != ScalarSize {
		return nil, fmt.Errorf("bbs: secret key of %d bytes, want %d: %w", len(b), ScalarSize, ErrInvalidKey)
	}
	var sk circl.Scalar
	if err := sk.UnmarshalBinary(b); err != nil || sk.IsZero() == 1 {
		return nil, fmt.Errorf("bbs: secret key out of range: %w", ErrInvalidKey)
	}
	return s.newSecretKey(&sk)
}

func (s *Suite) newSecretKey(sk *circl.Scalar) (*SecretKey, error) {
	// SkToPk: W = SK * BP2, with circl's constant-time scalar multiplication.
	var w circl.G2
	w.ScalarMult(sk, fixed().bp2c)
	pub, err := ParsePublicKey(w.BytesCompressed())
	if err != nil {
		return nil, err
	}
	return &SecretKey{sk: *sk, pub: pub, suite: s}, nil
}

// PublicKey returns the public key of k (SkToPk).
func (k *SecretKey) PublicKey() *PublicKey { return k.pub }

// Bytes returns the 32-byte big-endian encoding of the secret key. Treat it as secret.
func (k *SecretKey) Bytes() []byte {
	b, _ := k.sk.MarshalBinary()
	return b
}

// Equal reports whether k and x are the same secret key, in constant time.
func (k *SecretKey) Equal(x *SecretKey) bool {
	if k == nil || x == nil {
		return false
	}
	a, b := k.Bytes(), x.Bytes()
	defer clear(a)
	defer clear(b)
	return subtle.ConstantTimeCompare(a, b) == 1
}

// String returns a fixed text that never includes the key.
func (k *SecretKey) String() string { return "bbs.SecretKey(redacted)" }

// GoString returns a fixed text that never includes the key.
func (k *SecretKey) GoString() string { return k.String() }

// Format prints the fixed text of String for every verb, so no fmt verb prints the key.
func (k *SecretKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }
