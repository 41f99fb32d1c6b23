package openid4vp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"sync"
	"time"
)

// Grant is what an Issuer keeps about one pre-authorized code between making the offer
// and redeeming it. It is plain data so that a store shared by several replicas can
// hold it. The code and the transaction code are kept as SHA-256 hashes only.
type Grant struct {
	// CodeHash identifies the grant: the hash of the pre-authorized code (see HashSecret).
	CodeHash string `json:"code_hash"`
	// Issuer is the credential issuer identifier the code was made by.
	Issuer string `json:"issuer"`
	// OfferID is the caller's identifier of the offer, passed to IssuerOptions.Claims.
	OfferID          string   `json:"offer_id"`
	ConfigurationIDs []string `json:"configuration_ids"`
	// TxCodeHash is the hash of the transaction code, if one is required.
	TxCodeHash string `json:"tx_code_hash,omitempty"`
	// Attempts counts wrong transaction codes; at MaxAttempts the grant is spent.
	Attempts    int `json:"attempts"`
	MaxAttempts int `json:"max_attempts"`
	// Used is set once the code was exchanged for an access token.
	Used    bool      `json:"used"`
	Expires time.Time `json:"expires"`
	// Kind is "" for a pre-authorized code, GrantKindIssuerState for the issuer_state
	// of an authorization code offer, GrantKindAuthorizationCode for an authorization
	// code; each is redeemed only where it belongs.
	Kind string `json:"kind,omitempty"`
	// CodeChallenge, ClientID and RedirectURI bind an authorization code to the
	// authorization request it answers (PKCE S256, RFC 7636); empty for pre-authorized
	// codes.
	CodeChallenge string `json:"code_challenge,omitempty"`
	ClientID      string `json:"client_id,omitempty"`
	RedirectURI   string `json:"redirect_uri,omitempty"`
	// Details is set when the authorization request of an authorization code used
	// authorization_details: its token response must answer them.
	Details bool `json:"details,omitempty"`
}

// Kinds of Grant.
const (
	GrantKindIssuerState       = "issuer_state"
	GrantKindAuthorizationCode = "authorization_code"
)

// AccessToken is what an Issuer keeps about an access token it granted.
type AccessToken struct {
	// Hash identifies the token: the hash of its value (see HashSecret).
	Hash             string    `json:"hash"`
	Issuer           string    `json:"issuer"`
	OfferID          string    `json:"offer_id"`
	ConfigurationIDs []string  `json:"configuration_ids"`
	Expires          time.Time `json:"expires"`
	// Identifiers is set when the token response named credential identifiers:
	// credential requests must then use credential_identifier.
	Identifiers bool `json:"identifiers,omitempty"`
}

// HashSecret is how stores name codes and tokens: the base64url SHA-256 of the value,
// so that a copy of the store does not hold live secrets.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return b64.EncodeToString(h[:])
}

// Redeem applies a token request carrying txCode (hasTxCode false when the request had
// no tx_code) to g at now. It returns whether g changed (the store must then save it)
// and nil when the code may be exchanged for an access token, which marks g used.
// Stores call it inside their atomic update (IssuanceStore.UpdateGrant).
//
// Errors: ErrNotFound (expired), ErrReplay (already exchanged), ErrMalformed (tx_code
// missing where required, or present where not: not counted as an attempt), and
// ErrInvalidTxCode (wrong transaction code; once MaxAttempts wrong ones were tried, the
// grant is spent and even the right code gets ErrInvalidTxCode).
func (g *Grant) Redeem(txCode string, hasTxCode bool, now time.Time) (changed bool, err error) {
	if !now.Before(g.Expires) {
		return false, fmt.Errorf("openid4vp: pre-authorized code expired: %w", ErrNotFound)
	}
	if g.Used {
		return false, fmt.Errorf("openid4vp: pre-authorized code already used: %w", ErrReplay)
	}
	if g.TxCodeHash == "" {
		if hasTxCode {
			return false, fmt.Errorf("openid4vp: tx_code sent for a code that needs none: %w", ErrMalformed)
		}
		g.Used = true
		return true, nil
	}
	if !hasTxCode {
		return false, fmt.Errorf("openid4vp: the code needs a tx_code: %w", ErrMalformed)
	}
	if g.MaxAttempts > 0 && g.Attempts >= g.MaxAttempts {
		return false, fmt.Errorf("openid4vp: too many wrong transaction codes: %w", ErrInvalidTxCode)
	}
	if subtle.ConstantTimeCompare([]byte(HashSecret(txCode)), []byte(g.TxCodeHash)) != 1 {
		g.Attempts++
		return true, fmt.Errorf("openid4vp: wrong transaction code (%d of %d attempts): %w", g.Attempts, g.MaxAttempts, ErrInvalidTxCode)
	}
	g.Used = true
	return true, nil
}

