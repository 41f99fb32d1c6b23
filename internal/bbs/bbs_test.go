package bbs

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bls12-381/fp"
)

// rHex is the group order r, big-endian.
const rHex = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testKey(t *testing.T, s *Suite) *SecretKey {
	t.Helper()
	sk, err := s.KeyGen(bytes.Repeat([]byte{7}, 32), []byte("test"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func TestSecretKeyNeverPrints(t *testing.T) {
	var s Suite
	sk := testKey(t, &s)
	secret := hex.EncodeToString(sk.Bytes())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"} {
		out := fmt.Sprintf(verb, sk)
		if strings.Contains(strings.ToLower(out), secret) || out != "bbs.SecretKey(redacted)" {
			t.Errorf("%s prints %q", verb, out)
		}
	}
	if out := fmt.Sprintf("%v", struct{ K *SecretKey }{sk}); strings.Contains(out, secret) {
		t.Errorf("nested %%v prints %q", out)
	}
}

func TestSecretKeyRange(t *testing.T) {
	var s Suite
	r := mustHex(t, rHex)
	rMinus1 := bytes.Clone(r)
	rMinus1[31]--
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"zero", make([]byte, 32), ErrInvalidKey},
		{"r", r, ErrInvalidKey},
		{"all ones", bytes.Repeat([]byte{0xff}, 32), ErrInvalidKey},
		{"short", make([]byte, 31), ErrInvalidKey},
		{"r-1", rMinus1, nil},
		{"one", append(make([]byte, 31), 1), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sk, err := s.NewSecretKey(tc.in)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil && !bytes.Equal(sk.Bytes(), tc.in) {
				t.Fatal("Bytes does not round-trip")
			}
		})
	}
	if _, err := s.KeyGen(make([]byte, 31), nil, nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("31 bytes of key material: got %v, want ErrInvalidKey", err)
	}
}

// offCurveG1 returns a compressed encoding of a point of E1 that is not in G1 (the
// cofactor of E1 is about 2^126, so a point found by x alone is not in G1 in practice).
func offSubgroupG1(t *testing.T) []byte {
	t.Helper()
	for x := uint64(1); x < 1000; x++ {
		var fx, y2, y, four fp.Element
		fx.SetUint64(x)
		four.SetUint64(4)
		y2.Square(&fx).Mul(&y2, &fx).Add(&y2, &four)
		if y.Sqrt(&y2) == nil {
			continue
		}
		b := fx.Bytes()
		b[0] |= 0x80
		return b[:]
	}
	t.Fatal("no curve point found")
	return nil
}

func TestDecodeG1(t *testing.T) {
	var s Suite
	gens, err := s.generators(2)
	if err != nil {
		t.Fatal(err)
	}
	good := gens[1].bytes[:]
	identity := append([]byte{0xc0}, make([]byte, 47)...)
	uncompressed := gens[1].g.RawBytes()
	notOnCurve := bytes.Clone(good)
	notOnCurve[47] ^= 1
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"generator", good, nil},
		{"flipped bit of x", notOnCurve, ErrMalformed},
		{"identity", identity, ErrMalformed},
		{"uncompressed", uncompressed[:], ErrMalformed},
		{"short", good[:47], ErrMalformed},
		{"no compression flag", append([]byte{good[0] &^ 0x80}, good[1:]...), ErrMalformed},
		{"outside G1", offSubgroupG1(t), ErrMalformed},
		{"x not below p", append([]byte{0x9f}, bytes.Repeat([]byte{0xff}, 47)...), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeG1(tc.in, "test point")
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	var s Suite
	pk := testKey(t, &s).PublicKey().Bytes()
	identity := append([]byte{0xc0}, make([]byte, 95)...)
	flipped := bytes.Clone(pk)
	flipped[95] ^= 0x01
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"key", pk, nil},
		{"identity", identity, ErrMalformed},
		{"short", pk[:95], ErrMalformed},
		{"G1 size", pk[:48], ErrMalformed},
		{"no compression flag", append([]byte{pk[0] &^ 0x80}, pk[1:]...), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePublicKey(tc.in)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil && !bytes.Equal(got.Bytes(), tc.in) {
				t.Fatal("Bytes does not round-trip")
			}
		})
	}
	// A flipped bit gives either no point or (almost surely) one outside G2: never a key.
	if _, err := ParsePublicKey(flipped); !errors.Is(err, ErrMalformed) {
		t.Errorf("flipped bit: got %v, want ErrMalformed", err)
	}
}

