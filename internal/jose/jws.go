package jose

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// DefaultMaxBytes bounds a compact token (DESIGN.md §5).
const DefaultMaxBytes = 1 << 20

// maxHeaderBytes bounds the decoded protected header; headers are small.
const maxHeaderBytes = 16 << 10

// DefaultAlgorithms is the allow-list when a Policy names none.
var defaultAlgorithms = []string{keys.EdDSA, keys.ES256, keys.ES384}

// DefaultAlgorithms returns the default algorithm allow-list: EdDSA, ES256, ES384.
func DefaultAlgorithms() []string { return slices.Clone(defaultAlgorithms) }

// Policy says what a token must look like. The zero value accepts no "typ" at all
// (Types empty and TypeOptional false means a typ header is refused) — callers name
// the types of their format.
type Policy struct {
	// Types lists the accepted "typ" values, compared exactly.
	Types []string
	// TypeOptional accepts a token without "typ" (the VCDM 1.1 JWT encoding). A typ
	// that is present must still be one of Types.
	TypeOptional bool
	// Algorithms is the allow-list. If empty, EdDSA, ES256 and ES384. "none" and
	// anything the keys package cannot verify are refused whatever the list says.
	Algorithms []string
	// AllowX5C admits an "x5c" header for a caller that validates the chain against
	// its own roots; the other embedded-key headers are always refused.
	AllowX5C bool
	// MaxBytes bounds the compact token. If 0, DefaultMaxBytes.
	MaxBytes int
}

// Header is the protected header of a token.
type Header struct {
	Alg string   // "alg"
	Typ string   // "typ", "" when absent
	Cty string   // "cty", "" when absent
	Kid string   // "kid", "" when absent
	X5C []string // "x5c" (standard base64 DER), only when the policy allows it
	// Raw holds every member as decoded (strings, json.Number, maps, ...).
	Raw map[string]any
}

// Token is a parsed, not yet verified, compact JWS.
type Token struct {
	Header    Header
	Payload   []byte // decoded payload
	signing   []byte // the exact signing input: BASE64URL(header) "." BASE64URL(payload)
	signature []byte
}

var b64 = base64.RawURLEncoding.Strict()

// Parse splits a compact JWS and checks it against p. It verifies no signature.
func Parse(token []byte, p Policy) (*Token, error) {
	max := p.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if len(token) > max {
		return nil, fmt.Errorf("jose: token of %d bytes exceeds %d: %w", len(token), max, errTooLarge)
	}
	dot1 := bytes.IndexByte(token, '.')
	dot2 := -1
	if dot1 >= 0 {
		if i := bytes.IndexByte(token[dot1+1:], '.'); i >= 0 {
			dot2 = dot1 + 1 + i
		}
	}
	if dot1 <= 0 || dot2 < 0 || bytes.IndexByte(token[dot2+1:], '.') >= 0 {
		if len(token) > 0 && token[0] == '{' {
			return nil, fmt.Errorf("jose: JSON serialization: %w", errUnsupportedForm)
		}
		if bytes.Count(token, []byte{'.'}) == 4 {
			return nil, fmt.Errorf("jose: compact JWE where a JWS was expected: %w", errUnsupportedForm)
		}
		return nil, fmt.Errorf("jose: not a compact JWS (three base64url parts): %w", errMalformed)
	}
	if dot2 == len(token)-1 {
		return nil, fmt.Errorf("jose: empty signature: %w", errMalformed)
	}
	for _, c := range token {
		if !isB64URL(c) && c != '.' {
			return nil, fmt.Errorf("jose: character outside base64url in compact JWS: %w", errMalformed)
		}
	}
	hdrJSON, err := decodePart(token[:dot1], maxHeaderBytes)
	if err != nil {
		return nil, fmt.Errorf("jose: header: %w", err)
	}
	payload, err := decodePart(token[dot1+1:dot2], len(token))
	if err != nil {
		return nil, fmt.Errorf("jose: payload: %w", err)
	}
	sig, err := decodePart(token[dot2+1:], 1024)
	if err != nil {
		return nil, fmt.Errorf("jose: signature: %w", err)
	}
	h, err := parseHeader(hdrJSON, p)
	if err != nil {
		return nil, err
	}
	// Copy the signing input: a caller that reuses its buffer must not change what Verify
	// checks.
	signing := append([]byte(nil), token[:dot2]...)
	return &Token{Header: *h, Payload: payload, signing: signing, signature: sig}, nil
}

func isB64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func decodePart(part []byte, max int) ([]byte, error) {
	if b64.DecodedLen(len(part)) > max {
		return nil, errTooLarge
	}
	out := make([]byte, b64.DecodedLen(len(part)))
	n, err := b64.Decode(out, part)
	if err != nil {
		return nil, fmt.Errorf("base64url: %w", errMalformed)
	}
	return out[:n], nil
}

