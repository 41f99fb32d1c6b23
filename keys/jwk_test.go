package keys_test

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
)

func TestParseJWK(t *testing.T) {
	const (
		p256x = "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns"
		p256y = "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"
		p256d = "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"
		edx   = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	)
	for _, tc := range []struct {
		name string
		jwk  string
		want error
		typ  keys.KeyType
	}{
		{"p256", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `"}`, nil, keys.P256},
		{"p256 alg and kid", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `","alg":"ES256","kid":"k1","use":"sig","key_ops":["verify"]}`, nil, keys.P256},
		{"p256 ecdh alg", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `","alg":"ECDH-ES","use":"enc"}`, nil, keys.P256},
		{"ed25519", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `"}`, nil, keys.Ed25519},
		{"x25519", `{"kty":"OKP","crv":"X25519","x":"` + edx + `","use":"enc"}`, nil, keys.X25519},
		{"private member d", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `","d":"` + p256d + `"}`, keys.ErrPrivateKeyMaterial, ""},
		{"okp private", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","d":"` + edx + `"}`, keys.ErrPrivateKeyMaterial, ""},
		{"alg mismatch", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256y + `","alg":"ES384"}`, keys.ErrAlgorithmKeyMismatch, ""},
		{"alg none", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","alg":"none"}`, keys.ErrAlgorithmKeyMismatch, ""},
		{"x25519 use sig", `{"kty":"OKP","crv":"X25519","x":"` + edx + `","use":"sig"}`, keys.ErrInvalidKey, ""},
		{"bad use", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","use":"both"}`, keys.ErrInvalidKey, ""},
		{"off curve", `{"kty":"EC","crv":"P-256","x":"` + p256x + `","y":"` + p256x + `"}`, keys.ErrInvalidKey, ""},
		{"short x", `{"kty":"EC","crv":"P-256","x":"AAAA","y":"` + p256y + `"}`, keys.ErrInvalidKey, ""},
		{"ed25519 short", `{"kty":"OKP","crv":"Ed25519","x":"AAAA"}`, keys.ErrInvalidKey, ""},
		{"padded base64", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `="}`, keys.ErrMalformed, ""},
		{"std base64", `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`, keys.ErrMalformed, ""},
		{"missing y", `{"kty":"EC","crv":"P-256","x":"` + p256x + `"}`, keys.ErrMalformed, ""},
		{"okp with y", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","y":"` + edx + `"}`, keys.ErrMalformed, ""},
		{"no kty", `{"crv":"P-256","x":"` + p256x + `","y":"` + p256y + `"}`, keys.ErrMalformed, ""},
		{"kty number", `{"kty":1}`, keys.ErrMalformed, ""},
		{"duplicate member", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","x":"` + edx + `"}`, keys.ErrMalformed, ""},
		{"not object", `["kty"]`, keys.ErrMalformed, ""},
		{"trailing", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `"} x`, keys.ErrMalformed, ""},
		{"duplicate key_ops", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","key_ops":["verify","verify"]}`, keys.ErrMalformed, ""},
		{"rsa", `{"kty":"RSA","n":"AQAB","e":"AQAB"}`, keys.ErrUnsupportedKeyType, ""},
		{"oct", `{"kty":"oct","k":"c2VjcmV0"}`, keys.ErrUnsupportedKeyType, ""},
		{"p521", `{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}`, keys.ErrUnsupportedKeyType, ""},
		{"ed448", `{"kty":"OKP","crv":"Ed448","x":"AA"}`, keys.ErrUnsupportedKeyType, ""},
		{"huge", `{"kty":"OKP","crv":"Ed25519","x":"` + edx + `","pad":"` + strings.Repeat("a", keys.MaxJWKBytes) + `"}`, keys.ErrTooLarge, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub, err := keys.ParseJWK([]byte(tc.jwk))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("ParseJWK: got %v, want %v", err, tc.want)
			}
			if err != nil {
				if pub != nil {
					t.Fatal("non-nil key with an error")
				}
				return
			}
			kt, err := keys.TypeOf(pub)
			if err != nil || kt != tc.typ {
				t.Fatalf("TypeOf: got %q, %v; want %q", kt, err, tc.typ)
			}
			out, err := keys.JWK(pub)
			if err != nil {
				t.Fatal(err)
			}
			again, err := keys.ParseJWK(out)
			if err != nil || !keys.Equal(pub, again) {
				t.Fatalf("round trip of %s: %v", out, err)
			}
		})
	}
}

// RFC 7638 §3.1: the thumbprint of the RFC 7517 example RSA key is given there; RSA is
// outside policy, so check the RFC 8037 §A.3 Ed25519 thumbprint instead.
func TestThumbprintRFC8037(t *testing.T) {
	pub, err := keys.ParseJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	if err != nil {
		t.Fatal(err)
	}
	tp, err := keys.Thumbprint(pub, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := base64.RawURLEncoding.EncodeToString(tp), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"; got != want {
		t.Errorf("thumbprint %s, want %s", got, want)
	}
	uri, err := keys.ThumbprintURI(pub)
	if err != nil || uri != "urn:ietf:params:oauth:jwk-thumbprint:sha-256:kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" {
		t.Errorf("ThumbprintURI: %s, %v", uri, err)
	}
}

func TestPrivateJWK(t *testing.T) {
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1} {
		t.Run(string(kt), func(t *testing.T) {
			s, err := keys.Generate(kt)
			if err != nil {
				t.Fatal(err)
			}
			priv, err := keys.PrivateJWK(s)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := keys.ParseJWK(priv); !errors.Is(err, keys.ErrPrivateKeyMaterial) {
				t.Fatalf("ParseJWK(private): %v", err)
			}
			s2, err := keys.ParsePrivateJWK(priv)
			if err != nil {
				t.Fatal(err)
			}
			if !keys.Equal(s.Public(), s2.Public()) || s2.Algorithm() != s.Algorithm() {
				t.Fatal("private JWK round trip changed the key")
			}
			sig, err := keys.Sign(s2, []byte("msg"))
			if err != nil {
				t.Fatal(err)
			}
			if err := keys.Verify(s.Public(), s.Algorithm(), []byte("msg"), sig); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParsePrivateJWKMismatch(t *testing.T) {
	a, _ := keys.Generate(keys.P256)
	b, _ := keys.Generate(keys.P256)
	pa, _ := keys.PrivateJWK(a)
	pb, _ := keys.PrivateJWK(b)
	// Take d from b and x, y from a.
	da := pa[strings.Index(string(pa), `"d":`):strings.Index(string(pa), `,"kty"`)]
	db := pb[strings.Index(string(pb), `"d":`):strings.Index(string(pb), `,"kty"`)]
	mixed := strings.Replace(string(pa), string(da), string(db), 1)
	if _, err := keys.ParsePrivateJWK([]byte(mixed)); !errors.Is(err, keys.ErrInvalidKey) {
		t.Fatalf("mismatched d: %v", err)
	}
	pub, _ := keys.JWK(a.Public())
	if _, err := keys.ParsePrivateJWK(pub); !errors.Is(err, keys.ErrInvalidKey) {
		t.Fatalf("public JWK as private: %v", err)
	}
}

func TestTypeOf(t *testing.T) {
	x, _ := ecdh.P256().GenerateKey(nil)
	for _, tc := range []struct {
		name string
		pub  crypto.PublicKey
		want error
	}{
		{"nil ecdsa", (*ecdsa.PublicKey)(nil), keys.ErrInvalidKey},
		{"short ed25519", ed25519.PublicKey{1, 2}, keys.ErrInvalidKey},
		{"ecdh p256", x.PublicKey(), keys.ErrUnsupportedKeyType},
		{"bytes", []byte{1}, keys.ErrUnsupportedKeyType},
		{"nil", nil, keys.ErrUnsupportedKeyType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := keys.TypeOf(tc.pub); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if _, err := keys.Algorithm(tc.pub); !errors.Is(err, tc.want) {
				t.Fatalf("Algorithm: got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := keys.Algorithm(x.PublicKey()); err == nil {
		t.Fatal("ecdh key got a signature algorithm")
	}
}

func TestEd25519NotOnCurve(t *testing.T) {
	// y = 2: x² = (y²-1)/(d·y²+1) has no square root mod p, so no point has this y.
	b := make([]byte, 32)
	b[0] = 2
	x := base64.RawURLEncoding.EncodeToString(b)
	if _, err := keys.ParseJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}`)); !errors.Is(err, keys.ErrInvalidKey) {
		t.Fatalf("JWK: %v", err)
	}
	if _, err := keys.ParseMultikey(keys.EncodeMultikey(0xed, b)); !errors.Is(err, keys.ErrInvalidKey) {
		t.Fatalf("Multikey: %v", err)
	}
}
