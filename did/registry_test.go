package did

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeResolver answers from a table and counts calls.
type fakeResolver struct {
	mu    sync.Mutex
	docs  map[string]*Resolution
	errs  map[string]error
	calls atomic.Int64
}

func (f *fakeResolver) Resolve(ctx context.Context, did string) (*Resolution, error) {
	f.calls.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err, ok := f.errs[did]; ok {
		return nil, err
	}
	if res, ok := f.docs[did]; ok {
		return res.Clone(), nil
	}
	return nil, fmt.Errorf("fake: %s: %w", did, ErrNotFound)
}

func (f *fakeResolver) set(did string, res *Resolution) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.docs == nil {
		f.docs = make(map[string]*Resolution)
	}
	f.docs[did] = res
}

func (f *fakeResolver) fail(did string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.errs == nil {
		f.errs = make(map[string]error)
	}
	f.errs[did] = err
}

// testRegistry registers a fake "example" method that knows the testdata documents.
func testRegistry(t testing.TB) (*Registry, *fakeResolver) {
	t.Helper()
	f := &fakeResolver{}
	f.set(exampleDID, &Resolution{Document: mustParseDocument(t, "valid-basic.json")})
	reg := NewRegistry()
	if err := reg.Register("example", f); err != nil {
		t.Fatal(err)
	}
	return reg, f
}

func TestRegister(t *testing.T) {
	var reg Registry // the zero value is usable
	f := &fakeResolver{}
	if err := reg.Register("example", f); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method string
		res    Resolver
		want   error
	}{
		{"example", f, ErrAlreadyRegistered},
		{"Example", f, ErrInvalidDID},
		{"", f, ErrInvalidDID},
		{"ex:ample", f, ErrInvalidDID},
		{"web", nil, ErrMethodNotSupported},
		{"key2", f, nil},
	}
	for _, tt := range tests {
		if err := reg.Register(tt.method, tt.res); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("Register(%q) error = %v, want %v", tt.method, err, tt.want)
		}
	}
	if got := len(reg.Methods()); got != 2 {
		t.Errorf("Methods() has %d names, want 2", got)
	}
	if _, err := NewRegistry().Resolve(context.Background(), exampleDID); !errors.Is(err, ErrMethodNotSupported) {
		t.Errorf("empty registry: error = %v, want %v", err, ErrMethodNotSupported)
	}
}

func TestRegistryResolve(t *testing.T) {
	reg, f := testRegistry(t)
	good := mustParseDocument(t, "valid-basic.json")

	other := good.Clone()
	other.ID = "did:example:mallory"
	f.set("did:example:wrongid", &Resolution{Document: other})

	invalid := good.Clone()
	invalid.VerificationMethod[0].Controller = "nope"
	f.set("did:example:invalid", &Resolution{Document: invalid.withID("did:example:invalid")})

	f.set("did:example:nodoc", &Resolution{})
	f.set("did:example:nil", nil)
	f.set("did:example:deactivated", &Resolution{
		Document:         good.withID("did:example:deactivated"),
		DocumentMetadata: DocumentMetadata{Deactivated: true},
	})
	f.set("did:example:metaerror", &Resolution{ResolutionMetadata: ResolutionMetadata{Error: CodeNotFound}})
	f.set("did:example:metaother", &Resolution{ResolutionMetadata: ResolutionMetadata{Error: "somethingElse"}})
	f.fail("did:example:theirs", NewResolutionError(CodeRepresentationNotSupported, "did:example:theirs", ErrMalformed))
	f.fail("did:example:theirsnil", &ResolutionError{Code: CodeNotFound})
	f.fail("did:example:wrapped", fmt.Errorf("outer: %w", NewResolutionError(CodeInvalidDID, "x", ErrInvalidDID)))
	f.fail("did:example:baddid", fmt.Errorf("method says: %w", ErrInvalidDID))
	f.fail("did:example:baddoc", fmt.Errorf("method says: %w", ErrInvalidDIDDocument))
	f.fail("did:example:badkey", fmt.Errorf("method says: %w", ErrInvalidKey))
	f.fail("did:example:keytype", fmt.Errorf("method says: %w", ErrUnsupportedKeyType))
	f.fail("did:example:plain", errors.New("disk on fire"))

	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name     string
		ctx      context.Context
		did      string
		wantCode string
		want     error
	}{
		{"ok", nil, exampleDID, "", nil},
		{"invalid DID", nil, "did:example:", CodeInvalidDID, ErrInvalidDID},
		{"DID URL", nil, exampleDID + "#key-1", CodeInvalidDID, ErrInvalidDID},
		{"unregistered method", nil, "did:web:example.com", CodeMethodNotSupported, ErrMethodNotSupported},
		{"not found", nil, "did:example:unknown", CodeNotFound, ErrNotFound},
		{"id mismatch", nil, "did:example:wrongid", CodeInvalidDIDDocument, ErrInvalidDIDDocument},
		{"invalid document", nil, "did:example:invalid", CodeInvalidDIDDocument, ErrInvalidDIDDocument},
		{"no document", nil, "did:example:nodoc", CodeInvalidDIDDocument, ErrInvalidDIDDocument},
		{"nil resolution", nil, "did:example:nil", CodeInternalError, ErrResolutionFailed},
		{"deactivated", nil, "did:example:deactivated", CodeDeactivated, ErrDeactivated},
		{"metadata error", nil, "did:example:metaerror", CodeNotFound, ErrNotFound},
		{"metadata unknown error", nil, "did:example:metaother", "somethingElse", ErrResolutionFailed},
		{"resolver's ResolutionError kept", nil, "did:example:theirs", CodeRepresentationNotSupported, ErrMalformed},
		{"resolver's ResolutionError without Err", nil, "did:example:theirsnil", CodeNotFound, ErrNotFound},
		{"resolver's wrapped ResolutionError", nil, "did:example:wrapped", CodeInvalidDID, ErrInvalidDID},
		{"plain ErrInvalidDID", nil, "did:example:baddid", CodeInvalidDID, ErrInvalidDID},
		{"plain ErrInvalidDIDDocument", nil, "did:example:baddoc", CodeInvalidDIDDocument, ErrInvalidDIDDocument},
		{"plain ErrInvalidKey", nil, "did:example:badkey", CodeInvalidPublicKey, ErrInvalidKey},
		{"plain ErrUnsupportedKeyType", nil, "did:example:keytype", CodeUnsupportedPublicKeyType, ErrUnsupportedKeyType},
		{"plain error", nil, "did:example:plain", CodeInternalError, ErrResolutionFailed},
		{"canceled", canceled, exampleDID, CodeInternalError, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			res, err := reg.Resolve(ctx, tt.did)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err == nil {
				if res == nil || res.Document.ID != tt.did {
					t.Fatalf("Resolve = %+v", res)
				}
				return
			}
			if res != nil {
				t.Errorf("got a resolution with an error")
			}
			var re *ResolutionError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *ResolutionError", err)
			}
			if re.Code != tt.wantCode {
				t.Errorf("Code = %q, want %q", re.Code, tt.wantCode)
			}
			if re.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}

