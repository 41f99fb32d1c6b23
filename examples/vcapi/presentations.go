package main

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/jsonld"
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
//   - signed, with a holder: vc.Verifier.VerifyPresentation, the holder's proof under
//     authentication bound to options.challenge and options.domain;
//   - signed, without a holder (VC DM 2.0 makes holder optional, and the VC Data Model
//     suite signs such presentations): the same proof check, the signer being the
//     controller of the proof's verification method;
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
	case len(p.Proof) > 0 && p.Holder.ID != "":
		got, err := v.VerifyPresentation(ctx, raw, want)
		if err != nil {
			return err
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "verified presentation", slog.Any("presentation", got))
		return nil
	case len(p.Proof) > 0:
		if _, err := dataintegrity.Verify(ctx, raw, dataintegrity.VerifyOptions{
			Key: s.presentationKey, Purpose: dataintegrity.PurposeAuthentication,
			Challenge: challenge, Domain: domain, Canonicalize: canonicalizer(s.contexts),
		}); err != nil {
			return err
		}
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

// presentationKey resolves the verification method of a presentation's proof, which its
// DID document must list under the proof's purpose (authentication).
func (s *server) presentationKey(ctx context.Context, vm, purpose string) (crypto.PublicKey, error) {
	if purpose != dataintegrity.PurposeAuthentication {
		return nil, fmt.Errorf("presentation proof for %q: %w", purpose, vc.ErrProofPurpose)
	}
	m, err := s.registry.Dereference(ctx, vm, did.Authentication)
	if err != nil {
		return nil, err
	}
	return m.PublicKey()
}

// canonicalizer gives dataintegrity the RDFC-1.0 canonical form of a document through
// the library's JSON-LD processor, with embedded contexts only.
func canonicalizer(c *jsonld.Contexts) dataintegrity.Canonicalizer {
	return func(ctx context.Context, doc map[string]any, h crypto.Hash) ([]byte, error) {
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("JSON-LD document: %v: %w", err, vc.ErrMalformed)
		}
		quads, err := jsonld.ToRDF(ctx, data, c, jsonld.Options{})
		if err != nil {
			return nil, err
		}
		canon, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{Hash: h})
		if err != nil {
			return nil, err
		}
		return canon.NQuads(), nil
	}
}
