package sdjwt

import (
	"context"
	"errors"
	"testing"
)

// FuzzTypeMetadata feeds arbitrary type metadata documents to ResolveTypeMetadata: it
// must return effective metadata or an error wrapping a sentinel, never panic.
func FuzzTypeMetadata(f *testing.F) {
	f.Add([]byte(tmBaseDoc), []byte(`{"vct":"`+tmIdentity+`","extends":"`+tmBase+`","claims":[{"path":["name"],"sd":"always"}]}`))
	f.Add([]byte(`{"vct":"`+tmBase+`","claims":[{"path":["a",null,0],"mandatory":true,"svg_id":"a_1"}]}`), []byte(`{"vct":"`+tmIdentity+`","extends":"`+tmBase+`"}`))
	f.Fuzz(func(t *testing.T, base, child []byte) {
		fetch := StaticTypeMetadata(map[string][]byte{tmIdentity: child, tmBase: base})
		m, err := ResolveTypeMetadata(context.Background(), tmIdentity, "", TypeMetadataPolicy{Fetch: fetch})
		if err != nil {
			if !errors.Is(err, ErrTypeMetadata) {
				t.Fatalf("error without ErrTypeMetadata: %v", err)
			}
			return
		}
		if m.VCT != tmIdentity {
			t.Fatalf("VCT %q", m.VCT)
		}
		for _, c := range m.Claims {
			if len(c.Path) == 0 {
				t.Fatal("empty path accepted")
			}
		}
	})
}
