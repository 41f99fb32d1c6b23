package vc

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// KeyRequest asks a KeySource for the key that may verify a proof.
type KeyRequest struct {
	// Issuer is the credential's issuer, or the presentation's holder.
	Issuer string
	// KeyID names the key: a JOSE "kid" or a Data Integrity verificationMethod. It may
	// be empty when the token carries none.
	KeyID string
	// Relationship is the purpose the key must be authorised for: did.AssertionMethod
	// for credentials, did.Authentication for presentations.
	Relationship did.Relationship
	// X5C is the certificate chain the token carried (standard base64 DER, leaf first),
	// for sources that validate chains against their own roots.
	X5C []string
}

// KeySource finds the public key that may verify a proof made by an issuer (or holder).
// A source that does not handle an issuer returns an error wrapping
// ErrUntrustedKeySource, so that sources can be chained with KeyChain.
type KeySource interface {
	Key(ctx context.Context, req KeyRequest) (crypto.PublicKey, error)
}

// DIDKeys is the default KeySource: the issuer is a DID and the key id a DID URL inside
// that DID's document (or a fragment relative to it), authorised for the requested
// relationship. A key id naming another DID is ErrIssuerMismatch.
//
// Keys found are kept for five minutes (at most 1,024 of them), so verifying many
// credentials of one issuer resolves its DID once; a key removed from a did:web document
// is therefore honoured for up to five minutes after it is removed. The default DIDKeys
// of a Verifier measures those minutes on the Verifier's Clock. Safe for concurrent use.
type DIDKeys struct {
	resolver did.Resolver

	clock func() time.Time // cache expiry; a Verifier sets its own Clock

	mu    sync.Mutex
	cache map[didKeyRef]cachedKey
}

type didKeyRef struct {
	ref string
	rel did.Relationship
}

type cachedKey struct {
	pub     crypto.PublicKey
	expires time.Time
}

const (
	didKeyCacheSize = 1024
	didKeyCacheTTL  = 5 * time.Minute
)

// NewDIDKeys makes a DIDKeys that resolves through r.
func NewDIDKeys(r did.Resolver) (*DIDKeys, error) {
	if r == nil {
		return nil, fmt.Errorf("vc: DIDKeys without a resolver: %w", ErrInvalidOptions)
	}
	return &DIDKeys{resolver: r, cache: make(map[didKeyRef]cachedKey), clock: time.Now}, nil
}

// Key implements KeySource.
func (k *DIDKeys) Key(ctx context.Context, req KeyRequest) (crypto.PublicKey, error) {
	issuer, err := did.Parse(req.Issuer)
	if err != nil {
		return nil, fmt.Errorf("vc: issuer %q is not a DID: %w", req.Issuer, ErrUntrustedKeySource)
	}
	if req.KeyID == "" {
		return nil, fmt.Errorf("vc: no key id for DID issuer %s: %w", req.Issuer, ErrMissingKeyID)
	}
	ref := req.KeyID
	if strings.HasPrefix(ref, "#") {
		ref = req.Issuer + ref
	}
	u, err := did.ParseURL(ref)
	if err != nil {
		return nil, fmt.Errorf("vc: key id %q: %w", req.KeyID, err)
	}
	if u.DID != issuer {
		return nil, fmt.Errorf("vc: key id %q belongs to %s, not to issuer %s: %w", req.KeyID, u.DID, req.Issuer, ErrIssuerMismatch)
	}
	if u.Fragment == "" || u.Path != "" || u.Query != "" {
		return nil, fmt.Errorf("vc: key id %q must be a DID URL with a fragment only: %w", req.KeyID, ErrVerificationMethodNotFound)
	}
	ck := didKeyRef{ref: ref, rel: req.Relationship}
	now := k.clock()
	k.mu.Lock()
	c, ok := k.cache[ck]
	k.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.pub, nil
	}
	pub, err := k.resolve(ctx, issuer, ref, req.Relationship)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	if len(k.cache) >= didKeyCacheSize {
		clear(k.cache)
	}
	k.cache[ck] = cachedKey{pub: pub, expires: now.Add(didKeyCacheTTL)}
	k.mu.Unlock()
	return pub, nil
}

