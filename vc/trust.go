package vc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/internal/jsonx"
)

// IssuerTrust decides whether a verifier accepts credentials from an issuer. It returns
// nil to accept, or an error wrapping ErrUntrustedIssuer.
type IssuerTrust interface {
	TrustIssuer(ctx context.Context, issuer string, types []string) error
}

// TrustList is an IssuerTrust holding an explicit list of issuers, each optionally
// limited to some credential types. The zero value trusts nobody. A TrustList is
// immutable after construction and safe for concurrent use.
type TrustList struct {
	issuers map[string][]string // issuer id -> accepted types (empty: any)
}

// TrustedIssuer is one entry of a TrustList.
type TrustedIssuer struct {
	// ID is the issuer's identifier exactly as credentials name it (a DID or URL).
	ID string `json:"id"`
	// Types, if not empty, limits the entry to credentials that have at least one of
	// these types (other than VerifiableCredential).
	Types []string `json:"types,omitempty"`
}

// NewTrustList makes a TrustList from entries. An entry without an ID, or an issuer
// listed twice, is an error.
func NewTrustList(entries ...TrustedIssuer) (*TrustList, error) {
	t := &TrustList{issuers: make(map[string][]string, len(entries))}
	for _, e := range entries {
		if e.ID == "" {
			return nil, fmt.Errorf("vc: trust list entry without id: %w", ErrMalformed)
		}
		if _, dup := t.issuers[e.ID]; dup {
			return nil, fmt.Errorf("vc: trust list names %s twice: %w", e.ID, ErrMalformed)
		}
		t.issuers[e.ID] = slices.Clone(e.Types)
	}
	return t, nil
}

// ParseTrustList reads a trust list from JSON of the form
//
//	{"issuers": [{"id": "did:web:ministry.example", "types": ["IdentityCredential"]}]}
//
// decoded strictly (duplicate members and unknown top-level members are errors).
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
	return NewTrustList(doc.Issuers...)
}

// TrustIssuer accepts issuer if it is listed and, when its entry names types, the
// credential has one of them.
func (t *TrustList) TrustIssuer(_ context.Context, issuer string, types []string) error {
	if t == nil || t.issuers == nil {
		return fmt.Errorf("vc: issuer %s: empty trust list: %w", issuer, ErrUntrustedIssuer)
	}
	allowed, ok := t.issuers[issuer]
	if !ok {
		return fmt.Errorf("vc: issuer %s is not in the trust list: %w", issuer, ErrUntrustedIssuer)
	}
	if len(allowed) == 0 {
		return nil
	}
	for _, typ := range types {
		if typ != "VerifiableCredential" && slices.Contains(allowed, typ) {
			return nil
		}
	}
	return fmt.Errorf("vc: issuer %s is not trusted for types %q: %w", issuer, types, ErrUntrustedIssuer)
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