// IssuanceStore keeps the state of an Issuer: offers served by reference, grants,
// access tokens and c_nonces, each until it expires. Implementations must be safe for
// concurrent use, and UpdateGrant and UseNonce must be atomic across every replica
// sharing the store: they are what make a code and a nonce count once.
type IssuanceStore interface {
	// PutOffer stores the JSON of an offer served by reference under handle.
	PutOffer(ctx context.Context, handle string, offer []byte, expires time.Time) error
	// Offer returns the offer of handle, or an error wrapping ErrNotFound.
	Offer(ctx context.Context, handle string) ([]byte, error)
	// PutGrant stores a new grant; an existing CodeHash is an error.
	PutGrant(ctx context.Context, g *Grant) error
	// UpdateGrant reads the grant of codeHash, calls f on a copy, and saves the copy
	// when f reports a change, atomically (f may run again if another replica changed
	// the grant meanwhile). It returns the copy and f's error, or ErrNotFound for an
	// unknown or expired grant.
	UpdateGrant(ctx context.Context, codeHash string, f func(*Grant) (changed bool, err error)) (*Grant, error)
	// PutToken stores a new access token.
	PutToken(ctx context.Context, t *AccessToken) error
	// Token returns the access token of hash, or an error wrapping ErrNotFound (also
	// when it expired).
	Token(ctx context.Context, hash string) (*AccessToken, error)
	// PutNonce stores a fresh c_nonce under key.
	PutNonce(ctx context.Context, key string, expires time.Time) error
	// UseNonce spends the nonce of key, once: ErrReplay if it was spent already,
	// ErrNotFound if unknown or expired.
	UseNonce(ctx context.Context, key string) error
}

// MemoryIssuanceStore is an IssuanceStore in memory, for a single issuer process.
// Expired entries are dropped as new ones arrive. Make it with NewMemoryIssuanceStore.
type MemoryIssuanceStore struct {
	mu     sync.Mutex
	offers map[string]memOffer
	grants map[string]*Grant
	tokens map[string]*AccessToken
	nonces map[string]memNonce
	clock  func() time.Time
	max    int
}

type memOffer struct {
	data    []byte
	expires time.Time
}

type memNonce struct {
	used    bool
	expires time.Time
}

// NewMemoryIssuanceStore makes a MemoryIssuanceStore holding at most max entries of
// each kind (if 0, 100,000), on clock (if nil, time.Now).
func NewMemoryIssuanceStore(max int, clock func() time.Time) *MemoryIssuanceStore {
	if max <= 0 {
		max = 100_000
	}
	if clock == nil {
		clock = time.Now
	}
	return &MemoryIssuanceStore{offers: map[string]memOffer{}, grants: map[string]*Grant{}, tokens: map[string]*AccessToken{},
		nonces: map[string]memNonce{}, clock: clock, max: max}
}

var _ IssuanceStore = (*MemoryIssuanceStore)(nil)

// prune makes room in a map of n entries, dropping expired ones; it reports whether
// there is room.
func prune[V any](m map[string]V, max int, expired func(V) bool) bool {
	if len(m) < max {
		return true
	}
	for k, v := range m {
		if expired(v) {
			delete(m, k)
		}
	}
	return len(m) < max
}

