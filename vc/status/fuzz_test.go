package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// fuzzMaxBytes keeps inflation cheap while fuzzing; the limit logic is the same.
const fuzzMaxBytes = 1 << 20

func isSentinel(err error, sentinels ...error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzDecodeBitstring decodes encodedList values: z is the compressed list, base64url and
// multibase-encoded unless raw, in which case it is the encodedList itself. Every error is
// a sentinel; an accepted list re-encodes to the same bits and every Get is in range.
func FuzzDecodeBitstring(f *testing.F) {
	f.Fuzz(func(t *testing.T, z []byte, statusSize uint8, raw bool) {
		enc := "u" + b64(z)
		if raw {
			enc = string(z)
		}
		opts := DecodeOptions{StatusSize: int(statusSize % 10), MinEntries: -1, MaxBytes: fuzzMaxBytes}
		l, err := DecodeBitstringList(enc, opts)
		if err != nil {
			if l != nil {
				t.Fatal("list with an error")
			}
			if !isSentinel(err, ErrMalformed, ErrTooLarge, ErrInvalidOptions) {
				t.Fatalf("error is not a sentinel: %v", err)
			}
			return
		}
		if len(l.bits) > fuzzMaxBytes {
			t.Fatalf("%d bytes past the limit", len(l.bits))
		}
		if _, err := l.Get(l.Len()); !errors.Is(err, ErrStatusRange) {
			t.Fatalf("Get(Len) = %v", err)
		}
		for _, i := range []int{0, l.Len() / 2, l.Len() - 1} {
			if i < 0 {
				continue
			}
			if v, err := l.Get(i); err != nil || int(v) >= 1<<l.statusSize {
				t.Fatalf("Get(%d) = %d, %v", i, v, err)
			}
		}
		again, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		l2, err := DecodeBitstringList(again, opts)
		if err != nil || !bytes.Equal(l2.bits, l.bits) {
			t.Fatalf("re-encoded list differs: %v", err)
		}
		// The default minimum applies unless lowered.
		if _, err := DecodeBitstringList(enc, DecodeOptions{StatusSize: opts.StatusSize, MaxBytes: fuzzMaxBytes}); err != nil && !errors.Is(err, ErrStatusListLength) {
			t.Fatalf("with the default minimum: %v", err)
		}
	})
}

// FuzzDecodeTokenList decodes lst values as FuzzDecodeBitstring does encodedList, for a
// bits value of 1, 2, 4 or 8 (and invalid ones).
func FuzzDecodeTokenList(f *testing.F) {
	f.Fuzz(func(t *testing.T, z []byte, bits uint8, raw bool) {
		lst := b64(z)
		if raw {
			lst = string(z)
		}
		l, err := DecodeTokenList(lst, int(bits), DecodeOptions{MaxBytes: fuzzMaxBytes})
		if err != nil {
			if l != nil {
				t.Fatal("list with an error")
			}
			if !isSentinel(err, ErrMalformed, ErrTooLarge) {
				t.Fatalf("error is not a sentinel: %v", err)
			}
			return
		}
		if !validBits(int(bits)) || len(l.lst) == 0 || len(l.lst) > fuzzMaxBytes {
			t.Fatalf("accepted bits %d, %d bytes", bits, len(l.lst))
		}
		if _, err := l.Get(l.Len()); !errors.Is(err, ErrStatusRange) {
			t.Fatalf("Get(Len) = %v", err)
		}
		for _, i := range []int{0, l.Len() / 2, l.Len() - 1} {
			if v, err := l.Get(i); err != nil || int(v) >= 1<<l.bits {
				t.Fatalf("Get(%d) = %d, %v", i, v, err)
			}
		}
		again, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		l2, err := DecodeTokenList(again, int(bits), DecodeOptions{MaxBytes: fuzzMaxBytes})
		if err != nil || !bytes.Equal(l2.lst, l.lst) {
			t.Fatalf("re-encoded list differs: %v", err)
		}
	})
}

// FuzzParseStatusJSON feeds one JSON document to every JSON parser of the package: the
// credentialStatus entry, the status claim, the Status List Token payload and the status
// list credential. Every error is a sentinel; an accepted entry or reference round-trips.
func FuzzParseStatusJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		sentinels := []error{ErrMalformed, ErrTooLarge, ErrTooDeep, ErrStatusIndex, ErrStatusRange, ErrUnsupportedFormat, ErrStatusVerification, ErrInvalidOptions}
		if es, err := ParseBitstringEntries(data); err != nil {
			if !isSentinel(err, sentinels...) {
				t.Fatalf("ParseBitstringEntries: %v", err)
			}
		} else {
			for _, e := range es {
				b, err := json.Marshal(e)
				if err != nil {
					t.Fatalf("marshal accepted entry: %v", err)
				}
				e2, err := ParseBitstringEntry(b)
				if err != nil {
					t.Fatalf("re-parse %s: %v", b, err)
				}
				b2, _ := json.Marshal(e2)
				if !bytes.Equal(b, b2) {
					t.Fatalf("round trip %s != %s", b, b2)
				}
			}
		}
		if r, err := ParseTokenReference(data); err != nil {
			if !isSentinel(err, sentinels...) {
				t.Fatalf("ParseTokenReference: %v", err)
			}
		} else {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if r2, err := ParseTokenReference(b); err != nil || r2 != r {
				t.Fatalf("round trip %+v: %+v %v", r, r2, err)
			}
		}
		if _, err := ParseTokenPayload(data, DecodeOptions{MaxBytes: fuzzMaxBytes}); err != nil && !isSentinel(err, sentinels...) {
			t.Fatalf("ParseTokenPayload: %v", err)
		}
		for _, legacy := range []bool{false, true} {
			if _, err := parseListCredential(data, legacy, fuzzMaxBytes); err != nil && !isSentinel(err, sentinels...) {
				t.Fatalf("parseListCredential: %v", err)
			}
		}
	})
}
