package vc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// exampleNow is the fixed time of the examples, so that their validity checks give the
// same answer on every run.
func exampleNow() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }

// exampleIdentity makes a did:key identity: its signer, DID and key id.
func exampleIdentity() (keys.Signer, string, string) {
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		log.Fatal(err)
	}
	return s, id, id + "#" + strings.TrimPrefix(id, "did:key:")
}

// exampleOver18 issues a vc+jwt saying that holder is over 18.
func exampleOver18(ctx context.Context, signer keys.Signer, kid, holder string) []byte {
	c, err := vc.ParseCredential([]byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "AgeCredential"],
		"validFrom": "2026-01-01T00:00:00Z",
		"validUntil": "2027-01-01T00:00:00Z",
		"credentialSubject": {"id": "` + holder + `", "ageOver18": true}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	issuer, err := vc.NewIssuer(signer, kid, vc.IssuerOptions{Clock: exampleNow})
	if err != nil {
		log.Fatal(err)
	}
	token, err := issuer.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		log.Fatal(err)
	}
	return token
}

// A verifier that trusts one issuer checks an over-18 credential and reads the one claim
// it needs.
func ExampleVerifier_VerifyCredential() {
	ctx := context.Background()
	issuerKey, issuerDID, issuerKID := exampleIdentity()
	_, aliceDID, _ := exampleIdentity()
	token := exampleOver18(ctx, issuerKey, issuerKID, aliceDID)

	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: issuerDID, Types: []string{"AgeCredential"}})
	if err != nil {
		log.Fatal(err)
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: exampleNow})
	if err != nil {
		log.Fatal(err)
	}
	cred, err := v.VerifyCredential(ctx, token)
	if err != nil {
		log.Fatal(err)
	}
	subject, _ := cred.Claims()["credentialSubject"].(map[string]any)
	fmt.Println("issuer is the trusted one:", cred.Issuer() == issuerDID)
	fmt.Println("subject is alice:", subject["id"] == aliceDID)
	fmt.Println("ageOver18:", subject["ageOver18"])

	// A year later the credential has expired.
	later, err := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: func() time.Time { return exampleNow().AddDate(1, 0, 0) }})
	if err != nil {
		log.Fatal(err)
	}
	_, err = later.VerifyCredential(ctx, token)
	fmt.Println("expired a year later:", errors.Is(err, vc.ErrExpired))
	// Output:
	// issuer is the trusted one: true
	// subject is alice: true
	// ageOver18: true
	// expired a year later: true
}

// A verifier built from zero options is safe: it trusts no issuer, so it accepts
// nothing until VerifierOptions.Trust says whom to accept.
func ExampleNewVerifier() {
	ctx := context.Background()
	issuerKey, _, issuerKID := exampleIdentity()
	_, aliceDID, _ := exampleIdentity()
	token := exampleOver18(ctx, issuerKey, issuerKID, aliceDID)

	v, err := vc.NewVerifier(vc.VerifierOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cred, err := v.VerifyCredential(ctx, token)
	fmt.Println("verified:", cred != nil)
	fmt.Println("untrusted issuer:", errors.Is(err, vc.ErrUntrustedIssuer))

	var ve *vc.VerifyError
	if errors.As(err, &ve) {
		fmt.Println("reason:", ve.Reason)
	}
	// Output:
	// verified: false
	// untrusted issuer: true
	// reason: trust
}

// A holder presents a credential to a verifier, bound to the verifier's nonce and
// audience; the verifier checks the holder's proof, then the credential, and refuses the
// same presentation a second time.
func ExampleVerifier_VerifyPresentation() {
	ctx := context.Background()
	issuerKey, issuerDID, issuerKID := exampleIdentity()
	aliceKey, aliceDID, aliceKID := exampleIdentity()
	token := exampleOver18(ctx, issuerKey, issuerKID, aliceDID)

	// The verifier sends a fresh nonce and its own identifier with each request.
	want := vc.Expect{Nonce: "n-0S6_WzA2Mj", Audience: "https://shop.example"}

	// The holder puts the credential into a presentation and signs it.
	env, err := vc.EnvelopeCredential(token)
	if err != nil {
		log.Fatal(err)
	}
	p := &vc.Presentation{
		Context:              []any{vc.ContextV2},
		Type:                 []string{"VerifiablePresentation"},
		Holder:               vc.Party{ID: aliceDID},
		VerifiableCredential: []json.RawMessage{env},
	}
	vp, err := vc.SignPresentation(ctx, aliceKey, aliceKID, p, vc.FormatJWT,
		vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience, IssuedAt: exampleNow()})
	if err != nil {
		log.Fatal(err)
	}

	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: issuerDID})
	if err != nil {
		log.Fatal(err)
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Clock: exampleNow})
	if err != nil {
		log.Fatal(err)
	}
	got, err := v.VerifyPresentation(ctx, vp, want)
	if err != nil {
		log.Fatal(err)
	}
	subject, _ := got.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	fmt.Println("holder is alice:", got.Holder() == aliceDID)
	fmt.Println("credentials:", len(got.Credentials()))
	fmt.Println("ageOver18:", subject["ageOver18"])

	_, err = v.VerifyPresentation(ctx, vp, want)
	fmt.Println("replay refused:", errors.Is(err, vc.ErrReplay))

	_, err = v.VerifyPresentation(ctx, vp, vc.Expect{Nonce: "another-nonce", Audience: want.Audience})
	fmt.Println("other nonce refused:", errors.Is(err, vc.ErrNonceMismatch))
	// Output:
	// holder is alice: true
	// credentials: 1
	// ageOver18: true
	// replay refused: true
	// other nonce refused: true
}
