package keys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/binary"
	"fmt"
	"strings"

	"filippo.io/edwards25519"
	"filippo.io/nistec"
	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
)

// MaxMultikeyLength bounds the length of a publicKeyMultibase string.
const MaxMultikeyLength = 1024

// ParseMultikey parses a Multikey publicKeyMultibase value (Controlled Identifiers 1.0
// §2.2.2; the did:key encoding): base58btc multibase ("z") of a multicodec varint and the
// key bytes. Elliptic-curve points must be SEC 1 compressed and on their curve. Private
// key codecs are ErrPrivateKeyMaterial. BLS12-381 G2 keys (bls12_381-g2-pub, for BBS)
// are *BLS12381G2PublicKey, checked to be in G2; codecs outside policy (RSA, P-521,
// BLS12-381 G1 and G1+G2, ...) are ErrUnsupportedKeyType.
func ParseMultikey(s string) (crypto.PublicKey, error) {
	code, key, err := DecodeMultikey(s)
	if err != nil {
		return nil, err
	}
	switch code {
	case multicodec.Ed25519Pub:
		k, err := parseEd25519(key)
		if err != nil {
			return nil, err
		}
		return k, nil
	case multicodec.X25519Pub:
		k, err := ecdh.X25519().NewPublicKey(key)
		if err != nil {
			return nil, fmt.Errorf("keys: multikey x25519 key of %d bytes: %w", len(key), ErrInvalidKey)
		}
		return k, nil
	case multicodec.Secp256k1Pub:
		if len(key) != 33 {
			return nil, fmt.Errorf("keys: multikey secp256k1 key of %d bytes (want compressed): %w", len(key), ErrInvalidKey)
		}
		k, err := ParseSecp256k1PublicKey(key)
		if err != nil {
			return nil, err
		}
		return k, nil
	case multicodec.P256Pub:
		return decompressNIST(elliptic.P256(), key)
	case multicodec.P384Pub:
		return decompressNIST(elliptic.P384(), key)
	case multicodec.Bls12_381G2Pub:
		k, err := ParseBLS12381G2PublicKey(key)
		if err != nil {
			return nil, err
		}
		return k, nil
	}
	return nil, fmt.Errorf("keys: multikey codec %v: %w", code, ErrUnsupportedKeyType)
}

// DecodeMultikey splits a Multikey value into its multicodec and key bytes without
// interpreting the key. Private key codecs are ErrPrivateKeyMaterial.
func DecodeMultikey(s string) (multicodec.Code, []byte, error) {
	if len(s) > MaxMultikeyLength {
		return 0, nil, fmt.Errorf("keys: multikey of %d characters: %w", len(s), ErrTooLarge)
	}
	if !strings.HasPrefix(s, "z") {
		return 0, nil, fmt.Errorf("keys: multikey must be base58btc (prefix z): %w", ErrMalformed)
	}
	enc, data, err := multibase.Decode(s)
	if err != nil || enc != multibase.Base58BTC {
		return 0, nil, fmt.Errorf("keys: multikey base58btc: %w", ErrMalformed)
	}
	code, n := binary.Uvarint(data)
	if n <= 0 || len(binary.AppendUvarint(nil, code)) != n { // minimal encoding only
		return 0, nil, fmt.Errorf("keys: multikey codec varint: %w", ErrMalformed)
	}
	c := multicodec.Code(code)
	if strings.HasSuffix(c.String(), "-priv") {
		return 0, nil, fmt.Errorf("keys: multikey codec %v: %w", c, ErrPrivateKeyMaterial)
	}
	return c, data[n:], nil
}

// EncodeMultikey encodes key bytes under a multicodec as a base58btc Multikey value.
func EncodeMultikey(code multicodec.Code, key []byte) string {
	b := binary.AppendUvarint(nil, uint64(code))
	s, _ := multibase.Encode(multibase.Base58BTC, append(b, key...))
	return s
}

func decompressNIST(curve elliptic.Curve, b []byte) (crypto.PublicKey, error) {
	name := curve.Params().Name
	size := (curve.Params().BitSize + 7) / 8
	if len(b) != 1+size || (b[0] != 2 && b[0] != 3) {
		return nil, fmt.Errorf("keys: multikey %s key of %d bytes (want compressed): %w", name, len(b), ErrInvalidKey)
	}
	var full []byte
	switch curve {
	case elliptic.P256():
		p, err := nistec.NewP256Point().SetBytes(b)
		if err != nil {
			return nil, fmt.Errorf("keys: multikey %s point not on curve: %w", name, ErrInvalidKey)
		}
		full = p.Bytes()
	default:
		p, err := nistec.NewP384Point().SetBytes(b)
		if err != nil {
			return nil, fmt.Errorf("keys: multikey %s point not on curve: %w", name, ErrInvalidKey)
		}
		full = p.Bytes()
	}
	k, err := ecdsa.ParseUncompressedPublicKey(curve, full)
	if err != nil {
		return nil, fmt.Errorf("keys: multikey %s point: %w", name, ErrInvalidKey)
	}
	return k, nil
}

// Multikey encodes pub as a Multikey publicKeyMultibase value; elliptic-curve points are
// compressed.
func Multikey(pub crypto.PublicKey) (string, error) {
	kt, err := TypeOf(pub)
	if err != nil {
		return "", err
	}
	switch k := pub.(type) {
	case *ed25519.PublicKey:
		return Multikey(*k)
	case ed25519.PublicKey:
		return EncodeMultikey(multicodec.Ed25519Pub, k), nil
	case *ecdh.PublicKey:
		return EncodeMultikey(multicodec.X25519Pub, k.Bytes()), nil
	case *Secp256k1PublicKey:
		return EncodeMultikey(multicodec.Secp256k1Pub, k.Compressed()), nil
	case *BLS12381G2PublicKey:
		return EncodeMultikey(multicodec.Bls12_381G2Pub, k.Bytes()), nil
	case *ecdsa.PublicKey:
		b, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("keys: %w", ErrInvalidKey)
		}
		if kt == P256 {
			p, err := nistec.NewP256Point().SetBytes(b)
			if err != nil {
				return "", fmt.Errorf("keys: %w", ErrInvalidKey)
			}
			return EncodeMultikey(multicodec.P256Pub, p.BytesCompressed()), nil
		}
		p, err := nistec.NewP384Point().SetBytes(b)
		if err != nil {
			return "", fmt.Errorf("keys: %w", ErrInvalidKey)
		}
		return EncodeMultikey(multicodec.P384Pub, p.BytesCompressed()), nil
	}
	return "", fmt.Errorf("keys: public key of type %T: %w", pub, ErrUnsupportedKeyType)
}

// X25519FromEd25519 converts an Ed25519 public key to the X25519 key of the same secret
// (the birational map of RFC 7748 §4.1), as did:key does for its derived keyAgreement
// key. An encoding that is not a valid Edwards point is ErrInvalidKey.
func X25519FromEd25519(pub ed25519.PublicKey) (*ecdh.PublicKey, error) {
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return nil, fmt.Errorf("keys: ed25519 point: %w", ErrInvalidKey)
	}
	k, err := ecdh.X25519().NewPublicKey(p.BytesMontgomery())
	if err != nil {
		return nil, fmt.Errorf("keys: x25519: %w", ErrInvalidKey)
	}
	return k, nil
}
