package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/web"
	"github.com/credence-dev/credence/internal/netguard"
)

// server is an httptest TLS server on loopback that serves DID documents for the
// did:web DIDs of its own address.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	routes   map[string]http.HandlerFunc
	requests atomic.Int64
	accept   atomic.Value // the Accept header of the last request
}

func newServer(t testing.TB) *server {
	t.Helper()
	s := &server{routes: make(map[string]http.HandlerFunc)}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		s.accept.Store(r.Header.Get("Accept"))
		s.mu.Lock()
		h := s.routes[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// did returns the did:web DID of the server with the given path segments.
func (s *server) did(path ...string) string {
	u, err := url.Parse(s.URL)
	if err != nil {
		panic(err)
	}
	return strings.Join(append([]string{"did:web:" + u.Hostname() + "%3A" + u.Port()}, path...), ":")
}

func (s *server) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = h
}

// serve makes path answer with body and content type ct.
func (s *server) serve(path, ct, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write([]byte(body))
	})
}

func (s *server) resolver(t testing.TB, opts web.Options) *web.Resolver {
	t.Helper()
	r, err := web.New(s.Client(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// document returns a small valid DID document with the given id.
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

// only fails the test if the transport wanted a connection to anything but allowed
// (host:port), or resolved a name.
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

func (tr *tracer) none(t *testing.T) {
	t.Helper()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.conns) != 0 {
		t.Errorf("transport activity %q, want none", tr.conns)
	}
}

func TestResolve(t *testing.T) {
	s := newServer(t)
	r := s.resolver(t, web.Options{AllowLoopback: true})
	root, alice, bob := s.did(), s.did("user", "alice"), s.did("users", "bob%20smith")
	s.serve("/.well-known/did.json", "application/did+json", document(root))
	s.serve("/user/alice/did.json", "application/json; charset=utf-8", document(alice))
	s.serve("/users/bob smith/did.json", "application/did+ld+json", document(bob))
	s.handle("/moved/did.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/user/alice/did.json", http.StatusFound)
	})
	moved := s.did("moved")
	s.serve("/user/carol/did.json", "application/did+json", document(moved)) // id of another DID

	for _, tc := range []struct {
		did, ct string
	}{
		{root, "application/did+json"},
		{alice, "application/json"},
		{bob, "application/did+ld+json"},
	} {
		t.Run(tc.did, func(t *testing.T) {
			res, err := r.Resolve(t.Context(), tc.did)
			if err != nil {
				t.Fatal(err)
			}
			if res.Document.ID != tc.did {
				t.Errorf("document id %q, want %q", res.Document.ID, tc.did)
			}
			if got := res.ResolutionMetadata.ContentType; got != tc.ct {
				t.Errorf("content type %q, want %q", got, tc.ct)
			}
			if got := s.accept.Load().(string); !strings.HasPrefix(got, "application/did+json") || !strings.Contains(got, "application/json") {
				t.Errorf("Accept %q, want application/did+json first and application/json", got)
			}
			if _, err := res.Document.VerificationMethodFor("#key-1", did.AssertionMethod); err != nil {
				t.Errorf("key-1: %v", err)
			}
		})
	}

	// A redirect on the same host is followed, and the document must still carry the
	// DID that was resolved.
	if _, err := r.Resolve(t.Context(), moved); !errors.Is(err, did.ErrInvalidDIDDocument) {
		t.Errorf("redirect to the document of another DID: %v, want ErrInvalidDIDDocument", err)
	}
}

