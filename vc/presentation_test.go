package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const minimalVP = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],` +
	`"holder":"did:example:holder","verifiableCredential":[` + minimalV2 + `]}`

func TestParsePresentationShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		want  error
		path  string
	}{
		{"minimal", minimalVP, nil, ""},
		{"not an object", `"vp"`, ErrMalformed, ""},
		{"duplicate member", `{"holder":"did:example:a","holder":"did:example:b"}`, ErrMalformed, ""},
		{"too large", `{"x":"` + strings.Repeat("a", 1<<20) + `"}`, ErrTooLarge, ""},
		{"context object", `{"@context":{"a":"b"}}`, ErrMalformed, "/@context"},
		{"id number", `{"id":7}`, ErrMalformed, "/id"},
		{"type number", `{"type":7}`, ErrMalformed, "/type"},
		{"holder null", `{"holder":null}`, ErrMalformed, "/holder"},
		{"holder id number", `{"holder":{"id":7}}`, ErrMalformed, "/holder/id"},
		{"credential number", `{"verifiableCredential":7}`, ErrMalformed, "/verifiableCredential"},
		{"credential entry null", `{"verifiableCredential":[{},null]}`, ErrMalformed, "/verifiableCredential/1"},
		{"credential entry array", `{"verifiableCredential":[[]]}`, ErrMalformed, "/verifiableCredential/0"},
		{"credential string", `{"verifiableCredential":"eyJ.eyJ.sig"}`, nil, ""},
		{"credential object", `{"verifiableCredential":{}}`, nil, ""},
		{"proof string", `{"proof":"x"}`, ErrMalformed, "/proof"},
		{"extra", `{"termsOfUse":[{"type":"T"}],"x":null}`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePresentation([]byte(tc.input))
			checkErr(t, err, tc.want)
			if tc.want == nil {
				return
			}
			if p != nil {
				t.Error("a presentation with an error")
			}
			checkPath(t, err, tc.path)
		})
	}
}

func TestPresentationFields(t *testing.T) {
	p, err := ParsePresentation([]byte(minimalVP))
	if err != nil {
		t.Fatal(err)
	}
	if p.Holder.ID != "did:example:holder" || p.Version() != V2 || len(p.VerifiableCredential) != 1 {
		t.Fatalf("got %+v", p)
	}
	if diff := cmp.Diff([]string{TypeVerifiablePresentation}, p.Type); diff != "" {
		t.Errorf("Type (-want +got):\n%s", diff)
	}
	c, err := ParseCredential(p.VerifiableCredential[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer.ID != "did:example:issuer" {
		t.Errorf("embedded issuer = %q", c.Issuer.ID)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestPresentationRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, input string }{
		{"minimal", minimalVP},
		{"single forms", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation",` +
			`"holder":{"id":"did:example:h"},"verifiableCredential":` + minimalV2 + `,"proof":{"type":"DataIntegrityProof"}}`},
		{"array forms", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],` +
			`"verifiableCredential":["eyJ.eyJ.sig",{"id":"data:,x","type":"EnvelopedVerifiableCredential"}],"proof":[{"type":"A"},{"type":"B"}]}`},
		{"empty", `{}`},
		{"empty arrays", `{"verifiableCredential":[],"proof":[],"type":[]}`},
		{"extra", `{"termsOfUse":{"type":"T"},"n":1.50}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePresentation([]byte(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			out, err := p.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if diff := jsonEqual(t, []byte(tc.input), out); diff != "" {
				t.Errorf("round trip differs (-input +output):\n%s", diff)
			}
			p2, err := ParsePresentation(out)
			if err != nil {
				t.Fatal(err)
			}
			out2, _ := p2.MarshalJSON()
			if !bytes.Equal(out, out2) {
				t.Errorf("second marshal differs:\n%s\n%s", out, out2)
			}
		})
	}
}

func TestPresentationBuiltInCode(t *testing.T) {
	p := &Presentation{
		Context:              []any{ContextV2},
		Type:                 []string{TypeVerifiablePresentation},
		Holder:               Party{ID: "did:example:holder"},
		VerifiableCredential: []json.RawMessage{json.RawMessage(minimalV2)},
	}
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := jsonEqual(t, []byte(minimalVP), out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(string(out), `"verifiableCredential":[{`) {
		t.Errorf("one credential is not written as an array: %s", out)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
	var nilP *Presentation
	if b, err := nilP.MarshalJSON(); err != nil || string(b) != "null" {
		t.Errorf("nil: %s, %v", b, err)
	}
	p.Extra = map[string]json.RawMessage{"holder": json.RawMessage(`"x"`)}
	if _, err := p.MarshalJSON(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Extra owning holder: got %v, want ErrMalformed", err)
	}
	p.Extra = nil
	p.VerifiableCredential = []json.RawMessage{json.RawMessage(`{`)}
	if _, err := p.MarshalJSON(); !errors.Is(err, ErrMalformed) {
		t.Errorf("invalid credential bytes: got %v, want ErrMalformed", err)
	}
}

func TestPresentationValidateBuiltInCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		vc   json.RawMessage
		want error
		path string
	}{
		{"embedded", json.RawMessage(minimalV2), nil, ""},
		{"leading space", json.RawMessage("  " + minimalV2), nil, ""},
		{"duplicate names inside", json.RawMessage(`{"id":"urn:a","id":"urn:b"}`), ErrMalformed, "/verifiableCredential/0"},
		{"not JSON", json.RawMessage(`{"a"`), ErrMalformed, "/verifiableCredential/0"},
		{"number", json.RawMessage(`1`), ErrMalformed, "/verifiableCredential/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Presentation{
				Context:              []any{ContextV2},
				Type:                 []string{TypeVerifiablePresentation},
				VerifiableCredential: []json.RawMessage{tc.vc},
			}
			err := p.Validate()
			checkErr(t, err, tc.want)
			if tc.want != nil {
				checkPath(t, err, tc.path)
				var ve *VerifyError
				if errors.As(err, &ve); ve.Reason != ReasonDataModel {
					t.Errorf("Reason = %q, want %q", ve.Reason, ReasonDataModel)
				}
			}
		})
	}
}

func TestCompactJWS(t *testing.T) {
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln", true},
		{"eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.", true},
		{"eyJ.eyJ", false},
		{".eyJ.sig", false},
		{"eyJ..sig", false},
		{"eyJ.eyJ.si=g", false},
		{"eyJ.eyJ.sig~disclosure~", false},
		{"a.b.c.d.e", false},
	} {
		if got := compactJWS(tc.s); got != tc.ok {
			t.Errorf("compactJWS(%q) = %v, want %v", tc.s, got, tc.ok)
		}
	}
}
