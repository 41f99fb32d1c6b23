package jsonx_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

type testCase struct {
	name string
	in   string
	lim  jsonx.Limits
	want error
}

// nest returns inner wrapped n times in open and close.
func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// manyMembers returns an object with n members named m0, m1, ... followed by extra.
func manyMembers(n int, extra string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"m`)
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(strings.Repeat("y", i/26))
		b.WriteString(`":1`)
	}
	b.WriteString(extra)
	b.WriteString("}")
	return b.String()
}

var cases = []testCase{
	// Values.
	{name: "true", in: "true"},
	{name: "false", in: "false"},
	{name: "null", in: "null"},
	{name: "string", in: `"abc"`},
	{name: "empty string", in: `""`},
	{name: "empty array", in: "[]"},
	{name: "empty object", in: "{}"},
	{name: "whitespace around", in: " \t\r\n{ \"a\" : [ 1 , 2 ] }\n\r\t "},
	{name: "nested", in: `{"a":{"b":[{"c":null},[true,false]]},"d":"e"}`},

	// Empty input, whitespace and the byte order mark.
	{name: "empty", in: "", want: errs.ErrMalformed},
	{name: "only whitespace", in: " \n\t\r", want: errs.ErrMalformed},
	{name: "BOM", in: "\xef\xbb\xbf{}", want: errs.ErrMalformed},
	{name: "form feed", in: "\f{}", want: errs.ErrMalformed},
	{name: "vertical tab", in: "[1,\v2]", want: errs.ErrMalformed},
	{name: "no-break space", in: "\u00a0{}", want: errs.ErrMalformed},
	{name: "NUL after value", in: "{}\x00", want: errs.ErrMalformed},

	// Trailing data.
	{name: "two objects", in: "{} {}", want: errs.ErrMalformed},
	{name: "two numbers", in: "1 2", want: errs.ErrMalformed},
	{name: "garbage after array", in: "[]x", want: errs.ErrMalformed},
	{name: "garbage after string", in: `"a"b`, want: errs.ErrMalformed},
	{name: "extra closing bracket", in: "[]]", want: errs.ErrMalformed},
	{name: "literal prefix", in: "truex", want: errs.ErrMalformed},

	// Structure.
	{name: "unclosed array", in: "[1,2", want: errs.ErrMalformed},
	{name: "unclosed object", in: `{"a":1`, want: errs.ErrMalformed},
	{name: "trailing comma in array", in: "[1,]", want: errs.ErrMalformed},
	{name: "trailing comma in object", in: `{"a":1,}`, want: errs.ErrMalformed},
	{name: "leading comma", in: "[,1]", want: errs.ErrMalformed},
	{name: "missing comma", in: "[1 2]", want: errs.ErrMalformed},
	{name: "missing colon", in: `{"a" 1}`, want: errs.ErrMalformed},
	{name: "missing value", in: `{"a":}`, want: errs.ErrMalformed},
	{name: "unquoted name", in: `{a:1}`, want: errs.ErrMalformed},
	{name: "number name", in: `{1:1}`, want: errs.ErrMalformed},
	{name: "single quotes", in: `['a']`, want: errs.ErrMalformed},
	{name: "comment", in: "[1 /* c */]", want: errs.ErrMalformed},
	{name: "line comment", in: "[1]// c", want: errs.ErrMalformed},
	{name: "mismatched close", in: `[1}`, want: errs.ErrMalformed},
	{name: "bad literal", in: "nul", want: errs.ErrMalformed},
	{name: "capital literal", in: "True", want: errs.ErrMalformed},
	{name: "undefined", in: "undefined", want: errs.ErrMalformed},

	// Numbers (RFC 8259 §6).
	{name: "zero", in: "0"},
	{name: "negative zero", in: "-0"},
	{name: "fraction", in: "0.5"},
	{name: "exponent", in: "1e5"},
	{name: "exponent capital signed", in: "-1.5E-7"},
	{name: "exponent plus", in: "2e+10"},
	{name: "big integer", in: "12345678901234567890123"},
	{name: "huge exponent", in: "1e400"},
	{name: "leading zero", in: "01", want: errs.ErrMalformed},
	{name: "leading zeros", in: "[007]", want: errs.ErrMalformed},
	{name: "negative leading zero", in: "-01", want: errs.ErrMalformed},
	{name: "plus sign", in: "+1", want: errs.ErrMalformed},
	{name: "lone minus", in: "-", want: errs.ErrMalformed},
	{name: "minus then letter", in: "-a", want: errs.ErrMalformed},
	{name: "leading dot", in: ".5", want: errs.ErrMalformed},
	{name: "trailing dot", in: "1.", want: errs.ErrMalformed},
	{name: "dot then exponent", in: "1.e5", want: errs.ErrMalformed},
	{name: "empty exponent", in: "1e", want: errs.ErrMalformed},
	{name: "signed empty exponent", in: "1e+", want: errs.ErrMalformed},
	{name: "NaN", in: "NaN", want: errs.ErrMalformed},
	{name: "Infinity", in: "Infinity", want: errs.ErrMalformed},
	{name: "negative Infinity", in: "-Infinity", want: errs.ErrMalformed},
	{name: "hex", in: "0x10", want: errs.ErrMalformed},

	// Strings: escapes and control characters (RFC 8259 §7).
	{name: "all simple escapes", in: `"\"\\\/\b\f\n\r\t"`},
	{name: "unicode escape", in: `"\u00e9\u4E2D"`},
	{name: "escaped NUL", in: `"\u0000"`},
	{name: "surrogate pair", in: `"\ud83d\ude00"`},
	{name: "surrogate pair upper case", in: `"\uD834\uDD1E"`},
	{name: "DEL unescaped", in: "\"\x7f\""},
	{name: "unterminated string", in: `"abc`, want: errs.ErrMalformed},
	{name: "unterminated escape", in: `"\`, want: errs.ErrMalformed},
	{name: "invalid escape", in: `"\x41"`, want: errs.ErrMalformed},
	{name: "escaped single quote", in: `"\'"`, want: errs.ErrMalformed},
	{name: "short unicode escape", in: `"\u12"`, want: errs.ErrMalformed},
	{name: "non-hex unicode escape", in: `"\u12g4"`, want: errs.ErrMalformed},
	{name: "raw NUL", in: "\"a\x00b\"", want: errs.ErrMalformed},
	{name: "raw tab", in: "\"a\tb\"", want: errs.ErrMalformed},
	{name: "raw newline", in: "\"a\nb\"", want: errs.ErrMalformed},
	{name: "raw unit separator", in: "\"\x1f\"", want: errs.ErrMalformed},
	{name: "control character in name", in: "{\"a\x01\":1}", want: errs.ErrMalformed},

	// Surrogates.
	{name: "lone high surrogate", in: `"\ud800"`, want: errs.ErrMalformed},
	{name: "lone low surrogate", in: `"\udc00"`, want: errs.ErrMalformed},
	{name: "high surrogate then letter", in: `"\ud800x"`, want: errs.ErrMalformed},
	{name: "high surrogate then non-surrogate", in: `"\ud800\u0041"`, want: errs.ErrMalformed},
	{name: "two high surrogates", in: `"\ud800\ud800"`, want: errs.ErrMalformed},
	{name: "reversed pair", in: `"\ude00\ud83d"`, want: errs.ErrMalformed},
	{name: "high surrogate then other escape", in: `"\ud800\n"`, want: errs.ErrMalformed},
	{name: "high surrogate at end", in: `"\ud83d`, want: errs.ErrMalformed},
	{name: "lone surrogate in name", in: `{"\udfff":1}`, want: errs.ErrMalformed},

	// UTF-8 (RFC 8259 §8.1).
	{name: "two-byte UTF-8", in: "\"caf\xc3\xa9\""},
	{name: "three-byte UTF-8", in: "\"\xe2\x82\xac\""},
	{name: "four-byte UTF-8", in: "\"\xf0\x9f\x98\x80\""},
	{name: "U+FFFD encoded", in: "\"\xef\xbf\xbd\""},
	{name: "invalid byte", in: "\"\xff\"", want: errs.ErrMalformed},
	{name: "continuation byte alone", in: "\"\x80\"", want: errs.ErrMalformed},
	{name: "overlong slash", in: "\"\xc0\xaf\"", want: errs.ErrMalformed},
	{name: "overlong NUL", in: "\"\xc0\x80\"", want: errs.ErrMalformed},
	{name: "encoded surrogate", in: "\"\xed\xa0\x80\"", want: errs.ErrMalformed},
	{name: "truncated sequence", in: "\"\xe2\x82\"", want: errs.ErrMalformed},
	{name: "truncated at end", in: "\"\xe2\x82", want: errs.ErrMalformed},
	{name: "beyond U+10FFFF", in: "\"\xf4\x90\x80\x80\"", want: errs.ErrMalformed},
	{name: "invalid UTF-8 in name", in: "{\"\xfe\":1}", want: errs.ErrMalformed},
	{name: "invalid UTF-8 outside strings", in: "[1,\xff]", want: errs.ErrMalformed},
	{name: "invalid UTF-8 after value", in: "{}\xc3", want: errs.ErrMalformed},

	// Duplicate member names.
	{name: "duplicate", in: `{"a":1,"a":1}`, want: errs.ErrMalformed},
	{name: "duplicate with other values", in: `{"a":1,"b":2,"a":"x"}`, want: errs.ErrMalformed},
	{name: "duplicate escaped", in: `{"a":1,"\u0061":2}`, want: errs.ErrMalformed},
	{name: "duplicate both escaped", in: `{"\u0041":1,"\u0041":2}`, want: errs.ErrMalformed},
	{name: "duplicate escaped solidus", in: `{"a/b":1,"a\/b":2}`, want: errs.ErrMalformed},
	{name: "duplicate surrogate pair", in: "{\"\xf0\x9f\x98\x80\":1,\"\\ud83d\\ude00\":2}", want: errs.ErrMalformed},
	{name: "duplicate empty name", in: `{"":1,"":2}`, want: errs.ErrMalformed},
	{name: "duplicate nested", in: `{"a":{"b":{"c":1,"c":2}}}`, want: errs.ErrMalformed},
	{name: "duplicate in array element", in: `[{},{"x":1},{"y":1,"y":1}]`, want: errs.ErrMalformed},
	{name: "duplicate in many members", in: manyMembers(40, `,"m`+"xxxx"+`e":2`), want: errs.ErrMalformed},
	{name: "duplicate escaped in many members", in: manyMembers(40, `,"\u006dxxxx\u0065":2`), want: errs.ErrMalformed},
	{name: "many distinct members", in: manyMembers(1000, "")},
	{name: "same name in sibling objects", in: `[{"a":1},{"a":2}]`},
	{name: "same name in parent and child", in: `{"a":{"a":{"a":1}}}`},
	{name: "names differing in case", in: `{"a":1,"A":2}`},
	{name: "names differing in space", in: `{"a":1,"a ":2}`},
	{name: "escaped names differing", in: `{"\u0061":1,"\u0062":2}`},
	{name: "names differing after escape", in: `{"a\n":1,"a\\n":2}`},

	// Depth: arrays and objects count alike; 64 is allowed, 65 is not.
	{name: "arrays depth 64", in: nest("[", "", "]", 64)},
	{name: "arrays depth 65", in: nest("[", "", "]", 65), want: errs.ErrTooDeep},
	{name: "objects depth 64", in: nest(`{"a":`, "{}", "}", 63)},
	{name: "objects depth 65", in: nest(`{"a":`, "{}", "}", 64), want: errs.ErrTooDeep},
	{name: "mixed depth 64", in: nest(`[{"a":`, "1", "}]", 32)},
	{name: "mixed depth 65", in: "[" + nest(`{"a":[`, "1", "]}", 32) + "]", want: errs.ErrTooDeep},
	{name: "depth 64 in one branch only", in: `[[1],` + nest("[", "", "]", 63) + `,{"a":[]}]`},
	{name: "depth limit 1 scalar", in: "1", lim: jsonx.Limits{MaxDepth: 1}},
	{name: "depth limit 1 flat", in: `{"a":1}`, lim: jsonx.Limits{MaxDepth: 1}},
	{name: "depth limit 1 nested", in: `{"a":[]}`, lim: jsonx.Limits{MaxDepth: 1}, want: errs.ErrTooDeep},
	{name: "depth limit raised", in: nest("[", "", "]", 100), lim: jsonx.Limits{MaxDepth: 100}},
	{name: "too deep before malformed", in: strings.Repeat("[", 70) + "x", want: errs.ErrTooDeep},

	// Size, checked before parsing.
	{name: "at size limit", in: `[1,2]`, lim: jsonx.Limits{MaxBytes: 5}},
	{name: "over size limit", in: `[1,2] `, lim: jsonx.Limits{MaxBytes: 5}, want: errs.ErrTooLarge},
	{name: "over size limit and malformed", in: "\xff\xff\xff", lim: jsonx.Limits{MaxBytes: 2}, want: errs.ErrTooLarge},
}

func checkErr(t *testing.T, fn string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: got %v, want nil", fn, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", fn, err, want)
		return
	}
	if want != errs.ErrTooLarge {
		var se *jsonx.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %T, want a *jsonx.SyntaxError", fn, err)
		}
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := jsonx.Decode([]byte(tc.in), tc.lim)
			checkErr(t, "Decode", err, tc.want)
			if err != nil && v != nil {
				t.Errorf("Decode: got %v with an error, want nil", v)
			}
			checkErr(t, "Validate", jsonx.Validate([]byte(tc.in), tc.lim), tc.want)
			var u any
			checkErr(t, "Unmarshal", jsonx.Unmarshal([]byte(tc.in), &u, tc.lim), tc.want)
		})
	}
}

