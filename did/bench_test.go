package did

import (
	"context"
	"testing"
)

func BenchmarkParseURL(b *testing.B) {
	const s = "did:web:example.com%3A8443:user:alice/path?service=agent&relativeRef=%2Fcredentials#key-1"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseURL(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDocument(b *testing.B) {
	data := readTestdata(b, "valid-basic.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDocument(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalDocument(b *testing.B) {
	doc := mustParseDocument(b, "valid-basic.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerificationMethodFor(b *testing.B) {
	doc := mustParseDocument(b, "valid-basic.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.VerificationMethodFor("#key-2", AssertionMethod); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	reg, _ := testRegistry(b)
	c := NewCache(reg, CacheOptions{})
	ctx := context.Background()
	if _, err := c.Resolve(ctx, exampleDID); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Resolve(ctx, exampleDID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDereference(b *testing.B) {
	reg, _ := testRegistry(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Dereference(ctx, exampleDID+"#key-2", AssertionMethod); err != nil {
			b.Fatal(err)
		}
	}
}
