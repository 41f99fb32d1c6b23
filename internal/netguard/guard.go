package netguard

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/credence-dev/credence/internal/errs"
)

// Defaults for the zero fields of Options (DESIGN.md §5).
const (
	DefaultMaxRedirects = 3
	DefaultTimeout      = 10 * time.Second
	DefaultMaxBodyBytes = 1 << 20
)

// drainBytes is how much of an unwanted body Get reads so the connection can be reused.
const drainBytes = 4 << 10

// Options is the policy of a Guard. The zero value is the safe policy: https only, public
// addresses only, 3 redirects, 10 s, 1 MiB bodies.
type Options struct {
	// AllowLoopback permits 127.0.0.0/8, ::1 and the names localhost and *.localhost, and
	// nothing else (not their IPv4-mapped forms, not private ranges). For tests against
	// httptest servers only.
	AllowLoopback bool
	// AllowHTTP permits plain http URLs and redirects. For tests only.
	AllowHTTP bool
	// AllowCustomTransport lets New accept a base client whose Transport is not an
	// *http.Transport. Such a transport cannot be made to dial through the guard, so only
	// the URL-level checks of CheckURL apply: IP literals and local names are refused, but
	// the addresses that names resolve to are not checked, and DNS rebinding is not
	// prevented. Use it only when the custom transport enforces its own address policy.
	AllowCustomTransport bool
	// MaxRedirects is how many redirects a request may follow; 0 means
	// DefaultMaxRedirects. Negative values are refused by New.
	MaxRedirects int
	// Timeout bounds a whole request, body included; 0 means DefaultTimeout. Negative
	// values are refused by New.
	Timeout time.Duration
	// MaxBodyBytes bounds a body read by Get; 0 means DefaultMaxBodyBytes. Negative values
	// are refused by New. A body one byte longer is errs.ErrTooLarge, never truncated.
	MaxBodyBytes int64
}

// Guard makes outbound HTTP requests under an Options policy. It is immutable and safe for
// concurrent use.
type Guard struct {
	opts   Options         // defaults filled in
	client *http.Client    // the guarded client; Client returns copies
	dialer *net.Dialer     // nil with a custom transport
	onDial func(string)    // test hook: called with the address before each dial
	tr     *http.Transport // the transport that dials through dialer; nil with a custom one
}

// New returns a Guard that sends requests like base (its Jar, TLS settings and timeouts)
// but under opts. base is not modified and is never used directly; nil base is an error,
// there is no default client.
//
// The guarded transport is a clone of base.Transport (or of http.DefaultTransport's
// settings when it is nil) with these changes:
//   - dialing goes through a net.Dialer whose Control hook refuses every non-public
//     address at connect time, after DNS resolution, so a name that resolves (or rebinds)
//     to a private address is refused before any packet is sent to it;
//   - Proxy is removed, because a proxy would dial on our behalf, past the address check;
//   - DialContext, Dial, DialTLSContext and DialTLS of base are replaced, for the same
//     reason.
//
// A base.Transport of any other type is refused with ErrInvalidConfig unless
// opts.AllowCustomTransport is set (see there). A client returned by another Guard's
// Client is accepted: its transport is guarded again under opts. base.CheckRedirect, if
// any, runs after the guard's own redirect checks, so both policies apply; base.Timeout
// applies when shorter than opts.Timeout.
func New(base *http.Client, opts Options) (*Guard, error) {
	return newGuard(base, opts, nil)
}

func newGuard(base *http.Client, opts Options, onDial func(string)) (*Guard, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: nil *http.Client", ErrInvalidConfig)
	}
	if opts.MaxRedirects < 0 || opts.Timeout < 0 || opts.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("%w: negative limit in Options", ErrInvalidConfig)
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	g := &Guard{opts: opts, onDial: onDial}

	bt := base.Transport
	if ct, ok := bt.(*checkedTransport); ok {
		// base came from another Guard's Client: guard what it wraps, under opts.
		bt = ct.next
	}
	var rt http.RoundTripper
	switch t := bt.(type) {
	case nil:
		dt, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("%w: http.DefaultTransport is not an *http.Transport", ErrInvalidConfig)
		}
		g.tr = dt.Clone()
	case *http.Transport:
		if t == nil {
			return nil, fmt.Errorf("%w: nil *http.Transport", ErrInvalidConfig)
		}
		g.tr = t.Clone()
	default:
		if !opts.AllowCustomTransport {
			return nil, fmt.Errorf("%w: transport %T cannot be guarded (see Options.AllowCustomTransport)", ErrInvalidConfig, t)
		}
		rt = t
	}
	if g.tr != nil {
		allowLoopback := opts.AllowLoopback
		g.dialer = &net.Dialer{
			Timeout:   opts.Timeout,
			KeepAlive: 30 * time.Second,
			ControlContext: func(_ context.Context, network, address string, _ syscall.RawConn) error {
				return checkDial(network, address, allowLoopback)
			},
		}
		g.tr.Proxy = nil
		g.tr.OnProxyConnectResponse = nil
		g.tr.GetProxyConnectHeader = nil
		g.tr.Dial = nil    //lint:ignore SA1019 cleared so that it cannot bypass the guard
		g.tr.DialTLS = nil //lint:ignore SA1019 cleared so that it cannot bypass the guard
		g.tr.DialTLSContext = nil
		g.tr.DialContext = g.dialContext
		rt = g.tr
	}

	timeout := opts.Timeout
	if base.Timeout > 0 && base.Timeout < timeout {
		timeout = base.Timeout
	}
	next := base.CheckRedirect
	g.client = &http.Client{
		Transport: &checkedTransport{next: rt, opts: opts},
		Jar:       base.Jar,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if err := g.checkRedirect(req, via); err != nil {
				return err
			}
			if next != nil {
				return next(req, via)
			}
			return nil
		},
	}
	return g, nil
}

