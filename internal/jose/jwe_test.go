package jose

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	gojose "github.com/go-jose/go-jose/v4"

	"github.com/credence-dev/credence/internal/errs"
)

func p256Key(t testing.TB) (*ecdsa.PrivateKey, *ecdh.PrivateKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	e, err := k.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	return k, e
}

// TestJWEDifferential checks Encrypt and Decrypt against go-jose in both directions.
func TestJWEDifferential(t *testing.T) {
	ek, priv := p256Key(t)
	msg := []byte(`{"vp_token":{"age":["eyJhbGciOi...~"]},"state":"s-1"}`)
	for _, enc := range []string{EncA128GCM, EncA256GCM} {
		t.Run(enc, func(t *testing.T) {
			ours, err := Encrypt(priv.PublicKey(), msg, EncryptOptions{Enc: enc, Kid: "k1", APU: []byte("wallet"), APV: []byte("nonce-1")})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := gojose.ParseEncryptedCompact(string(ours), []gojose.KeyAlgorithm{gojose.ECDH_ES}, []gojose.ContentEncryption{gojose.ContentEncryption(enc)})
			if err != nil {
				t.Fatal(err)
			}
			pt, err := obj.Decrypt(ek)
			if err != nil || string(pt) != string(msg) {
				t.Fatalf("go-jose decrypting ours: %q, %v", pt, err)
			}
			e, err := gojose.NewEncrypter(gojose.ContentEncryption(enc), gojose.Recipient{Algorithm: gojose.ECDH_ES, Key: &ek.PublicKey, KeyID: "k1"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			jwe, err := e.Encrypt(msg)
			if err != nil {
				t.Fatal(err)
			}
			compact, err := jwe.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decrypt(priv, []byte(compact), DecryptOptions{})
			if err != nil || string(got.Plaintext) != string(msg) || got.Kid != "k1" {
				t.Fatalf("decrypting go-jose's: %+v, %v", got, err)
			}
		})
	}
}

func TestJWERefusals(t *testing.T) {
	_, priv := p256Key(t)
	_, other := p256Key(t)
	tok, err := Encrypt(priv.PublicKey(), []byte("secret"), EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(tok), ".")
	rehead := func(edit func(h map[string]any)) []byte {
		hj, _ := b64.DecodeString(parts[0])
		var h map[string]any
		json.Unmarshal(hj, &h)
		edit(h)
		nj, _ := json.Marshal(h)
		return []byte(b64.EncodeToString(nj) + "." + strings.Join(parts[1:], "."))
	}
	flip := func(i int) []byte {
		p := slices2(parts)
		b, _ := b64.DecodeString(p[i])
		b[0] ^= 1
		p[i] = b64.EncodeToString(b)
		return []byte(strings.Join(p, "."))
	}
	for _, tc := range []struct {
		name string
		tok  []byte
		key  *ecdh.PrivateKey
		o    DecryptOptions
		err  error
	}{
		{"another recipient", tok, other, DecryptOptions{}, errs.ErrInvalidSignature},
		{"ciphertext changed", flip(3), priv, DecryptOptions{}, errs.ErrInvalidSignature},
		{"tag changed", flip(4), priv, DecryptOptions{}, errs.ErrInvalidSignature},
		{"header changed", rehead(func(h map[string]any) { h["kid"] = "x" }), priv, DecryptOptions{}, errs.ErrInvalidSignature},
		{"zip", rehead(func(h map[string]any) { h["zip"] = "DEF" }), priv, DecryptOptions{}, errs.ErrUnsupportedCritical},
		{"crit", rehead(func(h map[string]any) { h["crit"] = []string{"x"} }), priv, DecryptOptions{}, errs.ErrUnsupportedCritical},
		{"alg RSA-OAEP", rehead(func(h map[string]any) { h["alg"] = "RSA-OAEP" }), priv, DecryptOptions{}, errs.ErrAlgorithmNotAllowed},
		{"alg ECDH-ES+A128KW", rehead(func(h map[string]any) { h["alg"] = "ECDH-ES+A128KW" }), priv, DecryptOptions{}, errs.ErrAlgorithmNotAllowed},
		{"enc not allowed", tok, priv, DecryptOptions{Encs: []string{EncA256GCM}}, errs.ErrAlgorithmNotAllowed},
		{"enc CBC", rehead(func(h map[string]any) { h["enc"] = "A128CBC-HS256" }), priv, DecryptOptions{Encs: []string{"A128CBC-HS256"}}, errs.ErrAlgorithmNotAllowed},
		{"epk on P-384", rehead(func(h map[string]any) { h["epk"].(map[string]any)["crv"] = "P-384" }), priv, DecryptOptions{}, errs.ErrUnsupportedKeyType},
		{"epk off the curve", rehead(func(h map[string]any) { h["epk"].(map[string]any)["y"] = h["epk"].(map[string]any)["x"] }), priv, DecryptOptions{}, errs.ErrInvalidKey},
		{"epk with d", rehead(func(h map[string]any) { h["epk"].(map[string]any)["d"] = "AAAA" }), priv, DecryptOptions{}, errs.ErrPrivateKeyMaterial},
		{"encrypted key", []byte(parts[0] + ".AAAA." + strings.Join(parts[2:], ".")), priv, DecryptOptions{}, errs.ErrMalformed},
		{"four parts", []byte(strings.Join(parts[:4], ".")), priv, DecryptOptions{}, errs.ErrMalformed},
		{"too large", tok, priv, DecryptOptions{MaxBytes: 10}, errs.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Decrypt(tc.key, tc.tok, tc.o); !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
		})
	}
	p384, _ := ecdh.P384().GenerateKey(rand.Reader)
	if _, err := Encrypt(p384.PublicKey(), nil, EncryptOptions{}); !errors.Is(err, errs.ErrUnsupportedKeyType) {
		t.Errorf("P-384 recipient: %v", err)
	}
	if _, err := Encrypt(priv.PublicKey(), nil, EncryptOptions{Enc: "A192GCM"}); !errors.Is(err, errs.ErrAlgorithmNotAllowed) {
		t.Errorf("A192GCM: %v", err)
	}
}

func slices2(s []string) []string { return append([]string(nil), s...) }

// FuzzDecrypt feeds arbitrary compact JWEs to Decrypt: never a panic, and never a
// plaintext unless the token authenticates.
func FuzzDecrypt(f *testing.F) {
	_, priv := p256Key(f)
	tok, err := Encrypt(priv.PublicKey(), []byte(`{"vp_token":{}}`), EncryptOptions{Kid: "k"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok)
	f.Add([]byte("eyJhbGciOiJFQ0RILUVTIn0....."))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decrypt(priv, data, DecryptOptions{})
		if err == nil && d.Plaintext == nil {
			t.Fatal("nil plaintext without an error")
		}
	})
}
