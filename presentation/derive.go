package presentation

import (
	"context"
	"fmt"

	"github.com/credence-dev/credence/vc"
)

// Derive turns a credential secured with an ecdsa-sd-2023 base proof, as the issuer gave
// it to the holder, into a derived credential that reveals only what the issuer made
// mandatory and what pointers select: JSON Pointers (RFC 6901) into the credential, such
// as "/credentialSubject/ageOver18". The result is what a verifier receives, on its own
// (vc.Verifier.VerifyCredential) or inside a Data Integrity presentation (Present with
// vc.FormatDataIntegrity).
//
// The base credential itself must never reach a verifier: it carries the HMAC key that
// links every blank node and the signature of every statement, so that a verifier would
// learn what the holder meant to withhold (verifiers refuse it with
// vc.ErrBaseProofPresented). Derive checks that the credential is about the holder, as
// Present does, but does not verify the issuer's proof.
func (h *Holder) Derive(ctx context.Context, cred []byte, pointers []string) ([]byte, error) {
	in, err := vc.Inspect(cred)
	if err != nil {
		return nil, fmt.Errorf("presentation: %w", err)
	}
	if in.Credential == nil || in.Format != vc.FormatDataIntegrity {
		return nil, fmt.Errorf("presentation: Derive needs a Data Integrity credential, not a %s %s: %w", in.Format, kind(in), vc.ErrUnsupportedFormat)
	}
	if !about(in.Credential, h.id) {
		return nil, fmt.Errorf("presentation: the credential is not about holder %s: %w", h.id, vc.ErrHolderBinding)
	}
	out, err := vc.DeriveCredential(ctx, cred, vc.DeriveOptions{Disclose: pointers})
	if err != nil {
		return nil, fmt.Errorf("presentation: %w", err)
	}
	return out, nil
}
