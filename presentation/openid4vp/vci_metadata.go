package openid4vp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// Credential format identifiers of OpenID4VCI 1.0 (Appendix A) that the Issuer and the
// IssuanceWallet speak.
const (
	FormatSDJWTVC   = "dc+sd-jwt"   // IETF SD-JWT VC (§A.3)
	FormatJWTVCJSON = "jwt_vc_json" // a W3C VCDM credential secured as vc+jwt (§A.1.1)
	FormatLDPVC     = "ldp_vc"      // a W3C VCDM credential with a Data Integrity proof (§A.1.2)
)

// OpenID4VCI protocol constants.
const (
	// GrantPreAuthorizedCode is the grant type of the Pre-Authorized Code Flow (§3.5).
	GrantPreAuthorizedCode = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
	// GrantAuthorizationCode is the authorization code grant type (RFC 6749).
	GrantAuthorizationCode = "authorization_code"
	// ProofTyp is the typ of a key proof JWT (§F.1).
	ProofTyp = "openid4vci-proof+jwt"
	// ProofTypeJWT names the jwt proof type in proofs and proof_types_supported.
	ProofTypeJWT = "jwt"
	// CredentialOfferScheme is the wallet invocation scheme of a Credential Offer.
	CredentialOfferScheme = "openid-credential-offer://"
	// WellKnownIssuer is the well-known path of Credential Issuer Metadata (§12.2.2).
	WellKnownIssuer = "/.well-known/openid-credential-issuer"
	// WellKnownAuthorizationServer is the well-known path of OAuth 2.0 Authorization
	// Server Metadata (RFC 8414 §3).
	WellKnownAuthorizationServer = "/.well-known/oauth-authorization-server"
)

// IssuerMetadata is Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.4), as far as this
// package writes and reads it. Unknown members are ignored when reading.
type IssuerMetadata struct {
	CredentialIssuer        string                    `json:"credential_issuer"`
	AuthorizationServers    []string                  `json:"authorization_servers,omitempty"`
	CredentialEndpoint      string                    `json:"credential_endpoint"`
	NonceEndpoint           string                    `json:"nonce_endpoint,omitempty"`
	BatchCredentialIssuance *BatchIssuance            `json:"batch_credential_issuance,omitempty"`
	Display                 []IssuerDisplay           `json:"display,omitempty"`
	Configurations          map[string]*Configuration `json:"credential_configurations_supported"`
}

// BatchIssuance is batch_credential_issuance: how many key proofs one Credential
// Request may carry.
type BatchIssuance struct {
	BatchSize int `json:"batch_size"`
}

// IssuerDisplay is one language's display of a Credential Issuer.
type IssuerDisplay struct {
	Name   string `json:"name,omitempty"`
	Locale string `json:"locale,omitempty"`
	Logo   *Image `json:"logo,omitempty"`
}

// Image is a logo or background image.
type Image struct {
	URI     string `json:"uri"`
	AltText string `json:"alt_text,omitempty"`
}

// Configuration is one entry of credential_configurations_supported: a kind of
// credential the issuer issues.
type Configuration struct {
	Format string `json:"format"`
	Scope  string `json:"scope,omitempty"`
	// SigningAlgorithms is credential_signing_alg_values_supported: JOSE algorithms for
	// dc+sd-jwt and jwt_vc_json, cryptosuites for ldp_vc.
	SigningAlgorithms []string `json:"credential_signing_alg_values_supported,omitempty"`
	// BindingMethods is cryptographic_binding_methods_supported ("jwk", "did:key", ...).
	BindingMethods []string `json:"cryptographic_binding_methods_supported,omitempty"`
	// ProofTypes is proof_types_supported, by proof type ("jwt").
	ProofTypes map[string]ProofType `json:"proof_types_supported,omitempty"`
	// Metadata is credential_metadata: display and claims.
	Metadata *CredentialMetadata `json:"credential_metadata,omitempty"`
	// VCT is the SD-JWT VC type (dc+sd-jwt).
	VCT string `json:"vct,omitempty"`
	// Definition is credential_definition (jwt_vc_json, ldp_vc).
	Definition *CredentialDefinition `json:"credential_definition,omitempty"`
}

// ProofType describes a supported key proof type.
type ProofType struct {
	SigningAlgorithms []string `json:"proof_signing_alg_values_supported"`
}

// CredentialMetadata is credential_metadata: how a credential is shown.
type CredentialMetadata struct {
	Display []CredentialDisplay `json:"display,omitempty"`
	Claims  []ClaimDescription  `json:"claims,omitempty"`
}

// CredentialDisplay is one language's display of a credential.
type CredentialDisplay struct {
	Name            string `json:"name"`
	Locale          string `json:"locale,omitempty"`
	Logo            *Image `json:"logo,omitempty"`
	Description     string `json:"description,omitempty"`
	BackgroundColor string `json:"background_color,omitempty"`
	BackgroundImage *Image `json:"background_image,omitempty"`
	TextColor       string `json:"text_color,omitempty"`
}

