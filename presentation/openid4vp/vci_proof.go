package openid4vp

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/errs"
	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// MaxProofBytes bounds one key proof JWT.
const MaxProofBytes = 16 << 10

// proofPolicy is what a key proof must satisfy (OpenID4VCI 1.0 §F.1, §F.4).
type proofPolicy struct {
	audience   string        // the credential issuer identifier
	algorithms []string      // proof_signing_alg_values_supported
	methods    []string      // DID methods a kid may name ("key", "jwk")
	allowJWK   bool          // a jwk header is accepted
	keys       vc.KeySource  // resolves a kid
	now        time.Time     // the issuer's clock
	maxAge     time.Duration // how old iat may be
	skew       time.Duration // how far in the future iat may be
}

// provenKey is the key a valid proof proved possession of.
type provenKey struct {
	key   crypto.PublicKey
	kid   string // the DID URL of a kid proof, "" for a jwk proof
	did   string // the DID of a kid proof
	nonce string
}

// checkProof checks a key proof JWT: typ, an allowed asymmetric alg, exactly one of kid
// (a DID URL of an allowed method) and jwk (a public key only), no other key-carrying
// header, the signature by that key (which fixes the algorithm), aud the issuer, iat
// recent, a nonce, no iss (the pre-authorized flow is anonymous). The nonce is returned
// for the caller to spend; nothing here has side effects.
func checkProof(ctx context.Context, token []byte, p proofPolicy) (*provenKey, error) {
	if len(token) > MaxProofBytes {
		return nil, fmt.Errorf("openid4vp: key proof of %d bytes: %w", len(token), ErrTooLarge)
	}
	parts := bytes.Split(token, []byte{'.'})
	if len(parts) != 3 || len(parts[0]) == 0 || len(parts[2]) == 0 {
		return nil, fmt.Errorf("openid4vp: key proof is not a compact JWS: %w", ErrMalformed)
	}
	hj, err1 := b64.DecodeString(string(parts[0]))
	payload, err2 := b64.DecodeString(string(parts[1]))
	sig, err3 := b64.DecodeString(string(parts[2]))
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, fmt.Errorf("openid4vp: key proof is not base64url: %w", ErrMalformed)
	}
	hv, err := jsonx.Decode(hj, jsonx.Limits{MaxBytes: MaxProofBytes, MaxDepth: 4})
	if err != nil {
		return nil, fmt.Errorf("openid4vp: key proof header: %w", err)
	}
	h, ok := hv.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("openid4vp: key proof header is not an object: %w", ErrMalformed)
	}
	str := func(name string) (string, bool, error) {
		v, present := h[name]
		if !present {
			return "", false, nil
		}
		s, ok := v.(string)
		if !ok || s == "" {
			return "", true, fmt.Errorf("openid4vp: key proof header %s is not a non-empty string: %w", name, ErrMalformed)
		}
		return s, true, nil
	}
	typ, _, err := str("typ")
	if err != nil {
		return nil, err
	}
	if typ != ProofTyp {
		return nil, fmt.Errorf("openid4vp: key proof typ %q, want %s: %w", typ, ProofTyp, errs.ErrInvalidType)
	}
	alg, _, err := str("alg")
	if err != nil {
		return nil, err
	}
	switch alg {
	case keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K:
		if !slices.Contains(p.algorithms, alg) {
			return nil, fmt.Errorf("openid4vp: key proof alg %q: %w", alg, errs.ErrAlgorithmNotAllowed)
		}
	default: // none, HMAC, RSA, anything else
		return nil, fmt.Errorf("openid4vp: key proof alg %q: %w", alg, errs.ErrAlgorithmNotAllowed)
	}
	for _, name := range []string{"crit", "b64", "zip"} {
		if _, ok := h[name]; ok {
			return nil, fmt.Errorf("openid4vp: key proof header %s: %w", name, errs.ErrUnsupportedCritical)
		}
	}
	for _, name := range []string{"jku", "x5u", "x5c", "x5t", "x5t#S256", "trust_chain", "key_attestation"} {
		if _, ok := h[name]; ok {
			return nil, fmt.Errorf("openid4vp: key proof header %s is not supported: %w", name, errs.ErrUntrustedKeySource)
		}
	}
	kid, hasKid, err := str("kid")
	if err != nil {
		return nil, err
	}
	rawJWK, hasJWK := h["jwk"]
	out := &provenKey{}
	switch {
	case hasKid && hasJWK:
		return nil, fmt.Errorf("openid4vp: key proof has both kid and jwk: %w", ErrMalformed)
	case hasJWK:
		if !p.allowJWK {
			return nil, fmt.Errorf("openid4vp: jwk key proofs are not accepted: %w", errs.ErrUntrustedKeySource)
		}
		if _, ok := rawJWK.(map[string]any); !ok {
			return nil, fmt.Errorf("openid4vp: key proof jwk is not an object: %w", ErrMalformed)
		}
		kj, err := json.Marshal(rawJWK)
		if err != nil {
			return nil, fmt.Errorf("openid4vp: key proof jwk: %w", ErrMalformed)
		}
		if out.key, err = keys.ParseJWK(kj); err != nil {
			return nil, fmt.Errorf("openid4vp: key proof jwk: %w", err)
		}
	case hasKid:
		u, err := did.ParseURL(kid)
		if err != nil || u.Fragment == "" {
			return nil, fmt.Errorf("openid4vp: key proof kid %q is not a DID URL with a fragment: %w", kid, errs.ErrInvalidDID)
		}
		if !slices.Contains(p.methods, u.DID.Method) {
			return nil, fmt.Errorf("openid4vp: key proof kid of DID method %s: %w", u.DID.Method, errs.ErrUntrustedKeySource)
		}
		if out.key, err = p.keys.Key(ctx, vc.KeyRequest{Issuer: u.DID.String(), KeyID: kid, Relationship: did.Authentication}); err != nil {
			return nil, fmt.Errorf("openid4vp: key proof kid: %w", err)
		}
		out.kid, out.did = kid, u.DID.String()
	default:
		return nil, fmt.Errorf("openid4vp: key proof names no key (kid or jwk): %w", errs.ErrMissingKeyID)
	}
	keyAlg, err := keys.Algorithm(out.key)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: key proof key: %w", err)
	}
	if keyAlg != alg {
		return nil, fmt.Errorf("openid4vp: key proof alg %q, key algorithm %q: %w", alg, keyAlg, errs.ErrAlgorithmKeyMismatch)
	}
	signing := token[:len(parts[0])+1+len(parts[1])]
	if err := keys.Verify(out.key, alg, signing, sig); err != nil {
		return nil, fmt.Errorf("openid4vp: key proof signature: %w", err)
	}
	c, err := ijose.ParseClaims(payload, jsonx.Limits{MaxBytes: MaxProofBytes, MaxDepth: 8})
	if err != nil {
		return nil, fmt.Errorf("openid4vp: key proof claims: %w", err)
	}
	if aud, ok := c.Set["aud"].(string); !ok || aud != p.audience {
		return nil, fmt.Errorf("openid4vp: key proof aud is not the credential issuer %s: %w", p.audience, errs.ErrAudienceMismatch)
	}
	if _, ok := c.Set["iss"]; ok {
		return nil, fmt.Errorf("openid4vp: key proof has iss, but the pre-authorized code flow is anonymous: %w", ErrMalformed)
	}
	if c.IssuedAt == nil {
		return nil, fmt.Errorf("openid4vp: key proof without iat: %w", ErrMalformed)
	}
	if err := c.CheckTime(p.now, p.skew); err != nil {
		return nil, fmt.Errorf("openid4vp: key proof: %w", err)
	}
	if c.IssuedAt.Before(p.now.Add(-p.maxAge)) {
		return nil, fmt.Errorf("openid4vp: key proof issued at %s, older than %s: %w", c.IssuedAt.Format(time.RFC3339), p.maxAge, errs.ErrStale)
	}
	if c.Nonce == "" {
		return nil, fmt.Errorf("openid4vp: key proof without a nonce: %w", ErrMalformed)
	}
	out.nonce = c.Nonce
	return out, nil
}

