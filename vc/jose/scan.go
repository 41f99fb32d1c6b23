package jose

import (
	"bytes"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
)

// A vc+jwt or vp+jwt payload is the credential itself, and the facade decodes it into
// its own data model afterwards. Decoding it here as well would double the cost of a
// verification, so the payload is checked once with jsonx.Validate (strict: duplicates,
// depth, UTF-8, trailing data) and then read with the small scanner below, which walks
// the members of an object without building anything. Only the few values the checks
// need are decoded, each with jsonx.
//
// The scanner runs only on input that jsonx.Validate accepted, so it needs no error
// handling beyond not running off the end of the slice.

func skipWS(b []byte, i int) int { return jsonx.SkipSpace(b, i) }

// endString returns the index just past the string that starts at b[i] == '"'.
func endString(b []byte, i int) int { return jsonx.EndString(b, i) }

// endValue returns the index just past the value that starts at b[i].
func endValue(b []byte, i int) int { return jsonx.EndValue(b, i) }

// eachMember calls f with the name (escapes decoded) and the raw value of every member
// of the validated JSON object obj, in order. It stops at the first error f returns.
// Names are compared after decoding, as jsonx compares them for duplicates, so "iss"
// cannot hide as "\u0069ss".
func eachMember(obj []byte, f func(name, value []byte) error) error {
	i := skipWS(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return fmt.Errorf("jose: not a JSON object: %w", ErrMalformed)
	}
	i = skipWS(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return nil
	}
	for i < len(obj) && obj[i] == '"' {
		e := endString(obj, i)
		name, err := memberName(obj[i:e])
		if err != nil {
			return err
		}
		i = skipWS(obj, e)
		if i >= len(obj) || obj[i] != ':' {
			break
		}
		i = skipWS(obj, i+1)
		if i >= len(obj) {
			break
		}
		e = endValue(obj, i)
		if err := f(name, obj[i:e]); err != nil {
			return err
		}
		i = skipWS(obj, e)
		if i < len(obj) && obj[i] == '}' {
			return nil
		}
		if i >= len(obj) || obj[i] != ',' {
			break
		}
		i = skipWS(obj, i+1)
	}
	return fmt.Errorf("jose: object syntax: %w", ErrMalformed)
}

// eachElement calls f with every element of the validated JSON array arr, in order.
func eachElement(arr []byte, f func(value []byte) error) error {
	i := skipWS(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return fmt.Errorf("jose: not a JSON array: %w", ErrMalformed)
	}
	i = skipWS(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return nil
	}
	for i < len(arr) {
		e := endValue(arr, i)
		if err := f(arr[i:e]); err != nil {
			return err
		}
		i = skipWS(arr, e)
		if i < len(arr) && arr[i] == ']' {
			return nil
		}
		if i >= len(arr) || arr[i] != ',' {
			break
		}
		i = skipWS(arr, i+1)
	}
	return fmt.Errorf("jose: array syntax: %w", ErrMalformed)
}

// memberName returns the text of a quoted JSON string: the bytes between the quotes
// when there is no escape, otherwise the decoded string.
func memberName(quoted []byte) ([]byte, error) {
	if len(quoted) < 2 {
		return nil, fmt.Errorf("jose: member name: %w", ErrMalformed)
	}
	inner := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	s, err := stringValue(quoted)
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// stringValue returns the string a raw JSON value holds, or ErrMalformed when the value
// is not a string.
func stringValue(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", fmt.Errorf("jose: not a JSON string: %w", ErrMalformed)
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	v, err := decodeValue(raw)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("jose: not a JSON string: %w", ErrMalformed)
	}
	return s, nil
}

// decodeValue decodes one raw JSON value that was part of a validated document.
func decodeValue(raw []byte) (any, error) {
	v, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: len(raw) + 1})
	if err != nil {
		return nil, fmt.Errorf("jose: %w", err)
	}
	return v, nil
}
