package status

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"strconv"
	"sync"
)

// Allocator hands out status list indices for new credentials: each index at most once,
// in an order an observer cannot predict, so that an index says nothing about when or to
// whom the credential was issued (§5.1 privacy considerations). Implementations must be
// safe for concurrent use.
type Allocator interface {
	// Allocate returns a fresh index, or ErrListFull when none is left.
	Allocate(ctx context.Context) (int, error)
}

const allocatorHeader = "credence status allocator v1 size="

// FileAllocator is an Allocator for one list of a fixed size, which records every index it
// hands out in a file, so that no index is handed out twice, across restarts included.
// Indices are drawn uniformly from the free ones with crypto/rand. It is safe for
// concurrent use within one process; two processes must not share one file.
type FileAllocator struct {
	mu sync.Mutex
	f  *os.File
	indexSet
}

// indexSet is the set of allocated indices of a list of size entries.
type indexSet struct {
	size  int
	used  []uint64 // bitmap of allocated indices
	count int
}

func newIndexSet(size int) indexSet {
	return indexSet{size: size, used: make([]uint64, (size+63)/64)}
}

// pick returns a free index drawn uniformly (not yet marked), or ErrListFull.
func (a *indexSet) pick() (int, error) {
	free := a.size - a.count
	if free == 0 {
		return 0, ErrListFull
	}
	// The r-th free index for a uniform r: every free index is equally likely, however
	// full the list is.
	i := a.nthFree(uniform(free))
	if i < 0 {
		return 0, fmt.Errorf("status: allocator state inconsistent: %w", ErrListFull)
	}
	return i, nil
}

// MemoryAllocator is an Allocator that keeps its record in memory: for tests, and for
// lists that live no longer than the process (a restart forgets which indices were
// handed out, so a persistent list needs a FileAllocator or a store of its own). Indices
// are drawn uniformly from the free ones with crypto/rand. It is safe for concurrent
// use.
type MemoryAllocator struct {
	mu sync.Mutex
	indexSet
}

// NewMemoryAllocator makes a MemoryAllocator for a list of size entries.
func NewMemoryAllocator(size int) (*MemoryAllocator, error) {
	if size < 1 || size > maxIndex {
		return nil, fmt.Errorf("status: NewMemoryAllocator: %w: size %d", ErrInvalidOptions, size)
	}
	return &MemoryAllocator{indexSet: newIndexSet(size)}, nil
}

// Allocate returns a fresh index, or ErrListFull when every index is taken.
func (a *MemoryAllocator) Allocate(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	i, err := a.pick()
	if err != nil {
		return 0, err
	}
	a.mark(i)
	return i, nil
}

// Allocated returns how many indices have been handed out.
func (a *MemoryAllocator) Allocated() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// NewFileAllocator opens (or creates, with mode 0600) the allocation file at path for a
// list of size entries. An existing file must be for the same size and well-formed (else
// ErrMalformed); a last record cut short by a crash is dropped, since its index was never
// returned. Close the allocator when done.
func NewFileAllocator(path string, size int) (*FileAllocator, error) {
	if size < 1 || size > maxIndex {
		return nil, fmt.Errorf("status: NewFileAllocator: %w: size %d", ErrInvalidOptions, size)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("status: NewFileAllocator: %w", err)
	}
	a := &FileAllocator{f: f, indexSet: newIndexSet(size)}
	if err := a.load(); err != nil {
		f.Close()
		return nil, err
	}
	return a, nil
}

func (a *FileAllocator) load() error {
	data, err := io.ReadAll(a.f)
	if err != nil {
		return fmt.Errorf("status: reading allocations: %w", err)
	}
	header := allocatorHeader + strconv.Itoa(a.size) + "\n"
	if len(data) == 0 {
		if _, err := a.f.WriteString(header); err != nil {
			return fmt.Errorf("status: writing allocations: %w", err)
		}
		return a.f.Sync()
	}
	rest, ok := bytes.CutPrefix(data, []byte(header))
	if !ok {
		return fmt.Errorf("status: allocation file: %w: not for a list of %d entries", ErrMalformed, a.size)
	}
	good := len(header)
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			break // the last record has no newline: cut short, its index was never returned
		}
		i, err := parseIndex(string(rest[:nl]))
		if err != nil || i >= a.size || a.isUsed(i) {
			return fmt.Errorf("status: allocation file: %w: bad record", ErrMalformed)
		}
		a.mark(i)
		good += nl + 1
		rest = rest[nl+1:]
	}
	if good != len(data) {
		if err := a.f.Truncate(int64(good)); err != nil {
			return fmt.Errorf("status: allocation file: %w", err)
		}
	}
	_, err = a.f.Seek(int64(good), io.SeekStart)
	return err
}

func (a *indexSet) isUsed(i int) bool { return a.used[i>>6]&(1<<(i&63)) != 0 }

func (a *indexSet) mark(i int) {
	a.used[i>>6] |= 1 << (i & 63)
	a.count++
}

// Allocate returns a fresh index after recording it durably (the record is written and
// synced before Allocate returns). ErrListFull when every index is taken.
func (a *FileAllocator) Allocate(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return 0, fmt.Errorf("status: Allocate: %w: allocator closed", ErrInvalidOptions)
	}
	i, err := a.pick()
	if err != nil {
		return 0, err
	}
	off, err := a.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, fmt.Errorf("status: recording allocation: %w", err)
	}
	_, err = a.f.WriteString(strconv.Itoa(i) + "\n")
	if err == nil {
		err = a.f.Sync()
	}
	if err != nil {
		// Drop a partial record so that the next one starts on its own line; the index
		// is not returned, and a record that did reach the disk only keeps it unused.
		_ = a.f.Truncate(off)
		_, _ = a.f.Seek(off, io.SeekStart)
		return 0, fmt.Errorf("status: recording allocation: %w", err)
	}
	a.mark(i)
	return i, nil
}

// nthFree returns the index of the r-th (from 0) free entry, or -1 if there is none
// (which the free count rules out).
func (a *indexSet) nthFree(r int) int {
	for w, word := range a.used {
		n := 64
		if last := a.size - w*64; last < 64 {
			n = last
		}
		freeWord := ^word
		if n < 64 {
			freeWord &= 1<<n - 1
		}
		c := bits.OnesCount64(freeWord)
		if r >= c {
			r -= c
			continue
		}
		for ; ; r-- {
			b := bits.TrailingZeros64(freeWord)
			if r == 0 {
				return w*64 + b
			}
			freeWord &^= 1 << b
		}
	}
	return -1
}

// Allocated returns how many indices have been handed out.
func (a *FileAllocator) Allocated() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// Close closes the file; later calls to Allocate fail.
func (a *FileAllocator) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return errors.New("status: allocator already closed")
	}
	err := a.f.Close()
	a.f = nil
	return err
}

// uniform returns a uniformly random integer in [0, n), n > 0, from crypto/rand.
func uniform(n int) int {
	un := uint64(n)
	limit := ^uint64(0) - ^uint64(0)%un // largest multiple of n; values at or above it are redrawn
	var b [8]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		v := binary.LittleEndian.Uint64(b[:])
		if v < limit {
			return int(v % un)
		}
	}
}
