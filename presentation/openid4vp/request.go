// Package openid4vp implements OpenID for Verifiable Presentations 1.0 (final) with
// DCQL: a Verifier that asks for credentials and validates what comes back, and a
// Wallet that checks who is asking, matches its credentials, asks its user, and answers
// with the least it can disclose.
//
// Only OpenID4VP 1.0 is spoken: no earlier drafts, no Presentation Exchange in
// requests. Requests go by reference (request_uri, a signed request object of typ
// oauth-authz-req+jwt) or, for the redirect_uri client identifier prefix, by value;
// responses come with response_mode direct_post or direct_post.jwt (encrypted to a key
// of the request: ECDH-ES on P-256 with A128GCM or A256GCM).
//
// It also speaks OpenID for Verifiable Credential Issuance 1.0 (final): an [Issuer]
// makes Credential Offers (by value or by reference; with a pre-authorized code and an
// optional transaction code, or an issuer_state for the Authorization Code Flow with
// PKCE) and serves the metadata, authorization, token, nonce and credential endpoints,
// issuing dc+sd-jwt, jwt_vc_json and ldp_vc credentials bound to the key the wallet
// proved; an [IssuanceWallet] redeems offers and keeps only credentials that verify
// and are bound to the holder's key.
//
// # Security
//
// The Verifier binds every presentation to its request's nonce and to its client_id as
// audience, accepts one response per request (a second one is ErrReplay, on every
// replica that shares the SessionStore), and checks that what came back satisfies the
// DCQL query. The Wallet authenticates the Verifier by its client identifier prefix
// (decentralized_identifier: a key of the DID; x509_san_dns: a certificate chain to the
// caller's roots naming the DNS name), refuses an unauthenticated (redirect_uri) one
// unless allowed, never fetches from a private address, and shows the user exactly
// which claims of which credential go to whom before anything is sent.
package openid4vp

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/pex/dcql"
)

// Client identifier prefixes (OpenID4VP 1.0 §5.9.3) this package supports.
const (
	PrefixRedirectURI = "redirect_uri"
	PrefixDID         = "decentralized_identifier"
	PrefixX509SANDNS  = "x509_san_dns"
)

// Response modes.
const (
	ResponseModeDirectPost    = "direct_post"
	ResponseModeDirectPostJWT = "direct_post.jwt"
)

// Media types and JOSE types.
const (
	RequestObjectTyp       = "oauth-authz-req+jwt"
	RequestObjectMediaType = "application/oauth-authz-req+jwt"
	ResponseTypeVPToken    = "vp_token"
)

// Limits.
const (
	// DefaultMaxResponseBytes bounds a response body (the vp_token).
	DefaultMaxResponseBytes = 1 << 20
	// MaxRequestBytes bounds a request object or an invocation URL.
	MaxRequestBytes = 256 << 10
)

// Sentinels of this package (the others are those of vc and internal/errs).
var (
	ErrMalformed        = errs.ErrMalformed
	ErrTooLarge         = errs.ErrTooLarge
	ErrInvalidOptions   = errs.ErrInvalidOptions
	ErrInvalidSignature = errs.ErrInvalidSignature
	ErrReplay           = errs.ErrReplay
	ErrNotFound         = errs.ErrNotFound
	ErrNoMatch          = errs.ErrNoMatch
	// ErrUntrustedVerifier: the request does not authenticate its verifier as its client
	// identifier prefix requires, or uses a prefix the wallet does not accept.
	ErrUntrustedVerifier = errs.ErrUntrustedVerifier
	// ErrConsentDenied: the user (the wallet's ConsentFunc) declined to share.
	ErrConsentDenied = errs.ErrConsentDenied
	// ErrPending: no response has arrived yet for the request.
	ErrPending = errs.ErrPending
	// ErrRejected: the verifier refused the response the wallet posted.
	ErrRejected = errs.ErrRejected
)

// AuthorizationRequest holds the parameters of an OpenID4VP Authorization Request as
// this package uses them.
type AuthorizationRequest struct {
	ClientID       string          `json:"client_id"`
	ResponseType   string          `json:"response_type"`
	ResponseMode   string          `json:"response_mode"`
	ResponseURI    string          `json:"response_uri"`
	Nonce          string          `json:"nonce"`
	State          string          `json:"state,omitempty"`
	DCQLQuery      json.RawMessage `json:"dcql_query"`
	ClientMetadata *ClientMetadata `json:"client_metadata,omitempty"`

	hasTransactionData bool
}

// ClientMetadata is the client_metadata parameter: the verifier's encryption keys and
// what it accepts.
type ClientMetadata struct {
	JWKS *JWKSet `json:"jwks,omitempty"`
	// EncValues is encrypted_response_enc_values_supported; A128GCM when empty.
	EncValues []string `json:"encrypted_response_enc_values_supported,omitempty"`
	// VPFormats is vp_formats_supported, as the verifier wrote it.
	VPFormats map[string]any `json:"vp_formats_supported,omitempty"`
}

// JWKSet is a JSON Web Key Set of public encryption keys.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// JWK is a public P-256 key for ECDH-ES, the only kind this package encrypts to.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Kid string `json:"kid"`
	Use string `json:"use,omitempty"`
	Alg string `json:"alg"`
}