// TestDifferential checks that whatever is accepted, encoding/json accepts too and decodes
// to the same value.
func TestDifferential(t *testing.T) {
	cred, err := os.ReadFile("testdata/credential.json")
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{string(cred)}
	for _, tc := range cases {
		if tc.want == nil {
			inputs = append(inputs, tc.in)
		}
	}
	inputs = append(inputs,
		`{"a":[1,-2.5e-3,"x",{"y":[]}],"b":{},"c":null,"d":true,"e":false}`,
		`"\u00e9\u20ac\ud83d\ude00 \\ \" \/ \b\f\n\r\t end"`,
		`{"\u00e9":"é","e\u0301":"é"}`,
		`[0,-0,0.0,-0.0,1E1,1e-1,1E+1,100000000000000000000000000000001]`,
		`{"nested":{"arrays":[[[[]]],[[]],[]]}}`,
		"[\"\xe4\xb8\xad\xe6\x96\x87\",\"\xf0\x90\x80\x80\",\"\xf4\x8f\xbf\xbf\"]",
		`{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}`,
	)
	for _, in := range inputs {
		got, err := jsonx.Decode([]byte(in), jsonx.Limits{MaxDepth: 200})
		if err != nil {
			t.Errorf("Decode(%.40q): %v", in, err)
			continue
		}
		want, err := stdDecode([]byte(in))
		if err != nil {
			t.Errorf("encoding/json rejects %.40q: %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Decode(%.40q) = %#v, encoding/json gives %#v", in, got, want)
		}
	}
}

