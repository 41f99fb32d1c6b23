package openid4vp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/netguard"
)

// authorizationCodeLifetime is how long an authorization code can be exchanged.
const authorizationCodeLifetime = time.Minute

// Client is a wallet registered for the Authorization Code Flow. It is a public
// client: PKCE (S256) protects its codes, its redirect URIs are compared exactly.
type Client struct {
	// RedirectURIs are the redirect URIs the wallet may ask for, compared exactly.
	RedirectURIs []string
}

func issuerStateKey(state string) string { return HashSecret("issuer_state\x00" + state) }

// configureClients checks IssuerOptions.Clients and, when there are any, advertises
// the Authorization Code Flow in the authorization server metadata.
func (i *Issuer) configureClients() error {
	clients := map[string]Client{}
	for id, c := range i.o.Clients {
		if id == "" || len(c.RedirectURIs) == 0 {
			return fmt.Errorf("openid4vp: client %q needs redirect URIs: %w", id, ErrInvalidOptions)
		}
		for _, r := range c.RedirectURIs {
			u, err := url.Parse(r)
			if err != nil || !u.IsAbs() || u.Fragment != "" || strings.Contains(r, "#") {
				return fmt.Errorf("openid4vp: client %q redirect URI %q is not absolute or has a fragment: %w", id, r, ErrInvalidOptions)
			}
		}
		clients[id] = Client{RedirectURIs: slices.Clone(c.RedirectURIs)}
	}
	i.o.Clients = clients
	if len(clients) > 0 {
		i.asMeta.AuthorizationEndpoint = i.base + "/authorize"
		i.asMeta.ResponseTypesSupported = []string{"code"}
		i.asMeta.CodeChallengeMethods = []string{"S256"}
		i.asMeta.GrantTypesSupported = []string{GrantAuthorizationCode, GrantPreAuthorizedCode}
	}
	return nil
}

// PendingAuthorization is an authorization request the Issuer accepted, waiting for
// the application to authenticate the user and approve (or deny) it.
type PendingAuthorization struct {
	ClientID    string
	RedirectURI string
	State       string
	// ConfigurationIDs are the credential configurations asked for.
	ConfigurationIDs []string
	// OfferID is the offer whose issuer_state the request carries, or "" when the
	// wallet started without an offer: the application then decides after
	// authenticating the user.
	OfferID string

	codeChallenge string
	issuerState   string
	details       bool // asked with authorization_details
}

