package sdjwt

import (
	"context"
	"crypto"
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// Default time windows (DESIGN.md §5).
const (
	DefaultClockSkew        = 60 * time.Second  // exp, nbf and iat of the credential
	DefaultKeyBindingMaxAge = 300 * time.Second // how old a key binding JWT may be
	DefaultKeyBindingSkew   = 60 * time.Second  // how far in the future its iat may be
)

// KeyRequest is what a [KeyFunc] is asked for. Every field comes from the token and is
// unauthenticated until the signature verifies with the key returned: the function must
// return only a key that belongs to Issuer under its own rules (a DID document's
// assertionMethod, JWT VC Issuer Metadata, an x5c chain against its roots, a static
// list), whatever the token claims.
type KeyRequest struct {
	// Issuer is the iss claim, or for vc+sd-jwt (vp+sd-jwt) without iss the VCDM issuer
	// (holder); "" when the token names none. For a holder key it is the credential's
	// issuer.
	Issuer string
	// KeyID is the kid of the JWS header (protected, or for the JSON serialization the
	// unprotected header of that signature), or for a holder key the cnf kid.
	KeyID string
	// X5C is the x5c header (standard base64 DER, leaf first), only when
	// VerifierOptions.AllowX5C is set.
	X5C []string
	// Kind is the kind of the SD-JWT.
	Kind Kind
	// Algorithm is the header alg, for information: the key returned decides the
	// algorithm, and a key of another algorithm fails with ErrAlgorithmKeyMismatch.
	Algorithm string
	// Holder is set when the key asked for is the holder's (a cnf given by kid).
	Holder bool
	// Types are the types the token claims, not yet verified: the vct of an SD-JWT VC,
	// the type of a VCDM payload. They let a caller decide whether it trusts the issuer
	// for them before it fetches any key.
	Types []string
}

// KeyFunc returns the verification key for r. Its errors are returned wrapped, so they
// should wrap a sentinel such as ErrUntrustedKeySource or errs.ErrNotFound.
type KeyFunc func(ctx context.Context, r KeyRequest) (crypto.PublicKey, error)

// VerifierOptions configure a [Verifier]. The zero value is safe: it accepts SD-JWT VCs
// (dc+sd-jwt) and VC-JOSE-COSE vc+sd-jwt and vp+sd-jwt, signed with EdDSA, ES256 or ES384,
// digests in SHA-256, key binding required for presentations, and the limits of
// DESIGN.md §5.
type VerifierOptions struct {
	// Kinds lists the kinds accepted. If empty, VC, VCDMCredential and VCDMPresentation,
	// plus Generic when Types is set.
	Kinds []Kind
	// Types lists the typ values of Generic SD-JWTs, compared exactly (an application's
	// own type such as "example+sd-jwt"). The typs of the other kinds may not appear.
	Types []string
	// AllowLegacyVCType accepts typ vc+sd-jwt with a vct payload as an SD-JWT VC, as
	// drafts before draft-ietf-oauth-sd-jwt-vc-06 wrote it. VC must be accepted.
	AllowLegacyVCType bool
	// Algorithms is the allow-list of JWS algorithms for the issuer and the key binding
	// JWT. If empty, EdDSA, ES256 and ES384; "none" and HMAC never pass.
	Algorithms []string
	// HashAlgorithms lists the _sd_alg values accepted: SHA256, SHA384, SHA512. If empty,
	// SHA256 alone.
	HashAlgorithms []string
	// AllowX5C admits an x5c header and passes it to the KeyFunc, which must validate
	// the chain against its own roots.
	AllowX5C bool
	// HolderKey resolves a cnf given by kid (RFC 7800 §3.4) for the key binding check.
	// If nil, a presentation whose cnf has no jwk fails with ErrHolderBinding.
	HolderKey KeyFunc
	// AllowMissingKeyBinding makes VerifyPresentation accept an SD-JWT without a key
	// binding JWT, giving up the proof that the presenter holds the credential's key.
	// A key binding JWT that is present is always checked.
	AllowMissingKeyBinding bool
	// Clock returns the current time. If nil, time.Now.
	Clock func() time.Time
	// ClockSkew is allowed on exp, nbf and iat of the credential. If 0, 60 s.
	ClockSkew time.Duration
	// KeyBindingMaxAge is how long after its iat a key binding JWT is accepted. If 0, 300 s.
	KeyBindingMaxAge time.Duration
	// KeyBindingSkew is how far in the future a key binding JWT's iat may be. If 0, 60 s.
	KeyBindingSkew time.Duration
	// MaxBytes bounds the whole SD-JWT, checked before decoding. If 0, 1 MiB.
	MaxBytes int
	// MaxDisclosures bounds the number of disclosures. If 0, 1,000.
	MaxDisclosures int
	// MaxDepth bounds the nesting of the processed payload, disclosures included. If 0, 64.
	MaxDepth int
	// TypeMetadata, if not nil, makes the Verifier process the type metadata of every
	// SD-JWT VC (kind VC) after its signature verifies: see TypeMetadataPolicy. Nil
	// (the default) processes none and fetches nothing.
	TypeMetadata *TypeMetadataPolicy
}

// Verifier verifies SD-JWTs as issued and presentations with key binding (RFC 9901
// §7.1 and §7.3). It is immutable and safe for concurrent use.
type Verifier struct {
	issuerKey KeyFunc
	holderKey KeyFunc
	dc        decodeConfig
	kbPolicy  ijose.Policy
	algs      []string
	allowNoKB bool
	clock     func() time.Time
	skew      time.Duration
	kbAge     time.Duration
	kbSkew    time.Duration
	typeMeta  *TypeMetadataPolicy
}

// NewVerifier returns a Verifier that asks issuerKey for the issuer's key of every
// SD-JWT. Contradictory or out-of-range options are ErrInvalidOptions.
func NewVerifier(issuerKey KeyFunc, o VerifierOptions) (*Verifier, error) {
	if issuerKey == nil {
		return nil, fmt.Errorf("sdjwt: no issuer key function: %w", ErrInvalidOptions)
	}
	ks := &kindSet{legacy: o.AllowLegacyVCType}
	kinds := o.Kinds
	if len(kinds) == 0 {
		kinds = []Kind{VC, VCDMCredential, VCDMPresentation}
		if len(o.Types) > 0 {
			kinds = append(kinds, Generic)
		}
	}
	for _, k := range kinds {
		if !k.valid() {
			return nil, fmt.Errorf("sdjwt: unknown kind %v: %w", k, ErrInvalidOptions)
		}
		ks.kinds[k] = true
	}
	switch {
	case ks.has(Generic) && len(o.Types) == 0:
		return nil, fmt.Errorf("sdjwt: Generic accepted without Types: %w", ErrInvalidOptions)
	case !ks.has(Generic) && len(o.Types) > 0:
		return nil, fmt.Errorf("sdjwt: Types set but Generic not accepted: %w", ErrInvalidOptions)
	case o.AllowLegacyVCType && !ks.has(VC):
		return nil, fmt.Errorf("sdjwt: AllowLegacyVCType without VC: %w", ErrInvalidOptions)
	}
	for _, typ := range o.Types {
		if typ == "" || reservedTyp(typ) {
			return nil, fmt.Errorf("sdjwt: typ %q cannot name a Generic type: %w", typ, ErrInvalidOptions)
		}
	}
	ks.generic = slices.Clone(o.Types)
	for _, a := range o.Algorithms {
		switch a {
		case keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K:
		default:
			return nil, fmt.Errorf("sdjwt: algorithm %q: %w", a, ErrInvalidOptions)
		}
	}
	for _, h := range o.HashAlgorithms {
		if _, ok := lookupHash(h); !ok {
			return nil, fmt.Errorf("sdjwt: hash algorithm %q: %w", h, ErrInvalidOptions)
		}
	}
	var tm *TypeMetadataPolicy
	if o.TypeMetadata != nil {
		if o.TypeMetadata.Fetch == nil || o.TypeMetadata.MaxExtends < 0 || o.TypeMetadata.MaxBytes < 0 {
			return nil, fmt.Errorf("sdjwt: TypeMetadata without a fetcher, or with negative limits: %w", ErrInvalidOptions)
		}
		c := *o.TypeMetadata
		tm = &c
	}
	if o.ClockSkew < 0 || o.KeyBindingMaxAge < 0 || o.KeyBindingSkew < 0 || o.MaxBytes < 0 || o.MaxDisclosures < 0 || o.MaxDepth < 0 {
		return nil, fmt.Errorf("sdjwt: negative duration or limit: %w", ErrInvalidOptions)
	}
	lim := limits{
		maxBytes:       orDefault(o.MaxBytes, DefaultMaxBytes),
		maxDisclosures: orDefault(o.MaxDisclosures, DefaultMaxDisclosures),
		maxDepth:       orDefault(o.MaxDepth, DefaultMaxDepth),
	}
	algs := slices.Clone(o.Algorithms)
	if len(algs) == 0 {
		algs = ijose.DefaultAlgorithms()
	}
	v := &Verifier{
		issuerKey: issuerKey,
		holderKey: o.HolderKey,
		dc: decodeConfig{
			lim:    lim,
			policy: ijose.Policy{Types: ks.types(), Algorithms: algs, AllowX5C: o.AllowX5C, MaxBytes: lim.maxBytes},
			kinds:  ks,
			hashes: slices.Clone(o.HashAlgorithms),
			shape:  tm != nil,
		},
		kbPolicy:  ijose.Policy{Types: []string{TypKeyBinding}, Algorithms: algs, MaxBytes: lim.maxBytes},
		algs:      algs,
		allowNoKB: o.AllowMissingKeyBinding,
		clock:     o.Clock,
		skew:      orDefault(o.ClockSkew, DefaultClockSkew),
		kbAge:     orDefault(o.KeyBindingMaxAge, DefaultKeyBindingMaxAge),
		kbSkew:    orDefault(o.KeyBindingSkew, DefaultKeyBindingSkew),
		typeMeta:  tm,
	}
	if v.clock == nil {
		v.clock = time.Now
	}
	return v, nil
}

func orDefault[T int | time.Duration](v, d T) T {
	if v == 0 {
		return d
	}
	return v
}

// Expect is what a presentation must be bound to, per call.
type Expect struct {
	Nonce    string // the key binding JWT's nonce; required
	Audience string // its aud, a single string; required
}

// VerifyIssued verifies an SD-JWT as issued, as a holder does on receipt or a verifier
// that takes credentials without key binding (RFC 9901 §7.1): the issuer's signature
// (every signature of the general JSON serialization), every disclosure, the kind's
// rules and the validity period. An SD-JWT+KB is ErrInvalidType: a presentation is
// checked by VerifyPresentation, so a key binding check cannot be skipped by calling
// the wrong method.
func (v *Verifier) VerifyIssued(ctx context.Context, data []byte) (*Verified, error) {
	t, err := split(data, v.dc.lim)
	if err != nil {
		return nil, err
	}
	if t.kb != nil {
		return nil, fmt.Errorf("sdjwt: an SD-JWT+KB (presentation) where an SD-JWT as issued was expected: %w", ErrInvalidType)
	}
	return v.verify(ctx, t, v.clock())
}

// VerifyPresentation verifies a presentation (RFC 9901 §7.3): everything VerifyIssued
// checks, then the key binding JWT: typ kb+jwt, signed by the cnf key, iat within the
// window, aud a single string equal to want.Audience, nonce equal to want.Nonce, and
// sd_hash the hash of exactly the SD-JWT presented. Without a key binding JWT it fails
// with ErrKeyBindingRequired unless AllowMissingKeyBinding is set. want must name both
// a nonce and an audience (ErrInvalidOptions otherwise).
func (v *Verifier) VerifyPresentation(ctx context.Context, data []byte, want Expect) (*Verified, error) {
	if want.Nonce == "" || want.Audience == "" {
		return nil, fmt.Errorf("sdjwt: expected nonce and audience are required: %w", ErrInvalidOptions)
	}
	t, err := split(data, v.dc.lim)
	if err != nil {
		return nil, err
	}
	if t.kb == nil && !v.allowNoKB {
		return nil, fmt.Errorf("sdjwt: presentation without a key binding JWT: %w", ErrKeyBindingRequired)
	}
	now := v.clock()
	res, err := v.verify(ctx, t, now)
	if err != nil {
		return nil, err
	}
	if t.kb == nil {
		return res, nil
	}
	kb, err := v.verifyKeyBinding(ctx, t, res, want, now)
	if err != nil {
		return nil, err
	}
	res.kb = kb
	return res, nil
}

// verify runs RFC 9901 §7.1 on a split SD-JWT.
func (v *Verifier) verify(ctx context.Context, t *token, now time.Time) (*Verified, error) {
	d, err := decode(t, &v.dc)
	if err != nil {
		return nil, err
	}
	req := KeyRequest{Issuer: d.facts.issuer, KeyID: d.kid, X5C: d.jwt.Header.X5C, Kind: d.kind, Algorithm: d.jwt.Header.Alg, Types: claimedTypes(d.kind, d.facts.vct, d.claims)}
	pub, err := v.key(ctx, v.issuerKey, req)
	if err != nil {
		return nil, err
	}
	if err := d.jwt.Verify(pub, v.algs); err != nil {
		return nil, fmt.Errorf("sdjwt: Issuer-signed JWT: %w", err)
	}
	if err := v.verifyCosignatures(ctx, d); err != nil {
		return nil, err
	}
	claims, err := ijose.ClaimsFrom(d.claims)
	if err != nil {
		return nil, fmt.Errorf("sdjwt: %w", err)
	}
	if err := claims.CheckTime(now, v.skew); err != nil {
		return nil, fmt.Errorf("sdjwt: %w", err)
	}
	res := &Verified{
		kind:      d.kind,
		header:    headerOf(&d.jwt.Header, d.kid),
		ser:       t.ser,
		hash:      d.alg.name,
		claims:    d.claims,
		issuer:    d.facts.issuer,
		vct:       d.facts.vct,
		issuerKey: pub,
		hashAlg:   d.alg,
	}
	if claims.IssuedAt != nil {
		res.iat = *claims.IssuedAt
	}
	if claims.NotBefore != nil {
		res.nbf = *claims.NotBefore
	}
	if claims.Expiry != nil {
		res.exp = *claims.Expiry
	}
	if res.cnf, err = confirmation(d.claims); err != nil {
		return nil, err
	}
	res.status = d.claims["status"]
	res.disclosed = make([][]component, len(d.discs))
	for i := range d.discs {
		res.disclosed[i] = d.discs[i].at
	}
	if v.typeMeta != nil && d.kind == VC {
		res.shape = d.shape
		integrity, _ := d.claims["vct#integrity"].(string)
		m, err := ResolveTypeMetadata(ctx, res.vct, integrity, *v.typeMeta)
		if err != nil {
			return nil, err
		}
		if m != nil {
			if err := CheckTypeMetadata(res, m); err != nil {
				return nil, err
			}
			res.typeMeta = m
		}
	}
	return res, nil
}

// verifyCosignatures checks the further signatures of the general JSON serialization:
// each must verify with the key its kid resolves to for the same issuer. A signature
// the verifier cannot check fails the whole SD-JWT, as a proof set passes only when
// every proof does (DESIGN.md §6).
func (v *Verifier) verifyCosignatures(ctx context.Context, d *decoded) error {
	for i, s := range d.t.sigs {
		if i == 0 {
			continue
		}
		tok, err := ijose.Parse([]byte(s.protected+"."+d.t.payload+"."+s.signature), v.dc.policy)
		if err != nil {
			return fmt.Errorf("sdjwt: signature %d: %w", i, err)
		}
		if tok.Header.Typ != d.jwt.Header.Typ {
			return fmt.Errorf("sdjwt: signature %d has typ %q, the first %q: %w", i, tok.Header.Typ, d.jwt.Header.Typ, ErrInvalidType)
		}
		kid := tok.Header.Kid
		if s.kid != "" {
			if kid != "" {
				return fmt.Errorf("sdjwt: signature %d: kid in both the protected and the unprotected header: %w", i, ErrMalformed)
			}
			kid = s.kid
		}
		req := KeyRequest{Issuer: d.facts.issuer, KeyID: kid, X5C: tok.Header.X5C, Kind: d.kind, Algorithm: tok.Header.Alg, Types: claimedTypes(d.kind, d.facts.vct, d.claims)}
		pub, err := v.key(ctx, v.issuerKey, req)
		if err != nil {
			return fmt.Errorf("sdjwt: signature %d: %w", i, err)
		}
		if err := tok.Verify(pub, v.algs); err != nil {
			return fmt.Errorf("sdjwt: signature %d: %w", i, err)
		}
	}
	return nil
}

func (v *Verifier) key(ctx context.Context, f KeyFunc, r KeyRequest) (crypto.PublicKey, error) {
	pub, err := f(ctx, r)
	if err != nil {
		who := "issuer"
		if r.Holder {
			who = "holder"
		}
		return nil, fmt.Errorf("sdjwt: %s key for %q (kid %q): %w", who, r.Issuer, r.KeyID, err)
	}
	if pub == nil {
		return nil, fmt.Errorf("sdjwt: no key for %q (kid %q): %w", r.Issuer, r.KeyID, ErrInvalidKey)
	}
	return pub, nil
}

// verifyKeyBinding checks the key binding JWT (RFC 9901 §7.3 step 5).
func (v *Verifier) verifyKeyBinding(ctx context.Context, t *token, res *Verified, want Expect, now time.Time) (*KeyBinding, error) {
	kt, err := ijose.Parse(t.kb, v.kbPolicy)
	if err != nil {
		return nil, fmt.Errorf("sdjwt: key binding JWT: %w", err)
	}
	var pub crypto.PublicKey
	switch {
	case res.cnf == nil:
		return nil, fmt.Errorf("sdjwt: key binding JWT but no cnf claim: %w", ErrHolderBinding)
	case res.cnf.Key != nil:
		pub = res.cnf.Key
	case res.cnf.KeyID != "" && v.holderKey != nil:
		req := KeyRequest{Issuer: res.issuer, KeyID: res.cnf.KeyID, Kind: res.kind, Algorithm: kt.Header.Alg, Holder: true}
		if pub, err = v.key(ctx, v.holderKey, req); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("sdjwt: cnf holds no key the verifier can use: %w", ErrHolderBinding)
	}
	if err := kt.Verify(pub, v.algs); err != nil {
		if errors.Is(err, ErrInvalidSignature) {
			return nil, fmt.Errorf("sdjwt: key binding JWT not signed by the cnf key: %w", ErrHolderBinding)
		}
		return nil, fmt.Errorf("sdjwt: key binding JWT: %w", err)
	}
	c, err := ijose.ParseClaims(kt.Payload, jsonx.Limits{MaxBytes: len(kt.Payload) + 1, MaxDepth: 8})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: key binding JWT: %w", err)
	}
	if c.IssuedAt == nil {
		return nil, fmt.Errorf("sdjwt: key binding JWT without iat: %w", ErrMalformed)
	}
	iat := *c.IssuedAt
	if iat.After(now.Add(v.kbSkew)) {
		return nil, fmt.Errorf("sdjwt: key binding JWT issued at %s, in the future: %w", iat.Format(time.RFC3339), ErrIssuedInFuture)
	}
	if now.Sub(iat) > v.kbAge {
		return nil, fmt.Errorf("sdjwt: key binding JWT issued at %s, older than %s: %w", iat.Format(time.RFC3339), v.kbAge, ErrStale)
	}
	rest := *c
	rest.IssuedAt = nil
	if err := rest.CheckTime(now, v.skew); err != nil {
		return nil, fmt.Errorf("sdjwt: key binding JWT: %w", err)
	}
	aud, ok := c.Set["aud"].(string)
	if !ok {
		return nil, fmt.Errorf("sdjwt: key binding JWT aud is missing or not a single string: %w", ErrAudienceMismatch)
	}
	if aud != want.Audience {
		return nil, fmt.Errorf("sdjwt: key binding JWT aud %q, want %q: %w", aud, want.Audience, ErrAudienceMismatch)
	}
	if _, ok := c.Set["nonce"]; !ok {
		return nil, fmt.Errorf("sdjwt: key binding JWT without nonce: %w", ErrNonceMismatch)
	}
	if subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(want.Nonce)) != 1 {
		return nil, fmt.Errorf("sdjwt: key binding JWT nonce is not the expected one: %w", ErrNonceMismatch)
	}
	raw, ok := c.Set["sd_hash"]
	if !ok {
		return nil, fmt.Errorf("sdjwt: key binding JWT without sd_hash: %w", ErrSDHashMismatch)
	}
	sdHash, ok := raw.(string)
	if !ok {
		return nil, fmt.Errorf("sdjwt: key binding JWT sd_hash is not a string: %w", ErrMalformed)
	}
	var buf [sha512.Size * 2]byte
	if subtle.ConstantTimeCompare([]byte(sdHash), res.hashAlg.appendSum(buf[:0], t.hashInput)) != 1 {
		return nil, fmt.Errorf("sdjwt: sd_hash is not the hash of the SD-JWT presented: %w", ErrSDHashMismatch)
	}
	return &KeyBinding{IssuedAt: iat, Nonce: c.Nonce, Audience: aud, Algorithm: kt.Header.Alg, Key: pub}, nil
}