func TestSignatureEncoding(t *testing.T) {
	var s Suite
	sk := testKey(t, &s)
	msgs := [][]byte{[]byte("a"), []byte("b")}
	sig, err := sk.Sign(t.Context(), nil, msgs)
	if err != nil {
		t.Fatal(err)
	}
	r := mustHex(t, rHex)
	with := func(e []byte) []byte { return append(bytes.Clone(sig[:G1Size]), e...) }
	identity := append(append([]byte{0xc0}, make([]byte, 47)...), sig[G1Size:]...)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"valid", sig, nil},
		{"e zero", with(make([]byte, 32)), ErrMalformed},
		{"e is r", with(r), ErrMalformed},
		{"e above r", with(bytes.Repeat([]byte{0xff}, 32)), ErrMalformed},
		{"A identity", identity, ErrMalformed},
		{"A outside G1", append(offSubgroupG1(t), sig[G1Size:]...), ErrMalformed},
		{"short", sig[:79], ErrMalformed},
		{"long", append(bytes.Clone(sig), 0), ErrMalformed},
		{"other e", with(append(make([]byte, 31), 1)), ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Verify(sk.PublicKey(), tc.in, nil, msgs)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("Verify: got %v, want %v", err, tc.want)
			}
			_, err = s.ProofGen(sk.PublicKey(), tc.in, nil, nil, msgs, []int{0}, nil)
			if tc.want == ErrMalformed && !errors.Is(err, ErrMalformed) {
				t.Fatalf("ProofGen: got %v, want ErrMalformed", err)
			}
		})
	}
}

