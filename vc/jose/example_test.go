package jose_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"log"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

func ExampleSignCredential() {
	// A fixed key keeps the output stable; use keys.Generate or a KMS-backed signer.
	signer, err := keys.SignerFor(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	if err != nil {
		log.Fatal(err)
	}
	credential := []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
		`"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:alice","ageOver":18}}`)
	token, err := jose.SignCredential(signer, "did:example:issuer#key-1", credential,
		jose.SignOptions{IssuedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		log.Fatal(err)
	}

	p, err := jose.Parse(token, jose.ParseOptions{Kinds: []jose.Kind{jose.CredentialJWT}})
	if err != nil {
		log.Fatal(err)
	}
	// A verifier resolves the key of p.Issuer named by p.Header.Kid; here it is known.
	if err := p.Verify(signer.Public(), nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Kind, p.Header.Alg, p.Header.Kid)
	fmt.Println(p.Issuer, p.Claims.IssuedAt.Format(time.RFC3339))
	fmt.Println(string(p.Document))
	// Output:
	// vc+jwt EdDSA did:example:issuer#key-1
	// did:example:issuer 2025-01-01T00:00:00Z
	// {"iat":1735689600,"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:alice","ageOver":18}}
}

func ExampleUnenvelope() {
	env := []byte(`{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential",` +
		`"id":"data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.e30.AA"}`)
	mediaType, token, err := jose.Unenvelope(env)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(mediaType, string(token))
	// Output: application/vc+jwt eyJhbGciOiJFZERTQSJ9.e30.AA
}
