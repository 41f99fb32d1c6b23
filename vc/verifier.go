package vc

import (
	"bytes"
	"context"
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	vcjose "github.com/credence-dev/credence/vc/jose"
	"github.com/credence-dev/credence/vc/jsonld"
	"github.com/credence-dev/credence/vc/schema"
	"github.com/credence-dev/credence/vc/sdjwt"
	"github.com/credence-dev/credence/vc/status"
)

// Default policy values.
const (
	DefaultClockSkew          = 60 * time.Second
	DefaultMaxPresentationAge = 300 * time.Second
)

// VerifierOptions is the policy of a Verifier. The zero value is safe: it verifies
// did:key and did:jwk issuers offline with EdDSA, ES256 or ES384, and rejects every
// credential with ErrUntrustedIssuer until Trust (or AcceptAnyIssuer) says whom to
// accept.
type VerifierOptions struct {
	// Resolver resolves issuer and holder DIDs. If nil, did:key and did:jwk only, with
	// no network access. Register did:web (with an *http.Client) yourself to accept it.
	Resolver did.Resolver
	// Trust decides which issuers are accepted. If nil, none is, unless AcceptAnyIssuer.
	Trust IssuerTrust
	// AcceptAnyIssuer accepts every issuer whose signature verifies. It gives up the
	// question of who may issue what; examples and tests use it. It contradicts Trust.
	AcceptAnyIssuer bool
	// Keys finds verification keys. If nil, DIDs through Resolver (NewDIDKeys).
	Keys KeySource
	// Algorithms is the allow-list. If empty, EdDSA, ES256 and ES384; ES256K must be
	// named. "none", HMAC and RSA algorithms do not exist here.
	Algorithms []string
	// AllowX5C admits tokens that carry an x5c header, for a Keys that validates
	// chains (X509Keys). It needs Keys.
	AllowX5C bool
	// Clock, if nil, is time.Now.
	Clock func() time.Time
	// ClockSkew is the tolerance on every time check. If 0, 60 s; negative is an error.
	ClockSkew time.Duration
	// MaxPresentationAge is how long after its iat a presentation is accepted. If 0,
	// 300 s.
	MaxPresentationAge time.Duration
	// Replay remembers presentation nonces. If nil, an in-memory store per Verifier
	// (which a verifier running on several machines must replace with a shared one).
	Replay ReplayStore
	// StatusFetcher retrieves status lists (Bitstring Status List credentials, Status
	// List Tokens), for example status.NewHTTPFetcher with the caller's *http.Client, or
	// a fetcher serving lists the caller holds. If nil, no list can be fetched and every
	// credential that declares a status fails with ErrStatusRetrieval, unless SkipStatus.
	StatusFetcher status.Fetcher
	// SkipStatus accepts credentials that declare a status without checking it: it gives
	// up revocation and suspension.
	SkipStatus bool
	// AllowLegacySDJWTVC accepts SD-JWT VCs with typ vc+sd-jwt and a vct payload, as
	// drafts of SD-JWT VC before -06 wrote them. By default only dc+sd-jwt is an SD-JWT
	// VC, and vc+sd-jwt is the VC-JOSE-COSE format with a VCDM payload.
	AllowLegacySDJWTVC bool
	// TypeMetadata, if not nil, processes the type metadata of every SD-JWT VC: the
	// metadata of its vct (and of the types it extends) is retrieved with the policy's
	// fetcher, checked against vct#integrity, and the disclosed claims are validated
	// against its claim metadata; a credential that fails is ErrTypeMetadata. If nil,
	// no type metadata is processed and nothing is fetched for it.
	TypeMetadata *TypeMetadataPolicy
	// Schemas, if not nil, validates every credential's credentialSchema entries
	// (JsonSchema and JsonSchemaCredential, W3C VC JSON Schema) with the schemas it
	// names; a credential that fails is ErrSchemaValidation, one whose schema cannot be
	// had ErrSchemaRetrieval. If nil, credentialSchema is not validated.
	Schemas *SchemaOptions
	// SkipHolderBinding accepts presentations whose holder is not a subject of (or
	// bound by cnf to) the credentials it presents. It gives up the proof that the
	// presenter is the person the credential is about.
	SkipHolderBinding bool
	// Contexts are the JSON-LD contexts Data Integrity proofs with RDFC suites may use. If
	// nil, jsonld.DefaultContexts(): the embedded, hash-pinned W3C contexts; nothing is
	// ever fetched.
	Contexts *jsonld.Contexts
	// Limits bounds untrusted input; zero fields take the defaults.
	Limits Limits
	// Formats, if not empty, is the allow-list of formats.
	Formats []Format
}

