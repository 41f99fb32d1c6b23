package keys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// MaxJWKBytes bounds the size of a JWK accepted by ParseJWK and ParsePrivateJWK.
const MaxJWKBytes = 64 << 10

// JWKInfo holds the optional members of a JWK (RFC 7517 §4) that callers may need to
// check: they never change which key or algorithm is used.
type JWKInfo struct {
	KeyID     string   // "kid"
	Algorithm string   // "alg", checked against the key
	Use       string   // "use": "sig", "enc" or empty
	KeyOps    []string // "key_ops"
}

var b64 = base64.RawURLEncoding.Strict()

// privateMembers are the JWK members that carry private or secret key material in any
// key type (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

type rawJWK struct {
	kty, crv, x, y, d string
	info              JWKInfo
}

// ParseJWK parses a public JWK (RFC 7517, RFC 8037): EC keys on P-256, P-384 and
// secp256k1, OKP keys Ed25519 and X25519, and EC keys on BLS12381G2
// (draft-ietf-cose-bls-key-representations: x and y, 96 bytes each) for BBS. Points are checked to be on their curve and
// coordinates to have the exact length. A JWK with private members is
// ErrPrivateKeyMaterial; RSA, "oct", P-521 and other curves are ErrUnsupportedKeyType;
// an "alg" that does not belong to the key is ErrAlgorithmKeyMismatch.
func ParseJWK(data []byte) (crypto.PublicKey, error) {
	pub, _, err := ParseJWKInfo(data)
	return pub, err
}

// ParseJWKInfo is ParseJWK that also returns the JWK's optional members.
func ParseJWKInfo(data []byte) (crypto.PublicKey, JWKInfo, error) {
	raw, err := decodeJWK(data)
	if err != nil {
		return nil, JWKInfo{}, err
	}
	if raw.d != "" {
		return nil, JWKInfo{}, fmt.Errorf("keys: jwk: %w", ErrPrivateKeyMaterial)
	}
	pub, err := raw.publicKey()
	if err != nil {
		return nil, JWKInfo{}, err
	}
	if err := checkInfo(pub, raw.info); err != nil {
		return nil, JWKInfo{}, err
	}
	return pub, raw.info, nil
}

// ParsePrivateJWK parses a private signing JWK (Ed25519, P-256, P-384, secp256k1) and
// returns it as a Signer. The private scalar must match the public members.
func ParsePrivateJWK(data []byte) (Signer, error) {
	raw, err := decodeJWK(data)
	if err != nil {
		return nil, err
	}
	if raw.d == "" {
		return nil, fmt.Errorf("keys: jwk: no private key: %w", ErrInvalidKey)
	}
	pub, err := raw.publicKey()
	if err != nil {
		return nil, err
	}
	if err := checkInfo(pub, raw.info); err != nil {
		return nil, err
	}
	d, err := b64.DecodeString(raw.d)
	if err != nil {
		return nil, fmt.Errorf("keys: jwk: member d: %w", ErrMalformed)
	}
	var priv crypto.Signer
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(d) != ed25519.SeedSize {
			return nil, fmt.Errorf("keys: jwk: ed25519 d of %d bytes: %w", len(d), ErrInvalidKey)
		}
		priv = ed25519.NewKeyFromSeed(d)
	case *ecdsa.PublicKey:
		p, err := ecdsa.ParseRawPrivateKey(k.Curve, d)
		if err != nil {
			return nil, fmt.Errorf("keys: jwk: ecdsa d: %w", ErrInvalidKey)
		}
		priv = p
	case *Secp256k1PublicKey:
		p, err := ParseSecp256k1PrivateKey(d)
		if err != nil {
			return nil, err
		}
		priv = p
	default:
		return nil, fmt.Errorf("keys: jwk: %T cannot sign: %w", pub, ErrUnsupportedKeyType)
	}
	if !Equal(priv.Public(), pub) {
		return nil, fmt.Errorf("keys: jwk: private key does not match public members: %w", ErrInvalidKey)
	}
	return SignerFor(priv)
}

