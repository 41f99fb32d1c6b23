package bbs

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math/big"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	"github.com/consensys/gnark-crypto/ecc"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// ProofGen derives a proof of knowledge of sig, a signature by pk on header and messages,
// that discloses only the messages at the indexes disclosed (strictly ascending, each
// below len(messages)) and is bound to the presentation header ph (the draft's ProofGen,
// §3.5.3). rnd supplies the blinding randomness; nil is crypto/rand.
//
// The signature, the undisclosed messages and the blinding scalars are secrets of the
// holder: every step that touches them runs on circl's constant-time arithmetic. ProofGen
// does not verify sig; a proof made from a signature that does not verify does not verify
// either, so check the signature with Verify when it is received.
func (s *Suite) ProofGen(pk *PublicKey, sig, header, ph []byte, messages [][]byte, disclosed []int, rnd io.Reader) ([]byte, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	return s.proofGen(pk, sig, header, ph, messages, disclosed, func(n int) ([]circl.Scalar, error) {
		return randomScalars(rnd, n)
	})
}

// randomScalars is calculate_random_scalars (draft §4.2.1): each scalar is 48 random bytes
// reduced mod r.
func randomScalars(rnd io.Reader, n int) ([]circl.Scalar, error) {
	buf := make([]byte, n*expandLen)
	defer clear(buf)
	if _, err := io.ReadFull(rnd, buf); err != nil {
		return nil, fmt.Errorf("bbs: reading randomness: %w", err)
	}
	out := make([]circl.Scalar, n)
	for i := range out {
		out[i] = reduce48(buf[i*expandLen : (i+1)*expandLen])
	}
	return out, nil
}

// checkIndexes checks that indexes are strictly ascending and below l.
func checkIndexes(indexes []int, l int) bool {
	for i, x := range indexes {
		if x < 0 || x >= l || (i > 0 && x <= indexes[i-1]) {
			return false
		}
	}
	return true
}

func (s *Suite) proofGen(pk *PublicKey, sig, header, ph []byte, messages [][]byte, disclosed []int,
	random func(int) ([]circl.Scalar, error)) ([]byte, error) {
	if pk == nil {
		return nil, fmt.Errorf("bbs: nil public key: %w", ErrInvalidKey)
	}
	l := len(messages)
	if !checkIndexes(disclosed, l) {
		return nil, fmt.Errorf("bbs: disclosed indexes must be strictly ascending and below %d: %w", l, ErrMalformed)
	}
	a, e, err := decodeSignatureCT(sig)
	if err != nil {
		return nil, err
	}
	gens, err := s.generators(l + 1)
	if err != nil {
		return nil, err
	}
	msgs, err := messagesToScalars(messages)
	if err != nil {
		return nil, err
	}
	defer clear(msgs)
	undisclosed := make([]int, 0, l-len(disclosed))
	for i, j := 0, 0; i < l; i++ {
		if j < len(disclosed) && disclosed[j] == i {
			j++
			continue
		}
		undisclosed = append(undisclosed, i)
	}
	u := len(undisclosed)
	rs, err := random(5 + u)
	if err != nil {
		return nil, err
	}
	defer clear(rs)
	if len(rs) != 5+u {
		return nil, fmt.Errorf("bbs: %d random scalars, want %d: %w", len(rs), 5+u, ErrMalformed)
	}
	r1, r2, eT, r1T, r3T, mT := &rs[0], &rs[1], &rs[2], &rs[3], &rs[4], rs[5:]

	// ProofInit (draft §3.7.1).
	domain, err := calculateDomain(pk, gens, header)
	if err != nil {
		return nil, err
	}
	b := computeB(gens, &domain, msgs)
	var d, aBar, bBar, t1, t2, t circl.G1
	d.ScalarMult(r2, &b)
	var r1r2 circl.Scalar
	r1r2.Mul(r1, r2)
	aBar.ScalarMult(&r1r2, &a)
	bBar.ScalarMult(r1, &d)
	t.ScalarMult(&e, &aBar)
	t.Neg()
	bBar.Add(&bBar, &t)
	t1.ScalarMult(eT, &aBar)
	t.ScalarMult(r1T, &d)
	t1.Add(&t1, &t)
	t2.ScalarMult(r3T, &d)
	for k, j := range undisclosed {
		t.ScalarMult(&mT[k], &gens[j+1].c)
		t2.Add(&t2, &t)
	}

	// ProofChallengeCalculate (draft §3.7.4).
	disclosedMsgs := make([]circl.Scalar, len(disclosed))
	for k, i := range disclosed {
		disclosedMsgs[k] = msgs[i]
	}
	c, err := challenge(disclosed, disclosedMsgs, [5][]byte{
		aBar.BytesCompressed(), bBar.BytesCompressed(), d.BytesCompressed(),
		t1.BytesCompressed(), t2.BytesCompressed(),
	}, &domain, ph)
	if err != nil {
		return nil, err
	}

	// ProofFinalize (draft §3.7.2).
	var r3, eHat, r1Hat, r3Hat circl.Scalar
	r3.Inv(r2)
	eHat.Mul(&e, &c)
	eHat.Add(&eHat, eT)
	r1Hat.Mul(r1, &c)
	r1Hat.Sub(r1T, &r1Hat)
	r3Hat.Mul(&r3, &c)
	r3Hat.Sub(r3T, &r3Hat)
	out := make([]byte, 0, minProofSize+u*ScalarSize)
	out = append(out, aBar.BytesCompressed()...)
	out = append(out, bBar.BytesCompressed()...)
	out = append(out, d.BytesCompressed()...)
	out = appendScalar(out, &eHat)
	out = appendScalar(out, &r1Hat)
	out = appendScalar(out, &r3Hat)
	var m circl.Scalar
	for k, j := range undisclosed {
		m.Mul(&msgs[j], &c)
		m.Add(&m, &mT[k])
		out = appendScalar(out, &m)
	}
	out = appendScalar(out, &c)
	return out, nil
}