// assertResolutionError checks that err is a *did.ResolutionError with code and that it
// wraps want.
func assertResolutionError(t *testing.T, res *did.Resolution, err error, code string, want error) {
	t.Helper()
	if res != nil {
		t.Errorf("resolution %+v with an error", res)
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
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
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("plain http request for %s", r.URL)
	}))
	defer plain.Close()

	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	huge := func(id string) string {
		return document(id)[:1] + `"padding":"` + strings.Repeat("x", web.DefaultMaxDocumentBytes) + `",` + document(id)[1:]
	}
	for _, tc := range []struct {
		name string
		// respond writes the response for the DID id.
		respond func(w http.ResponseWriter, r *http.Request, id string)
		code    string
		want    error
	}{
		{"id mismatch", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = w.Write([]byte(document("did:web:example.com")))
		}, did.CodeInvalidDIDDocument, did.ErrInvalidDIDDocument},
		{"id differs in percent-encoding", func(w http.ResponseWriter, r *http.Request, id string) {
			// The same URL, but another DID: DIDs are compared as strings.
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = w.Write([]byte(document(strings.Replace(id, "%3A", "%3a", 1))))
		}, did.CodeInvalidDIDDocument, did.ErrInvalidDIDDocument},
		{"not found", func(w http.ResponseWriter, r *http.Request, id string) {
			http.NotFound(w, r)
		}, did.CodeNotFound, did.ErrNotFound},
		{"gone", func(w http.ResponseWriter, r *http.Request, id string) {
			w.WriteHeader(http.StatusGone)
		}, did.CodeNotFound, did.ErrNotFound},
		{"server error", func(w http.ResponseWriter, r *http.Request, id string) {
			w.WriteHeader(http.StatusInternalServerError)
		}, did.CodeInternalError, did.ErrResolutionFailed},
		{"oversized", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = w.Write([]byte(huge(id)))
		}, did.CodeInvalidDIDDocument, did.ErrTooLarge},
		{"oversized without Content-Length", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			body := huge(id)
			for len(body) > 0 {
				n := min(len(body), 16<<10)
				_, _ = w.Write([]byte(body[:n]))
				w.(http.Flusher).Flush()
				body = body[n:]
			}
		}, did.CodeInvalidDIDDocument, did.ErrTooLarge},
		{"deep JSON", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = fmt.Fprintf(w, `{"id":%q,"deep":%s}`, id, deep)
		}, did.CodeInvalidDIDDocument, did.ErrTooDeep},
		{"duplicate keys", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = fmt.Fprintf(w, `{"id":%q,"id":"did:web:example.com"}`, id)
		}, did.CodeInvalidDIDDocument, did.ErrMalformed},
		{"trailing data", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = fmt.Fprintf(w, `%s{}`, document(id))
		}, did.CodeInvalidDIDDocument, did.ErrMalformed},
		{"not JSON", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("<html>hello</html>"))
		}, did.CodeInvalidDIDDocument, did.ErrMalformed},
		{"invalid document", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json")
			_, _ = fmt.Fprintf(w, `{"id":%q,"verificationMethod":"nope"}`, id)
		}, did.CodeInvalidDIDDocument, did.ErrInvalidDIDDocument},
		{"JSON-LD without @context", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+ld+json")
			_, _ = fmt.Fprintf(w, `{"id":%q}`, id)
		}, did.CodeInvalidDIDDocument, did.ErrInvalidDIDDocument},
		{"HTML", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(document(id)))
		}, did.CodeRepresentationNotSupported, web.ErrUnsupportedFormat},
		{"no content type", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header()["Content-Type"] = nil
			_, _ = w.Write([]byte(document(id)))
		}, did.CodeRepresentationNotSupported, web.ErrUnsupportedFormat},
		{"bad content type", func(w http.ResponseWriter, r *http.Request, id string) {
			w.Header().Set("Content-Type", "application/did+json; charset")
			_, _ = w.Write([]byte(document(id)))
		}, did.CodeRepresentationNotSupported, web.ErrUnsupportedFormat},
		{"redirect to a private address", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://10.0.0.1/.well-known/did.json", http.StatusFound)
		}, did.CodeInternalError, did.ErrForbiddenAddress},
		{"redirect to the metadata address", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://169.254.169.254/latest/meta-data/", http.StatusMovedPermanently)
		}, did.CodeInternalError, did.ErrForbiddenAddress},
		{"redirect to an IPv4-mapped metadata address", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://[::ffff:169.254.169.254]/", http.StatusTemporaryRedirect)
		}, did.CodeInternalError, did.ErrForbiddenAddress},
		{"redirect to a local name", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, "https://metadata.google.internal/", http.StatusFound)
		}, did.CodeInternalError, did.ErrForbiddenAddress},
		{"redirect to http", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, plain.URL+"/.well-known/did.json", http.StatusFound)
		}, did.CodeInternalError, did.ErrInsecureURL},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request, id string) {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}, did.CodeInternalError, netguard.ErrTooManyRedirects},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.did()
			s.handle("/.well-known/did.json", func(w http.ResponseWriter, r *http.Request) { tc.respond(w, r, id) })
			r := s.resolver(t, web.Options{AllowLoopback: true})
			var tr tracer
			res, err := r.Resolve(tr.context(t.Context()), id)
			assertResolutionError(t, res, err, tc.code, tc.want)
			tr.only(t, s.Listener.Addr().String())
		})
	}
}

func TestResolveRedirectLimit(t *testing.T) {
	s := newServer(t)
	id := s.did()
	for i := range 5 {
		s.handle(fmt.Sprintf("/r%d", i), func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, fmt.Sprintf("/r%d", i+1), http.StatusFound)
		})
	}
	s.handle("/.well-known/did.json", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/r0", http.StatusFound)
	})
	s.serve("/r3", "application/did+json", document(id)) // after 4 redirects
	r := s.resolver(t, web.Options{AllowLoopback: true})
	res, err := r.Resolve(t.Context(), id)
	assertResolutionError(t, res, err, did.CodeInternalError, netguard.ErrTooManyRedirects)
	if n := s.requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (the first and 3 redirects)", n)
	}

	s.serve("/r2", "application/did+json", document(id)) // after 3 redirects
	if _, err := r.Resolve(t.Context(), id); err != nil {
		t.Errorf("3 redirects: %v", err)
	}
}

