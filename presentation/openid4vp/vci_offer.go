package openid4vp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/errs"
)

// MaxOfferBytes bounds a Credential Offer (its JSON, or the invocation URL carrying it).
const MaxOfferBytes = 64 << 10

// maxOfferedConfigurations bounds credential_configuration_ids.
const maxOfferedConfigurations = 64

// CredentialOffer is a Credential Offer (OpenID4VCI 1.0 §4.1.1). Unknown members are
// ignored, as the specification asks.
type CredentialOffer struct {
	CredentialIssuer string   `json:"credential_issuer"`
	ConfigurationIDs []string `json:"credential_configuration_ids"`
	Grants           *Grants  `json:"grants,omitempty"`
}

// Grants are the grants an offer can be redeemed with.
type Grants struct {
	AuthorizationCode *AuthorizationCodeGrant `json:"authorization_code,omitempty"`
	PreAuthorizedCode *PreAuthorizedGrant     `json:"urn:ietf:params:oauth:grant-type:pre-authorized_code,omitempty"`
}

// AuthorizationCodeGrant is the authorization_code grant of an offer. This package
// parses it but does not run the Authorization Code Flow.
type AuthorizationCodeGrant struct {
	IssuerState         string `json:"issuer_state,omitempty"`
	AuthorizationServer string `json:"authorization_server,omitempty"`
}

// PreAuthorizedGrant is the pre-authorized code grant of an offer.
type PreAuthorizedGrant struct {
	// Code is the pre-authorized code: short-lived, single use, and as good as the
	// credential to whoever holds it (unless a transaction code is required).
	Code string `json:"pre-authorized_code"`
	// TxCode, when present (even empty), says that a transaction code sent to the
	// user through another channel must accompany the code.
	TxCode              *TxCode `json:"tx_code,omitempty"`
	AuthorizationServer string  `json:"authorization_server,omitempty"`
}

// TxCode describes the transaction code a pre-authorized code needs.
type TxCode struct {
	// InputMode is "numeric" (the default when empty) or "text".
	InputMode string `json:"input_mode,omitempty"`
	// Length, if not 0, is the code's length.
	Length int `json:"length,omitempty"`
	// Description tells the user where to find the code; at most 300 characters.
	Description string `json:"description,omitempty"`
}

// Transaction code input modes.
const (
	TxCodeNumeric = "numeric"
	TxCodeText    = "text"
)

// check applies the rules of §4.1.1 to a parsed offer.
func (o *CredentialOffer) check() error {
	if _, err := checkIdentifier(o.CredentialIssuer); err != nil {
		return err
	}
	if len(o.ConfigurationIDs) == 0 || len(o.ConfigurationIDs) > maxOfferedConfigurations {
		return fmt.Errorf("openid4vp: offer names %d credential configurations: %w", len(o.ConfigurationIDs), ErrMalformed)
	}
	seen := map[string]bool{}
	for _, id := range o.ConfigurationIDs {
		if id == "" || seen[id] {
			return fmt.Errorf("openid4vp: offer credential_configuration_ids holds an empty or repeated id: %w", ErrMalformed)
		}
		seen[id] = true
	}
	if o.Grants == nil {
		return nil
	}
	if g := o.Grants.PreAuthorizedCode; g != nil {
		if g.Code == "" {
			return fmt.Errorf("openid4vp: pre-authorized code grant without a code: %w", ErrMalformed)
		}
		if t := g.TxCode; t != nil {
			if t.InputMode != "" && t.InputMode != TxCodeNumeric && t.InputMode != TxCodeText {
				return fmt.Errorf("openid4vp: tx_code input_mode %q: %w", t.InputMode, ErrMalformed)
			}
			if t.Length < 0 || t.Length > 64 {
				return fmt.Errorf("openid4vp: tx_code length %d: %w", t.Length, ErrMalformed)
			}
			if utf8.RuneCountInString(t.Description) > 300 {
				return fmt.Errorf("openid4vp: tx_code description over 300 characters: %w", ErrMalformed)
			}
		}
	}
	return nil
}

// ParseOffer parses a Credential Offer object (the JSON of a credential_offer
// parameter, or the body served at a credential_offer_uri) and checks it.
func ParseOffer(data []byte) (*CredentialOffer, error) {
	if len(data) > MaxOfferBytes {
		return nil, fmt.Errorf("openid4vp: credential offer of %d bytes: %w", len(data), ErrTooLarge)
	}
	var o CredentialOffer
	if err := decodeStrict(data, &o); err != nil {
		return nil, fmt.Errorf("openid4vp: credential offer: %w", err)
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	return &o, nil
}

// ParseOfferURL reads a Credential Offer invocation (openid-credential-offer://?...,
// or any URL with the offer in its query). An offer by value is parsed and returned; an
// offer by reference gives its https credential_offer_uri, for the caller (or
// IssuanceWallet.ParseOffer) to fetch. Exactly one of the two parameters must be
// present, once.
func ParseOfferURL(invocation string) (offer *CredentialOffer, uri string, err error) {
	if len(invocation) > MaxOfferBytes {
		return nil, "", fmt.Errorf("openid4vp: offer invocation of %d bytes: %w", len(invocation), ErrTooLarge)
	}
	u, err := url.Parse(invocation)
	if err != nil {
		return nil, "", fmt.Errorf("openid4vp: offer invocation is not a URL: %w", ErrMalformed)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, "", fmt.Errorf("openid4vp: offer invocation query: %w", ErrMalformed)
	}
	byValue, byRef := q["credential_offer"], q["credential_offer_uri"]
	switch {
	case len(byValue) == 1 && len(byRef) == 0:
		o, err := ParseOffer([]byte(byValue[0]))
		if err != nil {
			return nil, "", err
		}
		return o, "", nil
	case len(byRef) == 1 && len(byValue) == 0:
		ru, err := url.Parse(byRef[0])
		if err != nil || ru.Scheme != "https" || ru.Host == "" || ru.User != nil {
			return nil, "", fmt.Errorf("openid4vp: credential_offer_uri is not an https URL: %w", errs.ErrInsecureURL)
		}
		return nil, byRef[0], nil
	}
	return nil, "", fmt.Errorf("openid4vp: an offer invocation needs exactly one credential_offer or credential_offer_uri: %w", ErrMalformed)
}

// URL returns the invocation of o by value: openid-credential-offer://?credential_offer=...
func (o *CredentialOffer) URL() (string, error) {
	data, err := json.Marshal(o)
	if err != nil {
		return "", err
	}
	return CredentialOfferScheme + "?" + url.Values{"credential_offer": {string(data)}}.Encode(), nil
}

// OfferURIInvocation returns the invocation of an offer by reference.
func OfferURIInvocation(uri string) string {
	return CredentialOfferScheme + "?" + url.Values{"credential_offer_uri": {uri}}.Encode()
}
