package openid4vp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// MaxMetadataBytes bounds issuer and authorization server metadata.
const MaxMetadataBytes = 256 << 10

// IssuanceWalletOptions configure an IssuanceWallet. HTTPClient and Credentials are
// required.
type IssuanceWalletOptions struct {
	// HTTPClient reaches issuers, through the library's network guard (https only, no
	// private addresses, bounded bodies and time).
	HTTPClient *http.Client
	// Credentials verifies every credential received (issuer signature, trust, status)
	// before the wallet accepts it.
	Credentials *vc.Verifier
	// AllowLoopback lets the wallet reach issuers on 127.0.0.1 and ::1, for local
	// development and examples; never set it in production.
	AllowLoopback bool
	// MaxCredentialBytes bounds a Credential Response; if 0, 1 MiB.
	MaxCredentialBytes int
	// Clock, if nil, is time.Now; it dates key proofs.
	Clock func() time.Time

	netguard netguard.Options // tests only
}

// IssuanceWallet is the wallet side of OpenID4VCI 1.0, with the Pre-Authorized Code
// Flow (Receive) and the Authorization Code Flow with PKCE (Authorize,
// ReceiveAuthorized): it reads Credential Offers, checks the issuer's metadata, redeems the code,
// proves possession of the holder's key and accepts only credentials that verify and
// are bound to that key. It is safe for concurrent use.
type IssuanceWallet struct {
	o     IssuanceWalletOptions
	ng    netguard.Options
	guard *netguard.Guard
	clock func() time.Time
}

// NewIssuanceWallet checks o and makes an IssuanceWallet.
func NewIssuanceWallet(o IssuanceWalletOptions) (*IssuanceWallet, error) {
	if o.HTTPClient == nil || o.Credentials == nil {
		return nil, fmt.Errorf("openid4vp: an IssuanceWallet needs HTTPClient and Credentials: %w", ErrInvalidOptions)
	}
	if o.MaxCredentialBytes < 0 {
		return nil, fmt.Errorf("openid4vp: negative MaxCredentialBytes: %w", ErrInvalidOptions)
	}
	setDefault(&o.MaxCredentialBytes, 1<<20)
	w := &IssuanceWallet{o: o, ng: o.netguard, clock: o.Clock}
	if o.AllowLoopback {
		w.ng.AllowLoopback = true
	}
	if w.clock == nil {
		w.clock = time.Now
	}
	ng := w.ng
	ng.MaxBodyBytes = int64(max(MaxMetadataBytes, o.MaxCredentialBytes))
	var err error
	if w.guard, err = netguard.New(o.HTTPClient, ng); err != nil {
		return nil, err
	}
	return w, nil
}

// ParseOffer reads an offer invocation (see ParseOfferURL) and fetches an offer passed
// by reference, through the guard.
func (w *IssuanceWallet) ParseOffer(ctx context.Context, invocation string) (*CredentialOffer, error) {
	offer, uri, err := ParseOfferURL(invocation)
	if err != nil || offer != nil {
		return offer, err
	}
	res, err := w.guard.Get(ctx, uri, "application/json")
	if err != nil {
		return nil, fmt.Errorf("openid4vp: credential_offer_uri: %w", err)
	}
	if mt, _, _ := mime.ParseMediaType(res.ContentType); mt != "application/json" {
		return nil, fmt.Errorf("openid4vp: credential_offer_uri answered %q, not application/json: %w", res.ContentType, ErrMalformed)
	}
	return ParseOffer(res.Body)
}

// Metadata fetches the Credential Issuer Metadata of the issuer identifier from its
// well-known URL and checks that it names that identifier exactly (§12.2.4): metadata
// for another issuer is ErrIssuerMismatch. Signed metadata is not supported.
func (w *IssuanceWallet) Metadata(ctx context.Context, issuer string) (*IssuerMetadata, error) {
	u, err := WellKnownURL(issuer, WellKnownIssuer)
	if err != nil {
		return nil, err
	}
	res, err := w.guard.Get(ctx, u, "application/json")
	if err != nil {
		return nil, fmt.Errorf("openid4vp: issuer metadata: %w", err)
	}
	if mt, _, _ := mime.ParseMediaType(res.ContentType); mt != "application/json" {
		return nil, fmt.Errorf("openid4vp: issuer metadata of type %q (signed metadata is not supported): %w", res.ContentType, errs.ErrUnsupportedFormat)
	}
	return parseIssuerMetadata(res.Body, issuer)
}