func TestResolveLoopbackRefusedByDefault(t *testing.T) {
	s := newServer(t)
	id := s.did()
	s.serve("/.well-known/did.json", "application/did+json", document(id))
	r := s.resolver(t, web.Options{})
	var tr tracer
	res, err := r.Resolve(tr.context(t.Context()), id)
	assertResolutionError(t, res, err, did.CodeInvalidDID, did.ErrForbiddenAddress)
	tr.none(t)
	if n := s.requests.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestResolveRefusesNonPublicHosts(t *testing.T) {
	for _, loopback := range []bool{false, true} {
		r, err := web.New(&http.Client{Transport: &http.Transport{}}, web.Options{AllowLoopback: loopback})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range ssrfDIDs {
			if loopback && tc.loopback {
				continue
			}
			t.Run(fmt.Sprintf("loopback=%v/%s", loopback, tc.did), func(t *testing.T) {
				var tr tracer
				res, err := r.Resolve(tr.context(t.Context()), tc.did)
				assertResolutionError(t, res, err, did.CodeInvalidDID, tc.want)
				tr.none(t)
			})
		}
	}
}

func TestResolveOtherMethod(t *testing.T) {
	r, err := web.New(&http.Client{}, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		did  string
		code string
		want error
	}{
		{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", did.CodeMethodNotSupported, did.ErrMethodNotSupported},
		{"did:webs:example.com", did.CodeMethodNotSupported, did.ErrMethodNotSupported},
		{"did:web:example.com#key-1", did.CodeInvalidDID, did.ErrInvalidDID},
		{"https://example.com", did.CodeInvalidDID, did.ErrInvalidDID},
		{"", did.CodeInvalidDID, did.ErrInvalidDID},
	} {
		t.Run(tc.did, func(t *testing.T) {
			var tr tracer
			res, err := r.Resolve(tr.context(t.Context()), tc.did)
			assertResolutionError(t, res, err, tc.code, tc.want)
			tr.none(t)
		})
	}
}

func TestResolveLimits(t *testing.T) {
	s := newServer(t)
	id := s.did()
	doc := document(id)
	s.serve("/.well-known/did.json", "application/did+json", doc)
	s.handle("/slow/did.json", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})

	small := s.resolver(t, web.Options{AllowLoopback: true, MaxDocumentBytes: int64(len(doc) - 1)})
	res, err := small.Resolve(t.Context(), id)
	assertResolutionError(t, res, err, did.CodeInvalidDIDDocument, did.ErrTooLarge)
	exact := s.resolver(t, web.Options{AllowLoopback: true, MaxDocumentBytes: int64(len(doc))})
	if _, err := exact.Resolve(t.Context(), id); err != nil {
		t.Errorf("document of exactly MaxDocumentBytes: %v", err)
	}

	fast := s.resolver(t, web.Options{AllowLoopback: true, Timeout: 100 * time.Millisecond})
	start := time.Now()
	res, err = fast.Resolve(t.Context(), s.did("slow"))
	assertResolutionError(t, res, err, did.CodeInternalError, context.DeadlineExceeded)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timeout after %v", d)
	}

	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	res, err = s.resolver(t, web.Options{AllowLoopback: true}).Resolve(ctx, s.did("slow"))
	assertResolutionError(t, res, err, did.CodeInternalError, context.Canceled)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client *http.Client
		opts   web.Options
		want   error
	}{
		{"zero options", &http.Client{}, web.Options{}, nil},
		{"explicit limits", &http.Client{}, web.Options{MaxDocumentBytes: 1024, Timeout: time.Second}, nil},
		{"largest document", &http.Client{}, web.Options{MaxDocumentBytes: web.DefaultMaxDocumentBytes}, nil},
		{"nil client", nil, web.Options{}, web.ErrInvalidOptions},
		{"negative size", &http.Client{}, web.Options{MaxDocumentBytes: -1}, web.ErrInvalidOptions},
		{"size above did.MaxDocumentBytes", &http.Client{}, web.Options{MaxDocumentBytes: web.DefaultMaxDocumentBytes + 1}, web.ErrInvalidOptions},
		{"negative timeout", &http.Client{}, web.Options{Timeout: -time.Second}, web.ErrInvalidOptions},
		{"unguardable transport", &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) {
			t.Error("custom transport used")
			return nil, errors.New("unreachable")
		})}, web.Options{}, web.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := web.New(tc.client, tc.opts)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("New: %v, want %v", err, tc.want)
			}
			if (r == nil) != (err != nil) {
				t.Errorf("New = %v, %v", r, err)
			}
		})
	}
}

func TestResolveConcurrent(t *testing.T) {
	s := newServer(t)
	id := s.did()
	s.serve("/.well-known/did.json", "application/did+json", document(id))
	r := s.resolver(t, web.Options{AllowLoopback: true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := r.Resolve(t.Context(), id); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}
