package schema

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
)

const (
	emailURL  = "https://example.com/schemas/email.json"
	personURL = "https://example.com/schemas/person.json"
	nameURL   = "https://example.com/schemas/name.json"
	scURL     = "https://example.com/credentials/3734"
)

var personSchemas = map[string]string{personURL: "person.json", nameURL: "name.json"}

func TestValidate(t *testing.T) {
	signer := newTestSigner()
	sc := signer.sign(readTestdata(t, "credentials/schema-credential.json"))
	tests := []struct {
		name       string
		credential string
		schemas    map[string]string
		creds      map[string][]byte // schema credentials for the Registry
		opts       func(*Options)
		want       error
		keyword    string // first failure's keyword, for ErrSchemaValidation
		location   string // first failure's instance location
	}{
		{name: "2020-12 valid", credential: "email-ok.json", schemas: map[string]string{emailURL: "email-2020-12.json"}},
		{name: "2019-09 valid", credential: "email-ok.json", schemas: map[string]string{emailURL: "email-2019-09.json"}},
		{name: "draft-07 valid", credential: "email-ok.json", schemas: map[string]string{emailURL: "email-draft-07.json"}},
		{name: "2020-12 format", credential: "email-not-email.json", schemas: map[string]string{emailURL: "email-2020-12.json"},
			want: ErrSchemaValidation, keyword: "format", location: "/credentialSubject/emailAddress"},
		{name: "2019-09 format", credential: "email-not-email.json", schemas: map[string]string{emailURL: "email-2019-09.json"},
			want: ErrSchemaValidation, keyword: "format", location: "/credentialSubject/emailAddress"},
		{name: "draft-07 format", credential: "email-not-email.json", schemas: map[string]string{emailURL: "email-draft-07.json"},
			want: ErrSchemaValidation, keyword: "format", location: "/credentialSubject/emailAddress"},
		{name: "required", credential: "email-missing.json", schemas: map[string]string{emailURL: "email-2020-12.json"},
			want: ErrSchemaValidation, keyword: "required", location: "/credentialSubject"},
		{name: "type", credential: "email-number.json", schemas: map[string]string{emailURL: "email-draft-07.json"},
			want: ErrSchemaValidation, keyword: "type", location: "/credentialSubject/emailAddress"},

		{name: "person valid, $ref between registered schemas", credential: "person-ok.json", schemas: personSchemas},
		{name: "minimum", credential: "person-minimum.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "minimum", location: "/credentialSubject/age"},
		{name: "integer", credential: "person-integer.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "type", location: "/credentialSubject/age"},
		{name: "enum", credential: "person-enum.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "enum", location: "/credentialSubject/country"},
		{name: "pattern", credential: "person-pattern.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "pattern", location: "/credentialSubject/code"},
		{name: "minLength through $ref", credential: "person-min-length.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "minLength", location: "/credentialSubject/name"},
		{name: "additionalProperties", credential: "person-additional.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "additionalProperties", location: "/credentialSubject/address"},
		{name: "required member", credential: "person-required.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "required", location: "/credentialSubject"},
		{name: "contains", credential: "person-contains.json", schemas: personSchemas,
			want: ErrSchemaValidation, keyword: "contains", location: "/type"},
		{name: "second of two schemas fails", credential: "two-schemas.json",
			schemas: map[string]string{emailURL: "email-2020-12.json", personURL: "person.json", nameURL: "name.json"},
			want:    ErrSchemaValidation, keyword: "required", location: "/credentialSubject"},
		{name: "$ref to a schema not registered is missing", credential: "person-ok.json", schemas: map[string]string{personURL: "person.json"},
			want: ErrRemoteReference},

		{name: "JsonSchemaCredential valid", credential: "sc-ok.json", creds: map[string][]byte{scURL: sc},
			opts: func(o *Options) { o.VerifyCredential = signer.verify }},
		{name: "JsonSchemaCredential, credential invalid", credential: "sc-invalid.json", creds: map[string][]byte{scURL: sc},
			opts: func(o *Options) { o.VerifyCredential = signer.verify },
			want: ErrSchemaValidation, keyword: "format", location: "/credentialSubject/emailAddress"},
		{name: "JsonSchemaCredential tampered", credential: "sc-ok.json", creds: map[string][]byte{scURL: tamper(sc)},
			opts: func(o *Options) { o.VerifyCredential = signer.verify }, want: errs.ErrInvalidSignature},
		{name: "JsonSchemaCredential without callback", credential: "sc-ok.json", creds: map[string][]byte{scURL: sc},
			want: ErrUnsupportedSchema},
		{name: "JsonSchemaCredential unknown", credential: "sc-ok.json",
			opts: func(o *Options) { o.VerifyCredential = signer.verify }, want: ErrSchemaRetrieval},

		{name: "remote $ref refused", credential: "remote-ref.json", schemas: map[string]string{"https://example.com/schemas/remote.json": "remote-ref.json"},
			want: ErrRemoteReference},
		{name: "remote $ref refused with a Fetcher but not allowed", credential: "remote-ref.json",
			schemas: map[string]string{"https://example.com/schemas/remote.json": "remote-ref.json"},
			opts:    func(o *Options) { o.Fetch = subjectFetcher(t) }, want: ErrRemoteReference},
		{name: "remote $ref allowed", credential: "remote-ref.json",
			schemas: map[string]string{"https://example.com/schemas/remote.json": "remote-ref.json"},
			opts:    func(o *Options) { o.Fetch = subjectFetcher(t); o.AllowRemoteReferences = true }},
		{name: "file $ref refused even when remote references are allowed", credential: "file-ref.json",
			schemas: map[string]string{"https://example.com/schemas/file.json": "file-ref.json"},
			opts:    func(o *Options) { o.Fetch = subjectFetcher(t); o.AllowRemoteReferences = true }, want: ErrRemoteReference},
		{name: "unknown schema refused", credential: "unknown-schema.json", schemas: map[string]string{emailURL: "email-2020-12.json"},
			want: ErrSchemaRetrieval},
		{name: "unknown schema not found by the Fetcher", credential: "unknown-schema.json",
			opts: func(o *Options) { o.Fetch = subjectFetcher(t) }, want: ErrSchemaRetrieval},
		{name: "other credentialSchema type is indeterminate", credential: "other-type.json", schemas: map[string]string{emailURL: "email-2020-12.json"},
			want: ErrUnsupportedSchema},
		{name: "amplifying schema refused", credential: "amplify.json",
			schemas: map[string]string{"https://example.com/schemas/amplify.json": "amplify.json"}, want: ErrTooLarge},
		{name: "amplifying recursive schema refused", credential: "deep-amplify.json",
			schemas: map[string]string{"https://example.com/schemas/deep-amplify.json": "deep-amplify.json"}, want: ErrTooLarge},
		{name: "recursive schema accepted", credential: "tree.json",
			schemas: map[string]string{"https://example.com/schemas/tree.json": "tree.json"}},
		{name: "credential over the size limit", credential: "email-ok.json", schemas: map[string]string{emailURL: "email-2020-12.json"},
			opts: func(o *Options) { o.MaxCredentialBytes = 100 }, want: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := registry(t, tt.schemas)
			for u, raw := range tt.creds {
				if err := reg.AddCredential(u, raw); err != nil {
					t.Fatal(err)
				}
			}
			opts := Options{Registry: reg}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			v, err := NewValidator(opts)
			if err != nil {
				t.Fatal(err)
			}
			cred := readTestdata(t, "credentials/"+tt.credential)
			err = v.Validate(t.Context(), cred)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Validate: got %v, want %v", err, tt.want)
			}
			if tt.keyword == "" {
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Failures) == 0 {
				t.Fatalf("got %v, want a *ValidationError with failures", err)
			}
			found := false
			for _, f := range ve.Failures {
				found = found || (f.Keyword == tt.keyword && f.InstanceLocation == tt.location)
			}
			if !found {
				t.Errorf("failures %+v, want %s at %s", ve.Failures, tt.keyword, tt.location)
			}
			checkNoValues(t, err, cred)
		})
	}
}

// checkNoValues fails if the error message quotes a string value of the credential
// subject other than its id.
func checkNoValues(t *testing.T, err error, cred []byte) {
	t.Helper()
	for _, secret := range []string{"not an email", "subject@example.com", "Alice Example", "ab1234", "1234 AB", "US", "17", "18.5"} {
		if bytes.Contains(cred, []byte(secret)) && strings.Contains(err.Error(), secret) {
			t.Errorf("error %q quotes the credential value %q", err, secret)
		}
	}
}

// tamper changes the schema in a signed schema credential without re-signing it.
func tamper(raw []byte) []byte {
	p, sig, _ := bytes.Cut(raw, []byte("."))
	payload, _ := base64.RawURLEncoding.DecodeString(string(p))
	payload = bytes.Replace(payload, []byte(`"format": "email"`), []byte(`"format": "date"`), 1)
	return []byte(base64.RawURLEncoding.EncodeToString(payload) + "." + string(sig))
}

func subjectFetcher(t *testing.T) *mapFetcher {
	return &mapFetcher{bodies: map[string][]byte{"https://schemas.example.org/subject.json": readTestdata(t, "schemas/subject.json")}}
}

func TestRegistryAdd(t *testing.T) {
	big := []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","description":"` + strings.Repeat("x", DefaultMaxSchemaBytes) + `"}`)
	tests := []struct {
		name   string
		url    string
		schema []byte
		want   error
	}{
		{"2020-12", emailURL, readTestdata(t, "schemas/email-2020-12.json"), nil},
		{"2019-09", emailURL, readTestdata(t, "schemas/email-2019-09.json"), nil},
		{"draft-07", emailURL, readTestdata(t, "schemas/email-draft-07.json"), nil},
		{"draft-04", emailURL, readTestdata(t, "schemas/email-draft-04.json"), ErrUnsupportedSchema},
		{"no $schema", emailURL, readTestdata(t, "schemas/email-no-dialect.json"), ErrUnsupportedSchema},
		{"boolean schema", emailURL, []byte(`true`), ErrUnsupportedSchema},
		{"$schema not a string", emailURL, []byte(`{"$schema":1}`), ErrMalformed},
		{"oversized", emailURL, big, ErrTooLarge},
		{"duplicate member", emailURL, []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","type":"string"}`), ErrMalformed},
		{"too deep", emailURL, []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","x":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`), ErrTooDeep},
		{"huge exponent", emailURL, []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","maximum":1e9999999}`), ErrTooLarge},
		{"tiny multipleOf", emailURL, []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","multipleOf":1e-9999999}`), ErrTooLarge},
		{"long number", emailURL, []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","maximum":1` + strings.Repeat("0", 500) + `}`), ErrTooLarge},
		{"relative URL", "schemas/email.json", readTestdata(t, "schemas/email-2020-12.json"), ErrInvalidOptions},
		{"URL with fragment", emailURL + "#x", readTestdata(t, "schemas/email-2020-12.json"), ErrInvalidOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewRegistry().Add(tt.url, tt.schema)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Add: got %v, want %v", err, tt.want)
			}
		})
	}
	r := registry(t, map[string]string{emailURL: "email-2020-12.json"})
	if err := r.Add(emailURL, readTestdata(t, "schemas/email-2020-12.json")); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("second Add: got %v, want ErrInvalidOptions", err)
	}
	if err := r.AddCredential("https://example.com/c", big); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized AddCredential: got %v, want ErrTooLarge", err)
	}
}

// An oversized schema from a Fetcher is refused before it is parsed.
func TestFetchedSchemaTooLarge(t *testing.T) {
	big := []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","description":"` + strings.Repeat("x", 2000) + `"}`)
	v, err := NewValidator(Options{Fetch: &mapFetcher{bodies: map[string][]byte{emailURL: big}}, MaxSchemaBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(t.Context(), readTestdata(t, "credentials/email-ok.json")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

// Fetched bodies are kept for FetchTTL, then fetched again.
func TestFetchCache(t *testing.T) {
	f := &mapFetcher{bodies: map[string][]byte{emailURL: readTestdata(t, "schemas/email-2020-12.json")}}
	now := testTime
	v, err := NewValidator(Options{Fetch: f, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	cred := readTestdata(t, "credentials/email-ok.json")
	for range 3 {
		if err := v.Validate(t.Context(), cred); err != nil {
			t.Fatal(err)
		}
	}
	if f.calls != 1 {
		t.Errorf("%d fetches within the TTL, want 1", f.calls)
	}
	now = now.Add(DefaultFetchTTL)
	if err := v.Validate(t.Context(), cred); err != nil {
		t.Fatal(err)
	}
	if f.calls != 2 {
		t.Errorf("%d fetches after the TTL, want 2", f.calls)
	}
	if n := v.compiled.len(); n != 1 {
		t.Errorf("%d compiled schemas cached, want 1", n)
	}
}

func TestIntegrity(t *testing.T) {
	body := readTestdata(t, "schemas/email-2020-12.json")
	s256 := sha256.Sum256(body)
	s384 := sha512.Sum384(body)
	sri := "sha384-" + base64.StdEncoding.EncodeToString(s384[:])
	mbU := "u" + base64.RawURLEncoding.EncodeToString(append([]byte{0x12, 0x20}, s256[:]...))
	mbZ := "z" + encodeBase58(append([]byte{0x20, 0x30}, s384[:]...))
	wrong := sha256.Sum256([]byte("other"))
	tests := []struct {
		name  string
		extra string
		want  error
	}{
		{"digestSRI", `"digestSRI":"` + sri + `"`, nil},
		{"digestSRI strongest of several", `"digestSRI":"sha256-` + base64.StdEncoding.EncodeToString(wrong[:]) + ` ` + sri + `"`, nil},
		{"digestSRI unknown algorithm ignored", `"digestSRI":"md5-AAAA ` + sri + `"`, nil},
		{"digestSRI mismatch", `"digestSRI":"sha256-` + base64.StdEncoding.EncodeToString(wrong[:]) + `"`, ErrInvalidDigest},
		{"digestSRI only unknown", `"digestSRI":"md5-AAAA"`, ErrUnsupportedHashAlgorithm},
		{"digestSRI not base64", `"digestSRI":"sha256-!!!"`, ErrInvalidDigest},
		{"digestMultibase base64url sha2-256", `"digestMultibase":"` + mbU + `"`, nil},
		{"digestMultibase base58btc sha2-384", `"digestMultibase":"` + mbZ + `"`, nil},
		{"digestMultibase mismatch", `"digestMultibase":"u` + base64.RawURLEncoding.EncodeToString(append([]byte{0x12, 0x20}, wrong[:]...)) + `"`, ErrInvalidDigest},
		{"digestMultibase unknown hash", `"digestMultibase":"u` + base64.RawURLEncoding.EncodeToString(append([]byte{0x11, 0x14}, make([]byte, 20)...)) + `"`, ErrUnsupportedHashAlgorithm},
		{"digestMultibase unknown base", `"digestMultibase":"f1220"`, ErrInvalidDigest},
		{"both, one wrong", `"digestSRI":"` + sri + `","digestMultibase":"u` + base64.RawURLEncoding.EncodeToString(append([]byte{0x12, 0x20}, wrong[:]...)) + `"`, ErrInvalidDigest},
		{"digestSRI not a string", `"digestSRI":1`, ErrMalformed},
	}
	v, err := NewValidator(Options{Registry: registry(t, map[string]string{emailURL: "email-2020-12.json"})})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := `{"type":["VerifiableCredential"],"credentialSubject":{"emailAddress":"a@example.com"},` +
				`"credentialSchema":{"id":"` + emailURL + `","type":"JsonSchema",` + tt.extra + `}}`
			err := v.Validate(t.Context(), []byte(cred))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func encodeBase58(b []byte) string {
	var digits []byte // little-endian base 58
	for _, c := range b {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	var out []byte
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, base58Alphabet[digits[i]])
	}
	return string(out)
}

// The schema credential's own shape is checked after it is verified.
func TestSchemaCredentialShape(t *testing.T) {
	signer := newTestSigner()
	base := string(readTestdata(t, "credentials/schema-credential.json"))
	tests := []struct {
		name      string
		old, new_ string
		want      error
	}{
		{"ok", "", "", nil},
		{"not a JsonSchemaCredential", `"JsonSchemaCredential"
  ]`, `"OtherCredential"
  ]`, ErrInvalidType},
		{"subject type", `"type": "JsonSchema",
    "jsonSchema"`, `"type": "Other",
    "jsonSchema"`, ErrInvalidType},
		{"other id", `"id": "https://example.com/credentials/3734"`, `"id": "https://example.com/credentials/9999"`, ErrMalformed},
		{"no json-schema credentialSchema", `"https://www.w3.org/ns/credentials/json-schema/v2.json"`, `"https://example.com/other.json"`, ErrMalformed},
		{"jsonSchema not an object", `"jsonSchema": {`, `"jsonSchema": [], "x": {`, ErrMalformed},
		{"jsonSchema without $schema", `"$schema": "https://json-schema.org/draft/2020-12/schema",`, ``, ErrUnsupportedSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(base, tt.old, tt.new_, 1)
			if tt.old != "" && doc == base {
				t.Fatal("replacement did not apply")
			}
			reg := NewRegistry()
			if err := reg.AddCredential(scURL, signer.sign([]byte(doc))); err != nil {
				t.Fatal(err)
			}
			v, err := NewValidator(Options{Registry: reg, VerifyCredential: signer.verify})
			if err != nil {
				t.Fatal(err)
			}
			err = v.Validate(t.Context(), readTestdata(t, "credentials/sc-ok.json"))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNewValidatorOptions(t *testing.T) {
	if _, err := NewValidator(Options{MaxExpansion: -1}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("negative limit: got %v, want ErrInvalidOptions", err)
	}
	v, err := NewValidator(Options{})
	if err != nil {
		t.Fatal(err)
	}
	// No credentialSchema: nothing to check.
	if err := v.Validate(context.Background(), []byte(`{"type":["VerifiableCredential"]}`)); err != nil {
		t.Errorf("no credentialSchema: %v", err)
	}
	// A number the evaluator cannot hold is refused before evaluation.
	pv, err := NewValidator(Options{Registry: registry(t, personSchemas)})
	if err != nil {
		t.Fatal(err)
	}
	cred := strings.Replace(string(readTestdata(t, "credentials/person-ok.json")), `"age": 42`, `"age": 4e9999999`, 1)
	if err := pv.Validate(context.Background(), []byte(cred)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge number in the credential: got %v, want ErrTooLarge", err)
	}
	for _, bad := range []string{`[]`, `{"credentialSchema":[]}`, `{"a":1,"a":2}`, `{"credentialSchema":{"id":"x","type":"JsonSchema"}}`} {
		if err := v.Validate(context.Background(), []byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Validate(%s): got %v, want ErrMalformed", bad, err)
		}
	}
}

// One Validator serves many goroutines; the caches stay within CacheSize.
func TestConcurrentValidate(t *testing.T) {
	f := &syncFetcher{inner: &mapFetcher{bodies: map[string][]byte{emailURL: readTestdata(t, "schemas/email-2020-12.json")}}}
	v, err := NewValidator(Options{Registry: registry(t, personSchemas), Fetch: f, CacheSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	creds := []struct {
		file string
		want error
	}{{"person-ok.json", nil}, {"email-ok.json", nil}, {"person-enum.json", ErrSchemaValidation}, {"email-not-email.json", ErrSchemaValidation}}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				c := creds[(i+j)%len(creds)]
				if err := v.Validate(t.Context(), readTestdata(t, "credentials/"+c.file)); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
					t.Errorf("%s: got %v, want %v", c.file, err, c.want)
				}
			}
		})
	}
	wg.Wait()
	if n := v.compiled.len(); n > 1 {
		t.Errorf("%d compiled schemas kept, want at most 1", n)
	}
}

type syncFetcher struct {
	mu    sync.Mutex
	inner *mapFetcher
}

func (f *syncFetcher) Fetch(ctx context.Context, url, accept string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inner.Fetch(ctx, url, accept)
}

func TestSchemaCredentialDigest(t *testing.T) {
	signer := newTestSigner()
	raw := signer.sign(readTestdata(t, "credentials/schema-credential.json"))
	sum := sha512.Sum384(raw)
	other := sha512.Sum384([]byte("other"))
	for _, tt := range []struct {
		name   string
		digest []byte
		want   error
	}{{"match", sum[:], nil}, {"mismatch", other[:], ErrInvalidDigest}} {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry()
			if err := reg.AddCredential(scURL, raw); err != nil {
				t.Fatal(err)
			}
			v, err := NewValidator(Options{Registry: reg, VerifyCredential: signer.verify})
			if err != nil {
				t.Fatal(err)
			}
			cred := strings.Replace(string(readTestdata(t, "credentials/sc-ok.json")), `"type": "JsonSchemaCredential"`,
				`"type": "JsonSchemaCredential", "digestSRI": "sha384-`+base64.StdEncoding.EncodeToString(tt.digest)+`"`, 1)
			err = v.Validate(t.Context(), []byte(cred))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	// person.json references name.json: one referenced resource.
	v, err := NewValidator(Options{Registry: registry(t, personSchemas), MaxReferences: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(t.Context(), readTestdata(t, "credentials/person-ok.json")); err != nil {
		t.Errorf("one reference within a limit of 1: %v", err)
	}
	subj := `{"$id":"https://example.com/schemas/s.json","$schema":"https://json-schema.org/draft/2020-12/schema","allOf":[{"$ref":"a.json"},{"$ref":"b.json"}]}`
	leaf := `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}`
	reg := NewRegistry()
	for u, s := range map[string]string{"https://example.com/schemas/s.json": subj, "https://example.com/schemas/a.json": leaf, "https://example.com/schemas/b.json": leaf} {
		if err := reg.Add(u, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	v, err = NewValidator(Options{Registry: reg, MaxReferences: 1})
	if err != nil {
		t.Fatal(err)
	}
	cred := []byte(`{"credentialSchema":{"id":"https://example.com/schemas/s.json","type":"JsonSchema"}}`)
	if err := v.Validate(t.Context(), cred); !errors.Is(err, ErrTooLarge) {
		t.Errorf("two references, limit 1: got %v, want ErrTooLarge", err)
	}
	// Entries.
	v, err = NewValidator(Options{MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	two := []byte(`{"credentialSchema":[{"id":"urn:a","type":"JsonSchema"},{"id":"urn:b","type":"JsonSchema"}]}`)
	if err := v.Validate(t.Context(), two); !errors.Is(err, ErrTooLarge) {
		t.Errorf("two entries, limit 1: got %v, want ErrTooLarge", err)
	}
	// A lower expansion limit refuses what the default accepts.
	v, err = NewValidator(Options{Registry: registry(t, personSchemas), MaxExpansion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(t.Context(), readTestdata(t, "credentials/person-ok.json")); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxExpansion 1: got %v, want ErrTooLarge", err)
	}
	// A canceled context stops before any schema is used.
	v, err = NewValidator(Options{Registry: registry(t, personSchemas)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := v.Validate(ctx, readTestdata(t, "credentials/person-ok.json")); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v, want context.Canceled", err)
	}
}

func TestExpansion(t *testing.T) {
	for _, tt := range []struct {
		file string
		max  int // expected bound, exact for these schemas
	}{
		{"email-2020-12.json", 1},
		{"person.json", 2}, // credentialSubject.name: the $ref and its target
		{"tree.json", 2},
		{"amplify.json", DefaultMaxExpansion + 1}, // 2^14, cut off past the limit
	} {
		reg := registry(t, map[string]string{"https://example.com/x.json": tt.file, nameURL: "name.json"})
		v, err := NewValidator(Options{Registry: reg, MaxExpansion: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		s, err := v.jsonSchema(t.Context(), Entry{ID: "https://example.com/x.json", Kind: KindJSONSchema})
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if got := expansion(s, DefaultMaxDepth, DefaultMaxExpansion); got != tt.max {
			t.Errorf("%s: expansion %d, want %d", tt.file, got, tt.max)
		}
	}
}
