package vc_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

func issueDI(t testing.TB, iss party, c *vc.Credential, suite string) []byte {
	t.Helper()
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	out, err := i.Issue(context.Background(), c, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: suite})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDataIntegrityCredential(t *testing.T) {
	ctx := context.Background()
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384} {
		t.Run(string(kt), func(t *testing.T) {
			iss, alice := newParty(t, kt), newParty(t, keys.Ed25519)
			signed := issueDI(t, iss, parseCredential(t, credentialJSON("", alice.did)), "")
			v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
			got, err := v.VerifyCredential(ctx, signed)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format() != vc.FormatDataIntegrity || got.Issuer() != iss.did || got.Proof().KeyID != iss.kid {
				t.Fatalf("verified %s %s %+v", got.Format(), got.Issuer(), got.Proof())
			}
			if _, ok := got.Claims()["proof"]; ok {
				t.Fatal("the proof is reported as a claim")
			}
			tampered := strings.Replace(string(signed), `"ageOver18":true`, `"ageOver18":false`, 1)
			if _, err := v.VerifyCredential(ctx, []byte(tampered)); !errors.Is(err, vc.ErrInvalidSignature) {
				t.Fatalf("tampered: %v", err)
			}
		})
	}
}

func TestDataIntegrityRules(t *testing.T) {
	ctx := context.Background()
	iss, alice, other := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	signed := issueDI(t, iss, parseCredential(t, credentialJSON("", alice.did)), "")
	var doc map[string]any
	if err := json.Unmarshal(signed, &doc); err != nil {
		t.Fatal(err)
	}
	proof := doc["proof"].(map[string]any)
	relabel := func(k, val string) []byte {
		p := map[string]any{}
		for a, b := range proof {
			p[a] = b
		}
		p[k] = val
		d := map[string]any{}
		for a, b := range doc {
			d[a] = b
		}
		d["proof"] = p
		out, _ := json.Marshal(d)
		return out
	}
	trusted := vc.VerifierOptions{Trust: trustOnly(t, iss.did)}
	for _, tc := range []struct {
		name string
		data []byte
		opts vc.VerifierOptions
		want error
	}{
		{"valid", signed, trusted, nil},
		{"untrusted issuer", signed, vc.VerifierOptions{Trust: trustOnly(t, other.did)}, vc.ErrUntrustedIssuer},
		{"zero options", signed, vc.VerifierOptions{}, vc.ErrUntrustedIssuer},
		{"wrong purpose", relabel("proofPurpose", "authentication"), trusted, vc.ErrProofPurpose},
		{"key of another DID", relabel("verificationMethod", other.kid), trusted, vc.ErrIssuerMismatch},
		{"relabelled jcs to rdfc", relabel("cryptosuite", "eddsa-rdfc-2022"), trusted, vc.ErrInvalidSignature},
		{"unknown suite", relabel("cryptosuite", "eddsa-2099"), trusted, vc.ErrUnsupportedProof},
		{"created in the future", relabel("created", "2030-01-01T00:00:00Z"), trusted, vc.ErrIssuedInFuture},
		{"EdDSA not allowed", signed, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Algorithms: []string{keys.ES256}}, vc.ErrAlgorithmNotAllowed},
		{"format not allowed", signed, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Formats: []vc.Format{vc.FormatJWT}}, vc.ErrUnsupportedFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verifier(t, tc.opts).VerifyCredential(ctx, tc.data)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDataIntegrityRDFC(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		kt    keys.KeyType
		suite string
	}{{keys.Ed25519, "eddsa-rdfc-2022"}, {keys.P256, "ecdsa-rdfc-2019"}, {keys.P384, "ecdsa-rdfc-2019"}} {
		t.Run(tc.suite+"/"+string(tc.kt), func(t *testing.T) {
			iss, alice := newParty(t, tc.kt), newParty(t, keys.Ed25519)
			signed := issueDI(t, iss, parseCredential(t, credentialJSON("", alice.did)), tc.suite)
			v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
			got, err := v.VerifyCredential(ctx, signed)
			if err != nil {
				t.Fatal(err)
			}
			if got.Proof().Algorithm != tc.suite {
				t.Fatalf("suite %s", got.Proof().Algorithm)
			}
			// A property no context defines would be dropped by JSON-LD, so unsigned: refused.
			added := strings.Replace(string(signed), `"ageOver18":true`, `"ageOver18":true,"undefinedTerm":1`, 1)
			if _, err := v.VerifyCredential(ctx, []byte(added)); !errors.Is(err, vc.ErrUnknownContext) && !errors.Is(err, vc.ErrInvalidSignature) {
				t.Fatalf("undefined term: %v", err)
			}
			tampered := strings.Replace(string(signed), `"name":"Alice"`, `"name":"Mallory"`, 1)
			if _, err := v.VerifyCredential(ctx, []byte(tampered)); !errors.Is(err, vc.ErrInvalidSignature) {
				t.Fatalf("tampered: %v", err)
			}
		})
	}
}

func TestDataIntegrityPresentation(t *testing.T) {
	ctx := context.Background()
	iss, alice, mallory := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	cred := issueDI(t, iss, parseCredential(t, credentialJSON("", alice.did)), "")
	jwtCred := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	env, _ := vc.EnvelopeCredential(jwtCred)
	p := &vc.Presentation{Context: []any{vc.ContextV2}, Type: []string{"VerifiablePresentation"}, Holder: vc.Party{ID: alice.did},
		VerifiableCredential: []json.RawMessage{cred, env}}
	want := vc.Expect{Challenge: "c-1", Domain: "shop.example"}
	sign := func(h party, challenge, domain string) []byte {
		out, err := vc.SignPresentation(ctx, h.signer, h.kid, p, vc.FormatDataIntegrity,
			vc.PresentationOptions{Challenge: challenge, Domain: domain, IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		data []byte
		want vc.Expect
		err  error
	}{
		{"valid, with a DI and a JWT credential", sign(alice, "c-1", "shop.example"), want, nil},
		{"wrong challenge", sign(alice, "c-2", "shop.example"), want, vc.ErrChallengeMismatch},
		{"wrong domain", sign(alice, "c-1", "evil.example"), want, vc.ErrDomainMismatch},
		{"no expected challenge", sign(alice, "c-1", "shop.example"), vc.Expect{Domain: "shop.example"}, vc.ErrChallengeMismatch},
		{"signed by someone other than the holder", sign(mallory, "c-1", "shop.example"), want, vc.ErrHolderBinding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
			got, err := v.VerifyPresentation(ctx, tc.data, tc.want)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.err)
			}
			if err == nil {
				if got.Holder() != alice.did || len(got.Credentials()) != 2 || got.Format() != vc.FormatDataIntegrity {
					t.Fatalf("verified %s %d %s", got.Holder(), len(got.Credentials()), got.Format())
				}
				if _, err := v.VerifyPresentation(ctx, tc.data, tc.want); !errors.Is(err, vc.ErrReplay) {
					t.Fatalf("replay: %v", err)
				}
			}
		})
	}
	if _, err := vc.SignPresentation(ctx, alice.signer, alice.kid, p, vc.FormatDataIntegrity, vc.PresentationOptions{Nonce: "n", Audience: "a"}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("DI presentation without challenge: %v", err)
	}
}
