package status

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

const (
	testIssuer = "did:example:12345"
	listURL    = "https://example.com/credentials/status/3"
)

// bitstringFixture publishes one revocation list with index 7 revoked and one suspension
// list with index 9 suspended, and a message list with statusSize 2.
type bitstringFixture struct {
	f   *mapFetcher
	now time.Time
	c   *Checker
}

func newBitstringFixture(t *testing.T) *bitstringFixture {
	t.Helper()
	fx := &bitstringFixture{f: &mapFetcher{}, now: testNow}
	rev, _ := NewBitstringList(MinBitstringEntries, 1)
	rev.Set(7, 1)
	fx.f.set(listURL, listCred(t, rev, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}, ValidFrom: testNow.Add(-time.Hour), ValidUntil: testNow.Add(24 * time.Hour)}))
	sus, _ := NewBitstringList(MinBitstringEntries, 1)
	sus.Set(9, 1)
	fx.f.set("https://example.com/status/4", listCred(t, sus, BitstringCredentialOptions{ID: "https://example.com/status/4", Issuer: testIssuer, Purpose: []string{PurposeSuspension}}))
	msg, _ := NewBitstringList(MinBitstringEntries, 2)
	msg.Set(5, 2)
	fx.f.set("https://example.com/status/8", listCred(t, msg, BitstringCredentialOptions{ID: "https://example.com/status/8", Issuer: testIssuer, Purpose: []string{PurposeMessage}}))
	fx.c = newTestChecker(t, fx.f, &fx.now)
	return fx
}

func revocation(i int) BitstringEntry {
	return BitstringEntry{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: i, ListCredential: listURL}
}

func TestCheckBitstring(t *testing.T) {
	t.Parallel()
	msgs := []StatusMessage{{"0x0", "pending_review"}, {"0x1", "accepted"}, {"0x2", "rejected"}, {"0x3", "other"}}
	tests := []struct {
		name    string
		entries []BitstringEntry
		issuer  string
		want    error
	}{
		{"not revoked", []BitstringEntry{revocation(6)}, testIssuer, nil},
		{"revoked", []BitstringEntry{revocation(7)}, testIssuer, ErrRevoked},
		{"suspended", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeSuspension, Index: 9, ListCredential: "https://example.com/status/4"}}, testIssuer, ErrSuspended},
		{"revoked wins over suspended", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeSuspension, Index: 9, ListCredential: "https://example.com/status/4"}, revocation(7)}, testIssuer, ErrRevoked},
		{"revoked wins over a failure", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: 1, ListCredential: "https://example.com/none"}, revocation(7)}, testIssuer, ErrRevoked},
		{"message", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeMessage, Index: 5, StatusSize: 2, Messages: msgs, ListCredential: "https://example.com/status/8"}}, testIssuer, nil},
		{"wrong purpose", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeSuspension, Index: 7, ListCredential: listURL}}, testIssuer, ErrStatusVerification},
		{"list of another issuer", []BitstringEntry{revocation(6)}, "did:example:other", ErrIssuerMismatch},
		{"list of another issuer is a verification error", []BitstringEntry{revocation(6)}, "did:example:other", ErrStatusVerification},
		{"index past the end", []BitstringEntry{revocation(MinBitstringEntries)}, testIssuer, ErrStatusRange},
		{"negative index", []BitstringEntry{revocation(-1)}, testIssuer, ErrStatusIndex},
		{"statusSize 2 on a 1-bit list of minimum length", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: 1, StatusSize: 2, Messages: msgs, ListCredential: listURL}}, testIssuer, ErrStatusListLength},
		{"unreachable list", []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: 1, ListCredential: "https://example.com/none"}}, testIssuer, ErrStatusRetrieval},
		{"no entries", nil, testIssuer, ErrInvalidOptions},
		{"no issuer", []BitstringEntry{revocation(6)}, "", ErrInvalidOptions},
		{"StatusList2021 entry against a Bitstring list", []BitstringEntry{{Type: EntryType2021, Purpose: PurposeRevocation, Index: 1, ListCredential: listURL}}, testIssuer, ErrStatusVerification},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fx := newBitstringFixture(t)
			res, err := fx.c.CheckBitstring(t.Context(), tt.entries, tt.issuer)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if (err == nil) == (res == nil) {
				t.Fatalf("result %v with error %v", res, err)
			}
		})
	}
}

func TestCheckBitstringMessage(t *testing.T) {
	t.Parallel()
	fx := newBitstringFixture(t)
	msgs := []StatusMessage{{"0x0", "pending_review"}, {"0x1", "accepted"}, {"0x2", "rejected"}, {"0x3", "other"}}
	res, err := fx.c.CheckBitstring(t.Context(), []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeMessage, Index: 5, StatusSize: 2, Messages: msgs, ListCredential: "https://example.com/status/8"}}, testIssuer)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Entries[0]; got.Value != 2 || got.Message != "rejected" {
		t.Errorf("got %+v, want value 2, message rejected", got)
	}
}

