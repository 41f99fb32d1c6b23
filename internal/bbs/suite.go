package bbs

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync"

	circl "github.com/cloudflare/circl/ecc/bls12381"
	gnark "github.com/consensys/gnark-crypto/ecc/bls12-381"
)

// Sizes of the octet encodings of the ciphersuite BLS12-381-SHA-256.
const (
	ScalarSize    = 32                      // octet_scalar_length
	G1Size        = 48                      // octet_point_length: compressed G1
	PublicKeySize = 96                      // compressed G2
	SignatureSize = G1Size + ScalarSize     // A || e
	minProofSize  = 3*G1Size + 4*ScalarSize // Abar, Bbar, D, e^, r1^, r3^, c
)

// MaxMessages bounds the number of messages a signature or proof may carry. bbs-2023
// signs one message per N-Quad of a credential, which stays far below it; the bound keeps
// a hostile proof from making a verifier compute generators without end.
const MaxMessages = 1024

// ciphersuiteID is the ciphersuite's identifier (draft §6.2.2); apiID adds the interface
// identifier of the BBS Signatures Interface: hash-to-generators and hash-to-scalar
// message mapping (§3.4).
const (
	ciphersuiteID = "BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_"
	apiID         = ciphersuiteID + "H2G_HM2S_"
)

// Domain separation tags, each derived from apiID (draft §4.1.1, §4.1.2, §4.2.3).
var (
	dstH2S        = []byte(apiID + "H2S_")
	dstMapMsg     = []byte(apiID + "MAP_MSG_TO_SCALAR_AS_HASH_")
	dstSeed       = []byte(apiID + "SIG_GENERATOR_SEED_")
	dstGenerator  = []byte(apiID + "SIG_GENERATOR_DST_")
	generatorSeed = []byte(apiID + "MESSAGE_GENERATOR_SEED")
	// The draft's text says ciphersuite_id || "KEYGEN_DST_"; its fixtures (keypair.json)
	// and the implementations that made them use api_id || "KEYGEN_DST_". The fixtures win:
	// keys made with the default interoperate.
	defaultKeyGenDST = []byte(apiID + "KEYGEN_DST_")
)

// p1Hex is the ciphersuite's fixed point P1 (draft §6.2.2), compressed.
const p1Hex = "a8ce256102840821a3e94ea9025e4662b205762f9776b3a766c872b948f1fd225e7c59698588e70d11406d161b4e28c9"

// base holds the fixed points of the ciphersuite in both libraries' forms. It is built
// once, never written afterwards, and read-only for the life of the program.
type base struct {
	p1      gnark.G1Affine
	p1c     circl.G1
	negBP2  g2Lines // lines of -BP2, the second argument of every pairing check
	bp2c    *circl.G2
	p1Bytes [G1Size]byte
}

var fixed = sync.OnceValue(func() *base {
	b := new(base)
	raw, _ := hex.DecodeString(p1Hex)
	copy(b.p1Bytes[:], raw)
	if _, err := b.p1.SetBytes(raw); err != nil {
		panic("bbs: P1 does not decode: " + err.Error()) // unreachable: P1 is a constant, checked by the generators fixture
	}
	if err := b.p1c.SetBytes(raw); err != nil {
		panic("bbs: P1 does not decode: " + err.Error()) // unreachable: as above
	}
	_, _, _, g2 := gnark.Generators()
	var neg gnark.G2Affine
	neg.Neg(&g2)
	b.negBP2 = gnark.PrecomputeLines(neg)
	b.bp2c = circl.G2Generator()
	return b
})

// generator is one point of create_generators in both libraries' forms.
type generator struct {
	g     gnark.G1Affine
	c     circl.G1
	bytes [G1Size]byte
}

// genTable is an immutable prefix of the output of create_generators: Q_1, H_1, H_2, ...
// v is the expand_message state after the last point, so the table can be extended.
type genTable struct {
	points []generator
	v      []byte
}

