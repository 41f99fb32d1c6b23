package vc_test

import (
	"context"
	"crypto"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// pid issues an SD-JWT VC about alice where every personal claim, and each age answer, is
// selectively disclosable, bound to alice's key.
func pid(t testing.TB, iss, alice party, extra map[string]any) []byte {
	t.Helper()
	birth := time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC)
	age, ageFrame, err := sdjwt.AgeEqualOrOver(birth, now, 16, 18, 21)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{
		"given_name": "Alice", "family_name": "Example", "birthdate": "2001-04-12",
		"address":           map[string]any{"street_address": "1 Main Street", "locality": "Springfield"},
		"age_equal_or_over": age,
	}
	for k, v := range extra {
		claims[k] = v
	}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"}, sdjwt.Path{"address"})
	if err != nil {
		t.Fatal(err)
	}
	frame.Members["age_equal_or_over"] = ageFrame
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.IssueSDJWT(context.Background(), claims, frame, vc.SDJWTOptions{
		VCT: "urn:eudi:pid:1", Holder: alice.signer.Public(), Expiry: now.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestSDJWTOver18(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	issued := pid(t, iss, alice, nil)
	want := vc.Expect{Nonce: "n-123", Audience: "https://shop.example"}
	vp, err := vc.PresentSDJWT(ctx, issued, []vc.ClaimPath{{"age_equal_or_over", "18"}}, alice.signer,
		vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"urn:eudi:pid:1"}})})
	got, err := v.VerifyPresentation(ctx, vp, want)
	if err != nil {
		t.Fatal(err)
	}
	creds := got.Credentials()
	if len(creds) != 1 || creds[0].Format() != vc.FormatSDJWTVC || !keys.Equal(got.HolderKey(), alice.signer.Public()) {
		t.Fatalf("presentation %+v", got)
	}
	claims := creds[0].Claims()
	age, _ := claims["age_equal_or_over"].(map[string]any)
	if age["18"] != true || len(age) != 1 {
		t.Fatalf("age_equal_or_over: %v", claims["age_equal_or_over"])
	}
	for _, hidden := range []string{"given_name", "family_name", "birthdate", "address", "_sd", "_sd_alg"} {
		if _, ok := claims[hidden]; ok {
			t.Errorf("verifier learned %s", hidden)
		}
	}
	if s := strings.Join(mapKeys(claims), ","); strings.Contains(s, "2001") {
		t.Error("birth date leaked")
	}

	// Replayed: refused.
	if _, err := v.VerifyPresentation(ctx, vp, want); !errors.Is(err, vc.ErrReplay) {
		t.Fatalf("replay: %v", err)
	}
}

func mapKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestSDJWTFacadeRules(t *testing.T) {
	ctx := context.Background()
	iss, alice, mallory := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	issued := pid(t, iss, alice, nil)
	want := vc.Expect{Nonce: "n", Audience: "https://shop.example"}
	present := func(holder party, nonce, aud string, at time.Time) []byte {
		vp, err := vc.PresentSDJWT(ctx, issued, []vc.ClaimPath{{"age_equal_or_over", "18"}}, holder.signer,
			vc.PresentationOptions{Nonce: nonce, Audience: aud, IssuedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return vp
	}
	trusted := vc.VerifierOptions{Trust: trustOnly(t, iss.did)}
	// A wallet cannot sign a key binding JWT with a key other than the credential's cnf
	// (the engine's own tests forge one and see it refused).
	if _, err := vc.PresentSDJWT(ctx, issued, nil, mallory.signer, vc.PresentationOptions{Nonce: "n", Audience: want.Audience, IssuedAt: now}); !errors.Is(err, vc.ErrHolderBinding) {
		t.Fatalf("presenting with another key: %v", err)
	}
	withoutKB, err := sdjwt.Present(issued, []sdjwt.Path{{"given_name"}}, sdjwt.PresentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name         string
		data         []byte
		presentation bool
		opts         vc.VerifierOptions
		want         error
	}{
		{"issued credential verifies as issued", issued, false, trusted, nil},
		{"a presentation is not a credential as issued", present(alice, "n", want.Audience, now), false, trusted, vc.ErrInvalidType},
		{"presentation", present(alice, "n", want.Audience, now), true, trusted, nil},
		{"presentation without key binding", withoutKB, true, trusted, vc.ErrKeyBindingRequired},
		{"issued credential offered as a presentation", issued, true, trusted, vc.ErrKeyBindingRequired},
		{"wrong nonce", present(alice, "other", want.Audience, now), true, trusted, vc.ErrNonceMismatch},
		{"wrong audience", present(alice, "n", "https://evil.example", now), true, trusted, vc.ErrAudienceMismatch},
		{"stale key binding", present(alice, "n", want.Audience, now.Add(-time.Hour)), true, trusted, vc.ErrStale},
		{"key binding from the future", present(alice, "n", want.Audience, now.Add(time.Hour)), true, trusted, vc.ErrIssuedInFuture},
		{"untrusted issuer", present(alice, "n", want.Audience, now), true, vc.VerifierOptions{Trust: trustOnly(t, mallory.did)}, vc.ErrUntrustedIssuer},
		{"untrusted for this vct", issued, false, vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"urn:other"}})}, vc.ErrUntrustedIssuer},
		{"zero options trust nobody", issued, false, vc.VerifierOptions{}, vc.ErrUntrustedIssuer},
		{"status list not fetchable", pid(t, iss, alice, map[string]any{"status": map[string]any{"status_list": map[string]any{"idx": 1, "uri": "https://example.com/list"}}}), false, trusted, vc.ErrStatusRetrieval},
		{"SD-JWT not among the formats", issued, false, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Formats: []vc.Format{vc.FormatJWT}}, vc.ErrUnsupportedFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verifier(t, tc.opts)
			var err error
			if tc.presentation {
				var got *vc.VerifiedPresentation
				got, err = v.VerifyPresentation(ctx, tc.data, want)
				if err != nil && got != nil {
					t.Fatal("a result with an error")
				}
			} else {
				var got *vc.Verified
				got, err = v.VerifyCredential(ctx, tc.data)
				if err == nil {
					if got.Format() != vc.FormatSDJWTVC || got.Issuer() != iss.did {
						t.Fatalf("verified %s %s", got.Format(), got.Issuer())
					}
					// As issued, every disclosure travels with the SD-JWT: all claims are
					// visible, and never the digests.
					if _, ok := got.Claims()["_sd"]; ok || got.Claims()["given_name"] != "Alice" {
						t.Fatalf("claims %v", mapKeys(got.Claims()))
					}
				}
			}
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// countingKeys records how often a key was asked for.
type countingKeys struct {
	vc.KeySource
	n int
}