// Prefix splits a client_id into its client identifier prefix and the original
// client identifier; ok is false for a client_id without a supported prefix.
func Prefix(clientID string) (prefix, id string, ok bool) {
	p, rest, found := strings.Cut(clientID, ":")
	if !found {
		return "", clientID, false
	}
	switch p {
	case PrefixRedirectURI, PrefixDID, PrefixX509SANDNS:
		return p, rest, true
	}
	return p, rest, false
}

// urlSafe reports whether s uses only the characters OpenID4VP allows in nonce and
// state values (§5.2).
func urlSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return s != ""
}

// check applies the parameter rules both sides rely on, and parses the query.
func (r *AuthorizationRequest) check() (*dcql.Query, error) {
	if r.ResponseType != ResponseTypeVPToken {
		return nil, fmt.Errorf("openid4vp: response_type %q, want vp_token: %w", r.ResponseType, ErrMalformed)
	}
	if r.ResponseMode != ResponseModeDirectPost && r.ResponseMode != ResponseModeDirectPostJWT {
		return nil, fmt.Errorf("openid4vp: response_mode %q is not direct_post or direct_post.jwt: %w", r.ResponseMode, ErrMalformed)
	}
	if !urlSafe(r.Nonce) || len(r.Nonce) < 16 {
		return nil, fmt.Errorf("openid4vp: nonce missing, too short or not URL-safe: %w", ErrMalformed)
	}
	if r.State != "" && !urlSafe(r.State) {
		return nil, fmt.Errorf("openid4vp: state is not URL-safe: %w", ErrMalformed)
	}
	if r.ClientID == "" || r.ResponseURI == "" {
		return nil, fmt.Errorf("openid4vp: client_id and response_uri are required: %w", ErrMalformed)
	}
	u, err := url.Parse(r.ResponseURI)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("openid4vp: response_uri %q is not an https URL: %w", r.ResponseURI, errs.ErrInsecureURL)
	}
	if len(r.DCQLQuery) == 0 {
		return nil, fmt.Errorf("openid4vp: no dcql_query: %w", ErrMalformed)
	}
	q, err := dcql.ParseQuery(r.DCQLQuery)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: dcql_query: %w", err)
	}
	if r.ResponseMode == ResponseModeDirectPostJWT {
		if _, err := r.encryptionKey(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// encryptionKey picks the verifier's key for an encrypted response: the first P-256
// ECDH-ES key of client_metadata.jwks meant for encryption.
func (r *AuthorizationRequest) encryptionKey() (*JWK, error) {
	if r.ClientMetadata == nil || r.ClientMetadata.JWKS == nil {
		return nil, fmt.Errorf("openid4vp: direct_post.jwt without client_metadata.jwks: %w", ErrMalformed)
	}
	for i := range r.ClientMetadata.JWKS.Keys {
		k := &r.ClientMetadata.JWKS.Keys[i]
		if k.Kty == "EC" && k.Crv == "P-256" && k.Alg == "ECDH-ES" && (k.Use == "" || k.Use == "enc") {
			return k, nil
		}
	}
	return nil, fmt.Errorf("openid4vp: client_metadata.jwks has no P-256 ECDH-ES encryption key: %w", errs.ErrUnsupportedKeyType)
}

// decodeStrict decodes JSON with the library's strict rules into v.
func decodeStrict(data []byte, v any) error {
	if err := jsonx.Validate(data, jsonx.Limits{MaxBytes: MaxRequestBytes}); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	return nil
}

var b64 = base64.RawURLEncoding.Strict()

// certChain reads an x5c header (standard base64 DER, leaf first).
func certChain(x5c []string) ([]*x509.Certificate, error) {
	if len(x5c) == 0 || len(x5c) > 8 {
		return nil, fmt.Errorf("openid4vp: x5c holds %d certificates: %w", len(x5c), ErrUntrustedVerifier)
	}
	var out []*x509.Certificate
	for _, s := range x5c {
		der, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("openid4vp: x5c entry is not base64: %w", ErrMalformed)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("openid4vp: x5c entry: %v: %w", err, ErrMalformed)
		}
		out = append(out, c)
	}
	return out, nil
}

// verifyChain validates chain against roots at the given options and checks that the
// leaf names dnsName exactly among its dNSName SANs.
func verifyChain(chain []*x509.Certificate, roots *x509.CertPool, dnsName string, o x509.VerifyOptions) error {
	if roots == nil {
		return fmt.Errorf("openid4vp: x509_san_dns needs WalletOptions.Roots: %w", ErrUntrustedVerifier)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	o.Roots, o.Intermediates = roots, inter
	o.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	if _, err := chain[0].Verify(o); err != nil {
		return fmt.Errorf("openid4vp: verifier certificate: %v: %w", err, ErrUntrustedVerifier)
	}
	if !slices.Contains(chain[0].DNSNames, dnsName) {
		return fmt.Errorf("openid4vp: verifier certificate does not name %s: %w", dnsName, ErrUntrustedVerifier)
	}
	return nil
}
