package status

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

const tokenURL = "https://example.com/statuslists/1"

func zlibbed(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestTokenListBitOrder(t *testing.T) {
	t.Parallel()
	// draft §4.1: entry 0 is in the least significant bits of byte 0.
	l, _ := NewTokenList(16, 1)
	for _, i := range []int{0, 3, 4, 5, 7, 8, 9, 13, 15} {
		l.Set(i, 1)
	}
	if l.lst[0] != 0xb9 || l.lst[1] != 0xa3 {
		t.Errorf("bytes %#x %#x, want 0xb9 0xa3", l.lst[0], l.lst[1])
	}
	l2, _ := NewTokenList(12, 2)
	for i, v := range []TokenStatus{1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3} {
		l2.Set(i, v)
	}
	if !bytes.Equal(l2.lst, []byte{0xc9, 0x44, 0xf9}) {
		t.Errorf("2-bit bytes %#x, want c944f9", l2.lst)
	}
	if err := l2.Set(0, 4); !errors.Is(err, ErrStatusRange) {
		t.Errorf("Set 4 in 2 bits: %v, want %v", err, ErrStatusRange)
	}
	if _, err := l2.Get(12); !errors.Is(err, ErrStatusRange) {
		t.Errorf("Get past end: %v, want %v", err, ErrStatusRange)
	}
	if _, err := NewTokenList(8, 3); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("bits 3: %v, want %v", err, ErrInvalidOptions)
	}
}