func parseHeader(data []byte, p Policy) (*Header, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: maxHeaderBytes, MaxDepth: 8})
	if err != nil {
		return nil, fmt.Errorf("jose: header: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: header is not a JSON object: %w", errMalformed)
	}
	h := &Header{Raw: m}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"alg", &h.Alg}, {"typ", &h.Typ}, {"cty", &h.Cty}, {"kid", &h.Kid}} {
		raw, ok := m[f.name]
		if !ok {
			continue
		}
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("jose: header %s is not a string: %w", f.name, errMalformed)
		}
		*f.dst = s
	}
	if _, ok := m["kid"]; ok && h.Kid == "" {
		return nil, fmt.Errorf("jose: empty kid: %w", errMalformed)
	}
	for _, name := range []string{"crit", "b64", "zip"} {
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("jose: header %s: %w", name, errCritical)
		}
	}
	for _, name := range []string{"jwk", "jku", "x5u", "x5t", "x5t#S256"} {
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("jose: header %s (key carried by the token): %w", name, errKeySource)
		}
	}
	if raw, ok := m["x5c"]; ok {
		if !p.AllowX5C {
			return nil, fmt.Errorf("jose: header x5c (key carried by the token): %w", errKeySource)
		}
		list, ok := raw.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("jose: header x5c is not a non-empty array: %w", errMalformed)
		}
		for _, c := range list {
			s, ok := c.(string)
			if !ok || s == "" {
				return nil, fmt.Errorf("jose: header x5c entry is not a string: %w", errMalformed)
			}
			h.X5C = append(h.X5C, s)
		}
	}
	if _, ok := m["alg"]; !ok {
		return nil, fmt.Errorf("jose: no alg: %w", errMalformed)
	}
	if err := allowed(h.Alg, p.Algorithms); err != nil {
		return nil, err
	}
	if _, ok := m["typ"]; !ok {
		if !p.TypeOptional {
			return nil, fmt.Errorf("jose: no typ, want one of %q: %w", p.Types, errInvalidType)
		}
	} else if !slices.Contains(p.Types, h.Typ) {
		return nil, fmt.Errorf("jose: typ %q, want one of %q: %w", h.Typ, p.Types, errInvalidType)
	}
	return h, nil
}

func allowed(alg string, list []string) error {
	if len(list) == 0 {
		list = defaultAlgorithms
	}
	switch alg {
	case keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K:
		if slices.Contains(list, alg) {
			return nil
		}
	}
	return fmt.Errorf("jose: alg %q: %w", alg, errAlgNotAllowed)
}

// Verify checks the signature with pub. The key decides the algorithm: the header alg
// must be the key's own (ErrAlgorithmKeyMismatch otherwise) and in algorithms (if empty,
// the default allow-list).
func (t *Token) Verify(pub crypto.PublicKey, algorithms []string) error {
	alg, err := keys.Algorithm(pub)
	if err != nil {
		return fmt.Errorf("jose: verification key: %w", err)
	}
	if t.Header.Alg != alg {
		return fmt.Errorf("jose: header alg %q, key algorithm %q: %w", t.Header.Alg, alg, errAlgKeyMismatch)
	}
	if err := allowed(alg, algorithms); err != nil {
		return err
	}
	if err := keys.Verify(pub, alg, t.signing, t.signature); err != nil {
		return fmt.Errorf("jose: %w", err)
	}
	return nil
}

// SigningInput returns the exact bytes the signature covers.
func (t *Token) SigningInput() []byte { return t.signing }

// SignOptions are the header members Sign writes besides "alg".
type SignOptions struct {
	Typ string // "typ"; required
	Cty string // "cty", omitted if empty
	Kid string // "kid", omitted if empty
	// X5C is the "x5c" header (standard base64 DER, leaf first), for a signer whose key
	// a certificate chain vouches for; omitted if empty.
	X5C []string
	// Extra holds further header members; it may not set alg, typ, cty, kid, crit or
	// any embedded-key member.
	Extra map[string]any
}

// Sign makes a compact JWS of payload with s. The algorithm is the signer's own.
func Sign(s keys.Signer, payload []byte, o SignOptions) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("jose: nil signer: %w", errInvalidKey)
	}
	if o.Typ == "" {
		return nil, fmt.Errorf("jose: sign without typ: %w", errInvalidType)
	}
	alg := s.Algorithm()
	if err := allowed(alg, []string{keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K}); err != nil {
		return nil, err
	}
	hdr := make(map[string]any, 4+len(o.Extra))
	for k, v := range o.Extra {
		switch k {
		case "alg", "typ", "cty", "kid", "crit", "b64", "zip", "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256":
			return nil, fmt.Errorf("jose: extra header %s: %w", k, errMalformed)
		}
		hdr[k] = v
	}
	hdr["alg"] = alg
	hdr["typ"] = o.Typ
	if o.Cty != "" {
		hdr["cty"] = o.Cty
	}
	if o.Kid != "" {
		hdr["kid"] = o.Kid
	}
	if len(o.X5C) > 0 {
		hdr["x5c"] = o.X5C
	}
	hj, err := json.Marshal(hdr)
	if err != nil {
		return nil, fmt.Errorf("jose: header: %w", errMalformed)
	}
	n := b64.EncodedLen(len(hj)) + 1 + b64.EncodedLen(len(payload))
	out := make([]byte, 0, n+1+b64.EncodedLen(132))
	out = b64.AppendEncode(out, hj)
	out = append(out, '.')
	out = b64.AppendEncode(out, payload)
	sig, err := keys.Sign(s, out)
	if err != nil {
		return nil, fmt.Errorf("jose: %w", err)
	}
	out = append(out, '.')
	return b64.AppendEncode(out, sig), nil
}