func (k *DIDKeys) resolve(ctx context.Context, issuer did.DID, ref string, rel did.Relationship) (crypto.PublicKey, error) {
	res, err := k.resolver.Resolve(ctx, issuer.String())
	if err != nil {
		return nil, fmt.Errorf("vc: resolving %s: %w", issuer, err)
	}
	if res == nil || res.Document == nil {
		return nil, fmt.Errorf("vc: resolving %s: no document: %w", issuer, ErrInvalidDIDDocument)
	}
	if res.DocumentMetadata.Deactivated {
		// Not ErrUntrustedKeySource: this DID is this source's business, and a KeyChain
		// must not ask the next source for its key.
		return nil, fmt.Errorf("vc: %s is deactivated: %w", issuer, ErrDeactivated)
	}
	if res.Document.ID != issuer.String() {
		return nil, fmt.Errorf("vc: resolving %s gave the document of %s: %w", issuer, res.Document.ID, ErrInvalidDIDDocument)
	}
	vm, err := res.Document.VerificationMethodFor(ref, rel)
	if err != nil {
		return nil, fmt.Errorf("vc: key %s: %w", ref, err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("vc: key %s: %w", ref, err)
	}
	return pub, nil
}

// StaticKeys is a KeySource of keys the caller supplies per issuer, for issuers that
// are URLs (or any identifier) whose keys are known out of band. The zero value holds no
// keys. Build it before use; it is then safe for concurrent use.
type StaticKeys struct {
	keys map[string][]staticKey
}

type staticKey struct {
	kid string
	pub crypto.PublicKey
}

// Add registers pub for issuer under key id kid (which may be empty). The key must be of
// a supported signing type.
func (s *StaticKeys) Add(issuer, kid string, pub crypto.PublicKey) error {
	if issuer == "" {
		return fmt.Errorf("vc: static key without issuer: %w", ErrMalformed)
	}
	if _, err := keys.Algorithm(pub); err != nil {
		return fmt.Errorf("vc: static key for %s: %w", issuer, err)
	}
	if s.keys == nil {
		s.keys = make(map[string][]staticKey)
	}
	for _, k := range s.keys[issuer] {
		if k.kid == kid {
			return fmt.Errorf("vc: static key %q for %s added twice: %w", kid, issuer, ErrMalformed)
		}
	}
	s.keys[issuer] = append(s.keys[issuer], staticKey{kid: kid, pub: pub})
	return nil
}

// Key implements KeySource. With a key id, the key registered under it; without one,
// the issuer's only key (several keys and no key id is ErrMissingKeyID).
func (s *StaticKeys) Key(_ context.Context, req KeyRequest) (crypto.PublicKey, error) {
	list, ok := s.keys[req.Issuer]
	if !ok {
		return nil, fmt.Errorf("vc: no static keys for %s: %w", req.Issuer, ErrUntrustedKeySource)
	}
	if req.KeyID == "" {
		if len(list) != 1 {
			return nil, fmt.Errorf("vc: %d static keys for %s and no key id: %w", len(list), req.Issuer, ErrMissingKeyID)
		}
		return list[0].pub, nil
	}
	for _, k := range list {
		if k.kid == req.KeyID {
			return k.pub, nil
		}
	}
	return nil, fmt.Errorf("vc: no static key %q for %s: %w", req.KeyID, req.Issuer, ErrVerificationMethodNotFound)
}

// KeyChain tries each source in order and returns the first key found. A source that
// answers with ErrUntrustedKeySource (the issuer is not its business) passes to the
// next; any other error stops the search.
type KeyChain []KeySource

// Key implements KeySource.
func (c KeyChain) Key(ctx context.Context, req KeyRequest) (crypto.PublicKey, error) {
	for _, s := range c {
		pub, err := s.Key(ctx, req)
		if err == nil {
			return pub, nil
		}
		if !errors.Is(err, ErrUntrustedKeySource) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("vc: no key source knows %s: %w", req.Issuer, ErrUntrustedKeySource)
}
