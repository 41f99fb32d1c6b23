package did

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Defaults of [CacheOptions].
const (
	DefaultCacheSize = 256
	DefaultCacheTTL  = 5 * time.Minute
)

// CacheOptions configures a [Cache]. The zero value is usable.
type CacheOptions struct {
	Size  int              // most entries kept; if 0 or negative, DefaultCacheSize
	TTL   time.Duration    // how long an entry is kept; if 0 or negative, DefaultCacheTTL
	Clock func() time.Time // if nil, time.Now
}

// Cache is a [Resolver] that keeps successful resolutions of another Resolver, keyed by
// the DID string, for at most TTL, evicting the least recently used entry beyond Size.
// Errors are never cached. Each Cache has its own entries; it is safe for concurrent use.
// Make one with [NewCache]; the zero value is not usable.
//
// Each call returns its own deep copy of the resolution ([Resolution.Clone]): a caller
// may change what it gets without changing what the cache or other callers see.
// Concurrent misses for the same DID each call the underlying Resolver.
type Cache struct {
	next  Resolver
	size  int
	ttl   time.Duration
	clock func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // of *cacheEntry
	lru     list.List                // front: most recently used
}

type cacheEntry struct {
	did     string
	res     *Resolution
	expires time.Time
}

// NewCache returns a Cache in front of r.
func NewCache(r Resolver, opts CacheOptions) *Cache {
	c := &Cache{next: r, size: opts.Size, ttl: opts.TTL, clock: opts.Clock, entries: make(map[string]*list.Element)}
	if c.size <= 0 {
		c.size = DefaultCacheSize
	}
	if c.ttl <= 0 {
		c.ttl = DefaultCacheTTL
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	return c
}

// Resolve returns a copy of the cached resolution of did if there is one that has not
// expired, and otherwise resolves did with the underlying Resolver and caches a success.
func (c *Cache) Resolve(ctx context.Context, did string) (*Resolution, error) {
	if res := c.get(did); res != nil {
		return res, nil
	}
	res, err := c.next.Resolve(ctx, did)
	if err != nil || res == nil {
		return res, err
	}
	c.put(did, res.Clone())
	return res, nil
}

// Len returns the number of entries, expired ones included until they are looked up or
// evicted.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

func (c *Cache) get(did string) *Resolution {
	now := c.clock()
	c.mu.Lock()
	el, ok := c.entries[did]
	if !ok {
		c.mu.Unlock()
		return nil
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.lru.Remove(el)
		delete(c.entries, did)
		c.mu.Unlock()
		return nil
	}
	c.lru.MoveToFront(el)
	// A stored resolution is never changed (put replaces it), so it can be copied
	// after unlocking.
	res := e.res
	c.mu.Unlock()
	return res.Clone()
}

func (c *Cache) put(did string, res *Resolution) {
	expires := c.clock().Add(c.ttl)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[did]; ok {
		e := el.Value.(*cacheEntry)
		e.res, e.expires = res, expires
		c.lru.MoveToFront(el)
		return
	}
	c.entries[did] = c.lru.PushFront(&cacheEntry{did: did, res: res, expires: expires})
	for c.lru.Len() > c.size {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).did)
	}
}
