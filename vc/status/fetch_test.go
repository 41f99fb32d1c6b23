package status

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// tlsServer starts a loopback HTTPS server and counts the connections made to it.
func tlsServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &conns
}

func TestHTTPFetcher(t *testing.T) {
	t.Parallel()
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	l.Set(42, 1)
	var doc []byte
	var gotAccept atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/status/1", func(w http.ResponseWriter, r *http.Request) {
		gotAccept.Store(r.Header.Get("Accept"))
		w.Header().Set("Content-Type", "application/vc")
		w.Write(doc)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, DefaultMaxFetchBytes+1)) })
	srv, conns := tlsServer(t, mux)
	doc = listCred(t, l, BitstringCredentialOptions{ID: srv.URL + "/status/1", Issuer: testIssuer, Purpose: []string{PurposeRevocation}})

	f, err := NewHTTPFetcher(srv.Client(), HTTPFetcherOptions{AllowLoopback: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough, Clock: func() time.Time { return testNow }})
	entry := func(u string, i int) []BitstringEntry {
		return []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: i, ListCredential: u}}
	}
	if _, err := c.CheckBitstring(t.Context(), entry(srv.URL+"/status/1", 42), testIssuer); !errors.Is(err, ErrRevoked) {
		t.Errorf("over https: got %v, want %v", err, ErrRevoked)
	}
	if a, _ := gotAccept.Load().(string); a != BitstringMediaTypes {
		t.Errorf("Accept %q", a)
	}
	for _, tt := range []struct {
		name string
		path string
	}{
		{"redirect loop", "/loop/a"},
		{"HTTP 410", "/gone"},
		{"body over 1 MiB", "/big"},
	} {
		if _, err := c.CheckBitstring(t.Context(), entry(srv.URL+tt.path, 1), testIssuer); !errors.Is(err, ErrStatusRetrieval) {
			t.Errorf("%s: got %v, want %v", tt.name, err, ErrStatusRetrieval)
		}
	}
	if _, err := f.Fetch(t.Context(), srv.URL+"/big", ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big body: got %v, want %v", err, ErrTooLarge)
	}
	if conns.Load() == 0 {
		t.Error("no connection counted")
	}
}

// TestHTTPFetcherRefusesPrivateAddresses: without AllowLoopback, loopback, private and
// link-local targets are refused with ErrForbiddenAddress before any connection.
func TestHTTPFetcherRefusesPrivateAddresses(t *testing.T) {
	t.Parallel()
	srv, conns := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }))
	f, err := NewHTTPFetcher(srv.Client(), HTTPFetcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough})
	for _, u := range []string{
		srv.URL + "/status",                        // 127.0.0.1
		"https://localhost:" + port + "/status",    // a loopback name
		"https://[::1]:" + port + "/status",        // IPv6 loopback
		"https://10.0.0.1/status",                  // RFC 1918
		"https://169.254.169.254/latest/meta-data", // cloud metadata
		"https://[::ffff:127.0.0.1]:" + port + "/status",
	} {
		if _, err := f.Fetch(t.Context(), u, ""); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: got %v, want %v", u, err, ErrForbiddenAddress)
		}
		_, err := c.CheckBitstring(t.Context(), []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: 1, ListCredential: u}}, testIssuer)
		if !errors.Is(err, ErrStatusRetrieval) || !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s through the checker: got %v, want %v and %v", u, err, ErrStatusRetrieval, ErrForbiddenAddress)
		}
	}
	if _, err := f.Fetch(t.Context(), "http://example.com/status", ""); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("http URL: got %v, want %v", err, ErrInsecureURL)
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections reached the server, want 0", n)
	}
	if _, err := NewHTTPFetcher(nil, HTTPFetcherOptions{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil client: got %v, want %v", err, ErrInvalidOptions)
	}
}
