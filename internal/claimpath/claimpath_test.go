package claimpath_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/credence-dev/credence/internal/claimpath"
)

func TestIndex(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want int
		ok   bool
	}{
		{0, 0, true}, {3, 3, true}, {int8(2), 2, true}, {uint64(7), 7, true}, {2.0, 2, true},
		{json.Number("5"), 5, true}, {-1, 0, false}, {2.5, 0, false}, {json.Number("1e2"), 0, false},
		{json.Number("-3"), 0, false}, {uint64(math.MaxInt32) + 1, 0, false}, {int64(math.MaxInt32) + 1, 0, false},
		{"1", 0, false}, {nil, 0, false}, {true, 0, false}, {math.NaN(), 0, false}, {math.Copysign(0, -1), 0, true},
	} {
		got, ok := claimpath.Index(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Index(%#v) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
