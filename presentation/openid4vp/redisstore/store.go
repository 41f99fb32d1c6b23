// Package redisstore keeps OpenID4VP sessions and presentation nonces in Redis, so that
// several verifier replicas behind a load balancer share them: a request started on one
// completes on another, and a response (or a nonce) accepted on one is refused on all.
//
// It is a package of its own so that the rest of the library imports no Redis client.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	v, err := openid4vp.NewVerifier(openid4vp.VerifierOptions{
//		..., Sessions: redisstore.NewSessions(rdb, redisstore.Options{}),
//	})
//
// Sessions expire with Redis TTLs; Complete is a WATCH/MULTI transaction, so two
// replicas receiving the same response at once cannot both accept it.
package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
)

// Options configure the stores. The zero value is usable.
type Options struct {
	// Prefix starts every key; if empty, "credence:".
	Prefix string
	// Clock, if nil, is time.Now. Expiry times are turned into Redis TTLs with it.
	Clock func() time.Time
}

func (o Options) prefix() string {
	if o.Prefix == "" {
		return "credence:"
	}
	return o.Prefix
}

func (o Options) now() time.Time {
	if o.Clock == nil {
		return time.Now()
	}
	return o.Clock()
}

// Sessions is an openid4vp.SessionStore in Redis. It is safe for concurrent use.
type Sessions struct {
	rdb redis.UniversalClient
	o   Options
}

// NewSessions makes a session store on rdb.
func NewSessions(rdb redis.UniversalClient, o Options) *Sessions {
	return &Sessions{rdb: rdb, o: o}
}

var _ openid4vp.SessionStore = (*Sessions)(nil)

func (s *Sessions) key(state string) string { return s.o.prefix() + "openid4vp:session:" + state }

// Put implements openid4vp.SessionStore.
func (s *Sessions) Put(ctx context.Context, sess *openid4vp.Session) error {
	ttl := sess.Expires.Sub(s.o.now())
	if ttl <= 0 {
		return fmt.Errorf("redisstore: session %s already expired: %w", sess.State, vc.ErrInvalidOptions)
	}
	data, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	ok, err := s.rdb.SetNX(ctx, s.key(sess.State), data, ttl).Result()
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	if !ok {
		return fmt.Errorf("redisstore: session %s exists: %w", sess.State, openid4vp.ErrReplay)
	}
	return nil
}

// Get implements openid4vp.SessionStore.
func (s *Sessions) Get(ctx context.Context, state string) (*openid4vp.Session, error) {
	data, err := s.rdb.Get(ctx, s.key(state)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: no session %q: %w", state, openid4vp.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	return s.decode(state, data)
}

func (s *Sessions) decode(state string, data []byte) (*openid4vp.Session, error) {
	var sess openid4vp.Session
	if err := json.Unmarshal(data, &sess); err != nil {
		return nil, fmt.Errorf("redisstore: session %q: %v: %w", state, err, vc.ErrMalformed)
	}
	if s.o.now().After(sess.Expires) {
		return nil, fmt.Errorf("redisstore: no session %q: %w", state, openid4vp.ErrNotFound)
	}
	return &sess, nil
}

// Complete implements openid4vp.SessionStore, atomically across every client of the
// same Redis.
func (s *Sessions) Complete(ctx context.Context, state string, r *openid4vp.Result) error {
	key := s.key(state)
	for range 8 {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			data, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				return fmt.Errorf("redisstore: no session %q: %w", state, openid4vp.ErrNotFound)
			}
			if err != nil {
				return err
			}
			sess, err := s.decode(state, data)
			if err != nil {
				return err
			}
			if sess.Done {
				return fmt.Errorf("redisstore: session %q already answered: %w", state, openid4vp.ErrReplay)
			}
			sess.Done, sess.Result, sess.DecryptionKey, sess.RequestObject = true, r, nil, nil
			out, err := json.Marshal(sess)
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.SetArgs(ctx, key, out, redis.SetArgs{KeepTTL: true, Mode: "XX"})
				return nil
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue // another client changed the session: read it again
		}
		if err != nil && !errors.Is(err, openid4vp.ErrNotFound) && !errors.Is(err, openid4vp.ErrReplay) && !errors.Is(err, vc.ErrMalformed) {
			return fmt.Errorf("redisstore: %w", err)
		}
		return err
	}
	return fmt.Errorf("redisstore: session %q: too much contention: %w", state, openid4vp.ErrReplay)
}

// Replay is a vc.ReplayStore in Redis: a presentation nonce used through one verifier
// replica is refused by all of them until it expires.
type Replay struct {
	rdb redis.UniversalClient
	o   Options
}

// NewReplay makes a replay store on rdb.
func NewReplay(rdb redis.UniversalClient, o Options) *Replay { return &Replay{rdb: rdb, o: o} }

var _ vc.ReplayStore = (*Replay)(nil)

// Use implements vc.ReplayStore.
func (r *Replay) Use(ctx context.Context, key string, expires time.Time) error {
	ttl := expires.Sub(r.o.now())
	if ttl <= 0 {
		ttl = time.Second
	}
	ok, err := r.rdb.SetNX(ctx, r.o.prefix()+"replay:"+key, 1, ttl).Result()
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	if !ok {
		return fmt.Errorf("redisstore: nonce already used: %w", vc.ErrReplay)
	}
	return nil
}
