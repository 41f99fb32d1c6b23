package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/credence-dev/credence/vc"
)

// presentationRequest is the body of POST /presentations/verify (VC-API).
type presentationRequest struct {
	VerifiablePresentation json.RawMessage `json:"verifiablePresentation"`
	Options                struct {
		Challenge string `json:"challenge"`
		Domain    string `json:"domain"`
	} `json:"options"`
}

// verifyPresentation verifies a presentation and every credential in it:
//
//   - signed: vc.Verifier.VerifyPresentation, the holder's proof under authentication
//     bound to options.challenge and options.domain; without a holder (VC DM 2.0 makes it
//     optional, and the VC Data Model suite signs such presentations) the signer, the DID
//     of the proof's verification method, is the holder;
//   - unsigned: the presentation must follow the data model and hold at least one
//     credential, and every credential must verify.
//
// Success is exactly 200; any failure is 400 with a problem naming the sentinel.
func (bp *basePath) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	var req presentationRequest
	if err := decodeBody(r, &req); err != nil {
		bp.srv.fail(w, r, statusFor(err), "invalid request", err, true)
		return
	}
	if !isObject(req.VerifiablePresentation) {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid presentation",
			fmt.Errorf("verifiablePresentation must be a JSON object: %w", vc.ErrMalformed), true)
		return
	}
	v, err := bp.srv.verifier()
	if err != nil {
		bp.srv.fail(w, r, http.StatusInternalServerError, "verifier unavailable", err, true)
		return
	}
	if err := bp.srv.checkPresentation(r.Context(), v, req.VerifiablePresentation, req.Options.Challenge, req.Options.Domain); err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "presentation not verified", err, true)
		return
	}
	writeJSON(w, http.StatusOK, verified())
}

// checkPresentation applies the rules of verifyPresentation.
func (s *server) checkPresentation(ctx context.Context, v *vc.Verifier, raw json.RawMessage, challenge, domain string) error {
	p, err := vc.ParsePresentation(raw)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if len(p.Proof) > 0 && challenge == "" {
		return fmt.Errorf("a signed presentation is verified against options.challenge, which is missing: %w", vc.ErrChallengeMismatch)
	}
	if len(p.Proof) > 0 && domain == "" {
		return fmt.Errorf("a signed presentation is verified against options.domain, which is missing: %w", vc.ErrDomainMismatch)
	}
	want := vc.Expect{Challenge: challenge, Domain: domain, Nonce: challenge, Audience: domain}
	switch {
	case len(p.Proof) > 0:
		// Signed, with or without a holder: without one, the signer (the DID of the
		// proof's verification method) is the holder.
		got, err := v.VerifyPresentation(ctx, raw, want)
		if err != nil {
			return err
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "verified presentation", slog.Any("presentation", got))
		return nil
	case len(p.VerifiableCredential) == 0:
		return fmt.Errorf("an unsigned presentation without credentials proves nothing: %w", vc.ErrMissingProof)
	}
	for i, c := range p.VerifiableCredential {
		if _, err := v.VerifyCredential(ctx, c); err != nil {
			return fmt.Errorf("verifiableCredential/%d: %w", i, err)
		}
	}
	return nil
}
