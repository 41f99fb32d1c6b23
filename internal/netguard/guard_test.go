package netguard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
)

// Every test here talks only to httptest servers on 127.0.0.1. Requests to any other
// address must be refused before dialing; dialLog records every address the guard's
// dialer is asked for, so tests can assert that nothing else was attempted.

type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (l *dialLog) record(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addrs = append(l.addrs, addr)
}

func (l *dialLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.addrs...)
}

// onlyTo fails the test if anything other than want was dialed.
func (l *dialLog) onlyTo(t *testing.T, want string) {
	t.Helper()
	for _, a := range l.list() {
		if a != want {
			t.Errorf("dialed %s, want only %s", a, want)
		}
	}
}

type testServer struct {
	*httptest.Server
	conns atomic.Int64 // connections accepted
}

// newServer starts a TLS server on loopback with the test routes:
//
//	/ok             "ok", Content-Type text/plain, echoes Accept in X-Accept
//	/redirect/N     redirects N more times, then /ok
//	/to?u=URL       redirects to URL
//	/status/N       answers status N
//	/bytes/N        N bytes with Content-Length; /chunked/N without
//	/hang           waits until the client goes away
//	/hang-body      sends headers and one byte, then waits
func newServer(t *testing.T) *testServer {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Accept", r.Header.Get("Accept"))
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		next := "/ok"
		if n > 1 {
			next = fmt.Sprintf("/redirect/%d", n-1)
		}
		http.Redirect(w, r, next, http.StatusFound)
	})
	mux.HandleFunc("/to", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("u"), http.StatusFound)
	})
	mux.HandleFunc("/status/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.WriteHeader(n)
	})
	mux.HandleFunc("/bytes/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(bytes.Repeat([]byte("x"), n))
	})
	mux.HandleFunc("/chunked/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.(http.Flusher).Flush() // headers out without a Content-Length
		w.Write(bytes.Repeat([]byte("x"), n))
	})
	// The hanging handlers wait for the end of the test, not for the request's context:
	// that context can end before the client gives up (seen under load), and the
	// handler would then complete the response early.
	quit := make(chan struct{})
	hang := func() {
		select {
		case <-quit:
		case <-time.After(10 * time.Second):
		}
	}
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { hang() })
	mux.HandleFunc("/hang-body", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("x"))
		w.(http.Flusher).Flush()
		hang()
	})
	s := &testServer{Server: httptest.NewUnstartedServer(mux)}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(quit) }) // runs first: the handlers return, then Close
	return s
}

// addr is the server's host:port, 127.0.0.1:port.
func (s *testServer) addr() string { return s.Listener.Addr().String() }

func (s *testServer) port() string {
	_, p, _ := net.SplitHostPort(s.addr())
	return p
}

// guard builds a Guard on the server's own client, so its TLS roots verify.
func (s *testServer) guard(t *testing.T, opts Options) (*Guard, *dialLog) {
	t.Helper()
	var log dialLog
	g, err := newGuard(s.Client(), opts, log.record)
	if err != nil {
		t.Fatalf("newGuard: %v", err)
	}
	return g, &log
}

func TestGet(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, log := s.guard(t, Options{AllowLoopback: true})
	res, err := g.Get(t.Context(), s.URL+"/ok", "application/did+json")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if string(res.Body) != "ok" || res.ContentType != "text/plain" || res.URL != s.URL+"/ok" {
		t.Errorf("Get = %+v", res)
	}
	log.onlyTo(t, s.addr())
	if got := len(log.list()); got != 1 {
		t.Errorf("dialed %d times, want 1", got)
	}
}

func TestGetAccept(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	// The server echoes Accept in a header; read it through Client, which Get uses too.
	g, _ := s.guard(t, Options{AllowLoopback: true})
	for _, accept := range []string{"", "application/did+json"} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/ok", nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := g.Client().Do(req)
		if err != nil {
			t.Fatalf("Client().Do: %v", err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Accept"); got != accept {
			t.Errorf("Accept sent = %q, want %q", got, accept)
		}
	}
}

func TestLoopbackRefused(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, log := s.guard(t, Options{})
	for _, u := range []string{
		s.URL + "/ok",                           // https://127.0.0.1:port
		"https://localhost:" + s.port() + "/ok", // refused by name
		"https://[::1]:" + s.port() + "/ok",
	} {
		res, err := g.Get(t.Context(), u, "")
		if !errors.Is(err, errs.ErrForbiddenAddress) || res != nil {
			t.Errorf("Get(%s) = %v, %v, want %v", u, res, err, errs.ErrForbiddenAddress)
		}
	}
	if got := log.list(); len(got) != 0 {
		t.Errorf("dialed %v, want no dial", got)
	}
	if n := s.conns.Load(); n != 0 {
		t.Errorf("server accepted %d connections, want 0", n)
	}
}

