package netguard

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/credence-dev/credence/internal/errs"
)

// NewFetchGuard is New for the library's exported HTTP fetchers (status lists, schemas,
// type metadata): it refuses a nil client and negative limits with errs.ErrInvalidOptions
// (naming pkg in the message), and applies maxBody (if 0, def) and timeout (if 0, the
// default).
func NewFetchGuard(pkg string, client *http.Client, allowLoopback bool, maxBody, def int64, timeout time.Duration) (*Guard, error) {
	if client == nil {
		return nil, fmt.Errorf("%s: NewHTTPFetcher: %w: nil *http.Client", pkg, errs.ErrInvalidOptions)
	}
	if maxBody < 0 || timeout < 0 {
		return nil, fmt.Errorf("%s: NewHTTPFetcher: %w: negative limit", pkg, errs.ErrInvalidOptions)
	}
	if maxBody == 0 {
		maxBody = def
	}
	g, err := New(client, Options{AllowLoopback: allowLoopback, MaxBodyBytes: maxBody, Timeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("%s: NewHTTPFetcher: %w: %w", pkg, errs.ErrInvalidOptions, err)
	}
	return g, nil
}

// Fetch gets url with the given Accept header and returns the body of a 2xx response.
func (g *Guard) Fetch(ctx context.Context, url, accept string) ([]byte, error) {
	res, err := g.Get(ctx, url, accept)
	if err != nil {
		return nil, err
	}
	return res.Body, nil
}
