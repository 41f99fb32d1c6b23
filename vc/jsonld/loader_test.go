package jsonld

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

func TestRegistryLoader(t *testing.T) {
	c := DefaultContexts()
	// A valid context document on disk: the loader must not read it by path or file: URL.
	dir := t.TempDir()
	path := filepath.Join(dir, "context.jsonld")
	if err := os.WriteFile(path, []byte(`{"@context":{"x":"https://example.com/x"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url  string
		want error
	}{
		{CredentialsV2, nil},
		{"https://w3id.org/security/data-integrity/v2", nil},
		{"https://www.w3.org/ns/credentials/v2/", errs.ErrUnknownContext},
		{"https://www.w3.org/ns/credentials/V2", errs.ErrUnknownContext},
		{"http://www.w3.org/ns/credentials/v2", errs.ErrUnknownContext},
		{"https://www.w3.org/ns/credentials/v2#x", errs.ErrUnknownContext},
		{"https://evil.example/context", errs.ErrUnknownContext},
		{path, errs.ErrUnknownContext},
		{"file://" + path, errs.ErrUnknownContext},
		{"context.jsonld", errs.ErrUnknownContext},
		{"../context.jsonld", errs.ErrUnknownContext},
		{"", errs.ErrUnknownContext},
	} {
		t.Run(tc.url, func(t *testing.T) {
			l := newRegistryLoader(context.Background(), c)
			rd, err := l.LoadDocument(tc.url)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil {
				if rd != nil || l.err == nil {
					t.Error("a failed load returned a document or was not recorded")
				}
				return
			}
			d, _ := c.lookup(tc.url)
			if rd.DocumentURL != tc.url || !reflect.DeepEqual(rd.Document, d.value) {
				t.Error("loaded document is not the registered one")
			}
		})
	}
}

// TestRegistryLoaderCopies checks that a caller changing a loaded document (as the
// processor does for @import) does not change the registry.
func TestRegistryLoaderCopies(t *testing.T) {
	c := DefaultContexts()
	l := newRegistryLoader(context.Background(), c)
	rd, err := l.LoadDocument(CredentialsV2)
	if err != nil {
		t.Fatal(err)
	}
	rd.Document.(map[string]any)["@context"].(map[string]any)["name"] = "https://evil.example/name"
	again, err := l.LoadDocument(CredentialsV2)
	if err != nil {
		t.Fatal(err)
	}
	if again.Document.(map[string]any)["@context"].(map[string]any)["name"] != "https://schema.org/name" {
		t.Error("a change to a loaded document reached the registry")
	}
}

func TestRegistryLoaderLimits(t *testing.T) {
	c := DefaultContexts()
	l := newRegistryLoader(context.Background(), c)
	for range maxContextLoads {
		if _, err := l.LoadDocument(CredentialsV2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.LoadDocument(CredentialsV2); !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("load %d: got %v, want ErrTooLarge", maxContextLoads+1, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := newRegistryLoader(ctx, c).LoadDocument(CredentialsV2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
	if _, err := newRegistryLoader(context.Background(), nil).LoadDocument(CredentialsV2); !errors.Is(err, errs.ErrUnknownContext) {
		t.Errorf("nil registry: got %v, want ErrUnknownContext", err)
	}
}
