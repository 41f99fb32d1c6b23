package status

import (
	"context"
	"net/http"
	"time"

	"github.com/credence-dev/credence/internal/netguard"
)

// Fetcher retrieves a status list. Implementations must be safe for concurrent use.
type Fetcher interface {
	// Fetch returns the body at url, asking for the media types in accept.
	Fetch(ctx context.Context, url string, accept string) ([]byte, error)
}

// DefaultMaxFetchBytes bounds a fetched status list (DESIGN.md §5): 1 MiB.
const DefaultMaxFetchBytes = 1 << 20

// HTTPFetcherOptions is the policy of an HTTPFetcher. The zero value is safe: https only,
// public addresses only, 3 redirects, 10 s, 1 MiB bodies.
type HTTPFetcherOptions struct {
	// AllowLoopback permits 127.0.0.0/8, ::1 and localhost. For tests against httptest
	// servers only.
	AllowLoopback bool
	// MaxBodyBytes bounds a body; 0 means DefaultMaxFetchBytes.
	MaxBodyBytes int64
	// Timeout bounds a request; 0 means 10 s.
	Timeout time.Duration
}

// HTTPFetcher fetches status lists over HTTPS through the library's network guard: https
// only, no private, loopback or link-local address (checked on the address dialed, after
// DNS), bounded redirects, time and body size. It is safe for concurrent use.
type HTTPFetcher struct {
	g *netguard.Guard
}

// NewHTTPFetcher returns an HTTPFetcher that sends requests like client (its TLS settings
// and transport options) under opts. A nil client is ErrInvalidOptions: there is no
// default client.
func NewHTTPFetcher(client *http.Client, opts HTTPFetcherOptions) (*HTTPFetcher, error) {
	g, err := netguard.NewFetchGuard("status", client, opts.AllowLoopback, opts.MaxBodyBytes, DefaultMaxFetchBytes, opts.Timeout)
	if err != nil {
		return nil, err
	}
	return &HTTPFetcher{g: g}, nil
}

// Fetch gets url with the given Accept header and returns the body of a 2xx response.
// Errors wrap the network guard's sentinels (ErrInsecureURL, ErrForbiddenAddress,
// ErrTooLarge, ...).
func (f *HTTPFetcher) Fetch(ctx context.Context, url string, accept string) ([]byte, error) {
	return f.g.Fetch(ctx, url, accept)
}
