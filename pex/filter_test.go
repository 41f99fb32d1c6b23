package pex

import (
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Filters of the shapes compiled to direct checks, and values to try them on.
var (
	compiledFilters = []string{
		`{}`,
		`{"type": "string"}`,
		`{"type": "number"}`,
		`{"type": "integer"}`,
		`{"type": "boolean"}`,
		`{"type": "null"}`,
		`{"type": "object"}`,
		`{"type": "array"}`,
		`{"type": ["string", "number"]}`,
		`{"const": true}`,
		`{"const": 18}`,
		`{"const": "Passport"}`,
		`{"const": null}`,
		`{"const": 1.50}`,
		`{"enum": ["a", "b", 3, true, null]}`,
		`{"type": "string", "pattern": "^did:example:"}`,
		`{"pattern": "[0-9]{4}"}`,
		`{"type": "string", "minLength": 2, "maxLength": 4}`,
		`{"type": "number", "minimum": 18}`,
		`{"type": "integer", "maximum": 65}`,
		`{"exclusiveMinimum": 0, "exclusiveMaximum": 1}`,
		`{"minimum": 0.1}`,
		`{"maximum": 1e3}`,
		`{"type": "string", "format": "date"}`,
		`{"format": "date"}`,
		`{"type": "array", "contains": {"const": "Passport"}}`,
		`{"type": "array", "items": {"type": "string", "minLength": 2}}`,
		`{"contains": {"type": "number", "minimum": 10}}`,
		`{"$schema": "http://json-schema.org/draft-07/schema#", "type": "string", "title": "t", "description": "d"}`,
	}
	libraryFilters = []string{
		`{"type": "string", "format": "email"}`,
		`{"type": "string", "format": "date-time"}`,
		`{"not": {"const": 1}}`,
		`{"anyOf": [{"type": "string"}, {"minimum": 3}]}`,
		`{"type": "object", "properties": {"a": {"const": 1}}, "required": ["a"]}`,
		`{"const": {"a": 1}}`,
		`{"enum": [[1]]}`,
		`{"$ref": "#/definitions/s", "definitions": {"s": {"type": "string"}}}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}`,
		`{"type": "string", "formatMaximum": "2000-01-01"}`,
		`{"multipleOf": 2}`,
	}
	filterValues = []string{
		`null`, `true`, `false`, `0`, `1`, `1.0`, `1.5`, `1.50`, `0.1`, `0.10000000000000000001`, `-1`,
		`17`, `18`, `18.0`, `18.000000000000000001`, `65`, `65.5`, `1000`, `1e3`, `1000.0000000000001`,
		`10`, `9.999`, `12345678901234567890`, `-0`, `1E1000001`, `-1e400`,
		`""`, `"a"`, `"b"`, `"ab"`, `"abcd"`, `"abcde"`, `"ñé"`, `"Passport"`, `"did:example:123"`, `"x did:example:"`,
		`"2020-01-01"`, `"2020-02-30"`, `"2020-1-1"`, `"1999"`, `"2024-05-17T10:00:00Z"`, `"2024-05-17T10:00:00+02:00"`, `"2024-05-17 10:00:00"`, `"2024-05-17t10:00:00z"`, `"2016-12-31T23:59:60Z"`, `"2024-05-17T10:00:00.123Z"`, `"2024-05-17T24:00:00Z"`,
		`[]`, `["Passport"]`, `["VerifiableCredential", "Passport"]`, `["a", "bb"]`, `["bb", "cc"]`, `[1, 20]`, `[1, 2]`, `[[1]]`,
		`{}`, `{"a": 1}`, `{"a": 2}`,
	}
)

func decode(t testing.TB, s string) any {
	t.Helper()
	v, err := jsonx.Decode([]byte(s), jsonx.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// TestCompiledFilterDifferential checks that every compiled filter gives the JSON Schema
// library's verdict on every value, and that the shapes outside the subset are left to
// the library.
func TestCompiledFilterDifferential(t *testing.T) {
	verdicts := 0
	for _, fs := range compiledFilters {
		filter := decode(t, fs).(map[string]any)
		c := compileCheck(filter)
		if c == nil {
			t.Errorf("%s: not compiled", fs)
			continue
		}
		schema, err := compileFilter(filter)
		if err != nil {
			t.Fatalf("%s: %v", fs, err)
		}
		for _, vs := range filterValues {
			v := decode(t, vs)
			if got, want := c(v), schemaValid(schema, v); got != want {
				t.Errorf("filter %s, value %s: compiled %v, library %v", fs, vs, got, want)
			}
			verdicts++
		}
	}
	for _, fs := range libraryFilters {
		if compileCheck(decode(t, fs).(map[string]any)) != nil {
			t.Errorf("%s: compiled, want the library", fs)
		}
	}
	t.Logf("%d filters x %d values: %d verdicts agree", len(compiledFilters), len(filterValues), verdicts)
}

// FuzzCompiledFilter checks, for any filter the compiler takes and any value, that the
// compiled check agrees with the JSON Schema library.
func FuzzCompiledFilter(f *testing.F) {
	for i, fs := range compiledFilters {
		f.Add([]byte(fs), []byte(filterValues[i%len(filterValues)]))
	}
	f.Fuzz(func(t *testing.T, filterData, valueData []byte) {
		fv, err := jsonx.Decode(filterData, jsonx.Limits{MaxBytes: 4096, MaxDepth: 8})
		if err != nil {
			return
		}
		filter, ok := fv.(map[string]any)
		if !ok {
			return
		}
		v, err := jsonx.Decode(valueData, jsonx.Limits{MaxBytes: 4096, MaxDepth: 8})
		if err != nil {
			return
		}
		schema, err := compileFilter(filter)
		if err != nil {
			return
		}
		c := compileCheck(filter)
		if c == nil {
			return
		}
		if got, want := c(v), schemaValid(schema, v); got != want {
			t.Fatalf("filter %s, value %s: compiled %v, library %v", filterData, valueData, got, want)
		}
	})
}