// parseIssuerMetadata decodes metadata for issuer. A credential configuration this
// package cannot read is left out rather than failing the whole document.
func parseIssuerMetadata(data []byte, issuer string) (*IssuerMetadata, error) {
	if len(data) > MaxMetadataBytes {
		return nil, fmt.Errorf("openid4vp: issuer metadata of %d bytes: %w", len(data), ErrTooLarge)
	}
	var wire struct {
		IssuerMetadata
		Configurations map[string]json.RawMessage `json:"credential_configurations_supported"`
	}
	if err := decodeStrict(data, &wire); err != nil {
		return nil, fmt.Errorf("openid4vp: issuer metadata: %w", err)
	}
	md := wire.IssuerMetadata
	if md.CredentialIssuer != issuer {
		return nil, fmt.Errorf("openid4vp: metadata names credential issuer %q, not %q: %w", md.CredentialIssuer, issuer, errs.ErrIssuerMismatch)
	}
	if md.CredentialEndpoint == "" {
		return nil, fmt.Errorf("openid4vp: issuer metadata without credential_endpoint: %w", ErrMalformed)
	}
	md.Configurations = map[string]*Configuration{}
	for id, raw := range wire.Configurations {
		var c Configuration
		if json.Unmarshal(raw, &c) == nil {
			md.Configurations[id] = &c
		}
	}
	return &md, nil
}

// ReceiveOptions say how to redeem an offer.
type ReceiveOptions struct {
	// Holder is the holder's key the credentials are bound to; required.
	Holder keys.Signer
	// KeyID, if set, is the DID URL of Holder's key (did:key or did:jwk), sent as the
	// proof's kid; W3C credentials then name its DID as subject. If empty, the public
	// key goes in the proof as a jwk, and W3C credentials name its did:jwk.
	KeyID string
	// ConfigurationIDs selects among the offered configurations; if empty, all of them.
	ConfigurationIDs []string
	// TxCode asks the user for the transaction code an offer requires, showing the
	// offer's description; without it such offers are refused.
	TxCode func(ctx context.Context, t *TxCode) (string, error)
}

// Received is one credential an IssuanceWallet accepted.
type Received struct {
	ConfigurationID string
	// Format is the configuration's format (FormatSDJWTVC, ...).
	Format string
	// Credential is the credential as issued, to store: the compact SD-JWT or JWT, or
	// the JSON of a Data Integrity credential.
	Credential []byte
	// Verified is what verification found.
	Verified *vc.Verified
}

