package schema

import (
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"strings"
)

// maxDigestChars bounds a digestSRI or digestMultibase value before it is decoded.
const maxDigestChars = 1024

// checkIntegrity checks body against the entry's digestSRI and digestMultibase, when
// present (VC DM 2.0 §5.3; VC JSON Schema §4.1). Both must match when both are given.
func checkIntegrity(e Entry, body []byte) error {
	if e.DigestSRI != "" {
		if err := checkSRI(e.DigestSRI, body); err != nil {
			return fmt.Errorf("schema: %s: digestSRI: %w", e.ID, err)
		}
	}
	if e.DigestMultibase != "" {
		if err := checkMultibase(e.DigestMultibase, body); err != nil {
			return fmt.Errorf("schema: %s: digestMultibase: %w", e.ID, err)
		}
	}
	return nil
}

// sriAlgorithms are the hash algorithms of Subresource Integrity §3.2, weakest first.
var sriAlgorithms = []struct {
	name string
	new  func() hash.Hash
}{{"sha256", sha256.New}, {"sha384", sha512.New384}, {"sha512", sha512.New}}

// checkSRI checks body against an SRI metadata string: whitespace-separated
// "alg-base64digest[?options]" expressions. As SRI §3.3.4 says, only the expressions of the
// strongest known algorithm count, and any one of them matching is enough. Unknown
// algorithms are ignored; if no expression has a known one it is
// ErrUnsupportedHashAlgorithm.
func checkSRI(meta string, body []byte) error {
	if len(meta) > maxDigestChars {
		return fmt.Errorf("digest of %d characters: %w", len(meta), ErrInvalidDigest)
	}
	strongest := -1
	var digests [][]byte
	for _, expr := range strings.Fields(meta) {
		expr, _, _ = strings.Cut(expr, "?")
		name, b64, ok := strings.Cut(expr, "-")
		if !ok {
			return fmt.Errorf("not an SRI hash expression: %w", ErrInvalidDigest)
		}
		alg := -1
		for i, a := range sriAlgorithms {
			if a.name == name {
				alg = i
			}
		}
		if alg < 0 {
			continue
		}
		d, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			if d, err = base64.RawStdEncoding.DecodeString(b64); err != nil {
				return fmt.Errorf("digest is not base64: %w", ErrInvalidDigest)
			}
		}
		if len(d) != sriAlgorithms[alg].new().Size() {
			return fmt.Errorf("%s digest of %d bytes: %w", name, len(d), ErrInvalidDigest)
		}
		if alg > strongest {
			strongest, digests = alg, digests[:0]
		}
		if alg == strongest {
			digests = append(digests, d)
		}
	}
	if strongest < 0 {
		return fmt.Errorf("no supported algorithm (sha256, sha384, sha512): %w", ErrUnsupportedHashAlgorithm)
	}
	h := sriAlgorithms[strongest].new()
	h.Write(body)
	sum := h.Sum(nil)
	for _, d := range digests {
		if subtle.ConstantTimeCompare(d, sum) == 1 {
			return nil
		}
	}
	return fmt.Errorf("%s digest does not match: %w", sriAlgorithms[strongest].name, ErrInvalidDigest)
}

// multihashes are the hash functions a digestMultibase may name, by multicodec code.
var multihashes = map[byte]func() hash.Hash{
	0x12: sha256.New,
	0x13: sha512.New,
	0x14: func() hash.Hash { return sha3.New512() },
	0x15: func() hash.Hash { return sha3.New384() },
	0x16: func() hash.Hash { return sha3.New256() },
	0x20: sha512.New384,
}

// checkMultibase checks body against a multibase-encoded multihash (Controlled
// Identifiers §2.4 and Data Integrity §2.6): base64url without padding ("u") or base58btc
// ("z"), then the hash function's code, the digest length and the digest.
func checkMultibase(mb string, body []byte) error {
	if len(mb) > maxDigestChars || len(mb) < 2 {
		return fmt.Errorf("digest of %d characters: %w", len(mb), ErrInvalidDigest)
	}
	var raw []byte
	var err error
	switch mb[0] {
	case 'u':
		raw, err = base64.RawURLEncoding.DecodeString(mb[1:])
	case 'z':
		raw, err = decodeBase58(mb[1:])
	default:
		return fmt.Errorf("multibase prefix %q not supported (u, z): %w", mb[0], ErrInvalidDigest)
	}
	if err != nil {
		return fmt.Errorf("multibase: %w", ErrInvalidDigest)
	}
	if len(raw) < 2 {
		return fmt.Errorf("multihash too short: %w", ErrInvalidDigest)
	}
	if raw[0] >= 0x80 {
		return fmt.Errorf("multihash code not supported: %w", ErrUnsupportedHashAlgorithm)
	}
	newHash, ok := multihashes[raw[0]]
	if !ok {
		return fmt.Errorf("multihash code 0x%x not supported: %w", raw[0], ErrUnsupportedHashAlgorithm)
	}
	h := newHash()
	if int(raw[1]) != h.Size() || len(raw) != 2+h.Size() {
		return fmt.Errorf("multihash length does not match its function: %w", ErrInvalidDigest)
	}
	h.Write(body)
	if subtle.ConstantTimeCompare(raw[2:], h.Sum(nil)) != 1 {
		return fmt.Errorf("digest does not match: %w", ErrInvalidDigest)
	}
	return nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// decodeBase58 decodes base58btc (the Bitcoin alphabet); s is short (maxDigestChars), so
// the quadratic method is fine.
func decodeBase58(s string) ([]byte, error) {
	var idx [256]int8
	for i := range idx {
		idx[i] = -1
	}
	for i := range len(base58Alphabet) {
		idx[base58Alphabet[i]] = int8(i)
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// Big-endian base-256 number, built digit by digit.
	var num []byte
	for i := zeros; i < len(s); i++ {
		d := idx[s[i]]
		if d < 0 {
			return nil, fmt.Errorf("invalid base58 character: %w", ErrInvalidDigest)
		}
		carry := int(d)
		for j := len(num) - 1; j >= 0; j-- {
			carry += int(num[j]) * 58
			num[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			num = append([]byte{byte(carry)}, num...)
			carry >>= 8
		}
	}
	return append(make([]byte, zeros), num...), nil
}
