package jsonx_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
)

func credential(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/credential.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	return data
}

func BenchmarkDecode(b *testing.B) {
	data := credential(b)
	for b.Loop() {
		if _, err := jsonx.Decode(data, jsonx.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	data := credential(b)
	for b.Loop() {
		if err := jsonx.Validate(data, jsonx.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStdUnmarshal is the baseline: encoding/json into any.
func BenchmarkStdUnmarshal(b *testing.B) {
	data := credential(b)
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
