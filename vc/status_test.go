package vc_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// listHost serves status lists from memory, as a static host would, and counts fetches.
type listHost struct {
	mu      sync.Mutex
	lists   map[string][]byte
	fetches int
}

func (h *listHost) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fetches++
	b, ok := h.lists[url]
	if !ok {
		return nil, fmt.Errorf("no list at %s: %w", url, vc.ErrStatusRetrieval)
	}
	return b, nil
}

// publish signs the list as a vc+jwt of iss and serves it at url.
func (h *listHost) publish(t *testing.T, iss party, list *status.BitstringList, url string) {
	t.Helper()
	raw, err := list.Credential(status.BitstringCredentialOptions{ID: url, Issuer: iss.did, Purpose: []string{status.PurposeRevocation},
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tok := issue(t, iss, parseCredential(t, string(raw)), vc.FormatJWT)
	h.mu.Lock()
	h.lists[url] = tok
	h.mu.Unlock()
}

func TestRevocationBitstring(t *testing.T) {
	ctx := context.Background()
	iss, alice, other := newParty(t, keys.Ed25519), newParty(t, keys.Ed25519), newParty(t, keys.Ed25519)
	const url = "https://status.ministry.example/lists/1"
	list, err := status.NewBitstringList(status.MinBitstringEntries, 1)
	if err != nil {
		t.Fatal(err)
	}
	host := &listHost{lists: map[string][]byte{}}
	host.publish(t, iss, list, url)

	cred := credentialJSON("", alice.did)
	withStatus := cred[:len(cred)-1] + `,"credentialStatus":{"id":"` + url + `#42","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"42","statusListCredential":"` + url + `"}}`
	tok := issue(t, iss, parseCredential(t, withStatus), vc.FormatJWT)

	newVerifier := func() *vc.Verifier {
		return verifier(t, vc.VerifierOptions{Trust: mustTrust(t, vc.TrustedIssuer{ID: iss.did, Types: []string{"IdentityCredential"}}), StatusFetcher: host})
	}
	v := newVerifier()
	for range 100 {
		if _, err := v.VerifyCredential(ctx, tok); err != nil {
			t.Fatalf("before revocation: %v", err)
		}
	}
	if host.fetches != 1 {
		t.Fatalf("100 verifications fetched the list %d times", host.fetches)
	}

	if err := list.Set(42, 1); err != nil {
		t.Fatal(err)
	}
	host.publish(t, iss, list, url)
	if _, err := newVerifier().VerifyCredential(ctx, tok); !errors.Is(err, vc.ErrRevoked) {
		t.Fatalf("after revocation: %v", err)
	}

	// A list signed by someone else is not the issuer's word.
	host.publish(t, other, list, url)
	if _, err := newVerifier().VerifyCredential(ctx, tok); err == nil || errors.Is(err, vc.ErrRevoked) {
		t.Fatalf("list of another issuer: %v", err)
	}
	// No fetcher: fail closed.
	v = verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	if _, err := v.VerifyCredential(ctx, tok); !errors.Is(err, vc.ErrStatusRetrieval) {
		t.Fatalf("no fetcher: %v", err)
	}
}
