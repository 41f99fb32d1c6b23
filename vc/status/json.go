package status

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
)

func decodeObject(data []byte, what string) (map[string]any, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("status: %s: %w", what, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("status: %s: %w: not a JSON object", what, ErrMalformed)
	}
	return m, nil
}

// optString returns m[key] as a string; absent is "", false.
func optString(m map[string]any, key string) (string, bool, error) {
	v, ok := m[key]
	if !ok {
		return "", false, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", false, fmt.Errorf("status: %s: %w: not a string", key, ErrMalformed)
	}
	return s, true, nil
}

func reqString(m map[string]any, key string) (string, error) {
	s, ok, err := optString(m, key)
	if err != nil {
		return "", err
	}
	if !ok || s == "" {
		return "", fmt.Errorf("status: %s: %w: missing", key, ErrMalformed)
	}
	return s, nil
}

// strings returns a string or an array of strings as a slice.
func stringsOf(v any, key string) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("status: %s: %w: not a string", key, ErrMalformed)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("status: %s: %w: not a string or an array of strings", key, ErrMalformed)
}

// absURL checks that s is an absolute URL.
func absURL(s, key string) error {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Opaque != "" && u.Scheme != "did" && u.Scheme != "urn" {
		return fmt.Errorf("status: %s: %w: not an absolute URL", key, ErrMalformed)
	}
	return nil
}

// integer returns a JSON number that is a non-negative integer (no fraction, no exponent).
func integer(v any, key string, sentinel error) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("status: %s: %w: not a number", key, sentinel)
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && n[0] != '-' {
			return 0, fmt.Errorf("status: %s: %w: too large", key, ErrStatusRange)
		}
		return 0, fmt.Errorf("status: %s: %w: not an integer", key, sentinel)
	}
	if i < 0 {
		return 0, fmt.Errorf("status: %s: %w: negative", key, sentinel)
	}
	return i, nil
}

// numericDate reads a JWT NumericDate (RFC 7519 §2); fractions are allowed.
func numericDate(v any, key string) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, fmt.Errorf("status: %s: %w: not a number", key, ErrMalformed)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f < 0 || f > 1<<40 {
		return time.Time{}, fmt.Errorf("status: %s: %w: not a date", key, ErrMalformed)
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
}

// dateTime reads an XML Schema dateTime as VCDM uses it (RFC 3339 with a time zone).
func dateTime(m map[string]any, key string) (time.Time, error) {
	s, ok, err := optString(m, key)
	if err != nil || !ok {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("status: %s: %w: not an RFC 3339 date-time", key, ErrMalformed)
	}
	return t, nil
}
