package jose_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jose"
)

// FuzzParse: Parse never panics and fails only with a sentinel and a nil result. A token
// it accepts has a kind that agrees with its typ, an allowed alg, a strict JSON document
// and, for a credential, an issuer; it never verifies with a key that did not sign it;
// and its document signs again as the same kind with the same issuer.
func FuzzParse(f *testing.F) {
	ed := edKey(f)
	stranger, err := keys.Generate(keys.Ed25519)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := jose.Parse(data, jose.ParseOptions{})
		checkParsed(t, ed, stranger, data, p, err)
	})
}

// FuzzPayload reaches the payload rules with valid signatures: the fuzzed bytes are the
// payload of a token of one of the four header shapes, signed by ed. What Parse accepts
// must verify with ed and satisfy every property of FuzzParse.
func FuzzPayload(f *testing.F) {
	ed := edKey(f)
	stranger, err := keys.Generate(keys.Ed25519)
	if err != nil {
		f.Fatal(err)
	}
	headers := []string{hdrVC, hdrVP, hdr11, `{"alg":"EdDSA"}`}
	f.Fuzz(func(t *testing.T, shape uint8, payload []byte) {
		data := []byte(forge(t, ed, headers[int(shape)%len(headers)], string(payload)))
		p, err := jose.Parse(data, jose.ParseOptions{})
		if err == nil {
			if err := p.Verify(ed.Public(), nil); err != nil {
				t.Fatalf("signed token does not verify: %v", err)
			}
		}
		checkParsed(t, ed, stranger, data, p, err)
	})
}

// checkParsed asserts the properties of an outcome of Parse(data).
func checkParsed(t *testing.T, ed, stranger keys.Signer, data []byte, p *jose.Parsed, err error) {
	t.Helper()
	if err != nil {
		if p != nil {
			t.Fatal("a result came with the error")
		}
		if sentinelOf(err) == nil {
			t.Fatalf("error %v wraps no sentinel", err)
		}
		return
	}
	switch {
	case p.Kind == jose.CredentialJWT && p.Header.Typ == "vc+jwt":
	case p.Kind == jose.PresentationJWT && p.Header.Typ == "vp+jwt":
	case (p.Kind == jose.Credential11 || p.Kind == jose.Presentation11) && (p.Header.Typ == "" || p.Header.Typ == "JWT"):
	default:
		t.Fatalf("kind %v with typ %q", p.Kind, p.Header.Typ)
	}
	switch p.Header.Alg {
	case keys.EdDSA, keys.ES256, keys.ES384:
	default:
		t.Fatalf("accepted alg %q", p.Header.Alg)
	}
	if err := jsonx.Validate(p.Document, jsonx.Limits{}); err != nil {
		t.Fatalf("document is not strict JSON: %v", err)
	}
	if !p.Kind.IsPresentation() && p.Issuer == "" {
		t.Fatal("credential without issuer")
	}
	if p.Raw() != string(data) {
		t.Fatal("Raw differs from the input")
	}
	if err := p.Verify(stranger.Public(), nil); err == nil {
		t.Fatal("verified with a key that signed nothing")
	}
	var sign func(keys.Signer, string, []byte, jose.SignOptions) ([]byte, error)
	switch p.Kind {
	case jose.CredentialJWT:
		sign = jose.SignCredential
	case jose.PresentationJWT:
		sign = jose.SignPresentation
	case jose.Credential11:
		sign = jose.SignCredential11
	case jose.Presentation11:
		sign = jose.SignPresentation11
	}
	tok, err := sign(ed, p.Header.Kid, p.Document, jose.SignOptions{})
	if err != nil {
		// The VCDM 1.1 encoding needs RFC 3339 dates to map; a grown header may
		// push a token over the limit.
		if p.Kind == jose.Credential11 || p.Kind == jose.Presentation11 || errors.Is(err, jose.ErrTooLarge) {
			return
		}
		t.Fatalf("the document of an accepted %v does not sign: %v", p.Kind, err)
	}
	q, err := jose.Parse(tok, jose.ParseOptions{})
	if err != nil {
		t.Fatalf("re-signed %v does not parse: %v", p.Kind, err)
	}
	if err := q.Verify(ed.Public(), nil); err != nil {
		t.Fatal(err)
	}
	if q.Kind != p.Kind || (!p.Kind.IsPresentation() && q.Issuer != p.Issuer) {
		t.Fatalf("re-signed: %v %q, was %v %q", q.Kind, q.Issuer, p.Kind, p.Issuer)
	}
	if (p.Kind == jose.CredentialJWT || p.Kind == jose.PresentationJWT) && !bytes.Equal(q.Document, p.Document) {
		t.Fatal("re-signed document differs")
	}
}

// FuzzUnenvelope: Unenvelope never panics and fails only with a sentinel; what it
// accepts is one of the known media types and a token that Envelope wraps back into an
// envelope giving the same pair.
func FuzzUnenvelope(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		mt, tok, err := jose.Unenvelope(data)
		if err != nil {
			if mt != "" || tok != nil {
				t.Fatal("a result came with the error")
			}
			if sentinelOf(err) == nil {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		switch mt {
		case jose.MediaTypeCredential, jose.MediaTypePresentation, jose.MediaTypeCredentialSDJWT, jose.MediaTypePresentationSDJWT:
		default:
			t.Fatalf("media type %q", mt)
		}
		env, err := jose.Envelope(mt, tok)
		if err != nil {
			t.Fatalf("Envelope refuses what Unenvelope returned: %v", err)
		}
		mt2, tok2, err := jose.Unenvelope(env)
		if err != nil || mt2 != mt || !bytes.Equal(tok2, tok) {
			t.Fatalf("round trip: %q %q %v", mt2, tok2, err)
		}
	})
}
