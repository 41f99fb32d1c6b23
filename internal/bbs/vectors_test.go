package bbs

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	circl "github.com/cloudflare/circl/ecc/bls12381"

	"github.com/credence-dev/credence/internal/vectors"
)

// The fixtures of draft-irtf-cfrg-bbs-signatures-06, ciphersuite BLS12-381-SHA-256, read
// in place from ../shared/vectors/ietf-bbs.
const (
	source   = "ietf-bbs"
	suiteDir = "bls12-381-sha-256"
)

// hexBytes is a JSON string of hex digits.
type hexBytes []byte

func (h *hexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	d, err := hex.DecodeString(s)
	*h = d
	return err
}

func readFixture(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(vectors.Read(t, source, filepath.Join(suiteDir, name)), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func scalarHex(s *circl.Scalar) string {
	b, _ := s.MarshalBinary()
	return hex.EncodeToString(b)
}

// seededRandomScalars is the draft's mocked calculate_random_scalars (§8.1): count
// scalars from one expand_message of the seed. Test code only: ProofGen never uses it.
func seededRandomScalars(seed, dst []byte, count int) ([]circl.Scalar, error) {
	v, err := expandMessageXMD(seed, dst, count*expandLen)
	if err != nil {
		return nil, err
	}
	out := make([]circl.Scalar, count)
	for i := range out {
		out[i] = reduce48(v[i*expandLen : (i+1)*expandLen])
	}
	return out, nil
}

type mockedRNG struct {
	Seed          hexBytes   `json:"seed"`
	DST           hexBytes   `json:"dst"`
	Count         int        `json:"count"`
	MockedScalars []hexBytes `json:"mockedScalars"`
}

func TestKeyPairFixture(t *testing.T) {
	var f struct {
		KeyMaterial hexBytes `json:"keyMaterial"`
		KeyInfo     hexBytes `json:"keyInfo"`
		KeyDST      hexBytes `json:"keyDst"`
		KeyPair     struct {
			SecretKey hexBytes `json:"secretKey"`
			PublicKey hexBytes `json:"publicKey"`
		} `json:"keyPair"`
	}
	readFixture(t, "keypair.json", &f)
	var s Suite
	sk, err := s.KeyGen(f.KeyMaterial, f.KeyInfo, f.KeyDST)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sk.Bytes(), f.KeyPair.SecretKey) {
		t.Errorf("KeyGen: got %x, want %x", sk.Bytes(), f.KeyPair.SecretKey)
	}
	if !bytes.Equal(sk.PublicKey().Bytes(), f.KeyPair.PublicKey) {
		t.Errorf("SkToPk: got %x, want %x", sk.PublicKey().Bytes(), f.KeyPair.PublicKey)
	}
	// The default key_dst is the one the fixture spells out.
	if !bytes.Equal(f.KeyDST, defaultKeyGenDST) {
		t.Errorf("default key_dst %q, fixture %q", defaultKeyGenDST, f.KeyDST)
	}
}

func TestGeneratorsFixture(t *testing.T) {
	var f struct {
		P1            hexBytes   `json:"P1"`
		Q1            hexBytes   `json:"Q1"`
		MsgGenerators []hexBytes `json:"MsgGenerators"`
	}
	readFixture(t, "generators.json", &f)
	if !bytes.Equal(f.P1, fixed().p1Bytes[:]) {
		t.Errorf("P1: got %x, want %x", fixed().p1Bytes, f.P1)
	}
	var s Suite
	gens, err := s.generators(len(f.MsgGenerators) + 1)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]hexBytes{f.Q1}, f.MsgGenerators...)
	for i := range want {
		if !bytes.Equal(gens[i].bytes[:], want[i]) {
			t.Errorf("generator %d: got %x, want %x", i, gens[i].bytes, want[i])
		}
		if c := gens[i].c.BytesCompressed(); !bytes.Equal(c, want[i]) {
			t.Errorf("generator %d in circl form: got %x, want %x", i, c, want[i])
		}
	}
	// Extending the cache keeps the prefix: the table grows past the shared points here.
	more, err := s.generators(generatorTiers[0] + 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if more[i].bytes != gens[i].bytes {
			t.Errorf("generator %d changed when the table grew", i)
		}
	}
}

