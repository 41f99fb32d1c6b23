package status

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// VerifyFunc verifies a status list as fetched and returns its verified content. raw is
// the body the Fetcher returned; issuer is the issuer of the credential being checked,
// which the list must come from (the callback may use it to pick keys and trust; the
// Checker compares it with the list's own issuer in any case).
//
// For a Bitstring Status List (VerifyBitstring) the callback detects the securing
// mechanism (vc+jwt, Data Integrity proof, enveloped credential), verifies it, and returns
// the credential as JSON: the VCDM 2.0 document, or for StatusList2021 the VCDM 1.1
// document (for the VCDM 1.1 JWT encoding, the vc claim with issuer, issuanceDate and
// expirationDate filled from iss, nbf and exp). For a Token Status List (VerifyToken) it
// verifies a compact JWS of typ statuslist+jwt with the issuer's key and returns the JWT
// payload. It must not return content that did not pass verification.
type VerifyFunc func(ctx context.Context, raw []byte, issuer string) ([]byte, error)

// Defaults for the zero fields of CheckerOptions.
const (
	DefaultCacheSize  = 128
	DefaultCacheBytes = 64 << 20
	DefaultMaxTTL     = 5 * time.Minute
	// DefaultBitstringTTL is how long a status list credential without ttl is kept (§2.2:
	// 300,000 ms).
	DefaultBitstringTTL = 5 * time.Minute
)

// CheckerOptions configure a Checker. The zero value is safe and checks nothing
// successfully: with no Fetch every check is ErrStatusRetrieval, with no verification
// callback ErrStatusVerification.
type CheckerOptions struct {
	// Fetch retrieves status lists; nil means no fetching, and every check fails with
	// ErrStatusRetrieval.
	Fetch Fetcher
	// VerifyBitstring verifies status list credentials; nil makes CheckBitstring fail with
	// ErrStatusVerification.
	VerifyBitstring VerifyFunc
	// VerifyToken verifies Status List Tokens (JWT); nil makes CheckToken fail with
	// ErrStatusVerification.
	VerifyToken VerifyFunc
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// ClockSkew is the tolerance for validFrom, validUntil, iat and exp; 0 means none.
	ClockSkew time.Duration
	// CacheSize is how many decoded lists are kept; 0 means DefaultCacheSize, negative
	// means none.
	CacheSize int
	// CacheBytes bounds the memory of the kept lists (their inflated size); 0 means
	// DefaultCacheBytes (64 MiB). A list larger than this is checked but not kept.
	CacheBytes int
	// MaxTTL caps how long a list is kept, whatever its ttl, validUntil or exp say; 0
	// means DefaultMaxTTL.
	MaxTTL time.Duration
	// MinBitstringEntries is the fewest entries a bitstring may have; 0 means
	// MinBitstringEntries (131,072). An ecosystem may set a lower bound; negative is refused.
	MinBitstringEntries int
	// MaxListBytes bounds an inflated list; 0 means DefaultMaxListBytes.
	MaxListBytes int
}

// Checker checks credential status against Bitstring Status Lists and Token Status Lists.
// It caches the lists it has verified, per URL, within their validity and ttl. It is safe
// for concurrent use.
type Checker struct {
	opts  CheckerOptions
	cache *cache
}

// NewChecker returns a Checker for opts; negative limits are ErrInvalidOptions.
func NewChecker(opts CheckerOptions) (*Checker, error) {
	if opts.ClockSkew < 0 || opts.MaxTTL < 0 || opts.CacheBytes < 0 || opts.MinBitstringEntries < 0 || opts.MaxListBytes < 0 {
		return nil, fmt.Errorf("status: NewChecker: %w: negative limit", ErrInvalidOptions)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultCacheSize
	}
	if opts.MaxTTL == 0 {
		opts.MaxTTL = DefaultMaxTTL
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = DefaultCacheBytes
	}
	if opts.MinBitstringEntries == 0 {
		opts.MinBitstringEntries = MinBitstringEntries
	}
	if opts.MaxListBytes == 0 {
		opts.MaxListBytes = DefaultMaxListBytes
	}
	return &Checker{opts: opts, cache: newCache(opts.CacheSize, opts.CacheBytes)}, nil
}