// TestDialTimeRefusal sends a request for the name localhost straight to the guarded
// *http.Transport, past the URL check, so only the dialer's Control hook stands between it
// and the server. The name resolves to loopback and the connect must not happen.
func TestDialTimeRefusal(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, log := s.guard(t, Options{})
	target := "localhost:" + s.port()

	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://"+target+"/ok", nil)
	resp, err := g.tr.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Fatalf("transport RoundTrip(%s) = %v, want %v", target, err, errs.ErrForbiddenAddress)
	}
	if got := log.list(); len(got) != 1 || got[0] != target {
		t.Errorf("dialed %v, want [%s]: the name must reach the dialer unresolved", got, target)
	}

	conn, err := g.dialer.DialContext(t.Context(), "tcp", target)
	if err == nil {
		conn.Close()
	}
	if !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Errorf("dialer.DialContext(%s) = %v, want %v", target, err, errs.ErrForbiddenAddress)
	}
	if n := s.conns.Load(); n != 0 {
		t.Errorf("server accepted %d connections, want 0", n)
	}

	// With AllowLoopback the same route works, and the connection counter sees it.
	ok, _ := s.guard(t, Options{AllowLoopback: true})
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/ok", nil)
	resp, err = ok.tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip with AllowLoopback: %v", err)
	}
	resp.Body.Close()
	if n := s.conns.Load(); n != 1 {
		t.Errorf("server accepted %d connections, want 1", n)
	}
}

func TestGetInvalidURL(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, log := s.guard(t, Options{AllowLoopback: true})
	host := s.addr()
	tests := []struct {
		url  string
		want error
	}{
		{"http://" + host + "/ok", errs.ErrInsecureURL},
		{"ftp://" + host + "/ok", errs.ErrInsecureURL},
		{"https://user:pass@" + host + "/ok", errs.ErrInvalidURL},
		{"https://user@" + host + "/ok", errs.ErrInvalidURL},
		{"https:///ok", errs.ErrInvalidURL},
		{"/ok", errs.ErrInvalidURL},
		{"//" + host + "/ok", errs.ErrInvalidURL},
		{"https://" + host + "/ok%zz", errs.ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			res, err := g.Get(t.Context(), tt.url, "")
			if !errors.Is(err, tt.want) || res != nil {
				t.Errorf("Get(%q) = %v, %v, want %v", tt.url, res, err, tt.want)
			}
		})
	}
	if got := log.list(); len(got) != 0 {
		t.Errorf("dialed %v, want no dial", got)
	}
}

