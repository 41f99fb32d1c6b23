package sdjwt

import (
	"fmt"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
)

// decoded is an SD-JWT whose payload and disclosures have been processed; no signature
// has been checked.
type decoded struct {
	t      *token
	jwt    *ijose.Token // the Issuer-signed JWT (the first signature of a JSON serialization)
	kid    string       // from the protected header, or the first unprotected header
	kind   Kind
	alg    hashAlg
	claims map[string]any // the processed payload
	discs  []disclosure
	facts  facts
	shape  *shape // when decodeConfig.shape
}

// decodeConfig is what decoding runs under.
type decodeConfig struct {
	lim    limits
	policy ijose.Policy // for the Issuer-signed JWT
	kinds  *kindSet
	hashes []string // allowed _sd_alg values; SHA256 alone when empty
	shape  bool     // record the shape of hidden claims (for type metadata)
}

// decode checks the Issuer-signed JWT against the header policy, tells its kind,
// and processes the payload with the disclosures (RFC 9901 §7.1 steps 1, 2.1, 2.4 and
// 3 to 5). The signature is the caller's to verify.
func decode(t *token, c *decodeConfig) (*decoded, error) {
	jwt, err := ijose.Parse(t.jws, c.policy)
	if err != nil {
		return nil, fmt.Errorf("sdjwt: Issuer-signed JWT: %w", err)
	}
	d := &decoded{t: t, jwt: jwt, kid: jwt.Header.Kid}
	if len(t.sigs) > 0 && t.sigs[0].kid != "" {
		if d.kid != "" {
			return nil, fmt.Errorf("sdjwt: kid in both the protected and the unprotected header: %w", ErrMalformed)
		}
		d.kid = t.sigs[0].kid
	}
	v, err := jsonx.Decode(jwt.Payload, jsonx.Limits{MaxBytes: c.lim.maxBytes, MaxDepth: c.lim.maxDepth})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: payload: %w", err)
	}
	payload, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sdjwt: payload is not a JSON object: %w", ErrMalformed)
	}
	if d.kind, err = c.kinds.classify(&jwt.Header, payload); err != nil {
		return nil, err
	}
	name := SHA256
	if raw, ok := payload[keySDAlg]; ok {
		if name, ok = raw.(string); !ok {
			return nil, fmt.Errorf("sdjwt: _sd_alg is not a string: %w", ErrMalformed)
		}
		delete(payload, keySDAlg) // RFC 9901 §7.1 step 3.6
	}
	if d.alg, err = policyHash(name, c.hashes); err != nil {
		return nil, err
	}
	var plain map[string]bool
	if d.kind == VC {
		plain = vcPlainClaims
	}
	p, err := newProcessor(t.discs, d.alg, c.lim.maxDepth, plain)
	if err != nil {
		return nil, err
	}
	if c.shape {
		p.shape = newShape()
		d.shape = p.shape
	}
	if d.claims, err = p.run(payload); err != nil {
		return nil, err
	}
	d.discs = p.discs
	if d.facts, err = checkKind(d.kind, d.claims); err != nil {
		return nil, err
	}
	return d, nil
}
