package vc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
)

// IssuerTrust decides whether a verifier accepts credentials from an issuer. It returns
// nil to accept, or an error wrapping ErrUntrustedIssuer.
type IssuerTrust interface {
	TrustIssuer(ctx context.Context, issuer string, types []string) error
}

// TrustList is an IssuerTrust holding an explicit list of issuers, each optionally
// limited to some credential types and to a period of validity. The zero value trusts
// nobody. A TrustList is immutable after construction and safe for concurrent use.
//
// Its file form (ParseTrustList, MarshalJSON) is a JSON object with one member,
// "issuers", an array of entries:
//
//	{"issuers": [
//	  {"id": "did:web:ministry.example", "name": "Ministry of the Interior",
//	   "types": ["IdentityCredential"],
//	   "notBefore": "2026-01-01T00:00:00Z", "notAfter": "2030-12-31T23:59:59Z"},
//	  {"id": "https://university.example/issuers/1", "types": ["DiplomaCredential"]}
//	]}
//
// id is the issuer exactly as credentials name it; name is for people; types, if
// present, limits the entry to credentials having one of them; notBefore and notAfter
// (RFC 3339), if present, bound when the entry applies, judged at the verifier's clock
// (so an audit with VerifierOptions.Clock set to a past instant sees the list as it was
// then). An issuer may have several entries (for example before and after a change of
// the types it may issue); a credential is trusted when one entry accepts it.
type TrustList struct {
	entries []TrustedIssuer
	byID    map[string][]int // issuer id -> indices into entries
}

// TrustedIssuer is one entry of a TrustList.
type TrustedIssuer struct {
	// ID is the issuer's identifier exactly as credentials name it (a DID or URL).
	ID string `json:"id"`
	// Name is a human-readable name, for people reading the list; never checked.
	Name string `json:"name,omitempty"`
	// Types, if not empty, limits the entry to credentials that have at least one of
	// these types (other than VerifiableCredential).
	Types []string `json:"types,omitempty"`
	// NotBefore and NotAfter, if not nil, bound the period in which the entry applies.
	NotBefore *time.Time `json:"notBefore,omitempty"`
	NotAfter  *time.Time `json:"notAfter,omitempty"`
}

// NewTrustList makes a TrustList from entries. An entry without an ID, one whose
// period ends before it starts, or two identical entries are an error.
func NewTrustList(entries ...TrustedIssuer) (*TrustList, error) {
	t := &TrustList{byID: make(map[string][]int, len(entries))}
	for _, e := range entries {
		if e.ID == "" {
			return nil, fmt.Errorf("vc: trust list entry without id: %w", ErrMalformed)
		}
		if e.NotBefore != nil && e.NotAfter != nil && e.NotAfter.Before(*e.NotBefore) {
			return nil, fmt.Errorf("vc: trust list entry for %s ends before it starts: %w", e.ID, ErrMalformed)
		}
		for _, j := range t.byID[e.ID] {
			if sameEntry(t.entries[j], e) {
				return nil, fmt.Errorf("vc: trust list names %s twice: %w", e.ID, ErrMalformed)
			}
		}
		e.Types = slices.Clone(e.Types)
		e.NotBefore, e.NotAfter = cloneTime(e.NotBefore), cloneTime(e.NotAfter)
		t.byID[e.ID] = append(t.byID[e.ID], len(t.entries))
		t.entries = append(t.entries, e)
	}
	return t, nil
}

