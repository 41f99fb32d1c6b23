package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Seeds beyond the corpus in testdata/fuzz: small credentials of the shapes the VC DM 2.0
// suite exercises (contexts, names, times, subjects, typed objects).
var credentialSeeds = []string{
	minimalV2,
	`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential","issuer":{"id":"did:example:i","name":{"@value":"I","@language":"en"}},"credentialSubject":[{"id":"did:example:a"},{"n":1}]}`,
	`{"@context":["https://www.w3.org/ns/credentials/v2",{"@protected":true,"T":"https://example.org/#T"},{"T":null}],"type":["VerifiableCredential","T"]}`,
	`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:i","issuanceDate":"2010-01-01T00:00:00","expirationDate":"2030-01-01T24:00:00Z","credentialSubject":{"id":"did:example:s"}}`,
	`{"validFrom":"-0044-03-15T12:00:00.000+14:00","validUntil":"12345-01-01T00:00:00Z","credentialStatus":[{"type":"A","id":"urn:s"}],"credentialSchema":{"id":"urn:x","type":"JsonSchema"}}`,
	`{"evidence":[{"type":["E"]},{"type":"F","id":"urn:e"}],"termsOfUse":{"type":"T"},"refreshService":[],"renderMethod":{"type":[]},"proof":[{"type":"P"}]}`,
	`{"name":[{"@value":"a","@language":"en","@direction":"ltr"},"b"],"description":{"@value":"d"},"relatedResource":{"id":"urn:r","digestSRI":"sha384-x"}}`,
	`{"@context":["https://www.w3.org/ns/credentials/v2",{"@vocab":null,"@version":1.1,"x":{"@id":"https ://x","@type":"@id"}}],"type":["VerifiableCredential","x"]}`,
}

var presentationSeeds = []string{
	minimalVP,
	`{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiablePresentation","holder":{"id":"did:example:h"},"verifiableCredential":{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vc+jwt,eyJ.eyJ.s","type":"EnvelopedVerifiableCredential"}}`,
	`{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],"verifiableCredential":["eyJ.eyJ.s",{"type":[]}],"proof":{"type":"P"}}`,
}

// fuzzSentinels are the sentinels a parse or validation error may wrap.
var fuzzSentinels = []error{ErrMalformed, ErrTooLarge, ErrTooDeep, ErrInvalidType, ErrUnknownContext}

// checkFuzzErr fails unless err is a *VerifyError whose Err is one of the sentinels.
func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) || !slices.Contains(fuzzSentinels, ve.Err) {
		t.Fatalf("error %v (%T) is not a *VerifyError wrapping a sentinel", err, err)
	}
}

// cmpModel compares parsed values: raw JSON by value, times by instant and offset.
var cmpModel = cmp.Options{
	cmpopts.IgnoreUnexported(Credential{}, Presentation{}, Party{}, TypedObject{}),
	cmp.Comparer(func(a, b json.RawMessage) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		va, errA := jsonx.Decode(a, jsonx.Limits{})
		vb, errB := jsonx.Decode(b, jsonx.Limits{})
		return errA == nil && errB == nil && cmp.Equal(va, vb)
	}),
	cmp.Comparer(func(a, b time.Time) bool {
		_, oa := a.Zone()
		_, ob := b.Zone()
		return a.Equal(b) && oa == ob
	}),
}

// sameResult reports whether two validation results agree on the failure.
func sameResult(a, b error) bool {
	var va, vb *VerifyError
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return errors.As(a, &va) && errors.As(b, &vb) && va.Err == vb.Err && va.Path == vb.Path
}

// FuzzParseCredential checks that ParseCredential never panics, that every error wraps a
// sentinel, and that an accepted credential marshals to JSON equal to the input, which
// parses to an equal credential that marshals to the same bytes and validates alike.
func FuzzParseCredential(f *testing.F) {
	for _, s := range credentialSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredential(data)
		if err != nil {
			checkFuzzErr(t, err)
			if c != nil {
				t.Fatal("a credential with an error")
			}
			return
		}
		verr := c.Validate()
		if verr != nil {
			checkFuzzErr(t, verr)
		}
		out, err := c.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		in, _ := jsonx.Decode(data, jsonx.Limits{})
		got, err := jsonx.Decode(out, jsonx.Limits{MaxBytes: 2 * jsonx.DefaultMaxBytes})
		if err != nil {
			t.Fatalf("MarshalJSON wrote invalid JSON: %v\n%s", err, out)
		}
		if diff := cmp.Diff(in, got); diff != "" {
			t.Fatalf("round trip differs (-input +output):\n%s", diff)
		}
		c2, err := ParseCredential(out)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, out)
		}
		if diff := cmp.Diff(c, c2, cmpModel); diff != "" {
			t.Fatalf("re-parsed credential differs (-first +second):\n%s", diff)
		}
		out2, err := c2.MarshalJSON()
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second marshal differs (%v):\n%s\n%s", err, out, out2)
		}
		if !sameResult(verr, c2.Validate()) {
			t.Fatalf("validation differs after a round trip: %v, then %v", verr, c2.Validate())
		}
		if _, err := c.Map(); err != nil {
			t.Fatalf("Map: %v", err)
		}
	})
}

// FuzzParsePresentation checks the same properties for presentations.
func FuzzParsePresentation(f *testing.F) {
	for _, s := range presentationSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePresentation(data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		verr := p.Validate()
		if verr != nil {
			checkFuzzErr(t, verr)
		}
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		in, _ := jsonx.Decode(data, jsonx.Limits{})
		got, err := jsonx.Decode(out, jsonx.Limits{MaxBytes: 2 * jsonx.DefaultMaxBytes})
		if err != nil {
			t.Fatalf("MarshalJSON wrote invalid JSON: %v\n%s", err, out)
		}
		if diff := cmp.Diff(in, got); diff != "" {
			t.Fatalf("round trip differs (-input +output):\n%s", diff)
		}
		p2, err := ParsePresentation(out)
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		if diff := cmp.Diff(p, p2, cmpModel); diff != "" {
			t.Fatalf("re-parsed presentation differs (-first +second):\n%s", diff)
		}
		if !sameResult(verr, p2.Validate()) {
			t.Fatalf("validation differs after a round trip: %v, then %v", verr, p2.Validate())
		}
	})
}