func TestCheckBitstringListValidity(t *testing.T) {
	t.Parallel()
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	base := listCred(t, l, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}, ValidFrom: testNow.Add(-time.Hour), ValidUntil: testNow.Add(time.Hour)})
	tests := []struct {
		name   string
		doc    []byte
		at     time.Time
		verify VerifyFunc
		want   error
	}{
		{"valid", base, testNow, nil, nil},
		{"expired list", base, testNow.Add(2 * time.Hour), nil, ErrExpired},
		{"expired list is a verification error", base, testNow.Add(2 * time.Hour), nil, ErrStatusVerification},
		{"list not yet valid", base, testNow.Add(-2 * time.Hour), nil, ErrNotYetValid},
		{"signature refused", base, testNow, failVerify, ErrStatusVerification},
		{"id is another URL", edit(t, base, func(m map[string]any) { m["id"] = "https://example.com/other" }), testNow, nil, ErrStatusVerification},
		{"issuer object", edit(t, base, func(m map[string]any) { m["issuer"] = map[string]any{"id": testIssuer, "name": "x"} }), testNow, nil, nil},
		{"not a BitstringStatusListCredential", edit(t, base, func(m map[string]any) { m["type"] = []any{"VerifiableCredential"} }), testNow, nil, ErrStatusVerification},
		{"subject not a BitstringStatusList", edit(t, base, func(m map[string]any) { m["credentialSubject"].(map[string]any)["type"] = "StatusList2021" }), testNow, nil, ErrStatusVerification},
		{"list shorter than the minimum", edit(t, base, func(m map[string]any) {
			m["credentialSubject"].(map[string]any)["encodedList"] = "u" + b64(gzipped(t, make([]byte, 1024)))
		}), testNow, nil, ErrStatusListLength},
		{"gzip bomb", edit(t, base, func(m map[string]any) {
			m["credentialSubject"].(map[string]any)["encodedList"] = "u" + b64(gzipBomb())
		}), testNow, nil, ErrTooLarge},
		{"malformed document", []byte(`{"type":`), testNow, nil, ErrMalformed},
		{"purpose array", edit(t, base, func(m map[string]any) {
			m["credentialSubject"].(map[string]any)["statusPurpose"] = []any{"suspension", "revocation"}
		}), testNow, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &mapFetcher{}
			f.set(listURL, tt.doc)
			now := tt.at
			v := tt.verify
			if v == nil {
				v = passThrough
			}
			c, err := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: v, Clock: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CheckBitstring(t.Context(), []BitstringEntry{revocation(3)}, testIssuer)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckerWithoutFetcherOrVerifier(t *testing.T) {
	t.Parallel()
	c, err := NewChecker(CheckerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{revocation(1)}, testIssuer); !errors.Is(err, ErrStatusRetrieval) {
		t.Errorf("no fetcher: got %v, want %v", err, ErrStatusRetrieval)
	}
	if _, err := c.CheckToken(t.Context(), TokenReference{Index: 1, URI: tokenURL}, testIssuer); !errors.Is(err, ErrStatusRetrieval) {
		t.Errorf("no fetcher: got %v, want %v", err, ErrStatusRetrieval)
	}
	c, _ = NewChecker(CheckerOptions{Fetch: &mapFetcher{}})
	if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{revocation(1)}, testIssuer); !errors.Is(err, ErrStatusVerification) {
		t.Errorf("no verifier: got %v, want %v", err, ErrStatusVerification)
	}
	if _, err := c.CheckToken(t.Context(), TokenReference{Index: 1, URI: tokenURL}, testIssuer); !errors.Is(err, ErrStatusVerification) {
		t.Errorf("no verifier: got %v, want %v", err, ErrStatusVerification)
	}
	if _, err := NewChecker(CheckerOptions{MaxTTL: -1}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("negative MaxTTL: got %v, want %v", err, ErrInvalidOptions)
	}
}

// TestBatchFetchesOnce: 10,000 checks against one list fetch it once.
func TestBatchFetchesOnce(t *testing.T) {
	t.Parallel()
	fx := newBitstringFixture(t)
	for i := range 10000 {
		_, err := fx.c.CheckBitstring(t.Context(), []BitstringEntry{revocation(i + 100)}, testIssuer)
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fx.f.n.Load(); n != 1 {
		t.Errorf("10,000 checks made %d fetches, want 1", n)
	}
	t.Logf("10,000 checks against one list: %d fetch", fx.f.n.Load())
}

func TestConcurrentChecksFetchOnce(t *testing.T) {
	t.Parallel()
	fx := newBitstringFixture(t)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			_, err := fx.c.CheckBitstring(context.Background(), []BitstringEntry{revocation(i + 100)}, testIssuer)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := fx.f.n.Load(); n != 1 {
		t.Errorf("64 concurrent checks made %d fetches, want 1", n)
	}
}

func TestCacheExpiry(t *testing.T) {
	t.Parallel()
	f := &mapFetcher{}
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	f.set(listURL, listCred(t, l, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}, TTL: time.Minute}))
	now := testNow
	c := newTestChecker(t, f, &now)
	check := func(want error) {
		t.Helper()
		if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{revocation(3)}, testIssuer); !errors.Is(err, want) {
			t.Fatalf("got %v, want %v", err, want)
		}
	}
	check(nil)
	now = now.Add(59 * time.Second)
	check(nil)
	if n := f.n.Load(); n != 1 {
		t.Fatalf("within ttl: %d fetches, want 1", n)
	}
	// The issuer revokes index 3; once the ttl has passed the checker sees it.
	l.Set(3, 1)
	f.set(listURL, listCred(t, l, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}, TTL: time.Minute}))
	now = now.Add(2 * time.Second)
	check(ErrRevoked)
	if n := f.n.Load(); n != 2 {
		t.Fatalf("after ttl: %d fetches, want 2", n)
	}
}

