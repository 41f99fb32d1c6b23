package keys

import "crypto"

// Algorithm names (JOSE, RFC 7518 / RFC 8037 / RFC 8812).
const (
	EdDSA  = "EdDSA"
	ES256  = "ES256"
	ES384  = "ES384"
	ES256K = "ES256K"
)

// Algorithm returns the one signature algorithm that pub is used with.
func Algorithm(pub crypto.PublicKey) (string, error) { return "", ErrUnsupportedKeyType }

// ParseJWK parses a public JWK (RFC 7517, RFC 8037).
func ParseJWK(data []byte) (crypto.PublicKey, error) { return nil, ErrUnsupportedKeyType }

// JWK encodes pub as a public JWK with members in RFC 7638 order.
func JWK(pub crypto.PublicKey) ([]byte, error) { return nil, ErrUnsupportedKeyType }

// ParseMultikey parses a Multikey publicKeyMultibase value.
func ParseMultikey(s string) (crypto.PublicKey, error) { return nil, ErrUnsupportedKeyType }

// Multikey encodes pub as a Multikey publicKeyMultibase value.
func Multikey(pub crypto.PublicKey) (string, error) { return "", ErrUnsupportedKeyType }