// stdDecode decodes data with encoding/json, numbers as json.Number.
func stdDecode(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err == nil {
		return nil, errors.New("data after value")
	}
	return v, nil
}

func TestDecodeValues(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{`12345678901234567890123`, json.Number("12345678901234567890123")},
		{`1e400`, json.Number("1e400")},
		{`-0.000000000000000000000000000001`, json.Number("-0.000000000000000000000000000001")},
		{`[1.50, 2E-0]`, []any{json.Number("1.50"), json.Number("2E-0")}},
		{`"a\u0062\n\ud83d\ude00"`, "ab\n\U0001F600"},
		{`"\u0000"`, "\x00"},
		{`{"\u0061":"\/"}`, map[string]any{"a": "/"}},
		{`[]`, []any{}},
		{`{}`, map[string]any{}},
		{`[null,true,false]`, []any{nil, true, false}},
		{`{"a":{"b":[{}]}}`, map[string]any{"a": map[string]any{"b": []any{map[string]any{}}}}},
	}
	for _, tc := range tests {
		got, err := jsonx.Decode([]byte(tc.in), jsonx.Limits{})
		if err != nil {
			t.Errorf("Decode(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Decode(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestSyntaxErrorOffset(t *testing.T) {
	tests := []struct {
		in   string
		off  int64
		want error
	}{
		{`{"a":1,"a":2}`, 7, errs.ErrMalformed},
		{`{"a":1,"b":{"c":0,"\u0063":1}}`, 18, errs.ErrMalformed},
		{`[1,2,x]`, 5, errs.ErrMalformed},
		{"\"ab\xff\"", 3, errs.ErrMalformed},
		{`{} 1`, 3, errs.ErrMalformed},
		{nest("[", "", "]", 65), 64, errs.ErrTooDeep},
	}
	for _, tc := range tests {
		for fn, err := range map[string]error{
			"Decode":   second(jsonx.Decode([]byte(tc.in), jsonx.Limits{})),
			"Validate": jsonx.Validate([]byte(tc.in), jsonx.Limits{}),
		} {
			var se *jsonx.SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%s(%q): got %v, want a *SyntaxError", fn, tc.in, err)
				continue
			}
			if se.Offset != tc.off || !errors.Is(err, tc.want) {
				t.Errorf("%s(%q): got offset %d, %v; want offset %d, %v", fn, tc.in, se.Offset, err, tc.off, tc.want)
			}
		}
	}
}

func second(_ any, err error) error { return err }

func TestDefaultSizeLimit(t *testing.T) {
	exact := append(bytes.Repeat([]byte(" "), jsonx.DefaultMaxBytes-1), '1')
	if _, err := jsonx.Decode(exact, jsonx.Limits{}); err != nil {
		t.Errorf("Decode of %d bytes: %v", len(exact), err)
	}
	over := append(exact, ' ')
	if _, err := jsonx.Decode(over, jsonx.Limits{}); !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("Decode of %d bytes: got %v, want %v", len(over), err, errs.ErrTooLarge)
	}
	if err := jsonx.Validate(over, jsonx.Limits{}); !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("Validate of %d bytes: got %v, want %v", len(over), err, errs.ErrTooLarge)
	}
	if _, err := jsonx.Decode(over, jsonx.Limits{MaxBytes: len(over)}); err != nil {
		t.Errorf("Decode with raised limit: %v", err)
	}
}

