package jose_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/vc/jose"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	s := edKey(t)
	vc, err := jose.SignCredential(s, "k", []byte(credential), jose.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	vp, err := jose.SignPresentation(s, "k", []byte(presentation), jose.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mediaType, typ string
		token          []byte
	}{
		{jose.MediaTypeCredential, "EnvelopedVerifiableCredential", vc},
		{jose.MediaTypePresentation, "EnvelopedVerifiablePresentation", vp},
		{jose.MediaTypeCredentialSDJWT, "EnvelopedVerifiableCredential", append(vc[:len(vc):len(vc)], "~WyJhIiwiYiJd~"...)},
		{jose.MediaTypePresentationSDJWT, "EnvelopedVerifiablePresentation", append(vp[:len(vp):len(vp)], '~')},
	} {
		t.Run(tc.mediaType, func(t *testing.T) {
			env, err := jose.Envelope(tc.mediaType, tc.token)
			if err != nil {
				t.Fatal(err)
			}
			want := `{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:` + tc.mediaType + `,` + string(tc.token) + `","type":"` + tc.typ + `"}`
			if string(env) != want {
				t.Errorf("envelope %s\nwant %s", env, want)
			}
			mt, tok, err := jose.Unenvelope(env)
			if err != nil {
				t.Fatal(err)
			}
			if mt != tc.mediaType || string(tok) != string(tc.token) {
				t.Errorf("got %s %s", mt, tok)
			}
		})
	}
}

func TestEnvelopeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, mediaType, token string
		want                   error
	}{
		{"COSE", "application/vc+cose", "0oRY", jose.ErrUnsupportedFormat},
		{"unknown media type", "application/json", "e30.e30.AA", jose.ErrUnsupportedFormat},
		{"bare media type", "vc+jwt", "e30.e30.AA", jose.ErrUnsupportedFormat},
		{"not a JWS", jose.MediaTypeCredential, "e30.e30", jose.ErrMalformed},
		{"a tilde in a JWS", jose.MediaTypeCredential, "e30.e30.AA~", jose.ErrMalformed},
		{"no tilde in an SD-JWT", jose.MediaTypeCredentialSDJWT, "e30.e30.AA", jose.ErrMalformed},
		{"a quote", jose.MediaTypeCredential, `e30.e30".AA`, jose.ErrMalformed},
		{"empty", jose.MediaTypeCredential, "", jose.ErrMalformed},
		{"too large", jose.MediaTypeCredential, "e30.e30." + strings.Repeat("A", jose.DefaultMaxBytes), jose.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if env, err := jose.Envelope(tc.mediaType, []byte(tc.token)); !errors.Is(err, tc.want) || env != nil {
				t.Errorf("got %s, %v; want %v", env, err, tc.want)
			}
		})
	}
}

