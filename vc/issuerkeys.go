package vc

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
)

// X509Keys is an opt-in KeySource for tokens that carry their signing certificate
// chain in an "x5c" header: the chain must verify against the caller's roots, and the
// issuer (an https URL) must be named by the leaf certificate, as a URI SAN equal to it or
// a DNS SAN equal to its host. Only a Verifier built with X509Keys admits x5c headers.
type X509Keys struct {
	roots *x509.CertPool
	clock func() time.Time
}

// NewX509Keys makes an X509Keys trusting roots. roots must not be nil: there is no
// fallback to the system pool. clock may be nil (time.Now).
func NewX509Keys(roots *x509.CertPool, clock func() time.Time) (*X509Keys, error) {
	if roots == nil {
		return nil, fmt.Errorf("vc: X509Keys without roots: %w", ErrInvalidOptions)
	}
	if clock == nil {
		clock = time.Now
	}
	return &X509Keys{roots: roots, clock: clock}, nil
}

// Key implements KeySource.
func (x *X509Keys) Key(_ context.Context, req KeyRequest) (crypto.PublicKey, error) {
	if len(req.X5C) == 0 {
		return nil, fmt.Errorf("vc: no x5c chain: %w", ErrUntrustedKeySource)
	}
	if len(req.X5C) > 10 {
		return nil, fmt.Errorf("vc: x5c chain of %d certificates: %w", len(req.X5C), ErrTooLarge)
	}
	certs := make([]*x509.Certificate, len(req.X5C))
	for i, s := range req.X5C {
		der, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("vc: x5c[%d]: %w", i, ErrMalformed)
		}
		if certs[i], err = x509.ParseCertificate(der); err != nil {
			return nil, fmt.Errorf("vc: x5c[%d]: %w", i, ErrMalformed)
		}
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	leaf := certs[0]
	if _, err := leaf.Verify(x509.VerifyOptions{
		Roots: x.roots, Intermediates: inter, CurrentTime: x.clock(),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		return nil, fmt.Errorf("vc: x5c chain does not verify: %v: %w", err, ErrUntrustedKeySource)
	}
	u, err := url.Parse(req.Issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("vc: issuer %q is not an https URL, as x5c requires: %w", req.Issuer, ErrIssuerMismatch)
	}
	named := slices.ContainsFunc(leaf.URIs, func(v *url.URL) bool { return v.String() == req.Issuer }) ||
		slices.Contains(leaf.DNSNames, u.Hostname())
	if !named {
		return nil, fmt.Errorf("vc: certificate does not name issuer %s: %w", req.Issuer, ErrIssuerMismatch)
	}
	if _, err := keys.Algorithm(leaf.PublicKey); err != nil {
		return nil, fmt.Errorf("vc: certificate key: %w", err)
	}
	return leaf.PublicKey, nil
}

// IssuerMetadataKeys is an opt-in KeySource for issuers that are https URLs publishing
// JWT VC Issuer Metadata (SD-JWT VC §5): the keys come from
// https://<host>/.well-known/jwt-vc-issuer<path>, whose "issuer" must equal the
// credential's, as an inline "jwks" or a "jwks_uri". Fetches go through the caller's
// client with the library's network guard; results are cached per instance.
type IssuerMetadataKeys struct {
	guard *netguard.Guard
	clock func() time.Time
	ttl   time.Duration

	mu    sync.Mutex
	cache map[string]metadataEntry
}

type metadataEntry struct {
	keys    []jwkEntry
	expires time.Time
}

type jwkEntry struct {
	kid string
	pub crypto.PublicKey
}

// IssuerMetadataOptions configures IssuerMetadataKeys. The zero value is safe.
type IssuerMetadataOptions struct {
	// CacheTTL is how long fetched keys are reused. If 0, 5 minutes.
	CacheTTL time.Duration
	// Clock, if nil, is time.Now.
	Clock func() time.Time
	// AllowLoopback lets tests reach an httptest server; never set it in production.
	AllowLoopback bool
}

const maxMetadataIssuers = 1024

// NewIssuerMetadataKeys makes an IssuerMetadataKeys that fetches with client (required:
// there is no default client).
func NewIssuerMetadataKeys(client *http.Client, opts IssuerMetadataOptions) (*IssuerMetadataKeys, error) {
	if client == nil {
		return nil, fmt.Errorf("vc: NewIssuerMetadataKeys without an *http.Client: %w", ErrInvalidOptions)
	}
	g, err := netguard.New(client, netguard.Options{AllowLoopback: opts.AllowLoopback, MaxBodyBytes: 256 << 10})
	if err != nil {
		return nil, fmt.Errorf("vc: issuer metadata client: %v: %w", err, ErrInvalidOptions)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = 5 * time.Minute
	}
	return &IssuerMetadataKeys{guard: g, clock: opts.Clock, ttl: opts.CacheTTL, cache: make(map[string]metadataEntry)}, nil
}

// metadataURL inserts the well-known segment between host and path (SD-JWT VC §5.1).
func metadataURL(issuer string) (string, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("vc: issuer %q is not an https URL without query or fragment: %w", issuer, ErrUntrustedKeySource)
	}
	return "https://" + u.Host + "/.well-known/jwt-vc-issuer" + strings.TrimSuffix(u.EscapedPath(), "/"), nil
}

