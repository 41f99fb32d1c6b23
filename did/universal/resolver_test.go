package universal_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/universal"
	"github.com/credence-dev/credence/internal/netguard"
)

const (
	exampleDID = "did:example:123456789abcdefghi"
	resultType = `application/ld+json;profile="https://w3id.org/did-resolution"`
)

// server is a resolution server on a loopback httptest TLS server.
type server struct {
	*httptest.Server
	respond  atomic.Value // func(w, r, id string)
	requests atomic.Int64
	mu       sync.Mutex
	last     *http.Request
}

type responder func(w http.ResponseWriter, r *http.Request, id string)

func newServer(t testing.TB, respond responder) *server {
	t.Helper()
	s := &server{}
	s.respond.Store(respond)
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.mu.Lock()
		s.last = r.Clone(context.Background())
		s.mu.Unlock()
		id, ok := strings.CutPrefix(r.URL.Path, "/1.0/identifiers/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.respond.Load().(responder)(w, r, id)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) lastRequest() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *server) resolver(t testing.TB, methods ...string) *universal.Resolver {
	t.Helper()
	if len(methods) == 0 {
		methods = []string{"example"}
	}
	r, err := universal.New(s.Client(), universal.Options{BaseURL: s.URL, Methods: methods, AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func document(id string) string {
	return fmt.Sprintf(`{
  "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
  "id": %q,
  "verificationMethod": [{
    "id": "%s#key-1",
    "type": "Multikey",
    "controller": %q,
    "publicKeyMultibase": "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
  }],
  "assertionMethod": ["#key-1"]
}`, id, id, id)
}

func result(doc, docMeta, resMeta string) string {
	return fmt.Sprintf(`{"@context":"https://w3id.org/did-resolution/v1","didDocument":%s,"didDocumentMetadata":%s,"didResolutionMetadata":%s}`, doc, docMeta, resMeta)
}

// answer responds with status, content type ct and body.
func answer(status int, ct, body string) responder {
	return func(w http.ResponseWriter, r *http.Request, id string) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		} else {
			w.Header()["Content-Type"] = nil
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// answerFor responds with a body built for the requested DID.
func answerFor(status int, ct string, body func(id string) string) responder {
	return func(w http.ResponseWriter, r *http.Request, id string) {
		answer(status, ct, body(id))(w, r, id)
	}
}

func TestResolve(t *testing.T) {
	created := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		respond     responder
		contentType string // of the resolution metadata
		deactivated bool
		versionID   string
	}{
		{"resolution result", answerFor(200, resultType, func(id string) string {
			return result(document(id), `{"created":"2024-05-01T12:00:00Z","versionId":"7"}`, `{"contentType":"application/did+ld+json","duration":12}`)
		}), "application/did+ld+json", false, "7"},
		{"resolution result as application/did-resolution", answerFor(200, "application/did-resolution", func(id string) string {
			return result(document(id), `{}`, `{"contentType":"application/did+json"}`)
		}), "application/did+json", false, ""},
		{"resolution result without metadata", answerFor(200, "application/json", func(id string) string {
			return fmt.Sprintf(`{"didDocument":%s}`, document(id))
		}), "", false, ""},
		{"bare document", answerFor(200, "application/did+ld+json", document), "application/did+ld+json", false, ""},
		{"bare document as JSON", answerFor(200, "application/json; charset=utf-8", document), "application/json", false, ""},
		{"deactivated", answerFor(200, resultType, func(id string) string {
			return result(document(id), `{"deactivated":true}`, `{"contentType":"application/did+ld+json"}`)
		}), "application/did+ld+json", true, ""},
		{"gone", answerFor(410, resultType, func(id string) string {
			return result(document(id), `{}`, `{"contentType":"application/did+ld+json"}`)
		}), "application/did+ld+json", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.respond)
			res, err := s.resolver(t).Resolve(t.Context(), exampleDID)
			if err != nil {
				t.Fatal(err)
			}
			if res.Document.ID != exampleDID {
				t.Errorf("document id %q", res.Document.ID)
			}
			if got := res.ResolutionMetadata.ContentType; got != tc.contentType {
				t.Errorf("content type %q, want %q", got, tc.contentType)
			}
			if res.DocumentMetadata.Deactivated != tc.deactivated {
				t.Errorf("deactivated %v, want %v", res.DocumentMetadata.Deactivated, tc.deactivated)
			}
			if res.DocumentMetadata.VersionID != tc.versionID {
				t.Errorf("versionId %q, want %q", res.DocumentMetadata.VersionID, tc.versionID)
			}
			if tc.versionID != "" && !res.DocumentMetadata.Created.Equal(created) {
				t.Errorf("created %v, want %v", res.DocumentMetadata.Created, created)
			}
			if _, err := res.Document.VerificationMethodFor("#key-1", did.AssertionMethod); err != nil {
				t.Errorf("key-1: %v", err)
			}
			req := s.lastRequest()
			if got := req.Header.Get("Accept"); !strings.HasPrefix(got, resultType) {
				t.Errorf("Accept %q, want %s first", got, resultType)
			}
			if got, want := req.URL.EscapedPath(), "/1.0/identifiers/"+exampleDID; got != want {
				t.Errorf("path %q, want %q", got, want)
			}
		})
	}
}

// assertResolutionError checks that err is a *did.ResolutionError with code and that it
// wraps every error of want.
func assertResolutionError(t *testing.T, res *did.Resolution, err error, code string, want ...error) {
	t.Helper()
	if res != nil {
		t.Errorf("resolution %+v with an error", res)
	}
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Errorf("error %v, want %v", err, w)
		}
	}
	re, ok := errors.AsType[*did.ResolutionError](err)
	if !ok {
		t.Fatalf("error %T %v is not a *did.ResolutionError", err, err)
	}
	if re.Code != code {
		t.Errorf("code %q, want %q (%v)", re.Code, code, err)
	}
}

