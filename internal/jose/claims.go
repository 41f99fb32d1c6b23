package jose

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Claims are the registered JWT claims (RFC 7519 §4.1) and the few others the library
// reads, with their JSON types checked: a string "iat" or a numeric "iss" is
// malformed, whatever other libraries accept.
type Claims struct {
	Issuer    string     // "iss"
	Subject   string     // "sub"
	Audience  []string   // "aud": a string or an array of strings
	Expiry    *time.Time // "exp"
	NotBefore *time.Time // "nbf"
	IssuedAt  *time.Time // "iat"
	ID        string     // "jti"
	Nonce     string     // "nonce"
	// Set holds every member of the payload as decoded by jsonx.Decode.
	Set map[string]any
}

// ParseClaims decodes a JWT payload strictly (duplicate members, depth and size limits)
// and checks the types of the registered claims.
func ParseClaims(payload []byte, lim jsonx.Limits) (*Claims, error) {
	v, err := jsonx.Decode(payload, lim)
	if err != nil {
		return nil, fmt.Errorf("jose: payload: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: payload is not a JSON object: %w", errMalformed)
	}
	return ClaimsFrom(m)
}

// ClaimsFrom checks the registered claims of an already decoded payload.
func ClaimsFrom(m map[string]any) (*Claims, error) {
	c := &Claims{Set: m}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"iss", &c.Issuer}, {"sub", &c.Subject}, {"jti", &c.ID}, {"nonce", &c.Nonce}} {
		raw, ok := m[f.name]
		if !ok {
			continue
		}
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("jose: claim %s is not a string: %w", f.name, errMalformed)
		}
		*f.dst = s
	}
	if raw, ok := m["aud"]; ok {
		switch a := raw.(type) {
		case string:
			c.Audience = []string{a}
		case []any:
			for _, e := range a {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("jose: claim aud has a non-string entry: %w", errMalformed)
				}
				c.Audience = append(c.Audience, s)
			}
		default:
			return nil, fmt.Errorf("jose: claim aud is neither a string nor an array: %w", errMalformed)
		}
	}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"exp", &c.Expiry}, {"nbf", &c.NotBefore}, {"iat", &c.IssuedAt}} {
		raw, ok := m[f.name]
		if !ok {
			continue
		}
		t, err := numericDate(raw)
		if err != nil {
			return nil, fmt.Errorf("jose: claim %s: %w", f.name, err)
		}
		*f.dst = &t
	}
	return c, nil
}

// numericDate reads an RFC 7519 NumericDate: a JSON number of seconds since the epoch,
// possibly fractional.
func numericDate(v any) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, fmt.Errorf("not a number: %w", errMalformed)
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		if i < 0 || i > 1<<40 {
			return time.Time{}, fmt.Errorf("out of range: %w", errMalformed)
		}
		return time.Unix(i, 0).UTC(), nil
	}
	// A decimal fraction is read digit by digit: through a float64, 1262373804.123 would
	// come back as .122999906.
	if whole, frac, ok := strings.Cut(string(n), "."); ok && !strings.ContainsAny(frac, "eE") {
		sec, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || sec < 0 || sec > 1<<40 || strings.HasPrefix(whole, "-") {
			return time.Time{}, fmt.Errorf("out of range: %w", errMalformed)
		}
		var ns int64
		for i := range 9 {
			ns *= 10
			if i < len(frac) {
				ns += int64(frac[i] - '0')
			}
		}
		return time.Unix(sec, ns).UTC(), nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f < 0 || f > 1<<40 {
		return time.Time{}, fmt.Errorf("out of range: %w", errMalformed)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

// CheckTime checks exp, nbf and iat against now with skew in the caller's favour of
// neither side: exp must be after now-skew (ErrExpired), nbf at or before now+skew
// (ErrNotYetValid), iat at or before now+skew (ErrIssuedInFuture).
func (c *Claims) CheckTime(now time.Time, skew time.Duration) error {
	if c.Expiry != nil && !now.Add(-skew).Before(*c.Expiry) {
		return fmt.Errorf("jose: expired at %s: %w", c.Expiry.Format(time.RFC3339), errExpired)
	}
	if c.NotBefore != nil && now.Add(skew).Before(*c.NotBefore) {
		return fmt.Errorf("jose: not valid before %s: %w", c.NotBefore.Format(time.RFC3339), errNotYetValid)
	}
	if c.IssuedAt != nil && now.Add(skew).Before(*c.IssuedAt) {
		return fmt.Errorf("jose: issued at %s, in the future: %w", c.IssuedAt.Format(time.RFC3339), errIssuedInFuture)
	}
	return nil
}
