package openid4vp

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// Issuer limits and defaults.
const (
	// DefaultMaxCredentialRequestBytes bounds a Credential Request or Token Request body.
	DefaultMaxCredentialRequestBytes = 64 << 10
	// DefaultTxCodeAttempts is how many wrong transaction codes spend a grant.
	DefaultTxCodeAttempts = 3
)

// vcdm2Context is the base context of the W3C credentials the Issuer makes.
const vcdm2Context = "https://www.w3.org/ns/credentials/v2"

// ClaimsRequest says which credential the Issuer is about to issue, for whom.
type ClaimsRequest struct {
	// OfferID is the caller's identifier of the offer the access token was granted
	// for (OfferOptions.OfferID).
	OfferID string
	// ConfigurationID is the credential configuration requested.
	ConfigurationID string
	// Holder is the key the credential will be bound to, proven by the key proof.
	Holder crypto.PublicKey
	// HolderDID is the holder's DID: the DID of a kid proof, or the did:jwk of a jwk
	// proof. W3C credentials name it as credentialSubject.id.
	HolderDID string
}

// ClaimsFunc returns the claims of the credential described by req: for dc+sd-jwt
// the SD-JWT VC's claims (without iss, vct, iat, cnf, which the Issuer adds); for
// jwt_vc_json and ldp_vc the members of credentialSubject (without id, which is the
// holder's DID). An error refuses the request (credential_request_denied); its text is
// not sent to the wallet. It is called once per credential, after the access token and
// the key proof were checked.
type ClaimsFunc func(ctx context.Context, req ClaimsRequest) (map[string]any, error)

// CredentialConfiguration is a kind of credential the Issuer issues.
type CredentialConfiguration struct {
	// Format is FormatSDJWTVC, FormatJWTVCJSON or FormatLDPVC.
	Format string
	// VCT is the SD-JWT VC type; required for dc+sd-jwt.
	VCT string
	// Types are the W3C credential's types after "VerifiableCredential".
	Types []string
	// Contexts are the W3C credential's @context entries after the VCDM 2.0 context.
	Contexts []string
	// Cryptosuite is the Data Integrity suite of ldp_vc; if empty, the vc.Issuer's
	// default for its key.
	Cryptosuite string
	// SigningAlgorithms, if set, is published as credential_signing_alg_values_supported.
	SigningAlgorithms []string
	// Scope, if set, is published as the configuration's scope.
	Scope   string
	Display []CredentialDisplay
	// Claims describe the claims for display; for dc+sd-jwt, those marked Disclosable
	// are selectively disclosable in the issued credential.
	Claims []ClaimDescription
	// Validity, if not 0, is how long issued credentials are valid (exp, validUntil).
	Validity time.Duration
}

// IssuerOptions configure an Issuer. Identifier, Issuer, Configurations and Claims are
// required; the zero value of everything else is the safe default.
type IssuerOptions struct {
	// Identifier is the Credential Issuer Identifier: an https URL without query or
	// fragment, such as "https://issuer.example/tenant". The endpoints live under it:
	// <Identifier>/token, /nonce, /credential and /offers/<handle>; the metadata at the
	// well-known URLs built from it.
	Identifier string
	// Issuer signs the credentials.
	Issuer *vc.Issuer
	// Configurations are the credentials offered, by credential configuration id.
	Configurations map[string]CredentialConfiguration
	// Claims supplies the claims of each credential.
	Claims ClaimsFunc
	// Store keeps offers, grants, access tokens and nonces; if nil, a
	// MemoryIssuanceStore (one process only).
	Store IssuanceStore
	// Display is the issuer's display metadata.
	Display []IssuerDisplay
	// ProofAlgorithms are the key proof algorithms accepted; if empty, EdDSA, ES256 and
	// ES384. Only asymmetric algorithms the keys package verifies are possible.
	ProofAlgorithms []string
	// Resolver resolves the DIDs of kid key proofs; if nil, did:key and did:jwk only.
	// Only did:key and did:jwk kids are accepted in any case.
	Resolver did.Resolver
	// TxCodeAttempts is how many wrong transaction codes spend a pre-authorized code;
	// if 0, DefaultTxCodeAttempts.
	TxCodeAttempts int
	// CodeLifetime is how long an offer and its pre-authorized code live; if 0, 10
	// minutes.
	CodeLifetime time.Duration
	// TokenLifetime is how long an access token lives; if 0, 5 minutes.
	TokenLifetime time.Duration
	// NonceLifetime is how long a c_nonce can be used; if 0, 5 minutes.
	NonceLifetime time.Duration
	// ProofMaxAge is how old a key proof's iat may be; if 0, 5 minutes. ClockSkew is
	// how far in the future it may be; if 0, 60 s.
	ProofMaxAge, ClockSkew time.Duration
	// BatchSize is how many key proofs (and credentials) one Credential Request may
	// carry; if 0, 1 (no batch issuance is advertised).
	BatchSize int
	// MaxRequestBytes bounds request bodies; if 0, DefaultMaxCredentialRequestBytes.
	MaxRequestBytes int
	// Clients are the wallets that may use the Authorization Code Flow, by client_id;
	// if empty, the flow is off and only pre-authorized codes are accepted.
	Clients map[string]Client
	// Logger receives one line per token and credential request (endpoint, offer,
	// outcome; never codes, tokens or claims); if nil, nothing is logged.
	Logger *slog.Logger
	// Clock, if nil, is time.Now.
	Clock func() time.Time
}