func decodeJWK(data []byte) (*rawJWK, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: MaxJWKBytes, MaxDepth: 8})
	if err != nil {
		return nil, fmt.Errorf("keys: jwk: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("keys: jwk is not a JSON object: %w", ErrMalformed)
	}
	str := func(name string) (string, error) {
		v, ok := m[name]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("keys: jwk: member %s is not a string: %w", name, ErrMalformed)
		}
		return s, nil
	}
	var raw rawJWK
	for _, f := range []struct {
		name string
		dst  *string
	}{{"kty", &raw.kty}, {"crv", &raw.crv}, {"x", &raw.x}, {"y", &raw.y}, {"d", &raw.d},
		{"kid", &raw.info.KeyID}, {"alg", &raw.info.Algorithm}, {"use", &raw.info.Use}} {
		if *f.dst, err = str(f.name); err != nil {
			return nil, err
		}
	}
	switch raw.kty {
	case "EC", "OKP":
	case "":
		return nil, fmt.Errorf("keys: jwk: no kty: %w", ErrMalformed)
	default:
		return nil, fmt.Errorf("keys: jwk: kty %q: %w", raw.kty, ErrUnsupportedKeyType)
	}
	for _, name := range privateMembers {
		if _, ok := m[name]; ok && name != "d" {
			return nil, fmt.Errorf("keys: jwk: member %s on a %s key: %w", name, raw.kty, ErrMalformed)
		}
	}
	if _, ok := m["d"]; ok && raw.d == "" {
		return nil, fmt.Errorf("keys: jwk: empty d: %w", ErrMalformed)
	}
	if ops, ok := m["key_ops"]; ok {
		list, ok := ops.([]any)
		if !ok {
			return nil, fmt.Errorf("keys: jwk: key_ops is not an array: %w", ErrMalformed)
		}
		for _, op := range list {
			s, ok := op.(string)
			if !ok || slices.Contains(raw.info.KeyOps, s) {
				return nil, fmt.Errorf("keys: jwk: key_ops entries must be distinct strings: %w", ErrMalformed)
			}
			raw.info.KeyOps = append(raw.info.KeyOps, s)
		}
	}
	return &raw, nil
}

func (raw *rawJWK) publicKey() (crypto.PublicKey, error) {
	x, err := b64.DecodeString(raw.x)
	if err != nil || raw.x == "" {
		return nil, fmt.Errorf("keys: jwk: member x: %w", ErrMalformed)
	}
	switch raw.kty {
	case "OKP":
		if raw.y != "" {
			return nil, fmt.Errorf("keys: jwk: OKP key with y: %w", ErrMalformed)
		}
		if len(x) != 32 {
			switch raw.crv {
			case "Ed25519", "X25519":
				return nil, fmt.Errorf("keys: jwk: %s x of %d bytes: %w", raw.crv, len(x), ErrInvalidKey)
			}
		}
		switch raw.crv {
		case "Ed25519":
			k, err := parseEd25519(x)
			if err != nil {
				return nil, err
			}
			return k, nil
		case "X25519":
			k, err := ecdh.X25519().NewPublicKey(x)
			if err != nil {
				return nil, fmt.Errorf("keys: jwk: x25519: %w", ErrInvalidKey)
			}
			return k, nil
		case "":
			return nil, fmt.Errorf("keys: jwk: no crv: %w", ErrMalformed)
		}
		return nil, fmt.Errorf("keys: jwk: OKP curve %q: %w", raw.crv, ErrUnsupportedKeyType)
	default: // EC
		y, err := b64.DecodeString(raw.y)
		if err != nil || raw.y == "" {
			return nil, fmt.Errorf("keys: jwk: member y: %w", ErrMalformed)
		}
		var size int
		var curve elliptic.Curve
		switch raw.crv {
		case "BLS12381G2":
			return parseBLS12381G2JWK(x, y)
		case "P-256":
			size, curve = 32, elliptic.P256()
		case "P-384":
			size, curve = 48, elliptic.P384()
		case "secp256k1":
			size = 32
		case "":
			return nil, fmt.Errorf("keys: jwk: no crv: %w", ErrMalformed)
		default:
			return nil, fmt.Errorf("keys: jwk: EC curve %q: %w", raw.crv, ErrUnsupportedKeyType)
		}
		if len(x) != size || len(y) != size {
			return nil, fmt.Errorf("keys: jwk: %s coordinates of %d and %d bytes: %w", raw.crv, len(x), len(y), ErrInvalidKey)
		}
		point := append(append([]byte{4}, x...), y...)
		if curve == nil {
			k, err := ParseSecp256k1PublicKey(point)
			if err != nil {
				return nil, err
			}
			return k, nil
		}
		k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil {
			return nil, fmt.Errorf("keys: jwk: %s point not on curve: %w", raw.crv, ErrInvalidKey)
		}
		return k, nil
	}
}

