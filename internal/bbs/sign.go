package bbs

import (
	"context"
	"fmt"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	"github.com/consensys/gnark-crypto/ecc"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// Sign returns the BBS signature of header and messages (the draft's Sign, §3.5.1): the
// 48-byte compressed point A followed by the 32-byte scalar e. Signing is deterministic.
// Every step that touches the secret key or the messages runs on circl's constant-time
// arithmetic. ctx is checked before the work starts; an in-memory key does no I/O.
func (k *SecretKey) Sign(ctx context.Context, header []byte, messages [][]byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gens, err := k.suite.generators(len(messages) + 1)
	if err != nil {
		return nil, err
	}
	msgs, err := messagesToScalars(messages)
	if err != nil {
		return nil, err
	}
	domain, err := calculateDomain(k.pub, gens, header)
	if err != nil {
		return nil, err
	}

	// e = hash_to_scalar(serialize((SK, msg_1, ..., msg_L, domain)), h2s_dst)
	in := make([]byte, 0, (len(msgs)+2)*ScalarSize)
	in = appendScalar(in, &k.sk)
	for i := range msgs {
		in = appendScalar(in, &msgs[i])
	}
	in = appendScalar(in, &domain)
	e, err := hashToScalar(in, dstH2S)
	clear(in)
	if err != nil {
		return nil, err
	}

	b := computeB(gens, &domain, msgs)
	// A = B * (1 / (SK + e))
	var t circl.Scalar
	t.Add(&k.sk, &e)
	if t.IsZero() == 1 {
		return nil, fmt.Errorf("bbs: SK + e is zero: %w", ErrInvalidKey)
	}
	t.Inv(&t)
	var a circl.G1
	a.ScalarMult(&t, &b)
	if a.IsIdentity() {
		return nil, fmt.Errorf("bbs: signature point is the identity: %w", ErrInvalidKey)
	}
	sig := make([]byte, 0, SignatureSize)
	sig = append(sig, a.BytesCompressed()...)
	return appendScalar(sig, &e), nil
}

// computeB returns B = P1 + Q_1 * domain + H_1 * msg_1 + ... + H_L * msg_L with circl's
// constant-time scalar multiplication: the messages may be secret to the holder.
func computeB(gens []generator, domain *circl.Scalar, msgs []circl.Scalar) circl.G1 {
	b := fixed().p1c
	var t circl.G1
	t.ScalarMult(domain, &gens[0].c)
	b.Add(&b, &t)
	for i := range msgs {
		t.ScalarMult(&msgs[i], &gens[i+1].c)
		b.Add(&b, &t)
	}
	return b
}

// Verify checks a BBS signature on header and messages under pk (the draft's Verify,
// §3.5.2). A signature that does not decode (wrong length, A not a point of G1 or the
// identity, e zero or not below r) is ErrMalformed; one that decodes but does not verify
// is ErrInvalidSignature. Verification handles only public values and runs on
// gnark-crypto.
func (s *Suite) Verify(pk *PublicKey, sig, header []byte, messages [][]byte) error {
	if pk == nil {
		return fmt.Errorf("bbs: nil public key: %w", ErrInvalidKey)
	}
	a, e, err := decodeSignature(sig)
	if err != nil {
		return err
	}
	gens, err := s.generators(len(messages) + 1)
	if err != nil {
		return err
	}
	msgs, err := messagesToScalars(messages)
	if err != nil {
		return err
	}
	domain, err := calculateDomain(pk, gens, header)
	if err != nil {
		return err
	}
	// h(A, W + BP2 * e) * h(B, -BP2) == 1 is checked as h(A, W) * h(B - A * e, -BP2) == 1,
	// which moves the scalar multiplication from G2 to G1 and into one multi-scalar
	// multiplication: C = P1 + Q_1 * domain + sum H_i * msg_i - A * e.
	points := make([]gnark.G1Affine, 0, len(msgs)+3)
	scalars := make([]fr.Element, 0, len(msgs)+3)
	var one, negE fr.Element
	one.SetOne()
	negE.Neg(&e)
	points = append(points, fixed().p1, gens[0].g, a)
	scalars = append(scalars, one, toFr(&domain), negE)
	for i := range msgs {
		points = append(points, gens[i+1].g)
		scalars = append(scalars, toFr(&msgs[i]))
	}
	var c gnark.G1Affine
	if _, err := c.MultiExp(points, scalars, ecc.MultiExpConfig{NbTasks: 1}); err != nil {
		return fmt.Errorf("bbs: multi-scalar multiplication: %w", err)
	}
	if !pairingCheck(&a, &c, pk) {
		return fmt.Errorf("bbs: signature does not verify: %w", ErrInvalidSignature)
	}
	return nil
}
