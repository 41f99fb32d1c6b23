package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"testing"

	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/keys"
)

// testKey is a fixed key of our own and its did:key verification method.
type testKey struct {
	signer keys.Signer
	vm     string
}

func newTestKey(t testing.TB, kt keys.KeyType, fill byte) testKey {
	t.Helper()
	var priv crypto.Signer
	switch kt {
	case keys.Ed25519:
		priv = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{fill}, 32))
	case keys.P256:
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), bytes.Repeat([]byte{fill}, 32))
		if err != nil {
			t.Fatal(err)
		}
		priv = rfc6979{k}
	case keys.P384:
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), bytes.Repeat([]byte{fill}, 48))
		if err != nil {
			t.Fatal(err)
		}
		priv = rfc6979{k}
	default:
		t.Fatalf("key type %s", kt)
	}
	mk, err := keys.Multikey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return testKey{signer: signer(t, priv), vm: "did:key:" + mk + "#" + mk}
}

// standInRDFC plays the JSON-LD processor in tests that only need some deterministic
// canonical form: it is not RDFC-1.0.
func standInRDFC(_ context.Context, doc map[string]any, _ crypto.Hash) ([]byte, error) {
	b, err := jcs.Canonicalize(doc)
	if err != nil {
		return nil, err
	}
	return append([]byte("stand-in N-Quads\n"), b...), nil
}

const testCredential = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:0c07c1ce-57cb-41af-bef2-1b932b986873",
  "type": ["VerifiableCredential", "ExampleAgeCredential"],
  "issuer": "did:example:issuer",
  "validFrom": "2025-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:holder", "ageOver": 18, "name": "Ada \u00e9\u20ac"}
}`