// TestForbiddenLiteralsNotDialed: IP literals in every forbidden class are refused by Get
// and by Client before the dialer is asked for anything.
func TestForbiddenLiteralsNotDialed(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	literals := []string{
		"127.0.0.1", "[::1]", // only without AllowLoopback
		"0.0.0.0", "[::]", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.1",
		"224.0.0.1", "240.0.0.1", "255.255.255.255",
		"[::ffff:10.0.0.1]", "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]",
		"[64:ff9b::a00:1]", "[64:ff9b::a9fe:a9fe]", "[2002:a00:1::1]", "[2002:a9fe:a9fe::1]",
		"[fe80::1]", "[fe80::1%25eth0]", "[fc00::1]", "[fd00::1]", "[ff02::1]", "[2001:db8::1]",
		"[::ffff:0:a00:1]", "[::a00:1]",
	}
	for _, allowLoopback := range []bool{false, true} {
		g, log := s.guard(t, Options{AllowLoopback: allowLoopback})
		for _, lit := range literals {
			if allowLoopback && (lit == "127.0.0.1" || lit == "[::1]") {
				continue
			}
			for _, u := range []string{"https://" + lit + "/", "https://" + lit + ":8443/x"} {
				res, err := g.Get(t.Context(), u, "")
				if !errors.Is(err, errs.ErrForbiddenAddress) || res != nil {
					t.Errorf("AllowLoopback=%v: Get(%s) = %v, %v, want %v", allowLoopback, u, res, err, errs.ErrForbiddenAddress)
				}
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
				if err != nil {
					t.Fatalf("NewRequest(%s): %v", u, err)
				}
				resp, err := g.Client().Do(req)
				if err == nil {
					resp.Body.Close()
				}
				if !errors.Is(err, errs.ErrForbiddenAddress) {
					t.Errorf("AllowLoopback=%v: Client().Do(%s) = %v, want %v", allowLoopback, u, err, errs.ErrForbiddenAddress)
				}
			}
		}
		if got := log.list(); len(got) != 0 {
			t.Errorf("AllowLoopback=%v: dialed %v, want no dial", allowLoopback, got)
		}
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	to := func(target string) string { return s.URL + "/to?u=" + url.QueryEscape(target) }
	tests := []struct {
		name string
		opts Options
		url  string
		want error
	}{
		{"one", Options{}, s.URL + "/redirect/1", nil},
		{"three by default", Options{}, s.URL + "/redirect/3", nil},
		{"fourth refused", Options{}, s.URL + "/redirect/4", ErrTooManyRedirects},
		{"MaxRedirects 1", Options{MaxRedirects: 1}, s.URL + "/redirect/1", nil},
		{"MaxRedirects 1, second refused", Options{MaxRedirects: 1}, s.URL + "/redirect/2", ErrTooManyRedirects},
		{"MaxRedirects 5", Options{MaxRedirects: 5}, s.URL + "/redirect/5", nil},
		{"to http", Options{}, to("http://" + s.addr() + "/ok"), errs.ErrInsecureURL},
		{"to metadata over https", Options{}, to("https://169.254.169.254/latest/meta-data/"), errs.ErrForbiddenAddress},
		{"to metadata over http", Options{}, to("http://169.254.169.254/latest/meta-data/"), errs.ErrInsecureURL},
		{"to metadata over allowed http", Options{AllowHTTP: true}, to("http://169.254.169.254/latest/meta-data/"), errs.ErrForbiddenAddress},
		{"to private", Options{}, to("https://10.0.0.1/"), errs.ErrForbiddenAddress},
		{"to mapped private", Options{}, to("https://[::ffff:192.168.0.1]/"), errs.ErrForbiddenAddress},
		{"to link-local IPv6", Options{}, to("https://[fe80::1]/"), errs.ErrForbiddenAddress},
		{"to internal name", Options{}, to("https://metadata.google.internal/"), errs.ErrForbiddenAddress},
		{"to userinfo", Options{}, to("https://user@" + s.addr() + "/ok"), errs.ErrInvalidURL},
		{"to file", Options{}, to("file:///etc/passwd"), errs.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.AllowLoopback = true
			g, log := s.guard(t, tt.opts)
			res, err := g.Get(t.Context(), tt.url, "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get(%s) = %v, want %v", tt.url, err, tt.want)
			}
			if err == nil && (string(res.Body) != "ok" || res.URL != s.URL+"/ok") {
				t.Errorf("Get(%s) = %+v, want body ok from %s/ok", tt.url, res, s.URL)
			}
			if err != nil && res != nil {
				t.Errorf("Get(%s) returned %+v with %v", tt.url, res, err)
			}
			log.onlyTo(t, s.addr())
		})
	}
}