// Issuer is the issuer side of OpenID4VCI 1.0: it makes Credential Offers and serves
// the issuer and authorization server metadata, the token, nonce and credential
// endpoints, and offers by reference; with IssuerOptions.Clients, also the
// Authorization Code Flow with PKCE (Authorize, Approve, AuthorizationHandler). It is safe for
// concurrent use; every replica of an issuer sharing its IssuanceStore refuses a code,
// token or nonce that another one already spent.
type Issuer struct {
	o        IssuerOptions
	path     string // the identifier's path, without a trailing slash
	base     string // the identifier, without a trailing slash
	metadata IssuerMetadata
	asMeta   AuthorizationServerMetadata
	disclose map[string][]sdjwt.Path // dc+sd-jwt: the Disclosable claim paths
	keys     vc.KeySource
	store    IssuanceStore
	clock    func() time.Time
}

// NewIssuer checks o and makes an Issuer.
func NewIssuer(o IssuerOptions) (*Issuer, error) {
	u, err := checkIdentifier(o.Identifier)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	for _, c := range u.EscapedPath() {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("-._~/%", c)) {
			return nil, fmt.Errorf("openid4vp: the identifier's path may hold only unreserved characters: %w", ErrInvalidOptions)
		}
	}
	if o.Issuer == nil || o.Claims == nil || len(o.Configurations) == 0 {
		return nil, fmt.Errorf("openid4vp: an Issuer needs Issuer, Claims and Configurations: %w", ErrInvalidOptions)
	}
	if o.TxCodeAttempts < 0 || o.CodeLifetime < 0 || o.TokenLifetime < 0 || o.NonceLifetime < 0 || o.ProofMaxAge < 0 ||
		o.ClockSkew < 0 || o.BatchSize < 0 || o.MaxRequestBytes < 0 {
		return nil, fmt.Errorf("openid4vp: negative IssuerOptions: %w", ErrInvalidOptions)
	}
	setDefault(&o.TxCodeAttempts, DefaultTxCodeAttempts)
	setDefault(&o.CodeLifetime, 10*time.Minute)
	setDefault(&o.TokenLifetime, 5*time.Minute)
	setDefault(&o.NonceLifetime, 5*time.Minute)
	setDefault(&o.ProofMaxAge, 5*time.Minute)
	setDefault(&o.ClockSkew, time.Minute)
	setDefault(&o.BatchSize, 1)
	setDefault(&o.MaxRequestBytes, DefaultMaxCredentialRequestBytes)
	if len(o.ProofAlgorithms) == 0 {
		o.ProofAlgorithms = []string{keys.EdDSA, keys.ES256, keys.ES384}
	}
	for _, a := range o.ProofAlgorithms {
		switch a {
		case keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K:
		default:
			return nil, fmt.Errorf("openid4vp: proof algorithm %q: %w", a, ErrInvalidOptions)
		}
	}
	o.ProofAlgorithms = slices.Clone(o.ProofAlgorithms)
	i := &Issuer{o: o, base: strings.TrimSuffix(o.Identifier, "/"), path: strings.TrimSuffix(u.EscapedPath(), "/"), disclose: map[string][]sdjwt.Path{}}
	i.clock = o.Clock
	if i.clock == nil {
		i.clock = time.Now
	}
	i.store = o.Store
	if i.store == nil {
		i.store = NewMemoryIssuanceStore(0, i.clock)
	}
	r := o.Resolver
	if r == nil {
		reg, err := vc.DefaultResolver()
		if err != nil {
			return nil, err
		}
		r = reg
	}
	if i.keys, err = vc.NewDIDKeys(r); err != nil {
		return nil, err
	}
	i.metadata = IssuerMetadata{
		CredentialIssuer: o.Identifier, CredentialEndpoint: i.base + "/credential", NonceEndpoint: i.base + "/nonce",
		Display: o.Display, Configurations: map[string]*Configuration{},
	}
	if o.BatchSize > 1 {
		i.metadata.BatchCredentialIssuance = &BatchIssuance{BatchSize: o.BatchSize}
	}
	cfgs := map[string]CredentialConfiguration{}
	for id, c := range o.Configurations {
		m, err := i.configure(id, &c)
		if err != nil {
			return nil, err
		}
		cfgs[id] = c
		i.metadata.Configurations[id] = m
	}
	i.o.Configurations = cfgs
	i.asMeta = AuthorizationServerMetadata{
		Issuer: o.Identifier, TokenEndpoint: i.base + "/token", GrantTypesSupported: []string{GrantPreAuthorizedCode},
		PreAuthorizedAnonymous: true, TokenEndpointAuthMethods: []string{"none"},
	}
	if err := i.configureClients(); err != nil {
		return nil, err
	}
	return i, nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// configure checks one configuration and makes its metadata.