// withID returns a copy of d with id changed, method ids and controllers following it.
func (d *Document) withID(id string) *Document {
	c := d.Clone()
	old := c.ID
	c.ID = id
	for i := range c.VerificationMethod {
		vm := &c.VerificationMethod[i]
		if len(vm.ID) > len(old) && vm.ID[:len(old)] == old {
			vm.ID = id + vm.ID[len(old):]
		}
		if vm.Controller == old {
			vm.Controller = id
		}
	}
	for _, rel := range relationships {
		refs, _ := c.relationship(rel)
		for i := range refs {
			if r := &refs[i]; len(r.ID) > len(old) && r.ID[:len(old)] == old {
				r.ID = id + r.ID[len(old):]
			}
		}
	}
	for i := range c.Service {
		if s := &c.Service[i]; len(s.ID) > len(old) && s.ID[:len(old)] == old {
			s.ID = id + s.ID[len(old):]
		}
	}
	return c
}

func TestDereference(t *testing.T) {
	reg, f := testRegistry(t)
	f.set("did:example:embedded", &Resolution{Document: mustParseDocument(t, "valid-embedded-assertion.json").withID("did:example:embedded")})
	tests := []struct {
		name     string
		url      string
		rel      Relationship
		wantID   string
		wantCode string
		want     error
	}{
		{"authentication key", exampleDID + "#key-1", Authentication, exampleDID + "#key-1", "", nil},
		{"assertion key", exampleDID + "#key-2", AssertionMethod, exampleDID + "#key-2", "", nil},
		{"authentication only, asked for assertionMethod", exampleDID + "#key-1", AssertionMethod, "", "", ErrVerificationRelationship},
		{"embedded assertion key", "did:example:embedded#assert-1", AssertionMethod, "did:example:embedded#assert-1", "", nil},
		{"embedded assertion key, asked for authentication", "did:example:embedded#assert-1", Authentication, "", "", ErrVerificationRelationship},
		{"unknown fragment", exampleDID + "#key-9", Authentication, "", CodeNotFound, ErrVerificationMethodNotFound},
		{"service fragment", exampleDID + "#files", Authentication, "", CodeNotFound, ErrVerificationMethodNotFound},
		{"no fragment", exampleDID, Authentication, "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"query", exampleDID + "?versionId=1#key-1", Authentication, "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"path", exampleDID + "/p#key-1", Authentication, "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"relative", "#key-1", Authentication, "", CodeInvalidDIDURL, ErrInvalidDID},
		{"bad DID", "did:Example:1#key-1", Authentication, "", CodeInvalidDIDURL, ErrInvalidDID},
		{"not found DID", "did:example:nobody#key-1", Authentication, "", CodeNotFound, ErrNotFound},
		{"unregistered method", "did:web:example.com#key-1", Authentication, "", CodeMethodNotSupported, ErrMethodNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm, err := reg.Dereference(context.Background(), tt.url, tt.rel)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err != nil {
				if vm != nil {
					t.Error("got a method with an error")
				}
				var re *ResolutionError
				if isRE := errors.As(err, &re); isRE != (tt.wantCode != "") || (isRE && re.Code != tt.wantCode) {
					t.Errorf("error %v: want code %q", err, tt.wantCode)
				}
				return
			}
			if vm.ID != tt.wantID {
				t.Errorf("ID = %q, want %q", vm.ID, tt.wantID)
			}
			if _, err := vm.PublicKey(); err != nil {
				t.Errorf("PublicKey: %v", err)
			}
		})
	}
}

