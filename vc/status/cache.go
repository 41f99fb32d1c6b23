package status

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// cache is a bounded LRU of decoded lists with an expiry per entry, which also makes
// concurrent loads of one key share a single load.
type cache struct {
	mu       sync.Mutex
	max      int
	ll       *list.List // front: most recently used
	items    map[string]*list.Element
	inflight map[string]*call
}

type cacheItem struct {
	key     string
	val     any
	expires time.Time
}

type call struct {
	done chan struct{}
	val  any
	err  error
}

func newCache(max int) *cache {
	return &cache{max: max, ll: list.New(), items: map[string]*list.Element{}, inflight: map[string]*call{}}
}

// get returns the cached value for key if it has not expired at now, and otherwise runs
// load once for all concurrent callers. load returns the value and when it expires.
func (c *cache) get(ctx context.Context, key string, now time.Time, load func(context.Context) (any, time.Time, error)) (any, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		it := el.Value.(*cacheItem)
		if now.Before(it.expires) {
			c.ll.MoveToFront(el)
			c.mu.Unlock()
			return it.val, nil
		}
		c.ll.Remove(el)
		delete(c.items, key)
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.val, cl.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	val, expires, err := load(ctx)
	cl.val, cl.err = val, err

	c.mu.Lock()
	delete(c.inflight, key)
	if err == nil && c.max > 0 && now.Before(expires) {
		c.items[key] = c.ll.PushFront(&cacheItem{key: key, val: val, expires: expires})
		for c.ll.Len() > c.max {
			old := c.ll.Back()
			c.ll.Remove(old)
			delete(c.items, old.Value.(*cacheItem).key)
		}
	}
	c.mu.Unlock()
	close(cl.done)
	return val, err
}