func TestProofEncoding(t *testing.T) {
	var s Suite
	sk := testKey(t, &s)
	pk := sk.PublicKey()
	msgs := [][]byte{[]byte("a"), []byte("b"), []byte("c")}
	sig, err := sk.Sign(t.Context(), nil, msgs)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := s.ProofGen(pk, sig, nil, []byte("ph"), msgs, []int{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	disclosed := [][]byte{msgs[1]}
	set := func(off int, v []byte) []byte {
		p := bytes.Clone(proof)
		copy(p[off:], v)
		return p
	}
	scalars := 3 * G1Size
	identity := append([]byte{0xc0}, make([]byte, 47)...)
	for _, tc := range []struct {
		name    string
		in      []byte
		indexes []int
		msgs    [][]byte
		want    error
	}{
		{"valid", proof, []int{1}, disclosed, nil},
		{"Abar identity", set(0, identity), []int{1}, disclosed, ErrMalformed},
		{"Bbar outside G1", set(G1Size, offSubgroupG1(t)), []int{1}, disclosed, ErrMalformed},
		{"D identity", set(2*G1Size, identity), []int{1}, disclosed, ErrMalformed},
		{"e^ zero", set(scalars, make([]byte, 32)), []int{1}, disclosed, ErrMalformed},
		{"commitment is r", set(scalars+3*ScalarSize, mustHex(t, rHex)), []int{1}, disclosed, ErrMalformed},
		{"challenge zero", set(len(proof)-ScalarSize, make([]byte, 32)), []int{1}, disclosed, ErrMalformed},
		{"truncated byte", proof[:len(proof)-1], []int{1}, disclosed, ErrMalformed},
		{"too short", proof[:minProofSize-ScalarSize], nil, nil, ErrMalformed},
		{"one commitment less", append(bytes.Clone(proof[:len(proof)-2*ScalarSize]), proof[len(proof)-ScalarSize:]...), []int{1}, disclosed, ErrInvalidProof},
		{"indexes not ascending", proof, []int{1, 0}, [][]byte{msgs[1], msgs[0]}, ErrInvalidProof},
		{"index out of range", proof, []int{3}, disclosed, ErrInvalidProof},
		{"negative index", proof, []int{-1}, disclosed, ErrInvalidProof},
		{"messages and indexes differ", proof, []int{1}, nil, ErrInvalidProof},
		{"wrong index", proof, []int{0}, disclosed, ErrInvalidProof},
		{"other presentation header", proof, []int{1}, disclosed, ErrInvalidProof},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ph := []byte("ph")
			if tc.name == "other presentation header" {
				ph = []byte("other")
			}
			err := s.ProofVerify(pk, tc.in, nil, ph, tc.msgs, tc.indexes)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	big := make([]byte, minProofSize+(MaxMessages+1)*ScalarSize)
	copy(big, proof[:3*G1Size])
	if err := s.ProofVerify(pk, big, nil, nil, nil, nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("proof past MaxMessages: got %v, want ErrTooLarge", err)
	}
}

func TestProofGenIndexes(t *testing.T) {
	var s Suite
	sk := testKey(t, &s)
	msgs := [][]byte{[]byte("a"), []byte("b")}
	sig, err := sk.Sign(t.Context(), nil, msgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, idx := range [][]int{{1, 0}, {0, 0}, {2}, {-1}} {
		if _, err := s.ProofGen(sk.PublicKey(), sig, nil, nil, msgs, idx, nil); !errors.Is(err, ErrMalformed) {
			t.Errorf("indexes %v: got %v, want ErrMalformed", idx, err)
		}
	}
	if _, err := sk.Sign(t.Context(), nil, make([][]byte, MaxMessages+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Sign past MaxMessages: got %v, want ErrTooLarge", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := sk.Sign(ctx, nil, msgs); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}
}

// TestRoundTrip signs with fresh keys and proves every subset of up to four messages,
// the empty list included.
func TestRoundTrip(t *testing.T) {
	var s Suite
	for l := 0; l <= 4; l++ {
		sk, err := s.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		pk := sk.PublicKey()
		msgs := make([][]byte, l)
		for i := range msgs {
			msgs[i] = fmt.Appendf(nil, "message %d of %d", i, l)
		}
		header := fmt.Appendf(nil, "header %d", l)
		sig, err := sk.Sign(t.Context(), header, msgs)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Verify(pk, sig, header, msgs); err != nil {
			t.Fatalf("%d messages: %v", l, err)
		}
		if l > 0 {
			if err := s.Verify(pk, sig, header, msgs[:l-1]); !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("one message less: got %v", err)
			}
		}
		for mask := 0; mask < 1<<l; mask++ {
			var idx []int
			var disclosed [][]byte
			for i := range l {
				if mask&(1<<i) != 0 {
					idx = append(idx, i)
					disclosed = append(disclosed, msgs[i])
				}
			}
			proof, err := s.ProofGen(pk, sig, header, []byte("ph"), msgs, idx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ProofVerify(pk, proof, header, []byte("ph"), disclosed, idx); err != nil {
				t.Fatalf("%d messages, disclosed %v: %v", l, idx, err)
			}
			if err := s.ProofVerify(pk, proof, []byte("other"), []byte("ph"), disclosed, idx); !errors.Is(err, ErrInvalidProof) {
				t.Fatalf("other header: got %v", err)
			}
		}
	}
}

// TestConcurrentSuite shares one Suite between goroutines that need more generators
// each: run with -race.
func TestConcurrentSuite(t *testing.T) {
	var s Suite
	sk := testKey(t, &s)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			msgs := make([][]byte, 10+g*10)
			for i := range msgs {
				msgs[i] = []byte{byte(i)}
			}
			sig, err := sk.Sign(context.Background(), nil, msgs)
			if err != nil {
				t.Error(err)
				return
			}
			if err := s.Verify(sk.PublicKey(), sig, nil, msgs); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestRawPublicKey(t *testing.T) {
	var s Suite
	pk := testKey(t, &s).PublicKey()
	raw := pk.RawBytes()
	got, err := ParseRawPublicKey(raw)
	if err != nil || !got.Equal(pk) {
		t.Fatalf("raw round trip: %v", err)
	}
	bad := bytes.Clone(raw)
	bad[191] ^= 1
	if _, err := ParseRawPublicKey(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("off-curve raw key: got %v, want ErrMalformed", err)
	}
	if _, err := ParseRawPublicKey(pk.Bytes()); !errors.Is(err, ErrMalformed) {
		t.Errorf("compressed key as raw: got %v, want ErrMalformed", err)
	}
	if _, err := ParseRawPublicKey(append([]byte{0x40}, make([]byte, 191)...)); !errors.Is(err, ErrMalformed) {
		t.Errorf("raw identity: got %v, want ErrMalformed", err)
	}
}
