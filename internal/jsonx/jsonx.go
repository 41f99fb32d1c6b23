package jsonx

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/credence-dev/credence/internal/errs"
)

// Default limits (DESIGN.md §5).
const (
	DefaultMaxBytes = 1 << 20 // 1 MiB
	DefaultMaxDepth = 64      // nested arrays and objects
)

// Limits bounds the input that Decode, Validate and Unmarshal accept. The zero value gives
// the defaults; a zero or negative field takes its default.
type Limits struct {
	// MaxBytes is the largest input accepted, checked before parsing. If 0, DefaultMaxBytes.
	MaxBytes int
	// MaxDepth is the deepest nesting of arrays and objects accepted: a top-level scalar is
	// depth 0, "[]" is depth 1. If 0, DefaultMaxDepth.
	MaxDepth int
}

func (l Limits) maxBytes() int {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

func (l Limits) maxDepth() int {
	if l.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return l.MaxDepth
}

func checkSize(data []byte, l Limits) error {
	if max := l.maxBytes(); len(data) > max {
		return fmt.Errorf("jsonx: input of %d bytes exceeds the limit of %d: %w", len(data), max, errs.ErrTooLarge)
	}
	return nil
}

// Decode checks that data is one strict JSON value within lim and returns it as
// map[string]any, []any, string, json.Number (the literal text of the number), bool or nil.
// Empty arrays and objects are non-nil.
//
// Strings without escapes and numbers share the memory of one copy of data, so holding any
// of them keeps that copy alive. On error the result is nil and the error wraps
// errs.ErrMalformed, errs.ErrTooLarge or errs.ErrTooDeep. Decode is safe for concurrent use.
func Decode(data []byte, lim Limits) (any, error) {
	if err := checkSize(data, lim); err != nil {
		return nil, err
	}
	var vals [32]any
	var members [32]member
	d := decoder{data: data, str: string(data), maxDepth: lim.maxDepth(), vals: vals[:0], members: members[:0]}
	d.pos = skipWS(data, 0)
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	if i := skipWS(data, d.pos); i != len(data) {
		return nil, malformed(i, "data after the top-level value")
	}
	return v, nil
}

// Validate runs the checks of Decode without building a value: it returns nil exactly when
// Decode would succeed, and otherwise the same error. It allocates only for objects with
// escaped or many member names. Validate is safe for concurrent use.
func Validate(data []byte, lim Limits) error {
	if err := checkSize(data, lim); err != nil {
		return err
	}
	var names [32]name
	v := validator{data: data, maxDepth: lim.maxDepth(), names: names[:0]}
	i, err := v.value(skipWS(data, 0))
	if err != nil {
		return err
	}
	if i = skipWS(data, i); i != len(data) {
		return malformed(i, "data after the top-level value")
	}
	return nil
}

// Unmarshal checks data as Validate does and then decodes it into v.
//
// If v is a *any, it receives the result of Decode (numbers as json.Number). Any other v is
// filled by encoding/json.Unmarshal, with its usual rules (numbers in interface fields become
// float64, unknown fields are ignored); an error from it, such as a type mismatch, wraps both
// errs.ErrMalformed and the encoding/json error. v is replaced, not merged into: the value is
// decoded into a fresh one and stored only on success, so on error v is unchanged.
func Unmarshal(data []byte, v any, lim Limits) error {
	if p, ok := v.(*any); ok && p != nil {
		val, err := Decode(data, lim)
		if err != nil {
			return err
		}
		*p = val
		return nil
	}
	if err := Validate(data, lim); err != nil {
		return err
	}
	// Decode into a fresh value and store it only on success, so a failure never leaves v
	// half-filled.
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("jsonx: Unmarshal target %T is not a non-nil pointer: %w", v, errs.ErrMalformed)
	}
	fresh := reflect.New(rv.Elem().Type())
	if err := json.Unmarshal(data, fresh.Interface()); err != nil {
		return fmt.Errorf("jsonx: %w: %w", errs.ErrMalformed, err)
	}
	rv.Elem().Set(fresh.Elem())
	return nil
}