func TestUnenvelopeAttacks(t *testing.T) {
	const (
		ctx = `"@context":"https://www.w3.org/ns/credentials/v2"`
		typ = `"type":"EnvelopedVerifiableCredential"`
		tok = `eyJhbGciOiJFZERTQSJ9.e30.AA`
	)
	id := func(url string) string { return `"id":"` + url + `"` }
	obj := func(members ...string) string { return "{" + strings.Join(members, ",") + "}" }
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"valid", obj(ctx, id("data:application/vc+jwt,"+tok), typ), nil},
		{"valid with arrays", obj(`"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"]`, id("data:application/vc+jwt,"+tok), `"type":["EnvelopedVerifiableCredential"]`), nil},
		{"valid presentation", obj(ctx, id("data:application/vp+jwt,"+tok), `"type":"EnvelopedVerifiablePresentation"`), nil},
		{"wrong media type for the type", obj(ctx, id("data:application/vp+jwt,"+tok), typ), jose.ErrInvalidType},
		{"credential type with vp media type", obj(ctx, id("data:application/vc+jwt,"+tok), `"type":"EnvelopedVerifiablePresentation"`), jose.ErrInvalidType},
		{"unknown media type", obj(ctx, id("data:text/plain,"+tok), typ), jose.ErrUnsupportedFormat},
		{"no media type", obj(ctx, id("data:,"+tok), typ), jose.ErrUnsupportedFormat},
		{"media type in upper case", obj(ctx, id("data:application/VC+JWT,"+tok), typ), jose.ErrUnsupportedFormat},
		{"COSE", obj(ctx, id("data:application/vc+cose;base64,0oRYVqQBJgNu+Q=="), typ), jose.ErrUnsupportedFormat},
		{"base64 parameter", obj(ctx, id("data:application/vc+jwt;base64,"+tok), typ), jose.ErrMalformed},
		{"charset parameter", obj(ctx, id("data:application/vc+jwt;charset=utf-8,"+tok), typ), jose.ErrMalformed},
		{"not a data URL", obj(ctx, id("https://example.com/"+tok), typ), jose.ErrMalformed},
		{"a bare word", obj(ctx, id("not-a-credential"), typ), jose.ErrMalformed},
		{"DATA in capitals", obj(ctx, id("DATA:application/vc+jwt,"+tok), typ), jose.ErrMalformed},
		{"no comma", obj(ctx, id("data:application/vc+jwt"), typ), jose.ErrMalformed},
		{"percent escape", obj(ctx, id("data:application/vc+jwt,"+tok+"%41"), typ), jose.ErrMalformed},
		{"space in the token", obj(ctx, id("data:application/vc+jwt,"+tok+" "), typ), jose.ErrMalformed},
		{"three dots", obj(ctx, id("data:application/vc+jwt,a.b.c.d"), typ), jose.ErrMalformed},
		{"empty token", obj(ctx, id("data:application/vc+jwt,"), typ), jose.ErrMalformed},
		{"id a number", obj(ctx, `"id":7`, typ), jose.ErrMalformed},
		{"no id", obj(ctx, typ), jose.ErrMalformed},
		{"extra member", obj(ctx, id("data:application/vc+jwt,"+tok), typ, `"credentialSubject":{"id":"did:example:x"}`), jose.ErrMalformed},
		{"extra issuer", obj(ctx, id("data:application/vc+jwt,"+tok), typ, `"issuer":"https://evil.example"`), jose.ErrMalformed},
		{"duplicate id", obj(ctx, id("data:application/vc+jwt,"+tok), id("data:application/vc+jwt,"+tok), typ), jose.ErrMalformed},
		{"no @context", obj(id("data:application/vc+jwt,"+tok), typ), jose.ErrMalformed},
		{"1.1 @context", obj(`"@context":"https://www.w3.org/2018/credentials/v1"`, id("data:application/vc+jwt,"+tok), typ), jose.ErrMalformed},
		{"inline context", obj(`"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":"x"}]`, id("data:application/vc+jwt,"+tok), typ), jose.ErrMalformed},
		{"no type", obj(ctx, id("data:application/vc+jwt,"+tok)), jose.ErrMalformed},
		{"VerifiableCredential type", obj(ctx, id("data:application/vc+jwt,"+tok), `"type":"VerifiableCredential"`), jose.ErrInvalidType},
		{"two types", obj(ctx, id("data:application/vc+jwt,"+tok), `"type":["EnvelopedVerifiableCredential","VerifiableCredential"]`), jose.ErrInvalidType},
		{"not an object", `["data:application/vc+jwt,` + tok + `"]`, jose.ErrMalformed},
		{"not JSON", `{"id":`, jose.ErrMalformed},
		{"too large", `{"id":"` + strings.Repeat("A", jose.DefaultMaxBytes+8<<10) + `"}`, jose.ErrTooLarge},
		{"token too large", obj(ctx, id("data:application/vc+jwt,e30.e30."+strings.Repeat("A", jose.DefaultMaxBytes)), typ), jose.ErrTooLarge},
		{"deep", `{"@context":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`, jose.ErrTooDeep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt, tok, err := jose.Unenvelope([]byte(tc.in))
			if tc.want == nil {
				if err != nil || mt == "" || len(tok) == 0 {
					t.Fatalf("got %q %q %v", mt, tok, err)
				}
				return
			}
			if !errors.Is(err, tc.want) || mt != "" || tok != nil {
				t.Errorf("got %q %q %v, want %v", mt, tok, err, tc.want)
			}
		})
	}
}