func (i *Issuer) configure(id string, c *CredentialConfiguration) (*Configuration, error) {
	if id == "" {
		return nil, fmt.Errorf("openid4vp: empty credential configuration id: %w", ErrInvalidOptions)
	}
	if err := checkClaimDescriptions(c.Claims); err != nil {
		return nil, fmt.Errorf("openid4vp: configuration %s: %w: %w", id, ErrInvalidOptions, err)
	}
	if c.Validity < 0 {
		return nil, fmt.Errorf("openid4vp: configuration %s: negative Validity: %w", id, ErrInvalidOptions)
	}
	c.Claims = slices.Clone(c.Claims)
	m := &Configuration{
		Format: c.Format, Scope: c.Scope, SigningAlgorithms: slices.Clone(c.SigningAlgorithms),
		BindingMethods: []string{"jwk", "did:key", "did:jwk"},
		ProofTypes:     map[string]ProofType{ProofTypeJWT: {SigningAlgorithms: i.o.ProofAlgorithms}},
	}
	if len(c.Display) > 0 || len(c.Claims) > 0 {
		m.Metadata = &CredentialMetadata{Display: slices.Clone(c.Display), Claims: c.Claims}
	}
	types := append([]string{"VerifiableCredential"}, c.Types...)
	switch c.Format {
	case FormatSDJWTVC:
		if c.VCT == "" || len(c.Types) > 0 || len(c.Contexts) > 0 || c.Cryptosuite != "" {
			return nil, fmt.Errorf("openid4vp: configuration %s: dc+sd-jwt needs a VCT, and no Types, Contexts or Cryptosuite: %w", id, ErrInvalidOptions)
		}
		m.VCT = c.VCT
		var paths []sdjwt.Path
		for _, cd := range c.Claims {
			if cd.Disclosable {
				paths = append(paths, sdjwt.Path(cd.Path))
			}
		}
		if _, err := sdjwt.PathFrame(paths...); err != nil {
			return nil, fmt.Errorf("openid4vp: configuration %s: %w: %w", id, ErrInvalidOptions, err)
		}
		i.disclose[id] = paths
	case FormatJWTVCJSON, FormatLDPVC:
		if c.VCT != "" || c.Format == FormatJWTVCJSON && c.Cryptosuite != "" {
			return nil, fmt.Errorf("openid4vp: configuration %s: VCT or Cryptosuite on a format without them: %w", id, ErrInvalidOptions)
		}
		for _, cd := range c.Claims {
			if cd.Disclosable {
				return nil, fmt.Errorf("openid4vp: configuration %s: only dc+sd-jwt claims can be disclosable: %w", id, ErrInvalidOptions)
			}
		}
		m.Definition = &CredentialDefinition{Type: types}
		if c.Format == FormatLDPVC {
			m.Definition.Context = append([]string{vcdm2Context}, c.Contexts...)
		}
	default:
		return nil, fmt.Errorf("openid4vp: configuration %s: format %q: %w", id, c.Format, errs.ErrUnsupportedFormat)
	}
	return m, nil
}

// Metadata returns the Credential Issuer Metadata.
func (i *Issuer) Metadata() IssuerMetadata { return i.metadata }

// OfferOptions describe one Credential Offer.
type OfferOptions struct {
	// OfferID is the caller's identifier of what is offered (an application, a
	// person's record); the Claims callback receives it. Required.
	OfferID string
	// ConfigurationIDs are the credential configurations offered; required.
	ConfigurationIDs []string
	// TxCode, if not nil, requires a transaction code: the Issuer makes one (Length
	// characters, default 6; digits unless InputMode is "text") and returns it for the
	// caller to send to the user through another channel.
	TxCode *TxCode
	// Grant is the grant the offer carries: GrantPreAuthorizedCode (if empty) or
	// GrantAuthorizationCode (an issuer_state for the Authorization Code Flow, which
	// needs IssuerOptions.Clients).
	Grant string
	// ByReference passes the offer as a credential_offer_uri served by the Issuer
	// (Handler, at <Identifier>/offers/<handle>) instead of by value.
	ByReference bool
}

// Offer is a Credential Offer the Issuer made.
type Offer struct {
	// Offer is the offer itself.
	Offer CredentialOffer
	// URL is the wallet invocation: show it as a QR code or link to it.
	URL string
	// TxCode is the transaction code to send to the user through another channel, or
	// "" when none is required. It is not part of the offer.
	TxCode string
	// Expires is when the pre-authorized code stops working.
	Expires time.Time
}