func TestCacheBounded(t *testing.T) {
	t.Parallel()
	f := &mapFetcher{}
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	urls := []string{"https://e.com/1", "https://e.com/2", "https://e.com/3"}
	for _, u := range urls {
		f.set(u, listCred(t, l, BitstringCredentialOptions{ID: u, Issuer: testIssuer, Purpose: []string{PurposeRevocation}}))
	}
	c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough, CacheSize: 2, Clock: func() time.Time { return testNow }})
	for _, u := range append(urls, urls[0]) {
		if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{{Type: EntryTypeBitstring, Purpose: PurposeRevocation, Index: 1, ListCredential: u}}, testIssuer); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.n.Load(); n != 4 {
		t.Errorf("%d fetches, want 4 (the first list was evicted)", n)
	}
	if c.cache.ll.Len() != 2 {
		t.Errorf("cache holds %d lists, want 2", c.cache.ll.Len())
	}
}

func TestStatusList2021(t *testing.T) {
	t.Parallel()
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	l.Set(11, 1)
	enc, _ := l.Encode()
	doc := []byte(`{"@context":["https://www.w3.org/2018/credentials/v1","https://w3id.org/vc/status-list/2021/v1"],
	"id":"https://example.com/status/2021","type":["VerifiableCredential","StatusList2021Credential"],
	"issuer":"did:example:12345","issuanceDate":"2021-04-05T14:27:40Z","expirationDate":"2030-01-01T00:00:00Z",
	"credentialSubject":{"id":"https://example.com/status/2021#list","type":"StatusList2021","statusPurpose":"revocation","encodedList":"` + enc[1:] + `"}}`)
	f := &mapFetcher{}
	f.set("https://example.com/status/2021", doc)
	now := testNow
	c := newTestChecker(t, f, &now)
	e := BitstringEntry{Type: EntryType2021, Purpose: PurposeRevocation, Index: 11, ListCredential: "https://example.com/status/2021"}
	if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{e}, testIssuer); !errors.Is(err, ErrRevoked) {
		t.Errorf("got %v, want %v", err, ErrRevoked)
	}
	e.Index = 12
	if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{e}, testIssuer); err != nil {
		t.Errorf("got %v, want nil", err)
	}
	e.Purpose = PurposeMessage
	if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{e}, testIssuer); !errors.Is(err, ErrMalformed) {
		t.Errorf("2021 message purpose: got %v, want %v", err, ErrMalformed)
	}
}

func TestCacheTTLZeroAndByteBudget(t *testing.T) {
	t.Parallel()
	l, _ := NewBitstringList(MinBitstringEntries, 1)
	doc := listCred(t, l, BitstringCredentialOptions{ID: listURL, Issuer: testIssuer, Purpose: []string{PurposeRevocation}})
	zeroTTL := edit(t, doc, func(m map[string]any) { m["credentialSubject"].(map[string]any)["ttl"] = 0 })
	for _, tt := range []struct {
		name       string
		doc        []byte
		cacheBytes int
		want       int64
	}{
		{"ttl 0 is fetched every time", zeroTTL, 0, 3},
		{"a list over the byte budget is not kept", doc, 16383, 3},
		{"a list within the byte budget is kept", doc, 16384, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &mapFetcher{}
			f.set(listURL, tt.doc)
			c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyBitstring: passThrough, CacheBytes: tt.cacheBytes, Clock: func() time.Time { return testNow }})
			for range 3 {
				if _, err := c.CheckBitstring(t.Context(), []BitstringEntry{revocation(1)}, testIssuer); err != nil {
					t.Fatal(err)
				}
			}
			if n := f.n.Load(); n != tt.want {
				t.Errorf("%d fetches, want %d", n, tt.want)
			}
		})
	}
}
