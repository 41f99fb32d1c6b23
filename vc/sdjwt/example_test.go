package sdjwt_test

import (
	"context"
	"crypto"
	"fmt"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// An issuer makes an SD-JWT VC with a birth date and age answers, all selectively
// disclosable; the holder discloses only that they are 18 or over; the verifier sees
// that answer and nothing else.
func Example() {
	issuerKey, _ := keys.Generate(keys.Ed25519)
	holderKey, _ := keys.Generate(keys.Ed25519)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	birthdate := time.Date(2001, 9, 30, 0, 0, 0, 0, time.UTC)

	// Issuer.
	claims := map[string]any{
		"vct":        "https://credentials.example/identity",
		"iss":        "https://issuer.example",
		"given_name": "Erika",
		"birthdate":  birthdate.Format(time.DateOnly),
	}
	frame, _ := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"birthdate"})
	age, ageFrame, err := sdjwt.AgeEqualOrOver(birthdate, now, 16, 18, 21, 65)
	if err != nil {
		panic(err)
	}
	claims["age_equal_or_over"] = age
	frame.Members["age_equal_or_over"] = ageFrame
	issued, err := sdjwt.Issue(issuerKey, claims, frame, sdjwt.IssueOptions{
		KeyID: "https://issuer.example#key-1", Holder: holderKey.Public(), IssuedAt: now,
	})
	if err != nil {
		panic(err)
	}

	// Holder: disclose age_equal_or_over/18 alone, bound to the verifier's nonce.
	presentation, err := sdjwt.Present(issued, []sdjwt.Path{{"age_equal_or_over", "18"}}, sdjwt.PresentOptions{
		Holder: holderKey, Nonce: "n-0S6_WzA2Mj", Audience: "https://verifier.example", IssuedAt: now,
	})
	if err != nil {
		panic(err)
	}

	// Verifier: the issuer's key comes from the verifier's own trust configuration.
	issuerKeys := func(_ context.Context, r sdjwt.KeyRequest) (crypto.PublicKey, error) {
		if r.Issuer != "https://issuer.example" {
			return nil, fmt.Errorf("unknown issuer %q: %w", r.Issuer, sdjwt.ErrUntrustedKeySource)
		}
		return issuerKey.Public(), nil
	}
	v, err := sdjwt.NewVerifier(issuerKeys, sdjwt.VerifierOptions{Clock: func() time.Time { return now.Add(time.Minute) }})
	if err != nil {
		panic(err)
	}
	res, err := v.VerifyPresentation(context.Background(), presentation, sdjwt.Expect{
		Nonce: "n-0S6_WzA2Mj", Audience: "https://verifier.example",
	})
	if err != nil {
		panic(err)
	}
	got := res.Claims()
	fmt.Println("age_equal_or_over:", got["age_equal_or_over"])
	_, hasBirthdate := got["birthdate"]
	_, hasName := got["given_name"]
	fmt.Println("birthdate disclosed:", hasBirthdate, "given_name disclosed:", hasName)
	fmt.Println("disclosed:", res.Disclosed())
	// Output:
	// age_equal_or_over: map[18:true]
	// birthdate disclosed: false given_name disclosed: false
	// disclosed: [/age_equal_or_over /age_equal_or_over/18]
}