// NewOffer makes a Credential Offer with a fresh pre-authorized code (and transaction
// code, if asked) and stores its grant.
func (i *Issuer) NewOffer(ctx context.Context, o OfferOptions) (*Offer, error) {
	if o.OfferID == "" || len(o.ConfigurationIDs) == 0 {
		return nil, fmt.Errorf("openid4vp: an offer needs an OfferID and ConfigurationIDs: %w", ErrInvalidOptions)
	}
	for _, id := range o.ConfigurationIDs {
		if _, ok := i.o.Configurations[id]; !ok {
			return nil, fmt.Errorf("openid4vp: no credential configuration %q: %w", id, ErrInvalidOptions)
		}
	}
	code, err := random()
	if err != nil {
		return nil, err
	}
	now := i.clock()
	out := &Offer{Expires: now.Add(i.o.CodeLifetime)}
	g := &Grant{CodeHash: HashSecret(code), Issuer: i.o.Identifier, OfferID: o.OfferID, ConfigurationIDs: slices.Clone(o.ConfigurationIDs),
		MaxAttempts: i.o.TxCodeAttempts, Expires: out.Expires}
	pre := &PreAuthorizedGrant{Code: code}
	if o.TxCode != nil {
		t := *o.TxCode
		setDefault(&t.Length, 6)
		if t.Length < 4 || t.Length > 64 {
			return nil, fmt.Errorf("openid4vp: a transaction code of %d characters: %w", t.Length, ErrInvalidOptions)
		}
		if out.TxCode, err = txCode(t.InputMode, t.Length); err != nil {
			return nil, err
		}
		g.TxCodeHash = HashSecret(out.TxCode)
		pre.TxCode = &t
	}
	out.Offer = CredentialOffer{CredentialIssuer: i.o.Identifier, ConfigurationIDs: slices.Clone(o.ConfigurationIDs), Grants: &Grants{PreAuthorizedCode: pre}}
	switch o.Grant {
	case "", GrantPreAuthorizedCode:
	case GrantAuthorizationCode:
		if len(i.o.Clients) == 0 || o.TxCode != nil {
			return nil, fmt.Errorf("openid4vp: an authorization code offer needs IssuerOptions.Clients and takes no TxCode: %w", ErrInvalidOptions)
		}
		g.CodeHash, g.Kind = issuerStateKey(code), GrantKindIssuerState
		out.Offer.Grants = &Grants{AuthorizationCode: &AuthorizationCodeGrant{IssuerState: code}}
	default:
		return nil, fmt.Errorf("openid4vp: offer grant %q: %w", o.Grant, ErrInvalidOptions)
	}
	if err := out.Offer.check(); err != nil {
		return nil, fmt.Errorf("openid4vp: %w: %w", ErrInvalidOptions, err)
	}
	if o.ByReference {
		handle, err := random()
		if err != nil {
			return nil, err
		}
		data, err := json.Marshal(out.Offer)
		if err != nil {
			return nil, err
		}
		if err := i.store.PutOffer(ctx, handle, data, out.Expires); err != nil {
			return nil, err
		}
		out.URL = OfferURIInvocation(i.base + "/offers/" + handle)
	} else if out.URL, err = out.Offer.URL(); err != nil {
		return nil, err
	}
	if err := i.store.PutGrant(ctx, g); err != nil {
		return nil, err
	}
	return out, nil
}

// txCode makes a random transaction code of n digits (or, for "text", n characters of
// an alphabet without look-alikes).
func txCode(mode string, n int) (string, error) {
	alphabet := "0123456789"
	switch mode {
	case "", TxCodeNumeric:
	case TxCodeText:
		alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	default:
		return "", fmt.Errorf("openid4vp: tx_code input_mode %q: %w", mode, ErrInvalidOptions)
	}
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for k := range b {
		r, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b[k] = alphabet[r.Int64()]
	}
	return string(b), nil
}

// TokenResponse is a successful Token Response.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	// AuthorizationDetails answer the authorization_details of the request, if any.
	AuthorizationDetails []AuthorizationDetail `json:"authorization_details,omitempty"`
}

// AuthorizationDetail is one authorization_details entry of type openid_credential
// (OpenID4VCI 1.0 §5.1.1, §6.2). The Issuer names one credential identifier per
// configuration: the configuration id itself (one credential dataset each).
type AuthorizationDetail struct {
	Type                  string   `json:"type"`
	ConfigurationID       string   `json:"credential_configuration_id"`
	CredentialIdentifiers []string `json:"credential_identifiers,omitempty"`
}

// parseAuthorizationDetails reads an authorization_details parameter of type
// openid_credential entries and returns the configuration ids they name.
func parseAuthorizationDetails(s string) ([]string, error) {
	var details []AuthorizationDetail
	if err := decodeStrict([]byte(s), &details); err != nil || len(details) == 0 || len(details) > maxOfferedConfigurations {
		return nil, oauthErr(http.StatusBadRequest, "invalid_authorization_details", fmt.Errorf("openid4vp: authorization_details is not a short non-empty array: %w", ErrMalformed))
	}
	var ids []string
	for _, d := range details {
		if d.Type != "openid_credential" || d.ConfigurationID == "" || slices.Contains(ids, d.ConfigurationID) {
			return nil, oauthErr(http.StatusBadRequest, "invalid_authorization_details", fmt.Errorf("openid4vp: authorization_details entry of type %q: %w", d.Type, ErrMalformed))
		}
		ids = append(ids, d.ConfigurationID)
	}
	return ids, nil
}