// Client returns a new *http.Client that applies the guard's policy to every request:
// each URL (the first and every redirect) is checked as CheckURL does, redirects are
// limited to Options.MaxRedirects, Options.Timeout bounds each request, and dialing
// refuses non-public addresses. It does not limit body sizes: read bodies through
// io.LimitReader, or use Get. Changing the returned client does not affect the Guard.
func (g *Guard) Client() *http.Client {
	c := *g.client
	return &c
}

// Response is the result of a successful Get.
type Response struct {
	Body        []byte // the whole body, at most Options.MaxBodyBytes
	ContentType string // the Content-Type header as sent, possibly empty
	URL         string // the final URL, after redirects
}

// Get fetches rawURL with an Accept header of accept (none when empty) and returns the
// body of a 2xx response. rawURL is checked as CheckURL does before anything is sent.
//
// Errors: the sentinels of CheckURL (for rawURL, a redirect target, or the address dialed);
// ErrTooManyRedirects; errs.ErrTooLarge for a body over Options.MaxBodyBytes;
// a *StatusError wrapping errs.ErrNotFound (404, 410) or ErrHTTPStatus (any other
// non-2xx status); context.Canceled or context.DeadlineExceeded when ctx ends or
// Options.Timeout passes; otherwise the transport's error (connection refused, TLS).
func (g *Guard) Get(ctx context.Context, rawURL string, accept string) (*Response, error) {
	u, err := CheckURL(rawURL, g.opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, g.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("netguard: %w: %v", errs.ErrInvalidURL, err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("netguard: %w", err) // a *url.Error, naming method and URL
	}
	defer resp.Body.Close()
	final := resp.Request.URL.Redacted()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.CopyN(io.Discard, resp.Body, drainBytes)
		return nil, fmt.Errorf("netguard: GET %s: %w", final, newStatusError(resp.StatusCode))
	}
	limit := g.opts.MaxBodyBytes
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("netguard: GET %s: %w: body of %d bytes, limit %d", final, errs.ErrTooLarge, resp.ContentLength, limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("netguard: GET %s: reading body: %w", final, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("netguard: GET %s: %w: body over %d bytes", final, errs.ErrTooLarge, limit)
	}
	return &Response{Body: body, ContentType: resp.Header.Get("Content-Type"), URL: resp.Request.URL.String()}, nil
}

func (g *Guard) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > g.opts.MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, g.opts.MaxRedirects)
	}
	if err := checkURL(req.URL, g.opts); err != nil {
		return fmt.Errorf("netguard: redirect: %w", err)
	}
	return nil
}

func (g *Guard) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if g.onDial != nil {
		g.onDial(address)
	}
	return g.dialer.DialContext(ctx, network, address)
}

// checkDial is the dialer's Control hook: it runs after name resolution, on the address
// about to be connected, before the connect system call.
func checkDial(network, address string, allowLoopback bool) error {
	if network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("netguard: dial: %w: network %s", errs.ErrForbiddenAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("netguard: dial: %w: cannot parse address", errs.ErrForbiddenAddress)
	}
	if err := checkAddr(ap.Addr(), allowLoopback); err != nil {
		return fmt.Errorf("netguard: dial: %w", err)
	}
	return nil
}

// checkedTransport checks every request URL before handing it to next, so that requests
// sent through Guard.Client get the same URL policy as Get.
type checkedTransport struct {
	next http.RoundTripper
	opts Options
}

// RoundTrip checks the request URL, then sends it through the guarded transport.
func (t *checkedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := checkURL(req.URL, t.opts); err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // RoundTrip must close the body, even on error
		}
		return nil, fmt.Errorf("netguard: %w", err)
	}
	return t.next.RoundTrip(req)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the inner transport.
func (t *checkedTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
