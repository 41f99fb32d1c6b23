package vc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// vpSDJWT builds a vp+sd-jwt of alice carrying creds (enveloped tokens).
func vpSDJWT(t *testing.T, holder party, creds [][]byte, o vc.PresentationOptions) []byte {
	t.Helper()
	p := &vc.Presentation{Context: []any{vc.ContextV2}, Type: []string{vc.TypeVerifiablePresentation}, Holder: vc.Party{ID: holder.did}}
	for _, c := range creds {
		env, err := vc.EnvelopeCredential(c)
		if err != nil {
			t.Fatal(err)
		}
		p.VerifiableCredential = append(p.VerifiableCredential, env)
	}
	if o.IssuedAt.IsZero() {
		o.IssuedAt = now
	}
	vp, err := vc.SignPresentation(context.Background(), holder.signer, holder.kid, p, vc.FormatSDJWT, o)
	if err != nil {
		t.Fatal(err)
	}
	return vp
}

func TestVPSDJWT(t *testing.T) {
	ctx := context.Background()
	iss, alice, mallory := newParty(t, keys.Ed25519), newParty(t, keys.P256), newParty(t, keys.Ed25519)
	c := parseCredential(t, credentialJSON("", alice.did))
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	sd, err := i.Issue(ctx, c, vc.FormatSDJWT, vc.IssueOptions{
		Disclose: []vc.ClaimPath{{"credentialSubject", "name"}, {"credentialSubject", "ageOver18"}}, Holder: alice.signer.Public()})
	if err != nil {
		t.Fatal(err)
	}
	jwt, err := i.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	only18, err := vc.SelectDisclosures(sd, []vc.ClaimPath{{"credentialSubject", "ageOver18"}})
	if err != nil {
		t.Fatal(err)
	}
	want := vc.Expect{Nonce: "n-vp", Audience: "https://shop.example"}
	o := vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience}
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})

	vp := vpSDJWT(t, alice, [][]byte{only18, jwt}, o)
	p, err := v.VerifyPresentation(ctx, vp, want)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format() != vc.FormatSDJWT || p.Holder() != alice.did || len(p.Credentials()) != 2 {
		t.Fatalf("verified %s %s %d", p.Format(), p.Holder(), len(p.Credentials()))
	}
	subject := p.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != true || subject["name"] != nil {
		t.Fatalf("subject %v", subject)
	}
	if _, err := v.VerifyPresentation(ctx, vp, want); !errors.Is(err, vc.ErrReplay) {
		t.Fatalf("replayed: %v, want ErrReplay", err)
	}
	// Enveloped as an EnvelopedVerifiablePresentation, as VC-JOSE-COSE shows it.
	fresh := vc.Expect{Nonce: "n-env", Audience: want.Audience}
	env := envelopePresentation(t, vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: fresh.Nonce, Audience: fresh.Audience}))
	if _, err := v.VerifyPresentation(ctx, env, fresh); err != nil {
		t.Fatalf("enveloped: %v", err)
	}

	n := 0
	next := func() vc.Expect { n++; return vc.Expect{Nonce: "n" + strings.Repeat("x", n), Audience: want.Audience} }
	for _, tc := range []struct {
		name string
		make func(e vc.Expect) []byte
		want func(e vc.Expect) vc.Expect
		err  error
	}{
		{name: "wrong nonce", make: func(e vc.Expect) []byte {
			return vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: "other", Audience: e.Audience})
		}, err: vc.ErrNonceMismatch},
		{name: "wrong audience", make: func(e vc.Expect) []byte {
			return vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: e.Nonce, Audience: "https://evil.example"})
		}, err: vc.ErrAudienceMismatch},
		{name: "stale", make: func(e vc.Expect) []byte {
			return vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: e.Nonce, Audience: e.Audience, IssuedAt: now.Add(-time.Hour)})
		}, err: vc.ErrStale},
		{name: "another holder presents alice's credential", make: func(e vc.Expect) []byte {
			return vpSDJWT(t, mallory, [][]byte{only18}, vc.PresentationOptions{Nonce: e.Nonce, Audience: e.Audience})
		}, err: vc.ErrHolderBinding},
		{name: "tampered signature", make: func(e vc.Expect) []byte {
			vp := vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: e.Nonce, Audience: e.Audience})
			dot := strings.LastIndexByte(string(vp[:strings.IndexByte(string(vp), '~')]), '.')
			b := []byte(string(vp))
			if b[dot+2] == 'A' {
				b[dot+2] = 'B'
			} else {
				b[dot+2] = 'A'
			}
			return b
		}, err: vc.ErrInvalidSignature},
		{name: "key binding JWT appended", make: func(e vc.Expect) []byte {
			vp := vpSDJWT(t, alice, [][]byte{only18}, vc.PresentationOptions{Nonce: e.Nonce, Audience: e.Audience})
			kb, err := vc.PresentSDJWT(ctx, only18, nil, alice.signer, vc.PresentationOptions{Nonce: e.Nonce, Audience: e.Audience, IssuedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			return append(vp, kb[strings.LastIndexByte(string(kb), '~')+1:]...)
		}, err: vc.ErrInvalidType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := next()
			_, err := v.VerifyPresentation(ctx, tc.make(e), e)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
		})
	}
	// A vp+sd-jwt is not a credential, and the format can be switched off.
	if _, err := v.VerifyCredential(ctx, vp); err == nil {
		t.Fatal("a vp+sd-jwt verified as a credential")
	}
	jwtOnly := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Formats: []vc.Format{vc.FormatJWT}})
	if _, err := jwtOnly.VerifyPresentation(ctx, vpSDJWT(t, alice, nil, o), vc.Expect{Nonce: o.Nonce, Audience: o.Audience}); !errors.Is(err, vc.ErrUnsupportedFormat) {
		t.Fatalf("vp+sd-jwt with only vc+jwt allowed: %v", err)
	}
	if _, err := vc.SignPresentation(ctx, alice.signer, alice.kid, &vc.Presentation{Context: []any{vc.ContextV2}, Type: []string{vc.TypeVerifiablePresentation}}, vc.FormatSDJWT, vc.PresentationOptions{Nonce: "n"}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("without an audience: %v", err)
	}
}

