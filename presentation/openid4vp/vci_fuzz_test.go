package openid4vp

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// vciSentinels are the sentinels OpenID4VCI errors wrap.
var vciSentinels = []error{
	ErrMalformed, ErrTooLarge, vc.ErrTooDeep, ErrNotFound, ErrReplay, ErrInvalidTxCode, ErrRejected, ErrInvalidOptions,
	vc.ErrInvalidType, vc.ErrAlgorithmNotAllowed, vc.ErrAlgorithmKeyMismatch, vc.ErrInvalidKey, vc.ErrUnsupportedKeyType,
	vc.ErrPrivateKeyMaterial, vc.ErrUnsupportedCritical, vc.ErrUntrustedKeySource, vc.ErrMissingKeyID, vc.ErrInvalidSignature,
	vc.ErrMissingProof, vc.ErrUnsupportedProof, vc.ErrInvalidDID, vc.ErrAudienceMismatch, vc.ErrStale, vc.ErrIssuedInFuture,
	vc.ErrExpired, vc.ErrNotYetValid, vc.ErrInsecureURL, vc.ErrInvalidURL, vc.ErrForbiddenAddress, vc.ErrIssuerMismatch,
	vc.ErrVerificationMethodNotFound, vc.ErrVerificationRelationship, vc.ErrInvalidDIDDocument, vc.ErrUnsupportedFormat,
}