// decodeSignatureCT is octets_to_signature with circl: the holder's signature is a
// secret that would link its proofs, so it is decoded with constant-time arithmetic.
func decodeSignatureCT(sig []byte) (circl.G1, circl.Scalar, error) {
	var a circl.G1
	var e circl.Scalar
	if len(sig) != SignatureSize || sig[0]&0x80 == 0 {
		return a, e, fmt.Errorf("bbs: signature of %d bytes, want %d in compressed form: %w", len(sig), SignatureSize, ErrMalformed)
	}
	if err := a.SetBytes(sig[:G1Size]); err != nil || a.IsIdentity() {
		return a, e, fmt.Errorf("bbs: signature point A is not a point of G1 other than the identity: %w", ErrMalformed)
	}
	if err := e.UnmarshalBinary(sig[G1Size:]); err != nil || e.IsZero() == 1 {
		return a, e, fmt.Errorf("bbs: signature scalar e is zero or not below r: %w", ErrMalformed)
	}
	return a, e, nil
}

// challenge is ProofChallengeCalculate: hash_to_scalar of serialize((R, i1, msg_i1, ...,
// iR, msg_iR, Abar, Bbar, D, T1, T2, domain)) || I2OSP(length(ph), 8) || ph.
func challenge(indexes []int, msgs []circl.Scalar, points [5][]byte, domain *circl.Scalar, ph []byte) (circl.Scalar, error) {
	in := make([]byte, 0, 8+len(indexes)*(8+ScalarSize)+5*G1Size+ScalarSize+8+len(ph))
	in = binary.BigEndian.AppendUint64(in, uint64(len(indexes)))
	for k, i := range indexes {
		in = binary.BigEndian.AppendUint64(in, uint64(i))
		in = appendScalar(in, &msgs[k])
	}
	for _, p := range points {
		in = append(in, p...)
	}
	in = appendScalar(in, domain)
	in = binary.BigEndian.AppendUint64(in, uint64(len(ph)))
	in = append(in, ph...)
	return hashToScalar(in, dstH2S)
}

