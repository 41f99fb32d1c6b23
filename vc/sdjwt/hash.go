package sdjwt

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"slices"
)

// Hash algorithm names for _sd_alg, from the IANA "Named Information Hash Algorithm"
// registry (RFC 9901 §4.1.1).
const (
	SHA256 = "sha-256" // the default, and the only one every implementation supports
	SHA384 = "sha-384"
	SHA512 = "sha-512"
)

// hashAlg is a digest function of _sd_alg.
type hashAlg struct {
	name   string
	size   int // digest bytes
	encLen int // base64url characters of a digest
}

var hashAlgs = [...]hashAlg{
	{SHA256, sha256.Size, 43},
	{SHA384, sha512.Size384, 64},
	{SHA512, sha512.Size, 86},
}

func lookupHash(name string) (hashAlg, bool) {
	for _, h := range hashAlgs {
		if h.name == name {
			return h, true
		}
	}
	return hashAlg{}, false
}

// policyHash returns the hash named by _sd_alg if the allow-list (SHA256 alone when
// empty) admits it.
func policyHash(name string, allowed []string) (hashAlg, error) {
	h, ok := lookupHash(name)
	if !ok {
		return hashAlg{}, fmt.Errorf("sdjwt: _sd_alg %q: %w", name, ErrUnsupportedHashAlgorithm)
	}
	if len(allowed) == 0 {
		allowed = []string{SHA256}
	}
	if !slices.Contains(allowed, name) {
		return hashAlg{}, fmt.Errorf("sdjwt: _sd_alg %q not allowed: %w", name, ErrUnsupportedHashAlgorithm)
	}
	return h, nil
}

var b64 = base64.RawURLEncoding.Strict()

// sum returns the digest of data, base64url-encoded (RFC 9901 §4.2.3): the input is
// the ASCII of a disclosure or of a presentation, never the bytes they encode.
func (h hashAlg) sum(data []byte) string {
	var buf [sha512.Size * 2]byte
	return string(h.appendSum(buf[:0], data))
}

// appendSum appends the base64url digest of data to dst.
func (h hashAlg) appendSum(dst, data []byte) []byte {
	var buf [sha512.Size]byte
	var d []byte
	switch h.size {
	case sha256.Size:
		s := sha256.Sum256(data)
		d = append(buf[:0], s[:]...)
	case sha512.Size384:
		s := sha512.Sum384(data)
		d = append(buf[:0], s[:]...)
	default:
		s := sha512.Sum512(data)
		d = append(buf[:0], s[:]...)
	}
	return b64.AppendEncode(dst, d)
}

// validDigest reports whether s could be a digest of h: the right length, base64url
// characters only. A digest that fails can match no disclosure, so it is a forgery or a
// bug, and a decoy must look like a real digest anyway.
func (h hashAlg) validDigest(s string) bool {
	if len(s) != h.encLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isB64URL(s[i]) {
			return false
		}
	}
	// The last character carries padding bits that must be zero in the strict encoding.
	last := b64Index(s[len(s)-1])
	switch h.encLen % 4 {
	case 2:
		return last&0x0f == 0
	case 3:
		return last&0x03 == 0
	}
	return true
}

func isB64URL(c byte) bool { return charClass[c] == classB64 }

// Character classes of the compact serialization, looked up rather than compared:
// splitting scans every byte of the token.
const (
	classOther = iota
	classB64
	classDot
	classTilde
)

var charClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
			t[c] = classB64
		case c == '.':
			t[c] = classDot
		case c == '~':
			t[c] = classTilde
		}
	}
	return t
}()

func b64Index(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A'
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26
	case '0' <= c && c <= '9':
		return c - '0' + 52
	case c == '-':
		return 62
	}
	return 63
}