// TestRedirectBaseCheckRedirect: the base client's CheckRedirect still runs, after ours.
func TestRedirectBaseCheckRedirect(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	base := s.Client()
	var calls atomic.Int64
	base.CheckRedirect = func(*http.Request, []*http.Request) error {
		calls.Add(1)
		return http.ErrUseLastResponse
	}
	g, err := New(base, Options{AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Get(t.Context(), s.URL+"/redirect/1", "")
	var se *StatusError
	if !errors.Is(err, ErrHTTPStatus) || !errors.As(err, &se) || se.Code != http.StatusFound {
		t.Errorf("Get = %v, want a StatusError 302", err)
	}
	if calls.Load() != 1 {
		t.Errorf("base CheckRedirect called %d times, want 1", calls.Load())
	}
	// A redirect our policy refuses never reaches the base hook.
	_, err = g.Get(t.Context(), s.URL+"/to?u="+url.QueryEscape("https://10.0.0.1/"), "")
	if !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Errorf("Get = %v, want %v", err, errs.ErrForbiddenAddress)
	}
	if calls.Load() != 1 {
		t.Errorf("base CheckRedirect called %d times, want 1", calls.Load())
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const limit = 1000
	tests := []struct {
		path string
		opts Options
		want error
	}{
		{"/bytes/1000", Options{MaxBodyBytes: limit}, nil},
		{"/bytes/1001", Options{MaxBodyBytes: limit}, errs.ErrTooLarge},
		{"/chunked/1000", Options{MaxBodyBytes: limit}, nil},
		{"/chunked/1001", Options{MaxBodyBytes: limit}, errs.ErrTooLarge},
		{"/bytes/0", Options{MaxBodyBytes: limit}, nil},
		{fmt.Sprintf("/chunked/%d", DefaultMaxBodyBytes), Options{}, nil},
		{fmt.Sprintf("/chunked/%d", DefaultMaxBodyBytes+1), Options{}, errs.ErrTooLarge},
		{fmt.Sprintf("/bytes/%d", DefaultMaxBodyBytes+1), Options{}, errs.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			tt.opts.AllowLoopback = true
			g, _ := s.guard(t, tt.opts)
			res, err := g.Get(t.Context(), s.URL+tt.path, "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get(%s) = %v, want %v", tt.path, err, tt.want)
			}
			if err != nil {
				if res != nil {
					t.Errorf("Get(%s) returned a response with %v", tt.path, err)
				}
				return
			}
			n, _ := strconv.Atoi(tt.path[strings.LastIndexByte(tt.path, '/')+1:])
			if len(res.Body) != n {
				t.Errorf("Get(%s) body has %d bytes, want %d", tt.path, len(res.Body), n)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, _ := s.guard(t, Options{AllowLoopback: true})
	tests := []struct {
		code int
		want error
	}{
		{200, nil},
		{204, nil},
		{404, errs.ErrNotFound},
		{410, errs.ErrNotFound},
		{400, ErrHTTPStatus},
		{403, ErrHTTPStatus},
		{500, ErrHTTPStatus},
		{503, ErrHTTPStatus},
		{304, ErrHTTPStatus},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			res, err := g.Get(t.Context(), fmt.Sprintf("%s/status/%d", s.URL, tt.code), "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("Get = %v, want %v", err, tt.want)
			}
			if err == nil {
				return
			}
			if res != nil {
				t.Errorf("Get returned a response with %v", err)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Errorf("Get = %v, want a *StatusError with code %d", err, tt.code)
			}
		})
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	// Generous durations: on a loaded machine a TLS handshake alone can take a few
	// hundred milliseconds, and the test must tell a timeout from a slow start.
	g, _ := s.guard(t, Options{AllowLoopback: true, Timeout: time.Second})

	for _, path := range []string{"/hang", "/hang-body"} {
		start := time.Now()
		res, err := g.Get(t.Context(), s.URL+path, "")
		if !errors.Is(err, context.DeadlineExceeded) || res != nil {
			t.Errorf("Get(%s) = %v, %v, want %v", path, res, err, context.DeadlineExceeded)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("Get(%s) took %v with a 1s timeout", path, d)
		}
	}

	// The Timeout also bounds requests sent through Client.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.URL+"/hang", nil)
	if resp, err := g.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("Client().Do(/hang) succeeded, want a timeout")
	}

	slow, _ := s.guard(t, Options{AllowLoopback: true})
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(500*time.Millisecond, cancel)
	if res, err := slow.Get(ctx, s.URL+"/hang", ""); !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("Get with canceled ctx = %v, %v, want %v", res, err, context.Canceled)
	}

	ctx, cancel = context.WithCancel(t.Context())
	cancel()
	if res, err := slow.Get(ctx, s.URL+"/ok", ""); !errors.Is(err, context.Canceled) || res != nil {
		t.Errorf("Get with canceled ctx = %v, %v, want %v", res, err, context.Canceled)
	}

	ctx, cancel = context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if res, err := slow.Get(ctx, s.URL+"/hang-body", ""); !errors.Is(err, context.DeadlineExceeded) || res != nil {
		t.Errorf("Get with ctx deadline = %v, %v, want %v", res, err, context.DeadlineExceeded)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNew(t *testing.T) {
	t.Parallel()
	custom := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("unused")
	})
	tests := []struct {
		name string
		base *http.Client
		opts Options
		want error
	}{
		{"zero client", &http.Client{}, Options{}, nil},
		{"nil client", nil, Options{}, ErrInvalidConfig},
		{"negative MaxRedirects", &http.Client{}, Options{MaxRedirects: -1}, ErrInvalidConfig},
		{"negative Timeout", &http.Client{}, Options{Timeout: -time.Second}, ErrInvalidConfig},
		{"negative MaxBodyBytes", &http.Client{}, Options{MaxBodyBytes: -1}, ErrInvalidConfig},
		{"custom transport", &http.Client{Transport: custom}, Options{}, ErrInvalidConfig},
		{"custom transport allowed", &http.Client{Transport: custom}, Options{AllowCustomTransport: true}, nil},
		{"http.Transport", &http.Client{Transport: &http.Transport{}}, Options{}, nil},
		{"nil *http.Transport", &http.Client{Transport: (*http.Transport)(nil)}, Options{}, ErrInvalidConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(tt.base, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("New = %v, want %v", err, tt.want)
			}
			if (err == nil) != (g != nil) {
				t.Errorf("New = %v, %v: want exactly one of Guard and error", g, err)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	g, err := New(&http.Client{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Options{MaxRedirects: 3, Timeout: 10 * time.Second, MaxBodyBytes: 1 << 20}
	if g.opts != want {
		t.Errorf("opts = %+v, want %+v", g.opts, want)
	}
	if c := g.Client(); c.Timeout != 10*time.Second || c == http.DefaultClient {
		t.Errorf("Client().Timeout = %v", c.Timeout)
	}
	if g.tr == nil || g.tr == http.DefaultTransport {
		t.Errorf("transport is %p, want a fresh clone", g.tr)
	}

	// A shorter base timeout is kept.
	g, err = New(&http.Client{Timeout: time.Second}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := g.Client(); c.Timeout != time.Second {
		t.Errorf("Client().Timeout = %v, want 1s", c.Timeout)
	}
}

// TestNewTransportOverrides: proxy and dial hooks of the base transport are dropped from
// the clone and the base itself is left unchanged. Nothing is sent.
func TestNewTransportOverrides(t *testing.T) {
	t.Parallel()
	proxy := func(*http.Request) (*url.URL, error) { return url.Parse("http://127.0.0.1:9") }
	dial := func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("unused") }
	bt := &http.Transport{Proxy: proxy, DialContext: dial, DialTLSContext: dial}
	base := &http.Client{Transport: bt}
	g, err := New(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.tr == bt {
		t.Fatal("base transport used directly")
	}
	if g.tr.Proxy != nil || g.tr.DialTLSContext != nil || g.tr.DialContext == nil {
		t.Errorf("guarded transport keeps Proxy or DialTLSContext, or lacks DialContext")
	}
	if bt.Proxy == nil || bt.DialTLSContext == nil || base.Transport != bt {
		t.Errorf("base client changed")
	}
	// Changing the client that Client returns does not affect the guard.
	c := g.Client()
	c.CheckRedirect = nil
	c.Transport = nil
	if g.client.CheckRedirect == nil || g.client.Transport == nil {
		t.Errorf("Client returned the guard's own client")
	}
}

// TestNewFromGuardClient: a client from Guard.Client can be guarded again, with a new
// policy, and still dials through the guard.
func TestNewFromGuardClient(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, _ := s.guard(t, Options{AllowLoopback: true})
	var log dialLog
	g2, err := newGuard(g.Client(), Options{AllowLoopback: true, MaxBodyBytes: 1}, log.record)
	if err != nil {
		t.Fatalf("New(Guard.Client()) = %v", err)
	}
	if _, err := g2.Get(t.Context(), s.URL+"/ok", ""); !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("Get = %v, want %v", err, errs.ErrTooLarge)
	}
	log.onlyTo(t, s.addr())
	if len(log.list()) != 1 {
		t.Errorf("dialed %v, want one dial through the new guard", log.list())
	}
	strict, err := New(g.Client(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Get(t.Context(), s.URL+"/ok", ""); !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Errorf("Get = %v, want %v", err, errs.ErrForbiddenAddress)
	}
}

// TestCustomTransport: with AllowCustomTransport only URL-level checks apply. The custom
// transport answers without any network.
func TestCustomTransport(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	custom := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen = append(seen, r.URL.String())
		mu.Unlock()
		return &http.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       io.NopCloser(strings.NewReader("{}")),
			Request:    r,
		}, nil
	})
	g, err := New(&http.Client{Transport: custom}, Options{AllowCustomTransport: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Get(t.Context(), "https://example.com/did.json", "")
	if err != nil || string(res.Body) != "{}" || res.ContentType != "application/json" {
		t.Fatalf("Get = %+v, %v", res, err)
	}
	for _, u := range []string{"https://169.254.169.254/", "https://localhost/", "http://example.com/"} {
		if _, err := g.Get(t.Context(), u, ""); err == nil {
			t.Errorf("Get(%s) succeeded", u)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
		if resp, err := g.Client().Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("Client().Do(%s) succeeded", u)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 {
		t.Errorf("custom transport saw %v, want only the allowed URL", seen)
	}
}

// TestConcurrentGet: one Guard serves many goroutines.
func TestConcurrentGet(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	g, _ := s.guard(t, Options{AllowLoopback: true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := g.Get(t.Context(), s.URL+"/redirect/2", ""); err != nil {
				t.Errorf("Get: %v", err)
			}
		})
	}
	wg.Wait()
}