// EntryStatus is the status one BitstringEntry points to.
type EntryStatus struct {
	Purpose        string // the entry's statusPurpose
	ListCredential string // the entry's statusListCredential
	Index          int    // the entry's statusListIndex
	Value          uint8  // the entry's status in the list
	Message        string // the statusMessage for Value, if the entry has one
}

// BitstringResult is the outcome of a CheckBitstring that found no revocation or
// suspension: one EntryStatus per entry, in order. A set refresh or message status, or one
// of an unknown purpose, is reported here, not as an error.
type BitstringResult struct {
	Entries []EntryStatus
}

// CheckBitstring checks every entry against its status list (§3.2 Validation Algorithm)
// and returns their statuses. For each entry it fetches the list credential at
// statusListCredential (or uses a cached one), has VerifyBitstring verify it, and checks
// that it is of the entry's kind, that its issuer is credentialIssuer, that its id (when
// present) is the URL, that it is within validFrom and validUntil, that its statusPurpose
// includes the entry's, and that the list has at least the minimum number of entries.
//
// A set revocation entry is ErrRevoked, a set suspension entry ErrSuspended (ErrRevoked
// wins when both are set). Otherwise the first failure is returned: ErrStatusRetrieval,
// ErrStatusVerification (with ErrIssuerMismatch, ErrExpired or ErrNotYetValid when that is
// why), ErrStatusListLength, ErrStatusRange, ErrMalformed, ErrTooLarge. No entries, or
// an empty credentialIssuer, is ErrInvalidOptions. Any error comes with a nil result.
func (c *Checker) CheckBitstring(ctx context.Context, entries []BitstringEntry, credentialIssuer string) (*BitstringResult, error) {
	if len(entries) == 0 || credentialIssuer == "" {
		return nil, fmt.Errorf("status: CheckBitstring: %w: no entries or no issuer", ErrInvalidOptions)
	}
	res := &BitstringResult{Entries: make([]EntryStatus, 0, len(entries))}
	var first error
	revoked, suspended := false, false
	for i, e := range entries {
		st, err := c.checkEntry(ctx, e, credentialIssuer)
		switch {
		case errors.Is(err, ErrRevoked):
			revoked = true
		case errors.Is(err, ErrSuspended):
			suspended = true
		case err != nil && first == nil:
			first = fmt.Errorf("status: credentialStatus[%d]: %w", i, err)
		}
		res.Entries = append(res.Entries, st)
	}
	switch {
	case revoked:
		return nil, fmt.Errorf("status: %w", ErrRevoked)
	case suspended:
		return nil, fmt.Errorf("status: %w", ErrSuspended)
	case first != nil:
		return nil, first
	}
	return res, nil
}

