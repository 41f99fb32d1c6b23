package presentation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/vc"
)

// DCQL credential format identifiers (OpenID4VP 1.0 Appendix B) for the formats a
// Holder presents.
const (
	DCQLFormatSDJWTVC = "dc+sd-jwt"   // SD-JWT VC
	DCQLFormatJWTVC   = "jwt_vc_json" // W3C VCDM credentials secured as JWTs
	DCQLFormatLDPVC   = "ldp_vc"      // W3C VCDM credentials with Data Integrity proofs
	DCQLFormatVCSDJWT = "vc+sd-jwt"   // W3C VCDM 2.0 credentials secured with SD-JWT
)

// DCQLCredential is the view of a held credential (as issued, any format) that
// dcql.Evaluate matches, under the wallet's handle id. Nothing is verified: it is what
// the credential claims, read with vc.Inspect.
func DCQLCredential(id string, data []byte) (dcql.Credential, error) {
	in, err := vc.Inspect(data)
	if err != nil {
		return dcql.Credential{}, fmt.Errorf("presentation: credential %s: %w", id, err)
	}
	if in.Presentation != nil {
		return dcql.Credential{}, fmt.Errorf("presentation: %s is a presentation, not a credential: %w", id, vc.ErrInvalidType)
	}
	c := dcql.Credential{ID: id, Issuer: in.Issuer, Claims: in.Claims}
	for _, p := range in.Disclosable {
		c.Disclosable = append(c.Disclosable, []any(p))
	}
	switch in.Format {
	case vc.FormatSDJWTVC:
		c.Format = DCQLFormatSDJWTVC
		c.VCT, _ = in.Claims["vct"].(string)
		_, c.HolderBound = in.Claims["cnf"]
	case vc.FormatSDJWT:
		c.Format = DCQLFormatVCSDJWT
		_, c.HolderBound = in.Claims["cnf"]
	case vc.FormatJWT, vc.FormatJWT11:
		c.Format = DCQLFormatJWTVC
		if in.Format == vc.FormatJWT11 {
			// OpenID4VP 1.0 Appendix B.1: claims paths of a VCDM 1.1 JWT start at vc.
			if inner, ok := in.Claims["vc"].(map[string]any); ok {
				c.Claims = inner
			}
		}
	case vc.FormatDataIntegrity:
		c.Format = DCQLFormatLDPVC
	default:
		return dcql.Credential{}, fmt.Errorf("presentation: credential %s in format %s: %w", id, in.Format, vc.ErrUnsupportedFormat)
	}
	if in.Credential != nil {
		c.Types = slices.Clone(in.Credential.Type)
		c.HolderBound = c.HolderBound || len(in.Credential.Subject) > 0 && in.Credential.Subject[0].ID != ""
	}
	return c, nil
}

// RespondDCQL builds an OpenID4VP 1.0 vp_token (§8.1) for the credentials a DCQL
// evaluation chose (dcql.Result.Response, or the caller's own choice after asking the
// user): for each credential query id, one presentation per chosen credential, bound
// to req.Nonce and req.Audience (the verifier's client_id). held maps the wallet's
// handles to credentials as issued. Each credential discloses only the chosen claims:
//
//   - an SD-JWT VC (or vc+sd-jwt) becomes an SD-JWT+KB revealing exactly those paths,
//     with a key binding JWT over the nonce and audience;
//   - a vc+jwt or VCDM 1.1 JWT credential, which cannot hide claims, goes whole in a
//     vp+jwt (or 1.1 JWT presentation) signed by the holder;
//   - a Data Integrity credential with an ecdsa-sd-2023 or bbs-2023 base proof is
//     derived to reveal exactly those paths, then presented; other Data Integrity
//     credentials go whole; both in a Data Integrity presentation with challenge = nonce
//     and domain = audience.
//
// The result maps each query id to its presentations, as JSON values (a string for
// SD-JWT and JWT presentations, an object for Data Integrity ones).
func (h *Holder) RespondDCQL(ctx context.Context, held map[string][]byte, chosen map[string][]dcql.Presentation, req Request) (map[string][]json.RawMessage, error) {
	if req.Nonce == "" || req.Audience == "" {
		return nil, fmt.Errorf("presentation: a request needs a nonce and an audience: %w", vc.ErrInvalidOptions)
	}
	out := make(map[string][]json.RawMessage, len(chosen))
	for qid, list := range chosen {
		for _, p := range list {
			data, ok := held[p.CredentialID]
			if !ok {
				return nil, fmt.Errorf("presentation: query %s chose credential %q, which is not held: %w", qid, p.CredentialID, vc.ErrInvalidOptions)
			}
			vp, err := h.presentOne(ctx, data, p.Disclose, req)
			if err != nil {
				return nil, fmt.Errorf("presentation: query %s, credential %s: %w", qid, p.CredentialID, err)
			}
			out[qid] = append(out[qid], vp)
		}
	}
	return out, nil
}

// presentOne presents one credential disclosing paths, as RespondDCQL describes.
func (h *Holder) presentOne(ctx context.Context, data []byte, paths [][]any, req Request) (json.RawMessage, error) {
	in, err := vc.Inspect(data)
	if err != nil {
		return nil, err
	}
	var vp []byte
	switch in.Format {
	case vc.FormatSDJWTVC, vc.FormatSDJWT:
		disclose := make([]vc.ClaimPath, len(paths))
		for i, p := range paths {
			disclose[i] = vc.ClaimPath(p)
		}
		vp, err = h.Disclose(ctx, data, disclose, Request{Nonce: req.Nonce, Audience: req.Audience})
	case vc.FormatJWT, vc.FormatJWT11:
		vp, err = h.Present(ctx, [][]byte{data}, Request{Nonce: req.Nonce, Audience: req.Audience, Format: in.Format, Lifetime: req.Lifetime})
	case vc.FormatDataIntegrity:
		if isBaseProof(in) {
			if data, err = h.DeriveClaims(ctx, data, toClaimPaths(paths)); err != nil {
				return nil, err
			}
		}
		vp, err = h.Present(ctx, [][]byte{data}, Request{Challenge: req.Nonce, Domain: req.Audience, Format: vc.FormatDataIntegrity})
		if err == nil {
			return json.RawMessage(vp), nil
		}
	default:
		err = fmt.Errorf("format %s: %w", in.Format, vc.ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, err
	}
	s, err := json.Marshal(string(vp))
	if err != nil {
		return nil, err
	}
	return s, nil
}
