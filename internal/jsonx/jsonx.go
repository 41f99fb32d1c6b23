// Package jsonx decodes untrusted JSON strictly.
package jsonx

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/internal/errs"
)

// Default limits.
const (
	DefaultMaxBytes = 1 << 20
	DefaultMaxDepth = 64
)

// Limits bounds a decode. Zero fields take the defaults.
type Limits struct {
	MaxBytes int // if 0, DefaultMaxBytes
	MaxDepth int // if 0, DefaultMaxDepth
}

// Decode parses data into map[string]any, []any, string, json.Number, bool or nil.
func Decode(data []byte, lim Limits) (any, error) {
	max := lim.MaxBytes
	if max == 0 {
		max = DefaultMaxBytes
	}
	if len(data) > max {
		return nil, fmt.Errorf("jsonx: %d bytes: %w", len(data), errs.ErrTooLarge)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("jsonx: %w", errs.ErrMalformed)
	}
	return v, nil
}

// Unmarshal checks data as Decode does, then decodes it into v with encoding/json.
func Unmarshal(data []byte, v any, lim Limits) error {
	if _, err := Decode(data, lim); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("jsonx: %w", errs.ErrMalformed)
	}
	return nil
}
