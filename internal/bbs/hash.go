package bbs

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	circl "github.com/cloudflare/circl/ecc/bls12381"
)

// expandLen is expand_len of the ciphersuite: ceil((ceil(log2(r)) + k) / 8) with k = 128.
const expandLen = 48

// expandMessageXMD is expand_message_xmd of RFC 9380 §5.3.1 with SHA-256. dst must be at
// most 255 bytes and n at most 255 * 32; both hold for every caller in this package, and
// a violation is an error, never a panic.
func expandMessageXMD(msg, dst []byte, n int) ([]byte, error) {
	const b = sha256.Size // b_in_bytes
	const s = 64          // s_in_bytes, the SHA-256 block size
	ell := (n + b - 1) / b
	if ell > 255 || n > 65535 || len(dst) > 255 {
		return nil, fmt.Errorf("bbs: expand_message_xmd of %d bytes with a %d-byte tag: %w", n, len(dst), ErrMalformed)
	}
	dstPrime := append(dst[:len(dst):len(dst)], byte(len(dst)))

	h := sha256.New()
	var zPad [s]byte
	h.Write(zPad[:])
	h.Write(msg)
	var lib [3]byte
	binary.BigEndian.PutUint16(lib[:2], uint16(n))
	h.Write(lib[:])
	h.Write(dstPrime)
	b0 := h.Sum(nil)

	h.Reset()
	h.Write(b0)
	h.Write([]byte{1})
	h.Write(dstPrime)
	bi := h.Sum(nil)
	out := make([]byte, 0, ell*b)
	out = append(out, bi...)
	for i := 2; i <= ell; i++ {
		var x [b]byte
		for j := range x {
			x[j] = b0[j] ^ bi[j]
		}
		h.Reset()
		h.Write(x[:])
		h.Write([]byte{byte(i)})
		h.Write(dstPrime)
		bi = h.Sum(bi[:0:0])
		out = append(out, bi...)
	}
	return out[:n], nil
}

// hashToScalar is hash_to_scalar of the draft (§4.2.3): expand_message to 48 bytes, read
// as a big-endian integer, reduced mod r.
func hashToScalar(msg, dst []byte) (circl.Scalar, error) {
	u, err := expandMessageXMD(msg, dst, expandLen)
	if err != nil {
		return circl.Scalar{}, err
	}
	return reduce48(u), nil
}

// reduce48 returns the 48-byte big-endian integer b mod r in constant time: b is split into
// three 16-byte limbs, each below r, combined as hi*2^256 + mid*2^128 + lo with the
// Montgomery arithmetic of circl. The random scalars of ProofGen pass through here, so no
// step may depend on their value (circl's own SetBytes reduces through math/big).
func reduce48(b []byte) circl.Scalar {
	var hi, mid, lo, t circl.Scalar
	setLimb(&hi, b[0:16])
	setLimb(&mid, b[16:32])
	setLimb(&lo, b[32:48])
	t.Mul(&hi, &two256)
	mid.Mul(&mid, &two128)
	t.Add(&t, &mid)
	t.Add(&t, &lo)
	return t
}

// setLimb sets s to the 16-byte big-endian value limb, which is always below r.
func setLimb(s *circl.Scalar, limb []byte) {
	var buf [32]byte
	copy(buf[16:], limb)
	// A value below 2^128 is below r, so UnmarshalBinary cannot fail; its comparison with
	// r stops at the first byte (0 against 0x73) whatever the value.
	_ = s.UnmarshalBinary(buf[:])
}

// two128 and two256 are 2^128 and 2^256 mod r; read-only after package initialization.
var two128, two256 = func() (circl.Scalar, circl.Scalar) {
	var a, b circl.Scalar
	var buf [32]byte
	buf[15] = 1 // 2^128
	_ = a.UnmarshalBinary(buf[:])
	b.Mul(&a, &a)
	return a, b
}()
