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
	max      int        // entries
	maxBytes int        // total size of the values
	bytes    int        // current total size
	ll       *list.List // front: most recently used
	items    map[string]*list.Element
	inflight map[string]*call
}

type cacheItem struct {
	key     string
	val     any
	size    int
	expires time.Time
}

type call struct {
	done chan struct{}
	val  any
	err  error
}

func newCache(max, maxBytes int) *cache {
	return &cache{max: max, maxBytes: maxBytes, ll: list.New(), items: map[string]*list.Element{}, inflight: map[string]*call{}}
}

func (c *cache) remove(el *list.Element) {
	it := c.ll.Remove(el).(*cacheItem)
	delete(c.items, it.key)
	c.bytes -= it.size
}

// get returns the cached value for key if it has not expired at now, and otherwise runs
// load once for all concurrent callers. load returns the value, its size in bytes and when
// it expires. A value larger than the whole byte budget is used but not kept.
func (c *cache) get(ctx context.Context, key string, now time.Time, load func(context.Context) (any, int, time.Time, error)) (any, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		it := el.Value.(*cacheItem)
		if now.Before(it.expires) {
			c.ll.MoveToFront(el)
			c.mu.Unlock()
			return it.val, nil
		}
		c.remove(el)
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

	val, size, expires, err := load(ctx)
	cl.val, cl.err = val, err

	c.mu.Lock()
	delete(c.inflight, key)
	if err == nil && c.max > 0 && size <= c.maxBytes && now.Before(expires) {
		c.items[key] = c.ll.PushFront(&cacheItem{key: key, val: val, size: size, expires: expires})
		c.bytes += size
		for c.ll.Len() > c.max || c.bytes > c.maxBytes {
			c.remove(c.ll.Back())
		}
	}
	c.mu.Unlock()
	close(cl.done)
	return val, err
}