// Token handles a Token Request (its form parameters) of the Pre-Authorized Code Flow
// (OpenID4VCI 1.0 §6): it redeems the code, once, checking the transaction code, and
// grants a short-lived access token for the offer's configurations. Errors are
// *OAuthError (invalid_request, invalid_grant, unsupported_grant_type) wrapping what
// failed. TokenHandler calls it; it is exported for other transports.
func (i *Issuer) Token(ctx context.Context, form url.Values) (*TokenResponse, error) {
	for k, v := range form {
		if len(v) > 1 {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, fmt.Errorf("openid4vp: parameter %s repeated: %w", k, ErrMalformed))
		}
	}
	if form.Get("grant_type") == GrantAuthorizationCode && len(i.o.Clients) > 0 {
		return i.tokenAuthorizationCode(ctx, form)
	}
	if gt := form.Get("grant_type"); gt != GrantPreAuthorizedCode {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeUnsupportedGrantType, fmt.Errorf("openid4vp: grant_type %q: %w", gt, ErrMalformed))
	}
	code := form.Get("pre-authorized_code")
	if code == "" {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, fmt.Errorf("openid4vp: no pre-authorized_code: %w", ErrMalformed))
	}
	tx, hasTx := form["tx_code"]
	txValue := ""
	if hasTx {
		txValue = tx[0]
	}
	var details []string
	if form.Has("authorization_details") {
		var err error
		if details, err = parseAuthorizationDetails(form.Get("authorization_details")); err != nil {
			return nil, err
		}
	}
	now := i.clock()
	g, err := i.store.UpdateGrant(ctx, HashSecret(code), func(g *Grant) (bool, error) {
		if g.Issuer != i.o.Identifier || g.Kind != "" {
			return false, fmt.Errorf("openid4vp: the code is another issuer's, or not a pre-authorized code: %w", ErrNotFound)
		}
		for _, id := range details {
			if !slices.Contains(g.ConfigurationIDs, id) {
				return false, oauthErr(http.StatusBadRequest, "invalid_authorization_details", fmt.Errorf("openid4vp: authorization_details name %q, which was not offered: %w", id, ErrMalformed))
			}
		}
		return g.Redeem(txValue, hasTx, now)
	})
	if err != nil {
		if _, ok := errors.AsType[*OAuthError](err); ok {
			return nil, err
		}
		code := ErrCodeInvalidGrant
		if errors.Is(err, ErrMalformed) {
			code = ErrCodeInvalidRequest
		} else if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrReplay) && !errors.Is(err, ErrInvalidTxCode) {
			return nil, err // the store failed
		}
		return nil, oauthErr(http.StatusBadRequest, code, err)
	}
	return i.grantToken(ctx, g, now, details)
}

// grantToken makes an access token for what g grants. With authorization details
// (the configuration ids they named), the token covers only those, and the response
// names their credential identifiers, which credential requests must then use.
func (i *Issuer) grantToken(ctx context.Context, g *Grant, now time.Time, details []string) (*TokenResponse, error) {
	tok, err := random()
	if err != nil {
		return nil, err
	}
	at := &AccessToken{Hash: HashSecret(tok), Issuer: i.o.Identifier, OfferID: g.OfferID, ConfigurationIDs: g.ConfigurationIDs, Expires: now.Add(i.o.TokenLifetime)}
	res := &TokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int64(i.o.TokenLifetime / time.Second)}
	if details != nil {
		at.ConfigurationIDs, at.Identifiers = slices.Clone(details), true
		for _, id := range details {
			res.AuthorizationDetails = append(res.AuthorizationDetails, AuthorizationDetail{Type: "openid_credential", ConfigurationID: id, CredentialIdentifiers: []string{id}})
		}
	}
	if err := i.store.PutToken(ctx, at); err != nil {
		return nil, err
	}
	return res, nil
}

// nonceKey names a c_nonce in the store, per issuer.
func (i *Issuer) nonceKey(nonce string) string { return HashSecret(i.o.Identifier + "\x00" + nonce) }

// Nonce makes a fresh c_nonce (OpenID4VCI 1.0 §7), good for one Credential Request.
func (i *Issuer) Nonce(ctx context.Context) (string, error) {
	n, err := random()
	if err != nil {
		return "", err
	}
	if err := i.store.PutNonce(ctx, i.nonceKey(n), i.clock().Add(i.o.NonceLifetime)); err != nil {
		return "", err
	}
	return n, nil
}

// credentialRequest is a Credential Request (§8.2) as the Issuer reads it; other
// members are ignored.
type credentialRequest struct {
	ConfigurationID    *string                    `json:"credential_configuration_id"`
	Identifier         *string                    `json:"credential_identifier"`
	Proofs             map[string]json.RawMessage `json:"proofs"`
	ResponseEncryption json.RawMessage            `json:"credential_response_encryption"`
}

// CredentialResponse is a Credential Response (§8.3) of immediately issued
// credentials.
type CredentialResponse struct {
	Credentials []IssuedCredential `json:"credentials"`
}

