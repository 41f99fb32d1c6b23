package dataintegrity

import "errors"

// Multibase base58btc (Controlled Identifiers 1.0 §2.4, prefix "z"), the proofValue
// encoding of every suite here. Decoding is quadratic in the input, so callers bound the
// length first (maxProofValue).

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := range len(base58Alphabet) {
		t[base58Alphabet[i]] = byte(i)
	}
	return t
}()

var errBase58 = errors.New("invalid base58btc")

// base58Encode returns the base58btc encoding of b (without the multibase prefix).
func base58Encode(b []byte) string {
	const limb = 58 * 58 * 58 * 58 * 58 // five digits per uint32
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// The number in base 58^5, least significant first, fed three bytes at a time.
	// log(256)/log(58^5) < 0.2731 limbs per byte.
	var scratch [40]uint32
	limbs := scratch[:0]
	if n := (len(b)-zeros)*2731/10000 + 1; n > len(scratch) {
		limbs = make([]uint32, 0, n)
	}
	for i := zeros; i < len(b); {
		mul, add := uint64(1), uint64(0)
		for j := 0; j < 3 && i < len(b); j, i = j+1, i+1 {
			mul <<= 8
			add = add<<8 | uint64(b[i])
		}
		carry := add
		for k := range limbs {
			t := uint64(limbs[k])*mul + carry
			limbs[k] = uint32(t % limb)
			carry = t / limb
		}
		for carry > 0 {
			limbs = append(limbs, uint32(carry%limb))
			carry /= limb
		}
	}
	digits := make([]byte, 0, 5*len(limbs))
	for _, l := range limbs {
		for range 5 {
			digits = append(digits, byte(l%58))
			l /= 58
		}
	}
	for len(digits) > 0 && digits[len(digits)-1] == 0 {
		digits = digits[:len(digits)-1]
	}
	out := make([]byte, zeros+len(digits))
	for i := range zeros {
		out[i] = '1'
	}
	for i, d := range digits {
		out[len(out)-1-i] = base58Alphabet[d]
	}
	return string(out)
}

// base58Decode decodes base58btc text (without the multibase prefix). Every character
// must be in the alphabet; leading '1's are zero bytes, as the encoding defines.
func base58Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// The number in 32-bit limbs, least significant first, fed five digits at a time
	// (58^5 < 2^32). log(58)/log(2^32) < 0.1833 limbs per digit.
	var scratch [48]uint32
	n := (len(s)-zeros)*1833/10000 + 1
	limbs := scratch[:0]
	if n > len(scratch) {
		limbs = make([]uint32, 0, n)
	}
	for i := zeros; i < len(s); {
		mul, add := uint64(1), uint64(0)
		for j := 0; j < 5 && i < len(s); j, i = j+1, i+1 {
			d := base58Index[s[i]]
			if d == 0xff {
				return nil, errBase58
			}
			mul *= 58
			add = add*58 + uint64(d)
		}
		carry := add
		for k := range limbs {
			t := uint64(limbs[k])*mul + carry
			limbs[k] = uint32(t)
			carry = t >> 32
		}
		if carry > 0 {
			limbs = append(limbs, uint32(carry))
		}
	}
	size := 4 * len(limbs)
	for size > 0 && byte(limbs[(size-1)/4]>>(8*((size-1)%4))) == 0 {
		size--
	}
	out := make([]byte, zeros+size)
	for i := range size {
		out[len(out)-1-i] = byte(limbs[i/4] >> (8 * (i % 4)))
	}
	return out, nil
}