func TestDecodeTokenListAttacks(t *testing.T) {
	t.Parallel()
	ok := zlibbed(t, []byte{0xb9, 0xa3})
	bomb := zlibBomb()
	tests := []struct {
		name string
		lst  string
		bits int
		want error
	}{
		{"ok", b64(ok), 1, nil},
		{"zlib bomb", b64(bomb), 1, ErrTooLarge},
		{"bits 3", b64(ok), 3, ErrMalformed},
		{"padding", b64(ok) + "=", 1, ErrMalformed},
		{"gzip instead of zlib", b64(gzipped(t, []byte{1})), 1, ErrMalformed},
		{"raw deflate", b64(ok[2 : len(ok)-4]), 1, ErrMalformed},
		{"bad checksum", b64(append(append([]byte{}, ok[:len(ok)-1]...), ok[len(ok)-1]^1)), 1, ErrMalformed},
		{"trailing data", b64(append(append([]byte{}, ok...), 0)), 1, ErrMalformed},
		{"empty list", b64(zlibbed(t, nil)), 1, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeTokenList(tt.lst, tt.bits, DecodeOptions{}); !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseTokenReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want error
	}{
		{`{"status_list":{"idx":0,"uri":"https://example.com/statuslists/1"}}`, nil},
		{`{"status_list":{"idx":1048575,"uri":"https://example.com/statuslists/1"},"other":{}}`, nil},
		{`{"status_list":{"idx":-1,"uri":"https://example.com/s"}}`, ErrStatusIndex},
		{`{"status_list":{"idx":1.5,"uri":"https://example.com/s"}}`, ErrStatusIndex},
		{`{"status_list":{"idx":1e3,"uri":"https://example.com/s"}}`, ErrStatusIndex},
		{`{"status_list":{"idx":"1","uri":"https://example.com/s"}}`, ErrStatusIndex},
		{`{"status_list":{"uri":"https://example.com/s"}}`, ErrStatusIndex},
		{`{"status_list":{"idx":99999999999999999999,"uri":"https://example.com/s"}}`, ErrStatusRange},
		{`{"status_list":{"idx":1}}`, ErrMalformed},
		{`{"status_list":{"idx":1,"uri":"statuslists/1"}}`, ErrMalformed},
		{`{"status_list":[]}`, ErrMalformed},
		{`{"other":{}}`, ErrUnsupportedFormat},
		{`{"status_list":{"idx":1,"idx":2,"uri":"https://example.com/s"}}`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseTokenReference([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err == nil {
				b, _ := json.Marshal(r)
				if r2, err := ParseTokenReference(b); err != nil || r2 != r {
					t.Errorf("round trip: %v %v", r2, err)
				}
			}
		})
	}
}

// tokenFixture publishes a 2-bit token list: 1 INVALID, 2 SUSPENDED, 3 application-specific.
func tokenPayload(t testing.TB, mod func(*TokenPayloadOptions)) []byte {
	t.Helper()
	l, _ := NewTokenList(1024, 2)
	l.Set(1, TokenInvalid)
	l.Set(2, TokenSuspended)
	l.Set(3, 3)
	opts := TokenPayloadOptions{Subject: tokenURL, Issuer: "https://example.com", IssuedAt: testNow.Add(-time.Minute), Expiry: testNow.Add(time.Hour), TTL: 12 * time.Hour}
	if mod != nil {
		mod(&opts)
	}
	p, err := l.Payload(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckToken(t *testing.T) {
	t.Parallel()
	good := tokenPayload(t, nil)
	tests := []struct {
		name    string
		payload []byte
		idx     int
		issuer  string
		verify  VerifyFunc
		wantVal TokenStatus
		want    error
	}{
		{"valid", good, 0, "https://example.com", nil, TokenValid, nil},
		{"invalid", good, 1, "https://example.com", nil, 0, ErrRevoked},
		{"suspended", good, 2, "https://example.com", nil, 0, ErrSuspended},
		{"application-specific", good, 3, "https://example.com", nil, 3, nil},
		{"idx past the end", good, 1024, "https://example.com", nil, 0, ErrStatusRange},
		{"negative idx", good, -1, "https://example.com", nil, 0, ErrStatusIndex},
		{"another issuer", good, 0, "https://other.example", nil, 0, ErrIssuerMismatch},
		{"no issuer on either side", edit(t, good, func(m map[string]any) { delete(m, "iss") }), 0, "", nil, 0, ErrInvalidOptions},
		{"sub is another list", tokenPayload(t, func(o *TokenPayloadOptions) { o.Subject = "https://example.com/statuslists/2" }), 0, "https://example.com", nil, 0, ErrStatusVerification},
		{"expired", tokenPayload(t, func(o *TokenPayloadOptions) {
			o.IssuedAt = testNow.Add(-2 * time.Hour)
			o.Expiry = testNow.Add(-time.Second)
		}), 0, "https://example.com", nil, 0, ErrExpired},
		{"issued in the future", tokenPayload(t, func(o *TokenPayloadOptions) { o.IssuedAt = testNow.Add(time.Minute) }), 0, "https://example.com", nil, 0, ErrIssuedInFuture},
		{"signature refused", good, 0, "https://example.com", failVerify, 0, ErrStatusVerification},
		{"no iss", edit(t, good, func(m map[string]any) { delete(m, "iss") }), 0, "https://example.com", nil, 0, ErrIssuerMismatch},
		{"no iat", edit(t, good, func(m map[string]any) { delete(m, "iat") }), 0, "https://example.com", nil, 0, ErrMalformed},
		{"string iat", edit(t, good, func(m map[string]any) { m["iat"] = "1686920170" }), 0, "https://example.com", nil, 0, ErrMalformed},
		{"zero ttl", edit(t, good, func(m map[string]any) { m["ttl"] = 0 }), 0, "https://example.com", nil, 0, ErrMalformed},
		{"bits 3", edit(t, good, func(m map[string]any) { m["status_list"].(map[string]any)["bits"] = 3 }), 0, "https://example.com", nil, 0, ErrMalformed},
		{"zlib bomb", edit(t, good, func(m map[string]any) {
			m["status_list"].(map[string]any)["lst"] = b64(zlibBomb())
		}), 0, "https://example.com", nil, 0, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &mapFetcher{}
			f.set(tokenURL, tt.payload)
			v := tt.verify
			if v == nil {
				v = passThrough
			}
			c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyToken: v, Clock: func() time.Time { return testNow }})
			got, err := c.CheckToken(t.Context(), TokenReference{Index: tt.idx, URI: tokenURL}, tt.issuer)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if got != tt.wantVal {
				t.Errorf("status %v, want %v", got, tt.wantVal)
			}
		})
	}
}

func TestCheckTokenCache(t *testing.T) {
	t.Parallel()
	f := &mapFetcher{}
	f.set(tokenURL, tokenPayload(t, func(o *TokenPayloadOptions) { o.TTL = 30 * time.Second }))
	now := testNow
	c := newTestChecker(t, f, &now)
	for i := range 10000 {
		if _, err := c.CheckToken(t.Context(), TokenReference{Index: 4 + i%1000, URI: tokenURL}, "https://example.com"); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.n.Load(); n != 1 {
		t.Fatalf("10,000 token checks: %d fetches, want 1", n)
	}
	now = now.Add(31 * time.Second)
	if _, err := c.CheckToken(t.Context(), TokenReference{Index: 0, URI: tokenURL}, "https://example.com"); err != nil {
		t.Fatal(err)
	}
	if n := f.n.Load(); n != 2 {
		t.Fatalf("after ttl: %d fetches, want 2", n)
	}
}

func TestTokenPayloadOptions(t *testing.T) {
	t.Parallel()
	l, _ := NewTokenList(8, 1)
	for _, o := range []TokenPayloadOptions{
		{Issuer: "i", IssuedAt: testNow},
		{Subject: "s", IssuedAt: testNow},
		{Subject: "s", Issuer: "i"},
		{Subject: "s", Issuer: "i", IssuedAt: testNow, Expiry: testNow},
		{Subject: "s", Issuer: "i", IssuedAt: testNow, TTL: -1},
	} {
		if _, err := l.Payload(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%+v: got %v, want %v", o, err, ErrInvalidOptions)
		}
	}
}