// ProofVerify checks a proof made by ProofGen against pk, header, the presentation header
// ph and the disclosed messages with their indexes in the signed list (strictly
// ascending), as the draft's ProofVerify (§3.5.4). A proof that does not decode is
// ErrMalformed (ErrTooLarge past MaxMessages); one that decodes but does not verify, or
// whose indexes do not fit it, is ErrInvalidProof. Only public values are involved, so
// verification runs on gnark-crypto.
func (s *Suite) ProofVerify(pk *PublicKey, proofBytes, header, ph []byte, disclosed [][]byte, indexes []int) error {
	if pk == nil {
		return fmt.Errorf("bbs: nil public key: %w", ErrInvalidKey)
	}
	p, err := decodeProof(proofBytes)
	if err != nil {
		return err
	}
	r, u := len(indexes), len(p.mHat)
	l := r + u
	if len(disclosed) != r {
		return fmt.Errorf("bbs: %d disclosed messages for %d indexes: %w", len(disclosed), r, ErrInvalidProof)
	}
	if l > MaxMessages {
		return fmt.Errorf("bbs: proof over %d messages, more than %d: %w", l, MaxMessages, ErrTooLarge)
	}
	if !checkIndexes(indexes, l) {
		return fmt.Errorf("bbs: disclosed indexes must be strictly ascending and below %d: %w", l, ErrInvalidProof)
	}
	gens, err := s.generators(l + 1)
	if err != nil {
		return err
	}
	msgs, err := messagesToScalars(disclosed)
	if err != nil {
		return err
	}
	domain, err := calculateDomain(pk, gens, header)
	if err != nil {
		return err
	}

	// ProofVerifyInit (draft §3.7.3).
	// T1 = Bbar * c + Abar * e^ + D * r1^. Three points are too few for gnark's
	// multi-scalar multiplication, whose bucket method and goroutines cost twice a joint
	// (Straus) multiplication plus a GLV one here.
	var t1, t2 gnark.G1Affine
	var t1j, t gnark.G1Jac
	var bc, be, br big.Int
	t1j.JointScalarMultiplication(&p.aBar, &p.d, p.eHat.BigInt(&be), p.r1Hat.BigInt(&br))
	t.FromAffine(&p.bBar)
	t.ScalarMultiplication(&t, p.c.BigInt(&bc))
	t1j.AddAssign(&t)
	t1.FromJacobian(&t1j)
	// T2 = Bv * c + D * r3^ + sum H_j * m^_j, with Bv * c expanded to
	// P1 * c + Q_1 * (domain * c) + sum H_i * (msg_i * c): one multi-scalar multiplication.
	points := make([]gnark.G1Affine, 0, l+3)
	scalars := make([]fr.Element, 0, l+3)
	var dc fr.Element
	dom := toFr(&domain)
	dc.Mul(&dom, &p.c)
	points = append(points, fixed().p1, gens[0].g, p.d)
	scalars = append(scalars, p.c, dc, p.r3Hat)
	for k, i := range indexes {
		var mc fr.Element
		m := toFr(&msgs[k])
		mc.Mul(&m, &p.c)
		points = append(points, gens[i+1].g)
		scalars = append(scalars, mc)
	}
	for i, j, k := 0, 0, 0; i < l; i++ {
		if j < r && indexes[j] == i {
			j++
			continue
		}
		points = append(points, gens[i+1].g)
		scalars = append(scalars, p.mHat[k])
		k++
	}
	if _, err := t2.MultiExp(points, scalars, ecc.MultiExpConfig{NbTasks: 1}); err != nil {
		return fmt.Errorf("bbs: multi-scalar multiplication: %w", err)
	}

	var enc [5][]byte
	for i, pt := range []*gnark.G1Affine{&p.aBar, &p.bBar, &p.d, &t1, &t2} {
		b := pt.Bytes()
		enc[i] = b[:]
	}
	c, err := challenge(indexes, msgs, enc, &domain, ph)
	if err != nil {
		return err
	}
	if cf := toFr(&c); !cf.Equal(&p.c) {
		return fmt.Errorf("bbs: proof challenge does not match: %w", ErrInvalidProof)
	}
	// h(Abar, W) * h(Bbar, -BP2) == Identity_GT
	if !pairingCheck(&p.aBar, &p.bBar, pk) {
		return fmt.Errorf("bbs: proof does not verify: %w", ErrInvalidProof)
	}
	return nil
}