// buildProof signs a key proof JWT with holder for the issuer aud and nonce: with the
// kid header when kid is set (a DID URL of the holder's key), with the public jwk
// otherwise.
func buildProof(holder keys.Signer, kid, aud, nonce string, iat time.Time) ([]byte, error) {
	hdr := map[string]any{"alg": holder.Algorithm(), "typ": ProofTyp}
	if kid != "" {
		hdr["kid"] = kid
	} else {
		j, err := keys.JWK(holder.Public())
		if err != nil {
			return nil, fmt.Errorf("openid4vp: holder key: %w", err)
		}
		hdr["jwk"] = json.RawMessage(j)
	}
	claims := map[string]any{"aud": aud, "iat": iat.Unix()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	return signCompact(holder, hdr, claims)
}

// signCompact makes a compact JWS of claims under the header hdr (which the caller
// fills, alg included).
func signCompact(s keys.Signer, hdr, claims map[string]any) ([]byte, error) {
	hj, err := json.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	pj, err := json.Marshal(claims)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(b64.EncodeToString(hj))
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(pj))
	sig, err := keys.Sign(s, []byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("openid4vp: signing the key proof: %w", err)
	}
	b.WriteByte('.')
	b.WriteString(b64.EncodeToString(sig))
	return []byte(b.String()), nil
}
