package dcql

import (
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/internal/claimpath"
)

// Select applies a claims path pointer (OpenID4VP 1.0 §7) to claims, the credential's
// claims as decoded JSON, and returns the selected values in document order.
//
// A string component selects that member of every selected object, dropping objects
// without it; an integer selects that element of every selected array, dropping arrays too
// short; nil selects every element of every selected array. Processing aborts with an
// error wrapping [ErrNoMatch] when a string meets a value that is not an object, an integer
// or nil meets a value that is not an array, or the selection becomes empty. A component
// of another type (or a negative index) is [ErrUnsupportedPath]; integers may be any Go
// integer type, an integral float64 or a json.Number.
func Select(claims any, path []any) ([]any, error) {
	sel, f := selectPaths(claims, path, false)
	if f.kind != selOK {
		return nil, f.err(path)
	}
	out := make([]any, len(sel))
	for i, s := range sel {
		out[i] = s.value
	}
	return out, nil
}

// failure says why a path selects nothing, without allocating.
type failure struct {
	kind  int // selOK, selEmpty, selMismatch or selUnsupported
	depth int
	want  string // mismatch: "an object" or "an array"
}

const (
	selOK = iota
	selEmpty
	selMismatch
	selUnsupported
)

func (f failure) err(path []any) error {
	switch f.kind {
	case selEmpty:
		return fmt.Errorf("dcql: claims path %s selects nothing: %w", pathString(path), ErrNoMatch)
	case selMismatch:
		return fmt.Errorf("dcql: claims path %s: component %d needs %s: %w", pathString(path), f.depth, f.want, ErrNoMatch)
	default:
		return fmt.Errorf("dcql: claims path component %d is not a string, non-negative integer or null: %w", f.depth, ErrUnsupportedPath)
	}
}

type selected struct {
	path  []any // concrete: strings and ints only
	value any
}

// selectPaths is Select that also returns, when withPaths, the concrete path of each
// selected value (nil components replaced by indexes).
func selectPaths(root any, path []any, withPaths bool) ([]selected, failure) {
	if len(path) == 0 {
		return nil, failure{kind: selUnsupported}
	}
	k := firstWildcard(path)
	if k < 0 {
		return selectOne(root, path, withPaths)
	}
	// The components before the first nil select at most one value.
	start := selected{value: root}
	if k > 0 {
		sel, f := selectOne(root, path[:k], withPaths)
		if f.kind != selOK {
			return nil, f
		}
		start = sel[0]
	}
	cur := []selected{start}
	var next []selected
	for depth := k; depth < len(path); depth++ {
		comp := path[depth]
		next = next[:0]
		switch c := comp.(type) {
		case string:
			for _, s := range cur {
				obj, ok := s.value.(map[string]any)
				if !ok {
					return nil, failure{kind: selMismatch, depth: depth, want: "an object"}
				}
				if v, ok := obj[c]; ok {
					next = append(next, selected{path: step(s.path, c, withPaths), value: v})
				}
			}
		case nil:
			for _, s := range cur {
				arr, ok := s.value.([]any)
				if !ok {
					return nil, failure{kind: selMismatch, depth: depth, want: "an array"}
				}
				for i, v := range arr {
					next = append(next, selected{path: fork(s.path, i, len(path), withPaths), value: v})
				}
			}
		default:
			i, ok := index(comp)
			if !ok {
				return nil, failure{kind: selUnsupported, depth: depth}
			}
			for _, s := range cur {
				arr, ok := s.value.([]any)
				if !ok {
					return nil, failure{kind: selMismatch, depth: depth, want: "an array"}
				}
				if i < len(arr) {
					next = append(next, selected{path: step(s.path, i, withPaths), value: arr[i]})
				}
			}
		}
		if len(next) == 0 {
			return nil, failure{kind: selEmpty, depth: depth}
		}
		cur, next = next, cur
	}
	return cur, failure{}
}

func firstWildcard(path []any) int {
	for i, c := range path {
		if c == nil {
			return i
		}
	}
	return -1
}

// selectOne walks a path without nil, which selects at most one value.
func selectOne(v any, path []any, withPaths bool) ([]selected, failure) {
	v, f := walk(v, path)
	if f.kind != selOK {
		return nil, f
	}
	s := selected{value: v}
	if withPaths {
		s.path = concrete(path)
	}
	return []selected{s}, failure{}
}

// walk follows a path without nil, without allocating.
func walk(v any, path []any) (any, failure) {
	for depth, comp := range path {
		if key, ok := comp.(string); ok {
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, failure{kind: selMismatch, depth: depth, want: "an object"}
			}
			if v, ok = obj[key]; !ok {
				return nil, failure{kind: selEmpty, depth: depth}
			}
			continue
		}
		i, ok := index(comp)
		if !ok {
			return nil, failure{kind: selUnsupported, depth: depth}
		}
		arr, ok := v.([]any)
		if !ok {
			return nil, failure{kind: selMismatch, depth: depth, want: "an array"}
		}
		if i >= len(arr) {
			return nil, failure{kind: selEmpty, depth: depth}
		}
		v = arr[i]
	}
	return v, failure{}
}

// concrete returns path with its indexes as ints: path itself when they already are (as
// in a parsed query), else a copy.
func concrete(path []any) []any {
	for _, c := range path {
		switch c.(type) {
		case string, int:
			continue
		}
		out := make([]any, len(path))
		for i, c := range path {
			if _, ok := c.(string); !ok {
				c, _ = index(c)
			}
			out[i] = c
		}
		return out
	}
	return path
}

// fork returns a new path: p then c, with room for a path of n components. Every value a
// null selects gets its own.
func fork(p []any, c any, n int, withPaths bool) []any {
	if !withPaths {
		return nil
	}
	out := make([]any, len(p)+1, n)
	copy(out, p)
	out[len(p)] = c
	return out
}

// step extends p by c for a component that selects at most one value from it. p was made
// by fork and has no other successor, so it grows in place.
func step(p []any, c any, withPaths bool) []any {
	if !withPaths {
		return nil
	}
	return append(p, c)
}

// index returns the array index a path component stands for.
func index(c any) (int, bool) { return claimpath.Index(c) }

// pathString renders a claims path as JSON, for messages.
func pathString(path []any) string {
	b, err := json.Marshal(path)
	if err != nil {
		return fmt.Sprint(path)
	}
	return string(b)
}
