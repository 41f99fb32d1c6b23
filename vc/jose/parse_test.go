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

const (
	hdrVC  = `{"alg":"EdDSA","typ":"vc+jwt","kid":"k1"}`
	hdrVP  = `{"alg":"EdDSA","typ":"vp+jwt","kid":"k1"}`
	hdr11  = `{"alg":"EdDSA","typ":"JWT","kid":"k1"}`
	cred   = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"https://i.example","credentialSubject":{"id":"did:example:s"}`
	pres   = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiablePresentation","holder":"https://h.example"`
	vc11   = `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"credentialSubject":{"degree":"BSc"}}`
	vp11   = `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"]}`
	envVC  = `{"@context":"https://www.w3.org/ns/credentials/v2","type":"EnvelopedVerifiableCredential","id":"data:application/vc+jwt,e30.e30.AA"}`
	deepNS = 100_000
)

// TestAttacks: each hostile token, signed with the key the verifier uses, fails with the
// named sentinel; the valid ones parse and verify.
func TestAttacks(t *testing.T) {
	ed := edKey(t)
	p256 := ecKey(t, elliptic.P256())
	sign := func(h, p string) string { return forge(t, ed, h, p) }
	deep := strings.Repeat("[", deepNS) + strings.Repeat("]", deepNS)
	for _, tc := range []struct {
		name  string
		token string
		opts  jose.ParseOptions
		key   keys.Signer // nil: ed
		want  error
		kind  jose.Kind
	}{
		{name: "vc+jwt", token: sign(hdrVC, cred+`}`), kind: jose.CredentialJWT},
		{name: "vc+jwt with cty vc", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":"vc"}`, cred+`}`), kind: jose.CredentialJWT},
		{name: "vc+jwt with cty application/vc", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":"application/vc"}`, cred+`}`), kind: jose.CredentialJWT},
		{name: "vc+jwt with matching iss and iat", token: sign(hdrVC, cred+`,"iss":"https://i.example","iat":1700000000}`), kind: jose.CredentialJWT},
		{name: "vc+jwt issuer object", token: sign(hdrVC, strings.Replace(cred, `"https://i.example"`, `{"id":"https://i.example","name":"I"}`, 1)+`,"iss":"https://i.example"}`), kind: jose.CredentialJWT},
		{name: "vc+jwt ES256", token: forge(t, p256, `{"alg":"ES256","typ":"vc+jwt"}`, cred+`}`), key: p256, kind: jose.CredentialJWT},
		{name: "vp+jwt", token: sign(hdrVP, pres+`,"verifiableCredential":[`+envVC+`],"nonce":"n","aud":"https://v.example"}`), kind: jose.PresentationJWT},
		{name: "vp+jwt without holder, iss", token: sign(hdrVP, `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","iss":"https://h.example"}`), kind: jose.PresentationJWT},
		{name: "1.1 vc", token: sign(hdr11, `{"iss":"https://i.example","nbf":1262373804,"vc":`+vc11+`}`), kind: jose.Credential11},
		{name: "1.1 vc without typ", token: sign(`{"alg":"EdDSA"}`, `{"iss":"https://i.example","vc":`+vc11+`}`), kind: jose.Credential11},
		{name: "1.1 vp", token: sign(hdr11, `{"iss":"https://h.example","aud":"x","nonce":"n","vp":`+vp11+`}`), kind: jose.Presentation11},

		// iss and holder binding
		{name: "iss differs from issuer", token: sign(hdrVC, cred+`,"iss":"https://evil.example"}`), want: jose.ErrIssuerMismatch},
		{name: "iss differs from issuer.id", token: sign(hdrVC, strings.Replace(cred, `"https://i.example"`, `{"id":"https://i.example"}`, 1)+`,"iss":"https://evil.example"}`), want: jose.ErrIssuerMismatch},
		{name: "escaped iss differs", token: sign(hdrVC, cred+`,"\u0069ss":"https://evil.example"}`), want: jose.ErrIssuerMismatch},
		{name: "header iss differs", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","iss":"https://evil.example"}`, cred+`}`), want: jose.ErrIssuerMismatch},
		{name: "header iss not a string", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","iss":1}`, cred+`}`), want: jose.ErrMalformed},
		{name: "vp+jwt iss differs from holder", token: sign(hdrVP, pres+`,"iss":"https://evil.example"}`), want: jose.ErrIssuerMismatch},
		{name: "1.1 iss differs from vc.issuer", token: sign(hdr11, `{"iss":"https://evil.example","vc":{"@context":"x","type":"VerifiableCredential","issuer":"https://i.example"}}`), want: jose.ErrIssuerMismatch},
		{name: "1.1 iss differs from vp.holder", token: sign(hdr11, `{"iss":"https://evil.example","vp":{"@context":"x","type":"VerifiablePresentation","holder":{"id":"https://h.example"}}}`), want: jose.ErrIssuerMismatch},
		{name: "DID issuer without kid", token: sign(`{"alg":"EdDSA","typ":"vc+jwt"}`, strings.Replace(cred, `"https://i.example"`, `"did:example:i"`, 1)+`}`), want: jose.ErrMissingKeyID},

		// typ, cty and kinds
		{name: "typ vp+jwt on a credential", token: sign(hdrVP, cred+`}`), want: jose.ErrInvalidType},
		{name: "typ vc+jwt on a presentation", token: sign(hdrVC, pres+`}`), want: jose.ErrInvalidType},
		{name: "typ bad", token: sign(`{"alg":"EdDSA","typ":"bad+typ"}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "typ with application/ prefix", token: sign(`{"alg":"EdDSA","typ":"application/vc+jwt"}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "typ empty", token: sign(`{"alg":"EdDSA","typ":""}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "typ vc+sd-jwt", token: sign(`{"alg":"EdDSA","typ":"vc+sd-jwt"}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "vc+jwt without typ", token: sign(`{"alg":"EdDSA"}`, cred+`}`), want: jose.ErrMalformed},
		{name: "cty vp on vc+jwt", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":"vp"}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "cty bad", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":"bad+cty"}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "cty empty", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":""}`, cred+`}`), want: jose.ErrInvalidType},
		{name: "cty not a string", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","cty":1}`, cred+`}`), want: jose.ErrMalformed},
		{name: "cty on a 1.1 JWT", token: sign(`{"alg":"EdDSA","typ":"JWT","cty":"JWT"}`, `{"iss":"https://i.example","vc":`+vc11+`}`), want: jose.ErrInvalidType},
		{name: "vp+jwt not accepted", token: sign(hdrVP, pres+`}`), opts: jose.ParseOptions{Kinds: []jose.Kind{jose.CredentialJWT}}, want: jose.ErrInvalidType},
		{name: "1.1 vp not accepted", token: sign(hdr11, `{"vp":`+vp11+`}`), opts: jose.ParseOptions{Kinds: []jose.Kind{jose.Credential11}}, want: jose.ErrInvalidType},
		{name: "1.1 not accepted", token: sign(hdr11, `{"iss":"https://i.example","vc":`+vc11+`}`), opts: jose.ParseOptions{Kinds: []jose.Kind{jose.CredentialJWT}}, want: jose.ErrInvalidType},
		{name: "unknown kind", token: sign(hdrVC, cred+`}`), opts: jose.ParseOptions{Kinds: []jose.Kind{0}}, want: jose.ErrUnsupportedFormat},

		// payload shape
		{name: "payload not an object", token: sign(hdrVC, `["VerifiableCredential"]`), want: jose.ErrMalformed},
		{name: "payload a string", token: sign(hdrVC, `"vc"`), want: jose.ErrMalformed},
		{name: "payload not JSON", token: sign(hdrVC, `not json`), want: jose.ErrMalformed},
		{name: "payload with trailing data", token: sign(hdrVC, cred+`} {}`), want: jose.ErrMalformed},
		{name: "payload without @context", token: sign(hdrVC, `{"type":["VerifiableCredential"],"issuer":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "payload without type", token: sign(hdrVC, `{"@context":["https://www.w3.org/ns/credentials/v2"],"issuer":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "payload type not a string", token: sign(hdrVC, `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":[1],"issuer":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "payload with a 1.1 context", token: sign(hdrVC, `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "payload with empty @context", token: sign(hdrVC, `{"@context":[],"type":["VerifiableCredential"],"issuer":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "credential without issuer", token: sign(hdrVC, `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential"}`), want: jose.ErrMalformed},
		{name: "issuer a number", token: sign(hdrVC, `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":7}`), want: jose.ErrMalformed},
		{name: "issuer object without id", token: sign(hdrVC, `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":{"name":"x"}}`), want: jose.ErrMalformed},
		{name: "vc claim in vc+jwt", token: sign(hdrVC, cred+`,"vc":"oops"}`), want: jose.ErrMalformed},
		{name: "vp claim in vp+jwt", token: sign(hdrVP, pres+`,"vp":{}}`), want: jose.ErrMalformed},
		{name: "plain credential in vp+jwt", token: sign(hdrVP, pres+`,"verifiableCredential":[`+cred+`}]}`), want: jose.ErrInvalidType},
		{name: "credential string in vp+jwt", token: sign(hdrVP, pres+`,"verifiableCredential":["eyJ.e30.AA"]}`), want: jose.ErrMalformed},
		{name: "1.1 JWT without vc claim", token: sign(hdr11, `{"iss":"https://i.example","sub":"did:example:s"}`), want: jose.ErrMalformed},
		{name: "1.1 vc claim not an object", token: sign(hdr11, `{"iss":"https://i.example","vc":"oops"}`), want: jose.ErrMalformed},
		{name: "1.1 vc and vp claims", token: sign(hdr11, `{"iss":"https://i.example","vc":`+vc11+`,"vp":`+vp11+`}`), want: jose.ErrMalformed},
		{name: "1.1 vc without issuer", token: sign(hdr11, `{"vc":`+vc11+`}`), want: jose.ErrMalformed},
		{name: "1.1 vc with a presentation type", token: sign(hdr11, `{"iss":"https://i.example","vc":`+vp11+`}`), want: jose.ErrInvalidType},
		{name: "1.1 jti differs from id", token: sign(hdr11, `{"iss":"https://i.example","jti":"urn:a","vc":{"@context":"x","type":"VerifiableCredential","id":"urn:b"}}`), want: jose.ErrMalformed},
		{name: "1.1 nbf differs from issuanceDate", token: sign(hdr11, `{"iss":"https://i.example","nbf":1262373804,"vc":{"@context":"x","type":"VerifiableCredential","issuanceDate":"2011-01-01T00:00:00Z"}}`), want: jose.ErrMalformed},
		{name: "1.1 nbf agrees with issuanceDate", token: sign(hdr11, `{"iss":"https://i.example","nbf":1262373804,"vc":{"@context":"x","type":"VerifiableCredential","issuanceDate":"2010-01-01T19:23:24.5Z"}}`), kind: jose.Credential11},
		{name: "1.1 sub differs from credentialSubject.id", token: sign(hdr11, `{"iss":"https://i.example","sub":"did:a","vc":{"@context":"x","type":"VerifiableCredential","credentialSubject":{"id":"did:b"}}}`), want: jose.ErrMalformed},
		{name: "1.1 sub names none of several subjects", token: sign(hdr11, `{"iss":"https://i.example","sub":"did:a","vc":{"@context":"x","type":"VerifiableCredential","credentialSubject":[{"id":"did:b"},{"id":"did:c"}]}}`), want: jose.ErrMalformed},

		// registered claim types (RFC 7519 §4.1)
		{name: "string iat", token: sign(hdrVC, cred+`,"iat":"2010-01-01T19:23:24Z"}`), want: jose.ErrMalformed},
		{name: "string iat in 1.1", token: sign(hdr11, `{"iss":"https://i.example","iat":"2010-01-01T19:23:24Z","vc":`+vc11+`}`), want: jose.ErrMalformed},
		{name: "numeric iss", token: sign(hdrVC, cred+`,"iss":7}`), want: jose.ErrMalformed},
		{name: "aud a number", token: sign(hdrVP, pres+`,"aud":7}`), want: jose.ErrMalformed},
		{name: "negative exp", token: sign(hdrVC, cred+`,"exp":-1}`), want: jose.ErrMalformed},

		// strict JSON
		{name: "duplicate claim names", token: sign(hdrVC, cred+`,"iss":"https://i.example","iss":"https://evil.example"}`), want: jose.ErrMalformed},
		{name: "duplicate claim names after unescaping", token: sign(hdrVC, cred+`,"iss":"https://i.example","\u0069ss":"https://i.example"}`), want: jose.ErrMalformed},
		{name: "duplicate issuer", token: sign(hdrVC, cred+`,"issuer":"https://evil.example"}`), want: jose.ErrMalformed},
		{name: "duplicate header members", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","typ":"vp+jwt"}`, cred+`}`), want: jose.ErrMalformed},
		{name: "100k-deep payload", token: sign(hdrVC, `{"@context":"https://www.w3.org/ns/credentials/v2","x":`+deep+`}`), want: jose.ErrTooDeep},
		{name: "10 MB token", token: strings.Repeat("A", 10<<20), want: jose.ErrTooLarge},
		{name: "over a lowered limit", token: sign(hdrVC, cred+`}`), opts: jose.ParseOptions{MaxBytes: 64}, want: jose.ErrTooLarge},

		// algorithms and headers
		{name: "alg none", token: enc(`{"alg":"none","typ":"vc+jwt"}`) + "." + enc(cred+`}`) + ".AA", want: jose.ErrAlgorithmNotAllowed},
		{name: "HS256", token: enc(`{"alg":"HS256","typ":"vc+jwt"}`) + "." + enc(cred+`}`) + ".AA", want: jose.ErrAlgorithmNotAllowed},
		{name: "ES512", token: enc(`{"alg":"ES512","typ":"vc+jwt"}`) + "." + enc(cred+`}`) + ".AA", want: jose.ErrAlgorithmNotAllowed},
		{name: "EdDSA outside a narrowed list", token: sign(hdrVC, cred+`}`), opts: jose.ParseOptions{Algorithms: []string{keys.ES256}}, want: jose.ErrAlgorithmNotAllowed},
		{name: "ES256 header on an Ed25519 key", token: sign(`{"alg":"ES256","typ":"vc+jwt"}`, cred+`}`), want: jose.ErrAlgorithmKeyMismatch},
		{name: "jwk header", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","jwk":{}}`, cred+`}`), want: jose.ErrUntrustedKeySource},
		{name: "x5c header", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","x5c":["AA=="]}`, cred+`}`), want: jose.ErrUntrustedKeySource},
		{name: "crit header", token: sign(`{"alg":"EdDSA","typ":"vc+jwt","crit":["exp"]}`, cred+`}`), want: jose.ErrUnsupportedCritical},
		{name: "wrong key", token: forge(t, p256, `{"alg":"EdDSA","typ":"vc+jwt"}`, cred+`}`), want: jose.ErrInvalidSignature},
		{name: "signature of another payload", token: swapSignature(sign(hdrVC, cred+`}`), sign(hdrVC, cred+`,"x":1}`)), want: jose.ErrInvalidSignature},
		{name: "garbled header", token: "!" + sign(hdrVC, cred+`}`)[1:], want: jose.ErrMalformed},

		// other formats
		{name: "SD-JWT", token: sign(`{"alg":"EdDSA","typ":"vc+sd-jwt"}`, cred+`}`) + "~", want: jose.ErrUnsupportedFormat},
		{name: "JWS JSON serialization", token: `{"payload":"e30","signatures":[]}`, want: jose.ErrUnsupportedFormat},
		{name: "JWE", token: "eyJhbGciOiJSU0EtT0FFUCJ9.AA.AA.AA.AA", want: jose.ErrUnsupportedFormat},
		{name: "COSE_Sign1 base64", token: "0oRYVqQBJgNuYXBwbGljYXRpb24vdmM", want: jose.ErrUnsupportedFormat},
		{name: "COSE_Sign1 hex", token: "d2845856a40126036e6170706c", want: jose.ErrUnsupportedFormat},
		{name: "empty", token: "", want: jose.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == nil {
				key = ed
			}
			p, err := jose.Parse([]byte(tc.token), tc.opts)
			if err == nil {
				err = p.Verify(key.Public(), nil)
			}
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if p.Kind != tc.kind {
					t.Errorf("kind %v, want %v", p.Kind, tc.kind)
				}
				if p.Raw() != tc.token {
					t.Error("Raw differs from the token")
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if p != nil && err != nil && p.Kind == 0 {
				t.Error("a partial result came with the error")
			}
		})
	}
}

// swapSignature returns a with the signature of b.
func swapSignature(a, b string) string {
	return a[:strings.LastIndexByte(a, '.')] + b[strings.LastIndexByte(b, '.'):]
}

func TestParseErrorsReturnNil(t *testing.T) {
	ed := edKey(t)
	p, err := jose.Parse([]byte(forge(t, ed, hdrVC, cred+`,"iss":"https://evil.example"}`)), jose.ParseOptions{})
	if err == nil || p != nil {
		t.Fatalf("got %v, %v; want nil and an error", p, err)
	}
	var zero *jose.Parsed
	if err := zero.Verify(ed.Public(), nil); !errors.Is(err, jose.ErrMalformed) {
		t.Errorf("nil Parsed: got %v", err)
	}
}

// TestParseCopiesToken: the caller may reuse its buffer after Parse.
func TestParseCopiesToken(t *testing.T) {
	ed := edKey(t)
	tok := []byte(forge(t, ed, hdrVC, cred+`}`))
	want := string(tok)
	p, err := jose.Parse(tok, jose.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range tok {
		tok[i] = 'A'
	}
	if err := p.Verify(ed.Public(), nil); err != nil {
		t.Errorf("verify after the buffer changed: %v", err)
	}
	if p.Raw() != want {
		t.Error("Raw changed with the caller's buffer")
	}
}

func TestParsedFields(t *testing.T) {
	ed := edKey(t)
	payload := cred + `,"iss":"https://i.example","sub":"did:example:s","jti":"urn:j","nonce":"n","aud":["a","b"],"iat":1700000000,"nbf":1700000000.5,"exp":1800000000}`
	p, err := jose.Parse([]byte(forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","cty":"vc","kid":"did:example:i#k"}`, payload)), jose.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Document, []byte(payload)) {
		t.Errorf("Document %s, want the payload", p.Document)
	}
	h := jose.Header{Alg: "EdDSA", Typ: "vc+jwt", Cty: "vc", Kid: "did:example:i#k"}
	if p.Header.Alg != h.Alg || p.Header.Typ != h.Typ || p.Header.Cty != h.Cty || p.Header.Kid != h.Kid {
		t.Errorf("header %+v, want %+v", p.Header, h)
	}
	c := p.Claims
	if c.Issuer != "https://i.example" || c.Subject != "did:example:s" || c.ID != "urn:j" || c.Nonce != "n" || len(c.Audience) != 2 {
		t.Errorf("claims %+v", c)
	}
	if c.IssuedAt == nil || !c.IssuedAt.Equal(time.Unix(1700000000, 0)) || c.NotBefore == nil || c.NotBefore.Nanosecond() != 5e8 || c.Expiry == nil {
		t.Errorf("times %v %v %v", c.IssuedAt, c.NotBefore, c.Expiry)
	}
	if p.Issuer != "https://i.example" {
		t.Errorf("issuer %q", p.Issuer)
	}
}

func TestCheckTime(t *testing.T) {
	at := func(s int64) *time.Time { v := time.Unix(s, 0); return &v }
	now := time.Unix(1000, 0)
	for _, tc := range []struct {
		name string
		c    jose.Claims
		want error
	}{
		{"none", jose.Claims{}, nil},
		{"valid", jose.Claims{IssuedAt: at(900), NotBefore: at(900), Expiry: at(2000)}, nil},
		{"expired", jose.Claims{Expiry: at(900)}, jose.ErrExpired},
		{"expired within skew", jose.Claims{Expiry: at(990)}, nil},
		{"expires now minus skew", jose.Claims{Expiry: at(940)}, jose.ErrExpired},
		{"not yet valid", jose.Claims{NotBefore: at(1100)}, jose.ErrNotYetValid},
		{"nbf within skew", jose.Claims{NotBefore: at(1060)}, nil},
		{"issued in the future", jose.Claims{IssuedAt: at(1061)}, jose.ErrIssuedInFuture},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c.CheckTime(now, 60*time.Second); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[jose.Kind]string{jose.CredentialJWT: "vc+jwt", jose.PresentationJWT: "vp+jwt",
		jose.Credential11: "jwt_vc_json", jose.Presentation11: "jwt_vp_json", 0: "Kind(0)"} {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", int(k), got, want)
		}
	}
	if jose.CredentialJWT.IsPresentation() || !jose.Presentation11.IsPresentation() {
		t.Error("IsPresentation")
	}
}