// Verifier verifies credentials and presentations under one policy. Build it once with
// NewVerifier; it is safe for concurrent use.
type Verifier struct {
	keys        KeySource
	trust       IssuerTrust
	algs        []string
	allowX5C    bool
	clock       func() time.Time
	skew        time.Duration
	maxAge      time.Duration
	replay      ReplayStore
	skipStatus  bool
	skipBinding bool
	limits      Limits
	formats     []Format
	sd          *sdjwt.Verifier // nil when no SD-JWT format is allowed
	sdvp        *sdjwt.Verifier // vp+sd-jwt; nil when FormatSDJWT is not allowed
	typeMeta    *TypeMetadataPolicy
	schemas     *schema.Validator
	status      *status.Checker
	contexts    *jsonld.Contexts
	legacySDJWT bool
}

// NewVerifier checks opts and makes a Verifier. Contradictory or unsafe options are an
// error.
func NewVerifier(opts VerifierOptions) (*Verifier, error) {
	v := &Verifier{
		allowX5C: opts.AllowX5C, skipStatus: opts.SkipStatus, skipBinding: opts.SkipHolderBinding, legacySDJWT: opts.AllowLegacySDJWTVC,
		limits: opts.Limits, formats: slices.Clone(opts.Formats), typeMeta: opts.TypeMetadata,
	}
	switch {
	case opts.Trust != nil && opts.AcceptAnyIssuer:
		return nil, fmt.Errorf("vc: VerifierOptions: Trust and AcceptAnyIssuer contradict each other: %w", ErrInvalidOptions)
	case opts.AcceptAnyIssuer:
		v.trust = anyIssuer{}
	case opts.Trust != nil:
		v.trust = opts.Trust
	default:
		v.trust = noIssuer{}
	}
	for _, a := range opts.Algorithms {
		switch a {
		case keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K:
		default:
			return nil, fmt.Errorf("vc: VerifierOptions: algorithm %q: %w", a, ErrAlgorithmNotAllowed)
		}
	}
	v.algs = slices.Clone(opts.Algorithms)
	if len(v.algs) == 0 {
		v.algs = []string{keys.EdDSA, keys.ES256, keys.ES384}
	}
	for _, f := range opts.Formats {
		if f != FormatJWT && f != FormatJWT11 && f != FormatSDJWTVC && f != FormatSDJWT && f != FormatDataIntegrity {
			return nil, fmt.Errorf("vc: VerifierOptions: format %q: %w", f, ErrUnsupportedFormat)
		}
	}
	if opts.ClockSkew < 0 || opts.MaxPresentationAge < 0 || opts.Limits.MaxBytes < 0 || opts.Limits.MaxDepth < 0 {
		return nil, fmt.Errorf("vc: VerifierOptions: negative duration or limit: %w", ErrInvalidOptions)
	}
	v.skew = cmpOr(opts.ClockSkew, DefaultClockSkew)
	v.maxAge = cmpOr(opts.MaxPresentationAge, DefaultMaxPresentationAge)
	v.clock = opts.Clock
	if v.clock == nil {
		v.clock = time.Now
	}
	if tt, ok := v.trust.(timedTrust); ok {
		v.trust = clockedTrust{tt, v.clock}
	}
	v.keys = opts.Keys
	if v.keys == nil {
		if opts.AllowX5C {
			return nil, fmt.Errorf("vc: VerifierOptions: AllowX5C needs a Keys that validates chains: %w", ErrInvalidOptions)
		}
		r := opts.Resolver
		if r == nil {
			reg, err := DefaultResolver()
			if err != nil {
				return nil, err
			}
			r = reg
		}
		dk, err := NewDIDKeys(r)
		if err != nil {
			return nil, err
		}
		dk.clock = v.clock
		v.keys = dk
	}
	v.replay = opts.Replay
	if v.replay == nil {
		v.replay = NewMemoryReplayStore(0, v.clock)
	}
	v.contexts = opts.Contexts
	if v.contexts == nil {
		v.contexts = jsonld.DefaultContexts()
	}
	sd, err := v.newSDJWTVerifier()
	if err != nil {
		return nil, err
	}
	v.sd = sd
	if v.sdvp, err = v.newSDJWTVPVerifier(); err != nil {
		return nil, err
	}
	if v.status, err = v.newStatusChecker(opts.StatusFetcher); err != nil {
		return nil, err
	}
	if v.schemas, err = v.newSchemaValidator(opts.Schemas); err != nil {
		return nil, err
	}
	return v, nil
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// DefaultResolver returns a fresh registry of the DID methods that resolve offline,
// did:key and did:jwk: what a Verifier uses when VerifierOptions.Resolver is nil.
func DefaultResolver() (*did.Registry, error) {
	kr, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	reg := did.NewRegistry()
	if err := reg.Register("key", kr); err != nil {
		return nil, err
	}
	if err := reg.Register("jwk", jwk.New()); err != nil {
		return nil, err
	}
	return reg, nil
}

func (v *Verifier) allows(f Format) bool {
	return len(v.formats) == 0 || slices.Contains(v.formats, f)
}

func vErr(r Reason, path string, err error) *VerifyError {
	var ve *VerifyError
	if errors.As(err, &ve) {
		if path != "" {
			ve.Path = path + ve.Path
		}
		return ve
	}
	return &VerifyError{Reason: r, Path: path, Err: err}
}

// VerifyCredential verifies a credential as issued: its format is detected (a compact
// vc+jwt or VCDM 1.1 JWT, or an EnvelopedVerifiableCredential around one), the data
// model is validated, the issuer must be trusted, the signature must verify with a key
// the issuer's DID (or Keys) authorises for assertionMethod, and the credential must be
// valid now. A presentation given here is ErrInvalidType.
//
// On success the result holds what was proven; on failure it is nil and the error is
// a *VerifyError wrapping one sentinel.
func (v *Verifier) VerifyCredential(ctx context.Context, data []byte) (*Verified, error) {
	got, err := v.verifyCredential(ctx, data)
	if err != nil {
		return nil, err
	}
	if err := v.checkSchemas(ctx, got); err != nil {
		return nil, err
	}
	return got, nil
}

func (v *Verifier) verifyCredential(ctx context.Context, data []byte) (*Verified, error) {
	if err := checkSize(data, v.limits); err != nil {
		return nil, err
	}
	switch detect(data) {
	case shapeSDJWT:
		return v.verifySDJWT(ctx, bytes.TrimSpace(data), nil)
	case shapeJSON:
		obj, err := jsonx.Decode(data, v.limits.json())
		if err != nil {
			return nil, vErr(ReasonMalformed, "", err)
		}
		if isDataIntegrity(obj) {
			return v.verifyCredentialDI(ctx, data)
		}
	}
	token, err := v.credentialToken(data)
	if err != nil {
		return nil, err
	}
	return v.verifyCredentialJWT(ctx, token)
}

// credentialToken finds the compact token of a credential in data.
func (v *Verifier) credentialToken(data []byte) ([]byte, error) {
	data = bytes.TrimSpace(data)
	switch detect(data) {
	case shapeCompact:
		return data, nil
	case shapeJSON:
		return v.unenvelope(data, vcjose.MediaTypeCredential)
	}
	return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: not a credential in a known format: %w", ErrUnsupportedFormat))
}

// unenvelope returns the token of an enveloped credential or presentation; JSON that
// is not an envelope and has no proof is unsecured.
func (v *Verifier) unenvelope(data []byte, media string) ([]byte, error) {
	obj, err := jsonx.Decode(data, v.limits.json())
	if err != nil {
		return nil, vErr(ReasonMalformed, "", err)
	}
	token, err := tokenOf(data, obj, media)
	if err != nil {
		return nil, vErr(reasonOfEnvelope(err), "", err)
	}
	return token, nil
}

// tokenOf reads the compact token of an enveloped JSON object obj (decoded from raw).
func tokenOf(raw []byte, obj any, media string) ([]byte, error) {
	m, ok := obj.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("vc: not a JSON object: %w", ErrMalformed)
	}
	typ, _ := m["type"].(string)
	if strings.HasPrefix(typ, "Enveloped") {
		mt, token, err := vcjose.Unenvelope(raw)
		if err != nil {
			return nil, err
		}
		if mt != media {
			return nil, fmt.Errorf("vc: enveloped %s where %s was expected: %w", mt, media, ErrUnsupportedFormat)
		}
		return token, nil
	}
	if _, ok := m["proof"]; ok {
		// Callers route documents with a proof to the Data Integrity path first.
		return nil, fmt.Errorf("vc: a document with a proof where an envelope was expected: %w", ErrUnsupportedProof)
	}
	return nil, fmt.Errorf("vc: JSON without a proof or an envelope is not secured: %w", ErrMissingProof)
}

