package bbs

import (
	"encoding/binary"
	"fmt"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// decodeG1 is octets_to_point_E1 followed by the checks every caller in the draft makes:
// 48 bytes in compressed form, on the curve, in the subgroup G1, not the identity.
func decodeG1(b []byte, what string) (gnark.G1Affine, error) {
	var p gnark.G1Affine
	if len(b) != G1Size || b[0]&0x80 == 0 {
		return p, fmt.Errorf("bbs: %s is not a compressed G1 point: %w", what, ErrMalformed)
	}
	if _, err := p.SetBytes(b); err != nil {
		return p, fmt.Errorf("bbs: %s is not a point of G1: %w", what, ErrMalformed)
	}
	if p.IsInfinity() {
		return p, fmt.Errorf("bbs: %s is the identity: %w", what, ErrMalformed)
	}
	return p, nil
}

// decodeScalar reads a 32-byte big-endian scalar that must satisfy 0 < s < r.
func decodeScalar(b []byte, what string) (fr.Element, error) {
	var s fr.Element
	if err := s.SetBytesCanonical(b); err != nil {
		return s, fmt.Errorf("bbs: %s is not below r: %w", what, ErrMalformed)
	}
	if s.IsZero() {
		return s, fmt.Errorf("bbs: %s is zero: %w", what, ErrMalformed)
	}
	return s, nil
}

// toFr converts a scalar of circl to one of gnark; both are below r.
func toFr(s *circl.Scalar) fr.Element {
	b, _ := s.MarshalBinary()
	var e fr.Element
	e.SetBytes(b)
	return e
}

// appendScalar appends the 32-byte big-endian encoding of s.
func appendScalar(dst []byte, s *circl.Scalar) []byte {
	b, _ := s.MarshalBinary()
	return append(dst, b...)
}

// appendFr appends the 32-byte big-endian encoding of s.
func appendFr(dst []byte, s *fr.Element) []byte {
	b := s.Bytes()
	return append(dst, b[:]...)
}

// messagesToScalars is messages_to_scalars of the draft (§4.1.2): each message hashed to
// a scalar on its own with the map-message tag.
func messagesToScalars(messages [][]byte) ([]circl.Scalar, error) {
	out := make([]circl.Scalar, len(messages))
	for i, m := range messages {
		s, err := hashToScalar(m, dstMapMsg)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// calculateDomain is calculate_domain of the draft (§4.2.4): gens is Q_1, H_1, ..., H_L.
func calculateDomain(pk *PublicKey, gens []generator, header []byte) (circl.Scalar, error) {
	in := make([]byte, 0, PublicKeySize+8+len(gens)*G1Size+len(apiID)+8+len(header))
	in = append(in, pk.bytes[:]...)
	in = binary.BigEndian.AppendUint64(in, uint64(len(gens)-1))
	for i := range gens {
		in = append(in, gens[i].bytes[:]...)
	}
	in = append(in, apiID...)
	in = binary.BigEndian.AppendUint64(in, uint64(len(header)))
	in = append(in, header...)
	return hashToScalar(in, dstH2S)
}

// decodeSignature is octets_to_signature of the draft (§4.2.4.3).
func decodeSignature(sig []byte) (gnark.G1Affine, fr.Element, error) {
	if len(sig) != SignatureSize {
		return gnark.G1Affine{}, fr.Element{}, fmt.Errorf("bbs: signature of %d bytes, want %d: %w", len(sig), SignatureSize, ErrMalformed)
	}
	a, err := decodeG1(sig[:G1Size], "signature point A")
	if err != nil {
		return a, fr.Element{}, err
	}
	e, err := decodeScalar(sig[G1Size:], "signature scalar e")
	return a, e, err
}

// proof is a decoded BBS proof (octets_to_proof, draft §4.2.4.5).
type proof struct {
	aBar, bBar, d      gnark.G1Affine
	eHat, r1Hat, r3Hat fr.Element
	mHat               []fr.Element // commitments to the undisclosed messages
	c                  fr.Element
}

// decodeProof is octets_to_proof: three G1 points, then at least four scalars, every one
// checked.
func decodeProof(b []byte) (*proof, error) {
	if len(b) < minProofSize || (len(b)-3*G1Size)%ScalarSize != 0 {
		return nil, fmt.Errorf("bbs: proof of %d bytes: %w", len(b), ErrMalformed)
	}
	u := (len(b) - minProofSize) / ScalarSize
	if u > MaxMessages {
		return nil, fmt.Errorf("bbs: proof with %d undisclosed messages, more than %d: %w", u, MaxMessages, ErrTooLarge)
	}
	p := &proof{mHat: make([]fr.Element, u)}
	var err error
	for i, pt := range []*gnark.G1Affine{&p.aBar, &p.bBar, &p.d} {
		if *pt, err = decodeG1(b[i*G1Size:(i+1)*G1Size], "proof point"); err != nil {
			return nil, err
		}
	}
	rest := b[3*G1Size:]
	next := func() (fr.Element, error) {
		s, err := decodeScalar(rest[:ScalarSize], "proof scalar")
		rest = rest[ScalarSize:]
		return s, err
	}
	for _, s := range []*fr.Element{&p.eHat, &p.r1Hat, &p.r3Hat} {
		if *s, err = next(); err != nil {
			return nil, err
		}
	}
	for i := range p.mHat {
		if p.mHat[i], err = next(); err != nil {
			return nil, err
		}
	}
	if p.c, err = next(); err != nil {
		return nil, err
	}
	return p, nil
}

// encode is proof_to_octets.
func (p *proof) encode() []byte {
	out := make([]byte, 0, minProofSize+len(p.mHat)*ScalarSize)
	for _, pt := range []*gnark.G1Affine{&p.aBar, &p.bBar, &p.d} {
		b := pt.Bytes()
		out = append(out, b[:]...)
	}
	out = appendFr(out, &p.eHat)
	out = appendFr(out, &p.r1Hat)
	out = appendFr(out, &p.r3Hat)
	for i := range p.mHat {
		out = appendFr(out, &p.mHat[i])
	}
	return appendFr(out, &p.c)
}
