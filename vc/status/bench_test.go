package status

import (
	"testing"
	"time"
)

func benchFixture(b *testing.B) (*Checker, *mapFetcher) {
	b.Helper()
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	for i := 0; i < MinBitstringEntries; i += 97 {
		l.Set(i, 1)
	}
	f := &mapFetcher{}
	f.set(listURL, listCred(b, l, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}, TTL: time.Hour}))
	now := testNow
	c, err := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough, Clock: func() time.Time { return now }, MaxTTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	return c, f
}

// BenchmarkCheckBitstringCached: one status lookup in a cached 131,072-entry list.
func BenchmarkCheckBitstringCached(b *testing.B) {
	c, _ := benchFixture(b)
	entries := []BitstringEntry{revocation(98)}
	if _, err := c.CheckBitstring(b.Context(), entries, testIssuer); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CheckBitstring(b.Context(), entries, testIssuer); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBitstringGet: the raw lookup, without the checker.
func BenchmarkBitstringGet(b *testing.B) {
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := l.Get(i); err != nil {
			b.Fatal(err)
		}
		i = (i + 7919) % MinBitstringEntries
	}
}

// BenchmarkDecodeBitstring: decode a 131,072-entry encodedList with about 1% of bits set.
func BenchmarkDecodeBitstring(b *testing.B) {
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	for i := 0; i < MinBitstringEntries; i += 97 {
		l.Set(i, 1)
	}
	enc, _ := l.Encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBitstringList(enc, DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeTokenList: decode a 2^20-entry, 1-bit lst with about 1% of entries set.
func BenchmarkDecodeTokenList(b *testing.B) {
	l, _ := NewTokenList(1<<20, 1)
	for i := 0; i < 1<<20; i += 97 {
		l.Set(i, TokenInvalid)
	}
	lst, _ := l.Encode()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeTokenList(lst, 1, DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBatch10000: 10,000 checks against one list, from a cold cache (a new Checker
// per iteration); fetches/op must stay 1.
func BenchmarkBatch10000(b *testing.B) {
	_, f0 := benchFixture(b)
	doc := f0.bodies[listURL]
	entries := make([][]BitstringEntry, 10000)
	for i := range entries {
		entries[i] = []BitstringEntry{revocation(i*13 + 1)}
	}
	b.ReportAllocs()
	var fetches, runs int64
	for b.Loop() {
		f := &mapFetcher{}
		f.set(listURL, doc)
		c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough, Clock: func() time.Time { return testNow }})
		for _, e := range entries {
			_, err := c.CheckBitstring(b.Context(), e, testIssuer)
			if err != nil && e[0].Index%97 != 0 {
				b.Fatal(err)
			}
		}
		fetches += f.n.Load()
		runs++
	}
	b.ReportMetric(float64(fetches)/float64(runs), "fetches/op")
}