// confirmation reads the cnf claim (RFC 7800): a jwk is parsed, a kid kept for the
// caller to resolve, any other method kept raw.
func confirmation(claims map[string]any) (*Confirmation, error) {
	raw, ok := claims["cnf"]
	if !ok {
		return nil, nil
	}
	m := raw.(map[string]any) // checkKind made sure
	c := &Confirmation{claim: m}
	if j, ok := m["jwk"]; ok {
		jm, ok := j.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("sdjwt: cnf jwk is not an object: %w", ErrMalformed)
		}
		data, err := flatJSON(jm)
		if err != nil {
			return nil, fmt.Errorf("sdjwt: cnf jwk: %w", ErrMalformed)
		}
		if c.Key, err = keys.ParseJWK(data); err != nil {
			return nil, fmt.Errorf("sdjwt: cnf jwk: %w", err)
		}
	}
	if k, ok := m["kid"]; ok {
		s, ok := k.(string)
		if !ok || s == "" {
			return nil, fmt.Errorf("sdjwt: cnf kid is not a non-empty string: %w", ErrMalformed)
		}
		c.KeyID = s
	}
	return c, nil
}

// flatJSON encodes an object whose members are plain strings (a JWK, as its members
// are base64url values and names) without reflection; anything else goes through
// encoding/json.
func flatJSON(m map[string]any) ([]byte, error) {
	n := 2
	for k, v := range m {
		s, ok := v.(string)
		if !ok || !plainJSONString(k) || !plainJSONString(s) {
			return marshal(m)
		}
		n += len(k) + len(s) + 6
	}
	// Member order does not matter to a JWK.
	out := make([]byte, 0, n)
	out = append(out, '{')
	for k, v := range m {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = append(out, k...)
		out = append(out, '"', ':', '"')
		out = append(out, v.(string)...)
		out = append(out, '"')
	}
	return append(out, '}'), nil
}

// plainJSONString reports whether s needs no escaping in JSON.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// claimedTypes returns the types a payload claims: the vct of an SD-JWT VC, or the
// string or strings of a VCDM type member.
func claimedTypes(k Kind, vct string, claims map[string]any) []string {
	if k == VC {
		return []string{vct}
	}
	switch t := claims["type"].(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
