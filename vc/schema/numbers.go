package schema

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Bounds on number literals that reach the JSON Schema library, which evaluates them as
// exact rationals: a literal such as 1e9999999 would either take unbounded memory or fail
// to parse and make the library dereference a nil value.
const (
	maxNumberChars    = 400
	maxNumberExponent = 1000
)

// checkNumbers refuses number literals in v (a value from jsonx.Decode) that are longer
// than maxNumberChars or whose exponent is beyond ±maxNumberExponent. Depth is bounded by
// the decoder, so the recursion is too.
func checkNumbers(v any) error {
	switch x := v.(type) {
	case json.Number:
		return checkNumber(string(x))
	case map[string]any:
		for _, c := range x {
			if err := checkNumbers(c); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range x {
			if err := checkNumbers(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkNumber(s string) error {
	if len(s) > maxNumberChars {
		return fmt.Errorf("number literal of %d characters (limit %d): %w", len(s), maxNumberChars, ErrTooLarge)
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return nil
	}
	// The literal was checked by jsonx, so the exponent is an optionally signed integer;
	// maxNumberChars keeps it short enough for Atoi.
	e, err := strconv.Atoi(strings.TrimPrefix(s[i+1:], "+"))
	if err != nil || e > maxNumberExponent || e < -maxNumberExponent {
		return fmt.Errorf("number exponent beyond ±%d: %w", maxNumberExponent, ErrTooLarge)
	}
	return nil
}
