package vc

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ReplayStore remembers presentation nonces until they expire, so that a presentation
// cannot be accepted twice. Implementations must be safe for concurrent use; a verifier
// that runs on several machines needs a shared store.
type ReplayStore interface {
	// Use records key until expires. It returns an error wrapping ErrReplay if key is
	// already recorded and not yet expired.
	Use(ctx context.Context, key string, expires time.Time) error
}

// MemoryReplayStore is an in-memory ReplayStore for one process, holding at most a
// bounded number of keys. Safe for concurrent use.
type MemoryReplayStore struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	seen  map[string]time.Time
	order []string // insertion order, for pruning
}

// NewMemoryReplayStore makes a store for at most max keys (if 0, 100,000). When full,
// expired keys are dropped first; if none has expired, Use fails closed with ErrReplay
// rather than forgetting a live nonce. clock may be nil (time.Now).
func NewMemoryReplayStore(max int, clock func() time.Time) *MemoryReplayStore {
	if max <= 0 {
		max = 100_000
	}
	if clock == nil {
		clock = time.Now
	}
	return &MemoryReplayStore{max: max, now: clock, seen: make(map[string]time.Time)}
}

// Use implements ReplayStore.
func (s *MemoryReplayStore) Use(_ context.Context, key string, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if exp, ok := s.seen[key]; ok && now.Before(exp) {
		return fmt.Errorf("vc: nonce already used: %w", ErrReplay)
	}
	if len(s.seen) >= s.max {
		s.prune(now)
		if len(s.seen) >= s.max {
			return fmt.Errorf("vc: replay store full: %w", ErrReplay)
		}
	}
	if _, ok := s.seen[key]; !ok {
		s.order = append(s.order, key)
	}
	s.seen[key] = expires
	return nil
}

func (s *MemoryReplayStore) prune(now time.Time) {
	kept := s.order[:0]
	for _, k := range s.order {
		if now.Before(s.seen[k]) {
			kept = append(kept, k)
		} else {
			delete(s.seen, k)
		}
	}
	clear(s.order[len(kept):])
	s.order = kept
}
