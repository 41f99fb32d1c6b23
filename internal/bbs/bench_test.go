package bbs

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	"github.com/consensys/gnark-crypto/ecc"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
	"github.com/consensys/gnark-crypto/ecc/bls12-381/fr"
)

// benchMessages is the message count of the benchmarks: a small credential.
const benchMessages = 10

type benchSetup struct {
	suite     *Suite
	sk        *SecretKey
	header    []byte
	ph        []byte
	msgs      [][]byte
	sig       []byte
	indexes   []int
	disclosed [][]byte
	proof     []byte
}

func newBenchSetup(b *testing.B) *benchSetup {
	b.Helper()
	s := &benchSetup{suite: new(Suite), header: []byte("header"), ph: []byte("nonce")}
	var err error
	if s.sk, err = s.suite.GenerateKey(nil); err != nil {
		b.Fatal(err)
	}
	for i := range benchMessages {
		s.msgs = append(s.msgs, fmt.Appendf(nil, "message %d", i))
	}
	if s.sig, err = s.sk.Sign(b.Context(), s.header, s.msgs); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < benchMessages; i += 2 {
		s.indexes = append(s.indexes, i)
		s.disclosed = append(s.disclosed, s.msgs[i])
	}
	if s.proof, err = s.suite.ProofGen(s.sk.PublicKey(), s.sig, s.header, s.ph, s.msgs, s.indexes, nil); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkSign(b *testing.B) {
	s := newBenchSetup(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.sk.Sign(b.Context(), s.header, s.msgs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s := newBenchSetup(b)
	pk := s.sk.PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.suite.Verify(pk, s.sig, s.header, s.msgs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProofGen(b *testing.B) {
	s := newBenchSetup(b)
	pk := s.sk.PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.suite.ProofGen(pk, s.sig, s.header, s.ph, s.msgs, s.indexes, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProofVerify(b *testing.B) {
	s := newBenchSetup(b)
	pk := s.sk.PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.suite.ProofVerify(pk, s.proof, s.header, s.ph, s.disclosed, s.indexes); err != nil {
			b.Fatal(err)
		}
	}
}

// floorPoints is the number of G1 scalar multiplications ProofVerify makes for
// benchMessages messages: Bbar, Abar, D for T1; P1, Q_1, D and the L message generators
// for T2.
const floorPoints = benchMessages + 6

// BenchmarkFloor is the raw cost under ProofVerify on gnark-crypto: one check of a
// product of two pairings and one multi-scalar multiplication in G1 of floorPoints
// points. ProofVerify / Floor is the overhead of everything else (decoding and
// subgroup checks, hashing, the challenge).
func BenchmarkFloor(b *testing.B) {
	points, scalars := floorInputs(b)
	ps, qs := pairingInputs(b)
	b.ReportAllocs()
	for b.Loop() {
		floorOp(b, points, scalars, ps, qs)
	}
}

// BenchmarkFloorCircl runs the same floor on circl (a two-pairing product and
// floorPoints constant-time scalar multiplications; circl has no multi-scalar
// multiplication) in turns with gnark-crypto's, and reports the ratio of their median
// times: the figure behind verifying on gnark-crypto. ns/op is the time of the pair.
func BenchmarkFloorCircl(b *testing.B) {
	cPoints := make([]circl.G1, floorPoints)
	cScalars := make([]circl.Scalar, floorPoints)
	for i := range cPoints {
		if err := cScalars[i].Random(rand.Reader); err != nil {
			b.Fatal(err)
		}
		cPoints[i].ScalarMult(&cScalars[i], circl.G1Generator())
	}
	var k circl.Scalar
	if err := k.Random(rand.Reader); err != nil {
		b.Fatal(err)
	}
	var cp circl.G1
	cp.ScalarMult(&k, circl.G1Generator())
	var cq circl.G2
	cq.ScalarMult(&k, circl.G2Generator())
	points, scalars := floorInputs(b)
	ps, qs := pairingInputs(b)
	var cTimes, gTimes []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		var acc, t circl.G1
		acc.SetIdentity()
		for i := range cPoints {
			t.ScalarMult(&cScalars[i], &cPoints[i])
			acc.Add(&acc, &t)
		}
		if !circl.ProdPairFrac([]*circl.G1{&cp, circl.G1Generator()}, []*circl.G2{circl.G2Generator(), &cq}, []int{1, -1}).IsIdentity() {
			b.Fatal("pairing check failed")
		}
		t1 := time.Now()
		floorOp(b, points, scalars, ps, qs)
		cTimes = append(cTimes, t1.Sub(t0))
		gTimes = append(gTimes, time.Since(t1))
	}
	b.ReportMetric(float64(median(cTimes))/float64(median(gTimes)), "circl/gnark")
	b.ReportMetric(float64(median(cTimes)), "circl-median-ns")
}

func floorInputs(b *testing.B) ([]gnark.G1Affine, []fr.Element) {
	_, _, g1, _ := gnark.Generators()
	points := make([]gnark.G1Affine, floorPoints)
	scalars := make([]fr.Element, floorPoints)
	for i := range points {
		var k fr.Element
		if _, err := k.SetRandom(); err != nil {
			b.Fatal(err)
		}
		if _, err := scalars[i].SetRandom(); err != nil {
			b.Fatal(err)
		}
		points[i].ScalarMultiplication(&g1, k.BigInt(new(big.Int)))
	}
	return points, scalars
}

// BenchmarkProofVerifyToFloor runs ProofVerify and the floor of BenchmarkFloor in turns,
// so that both see the same load, and reports the ratio of their median times (goal: at
// most 1.3); the median keeps the bursts of a shared machine out of the ratio. ns/op is
// the time of the pair.
func BenchmarkProofVerifyToFloor(b *testing.B) {
	s := newBenchSetup(b)
	pk := s.sk.PublicKey()
	points, scalars := floorInputs(b)
	ps, qs := pairingInputs(b)
	var verify, floor []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if err := s.suite.ProofVerify(pk, s.proof, s.header, s.ph, s.disclosed, s.indexes); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		floorOp(b, points, scalars, ps, qs)
		verify = append(verify, t1.Sub(t0))
		floor = append(floor, time.Since(t1))
	}
	b.ReportMetric(float64(median(verify))/float64(median(floor)), "verify/floor")
	b.ReportMetric(float64(median(verify)), "verify-median-ns")
	b.ReportMetric(float64(median(floor)), "floor-median-ns")
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// pairingInputs returns P, -k*BP1 and k*BP2, BP2 for a random k: two distinct points in
// each group whose pairing product is the identity, as in ProofVerify's check.
func pairingInputs(b *testing.B) ([]gnark.G1Affine, []gnark.G2Affine) {
	_, _, g1, g2 := gnark.Generators()
	var k fr.Element
	if _, err := k.SetRandom(); err != nil {
		b.Fatal(err)
	}
	var kb big.Int
	k.BigInt(&kb)
	var p, np gnark.G1Affine
	p.ScalarMultiplication(&g1, &kb)
	np.Neg(&g1)
	var q gnark.G2Affine
	q.ScalarMultiplication(&g2, &kb)
	return []gnark.G1Affine{p, np}, []gnark.G2Affine{g2, q}
}

// floorOp is one floor operation: a multi-scalar multiplication and a two-pairing check.
func floorOp(b *testing.B, points []gnark.G1Affine, scalars []fr.Element, ps []gnark.G1Affine, qs []gnark.G2Affine) {
	var r gnark.G1Affine
	if _, err := r.MultiExp(points, scalars, ecc.MultiExpConfig{NbTasks: 1}); err != nil {
		b.Fatal(err)
	}
	if ok, err := gnark.PairingCheck(ps, qs); err != nil || !ok {
		b.Fatal("pairing check failed")
	}
}