// validPKCE reports whether s is a PKCE code verifier or S256 challenge: 43 to 128
// unreserved characters (RFC 7636 §4.1, §4.2).
func validPKCE(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// Authorize checks an authorization request (the query of a GET to the authorization
// endpoint, OpenID4VCI 1.0 §5): response_type code, a registered client_id and one of
// its redirect URIs exactly, PKCE with S256, and what is asked for (an issuer_state
// from an offer, authorization_details of type openid_credential, or scopes of the
// configurations). Its errors are *OAuthError that must be shown to the user, not
// redirected: the redirect URI is not trusted until this returns. The application then
// authenticates the user and calls Approve or Deny.
func (i *Issuer) Authorize(ctx context.Context, q url.Values) (*PendingAuthorization, error) {
	bad := func(err error) error { return oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, err) }
	if len(i.o.Clients) == 0 {
		return nil, bad(fmt.Errorf("openid4vp: the authorization code flow is not enabled: %w", ErrInvalidOptions))
	}
	for k, v := range q {
		if len(v) > 1 {
			return nil, bad(fmt.Errorf("openid4vp: parameter %s repeated: %w", k, ErrMalformed))
		}
	}
	c, ok := i.o.Clients[q.Get("client_id")]
	if !ok {
		return nil, oauthErr(http.StatusBadRequest, "unauthorized_client", fmt.Errorf("openid4vp: unknown client_id: %w", ErrNotFound))
	}
	p := &PendingAuthorization{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), State: q.Get("state"), codeChallenge: q.Get("code_challenge")}
	if !slices.Contains(c.RedirectURIs, p.RedirectURI) {
		return nil, bad(fmt.Errorf("openid4vp: redirect_uri is not one of the client's: %w", ErrMalformed))
	}
	if q.Get("response_type") != "code" {
		return nil, bad(fmt.Errorf("openid4vp: response_type %q, want code: %w", q.Get("response_type"), ErrMalformed))
	}
	if q.Get("code_challenge_method") != "S256" || !validPKCE(p.codeChallenge) {
		return nil, bad(fmt.Errorf("openid4vp: PKCE with S256 is required: %w", ErrMalformed))
	}
	var offered []string
	if st := q.Get("issuer_state"); st != "" {
		_, err := i.store.UpdateGrant(ctx, issuerStateKey(st), func(g *Grant) (bool, error) {
			switch {
			case g.Issuer != i.o.Identifier || g.Kind != GrantKindIssuerState:
				return false, fmt.Errorf("openid4vp: unknown issuer_state: %w", ErrNotFound)
			case g.Used:
				return false, fmt.Errorf("openid4vp: issuer_state already used: %w", ErrReplay)
			}
			p.OfferID, offered = g.OfferID, g.ConfigurationIDs
			return false, nil
		})
		if err != nil {
			return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, err)
		}
		p.issuerState = st
	}
	switch {
	case q.Has("authorization_details"):
		ids, err := parseAuthorizationDetails(q.Get("authorization_details"))
		if err != nil {
			return nil, err
		}
		p.ConfigurationIDs, p.details = ids, true
	case q.Get("scope") != "":
		for _, s := range strings.Fields(q.Get("scope")) {
			for id, cfg := range i.o.Configurations {
				if cfg.Scope == s && !slices.Contains(p.ConfigurationIDs, id) {
					p.ConfigurationIDs = append(p.ConfigurationIDs, id)
				}
			}
		}
		slices.Sort(p.ConfigurationIDs)
	default:
		p.ConfigurationIDs = slices.Clone(offered)
	}
	if len(p.ConfigurationIDs) == 0 {
		return nil, oauthErr(http.StatusBadRequest, "invalid_scope", fmt.Errorf("openid4vp: the request asks for no known credential: %w", ErrMalformed))
	}
	for _, id := range p.ConfigurationIDs {
		if _, ok := i.o.Configurations[id]; !ok || offered != nil && !slices.Contains(offered, id) {
			return nil, oauthErr(http.StatusBadRequest, "invalid_scope", fmt.Errorf("openid4vp: configuration %q is not offered: %w", id, ErrNotFound))
		}
	}
	return p, nil
}

// redirect builds p's redirect URI with params.
func (p *PendingAuthorization) redirect(params url.Values) string {
	if p.State != "" {
		params.Set("state", p.State)
	}
	sep := "?"
	if strings.Contains(p.RedirectURI, "?") {
		sep = "&"
	}
	return p.RedirectURI + sep + params.Encode()
}

// Approve completes p for the user the application authenticated: offerID names what
// the Claims callback issues (if empty, p.OfferID, which then must be set). It spends
// the offer's issuer_state and returns where to send the user's browser: the redirect
// URI with a single-use authorization code valid for one minute, the state and iss
// (RFC 9207).
func (i *Issuer) Approve(ctx context.Context, p *PendingAuthorization, offerID string) (string, error) {
	if p == nil {
		return "", fmt.Errorf("openid4vp: Approve of no request: %w", ErrInvalidOptions)
	}
	if offerID == "" {
		offerID = p.OfferID
	}
	if offerID == "" {
		return "", fmt.Errorf("openid4vp: Approve needs an offer ID: %w", ErrInvalidOptions)
	}
	now := i.clock()
	if p.issuerState != "" {
		_, err := i.store.UpdateGrant(ctx, issuerStateKey(p.issuerState), func(g *Grant) (bool, error) {
			if g.Used {
				return false, fmt.Errorf("openid4vp: issuer_state already used: %w", ErrReplay)
			}
			g.Used = true
			return true, nil
		})
		if err != nil {
			return "", err
		}
	}
	code, err := random()
	if err != nil {
		return "", err
	}
	g := &Grant{CodeHash: HashSecret(code), Issuer: i.o.Identifier, OfferID: offerID, ConfigurationIDs: slices.Clone(p.ConfigurationIDs),
		Kind: GrantKindAuthorizationCode, CodeChallenge: p.codeChallenge, ClientID: p.ClientID, RedirectURI: p.RedirectURI,
		Details: p.details, Expires: now.Add(authorizationCodeLifetime)}
	if err := i.store.PutGrant(ctx, g); err != nil {
		return "", err
	}
	return p.redirect(url.Values{"code": {code}, "iss": {i.o.Identifier}}), nil
}

