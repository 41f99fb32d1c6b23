package dataintegrity_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
)

// An issuer signs a credential with eddsa-jcs-2022 and a verifier checks it. The verifier's
// Key callback stands in for DID resolution: here it knows one did:key.
func ExampleVerify() {
	ctx := context.Background()
	priv := ed25519.NewKeyFromSeed(make([]byte, 32)) // use keys.Generate in real code
	signer, _ := keys.SignerFor(priv)
	mk, _ := keys.Multikey(priv.Public())
	vm := "did:key:" + mk + "#" + mk

	credential := `{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "type": ["VerifiableCredential"],
  "issuer": "did:key:` + mk + `",
  "credentialSubject": {"ageOver": 18}
}`
	secured, err := dataintegrity.Sign(ctx, []byte(credential), signer, dataintegrity.ProofOptions{
		Cryptosuite:        dataintegrity.EdDSAJCS2022,
		VerificationMethod: vm,
		ProofPurpose:       dataintegrity.PurposeAssertionMethod,
		Created:            time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	opts := dataintegrity.VerifyOptions{
		Key: func(_ context.Context, method, purpose string) (crypto.PublicKey, error) {
			if method != vm || purpose != dataintegrity.PurposeAssertionMethod {
				return nil, fmt.Errorf("unknown verification method %s", method)
			}
			return priv.Public(), nil
		},
		Purpose: dataintegrity.PurposeAssertionMethod,
		Now:     func() time.Time { return time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC) },
	}
	res, err := dataintegrity.Verify(ctx, secured, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Proofs[0]
	fmt.Println(p.Cryptosuite, p.Created.Format(time.RFC3339), p.VerificationMethod == vm)

	tampered := strings.Replace(string(secured), `"ageOver": 18`, `"ageOver": 21`, 1)
	_, err = dataintegrity.Verify(ctx, []byte(tampered), opts)
	fmt.Println(err != nil, errors.Is(err, dataintegrity.ErrInvalidSignature))
	// Output:
	// eddsa-jcs-2022 2025-06-01T12:00:00Z true
	// true true
}
