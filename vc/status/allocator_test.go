package status

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFileAllocator(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "alloc")
	const size = 300
	a, err := NewFileAllocator(path, size)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				i, err := a.Allocate(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[i] || i < 0 || i >= size {
					t.Errorf("index %d repeated or out of range", i)
				}
				seen[i] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// In order handed out? Random draws of 200 from 300 are almost never 0..199.
	inOrder := true
	for i := range 200 {
		if !seen[i] {
			inOrder = false
		}
	}
	if inOrder {
		t.Error("indices 0..199 handed out in order")
	}
	a.Close()
	if _, err := a.Allocate(t.Context()); err == nil {
		t.Error("Allocate after Close succeeded")
	}

	// A restart keeps every allocation.
	b, err := NewFileAllocator(path, size)
	if err != nil {
		t.Fatal(err)
	}
	if b.Allocated() != 200 {
		t.Fatalf("after reopening: %d allocated, want 200", b.Allocated())
	}
	for range 100 {
		i, err := b.Allocate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if seen[i] {
			t.Fatalf("index %d handed out again after a restart", i)
		}
		seen[i] = true
	}
	if _, err := b.Allocate(t.Context()); !errors.Is(err, ErrListFull) {
		t.Errorf("full list: got %v, want %v", err, ErrListFull)
	}
	b.Close()

	// Another size is refused.
	if _, err := NewFileAllocator(path, size+1); !errors.Is(err, ErrMalformed) {
		t.Errorf("other size: got %v, want %v", err, ErrMalformed)
	}
}

func TestFileAllocatorTornRecord(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "alloc")
	if err := os.WriteFile(path, []byte(allocatorHeader+"10\n3\n7\n1"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := NewFileAllocator(path, 10)
	if err != nil {
		t.Fatal(err)
	}
	if a.Allocated() != 2 {
		t.Fatalf("%d allocated, want 2 (3 and 7; the cut-short 1 never returned)", a.Allocated())
	}
	got := map[int]bool{3: true, 7: true}
	for range 8 {
		i, err := a.Allocate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got[i] {
			t.Fatalf("index %d repeated", i)
		}
		got[i] = true
	}
	a.Close()
	b, err := NewFileAllocator(path, 10)
	if err != nil {
		t.Fatalf("reopening after the torn record was dropped: %v", err)
	}
	if b.Allocated() != 10 {
		t.Errorf("%d allocated, want 10", b.Allocated())
	}
	b.Close()

	for _, bad := range []string{allocatorHeader + "10\n3\n3\n", allocatorHeader + "10\n10\n", allocatorHeader + "10\nx\n", "garbage\n"} {
		p := filepath.Join(t.TempDir(), "bad")
		os.WriteFile(p, []byte(bad), 0o600)
		if _, err := NewFileAllocator(p, 10); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: got %v, want %v", bad, err, ErrMalformed)
		}
	}
	if _, err := NewFileAllocator(filepath.Join(t.TempDir(), "x"), 0); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("size 0: got %v, want %v", err, ErrInvalidOptions)
	}
}

func TestUniform(t *testing.T) {
	t.Parallel()
	counts := make([]int, 3)
	for range 3000 {
		counts[uniform(3)]++
	}
	for i, c := range counts {
		if c < 800 || c > 1200 {
			t.Errorf("value %d drawn %d times of 3000", i, c)
		}
	}
}

func TestMemoryAllocator(t *testing.T) {
	ctx := context.Background()
	a, err := NewMemoryAllocator(100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for range 100 {
		i, err := a.Allocate(ctx)
		if err != nil || i < 0 || i >= 100 || seen[i] {
			t.Fatalf("Allocate = %d, %v (seen: %v)", i, err, seen[i])
		}
		seen[i] = true
	}
	if _, err := a.Allocate(ctx); !errors.Is(err, ErrListFull) {
		t.Fatalf("full list: %v, want ErrListFull", err)
	}
	if a.Allocated() != 100 {
		t.Fatalf("Allocated() = %d", a.Allocated())
	}
	if _, err := NewMemoryAllocator(0); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("size 0: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	b, _ := NewMemoryAllocator(10)
	if _, err := b.Allocate(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
