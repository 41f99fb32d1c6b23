package dcql_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/pex/dcql"
)

func TestSelect(t *testing.T) {
	var claims any
	if err := json.Unmarshal([]byte(`{
		"a": {"b": 1},
		"list": [{"x": 1}, {"y": 2}, {"x": 3}],
		"nested": [[1, 2], [3]],
		"scalar": "s",
		"mixed": [{"x": 1}, 5]
	}`), &claims); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path []any
		want []any
		err  error
	}{
		{[]any{"a", "b"}, []any{1.0}, nil},
		{[]any{"list", nil, "x"}, []any{1.0, 3.0}, nil}, // objects without x drop out
		{[]any{"list", 2, "x"}, []any{3.0}, nil},
		{[]any{"list", json.Number("1"), "y"}, []any{2.0}, nil},
		{[]any{"list", 1.0, "y"}, []any{2.0}, nil},
		{[]any{"list", int64(0)}, []any{map[string]any{"x": 1.0}}, nil},
		{[]any{"nested", nil, nil}, []any{1.0, 2.0, 3.0}, nil},
		{[]any{"nested", nil, 1}, []any{2.0}, nil}, // the short array drops out
		{[]any{"missing"}, nil, dcql.ErrNoMatch},
		{[]any{"list", 3}, nil, dcql.ErrNoMatch},
		{[]any{"scalar", "x"}, nil, dcql.ErrNoMatch}, // string over a non-object
		{[]any{"scalar", nil}, nil, dcql.ErrNoMatch}, // null over a non-array
		{[]any{"a", 0}, nil, dcql.ErrNoMatch},        // index over an object
		{[]any{"mixed", nil, "x"}, nil, dcql.ErrNoMatch},
		{[]any{"list", -1}, nil, dcql.ErrUnsupportedPath},
		{[]any{"list", 0.5}, nil, dcql.ErrUnsupportedPath},
		{[]any{true}, nil, dcql.ErrUnsupportedPath},
		{[]any{}, nil, dcql.ErrUnsupportedPath},
	}
	for _, tc := range tests {
		got, err := dcql.Select(claims, tc.path)
		if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("%v: got error %v, want %v", tc.path, err, tc.err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%v (-want +got):\n%s", tc.path, d)
		}
	}
}