func TestHashToScalarFixture(t *testing.T) {
	var f struct {
		Message hexBytes `json:"message"`
		DST     hexBytes `json:"dst"`
		Scalar  string   `json:"scalar"`
	}
	readFixture(t, "h2s.json", &f)
	if !bytes.Equal(f.DST, dstH2S) {
		t.Errorf("h2s dst %q, fixture %q", dstH2S, f.DST)
	}
	got, err := hashToScalar(f.Message, f.DST)
	if err != nil {
		t.Fatal(err)
	}
	if scalarHex(&got) != f.Scalar {
		t.Errorf("hash_to_scalar: got %s, want %s", scalarHex(&got), f.Scalar)
	}
}

func TestMapMessageToScalarFixture(t *testing.T) {
	var f struct {
		DST   hexBytes `json:"dst"`
		Cases []struct {
			Message hexBytes `json:"message"`
			Scalar  string   `json:"scalar"`
		} `json:"cases"`
	}
	readFixture(t, "MapMessageToScalarAsHash.json", &f)
	if !bytes.Equal(f.DST, dstMapMsg) {
		t.Errorf("map dst %q, fixture %q", dstMapMsg, f.DST)
	}
	msgs := make([][]byte, len(f.Cases))
	for i, c := range f.Cases {
		msgs[i] = c.Message
	}
	got, err := messagesToScalars(msgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range f.Cases {
		if scalarHex(&got[i]) != c.Scalar {
			t.Errorf("message %d: got %s, want %s", i, scalarHex(&got[i]), c.Scalar)
		}
	}
	if len(f.Cases) != 10 {
		t.Errorf("%d cases, want 10", len(f.Cases))
	}
}

func TestMockedRNGFixture(t *testing.T) {
	var f mockedRNG
	readFixture(t, "mockedRng.json", &f)
	got, err := seededRandomScalars(f.Seed, f.DST, f.Count)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(f.MockedScalars) {
		t.Fatalf("%d scalars, want %d", len(got), len(f.MockedScalars))
	}
	for i := range got {
		if scalarHex(&got[i]) != hex.EncodeToString(f.MockedScalars[i]) {
			t.Errorf("scalar %d: got %s, want %x", i, scalarHex(&got[i]), f.MockedScalars[i])
		}
	}
}

type result struct {
	Valid  bool   `json:"valid"`
	Reason string `json:"reason"`
}

func fixtureFiles(t *testing.T, sub string) []string {
	t.Helper()
	dir := filepath.Join(vectors.Dir(t, source), suiteDir, sub)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".json" {
			names = append(names, filepath.Join(sub, e.Name()))
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	return names
}

// TestSignatureFixtures runs every signature fixture: a valid one must verify and Sign
// must reproduce it byte for byte; an invalid one must fail with ErrInvalidSignature.
func TestSignatureFixtures(t *testing.T) {
	var s Suite
	var valid, invalid int
	files := fixtureFiles(t, "signature")
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			var f struct {
				CaseName      string `json:"caseName"`
				SignerKeyPair struct {
					SecretKey hexBytes `json:"secretKey"`
					PublicKey hexBytes `json:"publicKey"`
				} `json:"signerKeyPair"`
				Header    hexBytes   `json:"header"`
				Messages  []hexBytes `json:"messages"`
				Signature hexBytes   `json:"signature"`
				Result    result     `json:"result"`
			}
			readFixture(t, name, &f)
			msgs := make([][]byte, len(f.Messages))
			for i, m := range f.Messages {
				msgs[i] = m
			}
			pk, err := ParsePublicKey(f.SignerKeyPair.PublicKey)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Verify(pk, f.Signature, f.Header, msgs)
			if !f.Result.Valid {
				if !errors.Is(err, ErrInvalidSignature) {
					t.Fatalf("%s (%s): got %v, want ErrInvalidSignature", f.CaseName, f.Result.Reason, err)
				}
				invalid++
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", f.CaseName, err)
			}
			sk, err := s.NewSecretKey(f.SignerKeyPair.SecretKey)
			if err != nil {
				t.Fatal(err)
			}
			if !sk.PublicKey().Equal(pk) {
				t.Fatal("secret key does not match the public key")
			}
			sig, err := sk.Sign(t.Context(), f.Header, msgs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig, f.Signature) {
				t.Fatalf("Sign: got %x, want %x", sig, f.Signature)
			}
			valid++
		})
	}
	t.Logf("ietf-bbs signature fixtures: %d valid reproduced and verified, %d invalid rejected, of %d", valid, invalid, len(files))
	if valid+invalid != len(files) {
		t.Errorf("%d of %d signature fixtures failed", len(files)-valid-invalid, len(files))
	}
}