// IssuedCredential is one credential of a response: a JSON string (dc+sd-jwt,
// jwt_vc_json) or object (ldp_vc).
type IssuedCredential struct {
	Credential json.RawMessage `json:"credential"`
}

// Credential handles a Credential Request: it checks the access token (which may be
// used for each configuration of its offer until it expires), then the request body
// (JSON), each key proof (at most BatchSize, each c_nonce spent once, so every request
// needs a fresh one), then calls the Claims callback, and issues one credential per
// proven key, bound to it.
// Errors are *OAuthError (invalid_token, invalid_credential_request,
// unknown_credential_configuration, unknown_credential_identifier, invalid_proof,
// invalid_nonce, invalid_encryption_parameters, credential_request_denied) wrapping
// what failed. CredentialHandler calls it; it is exported for other transports.
func (i *Issuer) Credential(ctx context.Context, accessToken string, body []byte) (*CredentialResponse, error) {
	if accessToken == "" {
		return nil, oauthErr(http.StatusUnauthorized, ErrCodeInvalidToken, fmt.Errorf("openid4vp: no access token: %w", ErrNotFound))
	}
	at, err := i.store.Token(ctx, HashSecret(accessToken))
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, oauthErr(http.StatusUnauthorized, ErrCodeInvalidToken, err)
	}
	if at.Issuer != i.o.Identifier {
		return nil, oauthErr(http.StatusUnauthorized, ErrCodeInvalidToken, fmt.Errorf("openid4vp: the access token is another issuer's: %w", errs.ErrIssuerMismatch))
	}
	if len(body) > i.o.MaxRequestBytes {
		return nil, oauthErr(http.StatusRequestEntityTooLarge, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: credential request of %d bytes: %w", len(body), ErrTooLarge))
	}
	var req credentialRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, err)
	}
	var cid string
	switch {
	case req.Identifier != nil && req.ConfigurationID != nil:
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: both credential_configuration_id and credential_identifier: %w", ErrMalformed))
	case len(req.ResponseEncryption) > 0:
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidEncryptionParameters, fmt.Errorf("openid4vp: credential response encryption is not supported: %w", ErrMalformed))
	case at.Identifiers:
		// §8.2: after a token response with credential identifiers, only they are used.
		if req.Identifier == nil {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: the token named credential identifiers; credential_identifier is required: %w", ErrMalformed))
		}
		if cid = *req.Identifier; !slices.Contains(at.ConfigurationIDs, cid) {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeUnknownCredentialIdentifier, fmt.Errorf("openid4vp: unknown credential identifier: %w", ErrNotFound))
		}
	case req.Identifier != nil:
		return nil, oauthErr(http.StatusBadRequest, ErrCodeUnknownCredentialIdentifier, fmt.Errorf("openid4vp: the token named no credential identifiers: %w", ErrNotFound))
	case req.ConfigurationID == nil:
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: no credential_configuration_id: %w", ErrMalformed))
	default:
		cid = *req.ConfigurationID
	}
	cfg, ok := i.o.Configurations[cid]
	if !ok || !slices.Contains(at.ConfigurationIDs, cid) {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeUnknownCredentialConfiguration, fmt.Errorf("openid4vp: configuration %q is not granted: %w", cid, ErrNotFound))
	}
	proven, err := i.checkProofs(ctx, req.Proofs)
	if err != nil {
		return nil, err
	}
	out := &CredentialResponse{}
	for _, pk := range proven {
		cred, err := i.issue(ctx, at.OfferID, cid, &cfg, pk)
		if err != nil {
			return nil, err
		}
		out.Credentials = append(out.Credentials, IssuedCredential{Credential: cred})
	}
	return out, nil
}

// checkProofs checks the proofs member: one jwt proof per credential, all valid, with
// distinct keys; then spends their nonces.
func (i *Issuer) checkProofs(ctx context.Context, proofs map[string]json.RawMessage) ([]*provenKey, error) {
	if len(proofs) == 0 {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, fmt.Errorf("openid4vp: no proofs: %w", errs.ErrMissingProof))
	}
	raw, ok := proofs[ProofTypeJWT]
	if len(proofs) != 1 || !ok {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, fmt.Errorf("openid4vp: proofs must hold jwt proofs only: %w", errs.ErrUnsupportedProof))
	}
	var jwts []string
	if err := json.Unmarshal(raw, &jwts); err != nil || len(jwts) == 0 {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, fmt.Errorf("openid4vp: proofs.jwt is not a non-empty array of strings: %w", ErrMalformed))
	}
	if len(jwts) > i.o.BatchSize {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: %d proofs, at most %d: %w", len(jwts), i.o.BatchSize, ErrTooLarge))
	}
	p := proofPolicy{audience: i.o.Identifier, algorithms: i.o.ProofAlgorithms, methods: []string{"key", "jwk"}, allowJWK: true,
		keys: i.keys, now: i.clock(), maxAge: i.o.ProofMaxAge, skew: i.o.ClockSkew}
	var out []*provenKey
	for n, t := range jwts {
		pk, err := checkProof(ctx, []byte(t), p)
		if err != nil {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, fmt.Errorf("proof %d: %w", n, err))
		}
		for _, prev := range out {
			if keys.Equal(prev.key, pk.key) {
				return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, fmt.Errorf("openid4vp: proof %d repeats a key: %w", n, ErrReplay))
			}
		}
		out = append(out, pk)
	}
	spent := map[string]bool{}
	for _, pk := range out {
		if spent[pk.nonce] {
			continue
		}
		if err := i.store.UseNonce(ctx, i.nonceKey(pk.nonce)); err != nil {
			if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrReplay) {
				return nil, err
			}
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidNonce, err)
		}
		spent[pk.nonce] = true
	}
	return out, nil
}

