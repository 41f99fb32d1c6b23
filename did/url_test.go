package did

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	const d = "did:example:123456789abcdefghi"
	did := DID{"example", "123456789abcdefghi"}
	tests := []struct {
		in   string
		want URL
		err  error
	}{
		{d, URL{DID: did}, nil},
		{d + "#key-1", URL{DID: did, Fragment: "key-1"}, nil},
		{d + "/path/to/x", URL{DID: did, Path: "/path/to/x"}, nil},
		{d + "/", URL{DID: did, Path: "/"}, nil},
		{d + "?service=agent&relativeRef=%2Fcredentials", URL{DID: did, Query: "service=agent&relativeRef=%2Fcredentials"}, nil},
		{d + "?versionId=1#frag/?:@!$&'()*+,;=", URL{DID: did, Query: "versionId=1", Fragment: "frag/?:@!$&'()*+,;="}, nil},
		{d + "/p%20q?a=b?c#f?g", URL{DID: did, Path: "/p%20q", Query: "a=b?c", Fragment: "f?g"}, nil},
		{"did:web:example.com%3A3000:u#k", URL{DID: DID{"web", "example.com%3A3000:u"}, Fragment: "k"}, nil},
		{d + "#", URL{}, ErrInvalidDIDURL},
		{d + "?", URL{}, ErrInvalidDIDURL},
		{d + "?#k", URL{}, ErrInvalidDIDURL},
		{d + "#a#b", URL{}, ErrInvalidDIDURL},
		{d + "#a b", URL{}, ErrInvalidDIDURL},
		{d + "#a%2", URL{}, ErrInvalidDIDURL},
		{d + "#a%g0", URL{}, ErrInvalidDIDURL},
		{d + "/a\x00b", URL{}, ErrInvalidDIDURL},
		{d + "/caf\u00e9", URL{}, ErrInvalidDIDURL},
		{d + "?q=[1]", URL{}, ErrInvalidDIDURL},
		{d + "#k\"", URL{}, ErrInvalidDIDURL},
		{"did:example:#k", URL{}, ErrInvalidDID},
		{"did:Example:1#k", URL{}, ErrInvalidDID},
		{"https://example.com/#k", URL{}, ErrInvalidDID},
		{"#key-1", URL{}, ErrInvalidDID},
		{d + "~x", URL{}, ErrInvalidDID},
		{d + "#" + strings.Repeat("a", MaxURLLength), URL{}, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseURL(tt.in)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("ParseURL(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if err != nil {
				if got != nil {
					t.Errorf("ParseURL(%q) = %#v with an error", tt.in, got)
				}
				return
			}
			if *got != tt.want {
				t.Errorf("ParseURL(%q) = %#v, want %#v", tt.in, *got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestURLParam(t *testing.T) {
	u, err := ParseURL("did:example:123?service=files&relativeRef=%2Fresume.pdf&versionId=1+2&hl=zQm&empty=&flag&versionTime=2021-05-10T17:00:00Z&service=second")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string
		ok   bool
	}{
		{"service", "files", true},
		{"relativeRef", "/resume.pdf", true},
		{"versionId", "1+2", true},
		{"versionTime", "2021-05-10T17:00:00Z", true},
		{"hl", "zQm", true},
		{"empty", "", true},
		{"flag", "", true},
		{"missing", "", false},
	}
	for _, tt := range tests {
		got, ok := u.Param(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Param(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (&URL{DID: DID{"a", "b"}, Query: "x=%zz"}).Param("x"); ok {
		t.Error("Param with an invalid escape reported present")
	}
}

func TestResolveReference(t *testing.T) {
	base, err := ParseURL("did:example:123/a/b?x=1#f")
	if err != nil {
		t.Fatal(err)
	}
	plain := &URL{DID: DID{"example", "123"}}
	tests := []struct {
		base *URL
		ref  string
		want string
		err  error
	}{
		{plain, "#key-1", "did:example:123#key-1", nil},
		{plain, "?service=agent", "did:example:123?service=agent", nil},
		{plain, "/path#k", "did:example:123/path#k", nil},
		{plain, "did:other:456#key-2", "did:other:456#key-2", nil},
		{plain, "", "did:example:123", nil},
		{base, "#g", "did:example:123/a/b?x=1#g", nil},
		{base, "?y=2", "did:example:123/a/b?y=2", nil},
		{base, "/c/./d/../e", "did:example:123/c/e", nil},
		{base, "/c/..", "did:example:123/", nil},
		{base, "", "did:example:123/a/b?x=1", nil},
		{plain, "key-1", "", ErrInvalidDIDURL},
		{plain, "../x", "", ErrInvalidDIDURL},
		{plain, "//host/x", "", ErrInvalidDIDURL},
		{plain, "https://example.com/#k", "", ErrInvalidDIDURL},
		{plain, "#", "", ErrInvalidDIDURL},
		{plain, "#a b", "", ErrInvalidDIDURL},
		{plain, "DID:example:123#k", "", ErrInvalidDID},
		{plain, "did:bad_method:1#k", "", ErrInvalidDID},
	}
	for _, tt := range tests {
		t.Run(tt.base.String()+" "+tt.ref, func(t *testing.T) {
			got, err := tt.base.ResolveReference(tt.ref)
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if err == nil && got.String() != tt.want {
				t.Errorf("got %q, want %q", got.String(), tt.want)
			}
		})
	}
}