// TestProofFixtures runs every proof fixture: a valid proof must verify and ProofGen with
// the mocked random scalars must reproduce it byte for byte; an invalid one must fail with
// ErrInvalidProof.
func TestProofFixtures(t *testing.T) {
	var rng mockedRNG
	readFixture(t, "mockedRng.json", &rng)
	var s Suite
	var valid, invalid int
	files := fixtureFiles(t, "proof")
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			var f struct {
				CaseName           string     `json:"caseName"`
				SignerPublicKey    hexBytes   `json:"signerPublicKey"`
				Signature          hexBytes   `json:"signature"`
				Header             hexBytes   `json:"header"`
				PresentationHeader hexBytes   `json:"presentationHeader"`
				Messages           []hexBytes `json:"messages"`
				DisclosedIndexes   []int      `json:"disclosedIndexes"`
				Proof              hexBytes   `json:"proof"`
				Result             result     `json:"result"`
			}
			readFixture(t, name, &f)
			pk, err := ParsePublicKey(f.SignerPublicKey)
			if err != nil {
				t.Fatal(err)
			}
			msgs := make([][]byte, len(f.Messages))
			for i, m := range f.Messages {
				msgs[i] = m
			}
			disclosed := make([][]byte, len(f.DisclosedIndexes))
			for k, i := range f.DisclosedIndexes {
				if i < len(msgs) {
					disclosed[k] = msgs[i]
				}
			}
			err = s.ProofVerify(pk, f.Proof, f.Header, f.PresentationHeader, disclosed, f.DisclosedIndexes)
			if !f.Result.Valid {
				if !errors.Is(err, ErrInvalidProof) {
					t.Fatalf("%s (%s): got %v, want ErrInvalidProof", f.CaseName, f.Result.Reason, err)
				}
				invalid++
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", f.CaseName, err)
			}
			if err := s.Verify(pk, f.Signature, f.Header, msgs); err != nil {
				t.Fatalf("the fixture's signature: %v", err)
			}
			got, err := s.proofGen(pk, f.Signature, f.Header, f.PresentationHeader, msgs, f.DisclosedIndexes,
				func(n int) ([]circl.Scalar, error) { return seededRandomScalars(rng.Seed, rng.DST, n) })
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, f.Proof) {
				t.Fatalf("ProofGen: got %x, want %x", got, f.Proof)
			}
			valid++
		})
	}
	t.Logf("ietf-bbs proof fixtures: %d valid reproduced and verified, %d invalid rejected, of %d", valid, invalid, len(files))
	if valid+invalid != len(files) {
		t.Errorf("%d of %d proof fixtures failed", len(files)-valid-invalid, len(files))
	}
}