// Receive redeems the pre-authorized code of offer and receives its credentials (those
// of o.ConfigurationIDs): it fetches and checks the issuer metadata and the
// authorization server metadata, exchanges the code (with the transaction code from
// o.TxCode when the offer asks for one), then for each configuration gets a fresh
// c_nonce, proves possession of o.Holder, requests the credential, verifies it with
// IssuanceWalletOptions.Credentials and checks that it is of the configuration's
// format and type and bound to o.Holder (ErrHolderBinding otherwise). Any failure
// returns no credential. An issuer's refusal is an *OAuthError wrapping ErrRejected.
func (w *IssuanceWallet) Receive(ctx context.Context, offer *CredentialOffer, o ReceiveOptions) ([]*Received, error) {
	if offer == nil || o.Holder == nil {
		return nil, fmt.Errorf("openid4vp: Receive needs an offer and a holder key: %w", ErrInvalidOptions)
	}
	if err := offer.check(); err != nil {
		return nil, err
	}
	if offer.Grants == nil || offer.Grants.PreAuthorizedCode == nil {
		return nil, fmt.Errorf("openid4vp: the offer has no pre-authorized code (the authorization code flow is not supported): %w", ErrMalformed)
	}
	holderDID, err := w.holderDID(o)
	if err != nil {
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
	for _, id := range ids {
		if err := checkConfiguration(md.Configurations[id], id, o.Holder.Algorithm()); err != nil {
			return nil, err
		}
	}
	token, err := w.redeem(ctx, offer, md, o)
	if err != nil {
		return nil, err
	}
	return w.receiveAll(ctx, md, token, ids, holderDID, o)
}

// holderDID is the DID W3C credentials must name as subject for o.Holder.
func (w *IssuanceWallet) holderDID(o ReceiveOptions) (string, error) {
	if o.KeyID == "" {
		return jwk.Create(o.Holder.Public())
	}
	u, err := did.ParseURL(o.KeyID)
	if err != nil || u.Fragment == "" || (u.DID.Method != "key" && u.DID.Method != "jwk") {
		return "", fmt.Errorf("openid4vp: KeyID %q is not a did:key or did:jwk URL: %w", o.KeyID, ErrInvalidOptions)
	}
	return u.DID.String(), nil
}

// checkConfiguration checks that the wallet can receive configuration c.
func checkConfiguration(c *Configuration, id, alg string) error {
	if c == nil {
		return fmt.Errorf("openid4vp: the issuer metadata has no configuration %q: %w", id, ErrNotFound)
	}
	switch c.Format {
	case FormatSDJWTVC:
		if c.VCT == "" {
			return fmt.Errorf("openid4vp: configuration %q without vct: %w", id, ErrMalformed)
		}
	case FormatJWTVCJSON, FormatLDPVC:
		if c.Definition == nil || !slices.Contains(c.Definition.Type, "VerifiableCredential") {
			return fmt.Errorf("openid4vp: configuration %q without a credential_definition type: %w", id, ErrMalformed)
		}
	default:
		return fmt.Errorf("openid4vp: configuration %q of format %q: %w", id, c.Format, errs.ErrUnsupportedFormat)
	}
	if c.Metadata != nil {
		if err := checkClaimDescriptions(c.Metadata.Claims); err != nil {
			return fmt.Errorf("openid4vp: configuration %q: %w", id, err)
		}
	}
	if len(c.ProofTypes) > 0 {
		pt, ok := c.ProofTypes[ProofTypeJWT]
		if !ok {
			return fmt.Errorf("openid4vp: configuration %q takes no jwt proofs: %w", id, errs.ErrUnsupportedProof)
		}
		if !slices.Contains(pt.SigningAlgorithms, alg) {
			return fmt.Errorf("openid4vp: configuration %q takes no %s proofs: %w", id, alg, errs.ErrAlgorithmNotAllowed)
		}
	}
	return nil
}

// redeem finds the token endpoint and exchanges the pre-authorized code.
func (w *IssuanceWallet) redeem(ctx context.Context, offer *CredentialOffer, md *IssuerMetadata, o ReceiveOptions) (*grantedToken, error) {
	g := offer.Grants.PreAuthorizedCode
	as, err := w.authorizationServer(ctx, md, g.AuthorizationServer)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {g.Code}}
	if g.TxCode != nil {
		if o.TxCode == nil {
			return nil, fmt.Errorf("openid4vp: the offer needs a transaction code and ReceiveOptions.TxCode is nil: %w", ErrInvalidOptions)
		}
		code, err := o.TxCode(ctx, g.TxCode)
		if err != nil {
			return nil, err
		}
		form.Set("tx_code", code)
	}
	return w.tokenRequest(ctx, as.TokenEndpoint, form)
}

// authorizationServer picks the issuer's authorization server (the one hint names,
// which must be listed) and fetches its metadata, which must name it (RFC 8414 §3.3).
func (w *IssuanceWallet) authorizationServer(ctx context.Context, md *IssuerMetadata, hint string) (*AuthorizationServerMetadata, error) {
	as := md.CredentialIssuer
	if len(md.AuthorizationServers) > 0 {
		as = md.AuthorizationServers[0]
		if hint != "" {
			if !slices.Contains(md.AuthorizationServers, hint) {
				return nil, fmt.Errorf("openid4vp: the offer's authorization server is not the issuer's: %w", errs.ErrIssuerMismatch)
			}
			as = hint
		}
	} else if hint != "" {
		return nil, fmt.Errorf("openid4vp: the offer names an authorization server the metadata does not: %w", ErrMalformed)
	}
	u, err := WellKnownURL(as, WellKnownAuthorizationServer)
	if err != nil {
		return nil, err
	}
	res, err := w.guard.Get(ctx, u, "application/json")
	if err != nil {
		return nil, fmt.Errorf("openid4vp: authorization server metadata: %w", err)
	}
	var asMeta AuthorizationServerMetadata
	if err := decodeStrict(res.Body, &asMeta); err != nil {
		return nil, fmt.Errorf("openid4vp: authorization server metadata: %w", err)
	}
	if asMeta.Issuer != as {
		return nil, fmt.Errorf("openid4vp: authorization server metadata names %q, not %q: %w", asMeta.Issuer, as, errs.ErrIssuerMismatch)
	}
	return &asMeta, nil
}

// grantedToken is an access token, with the credential identifiers its response named
// by configuration id (none unless authorization_details were used).
type grantedToken struct {
	access      string
	identifiers map[string]string
}

