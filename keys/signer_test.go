package keys_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"github.com/credence-dev/credence/keys"
)

func TestSignVerify(t *testing.T) {
	for _, tc := range []struct {
		kt  keys.KeyType
		alg string
		len int
	}{
		{keys.Ed25519, keys.EdDSA, 64},
		{keys.P256, keys.ES256, 64},
		{keys.P384, keys.ES384, 96},
		{keys.Secp256k1, keys.ES256K, 64},
	} {
		t.Run(string(tc.kt), func(t *testing.T) {
			s, err := keys.Generate(tc.kt)
			if err != nil {
				t.Fatal(err)
			}
			if s.Algorithm() != tc.alg {
				t.Fatalf("algorithm %s, want %s", s.Algorithm(), tc.alg)
			}
			msg := []byte("over 18")
			sig, err := keys.Sign(s, msg)
			if err != nil {
				t.Fatal(err)
			}
			if len(sig) != tc.len {
				t.Fatalf("signature of %d bytes, want %d", len(sig), tc.len)
			}
			if err := keys.Verify(s.Public(), tc.alg, msg, sig); err != nil {
				t.Fatal(err)
			}
			bad := append([]byte(nil), sig...)
			bad[len(bad)-1] ^= 1
			if err := keys.Verify(s.Public(), tc.alg, msg, bad); !errors.Is(err, keys.ErrInvalidSignature) {
				t.Fatalf("flipped bit: %v", err)
			}
			if err := keys.Verify(s.Public(), tc.alg, []byte("under 18"), sig); !errors.Is(err, keys.ErrInvalidSignature) {
				t.Fatalf("other message: %v", err)
			}
			if err := keys.Verify(s.Public(), tc.alg, msg, sig[:len(sig)-1]); !errors.Is(err, keys.ErrInvalidSignature) {
				t.Fatalf("short signature: %v", err)
			}
			other := keys.ES384
			if tc.alg == keys.ES384 {
				other = keys.ES256
			}
			if err := keys.Verify(s.Public(), other, msg, sig); !errors.Is(err, keys.ErrAlgorithmKeyMismatch) {
				t.Fatalf("other algorithm: %v", err)
			}
			for _, alg := range []string{"none", "HS256", "RS256", "ES512", "PS256", ""} {
				if err := keys.Verify(s.Public(), alg, msg, sig); !errors.Is(err, keys.ErrAlgorithmNotAllowed) {
					t.Fatalf("alg %q: %v", alg, err)
				}
			}
		})
	}
}

// hsmKey stands in for a key held in a KMS or HSM: only crypto.Signer is visible.
type hsmKey struct{ k *ecdsa.PrivateKey }

func (h hsmKey) Public() crypto.PublicKey { return &h.k.PublicKey }
func (h hsmKey) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return h.k.Sign(r, d, o)
}

func TestSignerForOpaqueKey(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, err := keys.SignerFor(hsmKey{k})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := keys.Sign(s, []byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.Verify(&k.PublicKey, keys.ES256, []byte("m"), sig); err != nil {
		t.Fatal(err)
	}
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if _, err := keys.SignerFor(p521); !errors.Is(err, keys.ErrUnsupportedKeyType) {
		t.Fatalf("P-521 signer: %v", err)
	}
	if _, err := keys.SignerFor(nil); !errors.Is(err, keys.ErrInvalidKey) {
		t.Fatalf("nil signer: %v", err)
	}
}

type lyingSigner struct{ keys.Signer }

func (l lyingSigner) Algorithm() string { return keys.ES384 }

func TestSignerAlgorithmMismatch(t *testing.T) {
	s, _ := keys.Generate(keys.P256)
	if _, err := keys.SignerFor(lyingSigner{s}); !errors.Is(err, keys.ErrAlgorithmKeyMismatch) {
		t.Fatalf("SignerFor: %v", err)
	}
	if _, err := keys.Sign(lyingSigner{s}, []byte("m")); !errors.Is(err, keys.ErrAlgorithmKeyMismatch) {
		t.Fatalf("Sign: %v", err)
	}
}

func TestSignatureForms(t *testing.T) {
	s, _ := keys.Generate(keys.P256)
	sig, _ := keys.Sign(s, []byte("m"))
	der, err := keys.P1363ToASN1(sig)
	if err != nil {
		t.Fatal(err)
	}
	back, err := keys.ASN1ToP1363(der, 32)
	if err != nil || string(back) != string(sig) {
		t.Fatalf("round trip: %v", err)
	}
	for _, tc := range []struct {
		name string
		der  []byte
	}{
		{"trailing byte", append(append([]byte(nil), der...), 0)},
		{"empty", nil},
		{"BER long length", append([]byte{0x30, 0x81, der[1]}, der[2:]...)},
	} {
		if _, err := keys.ASN1ToP1363(tc.der, 32); !errors.Is(err, keys.ErrInvalidSignature) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := keys.ASN1ToP1363(der, 16); !errors.Is(err, keys.ErrInvalidSignature) {
		t.Errorf("scalar larger than size: %v", err)
	}
	if _, err := keys.P1363ToASN1(make([]byte, 64)); !errors.Is(err, keys.ErrInvalidSignature) {
		t.Errorf("zero scalars: %v", err)
	}
	if _, err := keys.P1363ToASN1(make([]byte, 63)); !errors.Is(err, keys.ErrInvalidSignature) {
		t.Errorf("odd length: %v", err)
	}
}
