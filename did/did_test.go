package did

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want DID
		err  error
	}{
		{"did:example:123456789abcdefghi", DID{"example", "123456789abcdefghi"}, nil},
		{"did:web:example.com%3A8443:user:alice", DID{"web", "example.com%3A8443:user:alice"}, nil},
		{"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", DID{"key", "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}, nil},
		{"did:example::a", DID{"example", ":a"}, nil},
		{"did:example:a::b", DID{"example", "a::b"}, nil},
		{"did:ex4mple:A.b-c_d%2f", DID{"ex4mple", "A.b-c_d%2f"}, nil},
		{"did:0:1", DID{"0", "1"}, nil},
		{"", DID{}, ErrInvalidDID},
		{"did:", DID{}, ErrInvalidDID},
		{"did::123", DID{}, ErrInvalidDID},
		{"did:example", DID{}, ErrInvalidDID},
		{"did:example:", DID{}, ErrInvalidDID},
		{"did:example:123:", DID{}, ErrInvalidDID},
		{"DID:example:123", DID{}, ErrInvalidDID},
		{"did:Example:123", DID{}, ErrInvalidDID},
		{"did:exa_mple:123", DID{}, ErrInvalidDID},
		{"did:example:12 3", DID{}, ErrInvalidDID},
		{"did:example:12%3", DID{}, ErrInvalidDID},
		{"did:example:12%zz", DID{}, ErrInvalidDID},
		{"did:example:%", DID{}, ErrInvalidDID},
		{"did:example:123#key-1", DID{}, ErrInvalidDID},
		{"did:example:123/path", DID{}, ErrInvalidDID},
		{"did:example:123?q=1", DID{}, ErrInvalidDID},
		{"did:example:caf\u00e9", DID{}, ErrInvalidDID},
		{"did:example:123\n", DID{}, ErrInvalidDID},
		{"did:example:" + strings.Repeat("a", MaxURLLength), DID{}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDIDText(t *testing.T) {
	type doc struct {
		Issuer DID  `json:"issuer"`
		Holder *DID `json:"holder,omitempty"`
	}
	var v doc
	if err := json.Unmarshal([]byte(`{"issuer":"did:example:123"}`), &v); err != nil {
		t.Fatal(err)
	}
	if want := (DID{"example", "123"}); v.Issuer != want {
		t.Errorf("got %#v, want %#v", v.Issuer, want)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"issuer":"did:example:123"}` {
		t.Errorf("Marshal = %s", out)
	}
	if err := json.Unmarshal([]byte(`{"issuer":"did:example:123#k"}`), &v); !errors.Is(err, ErrInvalidDID) {
		t.Errorf("Unmarshal of a DID URL: error = %v, want %v", err, ErrInvalidDID)
	}
	var z DID
	if err := z.UnmarshalText(nil); err != nil || !z.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %#v", err, z)
	}
	if b, err := z.MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("zero MarshalText = %q, %v", b, err)
	}
	if _, err := (DID{"Bad", "x"}).MarshalText(); !errors.Is(err, ErrInvalidDID) {
		t.Errorf("MarshalText of an invalid DID: error = %v, want %v", err, ErrInvalidDID)
	}
}

func TestMethodOf(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"did:key:z6Mk", "key", true}, {"did:web:example.com", "web", true}, {"did:Key:x", "", false},
		{"did::x", "", false}, {"did:key", "", false}, {"key:z6Mk", "", false}, {"did:ke-y:x", "", false},
	} {
		if m, ok := MethodOf(tc.in); m != tc.want || ok != tc.ok {
			t.Errorf("MethodOf(%q) = %q, %v", tc.in, m, ok)
		}
	}
}
