package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// fileStore keeps one JSON document in a file of the data directory. Every change is
// written at once (to a temporary file, then renamed), so the document survives
// restarts and a crash never leaves half a file.
type fileStore[T any] struct {
	mu   sync.Mutex
	path string
	data T
}

// openStore reads path if it exists; a missing file is an empty document.
func openStore[T any](path string) (*fileStore[T], error) {
	s := &fileStore[T]{path: path}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal(b, &s.data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// view calls f with the document under the lock; f must not keep references.
func (s *fileStore[T]) view(f func(*T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.data)
}

// update calls f with the document and writes it back unless f fails.
func (s *fileStore[T]) update(f func(*T) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := f(&s.data); err != nil {
		return err
	}
	b, err := json.MarshalIndent(&s.data, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.path)
}

// erase empties the document and removes its file.
func (s *fileStore[T]) erase() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero T
	s.data = zero
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