func TestResolveErrors(t *testing.T) {
	errorResult := func(code string) string {
		return result("null", "{}", fmt.Sprintf(`{"error":%q}`, code))
	}
	huge := strings.Repeat(" ", universal.DefaultMaxBytes)
	for _, tc := range []struct {
		name    string
		respond responder
		code    string
		want    []error
	}{
		{"not found", answer(404, resultType, errorResult("notFound")),
			did.CodeNotFound, []error{did.ErrNotFound, universal.ErrRemote}},
		{"not found without body", answer(404, "text/plain", "not found"),
			did.CodeNotFound, []error{did.ErrNotFound, universal.ErrRemote}},
		{"gone without document", answer(410, "", ""),
			did.CodeNotFound, []error{did.ErrNotFound, universal.ErrRemote}},
		{"method not supported", answer(501, resultType, errorResult("methodNotSupported")),
			did.CodeMethodNotSupported, []error{did.ErrMethodNotSupported, universal.ErrRemote}},
		{"method not supported by status", answer(501, "", ""),
			did.CodeMethodNotSupported, []error{did.ErrMethodNotSupported, universal.ErrRemote}},
		{"invalid DID", answer(400, resultType, errorResult("invalidDid")),
			did.CodeInvalidDID, []error{did.ErrInvalidDID, universal.ErrRemote}},
		{"invalid DID by status", answer(400, "text/html", "<html>bad</html>"),
			did.CodeInvalidDID, []error{did.ErrInvalidDID, universal.ErrRemote}},
		{"representation not supported", answer(406, "", ""),
			did.CodeRepresentationNotSupported, []error{universal.ErrUnsupportedFormat, universal.ErrRemote}},
		{"error with status 200", answer(200, resultType, errorResult("notFound")),
			did.CodeNotFound, []error{did.ErrNotFound, universal.ErrRemote}},
		{"deactivated code", answer(410, resultType, errorResult("deactivated")),
			did.CodeDeactivated, []error{did.ErrDeactivated, universal.ErrRemote}},
		{"internal error", answer(500, resultType, errorResult("internalError")),
			did.CodeInternalError, []error{did.ErrResolutionFailed, universal.ErrRemote}},
		{"unknown code", answer(500, resultType, errorResult("somethingElse")),
			did.CodeInternalError, []error{did.ErrResolutionFailed, universal.ErrRemote}},
		{"hostile code", answer(500, resultType, errorResult(strings.Repeat("x", 10000)+"\n")),
			did.CodeInternalError, []error{did.ErrResolutionFailed, universal.ErrRemote}},
		{"server error", answer(502, "text/html", "<html>bad gateway</html>"),
			did.CodeInternalError, []error{did.ErrResolutionFailed, universal.ErrRemote}},
		{"oversized error", answer(500, "application/json", huge),
			did.CodeInternalError, []error{did.ErrResolutionFailed, universal.ErrRemote}},

		{"id mismatch in result", answer(200, resultType, result(document("did:example:other"), "{}", "{}")),
			did.CodeInvalidDIDDocument, []error{did.ErrInvalidDIDDocument}},
		{"id mismatch in bare document", answer(200, "application/did+ld+json", document("did:example:other")),
			did.CodeInvalidDIDDocument, []error{did.ErrInvalidDIDDocument}},
		{"no document and no error", answer(200, resultType, result("null", "{}", "{}")),
			did.CodeInvalidDIDDocument, []error{did.ErrInvalidDIDDocument}},
		{"invalid document", answer(200, resultType, result(`{"id":"did:example:123456789abcdefghi","service":7}`, "{}", "{}")),
			did.CodeInvalidDIDDocument, []error{did.ErrInvalidDIDDocument}},
		{"document is not an object", answer(200, resultType, result(`"did:example:123456789abcdefghi"`, "{}", "{}")),
			did.CodeInvalidDIDDocument, nil},
		{"oversized", answerFor(200, resultType, func(id string) string {
			return result(document(id), "{}", "{}") + huge
		}), did.CodeInvalidDIDDocument, []error{did.ErrTooLarge}},
		{"oversized without Content-Length", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", resultType)
			for range 64 {
				_, _ = w.Write([]byte(strings.Repeat(" ", 16<<10)))
				w.(http.Flusher).Flush()
			}
		}, did.CodeInvalidDIDDocument, []error{did.ErrTooLarge}},
		{"oversized document", answerFor(200, resultType, func(id string) string {
			doc := document(id)
			doc = doc[:1] + `"padding":"` + strings.Repeat("x", did.MaxDocumentBytes) + `",` + doc[1:]
			return result(doc, "{}", "{}")
		}), did.CodeInvalidDIDDocument, []error{did.ErrTooLarge}},
		{"not JSON", answer(200, "application/json", "<html>hello</html>"),
			did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"empty", answer(200, "application/json", ""),
			did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"null", answer(200, "application/json", "null"),
			did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"array", answer(200, "application/json", "[]"),
			did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"duplicate keys", answerFor(200, resultType, func(id string) string {
			return fmt.Sprintf(`{"didDocument":%s,"didDocument":%s}`, document(id), document("did:example:other"))
		}), did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"deep JSON", answerFor(200, resultType, func(id string) string {
			return result(document(id), strings.Repeat(`{"a":`, 100)+"1"+strings.Repeat("}", 100), "{}")
		}), did.CodeInvalidDIDDocument, []error{did.ErrTooDeep}},
		{"metadata of the wrong type", answerFor(200, resultType, func(id string) string {
			return result(document(id), `{"deactivated":"yes"}`, "{}")
		}), did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"resolution metadata of the wrong type", answerFor(200, resultType, func(id string) string {
			return result(document(id), "{}", `{"error":7}`)
		}), did.CodeInvalidDIDDocument, []error{did.ErrMalformed}},
		{"HTML", answerFor(200, "text/html", document),
			did.CodeRepresentationNotSupported, []error{universal.ErrUnsupportedFormat}},
		{"no content type", answerFor(200, "", document),
			did.CodeRepresentationNotSupported, []error{universal.ErrUnsupportedFormat}},
		{"result as a DID document type", answerFor(200, "application/did+json", func(id string) string {
			return result(document(id), "{}", "{}")
		}), did.CodeRepresentationNotSupported, []error{universal.ErrUnsupportedFormat}},
		{"redirect to a private address", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://10.1.2.3/1.0/identifiers/"+id, http.StatusFound)
		}, did.CodeInternalError, []error{did.ErrForbiddenAddress, did.ErrResolutionFailed}},
		{"redirect to the metadata address", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://169.254.169.254/latest/meta-data/", http.StatusFound)
		}, did.CodeInternalError, []error{did.ErrForbiddenAddress, did.ErrResolutionFailed}},
		{"redirect to http", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusFound)
		}, did.CodeInternalError, []error{did.ErrInsecureURL, did.ErrResolutionFailed}},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}, did.CodeInternalError, []error{did.ErrResolutionFailed, netguard.ErrTooManyRedirects}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, tc.respond)
			var tr tracer
			res, err := s.resolver(t).Resolve(tr.context(t.Context()), exampleDID)
			assertResolutionError(t, res, err, tc.code, tc.want...)
			tr.only(t, s.Listener.Addr().String())
		})
	}
}

