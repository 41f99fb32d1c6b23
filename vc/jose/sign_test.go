package jose_test

import (
	"bytes"
	"crypto/elliptic"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

func signers(t *testing.T) map[string]keys.Signer {
	return map[string]keys.Signer{"Ed25519": edKey(t), "P-256": ecKey(t, elliptic.P256()), "P-384": ecKey(t, elliptic.P384())}
}

func mustParse(t *testing.T, s keys.Signer, tok []byte, kind jose.Kind) *jose.Parsed {
	t.Helper()
	p, err := jose.Parse(tok, jose.ParseOptions{Kinds: []jose.Kind{kind}})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if err := p.Verify(s.Public(), nil); err != nil {
		t.Fatalf("verify: %v", err)
	}
	return p
}

// TestSignCredentialKeepsBytes: without options the payload is the caller's credential,
// byte for byte, whitespace included.
func TestSignCredentialKeepsBytes(t *testing.T) {
	for name, s := range signers(t) {
		t.Run(name, func(t *testing.T) {
			doc := []byte(" \n" + strings.Replace(credential, `,"id"`, `, "id"`, 1) + "\n")
			tok, err := jose.SignCredential(s, "k1", doc, jose.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p := mustParse(t, s, tok, jose.CredentialJWT)
			if !bytes.Equal(p.Document, doc) {
				t.Errorf("Document %q, want %q", p.Document, doc)
			}
			if p.Header.Typ != "vc+jwt" || p.Header.Cty != "vc" || p.Header.Kid != "k1" || p.Issuer != testIssuer {
				t.Errorf("header %+v, issuer %q", p.Header, p.Issuer)
			}
		})
	}
}

func TestSignCredentialClaims(t *testing.T) {
	s := edKey(t)
	iat := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	exp := iat.Add(time.Hour + 500*time.Millisecond)
	tok, err := jose.SignCredential(s, "", []byte(credential), jose.SignOptions{IssuedAt: iat, Expiry: exp})
	if err != nil {
		t.Fatal(err)
	}
	p := mustParse(t, s, tok, jose.CredentialJWT)
	want := `{"iat":1704164645,"exp":1704168245.5,` + credential[1:]
	if string(p.Document) != want {
		t.Errorf("Document %s\nwant     %s", p.Document, want)
	}
	if !p.Claims.IssuedAt.Equal(iat) || !p.Claims.Expiry.Equal(exp) {
		t.Errorf("claims %v %v", p.Claims.IssuedAt, p.Claims.Expiry)
	}
}

func TestSignPresentation(t *testing.T) {
	for name, s := range signers(t) {
		t.Run(name, func(t *testing.T) {
			iat := time.Unix(1700000000, 0)
			tok, err := jose.SignPresentation(s, "h#1", []byte(presentation), jose.SignOptions{Nonce: "n-0S6_WzA2Mj", Audience: "https://verifier.example", IssuedAt: iat, Expiry: iat.Add(5 * time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			p := mustParse(t, s, tok, jose.PresentationJWT)
			c := p.Claims
			if c.Nonce != "n-0S6_WzA2Mj" || len(c.Audience) != 1 || c.Audience[0] != "https://verifier.example" || !c.IssuedAt.Equal(iat) || c.Expiry == nil {
				t.Errorf("claims %+v", c)
			}
			if p.Issuer != testHolder || p.Header.Typ != "vp+jwt" || p.Header.Cty != "vp" {
				t.Errorf("issuer %q header %+v", p.Issuer, p.Header)
			}
			if !strings.HasSuffix(string(p.Document), presentation[1:]) {
				t.Errorf("Document %s does not end with the presentation", p.Document)
			}
		})
	}
}

// TestSign11RoundTrip: the VCDM 1.1 encoding moves properties into claims and Parse
// restores the same document.
func TestSign11RoundTrip(t *testing.T) {
	for name, s := range signers(t) {
		t.Run(name, func(t *testing.T) {
			iat := time.Unix(1700000000, 0)
			tok, err := jose.SignCredential11(s, "k", []byte(credential11), jose.SignOptions{IssuedAt: iat})
			if err != nil {
				t.Fatal(err)
			}
			p := mustParse(t, s, tok, jose.Credential11)
			if d := jsonDiff(t, p.Document, []byte(credential11)); d != "" {
				t.Errorf("document (-got +want):\n%s", d)
			}
			c := p.Claims
			if c.Issuer != testIssuer || c.Subject != "did:example:subject" || c.ID != "urn:uuid:2" || !c.IssuedAt.Equal(iat) ||
				c.NotBefore == nil || !c.NotBefore.Equal(time.Date(2010, 1, 1, 19, 23, 24, 123e6, time.UTC)) || c.Expiry == nil {
				t.Errorf("claims %+v", c)
			}
			if p.Header.Typ != "JWT" || p.Issuer != testIssuer {
				t.Errorf("header %+v issuer %q", p.Header, p.Issuer)
			}
			// The mapped properties left the vc claim.
			payload := tokenPayload(t, tok)
			payload = payload[strings.Index(payload, `"vc":`):]
			for _, gone := range []string{`"issuanceDate"`, `"expirationDate"`, `"urn:uuid:2"`, `"did:example:subject"`} {
				if strings.Count(payload, gone) != 0 {
					t.Errorf("payload still holds %s: %s", gone, payload)
				}
			}

			tok, err = jose.SignPresentation11(s, "k", []byte(presentation11), jose.SignOptions{Nonce: "n", Audience: "https://v.example", IssuedAt: iat, Expiry: iat.Add(time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			p = mustParse(t, s, tok, jose.Presentation11)
			if d := jsonDiff(t, p.Document, []byte(presentation11)); d != "" {
				t.Errorf("presentation (-got +want):\n%s", d)
			}
			if p.Claims.Nonce != "n" || p.Claims.Audience[0] != "https://v.example" || p.Issuer != testHolder || p.Claims.ID != "urn:uuid:3" {
				t.Errorf("presentation claims %+v issuer %q", p.Claims, p.Issuer)
			}
		})
	}
}

func tokenPayload(t *testing.T, tok []byte) string {
	t.Helper()
	parts := strings.Split(string(tok), ".")
	b, err := b64.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSign11Subjects: several subjects keep their ids; an issuer object keeps its other
// members; a lone issuer id comes back as a string.
func TestSign11Subjects(t *testing.T) {
	s := edKey(t)
	for _, tc := range []struct{ name, in, want string }{
		{"several subjects",
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":[{"id":"did:a"},{"id":"did:b"}]}`,
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":[{"id":"did:a"},{"id":"did:b"}]}`},
		{"one subject in an array",
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":[{"id":"did:a","n":1}]}`,
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":[{"id":"did:a","n":1}]}`},
		{"issuer object with only an id",
			`{"@context":"x","type":"VerifiableCredential","issuer":{"id":"https://i.example"}}`,
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example"}`},
		{"subject without id",
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":{"n":"<&>"}}`,
			`{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example","credentialSubject":{"n":"<&>"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := jose.SignCredential11(s, "", []byte(tc.in), jose.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p := mustParse(t, s, tok, jose.Credential11)
			if d := jsonDiff(t, p.Document, []byte(tc.want)); d != "" {
				t.Errorf("(-got +want):\n%s", d)
			}
			if strings.Contains(string(p.Document), `\u003c`) {
				t.Errorf("HTML escaping in %s", p.Document)
			}
		})
	}
}

func TestSignRefuses(t *testing.T) {
	s := edKey(t)
	now := time.Unix(1700000000, 0)
	didCred := strings.Replace(credential, testIssuer, "did:example:issuer", 1)
	for _, tc := range []struct {
		name string
		sign func() ([]byte, error)
		want error
	}{
		{"nonce on a credential", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(credential), jose.SignOptions{Nonce: "n"})
		}, jose.ErrMalformed},
		{"aud on a credential", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(credential), jose.SignOptions{Audience: "a"})
		}, jose.ErrMalformed},
		{"iat already present", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(`{"iat":1,`+credential[1:]), jose.SignOptions{IssuedAt: now})
		}, jose.ErrMalformed},
		{"nonce already present", func() ([]byte, error) {
			return jose.SignPresentation(s, "", []byte(`{"nonce":"x",`+presentation[1:]), jose.SignOptions{Nonce: "n"})
		}, jose.ErrMalformed},
		{"nonce not UTF-8", func() ([]byte, error) {
			return jose.SignPresentation(s, "", []byte(presentation), jose.SignOptions{Nonce: "\xff"})
		}, jose.ErrMalformed},
		{"iat before 1970", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(credential), jose.SignOptions{IssuedAt: time.Unix(-5, 0)})
		}, jose.ErrMalformed},
		{"DID issuer without kid", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(didCred), jose.SignOptions{})
		}, jose.ErrMissingKeyID},
		{"iss differing from issuer", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(`{"iss":"https://evil.example",`+credential[1:]), jose.SignOptions{})
		}, jose.ErrIssuerMismatch},
		{"presentation as a credential", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(presentation), jose.SignOptions{})
		}, jose.ErrInvalidType},
		{"credential as a presentation", func() ([]byte, error) {
			return jose.SignPresentation(s, "", []byte(credential), jose.SignOptions{})
		}, jose.ErrInvalidType},
		{"not JSON", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(`{"a":`), jose.SignOptions{})
		}, jose.ErrMalformed},
		{"too large", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(`{"a":"`+strings.Repeat("x", jose.DefaultMaxBytes)+`"}`), jose.SignOptions{})
		}, jose.ErrTooLarge},
		{"token too large", func() ([]byte, error) {
			return jose.SignCredential(s, "", []byte(`{"x":"`+strings.Repeat("x", jose.DefaultMaxBytes-200)+`",`+credential[1:]), jose.SignOptions{})
		}, jose.ErrTooLarge},
		{"nil signer", func() ([]byte, error) {
			return jose.SignCredential(nil, "", []byte(credential), jose.SignOptions{})
		}, jose.ErrInvalidKey},
		{"1.1 exp option", func() ([]byte, error) {
			return jose.SignCredential11(s, "", []byte(credential11), jose.SignOptions{Expiry: now})
		}, jose.ErrMalformed},
		{"1.1 without issuer", func() ([]byte, error) {
			return jose.SignCredential11(s, "", []byte(`{"@context":"x","type":"VerifiableCredential"}`), jose.SignOptions{})
		}, jose.ErrMalformed},
		{"1.1 bad issuanceDate", func() ([]byte, error) {
			return jose.SignCredential11(s, "", []byte(`{"@context":"x","type":"VerifiableCredential","issuer":"i","issuanceDate":"yesterday"}`), jose.SignOptions{})
		}, jose.ErrMalformed},
		{"1.1 numeric id", func() ([]byte, error) {
			return jose.SignCredential11(s, "", []byte(`{"@context":"x","type":"VerifiableCredential","issuer":"i","id":1}`), jose.SignOptions{})
		}, jose.ErrMalformed},
		{"1.1 presentation as a credential", func() ([]byte, error) {
			return jose.SignCredential11(s, "", []byte(presentation11), jose.SignOptions{})
		}, jose.ErrInvalidType},
		{"1.1 not an object", func() ([]byte, error) {
			return jose.SignPresentation11(s, "", []byte(`[]`), jose.SignOptions{})
		}, jose.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := tc.sign()
			if !errors.Is(err, tc.want) || tok != nil {
				t.Errorf("got %q, %v; want %v", tok, err, tc.want)
			}
		})
	}
}
