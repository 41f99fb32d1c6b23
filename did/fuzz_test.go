package did

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"did:example:123456789abcdefghi",
		"did:example:123456789abcdefghi#key-1",
		"did:example:123?service=agent&relativeRef=%2Fcredentials#degree",
		"did:web:example.com%3A8443:user:alice/path/x?versionTime=2021-05-10T17:00:00Z",
		"did:example::a::b",
		"did:example:a%2",
		"did:example:1#",
		"did:EXAMPLE:1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		if err != nil {
			if u != nil {
				t.Fatal("result with an error")
			}
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			if _, err := Parse(s); err == nil {
				t.Fatalf("Parse accepts %q but ParseURL does not", s)
			}
			return
		}
		if got := u.String(); got != s {
			t.Fatalf("String() = %q, want %q", got, s)
		}
		d, err := Parse(u.DID.String())
		if err != nil || d != u.DID {
			t.Fatalf("Parse(%q) = %#v, %v; want %#v", u.DID.String(), d, err, u.DID)
		}
		whole, err := Parse(s)
		if isDID := u.Path == "" && u.Query == "" && u.Fragment == ""; isDID != (err == nil) || (isDID && whole != u.DID) {
			t.Fatalf("Parse(%q) = %#v, %v; ParseURL gave %#v", s, whole, err, u)
		}
		if u.Path != "" && !strings.HasPrefix(u.Path, "/") {
			t.Fatalf("path %q does not start with /", u.Path)
		}
		// Resolving the URL's own parts against its DID gives it back.
		rest := strings.TrimPrefix(s, u.DID.String())
		if rest != "" {
			r, err := (&URL{DID: u.DID}).ResolveReference(rest)
			if err == nil && !strings.Contains(u.Path, ".") && r.String() != s {
				t.Fatalf("ResolveReference(%q) = %q, want %q", rest, r.String(), s)
			}
		}
	})
}

func FuzzParseDocument(f *testing.F) {
	for _, name := range []string{
		"valid-basic.json", "valid-relative-ids.json", "valid-embedded-assertion.json",
		"valid-controllers.json", "valid-extra-members.json", "valid-empty-arrays.json",
		"invalid-duplicate-ids.json", "invalid-reference-undefined.json", "invalid-duplicate-member.json",
	} {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			if doc != nil {
				t.Fatal("result with an error")
			}
			if !isSentinel(err) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		out, err := doc.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of an accepted document: %v", err)
		}
		again, err := ParseDocument(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		if diff := cmp.Diff(doc, again, rawSemantic); diff != "" {
			t.Fatalf("re-parsed document differs (-first +second):\n%s", diff)
		}
		out2, err := again.MarshalJSON()
		if err != nil || string(out2) != string(out) {
			t.Fatalf("second MarshalJSON = %s, %v; want %s", out2, err, out)
		}
		if diff := cmp.Diff(doc, doc.Clone()); diff != "" {
			t.Fatalf("Clone differs:\n%s", diff)
		}
		for _, rel := range relationships {
			vms, err := doc.Methods(rel)
			if err != nil {
				t.Fatalf("Methods(%s) of a valid document: %v", rel, err)
			}
			for _, vm := range vms {
				got, err := doc.VerificationMethodFor(vm.ID, rel)
				if err != nil {
					t.Fatalf("VerificationMethodFor(%q, %s): %v", vm.ID, rel, err)
				}
				if diff := cmp.Diff(&vm, got); diff != "" {
					t.Fatalf("VerificationMethodFor(%q) differs from Methods:\n%s", vm.ID, diff)
				}
			}
		}
		if _, err := doc.VerificationMethodFor("#no such key", Authentication); !errors.Is(err, ErrInvalidDIDURL) {
			t.Fatalf("invalid ref: error = %v", err)
		}
	})
}
