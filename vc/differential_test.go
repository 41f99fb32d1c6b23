package vc_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"testing"

	gojose "github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// The facade against go-jose, an independent JOSE implementation: tokens go-jose signs
// verify here, and tokens vc.Issuer signs verify with go-jose.

var goJoseAlgorithms = []gojose.SignatureAlgorithm{gojose.EdDSA, gojose.ES256, gojose.ES384}

// goJoseKeys are private keys of each supported type, as go-jose takes them.
func goJoseKeys(t *testing.T) map[string]crypto.Signer {
	t.Helper()
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]crypto.Signer{"Ed25519": ed}
	for name, curve := range map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384()} {
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = k
	}
	return out
}

func goJoseAlgorithm(t *testing.T, alg string) gojose.SignatureAlgorithm {
	t.Helper()
	for _, a := range goJoseAlgorithms {
		if string(a) == alg {
			return a
		}
	}
	t.Fatalf("no go-jose algorithm %s", alg)
	return ""
}

// goJoseSign signs payload with go-jose under typ and kid.
func goJoseSign(t *testing.T, priv crypto.Signer, typ, kid string, payload []byte) []byte {
	t.Helper()
	s, err := keys.SignerFor(priv)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gojose.NewSigner(gojose.SigningKey{Algorithm: goJoseAlgorithm(t, s.Algorithm()), Key: priv},
		(&gojose.SignerOptions{}).WithType(gojose.ContentType(typ)).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return []byte(tok)
}

func TestDifferentialGoJoseToVerifier(t *testing.T) {
	ctx := context.Background()
	for name, priv := range goJoseKeys(t) {
		t.Run(name, func(t *testing.T) {
			id, err := key.Create(priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			kid := id + "#" + id[len("did:key:"):]
			cred := []byte(credentialJSON(id, "did:example:alice"))
			v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, id)})

			got, err := v.VerifyCredential(ctx, goJoseSign(t, priv, "vc+jwt", kid, cred))
			if err != nil {
				t.Fatal(err)
			}
			s, _ := keys.SignerFor(priv)
			if got.Issuer() != id || got.Proof().KeyID != kid || got.Proof().Algorithm != s.Algorithm() {
				t.Errorf("verified %s %+v", got.Issuer(), got.Proof())
			}
			if d := cmp.Diff(decodeJSON(t, cred), any(got.Claims())); d != "" {
				t.Errorf("claims differ from the signed credential (-signed +got):\n%s", d)
			}
			env, err := vc.EnvelopeCredential(goJoseSign(t, priv, "vc+jwt", kid, cred))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.VerifyCredential(ctx, env); err != nil {
				t.Errorf("enveloped: %v", err)
			}

			// What the verifier refuses from go-jose as from anyone.
			sameType, otherType := goJoseKeys(t)[name], goJoseKeys(t)["Ed25519"]
			if name == "Ed25519" {
				otherType = goJoseKeys(t)["P-256"]
			}
			for _, c := range []struct {
				name  string
				token []byte
				want  error
			}{
				{"typ JWT on a 2.0 credential", goJoseSign(t, priv, "JWT", kid, cred), vc.ErrMalformed},
				{"typ vp+jwt", goJoseSign(t, priv, "vp+jwt", kid, cred), vc.ErrInvalidType},
				{"signed by another key", goJoseSign(t, sameType, "vc+jwt", kid, cred), vc.ErrInvalidSignature},
				{"signed by a key of another type", goJoseSign(t, otherType, "vc+jwt", kid, cred), vc.ErrAlgorithmKeyMismatch},
				{"kid of another DID", goJoseSign(t, priv, "vc+jwt", "did:example:other#k", cred), vc.ErrIssuerMismatch},
			} {
				t.Run(c.name, func(t *testing.T) {
					_, err := v.VerifyCredential(ctx, c.token)
					checkVerifyErr(t, err, c.want)
				})
			}
		})
	}
}

func TestDifferentialIssuerToGoJose(t *testing.T) {
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384} {
		t.Run(string(kt), func(t *testing.T) {
			iss := newParty(t, kt)
			c := parseCredential(t, credentialJSON("", "did:example:alice"))
			tok := issue(t, iss, c, vc.FormatJWT)

			jws, err := gojose.ParseSignedCompact(string(tok), goJoseAlgorithms)
			if err != nil {
				t.Fatal(err)
			}
			payload, err := jws.Verify(iss.signer.Public())
			if err != nil {
				t.Fatal(err)
			}
			h := jws.Signatures[0].Protected
			if h.KeyID != iss.kid || h.Algorithm != iss.signer.Algorithm() || h.ExtraHeaders["typ"] != "vc+jwt" || h.ExtraHeaders["cty"] != "vc" {
				t.Errorf("go-jose header %+v", h)
			}
			// The payload is the credential the issuer was given, with its issuer filled
			// in, and the iat claim the issuer adds first.
			withIssuer := *c
			withIssuer.Issuer = vc.Party{ID: iss.did}
			want, err := withIssuer.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			wantPayload := fmt.Sprintf(`{"iat":%d,%s`, now.Unix(), want[1:])
			if string(payload) != wantPayload {
				t.Errorf("payload\n%s\nwant\n%s", payload, wantPayload)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(payload, &m); err != nil {
				t.Fatal(err)
			}
			if string(m["issuer"]) != `"`+iss.did+`"` {
				t.Errorf("issuer %s", m["issuer"])
			}

			// go-jose refuses it with another key.
			if _, err := jws.Verify(generate(t, kt).Public()); err == nil {
				t.Error("go-jose verified with another key")
			}
		})
	}
}