// PutOffer implements IssuanceStore.
func (m *MemoryIssuanceStore) PutOffer(_ context.Context, handle string, offer []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	if !prune(m.offers, m.max, func(o memOffer) bool { return !now.Before(o.expires) }) {
		return fmt.Errorf("openid4vp: %d offers pending: %w", m.max, ErrTooLarge)
	}
	if _, ok := m.offers[handle]; ok {
		return fmt.Errorf("openid4vp: offer %s exists: %w", handle, ErrReplay)
	}
	m.offers[handle] = memOffer{append([]byte(nil), offer...), expires}
	return nil
}

// Offer implements IssuanceStore.
func (m *MemoryIssuanceStore) Offer(_ context.Context, handle string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.offers[handle]
	if !ok || !m.clock().Before(o.expires) {
		return nil, fmt.Errorf("openid4vp: no offer %q: %w", handle, ErrNotFound)
	}
	return append([]byte(nil), o.data...), nil
}

func cloneGrant(g *Grant) *Grant {
	c := *g
	c.ConfigurationIDs = append([]string(nil), g.ConfigurationIDs...)
	return &c
}

// PutGrant implements IssuanceStore.
func (m *MemoryIssuanceStore) PutGrant(_ context.Context, g *Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	if !prune(m.grants, m.max, func(g *Grant) bool { return !now.Before(g.Expires) }) {
		return fmt.Errorf("openid4vp: %d grants pending: %w", m.max, ErrTooLarge)
	}
	if _, ok := m.grants[g.CodeHash]; ok {
		return fmt.Errorf("openid4vp: grant exists: %w", ErrReplay)
	}
	m.grants[g.CodeHash] = cloneGrant(g)
	return nil
}

// UpdateGrant implements IssuanceStore.
func (m *MemoryIssuanceStore) UpdateGrant(_ context.Context, codeHash string, f func(*Grant) (bool, error)) (*Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[codeHash]
	if !ok || !m.clock().Before(g.Expires) {
		return nil, fmt.Errorf("openid4vp: no such pre-authorized code: %w", ErrNotFound)
	}
	c := cloneGrant(g)
	changed, err := f(c)
	if changed {
		m.grants[codeHash] = cloneGrant(c)
	}
	return c, err
}

// PutToken implements IssuanceStore.
func (m *MemoryIssuanceStore) PutToken(_ context.Context, t *AccessToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	if !prune(m.tokens, m.max, func(t *AccessToken) bool { return !now.Before(t.Expires) }) {
		return fmt.Errorf("openid4vp: %d access tokens live: %w", m.max, ErrTooLarge)
	}
	if _, ok := m.tokens[t.Hash]; ok {
		return fmt.Errorf("openid4vp: access token exists: %w", ErrReplay)
	}
	c := *t
	c.ConfigurationIDs = append([]string(nil), t.ConfigurationIDs...)
	m.tokens[t.Hash] = &c
	return nil
}

// Token implements IssuanceStore.
func (m *MemoryIssuanceStore) Token(_ context.Context, hash string) (*AccessToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[hash]
	if !ok || !m.clock().Before(t.Expires) {
		return nil, fmt.Errorf("openid4vp: no such access token: %w", ErrNotFound)
	}
	c := *t
	c.ConfigurationIDs = append([]string(nil), t.ConfigurationIDs...)
	return &c, nil
}

// PutNonce implements IssuanceStore.
func (m *MemoryIssuanceStore) PutNonce(_ context.Context, key string, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock()
	if !prune(m.nonces, m.max, func(n memNonce) bool { return !now.Before(n.expires) }) {
		return fmt.Errorf("openid4vp: %d nonces live: %w", m.max, ErrTooLarge)
	}
	if _, ok := m.nonces[key]; ok {
		return fmt.Errorf("openid4vp: nonce exists: %w", ErrReplay)
	}
	m.nonces[key] = memNonce{expires: expires}
	return nil
}

// UseNonce implements IssuanceStore.
func (m *MemoryIssuanceStore) UseNonce(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.nonces[key]
	if !ok || !m.clock().Before(n.expires) {
		return fmt.Errorf("openid4vp: unknown or expired c_nonce: %w", ErrNotFound)
	}
	if n.used {
		return fmt.Errorf("openid4vp: c_nonce already used: %w", ErrReplay)
	}
	n.used = true
	m.nonces[key] = n
	return nil
}
