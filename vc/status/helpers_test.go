package status

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// mapFetcher serves fixed bodies by URL and counts fetches; tests never touch the network.
type mapFetcher struct {
	mu     sync.Mutex
	bodies map[string][]byte
	n      atomic.Int64
}

func (f *mapFetcher) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	f.n.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.bodies[url]
	if !ok {
		return nil, errors.New("test fetcher: not found")
	}
	return b, nil
}

func (f *mapFetcher) set(url string, b []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.bodies == nil {
		f.bodies = map[string][]byte{}
	}
	f.bodies[url] = b
}

// passThrough stands in for the facade's signature check: it treats the fetched bytes as
// already verified. Tests of the callback's failure use failVerify.
func passThrough(_ context.Context, raw []byte, _ string) ([]byte, error) { return raw, nil }

var errBadSignature = errors.New("test: bad signature")

func failVerify(context.Context, []byte, string) ([]byte, error) { return nil, errBadSignature }

func newTestChecker(t testing.TB, f Fetcher, now *time.Time) *Checker {
	t.Helper()
	c, err := NewChecker(CheckerOptions{
		Fetch:           f,
		VerifyBitstring: passThrough,
		VerifyToken:     passThrough,
		Clock:           func() time.Time { return *now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// listCred builds a status list credential document for l.
func listCred(t testing.TB, l *BitstringList, opts BitstringCredentialOptions) []byte {
	t.Helper()
	b, err := l.Credential(opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes JSON, applies f and encodes again.
func edit(t testing.TB, doc []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// The bombs inflate to one byte past DefaultMaxListBytes; built once, they are slow to
// compress under the race detector.
var (
	gzipBomb = sync.OnceValue(func() []byte { z, _ := gzipBytes(make([]byte, DefaultMaxListBytes+1)); return z })
	zlibBomb = sync.OnceValue(func() []byte { z, _ := zlibBytes(make([]byte, DefaultMaxListBytes+1)); return z })
)