// Deny returns where to send the user's browser when the application refuses p.
func (i *Issuer) Deny(p *PendingAuthorization) string {
	return p.redirect(url.Values{"error": {"access_denied"}, "iss": {i.o.Identifier}})
}

// tokenAuthorizationCode exchanges an authorization code: once, for the client and
// redirect URI it was issued to, with the PKCE verifier of its challenge. Any failed
// attempt spends the code.
func (i *Issuer) tokenAuthorizationCode(ctx context.Context, form url.Values) (*TokenResponse, error) {
	code, verifier := form.Get("code"), form.Get("code_verifier")
	if code == "" || verifier == "" || form.Get("client_id") == "" || form.Get("redirect_uri") == "" {
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidRequest, fmt.Errorf("openid4vp: code, code_verifier, client_id and redirect_uri are required: %w", ErrMalformed))
	}
	now := i.clock()
	g, err := i.store.UpdateGrant(ctx, HashSecret(code), func(g *Grant) (bool, error) {
		switch {
		case g.Issuer != i.o.Identifier || g.Kind != GrantKindAuthorizationCode:
			return false, fmt.Errorf("openid4vp: unknown authorization code: %w", ErrNotFound)
		case !now.Before(g.Expires):
			return false, fmt.Errorf("openid4vp: authorization code expired: %w", ErrNotFound)
		case g.Used:
			return false, fmt.Errorf("openid4vp: authorization code already used: %w", ErrReplay)
		}
		g.Used = true
		if g.ClientID != form.Get("client_id") || g.RedirectURI != form.Get("redirect_uri") {
			return true, fmt.Errorf("openid4vp: the code was issued to another client or redirect URI: %w", ErrNotFound)
		}
		h := sha256.Sum256([]byte(verifier))
		if !validPKCE(verifier) || subtle.ConstantTimeCompare([]byte(b64.EncodeToString(h[:])), []byte(g.CodeChallenge)) != 1 {
			return true, fmt.Errorf("openid4vp: code_verifier does not match the challenge: %w", errs.ErrInvalidProof)
		}
		return true, nil
	})
	if err != nil {
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrReplay) && !errors.Is(err, errs.ErrInvalidProof) {
			return nil, err
		}
		return nil, oauthErr(http.StatusBadRequest, ErrCodeInvalidGrant, err)
	}
	var details []string
	if g.Details {
		details = g.ConfigurationIDs
	}
	return i.grantToken(ctx, g, now, details)
}

// AuthorizationOptions say how a wallet asks for authorization.
type AuthorizationOptions struct {
	// ClientID and RedirectURI are the wallet's, as the issuer registered them.
	ClientID    string
	RedirectURI string
	// ConfigurationIDs selects among the offered configurations; if empty, all.
	ConfigurationIDs []string
}

// Authorization is an authorization request a wallet made; send the user's browser
// to URL, then give the redirect it comes back with to ReceiveAuthorized.
type Authorization struct {
	URL string

	md               *IssuerMetadata
	as               *AuthorizationServerMetadata
	ids              []string
	verifier, state  string
	clientID, rediru string
}

