package keys

import (
	"context"
	"crypto"
	"fmt"
	"io"

	"github.com/credence-dev/credence/internal/bbs"
)

// BLS12381G2 is the KeyType of BLS12-381 public keys in G2, the keys of BBS signatures
// (multicodec bls12_381-g2-pub, 0xeb; Multikey values start with "zUC7"). They sign only
// with BBS, never JOSE: Algorithm refuses them.
const BLS12381G2 KeyType = "bls12381g2"

// BLS12381G2PublicKey is a BLS12-381 public key in G2: a point of the subgroup G2 other
// than the identity, checked when it is parsed. It verifies BBS signatures and proofs
// (draft-irtf-cfrg-bbs-signatures-06, BLS12-381-SHA-256) and derives proofs from
// signatures. It is immutable and safe for concurrent use.
type BLS12381G2PublicKey struct {
	k     *bbs.PublicKey
	suite *bbs.Suite
}

func newBLS12381G2PublicKey(k *bbs.PublicKey) *BLS12381G2PublicKey {
	return &BLS12381G2PublicKey{k: k, suite: new(bbs.Suite)}
}

// VerifyBBS checks a BBS signature on header and messages. A signature that does not
// decode is ErrMalformed; one that does not verify is ErrInvalidSignature.
func (k *BLS12381G2PublicKey) VerifyBBS(sig, header []byte, messages [][]byte) error {
	if err := k.suite.Verify(k.k, sig, header, messages); err != nil {
		return fmt.Errorf("keys: bbs verify: %w", err)
	}
	return nil
}

// DeriveBBSProof makes a BBS proof of knowledge of sig, a signature by k on header and
// messages, that discloses only the messages at the strictly ascending indexes disclosed
// and is bound to the presentation header ph. rand supplies the blinding randomness (nil
// is crypto/rand). The signature, the undisclosed messages and the blinding stay in
// constant-time arithmetic. DeriveBBSProof does not verify sig: check it with VerifyBBS
// when it is received.
func (k *BLS12381G2PublicKey) DeriveBBSProof(sig, header, ph []byte, messages [][]byte, disclosed []int, rand io.Reader) ([]byte, error) {
	p, err := k.suite.ProofGen(k.k, sig, header, ph, messages, disclosed, rand)
	if err != nil {
		return nil, fmt.Errorf("keys: bbs proof: %w", err)
	}
	return p, nil
}

// VerifyBBSProof checks a BBS proof against header, the presentation header ph and the
// disclosed messages with their strictly ascending indexes among the signed messages. A
// proof that does not decode is ErrMalformed; one that does not verify, or whose indexes
// do not fit it, wraps the shared sentinel ErrInvalidProof.
func (k *BLS12381G2PublicKey) VerifyBBSProof(proof, header, ph []byte, disclosed [][]byte, indexes []int) error {
	if err := k.suite.ProofVerify(k.k, proof, header, ph, disclosed, indexes); err != nil {
		return fmt.Errorf("keys: bbs proof verify: %w", err)
	}
	return nil
}

// ParseBLS12381G2PublicKey decodes the 96-byte compressed encoding of a G2 point (the
// key bytes of a Multikey or did:key). A point off the curve, outside G2 or the identity
// is ErrInvalidKey.
func ParseBLS12381G2PublicKey(b []byte) (*BLS12381G2PublicKey, error) {
	k, err := bbs.ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("keys: bls12-381 g2 key of %d bytes: %w", len(b), ErrInvalidKey)
	}
	return newBLS12381G2PublicKey(k), nil
}

// Bytes returns the 96-byte compressed encoding of the key.
func (k *BLS12381G2PublicKey) Bytes() []byte { return k.k.Bytes() }

// Equal reports whether x is a *BLS12381G2PublicKey for the same point.
func (k *BLS12381G2PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*BLS12381G2PublicKey)
	return ok && k != nil && o != nil && k.k.Equal(o.k)
}

