package keys_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

type wycheproofFile struct {
	NumberOfTests int `json:"numberOfTests"`
	TestGroups    []struct {
		PublicKeyJwk json.RawMessage `json:"publicKeyJwk"`
		PublicKey    struct {
			Uncompressed string `json:"uncompressed"`
		} `json:"publicKey"`
		Tests []struct {
			TcID    int    `json:"tcId"`
			Comment string `json:"comment"`
			Msg     string `json:"msg"`
			Sig     string `json:"sig"`
			Result  string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

// TestWycheproof runs the Wycheproof signature vectors through ParseJWK (the group's
// public key as a JWK) and Verify. Every verdict must match; "acceptable" cases are
// counted with the verdict we give.
func TestWycheproof(t *testing.T) {
	for _, tc := range []struct {
		file, alg string
	}{
		{"ed25519_test.json", keys.EdDSA},
		{"ecdsa_secp256r1_sha256_p1363_test.json", keys.ES256},
		{"ecdsa_secp384r1_sha384_p1363_test.json", keys.ES384},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var f wycheproofFile
			if err := json.Unmarshal(vectors.Read(t, "wycheproof", tc.file), &f); err != nil {
				t.Fatal(err)
			}
			var pass, valid, invalid, acceptable, total int
			for _, g := range f.TestGroups {
				pub, err := groupKey(tc.alg, g.PublicKeyJwk, g.PublicKey.Uncompressed)
				if err != nil {
					t.Fatalf("group key %s: %v", g.PublicKeyJwk, err)
				}
				for _, c := range g.Tests {
					total++
					msg, err1 := hex.DecodeString(c.Msg)
					sig, err2 := hex.DecodeString(c.Sig)
					if err1 != nil || err2 != nil {
						t.Fatalf("tc %d: bad hex", c.TcID)
					}
					err := keys.Verify(pub, tc.alg, msg, sig)
					if err != nil && !errors.Is(err, keys.ErrInvalidSignature) {
						t.Errorf("tc %d (%s): error %v is not ErrInvalidSignature", c.TcID, c.Comment, err)
					}
					switch c.Result {
					case "valid":
						valid++
						if err != nil {
							t.Errorf("tc %d (%s): valid signature rejected: %v", c.TcID, c.Comment, err)
							continue
						}
					case "invalid":
						invalid++
						if err == nil {
							t.Errorf("tc %d (%s): invalid signature accepted", c.TcID, c.Comment)
							continue
						}
					default:
						acceptable++
					}
					pass++
				}
			}
			if total != f.NumberOfTests || total == 0 {
				t.Fatalf("ran %d tests, file says %d", total, f.NumberOfTests)
			}
			t.Logf("%s: %d/%d verdicts match (valid %d, invalid %d, acceptable %d)", tc.file, pass, total, valid, invalid, acceptable)
		})
	}
}

// groupKey takes the group's JWK; groups whose key has no JWK form in the file (a few
// ECDSA groups) give the SEC 1 point, parsed by the standard library.
func groupKey(alg string, jwk json.RawMessage, uncompressed string) (crypto.PublicKey, error) {
	if len(jwk) > 0 {
		return keys.ParseJWK(jwk)
	}
	b, err := hex.DecodeString(uncompressed)
	if err != nil {
		return nil, err
	}
	curve := elliptic.P256()
	if alg == keys.ES384 {
		curve = elliptic.P384()
	}
	return ecdsa.ParseUncompressedPublicKey(curve, b)
}