func (c *countingKeys) Key(ctx context.Context, r vc.KeyRequest) (crypto.PublicKey, error) {
	c.n++
	return c.KeySource.Key(ctx, r)
}

// TestSDJWTTrustBeforeKeys: an issuer the verifier does not trust never has its key
// looked up (for did:web, that would be a request to a server the token chose).
func TestSDJWTTrustBeforeKeys(t *testing.T) {
	iss, alice, other := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	issued := pid(t, iss, alice, nil)
	reg, err := vc.NewDIDKeys(keyResolver(t))
	if err != nil {
		t.Fatal(err)
	}
	counter := &countingKeys{KeySource: reg}
	v := verifier(t, vc.VerifierOptions{Keys: counter, Trust: trustOnly(t, other.did)})
	if _, err := v.VerifyCredential(context.Background(), issued); !errors.Is(err, vc.ErrUntrustedIssuer) {
		t.Fatalf("got %v", err)
	}
	if counter.n != 0 {
		t.Fatalf("the key source was asked %d times for an untrusted issuer", counter.n)
	}
	v = verifier(t, vc.VerifierOptions{Keys: counter, Trust: trustOnly(t, iss.did)})
	if _, err := v.VerifyCredential(context.Background(), issued); err != nil || counter.n != 1 {
		t.Fatalf("trusted: %v, %d lookups", err, counter.n)
	}
}

func TestVCSDJWT(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	c := parseCredential(t, credentialJSON("", alice.did))
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(ctx, c, vc.FormatSDJWT, vc.IssueOptions{
		Disclose: []vc.ClaimPath{{"credentialSubject", "name"}, {"credentialSubject", "ageOver18"}}, Holder: alice.signer.Public()})
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"IdentityCredential"}})})
	got, err := v.VerifyCredential(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format() != vc.FormatSDJWT || got.Issuer() != iss.did {
		t.Fatalf("verified %s %s", got.Format(), got.Issuer())
	}
	want := vc.Expect{Nonce: "n", Audience: "https://shop.example"}
	vp, err := vc.PresentSDJWT(ctx, tok, []vc.ClaimPath{{"credentialSubject", "ageOver18"}}, alice.signer,
		vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	p, err := v.VerifyPresentation(ctx, vp, want)
	if err != nil {
		t.Fatal(err)
	}
	subject := p.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != true || subject["name"] != nil {
		t.Fatalf("subject %v", subject)
	}
	if _, err := i.Issue(ctx, c, vc.FormatSDJWT, vc.IssueOptions{Disclose: []vc.ClaimPath{{"issuer"}}}); !errors.Is(err, vc.ErrReservedClaimDisclosed) {
		t.Fatalf("disclosable issuer: %v", err)
	}
}

func TestLegacySDJWTVCType(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	tok, err := sdjwt.Issue(iss.signer, map[string]any{"iss": iss.did, "vct": "urn:example:age", "age_over_18": true},
		sdjwt.Frame{}, sdjwt.IssueOptions{LegacyVCType: true, KeyID: iss.kid, Holder: alice.signer.Public(), IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)}).VerifyCredential(ctx, tok); err == nil {
		t.Fatal("typ vc+sd-jwt with a vct payload accepted by default")
	}
	got, err := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), AllowLegacySDJWTVC: true}).VerifyCredential(ctx, tok)
	if err != nil || got.Format() != vc.FormatSDJWTVC {
		t.Fatalf("with AllowLegacySDJWTVC: %v", err)
	}
}