// BBSSigner signs with BBS (draft-irtf-cfrg-bbs-signatures, ciphersuite
// BLS12-381-SHA-256). BBS does not fit crypto.Signer: one signature covers a header and an
// ordered list of messages. BBSPrivateKey is the in-memory implementation; a key held in
// a KMS or an HSM can be another.
type BBSSigner interface {
	// Public returns the signer's public key.
	Public() *BLS12381G2PublicKey
	// SignBBS returns the 80-byte BBS signature of header and messages.
	SignBBS(ctx context.Context, header []byte, messages [][]byte) ([]byte, error)
}

// BBSPrivateKey is an in-memory BBS secret key. It implements BBSSigner and is safe for
// concurrent use. Its String, GoString and Format methods never print the key; Bytes is
// the only way to read it.
type BBSPrivateKey struct {
	sk  *bbs.SecretKey
	pub *BLS12381G2PublicKey
}

var _ BBSSigner = (*BBSPrivateKey)(nil)

// GenerateBBSKey makes a fresh BBS key from rand (nil is crypto/rand), with the draft's
// KeyGen over 32 random bytes.
func GenerateBBSKey(rand io.Reader) (*BBSPrivateKey, error) {
	sk, err := new(bbs.Suite).GenerateKey(rand)
	if err != nil {
		return nil, fmt.Errorf("keys: generate bbs key: %w", err)
	}
	return &BBSPrivateKey{sk: sk, pub: newBLS12381G2PublicKey(sk.PublicKey())}, nil
}

// ParseBBSPrivateKey reads a BBS secret key from its 32-byte big-endian encoding, an
// integer 0 < SK < r; anything else is ErrInvalidKey.
func ParseBBSPrivateKey(b []byte) (*BBSPrivateKey, error) {
	sk, err := new(bbs.Suite).NewSecretKey(b)
	if err != nil {
		return nil, fmt.Errorf("keys: bbs secret key: %w", ErrInvalidKey)
	}
	return &BBSPrivateKey{sk: sk, pub: newBLS12381G2PublicKey(sk.PublicKey())}, nil
}

// Public returns the public key of k.
func (k *BBSPrivateKey) Public() *BLS12381G2PublicKey { return k.pub }

// SignBBS returns the BBS signature of header and messages; signing is deterministic.
func (k *BBSPrivateKey) SignBBS(ctx context.Context, header []byte, messages [][]byte) ([]byte, error) {
	sig, err := k.sk.Sign(ctx, header, messages)
	if err != nil {
		return nil, fmt.Errorf("keys: bbs sign: %w", err)
	}
	return sig, nil
}

// Bytes returns the 32-byte big-endian encoding of the secret key. Treat it as secret.
func (k *BBSPrivateKey) Bytes() []byte { return k.sk.Bytes() }

// String returns a fixed text that never includes the key.
func (k *BBSPrivateKey) String() string { return "keys.BBSPrivateKey(redacted)" }

// GoString returns a fixed text that never includes the key.
func (k *BBSPrivateKey) GoString() string { return k.String() }

// Format prints the fixed text of String for every verb.
func (k *BBSPrivateKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// bls12381G2JWK returns the JWK members x and y of k: the coordinates of the point, each
// an Fp2 element c1 || c0 of 96 big-endian bytes (kty "EC", crv "BLS12381G2", as in
// draft-ietf-cose-bls-key-representations).
func bls12381G2JWK(k *BLS12381G2PublicKey) (x, y []byte) {
	raw := k.k.RawBytes()
	return raw[:96], raw[96:]
}

// parseBLS12381G2JWK reads the coordinates x and y of a BLS12381G2 JWK.
func parseBLS12381G2JWK(x, y []byte) (*BLS12381G2PublicKey, error) {
	if len(x) != 96 || len(y) != 96 {
		return nil, fmt.Errorf("keys: jwk: BLS12381G2 coordinates of %d and %d bytes: %w", len(x), len(y), ErrInvalidKey)
	}
	k, err := bbs.ParseRawPublicKey(append(append(make([]byte, 0, 192), x...), y...))
	if err != nil {
		return nil, fmt.Errorf("keys: jwk: BLS12381G2 point: %w", ErrInvalidKey)
	}
	return newBLS12381G2PublicKey(k), nil
}