func (c *Checker) checkEntry(ctx context.Context, e BitstringEntry, issuer string) (EntryStatus, error) {
	st := EntryStatus{Purpose: e.Purpose, ListCredential: e.ListCredential, Index: e.Index}
	if err := e.validate(); err != nil {
		return st, err
	}
	legacy := e.Type == EntryType2021
	if legacy && e.Purpose != PurposeRevocation && e.Purpose != PurposeSuspension {
		return st, fmt.Errorf("status: StatusList2021Entry purpose %q: %w", e.Purpose, ErrMalformed)
	}
	lc, err := c.listCredential(ctx, e.ListCredential, issuer, legacy)
	if err != nil {
		return st, err
	}
	if lc.issuer != issuer {
		return st, fmt.Errorf("status: %s: %w: %w: list issuer %q, credential issuer %q", e.ListCredential, ErrStatusVerification, ErrIssuerMismatch, lc.issuer, issuer)
	}
	now := c.opts.Clock()
	if !lc.validFrom.IsZero() && now.Add(c.opts.ClockSkew).Before(lc.validFrom) {
		return st, fmt.Errorf("status: %s: %w: %w", e.ListCredential, ErrStatusVerification, ErrNotYetValid)
	}
	if !lc.validUntil.IsZero() && now.Add(-c.opts.ClockSkew).After(lc.validUntil) {
		return st, fmt.Errorf("status: %s: %w: %w", e.ListCredential, ErrStatusVerification, ErrExpired)
	}
	if !slices.Contains(lc.purposes, e.Purpose) {
		return st, fmt.Errorf("status: %s: %w: list purpose %q, entry purpose %q", e.ListCredential, ErrStatusVerification, lc.purposes, e.Purpose)
	}
	size := e.size()
	l := &BitstringList{bits: lc.bits, statusSize: size}
	if l.Len() < c.opts.MinBitstringEntries {
		return st, fmt.Errorf("status: %s: %d entries of %d bits, minimum %d: %w", e.ListCredential, l.Len(), size, c.opts.MinBitstringEntries, ErrStatusListLength)
	}
	v, err := l.Get(e.Index)
	if err != nil {
		return st, fmt.Errorf("status: %s: %w", e.ListCredential, err)
	}
	st.Value = v
	st.Message = e.message(v)
	if v != 0 {
		switch e.Purpose {
		case PurposeRevocation:
			return st, ErrRevoked
		case PurposeSuspension:
			return st, ErrSuspended
		}
	}
	return st, nil
}

// listCredential fetches, verifies and decodes a status list credential, through the cache.
func (c *Checker) listCredential(ctx context.Context, u, issuer string, legacy bool) (*listCredential, error) {
	if c.opts.Fetch == nil {
		return nil, fmt.Errorf("status: %s: %w: no fetcher configured", u, ErrStatusRetrieval)
	}
	if c.opts.VerifyBitstring == nil {
		return nil, fmt.Errorf("status: %s: %w: no verifier configured", u, ErrStatusVerification)
	}
	kind := "b\x00"
	if legacy {
		kind = "l\x00"
	}
	// The issuer is part of the key: the callback verified the list for that issuer.
	key := kind + issuer + "\x00" + u
	now := c.opts.Clock()
	v, err := c.cache.get(ctx, key, now, func(ctx context.Context) (any, int, time.Time, error) {
		raw, err := c.opts.Fetch.Fetch(ctx, u, BitstringMediaTypes)
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: fetching %s: %w: %w", u, ErrStatusRetrieval, err)
		}
		doc, err := c.opts.VerifyBitstring(ctx, raw, issuer)
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: verifying %s: %w: %w", u, ErrStatusVerification, err)
		}
		lc, err := parseListCredential(doc, legacy, c.opts.MaxListBytes)
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: %s: %w", u, err)
		}
		if lc.id != "" && lc.id != u {
			return nil, 0, time.Time{}, fmt.Errorf("status: %s: %w: the list credential's id is %q", u, ErrStatusVerification, lc.id)
		}
		ttl := DefaultBitstringTTL
		if lc.hasTTL {
			ttl = lc.ttl // 0: fetch again next time
		}
		return lc, len(lc.bits), c.expiry(now, ttl, lc.validUntil), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*listCredential), nil
}

// expiry is when a list fetched at now stops being used: the earliest of now+ttl, its end
// of validity and now+MaxTTL.
func (c *Checker) expiry(now time.Time, ttl time.Duration, until time.Time) time.Time {
	if ttl > c.opts.MaxTTL {
		ttl = c.opts.MaxTTL
	}
	exp := now.Add(ttl)
	if !until.IsZero() && until.Before(exp) {
		exp = until
	}
	return exp
}

