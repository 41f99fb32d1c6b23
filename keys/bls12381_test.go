package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

func TestBLS12381G2Key(t *testing.T) {
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := sk.Public()
	if kt, err := keys.TypeOf(pub); err != nil || kt != keys.BLS12381G2 {
		t.Fatalf("TypeOf: %v, %v", kt, err)
	}
	if _, err := keys.Algorithm(pub); !errors.Is(err, keys.ErrUnsupportedKeyType) {
		t.Errorf("Algorithm: got %v, want ErrUnsupportedKeyType (BBS keys never sign JOSE)", err)
	}
	mk, err := keys.Multikey(pub)
	if err != nil || !strings.HasPrefix(mk, "zUC7") {
		t.Fatalf("Multikey %q: %v", mk, err)
	}
	back, err := keys.ParseMultikey(mk)
	if err != nil || !keys.Equal(back, pub) {
		t.Fatalf("Multikey round trip: %v", err)
	}
	jwk, err := keys.JWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(jwk, &m); err != nil || m["kty"] != "EC" || m["crv"] != "BLS12381G2" {
		t.Fatalf("JWK %s: %v", jwk, err)
	}
	fromJWK, err := keys.ParseJWK(jwk)
	if err != nil || !keys.Equal(fromJWK, pub) {
		t.Fatalf("JWK round trip: %v", err)
	}
	again, err := keys.ParseBBSPrivateKey(sk.Bytes())
	if err != nil || !keys.Equal(again.Public(), pub) {
		t.Fatalf("private key round trip: %v", err)
	}
	sig, err := sk.SignBBS(t.Context(), []byte("h"), [][]byte{[]byte("m")})
	if err != nil || len(sig) != 80 {
		t.Fatalf("SignBBS: %d bytes, %v", len(sig), err)
	}
	msgs := [][]byte{[]byte("m")}
	if err := pub.VerifyBBS(sig, []byte("h"), msgs); err != nil {
		t.Fatalf("VerifyBBS: %v", err)
	}
	if err := pub.VerifyBBS(sig, []byte("other"), msgs); !errors.Is(err, keys.ErrInvalidSignature) {
		t.Fatalf("VerifyBBS, other header: got %v, want ErrInvalidSignature", err)
	}
	proof, err := pub.DeriveBBSProof(sig, []byte("h"), []byte("nonce"), msgs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.(*keys.BLS12381G2PublicKey).VerifyBBSProof(proof, []byte("h"), []byte("nonce"), nil, nil); err != nil {
		t.Fatalf("VerifyBBSProof: %v", err)
	}
	if err := pub.VerifyBBSProof(proof, []byte("h"), []byte("other"), nil, nil); !errors.Is(err, errs.ErrInvalidProof) {
		t.Fatalf("VerifyBBSProof, other nonce: got %v, want ErrInvalidProof", err)
	}
	if keys.Equal(pub, keys.Ed25519) || pub.Equal(nil) {
		t.Error("Equal accepts a key of another type")
	}
}

func TestBBSPrivateKeyNeverPrints(t *testing.T) {
	sk, err := keys.ParseBBSPrivateKey(append(make([]byte, 31), 5))
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		if out := fmt.Sprintf(verb, sk); out != "keys.BBSPrivateKey(redacted)" {
			t.Errorf("%s prints %q", verb, out)
		}
	}
	for _, bad := range [][]byte{make([]byte, 32), bytes.Repeat([]byte{0xff}, 32), make([]byte, 31)} {
		if _, err := keys.ParseBBSPrivateKey(bad); !errors.Is(err, keys.ErrInvalidKey) {
			t.Errorf("%x: got %v, want ErrInvalidKey", bad, err)
		}
	}
}

func TestBLS12381G2JWK(t *testing.T) {
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := keys.JWK(sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(jwk, &m); err != nil {
		t.Fatal(err)
	}
	with := func(k, v string) []byte {
		c := map[string]string{}
		for a, b := range m {
			c[a] = b
		}
		c[k] = v
		b, _ := json.Marshal(c)
		return b
	}
	short := m["x"][:len(m["x"])-4]
	flipped := []byte(m["y"])
	if flipped[10] == 'A' {
		flipped[10] = 'B'
	} else {
		flipped[10] = 'A'
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"valid", jwk, nil},
		{"short x", with("x", short), keys.ErrInvalidKey},
		{"y changed", with("y", string(flipped)), keys.ErrInvalidKey},
		{"G1 curve", with("crv", "BLS12381G1"), keys.ErrUnsupportedKeyType},
		{"old G1 name", with("crv", "BLS12381_G1"), keys.ErrUnsupportedKeyType},
		{"with alg", with("alg", "ES256"), keys.ErrAlgorithmKeyMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.ParseJWK(tc.in)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestBLS12381G2DIDKeyKeys decodes the base58 public keys of the did:key BLS12-381 G2
// vectors and re-encodes each as its vector's DID.
func TestBLS12381G2DIDKeyKeys(t *testing.T) {
	var all map[string]struct {
		VerificationKeyPair struct {
			Type             string `json:"type"`
			PublicKeyBase58  string `json:"publicKeyBase58"`
			PrivateKeyBase58 string `json:"privateKeyBase58"`
		} `json:"verificationKeyPair"`
	}
	if err := json.Unmarshal(vectors.Read(t, "did-key/test-vectors-2025-07", "bls12381.json"), &all); err != nil {
		t.Fatal(err)
	}
	var n int
	for id, v := range all {
		if v.VerificationKeyPair.Type != "Bls12381G2Key2020" {
			continue
		}
		raw, err := base58.Decode(v.VerificationKeyPair.PublicKeyBase58)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := keys.ParseBLS12381G2PublicKey(raw)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if mk, _ := keys.Multikey(pub); "did:key:"+mk != id {
			t.Errorf("%s: Multikey %s", id, mk)
		}
		n++
	}
	if n != 5 {
		t.Errorf("%d BLS12-381 G2 keys, want 5", n)
	}
}

// A BBS key has a Multikey public key that did:key and Data Integrity documents carry.
func ExampleGenerateBBSKey() {
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		panic(err)
	}
	mk, err := keys.Multikey(sk.Public())
	if err != nil {
		panic(err)
	}
	fmt.Println(mk[:4], len(sk.Public().Bytes()), sk)
	// Output: zUC7 96 keys.BBSPrivateKey(redacted)
}
