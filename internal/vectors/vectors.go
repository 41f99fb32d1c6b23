// Package vectors locates the public test vectors that tests read in place.
//
// The vectors live outside the module, in ../shared/vectors beside the module root, or
// wherever $CREDENCE_VECTORS points. They are never copied into the project.
package vectors

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the vectors folder for source (a subfolder such as "did-key"). When the
// vectors folder itself is absent (a fresh clone without ../shared) the test is skipped
// with a message naming it; when the folder exists but source is missing or empty the
// test fails, so a vector suite can never pass by finding nothing.
func Dir(t testing.TB, source string) string {
	t.Helper()
	root, err := root()
	if err != nil {
		t.Fatalf("vectors: %v", err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		t.Skipf("vectors: folder %s not found (set $CREDENCE_VECTORS or place shared/vectors beside the module)", root)
	}
	dir := filepath.Join(root, source)
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("vectors: %s exists but %s is missing or empty", root, dir)
	}
	return dir
}

// Read returns the contents of a file under Dir(t, source).
func Read(t testing.TB, source, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(t, source), name))
	if err != nil {
		t.Fatalf("vectors: %v", err)
	}
	return b
}

func root() (string, error) {
	if d := os.Getenv("CREDENCE_VECTORS"); d != "" {
		return filepath.Abs(d)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "vectors"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
