package jcs

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// transform parses strictly and canonicalizes.
func transform(data []byte) ([]byte, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil, err
	}
	return Canonicalize(v)
}

// TestFiles runs the RFC 8785 examples (§3.2.2 values, §3.2.3 sorting) and our own cases:
// each NAME.in.json must canonicalize to the bytes of NAME.out.json.
func TestFiles(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join("testdata", "*", "*.in.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) < 6 {
		t.Fatalf("found %d cases, want at least 6", len(ins))
	}
	for _, in := range ins {
		t.Run(strings.TrimPrefix(in, "testdata"+string(filepath.Separator)), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.Replace(in, ".in.json", ".out.json", 1))
			if err != nil {
				t.Fatal(err)
			}
			got, err := transform(data)
			if err != nil {
				t.Fatalf("Transform: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			again, err := transform(got)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %s, %v", again, err)
			}
		})
	}
}

// TestNumbersAppendixB checks the IEEE 754 samples of RFC 8785 Appendix B.
func TestNumbersAppendixB(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "rfc8785", "numbers.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bitsHex, want, _ := strings.Cut(line, " ")
		raw, err := hex.DecodeString(bitsHex)
		if err != nil || len(raw) != 8 {
			t.Fatalf("bad line %q", line)
		}
		v := math.Float64frombits(binary.BigEndian.Uint64(raw))
		got, err := Canonicalize(v)
		n++
		if want == "error" {
			if !errors.Is(err, errs.ErrMalformed) {
				t.Errorf("%s: got %s, %v, want ErrMalformed", bitsHex, got, err)
			}
			continue
		}
		if err != nil || string(got) != want {
			t.Errorf("%s: got %s, %v, want %s", bitsHex, got, err, want)
		}
	}
	if n != 26 {
		t.Errorf("ran %d samples, want 26", n)
	}
}

func TestErrors(t *testing.T) {
	deep := any("x")
	for range MaxDepth + 1 {
		deep = []any{deep}
	}
	for _, tc := range []struct {
		name string
		v    any
		want error
	}{
		{"overflowing number", json.Number("1e400"), errs.ErrMalformed},
		{"NaN", math.NaN(), errs.ErrMalformed},
		{"infinity", math.Inf(-1), errs.ErrMalformed},
		{"invalid UTF-8 value", "a\xffb", errs.ErrMalformed},
		{"invalid UTF-8 name", map[string]any{"\xc0": 1}, errs.ErrMalformed},
		{"Go type without JSON form", map[string]any{"a": struct{}{}}, errs.ErrMalformed},
		{"too deep", deep, errs.ErrTooDeep},
		{"nested error", map[string]any{"a": []any{1, map[string]any{"b": math.NaN()}}}, errs.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Canonicalize(tc.v)
			if !errors.Is(err, tc.want) || got != nil {
				t.Errorf("got %q, %v, want %v", got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"duplicate names", `{"a":1,"\u0061":2}`, errs.ErrMalformed},
		{"trailing data", `{} {}`, errs.ErrMalformed},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), errs.ErrTooDeep},
		{"too large", `"` + strings.Repeat("a", 1<<20) + `"`, errs.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := transform([]byte(tc.in)); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestGoValues(t *testing.T) {
	got, err := Canonicalize(map[string]any{"n": 3, "m": int64(-4), "s": []string{"b", "a"}, "f": 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"f":0.5,"m":-4,"n":3,"s":["b","a"]}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestCompareUTF16(t *testing.T) {
	ordered := []string{"", "\x00", "A", "a", "aa", "\u00e9", "\u07ff", "\ud7ff", "\U00010000", "\U0001f600", "\U0010ffff", "\ue000", "\ufb33", "\uffff"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := compareUTF16(a, b); got != want {
				t.Errorf("compareUTF16(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