func envelopePresentation(t *testing.T, vp []byte) []byte {
	t.Helper()
	return []byte(`{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vp+sd-jwt,` + string(vp) + `","type":"EnvelopedVerifiablePresentation"}`)
}

func TestSDJWTTypeMetadataPolicy(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	issued := pid(t, iss, alice, nil)
	doc := func(claims string) vc.TypeMetadataPolicy {
		return vc.TypeMetadataPolicy{Fetch: sdjwt.StaticTypeMetadata(map[string][]byte{
			"urn:eudi:pid:1": []byte(`{"vct":"urn:eudi:pid:1","name":"PID","claims":[` + claims + `]}`)})}
	}
	good := doc(`{"path":["birthdate"],"sd":"always","display":[{"locale":"en","label":"Date of birth"}]},{"path":["age_equal_or_over","18"],"sd":"always"}`)
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), TypeMetadata: &good})
	got, err := v.VerifyCredential(ctx, issued)
	if err != nil {
		t.Fatal(err)
	}
	if m := got.TypeMetadata(); m == nil || m.Name != "PID" || m.Claims[0].Display[0].Label != "Date of birth" {
		t.Fatalf("TypeMetadata() = %+v", m)
	}
	want := vc.Expect{Nonce: "n-tm", Audience: "https://shop.example"}
	vp, err := vc.PresentSDJWT(ctx, issued, []vc.ClaimPath{{"age_equal_or_over", "18"}}, alice.signer,
		vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyPresentation(ctx, vp, want); err != nil {
		t.Fatal(err)
	}
	bad := doc(`{"path":["birthdate"],"sd":"never"}`)
	v = verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), TypeMetadata: &bad})
	if _, err := v.VerifyCredential(ctx, issued); !errors.Is(err, vc.ErrTypeMetadata) {
		t.Fatalf("sd never on a disclosable birthdate: %v, want ErrTypeMetadata", err)
	}
	none := vc.TypeMetadataPolicy{Fetch: sdjwt.StaticTypeMetadata(nil)}
	v = verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), TypeMetadata: &none})
	if _, err := v.VerifyCredential(ctx, issued); !errors.Is(err, vc.ErrTypeMetadata) {
		t.Fatalf("no metadata, required: %v, want ErrTypeMetadata", err)
	}
	if _, err := vc.NewVerifier(vc.VerifierOptions{AcceptAnyIssuer: true, TypeMetadata: &vc.TypeMetadataPolicy{}}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("policy without a fetcher: %v", err)
	}
}
