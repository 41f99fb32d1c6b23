package presentation_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

type party struct {
	signer   keys.Signer
	did, kid string
}

func newParty(t testing.TB, kt keys.KeyType) party {
	t.Helper()
	s, err := keys.Generate(kt)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return party{s, id, id + "#" + strings.TrimPrefix(id, "did:key:")}
}

func credential(t testing.TB, iss party, subject string, f vc.Format) []byte {
	t.Helper()
	ctx := `["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"]`
	dates := `"validFrom":"2026-01-01T00:00:00Z"`
	if f == vc.FormatJWT11 {
		ctx = `["https://www.w3.org/2018/credentials/v1","https://www.w3.org/2018/credentials/examples/v1"]`
		dates = `"issuanceDate":"2026-01-01T00:00:00Z"`
	}
	c, err := vc.ParseCredential([]byte(`{"@context":` + ctx + `,"type":["VerifiableCredential","AgeCredential"],` + dates +
		`,"credentialSubject":{"id":"` + subject + `","ageOver18":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(context.Background(), c, f, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestPresentVerifies(t *testing.T) {
	ctx := context.Background()
	for _, f := range []vc.Format{vc.FormatJWT, vc.FormatJWT11} {
		t.Run(string(f), func(t *testing.T) {
			iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
			cred := credential(t, iss, alice.did, f)
			h, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			vp, err := h.Present(ctx, [][]byte{cred}, presentation.Request{Nonce: "n1", Audience: "https://shop.example", Format: f, Lifetime: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
			v, err := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.VerifyPresentation(ctx, vp, vc.Expect{Nonce: "n1", Audience: "https://shop.example"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Holder() != alice.did || len(got.Credentials()) != 1 || got.Format() != f {
				t.Fatalf("got %s %d %s", got.Holder(), len(got.Credentials()), got.Format())
			}
		})
	}
}

func TestPresentRefuses(t *testing.T) {
	ctx := context.Background()
	iss, alice, bob := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	h, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	mine := credential(t, iss, alice.did, vc.FormatJWT)
	for _, tc := range []struct {
		name  string
		creds [][]byte
		req   presentation.Request
		want  error
	}{
		{"no nonce", [][]byte{mine}, presentation.Request{Audience: "a"}, vc.ErrInvalidOptions},
		{"no audience", [][]byte{mine}, presentation.Request{Nonce: "n"}, vc.ErrInvalidOptions},
		{"someone else's credential", [][]byte{credential(t, iss, bob.did, vc.FormatJWT)}, presentation.Request{Nonce: "n", Audience: "a"}, vc.ErrHolderBinding},
		{"1.1 credential in a vp+jwt", [][]byte{credential(t, iss, alice.did, vc.FormatJWT11)}, presentation.Request{Nonce: "n", Audience: "a"}, vc.ErrUnsupportedFormat},
		{"not a credential", [][]byte{[]byte("hello")}, presentation.Request{Nonce: "n", Audience: "a"}, vc.ErrUnsupportedFormat},
		{"unknown format", [][]byte{mine}, presentation.Request{Nonce: "n", Audience: "a", Format: "mso_mdoc"}, vc.ErrUnsupportedFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vp, err := h.Present(ctx, tc.creds, tc.req)
			if !errors.Is(err, tc.want) || vp != nil {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{ID: bob.did}); !errors.Is(err, vc.ErrHolderBinding) {
		t.Fatalf("key of another DID: %v", err)
	}
	if _, err := presentation.NewHolder(alice.signer, "key-1", presentation.HolderOptions{}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("non-DID key id without ID: %v", err)
	}
	if _, err := presentation.NewHolder(nil, alice.kid, presentation.HolderOptions{}); !errors.Is(err, vc.ErrInvalidKey) {
		t.Fatalf("nil signer: %v", err)
	}
}

func TestDiscloseSDJWT(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	frame, _ := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"age_over_18"})
	cred, err := i.IssueSDJWT(ctx, map[string]any{"given_name": "Alice", "age_over_18": true}, frame,
		vc.SDJWTOptions{VCT: "urn:example:age", Holder: alice.signer.Public()})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	vp, err := h.Disclose(ctx, cred, []vc.ClaimPath{{"age_over_18"}}, presentation.Request{Nonce: "n", Audience: "https://shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
	v, _ := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
	got, err := v.VerifyPresentation(ctx, vp, vc.Expect{Nonce: "n", Audience: "https://shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	claims := got.Credentials()[0].Claims()
	if claims["age_over_18"] != true || claims["given_name"] != nil {
		t.Fatalf("claims %v", claims)
	}
	if _, err := h.Disclose(ctx, cred, nil, presentation.Request{Nonce: "n"}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("no audience: %v", err)
	}
}

func TestPresentDataIntegrity(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
		"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"` + alice.did + `","ageOver18":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	i, _ := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	di, err := i.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	vp, err := h.Present(ctx, [][]byte{di, credential(t, iss, alice.did, vc.FormatJWT)},
		presentation.Request{Format: vc.FormatDataIntegrity, Challenge: "ch", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
	v, _ := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
	got, err := v.VerifyPresentation(ctx, vp, vc.Expect{Challenge: "ch", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Credentials()) != 2 || got.Format() != vc.FormatDataIntegrity {
		t.Fatalf("got %d credentials, %s", len(got.Credentials()), got.Format())
	}
	if _, err := h.Present(ctx, [][]byte{di}, presentation.Request{Format: vc.FormatDataIntegrity, Nonce: "n", Audience: "a"}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("no challenge: %v", err)
	}
	if _, err := h.Present(ctx, [][]byte{di}, presentation.Request{Nonce: "n", Audience: "a"}); !errors.Is(err, vc.ErrUnsupportedFormat) {
		t.Fatalf("DI credential in a vp+jwt: %v", err)
	}
}
