package openid4vp

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Session is what a Verifier keeps about one Authorization Request between creating it
// and receiving its response. It is plain data so that a SessionStore shared by several
// replicas can hold it (a request started on one completes on another).
type Session struct {
	State   string    `json:"state"`
	Nonce   string    `json:"nonce"`
	Expires time.Time `json:"expires"`
	// Request is the Authorization Request's parameters as JSON.
	Request []byte `json:"request"`
	// RequestObject is the signed request object served at the request_uri.
	RequestObject []byte `json:"request_object,omitempty"`
	// DecryptionKey is the private half of the request's ephemeral encryption key
	// (direct_post.jwt), raw P-256 scalar bytes. It lives only as long as the session.
	DecryptionKey []byte `json:"decryption_key,omitempty"`
	// Done is set once a response was accepted or refused; Result holds the outcome.
	Done   bool    `json:"done"`
	Result *Result `json:"result,omitempty"`
}

// SessionStore keeps sessions until they expire. Implementations must be safe for
// concurrent use; Complete must be atomic across every replica sharing the store, since
// it is what makes a response count once.
type SessionStore interface {
	// Put stores a new session; a session with the same state is an error.
	Put(ctx context.Context, s *Session) error
	// Get returns the session of state, or an error wrapping ErrNotFound (also when it
	// expired).
	Get(ctx context.Context, state string) (*Session, error)
	// Complete records r as the outcome of the pending session state, once: if the
	// session is already done it returns an error wrapping ErrReplay and changes
	// nothing; if it is unknown or expired, ErrNotFound.
	Complete(ctx context.Context, state string, r *Result) error
}

// MemoryStore is a SessionStore in memory, for a single verifier process. Expired
// sessions are dropped as new ones arrive. The zero value is not usable: call
// NewMemoryStore.
type MemoryStore struct {
	mu       sync.Mutex
	sessions map[string]*Session
	clock    func() time.Time
	max      int
}

// NewMemoryStore makes a MemoryStore holding at most max sessions (if 0, 100,000), on
// clock (if nil, time.Now).
func NewMemoryStore(max int, clock func() time.Time) *MemoryStore {
	if max <= 0 {
		max = 100_000
	}
	if clock == nil {
		clock = time.Now
	}
	return &MemoryStore{sessions: map[string]*Session{}, clock: clock, max: max}
}

// Put implements SessionStore.
func (m *MemoryStore) Put(_ context.Context, s *Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	if len(m.sessions) >= m.max {
		for k, v := range m.sessions {
			if now.After(v.Expires) {
				delete(m.sessions, k)
			}
		}
		if len(m.sessions) >= m.max {
			return fmt.Errorf("openid4vp: %d sessions pending: %w", m.max, ErrTooLarge)
		}
	}
	if _, ok := m.sessions[s.State]; ok {
		return fmt.Errorf("openid4vp: session %s exists: %w", s.State, ErrReplay)
	}
	c := *s
	m.sessions[s.State] = &c
	return nil
}

// Get implements SessionStore.
func (m *MemoryStore) Get(_ context.Context, state string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[state]
	if !ok || m.clock().After(s.Expires) {
		return nil, fmt.Errorf("openid4vp: no session %q: %w", state, ErrNotFound)
	}
	c := *s
	return &c, nil
}

// Complete implements SessionStore.
func (m *MemoryStore) Complete(_ context.Context, state string, r *Result) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[state]
	if !ok || m.clock().After(s.Expires) {
		return fmt.Errorf("openid4vp: no session %q: %w", state, ErrNotFound)
	}
	if s.Done {
		return fmt.Errorf("openid4vp: session %q already answered: %w", state, ErrReplay)
	}
	s.Done, s.Result = true, r
	s.DecryptionKey = nil
	return nil
}