func reasonOfEnvelope(err error) Reason {
	if errors.Is(err, ErrUnsupportedProof) || errors.Is(err, ErrMissingProof) {
		return ReasonProof
	}
	return ReasonMalformed
}

func (v *Verifier) parseOptions(kinds ...vcjose.Kind) vcjose.ParseOptions {
	return vcjose.ParseOptions{Algorithms: v.algs, MaxBytes: v.limits.maxBytes(), AllowX5C: v.allowX5C, Kinds: kinds}
}

// checkFormat refuses a token whose format the policy does not allow.
func (v *Verifier) checkFormat(k vcjose.Kind) error {
	if f := formatOf(k); !v.allows(f) {
		return vErr(ReasonMalformed, "", fmt.Errorf("vc: format %s is not allowed by this verifier: %w", f, ErrUnsupportedFormat))
	}
	return nil
}

func formatOf(k vcjose.Kind) Format {
	if k == vcjose.Credential11 || k == vcjose.Presentation11 {
		return FormatJWT11
	}
	return FormatJWT
}

func (v *Verifier) verifyCredentialJWT(ctx context.Context, token []byte) (*Verified, error) {
	p, err := vcjose.Parse(token, v.parseOptions(vcjose.CredentialJWT, vcjose.Credential11))
	if err != nil {
		return nil, vErr(reasonOfParse(err), "", err)
	}
	if err := v.checkFormat(p.Kind); err != nil {
		return nil, err
	}
	// vc/jose checked the payload as strict JSON within the same limits, and p.Document is
	// this call's own copy.
	c, err := parseCheckedCredential(p.Document)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	issuer := c.Issuer.ID
	if err := v.trust.TrustIssuer(ctx, issuer, c.Type); err != nil {
		return nil, vErr(ReasonTrust, "/issuer", err)
	}
	pub, err := v.keys.Key(ctx, KeyRequest{Issuer: issuer, KeyID: p.Header.Kid, Relationship: did.AssertionMethod, X5C: p.Header.X5C})
	if err != nil {
		return nil, vErr(ReasonKey, "", err)
	}
	if err := p.Verify(pub, v.algs); err != nil {
		return nil, vErr(ReasonProof, "", err)
	}
	now := v.clock()
	if err := p.Claims.CheckTime(now, v.skew); err != nil {
		return nil, vErr(ReasonTime, "", err)
	}
	if err := v.checkValidity(c, now); err != nil {
		return nil, err
	}
	if err := v.checkCredentialStatus(ctx, c); err != nil {
		return nil, err
	}
	return &Verified{
		format:    formatOf(p.Kind),
		issuer:    issuer,
		types:     slices.Clone(c.Type),
		subjects:  subjectIDs(c),
		doc:       p.Document,
		validFrom: firstTime(c.ValidFrom, c.IssuanceDate),
		validTo:   firstTime(c.ValidUntil, c.ExpirationDate),
		proof:     ProofInfo{KeyID: p.Header.Kid, Algorithm: p.Header.Alg, Created: p.Claims.IssuedAt},
		cnf:       cnfOf(c),
	}, nil
}