// CheckToken checks a Referenced Token's status against its Status List Token
// (draft-ietf-oauth-status-list §8): it fetches the token at ref.URI (or uses a cached one),
// has VerifyToken verify it, and checks that sub is ref.URI, iss is credentialIssuer, iat
// is not in the future and exp has not passed. It returns the status at ref.Index:
// TokenValid, or an application-specific value, with a nil error; INVALID is ErrRevoked,
// SUSPENDED ErrSuspended. Other failures are ErrStatusRetrieval, ErrStatusVerification
// (with ErrIssuerMismatch, ErrExpired or ErrIssuedInFuture when that is why),
// ErrStatusRange, ErrMalformed and ErrTooLarge; an empty credentialIssuer is
// ErrInvalidOptions. Only JWT Status List Tokens are supported;
// CWT ones fail in the callback.
func (c *Checker) CheckToken(ctx context.Context, ref TokenReference, credentialIssuer string) (TokenStatus, error) {
	if ref.Index < 0 {
		return 0, fmt.Errorf("status: status_list.idx: %w: negative", ErrStatusIndex)
	}
	if ref.URI == "" {
		return 0, fmt.Errorf("status: status_list.uri: %w: empty", ErrMalformed)
	}
	if credentialIssuer == "" {
		return 0, fmt.Errorf("status: CheckToken: %w: no issuer", ErrInvalidOptions)
	}
	if c.opts.Fetch == nil {
		return 0, fmt.Errorf("status: %s: %w: no fetcher configured", ref.URI, ErrStatusRetrieval)
	}
	if c.opts.VerifyToken == nil {
		return 0, fmt.Errorf("status: %s: %w: no verifier configured", ref.URI, ErrStatusVerification)
	}
	key := "t\x00" + credentialIssuer + "\x00" + ref.URI
	now := c.opts.Clock()
	v, err := c.cache.get(ctx, key, now, func(ctx context.Context) (any, int, time.Time, error) {
		raw, err := c.opts.Fetch.Fetch(ctx, ref.URI, TokenMediaType)
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: fetching %s: %w: %w", ref.URI, ErrStatusRetrieval, err)
		}
		payload, err := c.opts.VerifyToken(ctx, raw, credentialIssuer)
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: verifying %s: %w: %w", ref.URI, ErrStatusVerification, err)
		}
		t, err := ParseTokenPayload(payload, DecodeOptions{MaxBytes: c.opts.MaxListBytes})
		if err != nil {
			return nil, 0, time.Time{}, fmt.Errorf("status: %s: %w", ref.URI, err)
		}
		// §8.3: sub must be the uri the Referenced Token points to.
		if t.Subject != ref.URI {
			return nil, 0, time.Time{}, fmt.Errorf("status: %s: %w: sub is %q", ref.URI, ErrStatusVerification, t.Subject)
		}
		ttl := t.TTL
		if ttl == 0 {
			ttl = c.opts.MaxTTL // no ttl: until exp, within MaxTTL
		}
		return t, len(t.List.lst), c.expiry(now, ttl, t.Expiry), nil
	})
	if err != nil {
		return 0, err
	}
	t := v.(*StatusListToken)
	if t.Issuer != credentialIssuer {
		return 0, fmt.Errorf("status: %s: %w: %w: iss %q, credential issuer %q", ref.URI, ErrStatusVerification, ErrIssuerMismatch, t.Issuer, credentialIssuer)
	}
	if now.Add(c.opts.ClockSkew).Before(t.IssuedAt) {
		return 0, fmt.Errorf("status: %s: %w: %w", ref.URI, ErrStatusVerification, ErrIssuedInFuture)
	}
	if !t.Expiry.IsZero() && !now.Add(-c.opts.ClockSkew).Before(t.Expiry) {
		return 0, fmt.Errorf("status: %s: %w: %w", ref.URI, ErrStatusVerification, ErrExpired)
	}
	s, err := t.List.Get(ref.Index)
	if err != nil {
		return 0, fmt.Errorf("status: %s: %w", ref.URI, err)
	}
	switch s {
	case TokenInvalid:
		return 0, fmt.Errorf("status: %s: %w", ref.URI, ErrRevoked)
	case TokenSuspended:
		return 0, fmt.Errorf("status: %s: %w", ref.URI, ErrSuspended)
	}
	return s, nil
}
