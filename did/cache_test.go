package did

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func cacheFixture(t testing.TB, n int) *fakeResolver {
	t.Helper()
	f := &fakeResolver{}
	base := mustParseDocument(t, "valid-basic.json")
	for i := range n {
		id := fmt.Sprintf("did:example:%d", i)
		f.set(id, &Resolution{Document: base.withID(id)})
	}
	return f
}

func TestCacheHit(t *testing.T) {
	f := cacheFixture(t, 1)
	c := NewCache(f, CacheOptions{})
	ctx := context.Background()
	first, err := c.Resolve(ctx, "did:example:0")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.calls.Load(); got != 1 {
		t.Errorf("underlying resolver called %d times, want 1", got)
	}
	// Changing a result must not change the cache.
	first.Document.VerificationMethod[0].PublicKeyMultibase = "zchanged"
	second, _ := c.Resolve(ctx, "did:example:0")
	second.Document.Service[0].ServiceEndpoint[1] = 'X'
	second.Document.ID = "did:example:mallory"
	third, _ := c.Resolve(ctx, "did:example:0")
	if third.Document.VerificationMethod[0].PublicKeyMultibase == "zchanged" ||
		third.Document.Service[0].ServiceEndpoint[1] == 'X' || third.Document.ID != "did:example:0" {
		t.Error("a caller's change reached the cached resolution")
	}
}

func TestCacheLRU(t *testing.T) {
	f := cacheFixture(t, 4)
	c := NewCache(f, CacheOptions{Size: 2})
	ctx := context.Background()
	resolve := func(i int) {
		t.Helper()
		if _, err := c.Resolve(ctx, fmt.Sprintf("did:example:%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	resolve(0)
	resolve(1)
	resolve(0) // 0 is now the most recently used
	resolve(2) // evicts 1
	if got := f.calls.Load(); got != 3 {
		t.Fatalf("calls = %d, want 3", got)
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	resolve(0) // hit
	if got := f.calls.Load(); got != 3 {
		t.Errorf("0 was evicted: calls = %d, want 3", got)
	}
	resolve(1) // miss, evicts 2
	if got := f.calls.Load(); got != 4 {
		t.Errorf("1 was not evicted: calls = %d, want 4", got)
	}
	resolve(2)
	if got := f.calls.Load(); got != 5 {
		t.Errorf("2 was not evicted: calls = %d, want 5", got)
	}
}

func TestCacheTTL(t *testing.T) {
	f := cacheFixture(t, 1)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := NewCache(f, CacheOptions{TTL: time.Minute, Clock: clock.Now})
	ctx := context.Background()
	if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(59 * time.Second)
	if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
		t.Fatal(err)
	}
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("before expiry: calls = %d, want 1", got)
	}
	clock.Advance(time.Second)
	if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
		t.Fatal(err)
	}
	if got := f.calls.Load(); got != 2 {
		t.Fatalf("at expiry: calls = %d, want 2", got)
	}
	clock.Advance(30 * time.Second)
	if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
		t.Fatal(err)
	}
	if got := f.calls.Load(); got != 2 {
		t.Errorf("after refresh: calls = %d, want 2", got)
	}
}

func TestCacheErrorsNotCached(t *testing.T) {
	f := &fakeResolver{}
	c := NewCache(f, CacheOptions{})
	ctx := context.Background()
	for range 3 {
		if _, err := c.Resolve(ctx, "did:example:0"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("error = %v, want %v", err, ErrNotFound)
		}
	}
	if got := f.calls.Load(); got != 3 {
		t.Errorf("calls = %d, want 3", got)
	}
	f.set("did:example:0", &Resolution{Document: mustParseDocument(t, "valid-basic.json").withID("did:example:0")})
	if _, err := c.Resolve(ctx, "did:example:0"); err != nil {
		t.Fatalf("after the DID appeared: %v", err)
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d, want 1", c.Len())
	}
}

func TestCacheDefaults(t *testing.T) {
	c := NewCache(&fakeResolver{}, CacheOptions{Size: -1, TTL: -1})
	if c.size != DefaultCacheSize || c.ttl != DefaultCacheTTL || c.clock == nil {
		t.Errorf("defaults: size %d, ttl %v", c.size, c.ttl)
	}
}

func TestCacheConcurrent(t *testing.T) {
	const dids = 20
	f := cacheFixture(t, dids)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := NewCache(f, CacheOptions{Size: 8, TTL: time.Second, Clock: clock.Now})
	reg := NewRegistry()
	if err := reg.Register("example", c); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				id := fmt.Sprintf("did:example:%d", (g*7+i)%dids)
				res, err := c.Resolve(context.Background(), id)
				if err != nil {
					t.Error(err)
					return
				}
				res.Document.VerificationMethod[0].Type = "changed" // must not race with others
				if _, err := reg.Dereference(context.Background(), id+"#key-1", Authentication); err != nil {
					t.Error(err)
					return
				}
				if i%50 == 0 {
					clock.Advance(300 * time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() > 8 {
		t.Errorf("Len = %d, more than Size", c.Len())
	}
}
