package jose

import (
	"reflect"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

// checkScan compares the scanner with jsonx on one input that jsonx.Validate accepts:
// the members (names after unescaping, values decoded) and elements must be exactly the
// ones jsonx decodes, in a parse that sees no duplicate.
func checkScan(t *testing.T, data []byte) {
	if jsonx.Validate(data, jsonx.Limits{}) != nil {
		return
	}
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatalf("Validate accepts what Decode refuses: %v", err)
	}
	switch want := v.(type) {
	case map[string]any:
		seen := map[string]bool{}
		err := eachMember(data, func(name, value []byte) error {
			n := string(name)
			if seen[n] {
				t.Fatalf("member %q twice", n)
			}
			seen[n] = true
			got, err := decodeValue(value)
			if err != nil {
				t.Fatalf("member %q: raw value %q: %v", n, value, err)
			}
			if !reflect.DeepEqual(got, want[n]) {
				t.Fatalf("member %q: %#v, want %#v", n, got, want[n])
			}
			return nil
		})
		if err != nil || len(seen) != len(want) {
			t.Fatalf("scanned %d members (%v), want %d", len(seen), err, len(want))
		}
	case []any:
		i := 0
		err := eachElement(data, func(value []byte) error {
			got, err := decodeValue(value)
			if err != nil || i >= len(want) || !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("element %d: %q %v", i, value, err)
			}
			i++
			return nil
		})
		if err != nil || i != len(want) {
			t.Fatalf("scanned %d elements (%v), want %d", i, err, len(want))
		}
	default:
		if eachMember(data, func(_, _ []byte) error { return nil }) == nil {
			t.Fatal("eachMember accepted a non-object")
		}
	}
}

func TestScan(t *testing.T) {
	for _, in := range []string{
		`{}`, ` { } `, `[]`, `[ ]`, `"x"`, `1`,
		`{"a":1,"b":"x","c":[1,2,{"d":"]"}],"e":{"f":"}"},"g":true,"h":null,"i":-0.5e-3}`,
		`{"\u0069ss":"a\"b\\","x\\":"\ud83d\ude00","y":"\/"}`,
		"{\n\t\"a\" :\r [ ] , \"b\" : { \"c\" : [ [ ] ] } }",
		`[1, "a", {"b": []}, [[]], "\"]"]`,
	} {
		checkScan(t, []byte(in))
	}
}

// FuzzScan: the scanner and jsonx read every valid document the same way, so no member
// can be seen by one and hidden from the other.
func FuzzScan(f *testing.F) {
	f.Fuzz(checkScan)
}