// tracer records every connection the transport wants and every dial it starts.
type tracer struct {
	mu    sync.Mutex
	conns []string
}

func (tr *tracer) context(ctx context.Context) context.Context {
	record := func(s string) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.conns = append(tr.conns, s)
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:      func(hostPort string) { record("get " + hostPort) },
		DNSStart:     func(i httptrace.DNSStartInfo) { record("dns " + i.Host) },
		ConnectStart: func(network, addr string) { record("connect " + addr) },
	})
}

func (tr *tracer) only(t *testing.T, allowed string) {
	t.Helper()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	for _, c := range tr.conns {
		if c != "get "+allowed && c != "connect "+allowed {
			t.Errorf("transport activity %q, want only %s", c, allowed)
		}
	}
}

func TestResolveEscapesDID(t *testing.T) {
	for _, tc := range []struct {
		did     string
		escaped string // the request path after /1.0/identifiers/
	}{
		{"did:example:abc%2Fdef", "did:example:abc%252Fdef"},
		{"did:example:a%3Fq%3Dv%23frag", "did:example:a%253Fq%253Dv%2523frag"},
		{"did:example:%2E%2E:%2E%2E:admin", "did:example:%252E%252E:%252E%252E:admin"},
		{"did:example:a.b-c_d:e", "did:example:a.b-c_d:e"},
	} {
		t.Run(tc.did, func(t *testing.T) {
			s := newServer(t, answerFor(200, resultType, func(id string) string { return result(document(id), "{}", "{}") }))
			res, err := s.resolver(t).Resolve(t.Context(), tc.did)
			if err != nil {
				t.Fatal(err)
			}
			if res.Document.ID != tc.did {
				t.Errorf("document id %q, want %q", res.Document.ID, tc.did)
			}
			req := s.lastRequest()
			if got, want := req.URL.EscapedPath(), "/1.0/identifiers/"+tc.escaped; got != want {
				t.Errorf("path %q, want %q", got, want)
			}
			if got, want := req.URL.Path, "/1.0/identifiers/"+tc.did; got != want {
				t.Errorf("decoded path %q, want %q", got, want)
			}
			if req.URL.RawQuery != "" {
				t.Errorf("query %q", req.URL.RawQuery)
			}
		})
	}
}

