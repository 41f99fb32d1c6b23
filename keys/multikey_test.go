package keys_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
	"github.com/multiformats/go-multicodec"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

// didKeyVector is the part of a did-key-spec test vector that names the key.
type didKeyVector struct {
	Seed                string `json:"seed"`
	VerificationKeyPair struct {
		PublicKeyBase58 string `json:"publicKeyBase58"`
	} `json:"verificationKeyPair"`
	KeyAgreementKeyPair struct {
		PublicKeyBase58 string `json:"publicKeyBase58"`
	} `json:"keyAgreementKeyPair"`
	VerificationMethod struct {
		PublicKeyJwk  json.RawMessage `json:"publicKeyJwk"`
		PrivateKeyJwk json.RawMessage `json:"privateKeyJwk"`
	} `json:"verificationMethod"`
	PublicKeyJwk json.RawMessage `json:"publicKeyJwk"`
}

// TestMultikeyDIDKeyVectors decodes the key of every did:key test vector: the
// method-specific id is a Multikey value. In-policy keys must decode to the key the vector
// gives (JWK or base58) and re-encode to the same string; RSA, P-521 and BLS12-381 G1+G2
// keys must be refused with ErrUnsupportedKeyType. BLS12-381 G2 keys (zUC7) are in policy.
func TestMultikeyDIDKeyVectors(t *testing.T) {
	var pass, refused int
	for _, file := range []string{"ed25519-x25519.json", "secp256k1.json", "nist-curves.json", "x25519.json", "bls12381.json", "rsa.json"} {
		var all map[string]json.RawMessage
		if err := json.Unmarshal(vectors.Read(t, "did-key/test-vectors-2025-07", file), &all); err != nil {
			t.Fatal(err)
		}
		x25519 := false
		if dd, ok := all["didDocument"]; ok && len(all) == 1 { // x25519.json: DIDs -> documents
			x25519, all = true, nil
			if err := json.Unmarshal(dd, &all); err != nil {
				t.Fatal(err)
			}
		}
		names := make([]string, 0, len(all))
		for name := range all {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			t.Run(file+"/"+name[:min(len(name), 24)], func(t *testing.T) {
				var v didKeyVector
				if x25519 {
					var doc struct {
						VerificationMethod []struct {
							PublicKeyBase58 string `json:"publicKeyBase58"`
						} `json:"verificationMethod"`
					}
					if err := json.Unmarshal(all[name], &doc); err != nil || len(doc.VerificationMethod) != 1 {
						t.Fatalf("x25519 document: %v", err)
					}
					v.VerificationKeyPair.PublicKeyBase58 = doc.VerificationMethod[0].PublicKeyBase58
				} else if err := json.Unmarshal(all[name], &v); err != nil {
					t.Fatal(err)
				}
				mk := strings.TrimPrefix(name, "did:key:")
				pub, err := keys.ParseMultikey(mk)
				switch {
				case strings.HasPrefix(mk, "z4MX") || strings.HasPrefix(mk, "zgg") || strings.HasPrefix(mk, "z2J9") ||
					strings.HasPrefix(mk, "z5Tc"):
					if !errors.Is(err, keys.ErrUnsupportedKeyType) {
						t.Fatalf("out-of-policy key: got %v, want ErrUnsupportedKeyType", err)
					}
					refused++
					return
				case err != nil:
					t.Fatal(err)
				}
				again, err := keys.Multikey(pub)
				if err != nil || again != mk {
					t.Fatalf("re-encoded as %s (%v)", again, err)
				}
				switch {
				case len(v.VerificationMethod.PublicKeyJwk) > 0:
					want, err := keys.ParseJWK(v.VerificationMethod.PublicKeyJwk)
					if err != nil {
						t.Fatal(err)
					}
					if !keys.Equal(pub, want) {
						t.Fatal("multikey and JWK disagree")
					}
					s, err := keys.ParsePrivateJWK(v.VerificationMethod.PrivateKeyJwk)
					if err != nil || !keys.Equal(s.Public(), pub) {
						t.Fatalf("private JWK: %v", err)
					}
				case v.VerificationKeyPair.PublicKeyBase58 != "":
					raw, err := base58.Decode(v.VerificationKeyPair.PublicKeyBase58)
					if err != nil {
						t.Fatal(err)
					}
					code, key, err := keys.DecodeMultikey(mk)
					if err != nil || string(key) != string(raw) {
						t.Fatalf("key bytes differ (codec %v, %v)", code, err)
					}
					if ed, ok := pub.(ed25519.PublicKey); ok {
						x, err := keys.X25519FromEd25519(ed)
						if err != nil {
							t.Fatal(err)
						}
						want, _ := base58.Decode(v.KeyAgreementKeyPair.PublicKeyBase58)
						if string(x.Bytes()) != string(want) {
							t.Fatal("derived X25519 key differs from keyAgreementKeyPair")
						}
					}
				}
				pass++
			})
		}
	}
	t.Logf("did:key vectors: %d decoded and re-encoded, %d out of policy refused with ErrUnsupportedKeyType", pass, refused)
	if pass == 0 {
		t.Fatal("no vectors ran")
	}
}