// TestDeepNesting checks that the depth limit stops hostile nesting at once, and that a
// raised limit does not overflow the stack.
func TestDeepNesting(t *testing.T) {
	const n = 100_000
	for _, in := range []string{
		strings.Repeat("[", n),
		strings.Repeat(`{"a":`, n),
		strings.Repeat(`[{"a":`, n/2),
	} {
		_, err := jsonx.Decode([]byte(in), jsonx.Limits{})
		var se *jsonx.SyntaxError
		if !errors.Is(err, errs.ErrTooDeep) || !errors.As(err, &se) || se.Offset > 64*6 {
			t.Errorf("Decode(%.10q...): got %v, want %v within the first 65 levels", in, err, errs.ErrTooDeep)
		}
		if err := jsonx.Validate([]byte(in), jsonx.Limits{}); !errors.Is(err, errs.ErrTooDeep) {
			t.Errorf("Validate(%.10q...): got %v, want %v", in, err, errs.ErrTooDeep)
		}
	}
	deep := []byte(nest("[", "", "]", n))
	lim := jsonx.Limits{MaxDepth: n}
	if _, err := jsonx.Decode(deep, lim); err != nil {
		t.Errorf("Decode of depth %d with limit %d: %v", n, n, err)
	}
	if err := jsonx.Validate(deep, lim); err != nil {
		t.Errorf("Validate of depth %d with limit %d: %v", n, n, err)
	}
	if _, err := jsonx.Decode(deep, jsonx.Limits{MaxDepth: n - 1}); !errors.Is(err, errs.ErrTooDeep) {
		t.Errorf("Decode of depth %d with limit %d: got %v, want %v", n, n-1, err, errs.ErrTooDeep)
	}
}

