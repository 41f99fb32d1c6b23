package did

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestResolutionJSON(t *testing.T) {
	in := `{
		"didDocument": {"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:example:1"},
		"didDocumentMetadata": {
			"created": "2019-03-23T06:35:22Z",
			"updated": "2023-08-10T13:40:06+02:00",
			"deactivated": false,
			"versionId": "3",
			"equivalentId": ["did:example:alias"],
			"canonicalId": "did:example:canon",
			"nextUpdate": "2030-01-01T00:00:00Z"
		},
		"didResolutionMetadata": {"contentType": "application/did+ld+json", "retrieved": "now"}
	}`
	var res Resolution
	if err := json.Unmarshal([]byte(in), &res); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2019, 3, 23, 6, 35, 22, 0, time.UTC)
	if res.Document == nil || res.Document.ID != "did:example:1" {
		t.Fatalf("document = %+v", res.Document)
	}
	m := res.DocumentMetadata
	if !m.Created.Equal(created) || m.Updated.UTC().Hour() != 11 || m.Deactivated || m.VersionID != "3" ||
		m.CanonicalID != "did:example:canon" || len(m.EquivalentID) != 1 || string(m.Extra["nextUpdate"]) != `"2030-01-01T00:00:00Z"` {
		t.Errorf("document metadata = %+v", m)
	}
	if res.ResolutionMetadata.ContentType != "application/did+ld+json" || string(res.ResolutionMetadata.Extra["retrieved"]) != `"now"` {
		t.Errorf("resolution metadata = %+v", res.ResolutionMetadata)
	}
	out, err := json.Marshal(&res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
		"didDocument": {"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:example:1"},
		"didDocumentMetadata": {
			"created": "2019-03-23T06:35:22Z",
			"updated": "2023-08-10T11:40:06Z",
			"versionId": "3",
			"equivalentId": ["did:example:alias"],
			"canonicalId": "did:example:canon",
			"nextUpdate": "2030-01-01T00:00:00Z"
		},
		"didResolutionMetadata": {"contentType": "application/did+ld+json", "retrieved": "now"}
	}`
	if diff := cmp.Diff(jsonValue(t, []byte(want)), jsonValue(t, out)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	deact, err := json.Marshal(DocumentMetadata{Deactivated: true})
	if err != nil || string(deact) != `{"deactivated":true}` {
		t.Errorf("deactivated = %s, %v", deact, err)
	}
	errMeta, err := json.Marshal(ResolutionMetadata{Error: CodeNotFound})
	if err != nil || string(errMeta) != `{"error":"notFound"}` {
		t.Errorf("error metadata = %s, %v", errMeta, err)
	}
}

func TestMetadataInvalid(t *testing.T) {
	for _, in := range []string{
		`{"created": 1}`, `{"created": "yesterday"}`, `{"deactivated": "true"}`,
		`{"equivalentId": "did:example:1"}`, `{"versionId": null}`, `[]`, `{`,
	} {
		var m DocumentMetadata
		if err := m.UnmarshalJSON([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("DocumentMetadata %s: error = %v, want %v", in, err, ErrMalformed)
		}
	}
	for _, in := range []string{`{"error": 1}`, `{"contentType": []}`, `"x"`} {
		var m ResolutionMetadata
		if err := m.UnmarshalJSON([]byte(in)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ResolutionMetadata %s: error = %v, want %v", in, err, ErrMalformed)
		}
	}
	if _, err := json.Marshal(DocumentMetadata{Extra: map[string]json.RawMessage{"created": json.RawMessage(`1`)}}); !errors.Is(err, ErrInvalidDIDDocument) {
		t.Errorf("Extra shadowing created: error = %v", err)
	}
}

func TestResolutionError(t *testing.T) {
	e := NewResolutionError(CodeNotFound, "did:example:1", nil)
	if !errors.Is(e, ErrNotFound) {
		t.Errorf("NewResolutionError with nil err does not wrap %v", ErrNotFound)
	}
	if (&ResolutionError{Code: CodeInternalError, DID: "x"}).Error() == "" {
		t.Error("empty message")
	}
	for code, want := range map[string]error{
		CodeInvalidDID: ErrInvalidDID, CodeInvalidDIDURL: ErrInvalidDIDURL, CodeMethodNotSupported: ErrMethodNotSupported,
		CodeInvalidDIDDocument: ErrInvalidDIDDocument, CodeInvalidPublicKey: ErrInvalidKey,
		CodeUnsupportedPublicKeyType: ErrUnsupportedKeyType, CodeDeactivated: ErrDeactivated, CodeInternalError: ErrResolutionFailed,
	} {
		if err := NewResolutionError(code, "", nil); !errors.Is(err, want) {
			t.Errorf("code %s: error = %v, want %v", code, err, want)
		}
		if got := codeFor(want); code != CodeInternalError && got != code {
			t.Errorf("codeFor(%v) = %s, want %s", want, got, code)
		}
	}
}
