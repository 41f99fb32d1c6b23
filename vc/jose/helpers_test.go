package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

// sentinels are the errors every failure of this package must wrap one of.
var sentinels = []error{
	jose.ErrMalformed, jose.ErrTooLarge, jose.ErrTooDeep, jose.ErrInvalidType, jose.ErrUnsupportedFormat,
	jose.ErrAlgorithmNotAllowed, jose.ErrAlgorithmKeyMismatch, jose.ErrInvalidKey, jose.ErrUnsupportedKeyType,
	jose.ErrInvalidSignature, jose.ErrUnsupportedCritical, jose.ErrUntrustedKeySource, jose.ErrMissingKeyID,
	jose.ErrIssuerMismatch, jose.ErrExpired, jose.ErrNotYetValid, jose.ErrIssuedInFuture,
}

func sentinelOf(err error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// forge signs exactly the given header and payload JSON with s, so that malformed or
// hostile members reach the parser under a valid signature.
func forge(t testing.TB, s keys.Signer, header, payload string) string {
	t.Helper()
	in := enc(header) + "." + enc(payload)
	sig, err := keys.Sign(s, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// Fixed keys, so tests and examples are reproducible.
func edPriv() ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	return ed25519.NewKeyFromSeed(seed)
}

func ecPriv(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	d := make([]byte, (c.Params().BitSize+7)/8)
	d[len(d)-1] = 7
	priv, err := ecdsa.ParseRawPrivateKey(c, d)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func signerFor(t testing.TB, priv crypto.Signer) keys.Signer {
	t.Helper()
	s, err := keys.SignerFor(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func edKey(t testing.TB) keys.Signer                   { return signerFor(t, edPriv()) }
func ecKey(t testing.TB, c elliptic.Curve) keys.Signer { return signerFor(t, ecPriv(t, c)) }

// jsonDiff reports the difference between two JSON texts as values.
func jsonDiff(t testing.TB, a, b []byte) string {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("%v in %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return cmp.Diff(va, vb)
}

const (
	testIssuer = "https://university.example/issuers/14"
	testHolder = "https://holder.example"
	// credential is a minimal VCDM 2.0 credential.
	credential = `{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","AgeCredential"],"issuer":"` + testIssuer + `","validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"id":"did:example:subject","ageOver":18}}`
	// presentation is a minimal VCDM 2.0 presentation with one enveloped credential.
	presentation = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","holder":"` + testHolder + `","verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,e30.e30.AA"}]}`
	// credential11 is a VCDM 1.1 credential.
	credential11   = `{"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:2","type":["VerifiableCredential"],"issuer":{"id":"` + testIssuer + `","name":"Example University"},"issuanceDate":"2010-01-01T19:23:24.123Z","expirationDate":"2030-01-01T00:00:00Z","credentialSubject":{"id":"did:example:subject","degree":"BSc"}}`
	presentation11 = `{"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:uuid:3","type":["VerifiablePresentation"],"holder":"` + testHolder + `","verifiableCredential":["eyJ.e30.AA"]}`
)

var b64 = base64.RawURLEncoding