// issue makes one credential of configuration cid for the proven key.
func (i *Issuer) issue(ctx context.Context, offerID, cid string, cfg *CredentialConfiguration, pk *provenKey) (json.RawMessage, error) {
	holderDID := pk.did
	if holderDID == "" {
		var err error
		if holderDID, err = jwk.Create(pk.key); err != nil {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidProof, err)
		}
	}
	claims, err := i.o.Claims(ctx, ClaimsRequest{OfferID: offerID, ConfigurationID: cid, Holder: pk.key, HolderDID: holderDID})
	if err != nil {
		i.log(ctx, "openid4vci credential refused by the claims callback", offerID, err)
		return nil, &OAuthError{Status: http.StatusBadRequest, Code: ErrCodeCredentialRequestDenied, Description: "the issuer declined to issue this credential", Err: ErrRejected}
	}
	now := i.clock()
	var cred []byte
	switch cfg.Format {
	case FormatSDJWTVC:
		o := vc.SDJWTOptions{VCT: cfg.VCT, Holder: pk.key}
		if cfg.Validity > 0 {
			o.Expiry = now.Add(cfg.Validity)
		}
		frame, err := i.frame(cid, claims)
		if err != nil {
			return nil, i.serverError(ctx, offerID, err)
		}
		if cred, err = i.o.Issuer.IssueSDJWT(ctx, claims, frame, o); err != nil {
			return nil, i.serverError(ctx, offerID, err)
		}
		return json.Marshal(string(cred))
	default:
		if _, ok := claims["id"]; ok {
			return nil, i.serverError(ctx, offerID, fmt.Errorf("openid4vp: the claims callback set credentialSubject.id: %w", ErrInvalidOptions))
		}
		subject := make(map[string]any, len(claims)+1)
		for k, v := range claims {
			subject[k] = v
		}
		subject["id"] = holderDID
		doc := map[string]any{
			"@context": append([]any{vcdm2Context}, anySlice(cfg.Contexts)...),
			"type":     append([]any{"VerifiableCredential"}, anySlice(cfg.Types)...),
			"issuer":   i.o.Issuer.ID(), "validFrom": now.UTC().Format(time.RFC3339),
			"credentialSubject": subject,
		}
		if cfg.Validity > 0 {
			doc["validUntil"] = now.Add(cfg.Validity).UTC().Format(time.RFC3339)
		}
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, i.serverError(ctx, offerID, err)
		}
		c, err := vc.ParseCredential(data)
		if err != nil {
			return nil, i.serverError(ctx, offerID, err)
		}
		f := vc.FormatJWT
		if cfg.Format == FormatLDPVC {
			f = vc.FormatDataIntegrity
		}
		if cred, err = i.o.Issuer.Issue(ctx, c, f, vc.IssueOptions{Cryptosuite: cfg.Cryptosuite}); err != nil {
			return nil, i.serverError(ctx, offerID, err)
		}
		if f == vc.FormatDataIntegrity {
			return cred, nil
		}
		return json.Marshal(string(cred))
	}
}

// frame is the disclosure frame of configuration cid for claims: its Disclosable
// paths that claims hold (a claim the callback left out is not framed).
func (i *Issuer) frame(cid string, claims map[string]any) (sdjwt.Frame, error) {
	var paths []sdjwt.Path
	for _, p := range i.disclose[cid] {
		if hasPath(claims, p) {
			paths = append(paths, p)
		}
	}
	return sdjwt.PathFrame(paths...)
}

// hasPath reports whether v holds a claim at p (nil: an array with elements).
func hasPath(v any, p sdjwt.Path) bool {
	for _, c := range p {
		switch c := c.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return false
			}
			if v, ok = m[c]; !ok {
				return false
			}
		case nil:
			a, ok := v.([]any)
			return ok && len(a) > 0
		default:
			a, ok := v.([]any)
			n, isInt := c.(int)
			if f, isFloat := c.(float64); isFloat && f == float64(int(f)) {
				n, isInt = int(f), true
			}
			if !ok || !isInt || n < 0 || n >= len(a) {
				return false
			}
			v = a[n]
		}
	}
	return true
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func (i *Issuer) serverError(ctx context.Context, offerID string, err error) error {
	i.log(ctx, "openid4vci credential could not be issued", offerID, err)
	return &OAuthError{Status: http.StatusInternalServerError, Code: ErrCodeServerError, Err: err}
}