func TestParseMultikey(t *testing.T) {
	ed := keys.EncodeMultikey(multicodec.Ed25519Pub, make([]byte, 32))
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"ed25519", ed, nil},
		{"base64 multibase", "m" + ed[1:], keys.ErrMalformed},
		{"bad base58", "z0OIl", keys.ErrMalformed},
		{"empty", "", keys.ErrMalformed},
		{"z only", "z", keys.ErrMalformed},
		{"padded varint", "z" + base58.Encode(append([]byte{0xed, 0x81, 0x00}, make([]byte, 32)...)), keys.ErrMalformed},
		{"ed25519 short", keys.EncodeMultikey(multicodec.Ed25519Pub, make([]byte, 31)), keys.ErrInvalidKey},
		{"p256 uncompressed", keys.EncodeMultikey(multicodec.P256Pub, append([]byte{4}, make([]byte, 64)...)), keys.ErrInvalidKey},
		{"p256 x out of range", keys.EncodeMultikey(multicodec.P256Pub, append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)), keys.ErrInvalidKey},
		{"secp256k1 off curve", keys.EncodeMultikey(multicodec.Secp256k1Pub, append([]byte{2}, make([]byte, 32)...)), keys.ErrInvalidKey},
		{"ed25519 private", keys.EncodeMultikey(multicodec.Ed25519Priv, make([]byte, 32)), keys.ErrPrivateKeyMaterial},
		{"p256 private", keys.EncodeMultikey(multicodec.P256Priv, make([]byte, 32)), keys.ErrPrivateKeyMaterial},
		{"rsa", keys.EncodeMultikey(multicodec.RsaPub, make([]byte, 32)), keys.ErrUnsupportedKeyType},
		{"p521", keys.EncodeMultikey(multicodec.P521Pub, make([]byte, 67)), keys.ErrUnsupportedKeyType},
		{"bls g2 not compressed", keys.EncodeMultikey(multicodec.Bls12_381G2Pub, make([]byte, 96)), keys.ErrInvalidKey},
		{"bls g2 identity", keys.EncodeMultikey(multicodec.Bls12_381G2Pub, append([]byte{0xc0}, make([]byte, 95)...)), keys.ErrInvalidKey},
		{"bls g2 short", keys.EncodeMultikey(multicodec.Bls12_381G2Pub, append([]byte{0xc0}, make([]byte, 47)...)), keys.ErrInvalidKey},
		{"bls g1", keys.EncodeMultikey(multicodec.Bls12_381G1Pub, append([]byte{0xc0}, make([]byte, 47)...)), keys.ErrUnsupportedKeyType},
		{"bls g1g2", keys.EncodeMultikey(multicodec.Bls12_381G1g2Pub, make([]byte, 144)), keys.ErrUnsupportedKeyType},
		{"too long", "z" + strings.Repeat("1", keys.MaxMultikeyLength), keys.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub, err := keys.ParseMultikey(tc.in)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil && pub != nil {
				t.Fatal("non-nil key with an error")
			}
		})
	}
}

func TestMultikeyRoundTrip(t *testing.T) {
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		s, err := keys.Generate(kt)
		if err != nil {
			t.Fatal(err)
		}
		mk, err := keys.Multikey(s.Public())
		if err != nil {
			t.Fatal(err)
		}
		pub, err := keys.ParseMultikey(mk)
		if err != nil || !keys.Equal(pub, s.Public()) {
			t.Fatalf("%s: round trip %s: %v", kt, mk, err)
		}
	}
}
