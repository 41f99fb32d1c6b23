package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// publishedList is one Bitstring Status List and its current signed status list
// credential. Every change is signed and published at once, so that a GET, and a
// verification through listHost, sees it immediately.
type publishedList struct {
	url     string
	purpose string

	mu     sync.Mutex
	list   *status.BitstringList
	signed []byte
}

// credential returns the current signed status list credential.
func (l *publishedList) credential() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.signed
}

// set sets (or clears) entry i and publishes the list again. On error the list keeps its
// previous state.
func (l *publishedList) set(ctx context.Context, sign signFunc, issuer string, i int, on bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	old, err := l.list.Get(i)
	if err != nil {
		return err
	}
	var v uint8
	if on {
		v = 1
	}
	if err := l.list.Set(i, v); err != nil {
		return err
	}
	if err := l.publishLocked(ctx, sign, issuer); err != nil {
		_ = l.list.Set(i, old)
		return err
	}
	return nil
}

// publishLocked signs the list as a BitstringStatusListCredential of issuer.
func (l *publishedList) publishLocked(ctx context.Context, sign signFunc, issuer string) error {
	raw, err := l.list.Credential(status.BitstringCredentialOptions{
		ID: l.url, Issuer: issuer, Purpose: []string{l.purpose},
		ValidFrom: time.Now().UTC().Add(-time.Minute).Truncate(time.Second),
	})
	if err != nil {
		return err
	}
	signed, err := sign(ctx, raw)
	if err != nil {
		return fmt.Errorf("signing the %s list: %w", l.purpose, err)
	}
	l.signed = signed
	return nil
}

// signFunc secures an unsigned credential as the issuer of a base path does.
type signFunc func(ctx context.Context, unsigned []byte) ([]byte, error)

// statusLists are the revocation and suspension lists of one issuer. A credential gets
// one index, the same in both lists, drawn at random by the allocator.
type statusLists struct {
	issuer     string
	sign       signFunc
	alloc      *status.FileAllocator
	revocation *publishedList
	suspension *publishedList

	mu sync.Mutex
	// byCredential maps the SHA-256 of a credential id to its index. Entries are added
	// only with an allocated index, so there are at most as many as the list has, and
	// hashing keeps each one small whatever the length of the id.
	byCredential map[[sha256.Size]byte]int
}

// newStatusLists makes and publishes empty lists at base+"/status/revocation" and
// base+"/status/suspension"; the allocator records the indices handed out in dir.
func newStatusLists(ctx context.Context, base, dir, name, issuer string, sign signFunc) (*statusLists, error) {
	alloc, err := status.NewFileAllocator(filepath.Join(dir, name+".alloc"), status.MinBitstringEntries)
	if err != nil {
		return nil, err
	}
	s := &statusLists{issuer: issuer, sign: sign, alloc: alloc, byCredential: map[[sha256.Size]byte]int{}}
	for _, l := range []**publishedList{&s.revocation, &s.suspension} {
		purpose := status.PurposeRevocation
		if l == &s.suspension {
			purpose = status.PurposeSuspension
		}
		list, err := status.NewBitstringList(status.MinBitstringEntries, 1)
		if err != nil {
			alloc.Close()
			return nil, err
		}
		pl := &publishedList{url: base + "/status/" + purpose, purpose: purpose, list: list}
		if err := pl.publishLocked(ctx, sign, issuer); err != nil {
			alloc.Close()
			return nil, err
		}
		*l = pl
	}
	return s, nil
}

// list returns the list of purpose, or nil.
func (s *statusLists) list(purpose string) *publishedList {
	switch purpose {
	case status.PurposeRevocation:
		return s.revocation
	case status.PurposeSuspension:
		return s.suspension
	}
	return nil
}

// entries allocates an index and returns the credentialStatus entries that point to it.
func (s *statusLists) entries(ctx context.Context) ([]vc.Status, int, error) {
	i, err := s.alloc.Allocate(ctx)
	if err != nil {
		return nil, 0, err
	}
	var out []vc.Status
	for _, l := range []*publishedList{s.revocation, s.suspension} {
		e := status.BitstringEntry{
			ID: l.url + "#" + strconv.Itoa(i), Type: status.EntryTypeBitstring, Purpose: l.purpose,
			Index: i, ListCredential: l.url,
		}
		st, err := asStatus(e)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, st)
	}
	return out, i, nil
}

// asStatus converts a Bitstring entry to the data model's credentialStatus object.
func asStatus(e status.BitstringEntry) (vc.Status, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return vc.Status{}, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return vc.Status{}, err
	}
	delete(members, "id")
	delete(members, "type")
	return vc.Status{ID: e.ID, Type: e.Type, Extra: members}, nil
}

// remember records the index of an issued credential, so that its status can be
// updated by id.
func (s *statusLists) remember(credentialID string, i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byCredential[sha256.Sum256([]byte(credentialID))] = i
}

// indexOf returns the index of an issued credential.
func (s *statusLists) indexOf(credentialID string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byCredential[sha256.Sum256([]byte(credentialID))]
	return i, ok
}

// close releases the allocator's file.
func (s *statusLists) close() error { return s.alloc.Close() }

// listHost serves the server's own status list credentials to its verifiers, in
// process: verification never makes a network request, and a URL that is not one of
// these lists fails with ErrStatusRetrieval.
type listHost struct {
	lists map[string]*publishedList // fixed after start
}

// Fetch implements status.Fetcher.
func (h *listHost) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	l, ok := h.lists[url]
	if !ok {
		return nil, fmt.Errorf("%s is not a status list of this server: %w", url, vc.ErrStatusRetrieval)
	}
	return l.credential(), nil
}
