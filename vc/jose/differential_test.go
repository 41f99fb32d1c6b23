package jose_test

import (
	"bytes"
	"crypto"
	"crypto/elliptic"
	"testing"

	gojose "github.com/go-jose/go-jose/v4"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

var goJoseAlgs = []gojose.SignatureAlgorithm{gojose.EdDSA, gojose.ES256, gojose.ES384}

// goJoseVerify checks a token of ours with go-jose, an independent implementation; when
// payload is not nil the verified payload must equal it.
func goJoseVerify(t *testing.T, tok []byte, pub crypto.PublicKey, payload []byte) []byte {
	t.Helper()
	sig, err := gojose.ParseSignedCompact(string(tok), goJoseAlgs)
	if err != nil {
		t.Fatalf("go-jose parse: %v", err)
	}
	got, err := sig.Verify(pub)
	if err != nil {
		t.Fatalf("go-jose verify: %v", err)
	}
	if payload != nil && !bytes.Equal(got, payload) {
		t.Errorf("go-jose payload %s, want %s", got, payload)
	}
	return got
}

func goJoseAlg(t *testing.T, s keys.Signer) gojose.SignatureAlgorithm {
	switch s.Algorithm() {
	case keys.EdDSA:
		return gojose.EdDSA
	case keys.ES256:
		return gojose.ES256
	case keys.ES384:
		return gojose.ES384
	}
	t.Fatalf("no go-jose algorithm for %s", s.Algorithm())
	return ""
}

// TestDifferentialOursToGoJose: every kind of token we sign verifies with go-jose, with
// the payload we meant.
func TestDifferentialOursToGoJose(t *testing.T) {
	for name, s := range signers(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				kind jose.Kind
				sign func(keys.Signer, string, []byte, jose.SignOptions) ([]byte, error)
				doc  string
			}{
				{jose.CredentialJWT, jose.SignCredential, credential},
				{jose.PresentationJWT, jose.SignPresentation, presentation},
				{jose.Credential11, jose.SignCredential11, credential11},
				{jose.Presentation11, jose.SignPresentation11, presentation11},
			} {
				tok, err := tc.sign(s, "did:example:issuer#key-1", []byte(tc.doc), jose.SignOptions{})
				if err != nil {
					t.Fatal(err)
				}
				got := goJoseVerify(t, tok, s.Public(), nil)
				p := mustParse(t, s, tok, tc.kind)
				if (tc.kind == jose.CredentialJWT || tc.kind == jose.PresentationJWT) && !bytes.Equal(got, p.Document) {
					t.Errorf("%v: go-jose payload differs from Document", tc.kind)
				}
				sig, _ := gojose.ParseSignedCompact(string(tok), goJoseAlgs)
				h := sig.Signatures[0].Protected
				if h.KeyID != "did:example:issuer#key-1" || h.ExtraHeaders["typ"] != p.Header.Typ {
					t.Errorf("%v: go-jose header %+v", tc.kind, h)
				}
			}
		})
	}
}

// TestDifferentialGoJoseToOurs: tokens go-jose signs with the right typ verify with us.
func TestDifferentialGoJoseToOurs(t *testing.T) {
	for name, priv := range map[string]crypto.Signer{"Ed25519": edPriv(), "P-256": ecPriv(t, elliptic.P256()), "P-384": ecPriv(t, elliptic.P384())} {
		s := signerFor(t, priv)
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				typ, payload string
				kind         jose.Kind
			}{
				{"vc+jwt", credential, jose.CredentialJWT},
				{"vp+jwt", presentation, jose.PresentationJWT},
				{"JWT", `{"iss":"` + testIssuer + `","nbf":1262373804,"vc":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"credentialSubject":{"a":1}}}`, jose.Credential11},
			} {
				signer, err := gojose.NewSigner(gojose.SigningKey{Algorithm: goJoseAlg(t, s), Key: priv},
					(&gojose.SignerOptions{}).WithType(gojose.ContentType(tc.typ)).WithHeader("kid", "key-1"))
				if err != nil {
					t.Fatal(err)
				}
				sig, err := signer.Sign([]byte(tc.payload))
				if err != nil {
					t.Fatal(err)
				}
				tok, err := sig.CompactSerialize()
				if err != nil {
					t.Fatal(err)
				}
				p := mustParse(t, s, []byte(tok), tc.kind)
				if tc.kind == jose.CredentialJWT && string(p.Document) != tc.payload {
					t.Errorf("Document %s", p.Document)
				}
				if tc.kind == jose.Credential11 && p.Issuer != testIssuer {
					t.Errorf("issuer %q", p.Issuer)
				}
				// The key decides: another key of ours refuses the token.
				other := edKey(t)
				if s.Algorithm() == keys.EdDSA {
					other = signers(t)["P-256"]
				}
				if err := p.Verify(other.Public(), nil); err == nil {
					t.Error("verified with another key")
				}
			}
		})
	}
}
