package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/jsonx"
)

// sentinels lists every sentinel that parsing and validation may wrap.
var sentinels = []error{ErrMalformed, ErrTooLarge, ErrTooDeep, ErrInvalidType, ErrUnknownContext}

// checkErr fails unless err matches want (nil: no error) and, when it is an error, is a
// *VerifyError whose Err is exactly one of the data-model sentinels.
func checkErr(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got %v, want no error", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("got %T (%v), want a *VerifyError", err, err)
	}
	if !slices.Contains(sentinels, ve.Err) {
		t.Fatalf("VerifyError.Err = %v, want one of the data-model sentinels", ve.Err)
	}
}

// jsonEqual reports whether a and b are equal as JSON values.
func jsonEqual(t *testing.T, a, b []byte) string {
	t.Helper()
	va, err := jsonx.Decode(a, jsonx.Limits{})
	if err != nil {
		t.Fatalf("decoding %s: %v", a, err)
	}
	vb, err := jsonx.Decode(b, jsonx.Limits{})
	if err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return cmp.Diff(va, vb)
}

const minimalV2 = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
	`"issuer":"did:example:issuer","credentialSubject":{"id":"did:example:subject"}}`

func TestParseCredentialShapes(t *testing.T) {
	deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
	for _, tc := range []struct {
		name  string
		input string
		want  error
		path  string
	}{
		{"minimal", minimalV2, nil, ""},
		{"not an object", `["VerifiableCredential"]`, ErrMalformed, ""},
		{"not JSON", `{"type":`, ErrMalformed, ""},
		{"trailing data", minimalV2 + `{}`, ErrMalformed, ""},
		{"duplicate member", `{"id":"urn:a","id":"urn:b"}`, ErrMalformed, ""},
		{"duplicate member deep", `{"credentialSubject":{"a":1,"\u0061":2}}`, ErrMalformed, ""},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", ErrMalformed, ""},
		{"too deep", `{"credentialSubject":{"a":` + deep + `}}`, ErrTooDeep, ""},
		{"too large", `{"name":"` + strings.Repeat("a", 1<<20) + `"}`, ErrTooLarge, ""},
		{"context number", `{"@context":5}`, ErrMalformed, "/@context"},
		{"context entry null", `{"@context":["https://www.w3.org/ns/credentials/v2",null]}`, ErrMalformed, "/@context/1"},
		{"context entry array", `{"@context":[["x"]]}`, ErrMalformed, "/@context/0"},
		{"context string", `{"@context":"https://www.w3.org/ns/credentials/v2"}`, nil, ""},
		{"id number", `{"id":1}`, ErrMalformed, "/id"},
		{"id empty", `{"id":""}`, ErrMalformed, "/id"},
		{"id array", `{"id":["urn:a"]}`, ErrMalformed, "/id"},
		{"type object", `{"type":{}}`, ErrMalformed, "/type"},
		{"type entry number", `{"type":["VerifiableCredential",2]}`, ErrMalformed, "/type/1"},
		{"issuer null", `{"issuer":null}`, ErrMalformed, "/issuer"},
		{"issuer empty", `{"issuer":""}`, ErrMalformed, "/issuer"},
		{"issuer array", `{"issuer":["did:example:a"]}`, ErrMalformed, "/issuer"},
		{"issuer id null", `{"issuer":{"id":null}}`, ErrMalformed, "/issuer/id"},
		{"issuer object", `{"issuer":{"id":"did:example:a","name":"A"}}`, nil, ""},
		{"validFrom number", `{"validFrom":1700000000}`, ErrMalformed, "/validFrom"},
		{"validFrom text", `{"validFrom":"yesterday"}`, ErrMalformed, "/validFrom"},
		{"validFrom February 30", `{"validFrom":"2023-02-30T00:00:00Z"}`, ErrMalformed, "/validFrom"},
		{"validFrom no zone parses", `{"validFrom":"2023-02-28T00:00:00"}`, nil, ""},
		{"issuanceDate lower-case z", `{"issuanceDate":"2023-02-28T00:00:00z"}`, ErrMalformed, "/issuanceDate"},
		{"expirationDate offset 14:30", `{"expirationDate":"2023-02-28T00:00:00+14:30"}`, ErrMalformed, "/expirationDate"},
		{"subject string", `{"credentialSubject":"did:example:a"}`, ErrMalformed, "/credentialSubject"},
		{"subject entry string", `{"credentialSubject":[{"id":"did:example:a"},"x"]}`, ErrMalformed, "/credentialSubject/1"},
		{"subject id array", `{"credentialSubject":{"id":["did:example:a"]}}`, ErrMalformed, "/credentialSubject/id"},
		{"subject empty array", `{"credentialSubject":[]}`, nil, ""},
		{"status type number", `{"credentialStatus":{"type":2}}`, ErrMalformed, "/credentialStatus/type"},
		{"status type array", `{"credentialStatus":{"type":["A"]}}`, ErrMalformed, "/credentialStatus/type"},
		{"schema id number", `{"credentialSchema":[{"id":1}]}`, ErrMalformed, "/credentialSchema/0/id"},
		{"evidence type number", `{"evidence":{"type":1}}`, ErrMalformed, "/evidence/type"},
		{"evidence type array", `{"evidence":{"type":["A","B"]}}`, nil, ""},
		{"termsOfUse string", `{"termsOfUse":"x"}`, ErrMalformed, "/termsOfUse"},
		{"refreshService entry null", `{"refreshService":[null]}`, ErrMalformed, "/refreshService/0"},
		{"renderMethod object", `{"renderMethod":{"type":"SvgRenderingTemplate"}}`, nil, ""},
		{"proof string", `{"proof":"eyJ"}`, ErrMalformed, "/proof"},
		{"proof array of objects", `{"proof":[{"type":"A"},{"type":"B"}]}`, nil, ""},
		{"extra member of any shape", `{"x":[1,{"y":null}],"@id":"urn:x"}`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCredential([]byte(tc.input))
			checkErr(t, err, tc.want)
			if tc.want == nil {
				if c == nil {
					t.Fatal("nil credential without an error")
				}
				return
			}
			if c != nil {
				t.Error("a credential with an error")
			}
			var ve *VerifyError
			errors.As(err, &ve)
			if ve.Reason != ReasonMalformed {
				t.Errorf("Reason = %q, want %q", ve.Reason, ReasonMalformed)
			}
			if ve.Path != tc.path {
				t.Errorf("Path = %q, want %q", ve.Path, tc.path)
			}
		})
	}
}