// Suite is the ciphersuite BLS12-381-SHA-256 of the BBS Signatures Interface. The zero
// value is ready to use and safe for concurrent use.
//
// create_generators hashes to the curve once per point, so its output is computed once
// per program and kept in immutable tables of 64, 256 and MaxMessages+1 points, each
// built the first time a call needs more generators than the one before holds. A hostile
// proof with many undisclosed messages therefore costs that work at most once per
// program, whatever the number of keys or Suites.
type Suite struct{}

// generatorTiers are the sizes of the generator tables; the last is MaxMessages+1.
var generatorTiers = [...]int{64, 256, MaxMessages + 1}

// tables builds the generator table of each tier from the one before, once.
var tables = func() (out [len(generatorTiers)]func() (*genTable, error)) {
	for i, n := range generatorTiers {
		out[i] = sync.OnceValues(func() (*genTable, error) {
			var prev *genTable
			if i > 0 {
				var err error
				if prev, err = out[i-1](); err != nil {
					return nil, err
				}
			}
			return extend(prev, n)
		})
	}
	return out
}()

// generators returns Q_1, H_1, ..., H_count-1: count points of create_generators.
func (s *Suite) generators(count int) ([]generator, error) {
	if count > MaxMessages+1 {
		return nil, fmt.Errorf("bbs: %d messages, more than %d: %w", count-1, MaxMessages, ErrTooLarge)
	}
	for i, n := range generatorTiers {
		if count <= n {
			t, err := tables[i]()
			if err != nil {
				return nil, err
			}
			return t.points[:count], nil
		}
	}
	return nil, fmt.Errorf("bbs: %d messages: %w", count-1, ErrTooLarge) // unreachable
}

// extend returns a new table holding the want first generators, t's points among them
// (t may be nil). t is not modified.
func extend(t *genTable, want int) (*genTable, error) {
	next := &genTable{}
	if t == nil {
		v, err := expandMessageXMD(generatorSeed, dstSeed, expandLen)
		if err != nil {
			return nil, err
		}
		next.v = v
	} else {
		next.v = t.v
	}
	next.points = make([]generator, 0, want)
	if t != nil {
		next.points = append(next.points, t.points...)
	}
	for i := len(next.points) + 1; i <= want; i++ {
		var in [expandLen + 8]byte
		copy(in[:], next.v)
		binary.BigEndian.PutUint64(in[expandLen:], uint64(i))
		v, err := expandMessageXMD(in[:], dstSeed, expandLen)
		if err != nil {
			return nil, err
		}
		next.v = v
		var g generator
		if g.g, err = gnark.HashToG1(v, dstGenerator); err != nil {
			return nil, fmt.Errorf("bbs: hash to curve: %w", err)
		}
		g.bytes = g.g.Bytes()
		raw := g.g.RawBytes()
		if err := g.c.SetBytes(raw[:]); err != nil {
			return nil, fmt.Errorf("bbs: generator %d: %w", i, err)
		}
		next.points = append(next.points, g)
	}
	return next, nil
}

// g2Lines are the precomputed Miller-loop lines of a fixed point of G2.
type g2Lines = [2][len(gnark.LoopCounter) - 1]gnark.LineEvaluationAff

// pairingCheck reports whether h(a, W) * h(b, -BP2) is the identity of GT, with the lines
// of W and -BP2 computed once: a Miller loop over fixed points of G2 skips their
// arithmetic, about a sixth of the pairing. gnark-crypto's PairingCheckFixedQ overwrites
// the lines it is given, so it gets a copy.
func pairingCheck(a, b *gnark.G1Affine, pk *PublicKey) bool {
	lines := []g2Lines{*pk.lines(), fixed().negBP2}
	ok, err := gnark.PairingCheckFixedQ([]gnark.G1Affine{*a, *b}, lines)
	return err == nil && ok
}
