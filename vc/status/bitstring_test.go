package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
)

func TestParseBitstringEntry(t *testing.T) {
	t.Parallel()
	const base = `"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListCredential":"https://example.com/status/3"`
	msgs := `"statusMessage":[{"status":"0x0","message":"a"},{"status":"0x1","message":"b"},{"status":"0x2","message":"c"},{"status":"0x3","message":"d"}]`
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"ok", `{` + base + `,"statusListIndex":"94567"}`, nil},
		{"zero", `{` + base + `,"statusListIndex":"0"}`, nil},
		{"statusSize 2 with messages", `{` + base + `,"statusListIndex":"7","statusSize":2,` + msgs + `}`, nil},
		{"negative index", `{` + base + `,"statusListIndex":"-1"}`, ErrStatusIndex},
		{"non-numeric index", `{` + base + `,"statusListIndex":"abc"}`, ErrStatusIndex},
		{"leading zero", `{` + base + `,"statusListIndex":"01"}`, ErrStatusIndex},
		{"plus sign", `{` + base + `,"statusListIndex":"+1"}`, ErrStatusIndex},
		{"empty index", `{` + base + `,"statusListIndex":""}`, ErrStatusIndex},
		{"number index", `{` + base + `,"statusListIndex":94567}`, ErrStatusIndex},
		{"missing index", `{` + base + `}`, ErrStatusIndex},
		{"huge index", `{` + base + `,"statusListIndex":"999999999999999999999"}`, ErrStatusRange},
		{"index past every list", `{` + base + `,"statusListIndex":"134217728"}`, ErrStatusRange},
		{"statusSize 2 without messages", `{` + base + `,"statusListIndex":"7","statusSize":2}`, ErrMalformed},
		{"statusSize 0", `{` + base + `,"statusListIndex":"7","statusSize":0}`, ErrMalformed},
		{"statusSize 9", `{` + base + `,"statusListIndex":"7","statusSize":9}`, ErrMalformed},
		{"statusSize string", `{` + base + `,"statusListIndex":"7","statusSize":"2"}`, ErrMalformed},
		{"repeated message", `{` + base + `,"statusListIndex":"7","statusSize":2,"statusMessage":[{"status":"0x0"},{"status":"0x0"},{"status":"0x2"},{"status":"0x3"}]}`, ErrMalformed},
		{"bad message status", `{` + base + `,"statusListIndex":"7","statusSize":2,"statusMessage":[{"status":"0"},{"status":"0x1"},{"status":"0x2"},{"status":"0x3"}]}`, ErrMalformed},
		{"relative URL", `{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"/status/3"}`, ErrMalformed},
		{"other type", `{"type":"RevocationList2020Status","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrUnsupportedFormat},
		{"no purpose", `{"type":"BitstringStatusListEntry","statusListIndex":"1","statusListCredential":"https://e.com/s"}`, ErrMalformed},
		{"duplicate key", `{` + base + `,"statusListIndex":"1","statusListIndex":"2"}`, ErrMalformed},
		{"2021 with statusSize", `{"type":"StatusList2021Entry","statusPurpose":"revocation","statusListIndex":"1","statusListCredential":"https://e.com/s","statusSize":2,` + msgs + `}`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseBitstringEntry([]byte(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			// Accepted entries round-trip.
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			e2, err := ParseBitstringEntry(b)
			if err != nil {
				t.Fatalf("re-parse: %v", err)
			}
			b2, _ := json.Marshal(e2)
			if !bytes.Equal(b, b2) {
				t.Errorf("round trip: %s != %s", b, b2)
			}
		})
	}
}

func TestBitstringBitOrder(t *testing.T) {
	t.Parallel()
	l, err := NewBitstringList(MinBitstringEntries, 1)
	if err != nil {
		t.Fatal(err)
	}
	// §3.4: index 0 is the left-most bit of the bitstring.
	if err := l.Set(0, 1); err != nil {
		t.Fatal(err)
	}
	if err := l.Set(9, 1); err != nil {
		t.Fatal(err)
	}
	if l.bits[0] != 0x80 || l.bits[1] != 0x40 {
		t.Errorf("bytes %#x %#x, want 0x80 0x40", l.bits[0], l.bits[1])
	}
	l2, _ := NewBitstringList(MinBitstringEntries, 2)
	if err := l2.Set(1, 2); err != nil { // bits 2-3 of byte 0: 10
		t.Fatal(err)
	}
	if l2.bits[0] != 0x20 {
		t.Errorf("statusSize 2: byte %#x, want 0x20", l2.bits[0])
	}
	if v, _ := l2.Get(1); v != 2 {
		t.Errorf("Get(1) = %d, want 2", v)
	}
	if err := l2.Set(1, 4); !errors.Is(err, ErrStatusRange) {
		t.Errorf("Set(1, 4) in 2 bits = %v, want %v", err, ErrStatusRange)
	}
	if _, err := l.Get(MinBitstringEntries); !errors.Is(err, ErrStatusRange) {
		t.Errorf("Get past end = %v, want %v", err, ErrStatusRange)
	}
	if _, err := l.Get(-1); !errors.Is(err, ErrStatusRange) {
		t.Errorf("Get(-1) = %v, want %v", err, ErrStatusRange)
	}
}

func TestBitstringRoundTrip(t *testing.T) {
	t.Parallel()
	for _, size := range []int{1, 2, 3, 8} {
		l, err := NewBitstringList(MinBitstringEntries, size)
		if err != nil {
			t.Fatal(err)
		}
		max := uint8(1<<size - 1)
		set := map[int]uint8{0: max, 1: 1, 4097: max, MinBitstringEntries - 1: 1}
		for i, v := range set {
			if err := l.Set(i, v); err != nil {
				t.Fatal(err)
			}
		}
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeBitstringList(enc, DecodeOptions{StatusSize: size})
		if err != nil {
			t.Fatalf("statusSize %d: %v", size, err)
		}
		for i := range d.Len() {
			got, _ := d.Get(i)
			if got != set[i] {
				t.Fatalf("statusSize %d: entry %d = %d, want %d", size, i, got, set[i])
			}
		}
	}
}

func TestNewBitstringListLimits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ size, statusSize int }{{MinBitstringEntries - 1, 1}, {MinBitstringEntries, 9}, {MinBitstringEntries, -1}, {DefaultMaxListBytes*8 + 8, 1}} {
		if _, err := NewBitstringList(tt.size, tt.statusSize); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("NewBitstringList(%d, %d) = %v, want %v", tt.size, tt.statusSize, err, ErrInvalidOptions)
		}
	}
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestDecodeBitstringAttacks(t *testing.T) {
	t.Parallel()
	enc := func(z []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(z) }
	ok16k := gzipped(t, make([]byte, 16384))
	bomb := gzipBomb()
	t.Logf("gzip bomb: %d compressed bytes inflate to %d", len(bomb), DefaultMaxListBytes+1)
	two := append(append([]byte{}, ok16k...), ok16k...)
	tests := []struct {
		name string
		in   string
		opts DecodeOptions
		want error
	}{
		{"ok", enc(ok16k), DecodeOptions{}, nil},
		{"gzip bomb", enc(bomb), DecodeOptions{}, ErrTooLarge},
		{"past a lowered limit", enc(ok16k), DecodeOptions{MaxBytes: 1000}, ErrTooLarge},
		{"shorter than the minimum", enc(gzipped(t, make([]byte, 16383))), DecodeOptions{}, ErrStatusListLength},
		{"statusSize 2 needs 32 KB", enc(ok16k), DecodeOptions{StatusSize: 2}, ErrStatusListLength},
		{"no multibase prefix", base64.RawURLEncoding.EncodeToString(ok16k), DecodeOptions{}, ErrMalformed},
		{"base58 prefix", "z" + base64.RawURLEncoding.EncodeToString(ok16k), DecodeOptions{}, ErrMalformed},
		{"padding", enc(ok16k) + "==", DecodeOptions{}, ErrMalformed},
		{"standard base64", "u" + base64.StdEncoding.EncodeToString(ok16k), DecodeOptions{}, ErrMalformed},
		{"not gzip", enc(make([]byte, 16384)), DecodeOptions{}, ErrMalformed},
		{"truncated gzip", enc(ok16k[:len(ok16k)-4]), DecodeOptions{}, ErrMalformed},
		{"two members", enc(two), DecodeOptions{}, ErrMalformed},
		{"trailing data", enc(append(append([]byte{}, ok16k...), 0)), DecodeOptions{}, ErrMalformed},
		{"empty", "u", DecodeOptions{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := DecodeBitstringList(tt.in, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil && l != nil {
				t.Error("non-nil list with an error")
			}
		})
	}
}