func (i *Issuer) log(ctx context.Context, msg, offerID string, err error) {
	if i.o.Logger != nil {
		i.o.Logger.LogAttrs(ctx, slog.LevelInfo, msg, slog.String("offer", offerID), slog.Any("error", err))
	}
}

// Handler serves every endpoint of the Issuer under its identifier's host: the two
// well-known metadata documents, <path>/token, <path>/nonce, <path>/credential and
// <path>/offers/<handle>. Mount it at the root of the identifier's host.
func (i *Issuer) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+WellKnownIssuer+i.path, i.MetadataHandler())
	mux.Handle("GET "+WellKnownAuthorizationServer+i.path, i.AuthorizationServerMetadataHandler())
	mux.Handle("POST "+i.path+"/token", i.TokenHandler())
	mux.Handle("POST "+i.path+"/nonce", i.NonceHandler())
	mux.Handle("POST "+i.path+"/credential", i.CredentialHandler())
	mux.Handle("GET "+i.path+"/offers/{handle}", i.OfferHandler())
	return mux
}

// MetadataHandler serves the Credential Issuer Metadata (GET).
func (i *Issuer) MetadataHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, i.metadata) })
}

// AuthorizationServerMetadataHandler serves the OAuth 2.0 Authorization Server
// Metadata (GET): the token endpoint and anonymous pre-authorized access.
func (i *Issuer) AuthorizationServerMetadataHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, i.asMeta) })
}

// readBody reads a bounded request body.
func (i *Issuer) readBody(w http.ResponseWriter, r *http.Request, code string) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(i.o.MaxRequestBytes)))
	if err != nil {
		return nil, oauthErr(http.StatusRequestEntityTooLarge, code, fmt.Errorf("openid4vp: request body over %d bytes: %w", i.o.MaxRequestBytes, ErrTooLarge))
	}
	return body, nil
}

func mediaType(r *http.Request) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt
}

// TokenHandler serves the token endpoint (POST, application/x-www-form-urlencoded).
func (i *Issuer) TokenHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, oauthErr(http.StatusMethodNotAllowed, ErrCodeInvalidRequest, fmt.Errorf("POST only: %w", ErrMalformed)))
			return
		}
		body, err := i.readBody(w, r, ErrCodeInvalidRequest)
		if err == nil && mediaType(r) != "application/x-www-form-urlencoded" {
			err = oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, fmt.Errorf("openid4vp: token request is not form-encoded: %w", ErrMalformed))
		}
		var res *TokenResponse
		if err == nil {
			form, perr := url.ParseQuery(string(body))
			if perr != nil {
				err = oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, fmt.Errorf("openid4vp: token request is not form-encoded: %w", ErrMalformed))
			} else {
				res, err = i.Token(r.Context(), form)
			}
		}
		i.log(r.Context(), "openid4vci token request", "", err)
		if err != nil {
			writeOAuthError(w, err)
			return
		}
		writeJSON(w, res)
	})
}

// NonceHandler serves the nonce endpoint (POST): {"c_nonce": ...}, uncacheable.
func (i *Issuer) NonceHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, oauthErr(http.StatusMethodNotAllowed, ErrCodeInvalidRequest, fmt.Errorf("POST only: %w", ErrMalformed)))
			return
		}
		n, err := i.Nonce(r.Context())
		if err != nil {
			i.log(r.Context(), "openid4vci nonce", "", err)
			writeOAuthError(w, &OAuthError{Status: http.StatusServiceUnavailable, Code: ErrCodeServerError, Err: err})
			return
		}
		writeJSON(w, map[string]string{"c_nonce": n})
	})
}

// CredentialHandler serves the credential endpoint (POST, application/json, with the
// access token as "Authorization: Bearer"; DPoP is not supported).
func (i *Issuer) CredentialHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeOAuthError(w, oauthErr(http.StatusMethodNotAllowed, ErrCodeInvalidCredentialRequest, fmt.Errorf("POST only: %w", ErrMalformed)))
			return
		}
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			tok = ""
		}
		body, err := i.readBody(w, r, ErrCodeInvalidCredentialRequest)
		if err == nil && mediaType(r) != "application/json" {
			err = oauthErr(http.StatusBadRequest, ErrCodeInvalidCredentialRequest, fmt.Errorf("openid4vp: credential request is not application/json: %w", ErrMalformed))
		}
		var res *CredentialResponse
		if err == nil {
			res, err = i.Credential(r.Context(), strings.TrimSpace(tok), body)
		}
		i.log(r.Context(), "openid4vci credential request", "", err)
		if err != nil {
			writeOAuthError(w, err)
			return
		}
		writeJSON(w, res)
	})
}

// OfferHandler serves offers by reference: GET <path>/offers/<handle>.
func (i *Issuer) OfferHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeError(w, http.StatusMethodNotAllowed, ErrCodeInvalidRequest, "GET only")
			return
		}
		handle := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		data, err := i.store.Offer(r.Context(), handle)
		if err != nil {
			writeError(w, http.StatusNotFound, ErrCodeInvalidRequest, "no such offer")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(data)
	})
}
