package sdjwt_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// An SD-JWT VC with ten selectively disclosable claims, EdDSA issuer and holder keys.
// The goal: VerifyPresentation (two signatures) within 2.6 times one raw Ed25519
// verification of the same Issuer-signed JWT.
type benchFixture struct {
	issuer, holder keys.Signer
	claims         map[string]any
	frame          sdjwt.Frame
	issued         []byte
	presentation   []byte
	now            time.Time
	verifier       *sdjwt.Verifier
}

var benchExpect = sdjwt.Expect{Nonce: "n-0S6_WzA2Mj", Audience: "https://verifier.example"}

func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	f := &benchFixture{now: time.Unix(1735689600, 0)}
	var err error
	if f.issuer, err = keys.Generate(keys.Ed25519); err != nil {
		b.Fatal(err)
	}
	if f.holder, err = keys.Generate(keys.Ed25519); err != nil {
		b.Fatal(err)
	}
	f.claims = map[string]any{
		"vct": "https://credentials.example/identity", "iss": "https://issuer.example",
		"status": map[string]any{"status_list": map[string]any{"idx": 412, "uri": "https://issuer.example/status/1"}},
	}
	f.frame = sdjwt.Frame{Members: map[string]sdjwt.Frame{}}
	for i, name := range []string{"given_name", "family_name", "birthdate", "email", "phone_number",
		"nationality", "place_of_birth", "street_address", "locality", "postal_code"} {
		f.claims[name] = fmt.Sprintf("value %d of %s", i, name)
		f.frame.Members[name] = sdjwt.Frame{Disclosable: true}
	}
	if f.issued, err = sdjwt.Issue(f.issuer, f.claims, f.frame, sdjwt.IssueOptions{Holder: f.holder.Public(), IssuedAt: f.now, KeyID: "https://issuer.example#1"}); err != nil {
		b.Fatal(err)
	}
	if f.presentation, err = sdjwt.Present(f.issued, f.chosen(), f.presentOptions()); err != nil {
		b.Fatal(err)
	}
	pub := f.issuer.Public()
	f.verifier, err = sdjwt.NewVerifier(func(context.Context, sdjwt.KeyRequest) (crypto.PublicKey, error) { return pub, nil },
		sdjwt.VerifierOptions{Clock: func() time.Time { return f.now }})
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func (f *benchFixture) chosen() []sdjwt.Path { return []sdjwt.Path{{"given_name"}, {"birthdate"}} }

func (f *benchFixture) presentOptions() sdjwt.PresentOptions {
	return sdjwt.PresentOptions{Holder: f.holder, Nonce: benchExpect.Nonce, Audience: benchExpect.Audience, IssuedAt: f.now}
}

func BenchmarkIssue(b *testing.B) {
	f := newBenchFixture(b)
	o := sdjwt.IssueOptions{Holder: f.holder.Public(), IssuedAt: f.now, KeyID: "https://issuer.example#1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sdjwt.Issue(f.issuer, f.claims, f.frame, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPresent(b *testing.B) {
	f := newBenchFixture(b)
	paths, o := f.chosen(), f.presentOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sdjwt.Present(f.issued, paths, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPresentation(b *testing.B) {
	f := newBenchFixture(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.verifier.VerifyPresentation(ctx, f.presentation, benchExpect); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyIssued(b *testing.B) {
	f := newBenchFixture(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.verifier.VerifyIssued(ctx, f.issued); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawEd25519Verify is the baseline: one ed25519.Verify of the Issuer-signed
// JWT's signing input, nothing parsed.
func BenchmarkRawEd25519Verify(b *testing.B) {
	f := newBenchFixture(b)
	jws, _, _ := strings.Cut(string(f.presentation), "~")
	dot := strings.LastIndexByte(jws, '.')
	msg := []byte(jws[:dot])
	sig, err := base64.RawURLEncoding.DecodeString(jws[dot+1:])
	if err != nil {
		b.Fatal(err)
	}
	pub := f.issuer.Public().(ed25519.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("signature does not verify")
		}
	}
}
