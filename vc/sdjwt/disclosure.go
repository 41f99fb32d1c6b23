package sdjwt

import (
	"errors"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Names the payload reserves (RFC 9901 §4.1, §4.2.4): they carry digests and the hash
// algorithm, and no disclosure may be named after them.
const (
	keySD    = "_sd"
	keyArray = "..."
	keySDAlg = "_sd_alg"
)

// disclosure is a decoded disclosure (RFC 9901 §4.2.1, §4.2.2).
type disclosure struct {
	encoded string // the base64url form, exactly as received
	digest  string // base64url digest of encoded under _sd_alg
	salt    string
	name    string // claim name; "" for an array element
	element bool   // a two-element disclosure of an array element
	value   any    // claim value as jsonx decodes it

	used   bool
	at     []component // where the claim sits in the processed payload
	parent int         // index of the disclosure whose value holds the digest, or -1
}

// decodeDisclosure decodes one disclosure under strict JSON with the depth limit.
// Every failure wraps ErrInvalidDisclosure, except the depth limit, which is ErrTooDeep.
func decodeDisclosure(enc string, maxDepth int) (disclosure, error) {
	ds, err := decodeDisclosures([]string{enc}, maxDepth)
	if err != nil {
		return disclosure{}, err
	}
	return ds[0], nil
}

// decodeDisclosures decodes disclosures as decodeDisclosure does. Each is checked as
// strict JSON on its own; then all are decoded in one pass as the elements of one
// array, which costs less than a decoder per disclosure and reads exactly the same
// values, since each element is a single valid JSON value.
func decodeDisclosures(encs []string, maxDepth int) ([]disclosure, error) {
	size := 2
	for _, e := range encs {
		size += b64.DecodedLen(len(e)) + 1
	}
	buf := make([]byte, 1, size)
	buf[0] = '['
	for i, enc := range encs {
		if enc == "" {
			return nil, fmt.Errorf("sdjwt: disclosure %d is empty: %w", i, ErrInvalidDisclosure)
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		start := len(buf)
		var err error
		if buf, err = b64.AppendDecode(buf, []byte(enc)); err != nil {
			return nil, fmt.Errorf("sdjwt: disclosure %d is not base64url: %w", i, ErrInvalidDisclosure)
		}
		if err := jsonx.Validate(buf[start:], jsonx.Limits{MaxBytes: len(buf) - start + 1, MaxDepth: maxDepth}); err != nil {
			if errors.Is(err, ErrTooDeep) {
				return nil, fmt.Errorf("sdjwt: disclosure %d: %w", i, ErrTooDeep)
			}
			return nil, fmt.Errorf("sdjwt: disclosure %d is not strict JSON: %w", i, ErrInvalidDisclosure)
		}
	}
	buf = append(buf, ']')
	v, err := jsonx.Decode(buf, jsonx.Limits{MaxBytes: len(buf) + 1, MaxDepth: maxDepth + 1})
	if err != nil {
		// Each part passed on its own, so the whole cannot fail.
		return nil, fmt.Errorf("sdjwt: disclosures: %w", ErrInvalidDisclosure)
	}
	vals := v.([]any)
	if len(vals) != len(encs) {
		return nil, fmt.Errorf("sdjwt: disclosures: %w", ErrInvalidDisclosure)
	}
	out := make([]disclosure, len(encs))
	for i, val := range vals {
		d, err := fromValue(encs[i], val)
		if err != nil {
			return nil, fmt.Errorf("%w (disclosure %d)", err, i)
		}
		out[i] = d
	}
	return out, nil
}

// fromValue checks the shape of a decoded disclosure.
func fromValue(enc string, v any) (disclosure, error) {
	d := disclosure{encoded: enc, parent: -1}
	arr, ok := v.([]any)
	if !ok {
		return d, fmt.Errorf("sdjwt: disclosure is not a JSON array: %w", ErrInvalidDisclosure)
	}
	if len(arr) != 2 && len(arr) != 3 {
		return d, fmt.Errorf("sdjwt: disclosure array of %d elements, want 2 or 3: %w", len(arr), ErrInvalidDisclosure)
	}
	salt, ok := arr[0].(string)
	if !ok {
		return d, fmt.Errorf("sdjwt: disclosure salt is not a string: %w", ErrInvalidDisclosure)
	}
	d.salt = salt
	if len(arr) == 2 {
		d.element, d.value = true, arr[1]
		return d, nil
	}
	name, ok := arr[1].(string)
	if !ok {
		return d, fmt.Errorf("sdjwt: disclosure claim name is not a string: %w", ErrInvalidDisclosure)
	}
	d.name, d.value = name, arr[2]
	return d, nil
}

// path returns where the disclosed claim sits in the processed payload.
func (d *disclosure) path() Path { return pathOfComponents(d.at) }