func reasonOfParse(err error) Reason {
	for _, s := range []error{ErrAlgorithmNotAllowed, ErrAlgorithmKeyMismatch, ErrUnsupportedCritical, ErrUntrustedKeySource, ErrMissingKeyID} {
		if errors.Is(err, s) {
			return ReasonProof
		}
	}
	if errors.Is(err, ErrIssuerMismatch) {
		return ReasonIssuer
	}
	return ReasonMalformed
}

func firstTime(a, b *time.Time) *time.Time {
	if a != nil {
		return a
	}
	return b
}

// checkValidity applies the credential's own validity period (VC DM 2.0 §4.9; 1.1
// issuanceDate and expirationDate).
func (v *Verifier) checkValidity(c *Credential, now time.Time) error {
	from, fromPath := c.ValidFrom, "/validFrom"
	until, untilPath := c.ValidUntil, "/validUntil"
	if c.Version() == V1 {
		from, fromPath = c.IssuanceDate, "/issuanceDate"
		until, untilPath = c.ExpirationDate, "/expirationDate"
	}
	if from != nil && now.Add(v.skew).Before(*from) {
		return vErr(ReasonTime, fromPath, fmt.Errorf("vc: valid from %s: %w", from.Format(time.RFC3339), ErrNotYetValid))
	}
	if until != nil && !now.Add(-v.skew).Before(*until) {
		return vErr(ReasonTime, untilPath, fmt.Errorf("vc: valid until %s: %w", until.Format(time.RFC3339), ErrExpired))
	}
	return nil
}

