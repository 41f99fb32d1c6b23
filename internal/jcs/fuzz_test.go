package jcs

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// FuzzJCS checks, for every input that jsonx accepts: the canonical form is strict JSON,
// canonicalizing it again gives the same bytes, and it is the same JSON value as the input
// (numbers compared as doubles). The only failure allowed is a number outside the range
// of a double.
func FuzzJCS(f *testing.F) {
	ins, _ := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	for _, in := range ins {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := jsonx.Decode(data, jsonx.Limits{})
		if err != nil {
			return
		}
		out, err := Canonicalize(in)
		if err != nil {
			if !errors.Is(err, errs.ErrMalformed) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		back, err := jsonx.Decode(out, jsonx.Limits{MaxBytes: 4 * len(out)})
		if err != nil {
			t.Fatalf("output is not strict JSON: %v\n%s", err, out)
		}
		again, err := Canonicalize(back)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %v\n%s\n%s", err, out, again)
		}
		if !sameValue(in, back) {
			t.Fatalf("value changed:\n%s\n%s", data, out)
		}
	})
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameValue(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, err1 := strconv.ParseFloat(string(x), 64)
		fy, err2 := strconv.ParseFloat(string(y), 64)
		return err1 == nil && err2 == nil && fx == fy
	default:
		return a == b
	}
}