// tokenRequest posts a token request and returns the Bearer access token.
func (w *IssuanceWallet) tokenRequest(ctx context.Context, endpoint string, form url.Values) (*grantedToken, error) {
	body, err := w.post(ctx, endpoint, "application/x-www-form-urlencoded", []byte(form.Encode()), "")
	if err != nil {
		return nil, fmt.Errorf("openid4vp: token request: %w", err)
	}
	var tr TokenResponse
	if err := decodeStrict(body, &tr); err != nil {
		return nil, fmt.Errorf("openid4vp: token response: %w", err)
	}
	if tr.AccessToken == "" || !strings.EqualFold(tr.TokenType, "Bearer") {
		return nil, fmt.Errorf("openid4vp: token response without a Bearer access token: %w", ErrMalformed)
	}
	t := &grantedToken{access: tr.AccessToken}
	for _, d := range tr.AuthorizationDetails {
		if d.Type != "openid_credential" || len(d.CredentialIdentifiers) == 0 {
			continue
		}
		if t.identifiers == nil {
			t.identifiers = map[string]string{}
		}
		t.identifiers[d.ConfigurationID] = d.CredentialIdentifiers[0]
	}
	return t, nil
}

// receiveAll receives one credential of each configuration of ids with token.
func (w *IssuanceWallet) receiveAll(ctx context.Context, md *IssuerMetadata, token *grantedToken, ids []string, holderDID string, o ReceiveOptions) ([]*Received, error) {
	var out []*Received
	for _, id := range ids {
		if token.identifiers != nil && token.identifiers[id] == "" {
			return nil, fmt.Errorf("openid4vp: the token response grants no credential of configuration %q: %w", id, ErrRejected)
		}
		r, err := w.receiveOne(ctx, md, token, id, holderDID, o)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// receiveOne requests, verifies and checks one credential.
func (w *IssuanceWallet) receiveOne(ctx context.Context, md *IssuerMetadata, token *grantedToken, id, holderDID string, o ReceiveOptions) (*Received, error) {
	var body []byte
	var err error
	for attempt := 0; ; attempt++ {
		nonce := ""
		if md.NonceEndpoint != "" {
			if nonce, err = w.nonce(ctx, md.NonceEndpoint); err != nil {
				return nil, err
			}
		}
		proof, err := buildProof(o.Holder, o.KeyID, md.CredentialIssuer, nonce, w.clock())
		if err != nil {
			return nil, err
		}
		r := map[string]any{"credential_configuration_id": id, "proofs": map[string][]string{ProofTypeJWT: {string(proof)}}}
		if idf := token.identifiers[id]; idf != "" {
			delete(r, "credential_configuration_id")
			r["credential_identifier"] = idf
		}
		req, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		body, err = w.post(ctx, md.CredentialEndpoint, "application/json", req, token.access)
		if oe, ok := errors.AsType[*OAuthError](err); ok && oe.Code == ErrCodeInvalidNonce && attempt == 0 && md.NonceEndpoint != "" {
			continue // the nonce went stale between the two requests: one more, with a new one
		}
		if err != nil {
			return nil, fmt.Errorf("openid4vp: credential request: %w", err)
		}
		break
	}
	var cr struct {
		Credentials   []IssuedCredential `json:"credentials"`
		TransactionID string             `json:"transaction_id"`
	}
	if err := decodeStrict(body, &cr); err != nil {
		return nil, fmt.Errorf("openid4vp: credential response: %w", err)
	}
	if cr.TransactionID != "" {
		return nil, fmt.Errorf("openid4vp: deferred issuance is not supported: %w", errs.ErrUnsupportedFormat)
	}
	if len(cr.Credentials) != 1 {
		return nil, fmt.Errorf("openid4vp: credential response holds %d credentials for one proof: %w", len(cr.Credentials), ErrMalformed)
	}
	cfg := md.Configurations[id]
	raw := bytes.TrimSpace(cr.Credentials[0].Credential)
	var data []byte
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if cfg.Format == FormatLDPVC {
			return nil, fmt.Errorf("openid4vp: an ldp_vc credential must be a JSON object: %w", ErrMalformed)
		}
		data = []byte(s)
	} else if len(raw) > 0 && raw[0] == '{' && cfg.Format == FormatLDPVC {
		data = raw
	} else {
		return nil, fmt.Errorf("openid4vp: credential of the wrong JSON type for %s: %w", cfg.Format, ErrMalformed)
	}
	v, err := w.o.Credentials.VerifyCredential(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: received credential: %w", err)
	}
	if err := checkReceived(v, cfg, o.Holder, holderDID); err != nil {
		return nil, err
	}
	return &Received{ConfigurationID: id, Format: cfg.Format, Credential: data, Verified: v}, nil
}

// checkReceived checks that a verified credential is what configuration cfg
// describes and bound to the holder.
func checkReceived(v *vc.Verified, cfg *Configuration, holder keys.Signer, holderDID string) error {
	switch cfg.Format {
	case FormatSDJWTVC:
		if v.Format() != vc.FormatSDJWTVC {
			return fmt.Errorf("openid4vp: received a %s credential for dc+sd-jwt: %w", v.Format(), errs.ErrUnsupportedFormat)
		}
		if vct, _ := v.Claims()["vct"].(string); vct != cfg.VCT {
			return fmt.Errorf("openid4vp: received vct %q, want %q: %w", vct, cfg.VCT, errs.ErrInvalidType)
		}
		if v.Holder() == nil || !keys.Equal(v.Holder(), holder.Public()) {
			return fmt.Errorf("openid4vp: the credential is not bound to the holder's key: %w", errs.ErrHolderBinding)
		}
		return nil
	case FormatJWTVCJSON:
		if v.Format() != vc.FormatJWT && v.Format() != vc.FormatJWT11 {
			return fmt.Errorf("openid4vp: received a %s credential for jwt_vc_json: %w", v.Format(), errs.ErrUnsupportedFormat)
		}
	case FormatLDPVC:
		if v.Format() != vc.FormatDataIntegrity {
			return fmt.Errorf("openid4vp: received a %s credential for ldp_vc: %w", v.Format(), errs.ErrUnsupportedFormat)
		}
	}
	types := v.Types()
	for _, t := range cfg.Definition.Type {
		if !slices.Contains(types, t) {
			return fmt.Errorf("openid4vp: received credential lacks type %s: %w", t, errs.ErrInvalidType)
		}
	}
	for _, s := range v.Subjects() {
		if s == holderDID || sameDIDJWK(s, holder) {
			return nil
		}
	}
	return fmt.Errorf("openid4vp: no credentialSubject of the credential is the holder: %w", errs.ErrHolderBinding)
}

// sameDIDJWK reports whether subject is a did:jwk of the holder's key, however the
// issuer serialized the JWK.
func sameDIDJWK(subject string, holder keys.Signer) bool {
	enc, ok := strings.CutPrefix(subject, "did:jwk:")
	if !ok {
		return false
	}
	j, err := b64.DecodeString(enc)
	if err != nil {
		return false
	}
	pub, err := keys.ParseJWK(j)
	return err == nil && keys.Equal(pub, holder.Public())
}

// nonce fetches a c_nonce.
func (w *IssuanceWallet) nonce(ctx context.Context, endpoint string) (string, error) {
	body, err := w.post(ctx, endpoint, "", nil, "")
	if err != nil {
		return "", fmt.Errorf("openid4vp: nonce request: %w", err)
	}
	var nr struct {
		CNonce string `json:"c_nonce"`
	}
	if err := decodeStrict(body, &nr); err != nil || nr.CNonce == "" {
		return "", fmt.Errorf("openid4vp: nonce response without c_nonce: %w", ErrMalformed)
	}
	return nr.CNonce, nil
}

// post sends a POST through the guard and returns the body of a 2xx answer; an OAuth
// error answer is an *OAuthError wrapping ErrRejected.
func (w *IssuanceWallet) post(ctx context.Context, endpoint, contentType string, body []byte, bearer string) ([]byte, error) {
	if _, err := netguard.CheckURL(endpoint, w.ng); err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("openid4vp: %v: %w", err, errs.ErrInvalidURL)
	}
	if contentType != "" {
		hr.Header.Set("Content-Type", contentType)
	}
	hr.Header.Set("Accept", "application/json")
	if bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := w.guard.Client().Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := int64(w.o.MaxCredentialBytes)
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("openid4vp: answer over %d bytes: %w", limit, ErrTooLarge)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		_ = decodeStrict(data, &e)
		if e.Error == "" {
			e.Error = fmt.Sprintf("http_%d", resp.StatusCode)
		}
		return nil, &OAuthError{Status: resp.StatusCode, Code: describe(errors.New(e.Error)), Description: describe(errors.New(e.Description)), Err: ErrRejected}
	}
	return data, nil
}
