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

// Issuance is an openid4vp.IssuanceStore in Redis, for OpenID4VCI issuers with several
// replicas: a pre-authorized code, a transaction code attempt or a c_nonce spent
// through one replica counts on all of them. Entries expire with Redis TTLs. It is safe
// for concurrent use.
//
//	iss, err := openid4vp.NewIssuer(openid4vp.IssuerOptions{
//		..., Store: redisstore.NewIssuance(rdb, redisstore.Options{}),
//	})
type Issuance struct {
	rdb redis.UniversalClient
	o   Options
}

// NewIssuance makes an issuance store on rdb.
func NewIssuance(rdb redis.UniversalClient, o Options) *Issuance { return &Issuance{rdb: rdb, o: o} }

var _ openid4vp.IssuanceStore = (*Issuance)(nil)

// Values of a nonce key.
const (
	nonceFresh = "fresh"
	nonceUsed  = "used"
)

func (s *Issuance) key(kind, id string) string { return s.o.prefix() + "openid4vci:" + kind + ":" + id }

func (s *Issuance) ttl(expires time.Time, what string) (time.Duration, error) {
	ttl := expires.Sub(s.o.now())
	if ttl <= 0 {
		return 0, fmt.Errorf("redisstore: %s already expired: %w", what, vc.ErrInvalidOptions)
	}
	return ttl, nil
}

// putNew stores value under key until expires, refusing an existing key.
func (s *Issuance) putNew(ctx context.Context, key string, value any, expires time.Time, what string) error {
	ttl, err := s.ttl(expires, what)
	if err != nil {
		return err
	}
	ok, err := s.rdb.SetNX(ctx, key, value, ttl).Result()
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	if !ok {
		return fmt.Errorf("redisstore: %s exists: %w", what, openid4vp.ErrReplay)
	}
	return nil
}

// PutOffer implements openid4vp.IssuanceStore.
func (s *Issuance) PutOffer(ctx context.Context, handle string, offer []byte, expires time.Time) error {
	return s.putNew(ctx, s.key("offer", handle), offer, expires, "offer")
}

// Offer implements openid4vp.IssuanceStore.
func (s *Issuance) Offer(ctx context.Context, handle string) ([]byte, error) {
	data, err := s.rdb.Get(ctx, s.key("offer", handle)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: no offer %q: %w", handle, openid4vp.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	return data, nil
}

// PutGrant implements openid4vp.IssuanceStore.
func (s *Issuance) PutGrant(ctx context.Context, g *openid4vp.Grant) error {
	data, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return s.putNew(ctx, s.key("grant", g.CodeHash), data, g.Expires, "grant")
}

// UpdateGrant implements openid4vp.IssuanceStore with a WATCH/MULTI transaction, so
// that two replicas redeeming the same code at once cannot both succeed, and wrong
// transaction codes are all counted.
func (s *Issuance) UpdateGrant(ctx context.Context, codeHash string, f func(*openid4vp.Grant) (bool, error)) (*openid4vp.Grant, error) {
	key := s.key("grant", codeHash)
	for range 16 {
		var g *openid4vp.Grant
		var ferr error
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			data, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				return fmt.Errorf("redisstore: no such pre-authorized code: %w", openid4vp.ErrNotFound)
			}
			if err != nil {
				return err
			}
			g = new(openid4vp.Grant)
			if err := json.Unmarshal(data, g); err != nil {
				return fmt.Errorf("redisstore: grant: %v: %w", err, vc.ErrMalformed)
			}
			if !s.o.now().Before(g.Expires) {
				return fmt.Errorf("redisstore: no such pre-authorized code: %w", openid4vp.ErrNotFound)
			}
			changed, err := f(g)
			ferr = err
			if !changed {
				return nil
			}
			out, err := json.Marshal(g)
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
			continue // another replica changed the grant: read it again
		}
		if err != nil {
			if errors.Is(err, openid4vp.ErrNotFound) || errors.Is(err, vc.ErrMalformed) {
				return nil, err
			}
			return nil, fmt.Errorf("redisstore: %w", err)
		}
		return g, ferr
	}
	return nil, fmt.Errorf("redisstore: pre-authorized code: too much contention: %w", openid4vp.ErrReplay)
}

// PutToken implements openid4vp.IssuanceStore.
func (s *Issuance) PutToken(ctx context.Context, t *openid4vp.AccessToken) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return s.putNew(ctx, s.key("token", t.Hash), data, t.Expires, "access token")
}

// Token implements openid4vp.IssuanceStore.
func (s *Issuance) Token(ctx context.Context, hash string) (*openid4vp.AccessToken, error) {
	data, err := s.rdb.Get(ctx, s.key("token", hash)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: no such access token: %w", openid4vp.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	var t openid4vp.AccessToken
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("redisstore: access token: %v: %w", err, vc.ErrMalformed)
	}
	if !s.o.now().Before(t.Expires) {
		return nil, fmt.Errorf("redisstore: no such access token: %w", openid4vp.ErrNotFound)
	}
	return &t, nil
}

// PutNonce implements openid4vp.IssuanceStore.
func (s *Issuance) PutNonce(ctx context.Context, key string, expires time.Time) error {
	return s.putNew(ctx, s.key("nonce", key), nonceFresh, expires, "nonce")
}

// UseNonce implements openid4vp.IssuanceStore with one SET ... XX KEEPTTL GET: the
// replica that turns "fresh" into "used" wins, every other one sees "used".
func (s *Issuance) UseNonce(ctx context.Context, key string) error {
	old, err := s.rdb.SetArgs(ctx, s.key("nonce", key), nonceUsed, redis.SetArgs{Mode: "XX", KeepTTL: true, Get: true}).Result()
	if errors.Is(err, redis.Nil) {
		return fmt.Errorf("redisstore: unknown or expired c_nonce: %w", openid4vp.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("redisstore: %w", err)
	}
	if old != nonceFresh {
		return fmt.Errorf("redisstore: c_nonce already used: %w", openid4vp.ErrReplay)
	}
	return nil
}
