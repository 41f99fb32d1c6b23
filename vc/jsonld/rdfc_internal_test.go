package jsonld

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestPathOrder checks the incremental comparison against whole-string comparison.
func TestPathOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() []byte {
		b := make([]byte, rng.IntN(4))
		for i := range b {
			b[i] = "ab"[rng.IntN(2)]
		}
		return b
	}
	for range 20000 {
		var o pathOrder
		o.choose(bytes.Repeat(word(), 1+rng.IntN(3)))
		o.reset()
		var path []byte
		for range 1 + rng.IntN(6) {
			path = append(path, word()...)
			if rng.IntN(2) == 0 {
				continue // several appends between comparisons
			}
			c := bytes.Compare(path, o.chosen)
			if got, want := o.worse(path), len(path) >= len(o.chosen) && c > 0; got != want {
				t.Fatalf("worse(%q) against %q = %v", path, o.chosen, got)
			}
			if got := o.less(path); got != (c < 0) {
				t.Fatalf("less(%q) against %q = %v", path, o.chosen, got)
			}
		}
	}
}

func TestNextPermutation(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want int // distinct orderings
	}{
		{[]int{0}, 1},
		{[]int{0, 1, 2}, 6},
		{[]int{0, 0, 1, 1}, 6},
		{[]int{0, 0, 0}, 1},
		{[]int{0, 1, 2, 3, 4}, 120},
	} {
		seen := map[string]bool{}
		p := append([]int(nil), tc.in...)
		for {
			k := fmt.Sprint(p)
			if seen[k] {
				t.Fatalf("%v: ordering %s twice", tc.in, k)
			}
			seen[k] = true
			if !nextPermutation(p) {
				break
			}
		}
		if len(seen) != tc.want {
			t.Errorf("%v: %d orderings, want %d", tc.in, len(seen), tc.want)
		}
	}
}

func TestWorkLimit(t *testing.T) {
	for _, tc := range []struct {
		n, factor int
		want      int64
	}{
		{0, 1, 0},
		{10, 1, 10},
		{10, 3, 1000},
		{12, 3, 1728},
		{100, 3, maxDeepIterations},
		{100_000, 1, 100_000},
		{100_000, 3, 100_000},
		{300_000, 1 << 30, 300_000},
	} {
		if got := workLimit(tc.n, tc.factor); got != tc.want {
			t.Errorf("workLimit(%d, %d) = %d, want %d", tc.n, tc.factor, got, tc.want)
		}
	}
}
