package jsonx_test

import (
	"encoding/json"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f", "<>&", "é €", "bad \xff utf8", "\u2028"} {
		out := jsonx.AppendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q: %s is not JSON: %v", s, out, err)
		}
		want := s
		if s == "bad \xff utf8" {
			want = "bad \ufffd utf8"
		}
		if back != want {
			t.Errorf("%q round-trips as %q", s, back)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := jsonx.AppendString(nil, s)
		if err := jsonx.Validate(out, jsonx.Limits{MaxBytes: len(out) + 1}); err != nil {
			t.Fatalf("%q gives invalid JSON %s: %v", s, out, err)
		}
	})
}
