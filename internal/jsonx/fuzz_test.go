package jsonx_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// FuzzDecode checks, on any input, that Decode never panics, fails only with one of the three
// sentinels, agrees with Validate and Unmarshal, and accepts only what encoding/json accepts,
// with an equal value. Seeds are in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"a":[1,"x",null,true,{"b":-1.5e3}]}`))
	// Small limits keep each run fast; they are reached often, so their checks are fuzzed too.
	lim := jsonx.Limits{MaxBytes: 8 << 10, MaxDepth: 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := jsonx.Decode(data, lim)
		verr := jsonx.Validate(data, lim)
		var u any
		uerr := jsonx.Unmarshal(data, &u, lim)
		if err != nil {
			if v != nil {
				t.Fatalf("Decode returned %#v with error %v", v, err)
			}
			n := 0
			for _, s := range []error{errs.ErrMalformed, errs.ErrTooLarge, errs.ErrTooDeep} {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("Decode error %v wraps %d sentinels, want 1", err, n)
			}
			if verr == nil || verr.Error() != err.Error() {
				t.Fatalf("Decode: %v; Validate: %v", err, verr)
			}
			if uerr == nil || uerr.Error() != err.Error() {
				t.Fatalf("Decode: %v; Unmarshal: %v", err, uerr)
			}
			return
		}
		if verr != nil {
			t.Fatalf("Decode accepts, Validate: %v", verr)
		}
		if uerr != nil || !reflect.DeepEqual(u, v) {
			t.Fatalf("Unmarshal into any: %#v, %v; Decode: %#v", u, uerr, v)
		}
		if !json.Valid(data) {
			t.Fatal("accepted, but encoding/json rejects it")
		}
		want, err := stdDecode(data)
		if err != nil {
			t.Fatalf("accepted, but encoding/json: %v", err)
		}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("Decode = %#v, encoding/json gives %#v", v, want)
		}
	})
}
