package vc_test

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// party is a did:key identity with its signing key.
type party struct {
	signer keys.Signer
	did    string
	kid    string
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
	return party{signer: s, did: id, kid: id + "#" + strings.TrimPrefix(id, "did:key:")}
}

func credentialJSON(issuer, subject string) string {
	iss := ""
	if issuer != "" {
		iss = `"issuer": "` + issuer + `",`
	}
	return `{
	"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
	"type": ["VerifiableCredential", "IdentityCredential"],
	` + iss + `
	"validFrom": "2026-01-01T00:00:00Z",
	"validUntil": "2027-01-01T00:00:00Z",
	"credentialSubject": {"id": "` + subject + `", "ageOver18": true, "name": "Alice"}
}`
}

func parseCredential(t testing.TB, s string) *vc.Credential {
	t.Helper()
	c, err := vc.ParseCredential([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func issue(t testing.TB, iss party, c *vc.Credential, f vc.Format) []byte {
	t.Helper()
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

func verifier(t testing.TB, opts vc.VerifierOptions) *vc.Verifier {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock
	}
	v, err := vc.NewVerifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func trustOnly(t testing.TB, ids ...string) *vc.TrustList {
	t.Helper()
	var entries []vc.TrustedIssuer
	for _, id := range ids {
		entries = append(entries, vc.TrustedIssuer{ID: id})
	}
	tl, err := vc.NewTrustList(entries...)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func TestIssueVerifyJWT(t *testing.T) {
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256, keys.P384} {
		t.Run(string(kt), func(t *testing.T) {
			iss, alice := newParty(t, kt), newParty(t, keys.P256)
			tok := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
			v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
			got, err := v.VerifyCredential(context.Background(), tok)
			if err != nil {
				t.Fatal(err)
			}
			if got.Issuer() != iss.did || got.Format() != vc.FormatJWT || got.Proof().KeyID != iss.kid {
				t.Fatalf("verified %v %v %+v", got.Issuer(), got.Format(), got.Proof())
			}
			subj := got.Claims()["credentialSubject"].(map[string]any)
			if subj["ageOver18"] != true || subj["id"] != alice.did {
				t.Fatalf("claims %v", subj)
			}
			// The enveloped form verifies too.
			env, err := vc.EnvelopeCredential(tok)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.VerifyCredential(context.Background(), env); err != nil {
				t.Fatalf("enveloped: %v", err)
			}
		})
	}
}

func TestIssueVerifyJWT11(t *testing.T) {
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	c := parseCredential(t, `{
	"@context": ["https://www.w3.org/2018/credentials/v1", "https://www.w3.org/2018/credentials/examples/v1"],
	"id": "urn:uuid:6a6d0d6e-1f6b-4b8a-9a3e-000000000001",
	"type": ["VerifiableCredential", "IdentityCredential"],
	"issuanceDate": "2026-01-01T00:00:00Z",
	"expirationDate": "2027-01-01T00:00:00Z",
	"credentialSubject": {"id": "`+alice.did+`", "ageOver18": true}
}`)
	tok := issue(t, iss, c, vc.FormatJWT11)
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	got, err := v.VerifyCredential(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format() != vc.FormatJWT11 || got.Issuer() != iss.did {
		t.Fatalf("got %v %v", got.Format(), got.Issuer())
	}
	if _, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{}); err != nil {
		t.Fatal(err)
	}
	i, _ := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if _, err := i.Issue(context.Background(), c, vc.FormatJWT, vc.IssueOptions{}); !errors.Is(err, vc.ErrUnsupportedFormat) {
		t.Fatalf("1.1 credential as vc+jwt: %v", err)
	}
}

// TestZeroOptionsTrustNobody: a verifier built from zero options rejects every
// credential, whoever signed it, with ErrUntrustedIssuer.
func TestZeroOptionsTrustNobody(t *testing.T) {
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	tok := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	v, err := vc.NewVerifier(vc.VerifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.VerifyCredential(context.Background(), tok)
	if !errors.Is(err, vc.ErrUntrustedIssuer) || got != nil {
		t.Fatalf("got %v, %v", got, err)
	}
	var ve *vc.VerifyError
	if !errors.As(err, &ve) || ve.Reason != vc.ReasonTrust {
		t.Fatalf("error %#v", err)
	}
}

func TestNewVerifierOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts vc.VerifierOptions
		want error
	}{
		{"zero", vc.VerifierOptions{}, nil},
		{"trust and any", vc.VerifierOptions{Trust: &vc.TrustList{}, AcceptAnyIssuer: true}, vc.ErrInvalidOptions},
		{"alg none", vc.VerifierOptions{Algorithms: []string{"none"}}, vc.ErrAlgorithmNotAllowed},
		{"alg HS256", vc.VerifierOptions{Algorithms: []string{"HS256"}}, vc.ErrAlgorithmNotAllowed},
		{"ES256K named", vc.VerifierOptions{Algorithms: []string{"ES256K"}}, nil},
		{"x5c without keys", vc.VerifierOptions{AllowX5C: true}, vc.ErrInvalidOptions},
		{"negative skew", vc.VerifierOptions{ClockSkew: -1}, vc.ErrInvalidOptions},
		{"unknown format", vc.VerifierOptions{Formats: []vc.Format{"mso_mdoc"}}, vc.ErrUnsupportedFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := vc.NewVerifier(tc.opts); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// docResolver serves fixed DID documents, for relationships did:key cannot express.
type docResolver map[string]*did.Document

func (r docResolver) Resolve(_ context.Context, id string) (*did.Resolution, error) {
	d, ok := r[id]
	if !ok {
		return nil, did.NewResolutionError(did.CodeNotFound, id, did.ErrNotFound)
	}
	return &did.Resolution{Document: d}, nil
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// forge signs arbitrary header and payload JSON with s, so that the verifier sees
// exactly the bytes an attacker chose, with a valid signature.
func forge(t *testing.T, s keys.Signer, header, payload string) []byte {
	t.Helper()
	in := b64(header) + "." + b64(payload)
	sig, err := keys.Sign(s, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(in + "." + base64.RawURLEncoding.EncodeToString(sig))
}

func TestCredentialAttacks(t *testing.T) {
	ctx := context.Background()
	iss, other, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.P256)
	good := credentialJSON(iss.did, alice.did)
	hdr := func(extra string) string {
		return `{"alg":"EdDSA","typ":"vc+jwt","kid":"` + iss.kid + `"` + extra + `}`
	}
	// A DID whose key is listed for authentication only, not assertionMethod.
	authOnly := "did:example:authonly"
	mk, _ := keys.Multikey(other.signer.Public())
	authDoc := &did.Document{ID: authOnly,
		VerificationMethod: []did.VerificationMethod{{ID: authOnly + "#k", Type: "Multikey", Controller: authOnly, PublicKeyMultibase: mk}},
		Authentication:     []did.MethodRef{{ID: authOnly + "#k"}},
	}
	authReg := did.NewRegistry()
	if err := authReg.Register("example", docResolver{authOnly: authDoc}); err != nil {
		t.Fatal(err)
	}

	type tc struct {
		name  string
		token []byte
		opts  vc.VerifierOptions
		want  error
	}
	trusted := vc.VerifierOptions{Trust: trustOnly(t, iss.did, authOnly)}
	cases := []tc{
		{"valid", forge(t, iss.signer, hdr(""), good), trusted, nil},
		{"alg none", []byte(b64(`{"alg":"none","typ":"vc+jwt"}`) + "." + b64(good) + ".AA"), trusted, vc.ErrAlgorithmNotAllowed},
		{"HS256 with the public key", []byte(b64(`{"alg":"HS256","typ":"vc+jwt","kid":"`+iss.kid+`"}`) + "." + b64(good) + ".AAAA"), trusted, vc.ErrAlgorithmNotAllowed},
		{"alg of another key type", forge(t, iss.signer, `{"alg":"ES256","typ":"vc+jwt","kid":"`+iss.kid+`"}`, good), trusted, vc.ErrAlgorithmKeyMismatch},
		{"crit", forge(t, iss.signer, hdr(`,"crit":["x"],"x":1`), good), trusted, vc.ErrUnsupportedCritical},
		{"embedded jwk", forge(t, iss.signer, hdr(`,"jwk":{"kty":"OKP"}`), good), trusted, vc.ErrUntrustedKeySource},
		{"jku", forge(t, iss.signer, hdr(`,"jku":"https://evil.example/jwks"`), good), trusted, vc.ErrUntrustedKeySource},
		{"x5c", forge(t, iss.signer, hdr(`,"x5c":["MIIB"]`), good), trusted, vc.ErrUntrustedKeySource},
		{"JWS JSON serialization", []byte(`{"payload":"` + b64(good) + `","signatures":[]}`), trusted, vc.ErrMissingProof},
		{"whitespace in compact form", append([]byte(" "), append(forge(t, iss.signer, hdr(""), good)[:20], append([]byte(" "), forge(t, iss.signer, hdr(""), good)[20:]...)...)...), trusted, vc.ErrMalformed},
		{"duplicate header member", forge(t, iss.signer, `{"alg":"EdDSA","typ":"vc+jwt","typ":"vc+jwt","kid":"`+iss.kid+`"}`, good), trusted, vc.ErrMalformed},
		{"duplicate claim", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"issuer":"`+iss.did+`","type"`, 1)), trusted, vc.ErrMalformed},
		{"wrong typ", forge(t, iss.signer, `{"alg":"EdDSA","typ":"vp+jwt","kid":"`+iss.kid+`"}`, good), trusted, vc.ErrInvalidType},
		{"missing typ", forge(t, iss.signer, `{"alg":"EdDSA","kid":"`+iss.kid+`"}`, good), trusted, vc.ErrMalformed},
		{"typ JWT on a 2.0 credential", forge(t, iss.signer, `{"alg":"EdDSA","typ":"JWT","kid":"`+iss.kid+`"}`, good), trusted, vc.ErrMalformed},
		{"no kid", forge(t, iss.signer, `{"alg":"EdDSA","typ":"vc+jwt"}`, good), trusted, vc.ErrMissingKeyID},
		{"kid of another DID", forge(t, other.signer, `{"alg":"EdDSA","typ":"vc+jwt","kid":"`+other.kid+`"}`, good), trusted, vc.ErrIssuerMismatch},
		{"kid not in the issuer's document", forge(t, iss.signer, `{"alg":"EdDSA","typ":"vc+jwt","kid":"`+iss.did+`#nope"}`, good), trusted, did.ErrVerificationMethodNotFound},
		{"kid not under assertionMethod", forge(t, other.signer, `{"alg":"EdDSA","typ":"vc+jwt","kid":"`+authOnly+`#k"}`, credentialJSON(authOnly, alice.did)),
			vc.VerifierOptions{Trust: trustOnly(t, authOnly), Resolver: authReg}, did.ErrVerificationRelationship},
		{"signed by another key", forge(t, other.signer, hdr(""), good), trusted, vc.ErrInvalidSignature},
		{"iss differs from issuer", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"iss":"`+other.did+`","type"`, 1)), trusted, vc.ErrIssuerMismatch},
		{"expired", forge(t, iss.signer, hdr(""), strings.Replace(good, "2027-01-01", "2026-05-01", 1)), trusted, vc.ErrExpired},
		{"not yet valid", forge(t, iss.signer, hdr(""), strings.Replace(good, "2026-01-01", "2026-07-01", 1)), trusted, vc.ErrNotYetValid},
		{"jwt exp passed", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"exp":1780000000,"type"`, 1)), trusted, vc.ErrExpired},
		{"iat in the future", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"iat":1800000000,"type"`, 1)), trusted, vc.ErrIssuedInFuture},
		{"string iat", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"iat":"2026-01-01T00:00:00Z","type"`, 1)), trusted, vc.ErrMalformed},
		{"untrusted issuer", forge(t, iss.signer, hdr(""), good), vc.VerifierOptions{Trust: trustOnly(t, other.did)}, vc.ErrUntrustedIssuer},
		{"untrusted for this type", forge(t, iss.signer, hdr(""), good), vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"DriverLicence"}})}, vc.ErrUntrustedIssuer},
		{"trusted for this type", forge(t, iss.signer, hdr(""), good), vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"IdentityCredential"}})}, nil},
		{"data model violation", forge(t, iss.signer, hdr(""), strings.Replace(good, `"VerifiableCredential", `, "", 1)), trusted, vc.ErrInvalidType},
		{"status list not fetchable", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://example.com/list"},"type"`, 1)), trusted, vc.ErrStatusRetrieval},
		{"status skipped", forge(t, iss.signer, hdr(""), strings.Replace(good, `"type"`, `"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://example.com/list"},"type"`, 1)),
			vc.VerifierOptions{Trust: trustOnly(t, iss.did), SkipStatus: true}, nil},
		{"JWT format not allowed", forge(t, iss.signer, hdr(""), good), vc.VerifierOptions{Trust: trustOnly(t, iss.did), Formats: []vc.Format{vc.FormatJWT11}}, vc.ErrUnsupportedFormat},
		{"vc+jwt with a tilde is not an SD-JWT", []byte(string(forge(t, iss.signer, hdr(""), good)) + "~"), trusted, vc.ErrInvalidType},
		{"unsecured JSON", []byte(good), trusted, vc.ErrMissingProof},
		{"Data Integrity proof without a cryptosuite", []byte(strings.Replace(good, `"type"`, `"proof":{"type":"DataIntegrityProof"},"type"`, 1)), trusted, vc.ErrInvalidProof},
		{"10 MB token", []byte(strings.Repeat("a", 10<<20)), trusted, vc.ErrTooLarge},
		{"100k-deep JSON", []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), trusted, vc.ErrTooDeep},
		{"100k-deep payload", forge(t, iss.signer, hdr(""), `{"x":`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}`), trusted, vc.ErrTooDeep},
		{"empty", nil, trusted, vc.ErrUnsupportedFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.opts.Clock == nil {
				c.opts.Clock = clock
			}
			v, err := vc.NewVerifier(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.VerifyCredential(ctx, c.token)
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if err != nil {
				if got != nil {
					t.Fatal("a result with an error")
				}
				var ve *vc.VerifyError
				if !errors.As(err, &ve) {
					t.Fatalf("error %T is not a *vc.VerifyError", err)
				}
			}
		})
	}
}

func mustTrust(t *testing.T, e ...vc.TrustedIssuer) *vc.TrustList {
	t.Helper()
	tl, err := vc.NewTrustList(e...)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func TestParseTrustList(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"ok", `{"issuers":[{"id":"did:web:ministry.example","types":["IdentityCredential"]},{"id":"https://issuer.example"}]}`, nil},
		{"duplicate issuer", `{"issuers":[{"id":"a"},{"id":"a"}]}`, vc.ErrMalformed},
		{"no id", `{"issuers":[{"types":["x"]}]}`, vc.ErrMalformed},
		{"unknown member", `{"issuers":[],"trustEveryone":true}`, vc.ErrMalformed},
		{"unknown entry member", `{"issuers":[{"id":"a","anyType":true}]}`, vc.ErrMalformed},
		{"duplicate key", `{"issuers":[],"issuers":[]}`, vc.ErrMalformed},
		{"not JSON", `issuers: []`, vc.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := vc.ParseTrustList([]byte(tc.in))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil {
				if err := tl.TrustIssuer(context.Background(), "https://issuer.example", []string{"VerifiableCredential"}); err != nil {
					t.Fatal(err)
				}
				if err := tl.TrustIssuer(context.Background(), "did:web:ministry.example", []string{"VerifiableCredential"}); !errors.Is(err, vc.ErrUntrustedIssuer) {
					t.Fatalf("type-limited entry: %v", err)
				}
			}
		})
	}
	var zero vc.TrustList
	if err := zero.TrustIssuer(context.Background(), "x", nil); !errors.Is(err, vc.ErrUntrustedIssuer) {
		t.Fatalf("zero TrustList: %v", err)
	}
}

func TestStaticKeys(t *testing.T) {
	signer, _ := keys.Generate(keys.P256)
	const issuer = "https://issuer.example"
	var sk vc.StaticKeys
	if err := sk.Add(issuer, "key-1", signer.Public()); err != nil {
		t.Fatal(err)
	}
	c := parseCredential(t, credentialJSON(issuer, "did:example:alice"))
	i, err := vc.NewIssuer(signer, "key-1", vc.IssuerOptions{ID: issuer, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(context.Background(), c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, issuer), Keys: &sk})
	if _, err := v.VerifyCredential(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	if _, err := (&sk).Key(context.Background(), vc.KeyRequest{Issuer: issuer, KeyID: "key-2"}); !errors.Is(err, vc.ErrVerificationMethodNotFound) {
		t.Fatalf("unknown kid: %v", err)
	}
	if _, err := (&sk).Key(context.Background(), vc.KeyRequest{Issuer: "https://other.example", KeyID: "key-1"}); !errors.Is(err, vc.ErrUntrustedKeySource) {
		t.Fatalf("unknown issuer: %v", err)
	}
	if err := sk.Add(issuer, "key-1", signer.Public()); !errors.Is(err, vc.ErrMalformed) {
		t.Fatalf("duplicate: %v", err)
	}
	// A chain: DIDs for DID issuers, static keys for the rest.
	dk, err := vc.NewDIDKeys(did.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	chain := vc.KeyChain{dk, &sk}
	if _, err := chain.Key(context.Background(), vc.KeyRequest{Issuer: issuer, KeyID: "key-1"}); err != nil {
		t.Fatal(err)
	}
}

func presentationOf(holder string, creds ...[]byte) *vc.Presentation {
	p := &vc.Presentation{
		Context: []any{vc.ContextV2},
		Type:    []string{"VerifiablePresentation"},
		Holder:  vc.Party{ID: holder},
	}
	for _, c := range creds {
		env, err := vc.EnvelopeCredential(c)
		if err != nil {
			panic(err)
		}
		p.VerifiableCredential = append(p.VerifiableCredential, json.RawMessage(env))
	}
	return p
}

func present(t testing.TB, h party, p *vc.Presentation, nonce, aud string, at time.Time) []byte {
	t.Helper()
	tok, err := vc.SignPresentation(context.Background(), h.signer, h.kid, p, vc.FormatJWT, vc.PresentationOptions{Nonce: nonce, Audience: aud, IssuedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestPresentation(t *testing.T) {
	ctx := context.Background()
	iss, alice, mallory := newParty(t, keys.Ed25519), newParty(t, keys.P256), newParty(t, keys.P256)
	cred := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	malloryCred := issue(t, iss, parseCredential(t, credentialJSON("", mallory.did)), vc.FormatJWT)
	const aud = "https://shop.example"
	want := vc.Expect{Nonce: "n-0S6_WzA2Mj", Audience: aud}

	type tc struct {
		name string
		vp   func() []byte
		want vc.Expect
		opts vc.VerifierOptions
		err  error
	}
	trusted := vc.VerifierOptions{Trust: trustOnly(t, iss.did)}
	cases := []tc{
		{"valid", func() []byte { return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now) }, want, trusted, nil},
		{"enveloped presentation", func() []byte {
			tok := present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now)
			return []byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"EnvelopedVerifiablePresentation","id":"data:application/vp+jwt,` + string(tok) + `"}`)
		}, want, trusted, nil},
		{"no credentials (DID authentication)", func() []byte { return present(t, alice, presentationOf(alice.did), want.Nonce, aud, now) }, want, trusted, nil},
		{"wrong nonce", func() []byte { return present(t, alice, presentationOf(alice.did, cred), "other", aud, now) }, want, trusted, vc.ErrNonceMismatch},
		{"wrong audience", func() []byte {
			return present(t, alice, presentationOf(alice.did, cred), want.Nonce, "https://evil.example", now)
		}, want, trusted, vc.ErrAudienceMismatch},
		{"no expected nonce", func() []byte { return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now) }, vc.Expect{Audience: aud}, trusted, vc.ErrNonceMismatch},
		{"no expected audience", func() []byte { return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now) }, vc.Expect{Nonce: want.Nonce}, trusted, vc.ErrAudienceMismatch},
		{"stale", func() []byte {
			return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now.Add(-10*time.Minute))
		}, want, trusted, vc.ErrStale},
		{"issued in the future", func() []byte {
			return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now.Add(10*time.Minute))
		}, want, trusted, vc.ErrIssuedInFuture},
		{"signed by someone other than the holder", func() []byte {
			p := presentationOf(alice.did, cred)
			tok, err := vc.SignPresentation(ctx, mallory.signer, mallory.kid, p, vc.FormatJWT, vc.PresentationOptions{Nonce: want.Nonce, Audience: aud, IssuedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}, want, trusted, vc.ErrHolderBinding},
		{"holder not the subject", func() []byte { return present(t, alice, presentationOf(alice.did, malloryCred), want.Nonce, aud, now) }, want, trusted, vc.ErrHolderBinding},
		{"holder binding skipped", func() []byte { return present(t, alice, presentationOf(alice.did, malloryCred), want.Nonce, aud, now) }, want,
			vc.VerifierOptions{Trust: trustOnly(t, iss.did), SkipHolderBinding: true}, nil},
		{"untrusted credential issuer", func() []byte { return present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now) }, want,
			vc.VerifierOptions{Trust: trustOnly(t, mallory.did)}, vc.ErrUntrustedIssuer},
		{"a credential where a presentation is expected", func() []byte { return cred }, want, trusted, vc.ErrInvalidType},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.opts.Clock == nil {
				c.opts.Clock = clock
			}
			v, err := vc.NewVerifier(c.opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.VerifyPresentation(ctx, c.vp(), c.want)
			if !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, c.err)
			}
			if err == nil && got.Holder() != alice.did {
				t.Fatalf("holder %s", got.Holder())
			}
		})
	}

	// A credential verified through VerifyCredential is refused by VerifyPresentation and
	// the reverse.
	v := verifier(t, trusted)
	vp := present(t, alice, presentationOf(alice.did, cred), want.Nonce, aud, now)
	if _, err := v.VerifyCredential(ctx, vp); err == nil {
		t.Fatal("VerifyCredential accepted a presentation")
	}
}