func subjectIDs(c *Credential) []string {
	var ids []string
	for _, s := range c.Subject {
		if s.ID != "" {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// cnfOf reads a confirmation key the issuer bound the credential to (RFC 7800 "cnf"
// with a "jwk"), if any.
func cnfOf(c *Credential) crypto.PublicKey {
	raw, ok := c.Extra["cnf"]
	if !ok {
		return nil
	}
	var cnf struct {
		JWK json.RawMessage `json:"jwk"`
	}
	if json.Unmarshal(raw, &cnf) != nil || len(cnf.JWK) == 0 {
		return nil
	}
	pub, err := keys.ParseJWK(cnf.JWK)
	if err != nil {
		return nil
	}
	return pub
}

// Expect is what a presentation must be bound to, chosen by the verifier for each
// request. Nonce and Audience are required for JWT and SD-JWT presentations, Challenge
// and Domain for Data Integrity ones: an empty one is an error, never a skipped check.
type Expect struct {
	Nonce     string // the nonce the verifier sent (JWT, SD-JWT key binding)
	Audience  string // the verifier's own identifier, such as its client_id (JWT, SD-JWT)
	Challenge string // the challenge the verifier sent (Data Integrity)
	Domain    string // the verifier's domain (Data Integrity)
}

// jwtBinding checks that the verifier named what a JWT presentation must be bound to.
func (e Expect) jwtBinding() error {
	if e.Nonce == "" {
		return vErr(ReasonPresentation, "", fmt.Errorf("vc: VerifyPresentation needs an expected nonce: %w", ErrNonceMismatch))
	}
	if e.Audience == "" {
		return vErr(ReasonPresentation, "", fmt.Errorf("vc: VerifyPresentation needs an expected audience: %w", ErrAudienceMismatch))
	}
	return nil
}

// VerifyPresentation verifies a presentation, whose format it detects:
//
//   - a vp+jwt or VCDM 1.1 JWT VP (or an EnvelopedVerifiablePresentation around one): the
//     holder's signature with a key the holder's DID authorises for authentication, the
//     nonce and audience in want, its age (iat within MaxPresentationAge);
//   - a VCDM presentation with a Data Integrity proof: the holder's proof under
//     authentication, bound to want.Challenge and want.Domain;
//   - an SD-JWT with a key binding JWT: the credential itself, the key binding JWT signed
//     by the credential's cnf key over exactly what was presented, with want.Nonce and
//     want.Audience; its holder is known by that key only (Holder returns "").
//
// Then the nonce (or challenge) must not have been used before, every credential inside
// is verified as VerifyCredential does, and the holder must be bound to each (a subject
// id equal to the holder, or a cnf key equal to the holder's key).
func (v *Verifier) VerifyPresentation(ctx context.Context, data []byte, want Expect) (*VerifiedPresentation, error) {
	if err := checkSize(data, v.limits); err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	var token []byte
	switch detect(data) {
	case shapeCompact:
		token = data
	case shapeJSON:
		obj, err := jsonx.Decode(data, v.limits.json())
		if err != nil {
			return nil, vErr(ReasonMalformed, "", err)
		}
		if isDataIntegrity(obj) {
			return v.verifyPresentationDI(ctx, data, want)
		}
		if mt, tok, ok := envelopedSD(data, obj); ok && mt == vcjose.MediaTypePresentationSDJWT {
			if err := want.jwtBinding(); err != nil {
				return nil, err
			}
			return v.verifyVPSDJWT(ctx, tok, want)
		}
		t, err := tokenOf(data, obj, vcjose.MediaTypePresentation)
		if err != nil {
			return nil, vErr(reasonOfEnvelope(err), "", err)
		}
		token = t
	case shapeSDJWT:
		if err := want.jwtBinding(); err != nil {
			return nil, err
		}
		if isVPSDJWT(data) {
			return v.verifyVPSDJWT(ctx, data, want)
		}
		return v.verifySDJWTPresentation(ctx, data, want)
	default:
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: not a presentation in a known format: %w", ErrUnsupportedFormat))
	}
	if err := want.jwtBinding(); err != nil {
		return nil, err
	}
	p, err := vcjose.Parse(token, v.parseOptions(vcjose.PresentationJWT, vcjose.Presentation11))
	if err != nil {
		return nil, vErr(reasonOfParse(err), "", err)
	}
	if err := v.checkFormat(p.Kind); err != nil {
		return nil, err
	}
	pres, err := ParsePresentation(p.Document)
	if err != nil {
		return nil, err
	}
	if err := pres.Validate(); err != nil {
		return nil, err
	}
	holder := p.Issuer
	if holder == "" {
		return nil, vErr(ReasonHolder, "/holder", fmt.Errorf("vc: the presentation names no holder: %w", ErrHolderBinding))
	}
	holderKey, err := v.keys.Key(ctx, KeyRequest{Issuer: holder, KeyID: p.Header.Kid, Relationship: did.Authentication, X5C: p.Header.X5C})
	if errors.Is(err, ErrIssuerMismatch) {
		// The key belongs to someone other than the holder the presentation names.
		return nil, vErr(ReasonHolder, "", fmt.Errorf("%w: %w", ErrHolderBinding, err))
	}
	if err != nil {
		return nil, vErr(ReasonKey, "", err)
	}
	if err := p.Verify(holderKey, v.algs); err != nil {
		return nil, vErr(ReasonProof, "", err)
	}
	if subtle.ConstantTimeCompare([]byte(p.Claims.Nonce), []byte(want.Nonce)) != 1 {
		return nil, vErr(ReasonPresentation, "/nonce", fmt.Errorf("vc: presentation nonce does not match: %w", ErrNonceMismatch))
	}
	if len(p.Claims.Audience) != 1 || p.Claims.Audience[0] != want.Audience {
		return nil, vErr(ReasonPresentation, "/aud", fmt.Errorf("vc: presentation audience is not exactly %q: %w", want.Audience, ErrAudienceMismatch))
	}
	now := v.clock()
	if p.Claims.IssuedAt == nil {
		return nil, vErr(ReasonTime, "/iat", fmt.Errorf("vc: presentation without iat: %w", ErrStale))
	}
	iat := *p.Claims.IssuedAt
	if now.Sub(iat) > v.maxAge+v.skew {
		return nil, vErr(ReasonTime, "/iat", fmt.Errorf("vc: presentation issued at %s is older than %s: %w", iat.Format(time.RFC3339), v.maxAge, ErrStale))
	}
	if err := p.Claims.CheckTime(now, v.skew); err != nil {
		return nil, vErr(ReasonTime, "", err)
	}
	creds, err := v.verifyHeld(ctx, pres, holder, holderKey)
	if err != nil {
		return nil, err
	}
	if err := v.replay.Use(ctx, "vp\x00"+want.Audience+"\x00"+want.Nonce, iat.Add(v.maxAge+2*v.skew)); err != nil {
		return nil, vErr(ReasonPresentation, "/nonce", err)
	}
	return &VerifiedPresentation{
		format: formatOf(p.Kind), holder: holder, holderKey: holderKey, credentials: creds,
		proof: ProofInfo{KeyID: p.Header.Kid, Algorithm: p.Header.Alg, Created: p.Claims.IssuedAt},
	}, nil
}

// verifyHeld verifies each credential of a presentation (vp+jwt, vp+sd-jwt, Data
// Integrity) and its binding to the holder.
func (v *Verifier) verifyHeld(ctx context.Context, pres *Presentation, holder string, holderKey crypto.PublicKey) ([]*Verified, error) {
	creds := make([]*Verified, 0, len(pres.VerifiableCredential))
	for i, raw := range pres.VerifiableCredential {
		path := "/verifiableCredential/" + strconv.Itoa(i)
		c, err := v.verifyEmbedded(ctx, raw)
		if err != nil {
			return nil, vErr(ReasonMalformed, path, err)
		}
		if !v.skipBinding && !c.boundTo(holder, holderKey) {
			return nil, vErr(ReasonHolder, path, fmt.Errorf("vc: holder %s is neither a subject of the credential nor its cnf key: %w", holder, ErrHolderBinding))
		}
		creds = append(creds, c)
	}
	return creds, nil
}

// verifySDJWTPresentation verifies an SD-JWT with a key binding JWT: the presentation is
// the credential itself, bound to the holder by cnf.
func (v *Verifier) verifySDJWTPresentation(ctx context.Context, data []byte, want Expect) (*VerifiedPresentation, error) {
	c, err := v.verifySDJWT(ctx, data, &want)
	if err != nil {
		return nil, err
	}
	if c.holderKey == nil {
		if !v.skipBinding {
			return nil, vErr(ReasonHolder, "", fmt.Errorf("vc: SD-JWT presentation without key binding: %w", ErrKeyBindingRequired))
		}
	}
	if err := v.replay.Use(ctx, "vp\x00"+want.Audience+"\x00"+want.Nonce, v.clock().Add(v.maxAge+2*v.skew)); err != nil {
		return nil, vErr(ReasonPresentation, "/nonce", err)
	}
	return &VerifiedPresentation{format: c.format, holderKey: c.holderKey, credentials: []*Verified{c},
		proof: ProofInfo{Algorithm: c.proof.Algorithm}}, nil
}

// verifyEmbedded verifies one verifiableCredential entry of a presentation: an
// EnvelopedVerifiableCredential or JWT string, or a credential with a Data Integrity
// proof.
func (v *Verifier) verifyEmbedded(ctx context.Context, raw json.RawMessage) (*Verified, error) {
	got, err := v.verifyEmbeddedProof(ctx, raw)
	if err != nil {
		return nil, err
	}
	if err := v.checkSchemas(ctx, got); err != nil {
		return nil, err
	}
	return got, nil
}

func (v *Verifier) verifyEmbeddedProof(ctx context.Context, raw json.RawMessage) (*Verified, error) {
	obj, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: len(raw) + 1})
	if err != nil {
		return nil, err
	}
	if isDataIntegrity(obj) {
		return v.verifyCredentialDI(ctx, raw)
	}
	if mt, tok, ok := envelopedSD(raw, obj); ok && mt == vcjose.MediaTypeCredentialSDJWT {
		return v.verifySDJWT(ctx, tok, nil)
	}
	tok, err := embeddedToken(raw)
	if err != nil {
		return nil, err
	}
	return v.verifyCredentialJWT(ctx, tok)
}

// embeddedToken returns the compact token of one verifiableCredential entry: an
// EnvelopedVerifiableCredential (VCDM 2.0) or a JWT string (VCDM 1.1 JWT encoding). The
// entry was checked as strict JSON when the presentation was parsed.
func embeddedToken(raw json.RawMessage) ([]byte, error) {
	obj, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: len(raw) + 1})
	if err != nil {
		return nil, err
	}
	if s, ok := obj.(string); ok {
		return []byte(s), nil
	}
	return tokenOf(raw, obj, vcjose.MediaTypeCredential)
}
