package jsonx_test

import (
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

func TestSkip(t *testing.T) {
	for _, in := range []string{`"a\"b\\"`, `{"a":[1,{"b":"}"}],"c":"\\\""}`, `[ 1 , 2 ]`, `-1.5e3`, `true`, `null`, `"\u00e9"`} {
		if got := jsonx.EndValue(in, 0); got != len(in) {
			t.Errorf("EndValue(%s) = %d, want %d", in, got, len(in))
		}
		if got := jsonx.EndValue([]byte(" "+in+" "), 1); got != len(in)+1 {
			t.Errorf("EndValue([]byte %s) = %d", in, got)
		}
	}
	if got := jsonx.SkipSpace(" \t\r\n x", 0); got != 5 {
		t.Errorf("SkipSpace = %d", got)
	}
}

// FuzzSkip: on every input Validate accepts, EndValue spans exactly the value.
func FuzzSkip(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if jsonx.Validate(data, jsonx.Limits{MaxBytes: 1 << 16}) != nil {
			return
		}
		i := jsonx.SkipSpace(data, 0)
		end := jsonx.EndValue(data, i)
		if jsonx.SkipSpace(data, end) != len(data) {
			t.Fatalf("EndValue of %q stops at %d", data, end)
		}
	})
}