// Key implements KeySource.
func (m *IssuerMetadataKeys) Key(ctx context.Context, req KeyRequest) (crypto.PublicKey, error) {
	list, err := m.keys(ctx, req.Issuer)
	if err != nil {
		return nil, err
	}
	var found []crypto.PublicKey
	for _, k := range list {
		if req.KeyID == "" || k.kid == req.KeyID {
			found = append(found, k.pub)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) == 0:
		return nil, fmt.Errorf("vc: issuer metadata of %s has no key %q: %w", req.Issuer, req.KeyID, ErrVerificationMethodNotFound)
	}
	return nil, fmt.Errorf("vc: issuer metadata of %s has %d keys matching %q: %w", req.Issuer, len(found), req.KeyID, ErrMissingKeyID)
}

func (m *IssuerMetadataKeys) keys(ctx context.Context, issuer string) ([]jwkEntry, error) {
	now := m.clock()
	m.mu.Lock()
	e, ok := m.cache[issuer]
	m.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.keys, nil
	}
	u, err := metadataURL(issuer)
	if err != nil {
		return nil, err
	}
	res, err := m.guard.Get(ctx, u, "application/json")
	if err != nil {
		return nil, fmt.Errorf("vc: fetching issuer metadata of %s: %w: %w", issuer, ErrUntrustedKeySource, err)
	}
	var md struct {
		Issuer  string          `json:"issuer"`
		JWKS    json.RawMessage `json:"jwks"`
		JWKSURI string          `json:"jwks_uri"`
	}
	if err := jsonx.Unmarshal(res.Body, &md, jsonx.Limits{}); err != nil {
		return nil, fmt.Errorf("vc: issuer metadata of %s: %w", issuer, err)
	}
	if md.Issuer != issuer {
		return nil, fmt.Errorf("vc: issuer metadata names %q, not %s: %w", md.Issuer, issuer, ErrIssuerMismatch)
	}
	jwks := md.JWKS
	switch {
	case len(jwks) > 0 && md.JWKSURI != "":
		return nil, fmt.Errorf("vc: issuer metadata has both jwks and jwks_uri: %w", ErrMalformed)
	case md.JWKSURI != "":
		r, err := m.guard.Get(ctx, md.JWKSURI, "application/jwk-set+json, application/json")
		if err != nil {
			return nil, fmt.Errorf("vc: fetching %s: %w: %w", md.JWKSURI, ErrUntrustedKeySource, err)
		}
		jwks = r.Body
	case len(jwks) == 0:
		return nil, fmt.Errorf("vc: issuer metadata of %s has no keys: %w", issuer, ErrMalformed)
	}
	list, err := parseJWKS(jwks)
	if err != nil {
		return nil, fmt.Errorf("vc: issuer metadata of %s: %w", issuer, err)
	}
	m.mu.Lock()
	if len(m.cache) >= maxMetadataIssuers {
		clear(m.cache)
	}
	m.cache[issuer] = metadataEntry{keys: list, expires: now.Add(m.ttl)}
	m.mu.Unlock()
	return list, nil
}

// parseJWKS reads a JWK Set; keys outside policy are skipped (a set may carry RSA keys
// for other uses), duplicate kids are an error.
func parseJWKS(data []byte) ([]jwkEntry, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := jsonx.Unmarshal(data, &set, jsonx.Limits{}); err != nil {
		return nil, err
	}
	var out []jwkEntry
	for _, raw := range set.Keys {
		pub, info, err := keys.ParseJWKInfo(raw)
		if err != nil {
			continue
		}
		if info.Use == "enc" {
			continue
		}
		if _, err := keys.Algorithm(pub); err != nil {
			continue
		}
		for _, e := range out {
			if e.kid == info.KeyID {
				return nil, fmt.Errorf("vc: JWK set has kid %q twice: %w", info.KeyID, ErrMalformed)
			}
		}
		out = append(out, jwkEntry{kid: info.KeyID, pub: pub})
	}
	return out, nil
}