// ClaimDescription describes one claim of a credential for display (§B.2).
type ClaimDescription struct {
	// Path is a claims path pointer: strings (object members), non-negative integers
	// (array elements) and nil (every element of an array).
	Path      []any          `json:"path"`
	Mandatory bool           `json:"mandatory,omitempty"`
	Display   []ClaimDisplay `json:"display,omitempty"`
	// Disclosable, for dc+sd-jwt, makes the claim selectively disclosable in the issued
	// credential. It is the issuer's choice and not part of the metadata.
	Disclosable bool `json:"-"`
}

// ClaimDisplay is one language's name of a claim.
type ClaimDisplay struct {
	Name   string `json:"name,omitempty"`
	Locale string `json:"locale,omitempty"`
}

// CredentialDefinition is credential_definition of the W3C formats.
type CredentialDefinition struct {
	Context []string `json:"@context,omitempty"`
	Type    []string `json:"type"`
}

// AuthorizationServerMetadata is the part of OAuth 2.0 Authorization Server Metadata
// (RFC 8414) that the Pre-Authorized Code Flow needs.
type AuthorizationServerMetadata struct {
	Issuer                   string   `json:"issuer"`
	TokenEndpoint            string   `json:"token_endpoint"`
	GrantTypesSupported      []string `json:"grant_types_supported,omitempty"`
	ResponseTypesSupported   []string `json:"response_types_supported,omitempty"`
	PreAuthorizedAnonymous   bool     `json:"pre-authorized_grant_anonymous_access_supported,omitempty"`
	TokenEndpointAuthMethods []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	CodeChallengeMethods     []string `json:"code_challenge_methods_supported,omitempty"`
	AuthorizationEndpoint    string   `json:"authorization_endpoint,omitempty"`
}

// checkIdentifier checks a Credential Issuer Identifier (§12.2.1): an https URL with a
// host, and no query, fragment or userinfo.
func checkIdentifier(id string) (*url.URL, error) {
	u, err := url.Parse(id)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(id, "#") {
		return nil, fmt.Errorf("openid4vp: credential issuer %q is not an https URL without query or fragment: %w", id, errs.ErrInsecureURL)
	}
	return u, nil
}

// WellKnownURL returns where the metadata of the issuer (or authorization server)
// identifier id lives: wellKnown (WellKnownIssuer or WellKnownAuthorizationServer)
// inserted between the host and the path (§12.2.2, RFC 8414 §3.1).
func WellKnownURL(id, wellKnown string) (string, error) {
	u, err := checkIdentifier(id)
	if err != nil {
		return "", err
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return u.Scheme + "://" + u.Host + wellKnown + path, nil
}

// checkClaimDescriptions applies §B.3: no claim addressed twice, no array addressed
// both as a whole (nil) and by index, nothing addressed both as an array and an object.
func checkClaimDescriptions(claims []ClaimDescription) error {
	seen := map[string]bool{}
	kinds := map[string]string{} // path prefix -> "object", "all", "index"
	for _, c := range claims {
		if len(c.Path) == 0 {
			return fmt.Errorf("openid4vp: claim description with an empty path: %w", ErrMalformed)
		}
		prefix := ""
		for _, p := range c.Path {
			var kind, seg string
			switch v := p.(type) {
			case string:
				kind, seg = "object", "s"+v
			case nil:
				kind, seg = "all", "*"
			case json.Number:
				n, err := v.Int64()
				if err != nil || n < 0 {
					return fmt.Errorf("openid4vp: claim path element %v: %w", v, ErrMalformed)
				}
				kind, seg = "index", fmt.Sprint(n)
			case float64:
				if v < 0 || v != float64(int64(v)) {
					return fmt.Errorf("openid4vp: claim path element %v: %w", v, ErrMalformed)
				}
				kind, seg = "index", fmt.Sprint(int64(v))
			case int:
				if v < 0 {
					return fmt.Errorf("openid4vp: claim path element %v: %w", v, ErrMalformed)
				}
				kind, seg = "index", fmt.Sprint(v)
			default:
				return fmt.Errorf("openid4vp: claim path element of type %T: %w", p, ErrMalformed)
			}
			if k, ok := kinds[prefix]; ok && k != kind {
				return fmt.Errorf("openid4vp: contradictory claim descriptions at %s: %w", prefix, ErrMalformed)
			}
			kinds[prefix] = kind
			b, _ := json.Marshal(seg)
			prefix += "/" + string(b)
		}
		if seen[prefix] {
			return fmt.Errorf("openid4vp: claim %s described twice: %w", prefix, ErrMalformed)
		}
		seen[prefix] = true
	}
	return nil
}