func TestDereferenceService(t *testing.T) {
	reg, f := testRegistry(t)
	const svcDID = "did:example:services"
	doc, err := ParseDocument([]byte(`{
		"id": "` + svcDID + `",
		"service": [
			{"id": "#files", "type": "Files", "serviceEndpoint": "https://example.com/messages/8377464"},
			{"id": "` + svcDID + `#agent", "type": "Agent", "serviceEndpoint": "https://agent.example.com/base/"},
			{"id": "#map", "type": "Map", "serviceEndpoint": {"uri": "https://example.com/"}},
			{"id": "#set", "type": "Set", "serviceEndpoint": ["https://example.com/"]},
			{"id": "#a%20b", "type": "Enc", "serviceEndpoint": "https://enc.example.com/"},
			{"id": "https://example.com/svc", "type": "Other", "serviceEndpoint": "https://other.example.com/"}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	f.set(svcDID, &Resolution{Document: doc})
	tests := []struct {
		name     string
		url      string
		wantURL  string
		wantCode string
		want     error
	}{
		{"DID Core example", svcDID + "?service=files&relativeRef=%2Fresume.pdf", "https://example.com/resume.pdf", "", nil},
		{"endpoint alone", svcDID + "?service=files", "https://example.com/messages/8377464", "", nil},
		{"relative path", svcDID + "?service=agent&relativeRef=credentials%3Fx%3D1", "https://agent.example.com/base/credentials?x=1", "", nil},
		{"dot segments", svcDID + "?service=agent&relativeRef=..%2Fup", "https://agent.example.com/up", "", nil},
		{"fragment carried", svcDID + "?service=agent&relativeRef=%2Fcredentials#degree", "https://agent.example.com/credentials#degree", "", nil},
		{"fragment replaces", svcDID + "?service=agent&relativeRef=%2Fc%23x#degree", "https://agent.example.com/c#degree", "", nil},
		{"absolute service id", svcDID + "?service=files&relativeRef=%2F", "https://example.com/", "", nil},
		{"relativeRef unencoded slash", svcDID + "?service=files&relativeRef=/a/b", "https://example.com/a/b", "", nil},
		{"service matched by decoded name", svcDID + "?service=a%2520b", "https://enc.example.com/", "", nil},
		{"absolute relativeRef", svcDID + "?service=files&relativeRef=https%3A%2F%2Fevil.example%2F", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"network-path relativeRef", svcDID + "?service=files&relativeRef=%2F%2Fevil.example%2F", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"relativeRef with a space", svcDID + "?service=files&relativeRef=%2Fa%20b%20c", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"no service", svcDID + "?relativeRef=%2Fx", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"empty service", svcDID + "?service=", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"repeated service", svcDID + "?service=files&service=agent", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"versionId refused", svcDID + "?service=files&versionId=2", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"path refused", svcDID + "/p?service=files", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"no query", svcDID, "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"bad URL", svcDID + "?service=fi les", "", CodeInvalidDIDURL, ErrInvalidDIDURL},
		{"unknown service", svcDID + "?service=nope", "", CodeNotFound, ErrNotFound},
		{"other-scheme service id not matched", svcDID + "?service=svc", "", CodeNotFound, ErrNotFound},
		{"map endpoint", svcDID + "?service=map", "", CodeNotFound, ErrNotFound},
		{"set endpoint", svcDID + "?service=set", "", CodeNotFound, ErrNotFound},
		{"unknown DID", "did:example:nobody?service=files", "", CodeNotFound, ErrNotFound},
		{"unregistered method", "did:web:example.com?service=files", "", CodeMethodNotSupported, ErrMethodNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reg.DereferenceService(context.Background(), tt.url)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err != nil {
				var re *ResolutionError
				if !errors.As(err, &re) || re.Code != tt.wantCode {
					t.Errorf("error %v: want code %q", err, tt.wantCode)
				}
				if got != "" {
					t.Errorf("got %q with an error", got)
				}
				return
			}
			if got != tt.wantURL {
				t.Errorf("got %q, want %q", got, tt.wantURL)
			}
		})
	}
}

func TestRegistryConcurrent(t *testing.T) {
	reg, _ := testRegistry(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 50 {
				if _, err := reg.Dereference(context.Background(), exampleDID+"#key-1", Authentication); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() { _ = reg.Register(fmt.Sprintf("m%d", i), &fakeResolver{}) })
	}
	wg.Wait()
}