func sameEntry(a, b TrustedIssuer) bool {
	return slices.Equal(a.Types, b.Types) && sameTime(a.NotBefore, b.NotBefore) && sameTime(a.NotAfter, b.NotAfter)
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// ParseTrustList reads a trust list in the file form described at TrustList, decoded
// strictly (duplicate members and unknown members are errors).
func ParseTrustList(data []byte) (*TrustList, error) {
	if err := jsonx.Validate(data, jsonx.Limits{MaxBytes: 4 << 20}); err != nil {
		return nil, fmt.Errorf("vc: trust list: %w", err)
	}
	var doc struct {
		Issuers []TrustedIssuer `json:"issuers"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("vc: trust list: %v: %w", err, ErrMalformed)
	}
	if doc.Issuers == nil {
		return nil, fmt.Errorf("vc: trust list without issuers: %w", ErrMalformed)
	}
	return NewTrustList(doc.Issuers...)
}

// MarshalJSON writes the list in the file form ParseTrustList reads, entries in the
// order they were given.
func (t *TrustList) MarshalJSON() ([]byte, error) {
	entries := []TrustedIssuer{}
	if t != nil && len(t.entries) > 0 {
		entries = t.entries
	}
	return json.Marshal(struct {
		Issuers []TrustedIssuer `json:"issuers"`
	}{entries})
}

// Entries returns a copy of the list's entries.
func (t *TrustList) Entries() []TrustedIssuer {
	if t == nil {
		return nil
	}
	out := make([]TrustedIssuer, len(t.entries))
	for i, e := range t.entries {
		e.Types = slices.Clone(e.Types)
		e.NotBefore, e.NotAfter = cloneTime(e.NotBefore), cloneTime(e.NotAfter)
		out[i] = e
	}
	return out
}

// TrustIssuer accepts issuer if one of its entries applies now and, when that entry
// names types, the credential has one of them. A Verifier calls TrustIssuerAt with its
// own clock instead.
func (t *TrustList) TrustIssuer(ctx context.Context, issuer string, types []string) error {
	return t.TrustIssuerAt(ctx, issuer, types, time.Now())
}

// TrustIssuerAt is TrustIssuer with the validity periods judged at at.
func (t *TrustList) TrustIssuerAt(_ context.Context, issuer string, types []string, at time.Time) error {
	if t == nil || len(t.entries) == 0 {
		return fmt.Errorf("vc: issuer %s: empty trust list: %w", issuer, ErrUntrustedIssuer)
	}
	idx, ok := t.byID[issuer]
	if !ok {
		return fmt.Errorf("vc: issuer %s is not in the trust list: %w", issuer, ErrUntrustedIssuer)
	}
	inPeriod := false
	for _, i := range idx {
		e := t.entries[i]
		if e.NotBefore != nil && at.Before(*e.NotBefore) || e.NotAfter != nil && at.After(*e.NotAfter) {
			continue
		}
		inPeriod = true
		if len(e.Types) == 0 {
			return nil
		}
		for _, typ := range types {
			if typ != "VerifiableCredential" && slices.Contains(e.Types, typ) {
				return nil
			}
		}
	}
	if !inPeriod {
		return fmt.Errorf("vc: issuer %s is not trusted at %s: %w", issuer, at.UTC().Format(time.RFC3339), ErrUntrustedIssuer)
	}
	return fmt.Errorf("vc: issuer %s is not trusted for types %q: %w", issuer, types, ErrUntrustedIssuer)
}

// timedTrust is an IssuerTrust that judges at a given instant; the Verifier passes its
// clock to one.
type timedTrust interface {
	TrustIssuerAt(ctx context.Context, issuer string, types []string, at time.Time) error
}

// clockedTrust gives a timedTrust the verifier's clock.
type clockedTrust struct {
	t     timedTrust
	clock func() time.Time
}

// TrustIssuer judges at the verifier's clock.
func (c clockedTrust) TrustIssuer(ctx context.Context, issuer string, types []string) error {
	return c.t.TrustIssuerAt(ctx, issuer, types, c.clock())
}

// anyIssuer is the IssuerTrust behind VerifierOptions.AcceptAnyIssuer.
type anyIssuer struct{}

// TrustIssuer accepts every issuer.
func (anyIssuer) TrustIssuer(context.Context, string, []string) error { return nil }

// noIssuer is the IssuerTrust of a verifier configured with none.
type noIssuer struct{}

// TrustIssuer refuses every issuer.
func (noIssuer) TrustIssuer(_ context.Context, issuer string, _ []string) error {
	return fmt.Errorf("vc: issuer %s: no trusted issuers configured (VerifierOptions.Trust): %w", issuer, ErrUntrustedIssuer)
}
