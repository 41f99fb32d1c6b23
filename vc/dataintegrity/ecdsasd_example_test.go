package dataintegrity_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/jsonld"
)

// An issuer signs an age credential with an ecdsa-sd-2023 base proof; the holder derives
// a credential that reveals the over-18 claim and not the birth date; the verifier checks
// the derived proof and refuses the base one. The RDFFunc converts JSON-LD with the
// embedded contexts only.
func ExampleDerive() {
	ctx := context.Background()
	toRDF := func(ctx context.Context, doc map[string]any) ([]jsonld.Quad, error) {
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		return jsonld.ToRDF(ctx, b, jsonld.DefaultContexts(), jsonld.Options{})
	}
	issuer, _ := keys.Generate(keys.P256)
	mk, _ := keys.Multikey(issuer.Public())
	vm := "did:key:" + mk + "#" + mk

	credential := `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "type": ["VerifiableCredential", "AgeCredential"],
  "issuer": "did:key:` + mk + `",
  "credentialSubject": {"id": "did:example:alice", "birthDate": "2001-04-12", "ageOver18": true}
}`
	base, err := dataintegrity.Sign(ctx, []byte(credential), issuer, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.ECDSASD2023, VerificationMethod: vm,
		ProofPurpose: dataintegrity.PurposeAssertionMethod, Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		MandatoryPointers: []string{"/issuer"}, ToRDF: toRDF,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	derived, err := dataintegrity.Derive(ctx, base, dataintegrity.DeriveOptions{
		SelectivePointers: []string{"/credentialSubject/ageOver18"}, ToRDF: toRDF,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	opts := dataintegrity.VerifyOptions{
		Key: func(_ context.Context, got, _ string) (crypto.PublicKey, error) {
			if got != vm {
				return nil, dataintegrity.ErrInvalidKey
			}
			return issuer.Public(), nil
		},
		Purpose: dataintegrity.PurposeAssertionMethod, ToRDF: toRDF,
	}
	if _, err := dataintegrity.Verify(ctx, derived, opts); err != nil {
		fmt.Println(err)
		return
	}
	var doc struct {
		CredentialSubject map[string]any `json:"credentialSubject"`
	}
	_ = json.Unmarshal(derived, &doc)
	fmt.Println("disclosed:", doc.CredentialSubject)

	_, err = dataintegrity.Verify(ctx, base, opts)
	fmt.Println("base proof refused:", errors.Is(err, dataintegrity.ErrBaseProofPresented))
	// Output:
	// disclosed: map[ageOver18:true id:did:example:alice]
	// base proof refused: true
}