func TestResolveRefusedLocally(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, id string) {
		t.Errorf("request for %s", r.URL)
	})
	r := s.resolver(t, "example", "ion")
	for _, tc := range []struct {
		did  string
		code string
		want error
	}{
		{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.CodeMethodNotSupported, did.ErrMethodNotSupported},
		{"did:web:example.com", did.CodeMethodNotSupported, did.ErrMethodNotSupported},
		{"did:examples:123", did.CodeMethodNotSupported, did.ErrMethodNotSupported},
		{"did:example:../../admin", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a/b", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a?service=x", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a#key-1", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a b", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a%zz", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:a\r\nHost: evil", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:", did.CodeInvalidDID, did.ErrInvalidDID},
		{"", did.CodeInvalidDID, did.ErrInvalidDID},
		{"did:example:" + strings.Repeat("a", did.MaxURLLength), did.CodeInvalidDID, did.ErrTooLarge},
	} {
		t.Run(tc.did, func(t *testing.T) {
			res, err := r.Resolve(t.Context(), tc.did)
			assertResolutionError(t, res, err, tc.code, tc.want)
		})
	}
	if n := s.requests.Load(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestResolveBasePath(t *testing.T) {
	var path atomic.Value
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path.Store(r.URL.EscapedPath())
		w.Header().Set("Content-Type", resultType)
		_, _ = w.Write([]byte(result(document(exampleDID), "{}", "{}")))
	}))
	defer srv.Close()
	for _, base := range []string{srv.URL + "/uni/resolver", srv.URL + "/uni/resolver/"} {
		r, err := universal.New(srv.Client(), universal.Options{BaseURL: base, Methods: []string{"example"}, AllowLoopback: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Resolve(t.Context(), exampleDID); err != nil {
			t.Fatal(err)
		}
		if got, want := path.Load(), "/uni/resolver/1.0/identifiers/"+exampleDID; got != want {
			t.Errorf("BaseURL %s: path %q, want %q", base, got, want)
		}
	}
}

func TestResolveTimeout(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, id string) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	r, err := universal.New(s.Client(), universal.Options{BaseURL: s.URL, Methods: []string{"example"}, AllowLoopback: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Resolve(t.Context(), exampleDID)
	assertResolutionError(t, res, err, did.CodeInternalError, context.DeadlineExceeded, did.ErrResolutionFailed)
}

func TestResolveMaxBytes(t *testing.T) {
	body := result(document(exampleDID), "{}", "{}")
	s := newServer(t, answer(200, resultType, body))
	for _, tc := range []struct {
		max  int64
		want error
	}{
		{int64(len(body)), nil},
		{int64(len(body) - 1), did.ErrTooLarge},
	} {
		r, err := universal.New(s.Client(), universal.Options{BaseURL: s.URL, Methods: []string{"example"}, AllowLoopback: true, MaxBytes: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Resolve(t.Context(), exampleDID)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("MaxBytes %d: %v, want %v", tc.max, err, tc.want)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNew(t *testing.T) {
	ok := universal.Options{BaseURL: "https://resolver.example.com", Methods: []string{"ion"}}
	with := func(f func(*universal.Options)) universal.Options {
		o := ok
		f(&o)
		return o
	}
	for _, tc := range []struct {
		name   string
		client *http.Client
		opts   universal.Options
		want   []error
	}{
		{"valid", &http.Client{}, ok, nil},
		{"base with path", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://example.com/uniresolver/" }), nil},
		{"base with port", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://example.com:8443" }), nil},
		{"limits", &http.Client{}, with(func(o *universal.Options) { o.MaxBytes, o.Timeout = universal.MaxMaxBytes, time.Second }), nil},
		{"nil client", nil, ok, []error{universal.ErrInvalidOptions}},
		{"no BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "" }), []error{universal.ErrInvalidOptions}},
		{"http BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "http://resolver.example.com" }), []error{universal.ErrInvalidOptions, did.ErrInsecureURL}},
		{"http loopback BaseURL", &http.Client{}, with(func(o *universal.Options) {
			o.BaseURL, o.AllowLoopback = "http://127.0.0.1:8080", true
		}), []error{universal.ErrInvalidOptions, did.ErrInsecureURL}},
		{"ftp BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "ftp://resolver.example.com" }), []error{universal.ErrInvalidOptions, did.ErrInsecureURL}},
		{"relative BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "/1.0/identifiers" }), []error{universal.ErrInvalidOptions, did.ErrInvalidURL}},
		{"BaseURL with userinfo", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://user:pw@resolver.example.com" }), []error{universal.ErrInvalidOptions, did.ErrInvalidURL}},
		{"BaseURL with query", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://resolver.example.com/?x=1" }), []error{universal.ErrInvalidOptions, did.ErrInvalidURL}},
		{"BaseURL with fragment", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://resolver.example.com/#" }), []error{universal.ErrInvalidOptions, did.ErrInvalidURL}},
		{"private BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://10.0.0.1" }), []error{universal.ErrInvalidOptions, did.ErrForbiddenAddress}},
		{"metadata BaseURL", &http.Client{}, with(func(o *universal.Options) {
			o.BaseURL, o.AllowLoopback = "https://169.254.169.254", true
		}), []error{universal.ErrInvalidOptions, did.ErrForbiddenAddress}},
		{"loopback BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://127.0.0.1:8443" }), []error{universal.ErrInvalidOptions, did.ErrForbiddenAddress}},
		{"localhost BaseURL", &http.Client{}, with(func(o *universal.Options) { o.BaseURL = "https://localhost:8443" }), []error{universal.ErrInvalidOptions, did.ErrForbiddenAddress}},
		{"no methods", &http.Client{}, with(func(o *universal.Options) { o.Methods = nil }), []error{universal.ErrInvalidOptions}},
		{"empty method", &http.Client{}, with(func(o *universal.Options) { o.Methods = []string{""} }), []error{universal.ErrInvalidOptions}},
		{"wildcard method", &http.Client{}, with(func(o *universal.Options) { o.Methods = []string{"*"} }), []error{universal.ErrInvalidOptions}},
		{"uppercase method", &http.Client{}, with(func(o *universal.Options) { o.Methods = []string{"ION"} }), []error{universal.ErrInvalidOptions}},
		{"negative MaxBytes", &http.Client{}, with(func(o *universal.Options) { o.MaxBytes = -1 }), []error{universal.ErrInvalidOptions}},
		{"huge MaxBytes", &http.Client{}, with(func(o *universal.Options) { o.MaxBytes = universal.MaxMaxBytes + 1 }), []error{universal.ErrInvalidOptions}},
		{"negative Timeout", &http.Client{}, with(func(o *universal.Options) { o.Timeout = -1 }), []error{universal.ErrInvalidOptions}},
		{"unguardable transport", &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) {
			return nil, errors.New("unreachable")
		})}, ok, []error{universal.ErrInvalidOptions}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := universal.New(tc.client, tc.opts)
			if (err == nil) != (len(tc.want) == 0) {
				t.Fatalf("New: %v, want %v", err, tc.want)
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("New: %v, want %v", err, w)
				}
			}
			if (r == nil) != (err != nil) {
				t.Errorf("New = %v, %v", r, err)
			}
		})
	}
}