// Authorize starts the Authorization Code Flow for offer (which carries an
// authorization_code grant, or none): it fetches and checks the metadata and builds the
// authorization request with PKCE (S256), a fresh state, the offer's issuer_state and
// authorization_details for the chosen configurations.
func (w *IssuanceWallet) Authorize(ctx context.Context, offer *CredentialOffer, o AuthorizationOptions) (*Authorization, error) {
	if offer == nil || o.ClientID == "" || o.RedirectURI == "" {
		return nil, fmt.Errorf("openid4vp: Authorize needs an offer, a client_id and a redirect URI: %w", ErrInvalidOptions)
	}
	if err := offer.check(); err != nil {
		return nil, err
	}
	ids := o.ConfigurationIDs
	if len(ids) == 0 {
		ids = offer.ConfigurationIDs
	}
	for _, id := range ids {
		if !slices.Contains(offer.ConfigurationIDs, id) {
			return nil, fmt.Errorf("openid4vp: configuration %q is not offered: %w", id, ErrInvalidOptions)
		}
	}
	md, err := w.Metadata(ctx, offer.CredentialIssuer)
	if err != nil {
		return nil, err
	}
	var hint, issuerState string
	if offer.Grants != nil && offer.Grants.AuthorizationCode != nil {
		hint, issuerState = offer.Grants.AuthorizationCode.AuthorizationServer, offer.Grants.AuthorizationCode.IssuerState
	}
	as, err := w.authorizationServer(ctx, md, hint)
	if err != nil {
		return nil, err
	}
	if _, err := netguard.CheckURL(as.AuthorizationEndpoint, w.ng); err != nil {
		return nil, fmt.Errorf("openid4vp: authorization endpoint: %w", err)
	}
	a := &Authorization{md: md, as: as, ids: slices.Clone(ids), clientID: o.ClientID, rediru: o.RedirectURI}
	if a.verifier, err = random(); err != nil {
		return nil, err
	}
	if a.state, err = random(); err != nil {
		return nil, err
	}
	var details []map[string]string
	for _, id := range ids {
		details = append(details, map[string]string{"type": "openid_credential", "credential_configuration_id": id})
	}
	dj, err := json.Marshal(details)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256([]byte(a.verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {o.ClientID}, "redirect_uri": {o.RedirectURI}, "state": {a.state},
		"code_challenge": {b64.EncodeToString(h[:])}, "code_challenge_method": {"S256"}, "authorization_details": {string(dj)}}
	if issuerState != "" {
		q.Set("issuer_state", issuerState)
	}
	sep := "?"
	if strings.Contains(as.AuthorizationEndpoint, "?") {
		sep = "&"
	}
	a.URL = as.AuthorizationEndpoint + sep + q.Encode()
	return a, nil
}

// ReceiveAuthorized finishes the Authorization Code Flow with the redirect the user's
// browser came back with: the state must be a's (ErrMalformed otherwise), the iss, if
// present, the authorization server's (ErrIssuerMismatch); an error redirect is
// ErrRejected. It exchanges the code with the PKCE verifier and receives the
// credentials as Receive does.
func (w *IssuanceWallet) ReceiveAuthorized(ctx context.Context, a *Authorization, redirect string, o ReceiveOptions) ([]*Received, error) {
	if a == nil || o.Holder == nil {
		return nil, fmt.Errorf("openid4vp: ReceiveAuthorized needs an authorization and a holder key: %w", ErrInvalidOptions)
	}
	holderDID, err := w.holderDID(o)
	if err != nil {
		return nil, err
	}
	for _, id := range a.ids {
		if err := checkConfiguration(a.md.Configurations[id], id, o.Holder.Algorithm()); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(redirect)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: redirect is not a URL: %w", ErrMalformed)
	}
	q := u.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(a.state)) != 1 {
		return nil, fmt.Errorf("openid4vp: the redirect's state is not the request's: %w", ErrMalformed)
	}
	if q.Has("iss") && q.Get("iss") != a.as.Issuer {
		return nil, fmt.Errorf("openid4vp: the redirect comes from %q, not %q: %w", q.Get("iss"), a.as.Issuer, errs.ErrIssuerMismatch)
	}
	if e := q.Get("error"); e != "" {
		return nil, &OAuthError{Code: describe(errors.New(e)), Description: describe(errors.New(q.Get("error_description"))), Err: ErrRejected}
	}
	if q.Get("code") == "" {
		return nil, fmt.Errorf("openid4vp: the redirect carries no code: %w", ErrMalformed)
	}
	form := url.Values{"grant_type": {GrantAuthorizationCode}, "code": {q.Get("code")}, "code_verifier": {a.verifier},
		"client_id": {a.clientID}, "redirect_uri": {a.rediru}}
	token, err := w.tokenRequest(ctx, a.as.TokenEndpoint, form)
	if err != nil {
		return nil, err
	}
	return w.receiveAll(ctx, a.md, token, a.ids, holderDID, o)
}

// AuthorizationHandler serves the authorization endpoint (GET <path>/authorize; Handler
// does not mount it): a request that Authorize refuses is answered with its OAuth
// error (never redirected); an accepted one goes to login, which authenticates the
// user and ends by redirecting the browser to Approve's or Deny's URL.
func (i *Issuer) AuthorizationHandler(login func(w http.ResponseWriter, r *http.Request, p *PendingAuthorization)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeOAuthError(w, oauthErr(http.StatusMethodNotAllowed, ErrCodeInvalidRequest, fmt.Errorf("GET only: %w", ErrMalformed)))
			return
		}
		p, err := i.Authorize(r.Context(), r.URL.Query())
		if err != nil {
			writeOAuthError(w, err)
			return
		}
		login(w, r, p)
	})
}