func TestUnmarshal(t *testing.T) {
	type subject struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type credential struct {
		Type    []string `json:"type"`
		Subject subject  `json:"credentialSubject"`
		Extra   any      `json:"extra"`
	}
	const good = `{"type":["VerifiableCredential"],"credentialSubject":{"id":"did:example:1","name":"Ada"},"extra":2}`
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"typed", good, nil},
		{"duplicate", `{"type":[],"type":["X"]}`, errs.ErrMalformed},
		{"duplicate nested", `{"credentialSubject":{"id":"a","id":"b"}}`, errs.ErrMalformed},
		{"trailing data", good + `{}`, errs.ErrMalformed},
		{"type mismatch", `{"type":"VerifiableCredential"}`, errs.ErrMalformed},
		{"too deep", `{"extra":` + nest("[", "", "]", 64) + `}`, errs.ErrTooDeep},
		{"bad UTF-8", "{\"credentialSubject\":{\"name\":\"\xff\"}}", errs.ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c credential
			err := jsonx.Unmarshal([]byte(tc.in), &c, jsonx.Limits{})
			checkErrIs(t, err, tc.want)
		})
	}

	var c credential
	if err := jsonx.Unmarshal([]byte(good), &c, jsonx.Limits{}); err != nil {
		t.Fatal(err)
	}
	want := credential{Type: []string{"VerifiableCredential"}, Subject: subject{"did:example:1", "Ada"}, Extra: 2.0}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Unmarshal = %+v, want %+v", c, want)
	}

	var ute *json.UnmarshalTypeError
	if err := jsonx.Unmarshal([]byte(`{"type":1}`), &c, jsonx.Limits{}); !errors.As(err, &ute) {
		t.Errorf("Unmarshal type mismatch: got %v, want a *json.UnmarshalTypeError", err)
	}
	if err := jsonx.Unmarshal([]byte(`{}`), nil, jsonx.Limits{}); !errors.Is(err, errs.ErrMalformed) {
		t.Errorf("Unmarshal into nil: got %v, want %v", err, errs.ErrMalformed)
	}

	var v any
	if err := jsonx.Unmarshal([]byte(`{"n":1e400}`), &v, jsonx.Limits{}); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"n": json.Number("1e400")}; !reflect.DeepEqual(v, want) {
		t.Errorf("Unmarshal into any = %#v, want %#v", v, want)
	}
}

func checkErrIs(t *testing.T, err, want error) {
	t.Helper()
	if (want == nil) != (err == nil) || !errors.Is(err, want) {
		t.Errorf("got %v, want %v", err, want)
	}
}

func TestUnmarshalLeavesTargetOnError(t *testing.T) {
	type T struct {
		A string `json:"a"`
		B int    `json:"b"`
	}
	v := T{A: "keep", B: 7}
	if err := jsonx.Unmarshal([]byte(`{"a":"new","b":"not a number"}`), &v, jsonx.Limits{}); !errors.Is(err, errs.ErrMalformed) {
		t.Fatalf("got %v", err)
	}
	if v.A != "keep" || v.B != 7 {
		t.Fatalf("target changed on error: %+v", v)
	}
	if err := jsonx.Unmarshal([]byte(`{"a":"new","b":1}`), &v, jsonx.Limits{}); err != nil || v.A != "new" || v.B != 1 {
		t.Fatalf("got %+v, %v", v, err)
	}
	if err := jsonx.Unmarshal([]byte(`{}`), v, jsonx.Limits{}); !errors.Is(err, errs.ErrMalformed) {
		t.Fatalf("non-pointer target: %v", err)
	}
}