// wrapsSentinel reports whether err wraps one of vciSentinels.
func wrapsSentinel(err error) bool {
	for _, s := range vciSentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzParseOfferURL: an offer invocation gives a checked offer that round-trips, an
// https reference, or an error wrapping a sentinel; never a panic.
func FuzzParseOfferURL(f *testing.F) {
	f.Add(`openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A%22https%3A%2F%2Fi.example%22%2C%22credential_configuration_ids%22%3A%5B%22a%22%5D%7D`)
	f.Add(`openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fi.example%2Foffers%2F1`)
	f.Fuzz(func(t *testing.T, invocation string) {
		o, ref, err := ParseOfferURL(invocation)
		switch {
		case err != nil:
			if o != nil || ref != "" || !wrapsSentinel(err) {
				t.Fatalf("error %v with offer %v, ref %q", err, o, ref)
			}
		case o != nil:
			if o.check() != nil {
				t.Fatal("accepted an offer that does not check")
			}
			u, err := o.URL()
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := ParseOfferURL(u)
			if err != nil || back.CredentialIssuer != o.CredentialIssuer || len(back.ConfigurationIDs) != len(o.ConfigurationIDs) {
				t.Fatalf("round trip: %v, %v", back, err)
			}
		case !strings.HasPrefix(ref, "https://"):
			t.Fatalf("reference %q is not https", ref)
		}
	})
}

// FuzzParseOffer: offer JSON gives a checked offer or an error wrapping a sentinel.
func FuzzParseOffer(f *testing.F) {
	f.Add([]byte(`{"credential_issuer":"https://i.example","credential_configuration_ids":["a"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"length":6}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseOffer(data)
		if err != nil {
			if o != nil || !wrapsSentinel(err) {
				t.Fatalf("error %v with offer %v", err, o)
			}
			return
		}
		if o.check() != nil {
			t.Fatal("accepted an offer that does not check")
		}
	})
}

// FuzzTokenRequest feeds token request bodies to an Issuer with one pending offer
// ("CODE" in the input stands for its pre-authorized code, "TX" for its transaction
// code): every error is an *OAuthError wrapping a sentinel, and at most one access
// token is ever granted for the code.
func FuzzTokenRequest(f *testing.F) {
	fx := newVCIFixture(f, nil)
	f.Add("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=CODE&tx_code=TX")
	f.Add("grant_type=authorization_code&code=CODE")
	f.Fuzz(func(t *testing.T, body string) {
		o := fx.offer(t, &TxCode{})
		body = strings.ReplaceAll(strings.ReplaceAll(body, "CODE", url.QueryEscape(o.Offer.Grants.PreAuthorizedCode.Code)), "TX", o.TxCode)
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		granted := 0
		for range 2 {
			res, err := fx.issuer.Token(context.Background(), form)
			if err == nil {
				granted++
				if res.AccessToken == "" || res.TokenType != "Bearer" {
					t.Fatalf("token response %+v", res)
				}
				continue
			}
			if _, ok := errors.AsType[*OAuthError](err); !ok || !wrapsSentinel(err) {
				t.Fatalf("error %v", err)
			}
		}
		if granted > 1 {
			t.Fatal("one code granted two tokens")
		}
	})
}

// FuzzCredentialRequest feeds Credential Request bodies to an Issuer with a valid
// access token ("PROOF" in the input stands for a valid key proof with a fresh
// nonce): every error is an *OAuthError wrapping a sentinel; a success issues one
// credential per proof.
func FuzzCredentialRequest(f *testing.F) {
	fx := newVCIFixture(f, func(o *IssuerOptions) { o.TokenLifetime = 24 * time.Hour })
	tok := fx.token(f)
	holder := newParty(f, keys.Ed25519).signer
	f.Add([]byte(`{"credential_configuration_id":"pid","proofs":{"jwt":["PROOF"]}}`))
	f.Add([]byte(`{"credential_identifier":"pid","proofs":{"jwt":["PROOF"]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if strings.Contains(string(body), "PROOF") {
			body = []byte(strings.ReplaceAll(string(body), "PROOF", fx.proofJWT(t, holder, fx.nonce(t), nil)))
		}
		res, err := fx.issuer.Credential(context.Background(), tok, body)
		if err != nil {
			if _, ok := errors.AsType[*OAuthError](err); !ok || !wrapsSentinel(err) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if len(res.Credentials) != 1 {
			t.Fatalf("%d credentials", len(res.Credentials))
		}
	})
}

// FuzzCheckProof feeds key proof JWTs to the proof check: an error wrapping a
// sentinel, or a proven key with a nonce; and a proof is never accepted for another
// audience.
func FuzzCheckProof(f *testing.F) {
	fx := newVCIFixture(f, nil)
	holder := newParty(f, keys.P256)
	f.Add([]byte(fx.proofJWT(f, holder.signer, "n-1", nil)))
	f.Add([]byte(fx.proofJWT(f, holder.signer, "n-1", func(h, _ map[string]any) { delete(h, "jwk"); h["kid"] = holder.kid })))
	f.Add([]byte(fx.proofJWT(f, holder.signer, "n-1", func(h, _ map[string]any) { h["alg"] = "none" })))
	p := proofPolicy{audience: fx.srv.URL, algorithms: []string{keys.EdDSA, keys.ES256, keys.ES384}, methods: []string{"key", "jwk"}, allowJWK: true,
		keys: fx.issuer.keys, now: now, maxAge: 5 * time.Minute, skew: time.Minute}
	other := p
	other.audience = "https://other.example"
	f.Fuzz(func(t *testing.T, token []byte) {
		pk, err := checkProof(context.Background(), token, p)
		if err != nil {
			if pk != nil || !wrapsSentinel(err) {
				t.Fatalf("error %v with key %v", err, pk)
			}
			return
		}
		if pk.key == nil || pk.nonce == "" {
			t.Fatalf("proven key %+v", pk)
		}
		if _, err := checkProof(context.Background(), token, other); err == nil {
			t.Fatal("a proof was accepted for two audiences")
		}
	})
}

// FuzzAuthorize feeds authorization request queries to an Issuer with one registered
// client: an error is an *OAuthError wrapping a sentinel; an accepted request names
// the registered redirect URI and a known configuration.
func FuzzAuthorize(f *testing.F) {
	fx := newVCIFixture(f, func(o *IssuerOptions) {
		o.Clients = map[string]Client{"w": {RedirectURIs: []string{"https://wallet.example/cb"}}}
	})
	f.Add("response_type=code&client_id=w&redirect_uri=https%3A%2F%2Fwallet.example%2Fcb&code_challenge=sZoCurdFrjxjEVJZ3mtGFYmj7D1ONXapLAOmmI1vUcQ&code_challenge_method=S256&authorization_details=%5B%7B%22type%22%3A%22openid_credential%22%2C%22credential_configuration_id%22%3A%22pid%22%7D%5D")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		p, err := fx.issuer.Authorize(context.Background(), q)
		if err != nil {
			if _, ok := errors.AsType[*OAuthError](err); !ok || !wrapsSentinel(err) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if p.RedirectURI != "https://wallet.example/cb" || len(p.ConfigurationIDs) == 0 {
			t.Fatalf("accepted %+v", p)
		}
	})
}