// checkInfo rejects "alg" and "use" values that contradict the key.
func checkInfo(pub crypto.PublicKey, info JWKInfo) error {
	kt, _ := TypeOf(pub)
	switch info.Use {
	case "", "enc":
	case "sig":
		if kt == X25519 {
			return fmt.Errorf("keys: jwk: X25519 key with use sig: %w", ErrInvalidKey)
		}
	default:
		return fmt.Errorf("keys: jwk: use %q: %w", info.Use, ErrInvalidKey)
	}
	if info.Algorithm == "" {
		return nil
	}
	// A key-agreement algorithm is allowed on keys that can do ECDH.
	if strings.HasPrefix(info.Algorithm, "ECDH-ES") && (kt == X25519 || kt == P256 || kt == P384) {
		return nil
	}
	alg, err := Algorithm(pub)
	if err != nil || alg != info.Algorithm {
		return fmt.Errorf("keys: jwk: alg %q on a %s key: %w", info.Algorithm, kt, ErrAlgorithmKeyMismatch)
	}
	return nil
}

type jwkJSON struct {
	Crv string `json:"crv"`
	D   string `json:"d,omitempty"`
	Kty string `json:"kty"`
	X   string `json:"x"`
	Y   string `json:"y,omitempty"`
}

func toJWK(pub crypto.PublicKey) (*jwkJSON, error) {
	kt, err := TypeOf(pub)
	if err != nil {
		return nil, err
	}
	switch k := pub.(type) {
	case *ed25519.PublicKey:
		return toJWK(*k)
	case ed25519.PublicKey:
		return &jwkJSON{Crv: "Ed25519", Kty: "OKP", X: b64.EncodeToString(k)}, nil
	case *ecdh.PublicKey:
		return &jwkJSON{Crv: "X25519", Kty: "OKP", X: b64.EncodeToString(k.Bytes())}, nil
	case *ecdsa.PublicKey:
		b, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("keys: %w", ErrInvalidKey)
		}
		n := (len(b) - 1) / 2
		crv := "P-256"
		if kt == P384 {
			crv = "P-384"
		}
		return &jwkJSON{Crv: crv, Kty: "EC", X: b64.EncodeToString(b[1 : 1+n]), Y: b64.EncodeToString(b[1+n:])}, nil
	case *Secp256k1PublicKey:
		b := k.Uncompressed()
		return &jwkJSON{Crv: "secp256k1", Kty: "EC", X: b64.EncodeToString(b[1:33]), Y: b64.EncodeToString(b[33:])}, nil
	case *BLS12381G2PublicKey:
		x, y := bls12381G2JWK(k)
		return &jwkJSON{Crv: "BLS12381G2", Kty: "EC", X: b64.EncodeToString(x), Y: b64.EncodeToString(y)}, nil
	}
	return nil, fmt.Errorf("keys: public key of type %T: %w", pub, ErrUnsupportedKeyType)
}

// JWK encodes pub as a public JWK holding only the required members, in the
// lexicographic order of RFC 7638 §3.2 (so its SHA-256 is the key's thumbprint).
func JWK(pub crypto.PublicKey) ([]byte, error) {
	j, err := toJWK(pub)
	if err != nil {
		return nil, err
	}
	return json.Marshal(j)
}

// PrivateJWK encodes a private signing key (Ed25519, P-256, P-384 or secp256k1) as a JWK
// with member d. The output is secret; never log it.
func PrivateJWK(priv crypto.Signer) ([]byte, error) {
	if priv == nil {
		return nil, fmt.Errorf("keys: nil key: %w", ErrInvalidKey)
	}
	j, err := toJWK(priv.Public())
	if err != nil {
		return nil, err
	}
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		j.D = b64.EncodeToString(k.Seed())
	case *ecdsa.PrivateKey:
		d, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("keys: %w", ErrInvalidKey)
		}
		j.D = b64.EncodeToString(d)
	case *Secp256k1PrivateKey:
		j.D = b64.EncodeToString(k.Bytes())
	case signer:
		return PrivateJWK(k.Signer)
	default:
		return nil, fmt.Errorf("keys: private key of type %T cannot be exported: %w", priv, ErrUnsupportedKeyType)
	}
	return json.Marshal(j)
}

// Thumbprint returns the RFC 7638 JWK thumbprint of pub under the hash h (crypto.SHA256
// in practice; the hash must be available).
func Thumbprint(pub crypto.PublicKey, h crypto.Hash) ([]byte, error) {
	if !h.Available() {
		return nil, fmt.Errorf("keys: thumbprint hash %v: %w", h, ErrAlgorithmNotAllowed)
	}
	j, err := JWK(pub)
	if err != nil {
		return nil, err
	}
	d := h.New()
	d.Write(j)
	return d.Sum(nil), nil
}

// ThumbprintURI returns the RFC 9278 SHA-256 JWK thumbprint URI of pub
// ("urn:ietf:params:oauth:jwk-thumbprint:sha-256:...").
func ThumbprintURI(pub crypto.PublicKey) (string, error) {
	j, err := JWK(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(j)
	return "urn:ietf:params:oauth:jwk-thumbprint:sha-256:" + b64.EncodeToString(sum[:]), nil
}
