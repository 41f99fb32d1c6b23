package vc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/did"
	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/vc/status"
)

// newStatusChecker builds the status engine with this verifier's policy: status list
// credentials and tokens are verified like any credential of the same issuer (the
// engine checks that the list's issuer is the credential's), but never their own status.
func (v *Verifier) newStatusChecker(fetch status.Fetcher) (*status.Checker, error) {
	return status.NewChecker(status.CheckerOptions{
		Fetch: fetch, Clock: v.clock, ClockSkew: v.skew,
		VerifyBitstring: v.verifyStatusListCredential,
		VerifyToken:     v.verifyStatusListToken,
	})
}

// verifyStatusListCredential verifies a Bitstring (or StatusList2021) status list
// credential in any format this verifier accepts and returns its JSON.
func (v *Verifier) verifyStatusListCredential(ctx context.Context, raw []byte, issuer string) ([]byte, error) {
	lv := *v
	lv.skipStatus = true
	lv.trust = onlyIssuer(issuer) // the list's types need no trust entry of their own
	got, err := lv.VerifyCredential(ctx, raw)
	if err != nil {
		return nil, err
	}
	if got.doc != nil {
		return got.doc, nil
	}
	return marshalClaims(got.claimsMap)
}

// onlyIssuer trusts one issuer, whatever the types.
type onlyIssuer string

// TrustIssuer accepts only the one issuer.
func (o onlyIssuer) TrustIssuer(_ context.Context, issuer string, _ []string) error {
	if issuer != string(o) {
		return fmt.Errorf("vc: status list issued by %s, not by %s: %w", issuer, string(o), ErrIssuerMismatch)
	}
	return nil
}

// verifyStatusListToken verifies a Status List Token (typ statuslist+jwt) signed by a key
// of issuer and returns its payload.
// VerifyStatusListToken verifies a Status List Token (draft-ietf-oauth-status-list, a
// compact JWS of typ statuslist+jwt) as signed by issuer, with this verifier's keys and
// algorithms, and returns its payload for status.ParseStatusListToken-style decoding. It
// is what the Verifier does with every list it fetches, for callers (such as offline
// tools) that hold a list themselves.
func (v *Verifier) VerifyStatusListToken(ctx context.Context, token []byte, issuer string) ([]byte, error) {
	return v.verifyStatusListToken(ctx, bytes.TrimSpace(token), issuer)
}

func (v *Verifier) verifyStatusListToken(ctx context.Context, raw []byte, issuer string) ([]byte, error) {
	tok, err := ijose.Parse(raw, ijose.Policy{Types: []string{status.TokenTyp}, Algorithms: v.algs, MaxBytes: v.limits.maxBytes()})
	if err != nil {
		return nil, err
	}
	pub, err := v.keys.Key(ctx, KeyRequest{Issuer: issuer, KeyID: tok.Header.Kid, Relationship: did.AssertionMethod})
	if err != nil {
		return nil, err
	}
	if err := tok.Verify(pub, v.algs); err != nil {
		return nil, err
	}
	return tok.Payload, nil
}

// checkCredentialStatus checks the credentialStatus entries of c (Bitstring Status List,
// StatusList2021) and fails closed: an entry that cannot be checked is an error unless
// SkipStatus.
func (v *Verifier) checkCredentialStatus(ctx context.Context, c *Credential) error {
	if len(c.Status) == 0 || v.skipStatus {
		return nil
	}
	m, err := c.Map()
	if err != nil {
		return vErr(ReasonStatus, "/credentialStatus", err)
	}
	raw, err := json.Marshal(m["credentialStatus"])
	if err != nil {
		return vErr(ReasonStatus, "/credentialStatus", fmt.Errorf("vc: credentialStatus: %v: %w", err, ErrMalformed))
	}
	entries, err := status.ParseBitstringEntries(raw)
	if err != nil {
		return vErr(ReasonStatus, "/credentialStatus", err)
	}
	if _, err := v.status.CheckBitstring(ctx, entries, c.Issuer.ID); err != nil {
		return vErr(ReasonStatus, "/credentialStatus", err)
	}
	return nil
}

// checkTokenStatus checks the status claim of an SD-JWT VC (a Token Status List
// reference).
func (v *Verifier) checkTokenStatus(ctx context.Context, claim json.RawMessage, issuer string) error {
	if claim == nil || v.skipStatus {
		return nil
	}
	ref, err := status.ParseTokenReference(claim)
	if err != nil {
		return vErr(ReasonStatus, "/status", err)
	}
	if _, err := v.status.CheckToken(ctx, ref, issuer); err != nil {
		return vErr(ReasonStatus, "/status", err)
	}
	return nil
}