func TestReplay(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	cred := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	want := vc.Expect{Nonce: "nonce-1", Audience: "https://shop.example"}
	vp := present(t, alice, presentationOf(alice.did, cred), want.Nonce, want.Audience, now)
	if _, err := v.VerifyPresentation(ctx, vp, want); err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyPresentation(ctx, vp, want); !errors.Is(err, vc.ErrReplay) {
		t.Fatalf("replayed: %v", err)
	}
	// A failed attempt does not use up the nonce.
	want2 := vc.Expect{Nonce: "nonce-2", Audience: want.Audience}
	bad := present(t, alice, presentationOf(alice.did, cred), want2.Nonce, "https://other.example", now)
	if _, err := v.VerifyPresentation(ctx, bad, want2); !errors.Is(err, vc.ErrAudienceMismatch) {
		t.Fatal(err)
	}
	good := present(t, alice, presentationOf(alice.did, cred), want2.Nonce, want.Audience, now)
	if _, err := v.VerifyPresentation(ctx, good, want2); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryReplayStore(t *testing.T) {
	at := now
	s := vc.NewMemoryReplayStore(2, func() time.Time { return at })
	ctx := context.Background()
	if err := s.Use(ctx, "a", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Use(ctx, "a", at.Add(time.Minute)); !errors.Is(err, vc.ErrReplay) {
		t.Fatal(err)
	}
	if err := s.Use(ctx, "b", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Use(ctx, "c", at.Add(time.Minute)); !errors.Is(err, vc.ErrReplay) {
		t.Fatalf("full store must fail closed: %v", err)
	}
	at = at.Add(2 * time.Minute)
	if err := s.Use(ctx, "c", at.Add(time.Minute)); err != nil {
		t.Fatalf("expired keys are pruned: %v", err)
	}
	if err := s.Use(ctx, "a", at.Add(time.Minute)); err != nil {
		t.Fatalf("an expired nonce may be reused: %v", err)
	}
}

func TestInspect(t *testing.T) {
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	tok := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	in, err := vc.Inspect(tok)
	if err != nil {
		t.Fatal(err)
	}
	if in.Issuer != iss.did || in.Credential == nil || in.Presentation != nil || in.KeyID != iss.kid {
		t.Fatalf("inspected %+v", in)
	}
	// Inspect checks no signature: a token signed by a stranger still inspects.
	other := newParty(t, keys.Ed25519)
	forged := forge(t, other.signer, `{"alg":"EdDSA","typ":"vc+jwt","kid":"`+iss.kid+`"}`, credentialJSON(iss.did, alice.did))
	if _, err := vc.Inspect(forged); err != nil {
		t.Fatal(err)
	}
	vp := present(t, alice, presentationOf(alice.did, tok), "n", "a", now)
	in, err = vc.Inspect(vp)
	if err != nil || in.Presentation == nil {
		t.Fatalf("presentation: %+v %v", in, err)
	}
}

func TestVerifiedClaimsAreCopies(t *testing.T) {
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	tok := issue(t, iss, parseCredential(t, credentialJSON("", alice.did)), vc.FormatJWT)
	v := verifier(t, vc.VerifierOptions{AcceptAnyIssuer: true})
	got, err := v.VerifyCredential(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	got.Claims()["issuer"] = "did:example:mallory"
	if got.Claims()["issuer"] != iss.did {
		t.Fatal("Claims exposes shared state")
	}
}

var _ crypto.PublicKey = nil
var _ = jose.DefaultMaxBytes

func TestInspectFormats(t *testing.T) {
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	sd := pid(t, iss, alice, nil)
	in, err := vc.Inspect(sd)
	if err != nil {
		t.Fatal(err)
	}
	if in.Format != vc.FormatSDJWTVC || in.Issuer != iss.did || len(in.Disclosable) == 0 || in.Claims["given_name"] != "Alice" {
		t.Fatalf("SD-JWT: %+v", in)
	}
	di := issueDI(t, iss, parseCredential(t, credentialJSON("", alice.did)), "")
	in, err = vc.Inspect(di)
	if err != nil {
		t.Fatal(err)
	}
	if in.Format != vc.FormatDataIntegrity || in.Issuer != iss.did || in.Credential == nil || in.KeyID != iss.kid {
		t.Fatalf("DI: %+v", in)
	}
}
