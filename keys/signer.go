package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"fmt"
	"math/big"
	"slices"
)

// Signer is a crypto.Signer that knows its signature algorithm. Any crypto.Signer whose
// public key the library supports can be one (see SignerFor), so keys held in a KMS or
// an HSM sign credentials without the private key leaving them.
type Signer interface {
	crypto.Signer
	// Algorithm returns the JOSE algorithm name: EdDSA, ES256, ES384 or ES256K.
	Algorithm() string
}

type signer struct {
	crypto.Signer
	alg string
}

// Algorithm returns the algorithm taken from the key.
func (s signer) Algorithm() string { return s.alg }

// SignerFor wraps priv as a Signer, taking the algorithm from its public key. A priv
// that is already a Signer is returned as it is when its algorithm agrees with its key.
func SignerFor(priv crypto.Signer) (Signer, error) {
	if priv == nil {
		return nil, fmt.Errorf("keys: nil signer: %w", ErrInvalidKey)
	}
	alg, err := Algorithm(priv.Public())
	if err != nil {
		return nil, err
	}
	if s, ok := priv.(Signer); ok {
		if s.Algorithm() != alg {
			return nil, fmt.Errorf("keys: signer says %q, key is %q: %w", s.Algorithm(), alg, ErrAlgorithmKeyMismatch)
		}
		return s, nil
	}
	return signer{Signer: priv, alg: alg}, nil
}

// hashFor returns the message digest algorithm of a JOSE algorithm; 0 for EdDSA, which
// signs the message itself.
func hashFor(alg string) (crypto.Hash, error) {
	switch alg {
	case EdDSA:
		return 0, nil
	case ES256, ES256K:
		return crypto.SHA256, nil
	case ES384:
		return crypto.SHA384, nil
	}
	return 0, fmt.Errorf("keys: algorithm %q: %w", alg, ErrAlgorithmNotAllowed)
}

func digest(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA256:
		d := sha256.Sum256(msg)
		return d[:]
	case crypto.SHA384:
		d := sha512.Sum384(msg)
		return d[:]
	}
	return msg
}

// Sign signs msg with s and returns the signature in the form JWS (RFC 7515) and Data
// Integrity use: the 64-byte Ed25519 signature, or r‖s (IEEE P1363) for ECDSA. The
// signer's ASN.1 output is converted, so standard crypto.Signer implementations work.
func Sign(s Signer, msg []byte) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("keys: nil signer: %w", ErrInvalidKey)
	}
	pub := s.Public()
	alg, err := Algorithm(pub)
	if err != nil {
		return nil, err
	}
	if s.Algorithm() != alg {
		return nil, fmt.Errorf("keys: signer says %q, key is %q: %w", s.Algorithm(), alg, ErrAlgorithmKeyMismatch)
	}
	h, err := hashFor(alg)
	if err != nil {
		return nil, err
	}
	sig, err := s.Sign(rand.Reader, digest(h, msg), h)
	if err != nil {
		return nil, fmt.Errorf("keys: signing with %s: %w", alg, err)
	}
	if alg == EdDSA {
		if len(sig) != ed25519.SignatureSize {
			return nil, fmt.Errorf("keys: signer returned %d bytes for EdDSA: %w", len(sig), ErrInvalidSignature)
		}
		return sig, nil
	}
	size, _ := scalarSize(alg)
	return ASN1ToP1363(sig, size)
}

// Verify checks sig over msg with pub under alg. The algorithm must be the key's own
// (ErrAlgorithmKeyMismatch otherwise); sig is in the JWS form that Sign returns. A
// failed check is ErrInvalidSignature.
func Verify(pub crypto.PublicKey, alg string, msg, sig []byte) error {
	if _, err := hashFor(alg); err != nil {
		return err
	}
	want, err := Algorithm(pub)
	if err != nil {
		return err
	}
	if alg != want {
		return fmt.Errorf("keys: algorithm %q for a %s key: %w", alg, want, ErrAlgorithmKeyMismatch)
	}
	switch k := pub.(type) {
	case *ed25519.PublicKey:
		return verifyEd25519(*k, msg, sig)
	case ed25519.PublicKey:
		return verifyEd25519(k, msg, sig)
	case *ecdsa.PublicKey:
		size, _ := scalarSize(alg)
		if len(sig) != 2*size {
			return fmt.Errorf("keys: %s signature of %d bytes: %w", alg, len(sig), ErrInvalidSignature)
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		h, _ := hashFor(alg)
		if !ecdsa.Verify(k, digest(h, msg), r, s) {
			return fmt.Errorf("keys: %s: %w", alg, ErrInvalidSignature)
		}
		return nil
	case *Secp256k1PublicKey:
		return k.verify(msg, sig)
	}
	return fmt.Errorf("keys: public key of type %T: %w", pub, ErrUnsupportedKeyType)
}

func verifyEd25519(k ed25519.PublicKey, msg, sig []byte) error {
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(k, msg, sig) {
		return fmt.Errorf("keys: EdDSA: %w", ErrInvalidSignature)
	}
	return nil
}

func scalarSize(alg string) (int, error) {
	switch alg {
	case ES256, ES256K:
		return 32, nil
	case ES384:
		return 48, nil
	}
	return 0, fmt.Errorf("keys: algorithm %q: %w", alg, ErrAlgorithmNotAllowed)
}

type ecdsaSignature struct {
	R, S *big.Int
}

// ASN1ToP1363 converts an ASN.1 DER ECDSA signature (SEQUENCE of two INTEGERs) to the
// fixed-length r‖s form with size bytes per scalar. Non-DER or out-of-range input is
// ErrInvalidSignature.
func ASN1ToP1363(der []byte, size int) ([]byte, error) {
	var sig ecdsaSignature
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 || sig.R == nil || sig.S == nil {
		return nil, fmt.Errorf("keys: ASN.1 ECDSA signature: %w", ErrInvalidSignature)
	}
	if sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.BitLen() > 8*size || sig.S.BitLen() > 8*size {
		return nil, fmt.Errorf("keys: ECDSA signature scalars out of range: %w", ErrInvalidSignature)
	}
	if again, err := asn1.Marshal(sig); err != nil || !slices.Equal(again, der) {
		return nil, fmt.Errorf("keys: ECDSA signature is not DER: %w", ErrInvalidSignature)
	}
	out := make([]byte, 2*size)
	sig.R.FillBytes(out[:size])
	sig.S.FillBytes(out[size:])
	return out, nil
}

// P1363ToASN1 converts a fixed-length r‖s ECDSA signature to ASN.1 DER.
func P1363ToASN1(sig []byte) ([]byte, error) {
	if len(sig) == 0 || len(sig)%2 != 0 {
		return nil, fmt.Errorf("keys: r‖s signature of %d bytes: %w", len(sig), ErrInvalidSignature)
	}
	n := len(sig) / 2
	r := new(big.Int).SetBytes(sig[:n])
	s := new(big.Int).SetBytes(sig[n:])
	if r.Sign() == 0 || s.Sign() == 0 {
		return nil, fmt.Errorf("keys: zero ECDSA scalar: %w", ErrInvalidSignature)
	}
	return asn1.Marshal(ecdsaSignature{R: r, S: s})
}
