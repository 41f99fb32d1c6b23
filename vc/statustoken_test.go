package vc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

func TestStatusListTokenSignVerify(t *testing.T) {
	ctx := context.Background()
	iss, other := newParty(t, keys.P256), newParty(t, keys.Ed25519)
	l, err := status.NewTokenList(1024, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Set(7, 1); err != nil {
		t.Fatal(err)
	}
	payload, err := l.Payload(status.TokenPayloadOptions{Subject: "https://issuer.example/status/1", Issuer: iss.did, IssuedAt: now, Expiry: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.SignStatusListToken(ctx, payload)
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{AcceptAnyIssuer: true})
	got, err := v.VerifyStatusListToken(ctx, tok, iss.did)
	if err != nil || string(got) != string(payload) {
		t.Fatalf("verified %q, %v", got, err)
	}
	if _, err := v.VerifyStatusListToken(ctx, tok, other.did); err == nil {
		t.Fatal("a list verified as another issuer's")
	}
	tok[len(tok)-3] ^= 1
	if _, err := v.VerifyStatusListToken(ctx, tok, iss.did); !errors.Is(err, vc.ErrInvalidSignature) && !errors.Is(err, vc.ErrMalformed) {
		t.Fatalf("tampered: %v", err)
	}
}