func TestCredentialFields(t *testing.T) {
	input := `{
	  "@context": ["https://www.w3.org/ns/credentials/v2", {"ex": "https://example.org/#"}],
	  "id": "urn:uuid:1",
	  "type": "VerifiableCredential",
	  "issuer": {"id": "did:example:issuer", "name": "Issuer"},
	  "name": {"@value": "Name", "@language": "en"},
	  "validFrom": "2024-01-01T00:00:00.000Z",
	  "validUntil": "2025-01-01T00:00:00+01:00",
	  "credentialSubject": [{"id": "did:example:a", "age": 21}, {"claim": true}],
	  "credentialStatus": {"id": "https://example.org/status#1", "type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
	  "credentialSchema": [{"id": "https://example.org/schema", "type": "JsonSchema"}],
	  "evidence": {"type": ["Evidence"], "id": "urn:e"},
	  "proof": {"type": "DataIntegrityProof"},
	  "other": {"nested": [1, 2]}
	}`
	c, err := ParseCredential([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Context", c.Context, []any{ContextV2, map[string]any{"ex": "https://example.org/#"}}},
		{"ID", c.ID, "urn:uuid:1"},
		{"Type", c.Type, []string{"VerifiableCredential"}},
		{"Issuer.ID", c.Issuer.ID, "did:example:issuer"},
		{"Issuer.Extra", c.Issuer.Extra, map[string]json.RawMessage{"name": json.RawMessage(`"Issuer"`)}},
		{"Name", string(c.Name), `{"@value": "Name", "@language": "en"}`},
		{"ValidFrom", c.ValidFrom.Equal(from), true},
		{"ValidUntil", c.ValidUntil.Equal(until), true},
		{"Subjects", len(c.Subject), 2},
		{"Subject[0].ID", c.Subject[0].ID, "did:example:a"},
		{"Subject[0].Claims", c.Subject[0].Claims, map[string]json.RawMessage{"age": json.RawMessage(`21`)}},
		{"Subject[1].ID", c.Subject[1].ID, ""},
		{"Status", c.Status, []Status{{ID: "https://example.org/status#1", Type: "BitstringStatusListEntry",
			Extra: map[string]json.RawMessage{"statusPurpose": json.RawMessage(`"revocation"`)}}}},
		{"Schema", c.Schema, []Schema{{ID: "https://example.org/schema", Type: "JsonSchema"}}},
		{"Evidence.Type", c.Evidence[0].Type, []string{"Evidence"}},
		{"Evidence.ID", c.Evidence[0].ID, "urn:e"},
		{"Proof", string(c.Proof[0]), `{"type": "DataIntegrityProof"}`},
		{"Extra", string(c.Extra["other"]), `{"nested": [1, 2]}`},
		{"Version", c.Version(), V2},
	}
	for _, ch := range checks {
		if diff := cmp.Diff(ch.want, ch.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", ch.name, diff)
		}
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// roundTrip parses input and checks that MarshalJSON gives back an equal JSON value, and
// that marshalling is stable.
func roundTrip(t *testing.T, input string) []byte {
	t.Helper()
	c, err := ParseCredential([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := jsonEqual(t, []byte(input), out); diff != "" {
		t.Errorf("round trip differs (-input +output):\n%s", diff)
	}
	c2, err := ParseCredential(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, err := c2.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, out2) {
		t.Errorf("second marshal differs:\n%s\n%s", out, out2)
	}
	return out
}

func TestCredentialRoundTrip(t *testing.T) {
	for _, tc := range []struct{ name, input string }{
		{"minimal", minimalV2},
		{"single forms", `{"@context":"https://www.w3.org/ns/credentials/v2","type":"VerifiableCredential",` +
			`"issuer":"did:example:i","credentialSubject":{"id":"did:example:s"},"credentialStatus":{"type":"A"},` +
			`"credentialSchema":{"id":"urn:s","type":"JsonSchema"},"evidence":{"type":"E"},"termsOfUse":{"type":"T"},` +
			`"refreshService":{"type":"R"},"renderMethod":{"type":"M"},"proof":{"type":"P"}}`},
		{"array forms", `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
			`"issuer":{"id":"did:example:i"},"credentialSubject":[{"id":"did:example:s"}],"credentialStatus":[{"type":"A"}],` +
			`"credentialSchema":[{"id":"urn:s","type":"JsonSchema"}],"evidence":[{"type":["E"]}],"termsOfUse":[{"type":"T"}],` +
			`"refreshService":[{"type":"R"}],"renderMethod":[{"type":"M"}],"proof":[{"type":"P"}]}`},
		{"empty arrays", `{"@context":[],"type":[],"credentialSubject":[],"evidence":[{"type":[]}],"proof":[]}`},
		{"empty issuer object", `{"issuer":{}}`},
		{"times as written", `{"validFrom":"2024-01-01T00:00:00.000Z","validUntil":"2024-01-01T24:00:00+05:30",` +
			`"issuanceDate":"0000-01-01T00:00:00","expirationDate":"12345-06-07T08:09:10.123456789012Z"}`},
		{"inline context numbers", `{"@context":["https://www.w3.org/ns/credentials/v2",{"@version":1.1,"n":{"@id":"urn:n","x":1e400}}]}`},
		{"extra raw kept", `{"x":  [ 1 ,2.50, "\u00e9" ] ,"credentialSubject":{"deep":{"a":[{"b":null}]}}}`},
		{"escaped names", `{"credentialSubject":{"a\"b":1,"\u00e9":2},"\u0069d":"urn:x"}`},
		{"name and description", `{"name":[{"@value":"a","@language":"en"}],"description":"d"}`},
	} {
		t.Run(tc.name, func(t *testing.T) { roundTrip(t, tc.input) })
	}
}

func TestTimeTextKept(t *testing.T) {
	c, err := ParseCredential([]byte(`{"validFrom":"2024-01-01T00:00:00.000Z","validUntil":"2024-06-01T12:00:00-06:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := c.MarshalJSON()
	if want := `{"validFrom":"2024-01-01T00:00:00.000Z","validUntil":"2024-06-01T12:00:00-06:00"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	// The same instant in another zone, and a new time, are written afresh.
	utc := c.ValidUntil.UTC()
	c.ValidUntil = &utc
	later := c.ValidFrom.Add(time.Second)
	c.ValidFrom = &later
	out, _ = c.MarshalJSON()
	if want := `{"validFrom":"2024-01-01T00:00:01Z","validUntil":"2024-06-01T18:00:00Z"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

func TestMarshalBuiltInCode(t *testing.T) {
	from := time.Date(2024, 5, 6, 7, 8, 9, 500_000_000, time.FixedZone("", 2*3600))
	c := &Credential{
		Context: []any{ContextV2},
		Type:    []string{TypeVerifiableCredential},
		Issuer:  Party{ID: "did:example:issuer"},
		Subject: []Subject{{ID: "did:example:subject", Claims: map[string]json.RawMessage{
			"b": json.RawMessage(`2`), "a": json.RawMessage(`"x<y"`),
		}}},
		ValidFrom: &from,
		Status:    []Status{{Type: "BitstringStatusListEntry"}},
		Extra:     map[string]json.RawMessage{"z": json.RawMessage(`true`)},
	}
	out, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],` +
		`"issuer":"did:example:issuer","validFrom":"2024-05-06T07:08:09.5+02:00",` +
		`"credentialSubject":{"id":"did:example:subject","a":"x<y","b":2},` +
		`"credentialStatus":{"type":"BitstringStatusListEntry"},"z":true}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	// Through encoding/json too.
	wrapped, err := json.Marshal(struct{ C *Credential }{c})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wrapped), `"issuer":"did:example:issuer"`) {
		t.Errorf("json.Marshal: %s", wrapped)
	}
	// A subject given two values becomes an array; an issuer with members an object.
	c.Subject = append(c.Subject, Subject{ID: "did:example:other"})
	c.Issuer.Extra = map[string]json.RawMessage{"name": json.RawMessage(`"I"`)}
	out, _ = c.MarshalJSON()
	for _, s := range []string{`"credentialSubject":[{`, `"issuer":{"id":"did:example:issuer","name":"I"}`} {
		if !strings.Contains(string(out), s) {
			t.Errorf("%s does not contain %s", out, s)
		}
	}
}

func TestMarshalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Credential
		path string
	}{
		{"extra owns a typed member", Credential{Extra: map[string]json.RawMessage{"issuer": json.RawMessage(`"x"`)}}, "/issuer"},
		{"extra not JSON", Credential{Extra: map[string]json.RawMessage{"x": json.RawMessage(`{`)}}, "/x"},
		{"extra empty", Credential{Extra: map[string]json.RawMessage{"x": nil}}, "/x"},
		{"claims own id", Credential{Subject: []Subject{{Claims: map[string]json.RawMessage{"id": json.RawMessage(`"x"`)}}}}, "/credentialSubject/id"},
		{"status extra owns type", Credential{Status: []Status{{Extra: map[string]json.RawMessage{"type": json.RawMessage(`"x"`)}}}}, "/credentialStatus/type"},
		{"issuer extra owns id", Credential{Issuer: Party{Extra: map[string]json.RawMessage{"id": json.RawMessage(`"x"`)}}}, "/issuer/id"},
		{"name not JSON", Credential{Name: json.RawMessage(`"x`)}, "/name"},
		{"proof not JSON", Credential{Proof: []json.RawMessage{json.RawMessage(`{"a"}`)}}, "/proof"},
		{"context not JSON-able", Credential{Context: []any{func() {}}}, "/@context/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.c.MarshalJSON()
			checkErr(t, err, ErrMalformed)
			if out != nil {
				t.Errorf("output %s with an error", out)
			}
			var ve *VerifyError
			if errors.As(err, &ve); ve.Path != tc.path {
				t.Errorf("Path = %q, want %q", ve.Path, tc.path)
			}
		})
	}
}

func TestUnmarshalJSON(t *testing.T) {
	var holder struct {
		C *Credential `json:"c"`
	}
	if err := json.Unmarshal([]byte(`{"c":`+minimalV2+`}`), &holder); err != nil {
		t.Fatal(err)
	}
	if holder.C.Issuer.ID != "did:example:issuer" {
		t.Errorf("Issuer = %q", holder.C.Issuer.ID)
	}
	// encoding/json accepts duplicate names; the Credential does not.
	err := json.Unmarshal([]byte(`{"c":{"id":"urn:a","id":"urn:b"}}`), &holder)
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("got %v, want ErrMalformed", err)
	}
	// A failed UnmarshalJSON leaves the target as it was.
	c := *holder.C
	if err := c.UnmarshalJSON([]byte(`{"id":1}`)); err == nil {
		t.Fatal("no error")
	}
	if c.Issuer.ID != "did:example:issuer" {
		t.Error("UnmarshalJSON changed the target on error")
	}
	// The input buffer may be reused by the caller.
	buf := []byte(`{"x":"abc"}`)
	c2, err := ParseCredential(buf)
	if err != nil {
		t.Fatal(err)
	}
	copy(buf, `{"x":"zzz"}`)
	if string(c2.Extra["x"]) != `"abc"` {
		t.Errorf("Extra aliases the input: %s", c2.Extra["x"])
	}
}

func TestMap(t *testing.T) {
	c, err := ParseCredential([]byte(`{"credentialSubject":{"id":"did:example:a","age":21,"big":12345678901234567890},"validFrom":"2024-01-01T00:00:00.000Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"credentialSubject": map[string]any{"id": "did:example:a", "age": json.Number("21"), "big": json.Number("12345678901234567890")},
		"validFrom":         "2024-01-01T00:00:00.000Z",
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	bad := &Credential{Extra: map[string]json.RawMessage{"id": json.RawMessage(`"x"`)}}
	if _, err := bad.Map(); !errors.Is(err, ErrMalformed) {
		t.Errorf("got %v, want ErrMalformed", err)
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		context []any
		want    Version
		name    string
	}{
		{[]any{ContextV2}, V2, "VCDM 2.0"},
		{[]any{ContextV1, "https://www.w3.org/2018/credentials/examples/v1"}, V1, "VCDM 1.1"},
		{[]any{"https://www.w3.org/ns/credentials/examples/v2", ContextV2}, 0, "unknown"},
		{[]any{map[string]any{}}, 0, "unknown"},
		{nil, 0, "unknown"},
	} {
		c := Credential{Context: tc.context}
		p := Presentation{Context: tc.context}
		if c.Version() != tc.want || p.Version() != tc.want {
			t.Errorf("%v: got %v/%v, want %v", tc.context, c.Version(), p.Version(), tc.want)
		}
		if tc.want.String() != tc.name {
			t.Errorf("%d.String() = %q, want %q", tc.want, tc.want.String(), tc.name)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		ok   bool
		zone bool
		want time.Time
	}{
		{"2023-02-26T01:02:58.447Z", true, true, time.Date(2023, 2, 26, 1, 2, 58, 447_000_000, time.UTC)},
		{"2023-02-25T19:10:39-06:00", true, true, time.Date(2023, 2, 26, 1, 10, 39, 0, time.UTC)},
		{"2023-02-25T19:10:39+14:00", true, true, time.Date(2023, 2, 25, 5, 10, 39, 0, time.UTC)},
		{"2023-02-25T19:10:39-00:00", true, true, time.Date(2023, 2, 25, 19, 10, 39, 0, time.UTC)},
		{"2023-02-25T19:10:39", true, false, time.Date(2023, 2, 25, 19, 10, 39, 0, time.UTC)},
		{"2024-02-29T00:00:00Z", true, true, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2000-02-29T00:00:00Z", true, true, time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"2023-12-31T24:00:00Z", true, true, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2023-12-31T24:00:00.000Z", true, true, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"4023-02-26T01:02:58.447Z", true, true, time.Date(4023, 2, 26, 1, 2, 58, 447_000_000, time.UTC)},
		{"12023-02-26T01:02:58Z", true, true, time.Date(12023, 2, 26, 1, 2, 58, 0, time.UTC)},
		{"-0044-03-15T12:00:00Z", true, true, time.Date(-44, 3, 15, 12, 0, 0, 0, time.UTC)},
		{"0000-01-01T00:00:00Z", true, true, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2023-01-01T00:00:00.1234567891Z", true, true, time.Date(2023, 1, 1, 0, 0, 0, 123456789, time.UTC)},
		{"1900-02-29T00:00:00Z", false, false, time.Time{}},
		{"2023-02-29T00:00:00Z", false, false, time.Time{}},
		{"2023-04-31T00:00:00Z", false, false, time.Time{}},
		{"2023-13-01T00:00:00Z", false, false, time.Time{}},
		{"2023-00-01T00:00:00Z", false, false, time.Time{}},
		{"2023-01-00T00:00:00Z", false, false, time.Time{}},
		{"2023-01-01T24:00:01Z", false, false, time.Time{}},
		{"2023-01-01T24:00:00.1Z", false, false, time.Time{}},
		{"2023-01-01T23:60:00Z", false, false, time.Time{}},
		{"2023-01-01T23:59:60Z", false, false, time.Time{}},
		{"2023-01-01T23:59:59.Z", false, false, time.Time{}},
		{"2023-01-01T23:59:59+15:00", false, false, time.Time{}},
		{"2023-01-01T23:59:59+14:01", false, false, time.Time{}},
		{"2023-01-01T23:59:59+0100", false, false, time.Time{}},
		{"2023-01-01t23:59:59Z", false, false, time.Time{}},
		{"2023-01-01 23:59:59Z", false, false, time.Time{}},
		{"02023-01-01T00:00:00Z", false, false, time.Time{}},
		{"999-01-01T00:00:00Z", false, false, time.Time{}},
		{"1234567890-01-01T00:00:00Z", false, false, time.Time{}},
		{"2023-01-01", false, false, time.Time{}},
		{"2023-1-01T00:00:00Z", false, false, time.Time{}},
		{"Sun, 26 Feb 2023 01:22:14 +0000", false, false, time.Time{}},
		{"", false, false, time.Time{}},
	} {
		got, zone, ok := parseDateTime(tc.in)
		if ok != tc.ok || zone != tc.zone || !got.Equal(tc.want) {
			t.Errorf("parseDateTime(%q) = %v, %v, %v; want %v, %v, %v", tc.in, got, zone, ok, tc.want, tc.zone, tc.ok)
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02T03:04:05Z"},
		{time.Date(2024, 1, 2, 3, 4, 5, 120_000_000, time.FixedZone("", -5*3600)), "2024-01-02T03:04:05.12-05:00"},
		{time.Date(12024, 1, 2, 3, 4, 5, 0, time.UTC), "12024-01-02T03:04:05Z"},
		{time.Date(-5, 1, 2, 3, 4, 5, 0, time.UTC), "-0005-01-02T03:04:05Z"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("LMT", 3600+30)), "2024-01-02T02:03:35Z"},
		{time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 15*3600)), "2024-01-01T12:04:05Z"},
	} {
		got := formatDateTime(tc.t)
		if got != tc.want {
			t.Errorf("formatDateTime(%v) = %q, want %q", tc.t, got, tc.want)
		}
		back, _, ok := parseDateTime(got)
		if !ok || !back.Equal(tc.t) {
			t.Errorf("parseDateTime(%q) = %v, %v; want %v", got, back, ok, tc.t)
		}
	}
}

func TestIsURL(t *testing.T) {
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{"https://example.org/credentials/1", true},
		{"did:example:123", true},
		{"urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008", true},
		{"data:application/vc+jwt,eyJ", true},
		{"https://example.org/%C3%A9", true},
		{"https://例え.jp/パス", true},
		{"http://[::1]:8080/x", true},
		{"mailto:a@example.org", true},
		{"https ://not-a-url/x", false},
		{"fake-issuer", false},
		{"z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj", false},
		{"did:", false},
		{":x", false},
		{"1http://x", false},
		{"https://", false},
		{"https:/x", false},
		{"https://:80/x", false},
		{"https://example.org/a b", false},
		{"https://example.org/<x>", false},
		{"https://example.org/%zz", false},
		{"https://example.org/%4", false},
		{"https://example.org/\u0085", false},
		{"did:example:\t1", false},
		{"", false},
	} {
		if got := isURL(tc.s); got != tc.ok {
			t.Errorf("isURL(%q) = %v, want %v", tc.s, got, tc.ok)
		}
	}
}

func TestVerifyError(t *testing.T) {
	err := error(&VerifyError{Reason: ReasonDataModel, Path: "/credentialSubject/0/id", Err: ErrMalformed, detail: "a subject id must be a URL"})
	if want := "vc: data model at /credentialSubject/0/id: a subject id must be a URL: credence: malformed input"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, ErrMalformed) || errors.Is(err, ErrInvalidType) {
		t.Error("errors.Is does not follow Err")
	}
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Path != "/credentialSubject/0/id" {
		t.Error("errors.As")
	}
	if got := (&VerifyError{Reason: ReasonTime, Err: ErrExpired}).Error(); got != "vc: time: credence: expired" {
		t.Errorf("Error() = %q", got)
	}
}

// TestSentinelsReexported checks that errors.go re-exports every shared sentinel of
// internal/errs under its own name.
func TestSentinelsReexported(t *testing.T) {
	shared := declaredErrs(t, filepath.Join("..", "internal", "errs", "errs.go"), "")
	ours := declaredErrs(t, "errors.go", "errs")
	if len(shared) == 0 {
		t.Fatal("no sentinels found in internal/errs")
	}
	for name := range shared {
		if ours[name] != name {
			t.Errorf("vc.%s is not errs.%s", name, name)
		}
	}
}

// declaredErrs returns the Err* variables of a file: name -> the errs.X it is assigned
// (when pkg is set), or name -> name.
func declaredErrs(t *testing.T, file, pkg string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			if !strings.HasPrefix(id.Name, "Err") {
				continue
			}
			if pkg == "" {
				out[id.Name] = id.Name
				continue
			}
			if sel, ok := vs.Values[i].(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == pkg {
					out[id.Name] = sel.Sel.Name
				}
			}
		}
		return true
	})
	return out
}

// A case file in testdata/cases holds a list of cases: a credential or presentation, the
// sentinel expected (empty: valid) and the JSON Pointer of the failure.
type testCase struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Kind        string          `json:"kind"` // "credential" or "presentation"
	Input       json.RawMessage `json:"input"`
	Want        string          `json:"want"`
	Path        string          `json:"path"`
}

var sentinelNames = map[string]error{
	"":                  nil,
	"ErrMalformed":      ErrMalformed,
	"ErrTooLarge":       ErrTooLarge,
	"ErrTooDeep":        ErrTooDeep,
	"ErrInvalidType":    ErrInvalidType,
	"ErrUnknownContext": ErrUnknownContext,
}

func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files (%v)", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []testCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, tc := range cases {
			t.Run(filepath.Base(file)+"/"+tc.Name, func(t *testing.T) {
				want, ok := sentinelNames[tc.Want]
				if !ok {
					t.Fatalf("unknown sentinel %q", tc.Want)
				}
				var err error
				switch tc.Kind {
				case "credential":
					err = parseAndValidateCredential(tc.Input)
				case "presentation":
					err = parseAndValidatePresentation(tc.Input)
				default:
					t.Fatalf("unknown kind %q", tc.Kind)
				}
				checkErr(t, err, want)
				if want != nil {
					var ve *VerifyError
					if errors.As(err, &ve); ve.Path != tc.Path {
						t.Errorf("Path = %q, want %q (%v)", ve.Path, tc.Path, err)
					}
				}
			})
		}
	}
}

func parseAndValidateCredential(data []byte) error {
	c, err := ParseCredential(data)
	if err != nil {
		return err
	}
	return c.Validate()
}

func parseAndValidatePresentation(data []byte) error {
	p, err := ParsePresentation(data)
	if err != nil {
		return err
	}
	return p.Validate()
}
