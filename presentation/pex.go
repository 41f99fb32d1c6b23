package presentation

import (
	"context"
	"encoding/base64"
	"fmt"

	"github.com/credence-dev/credence/pex"
	"github.com/credence-dev/credence/vc"
)

// sdCryptosuites are the Data Integrity cryptosuites whose base proof a holder derives
// a selective disclosure from.
var sdCryptosuites = map[string]bool{"ecdsa-sd-2023": true, "bbs-2023": true}

// cryptosuiteOf returns the cryptosuite of a credential's (first) Data Integrity proof.
func cryptosuiteOf(in *vc.Inspected) string {
	proof := in.Claims["proof"]
	if list, ok := proof.([]any); ok && len(list) > 0 {
		proof = list[0]
	}
	m, _ := proof.(map[string]any)
	s, _ := m["cryptosuite"].(string)
	return s
}

// isBaseProof reports whether a Data Integrity credential carries an ecdsa-sd-2023 or
// bbs-2023 base proof (the issuer's, for the holder only): its proofValue's CBOR header
// says so (0xd9 0x5d 0x00 and 0x02; derived proofs are 0x01 and 0x03).
func isBaseProof(in *vc.Inspected) bool {
	if !sdCryptosuites[cryptosuiteOf(in)] {
		return false
	}
	proof := in.Claims["proof"]
	if list, ok := proof.([]any); ok && len(list) > 0 {
		proof = list[0]
	}
	m, _ := proof.(map[string]any)
	pv, _ := m["proofValue"].(string)
	if len(pv) < 5 || pv[0] != 'u' {
		return true // not a derived proof value: keep it from verifiers
	}
	head, err := base64.RawURLEncoding.DecodeString(pv[1:5])
	if err != nil || len(head) < 3 {
		return true
	}
	return head[0] != 0xd9 || head[1] != 0x5d || head[2]%2 == 0
}

// PEXCandidate turns a held credential (as issued, any format) into the view pex.Evaluate
// matches, under the wallet's handle id, with the claim format designations of the DIF
// registry: dc+sd-jwt, vc+sd-jwt, jwt_vc_json (vc+jwt), jwt_vc (the VCDM 1.1 JWT
// encoding) and ldp_vc. Nothing is verified.
func PEXCandidate(id string, data []byte) (pex.Candidate, error) {
	in, err := vc.Inspect(data)
	if err != nil {
		return pex.Candidate{}, fmt.Errorf("presentation: credential %s: %w", id, err)
	}
	if in.Presentation != nil {
		return pex.Candidate{}, fmt.Errorf("presentation: %s is a presentation, not a credential: %w", id, vc.ErrInvalidType)
	}
	c := pex.Candidate{ID: id, Claims: in.Claims, Issuer: in.Issuer}
	_, cnf := in.Claims["cnf"]
	switch in.Format {
	case vc.FormatSDJWTVC:
		c.Format, c.SelectiveDisclosure, c.HolderBound = "dc+sd-jwt", true, cnf
	case vc.FormatSDJWT:
		c.Format, c.SelectiveDisclosure, c.HolderBound = "vc+sd-jwt", true, cnf
	case vc.FormatJWT:
		c.Format = "jwt_vc_json"
	case vc.FormatJWT11:
		c.Format = "jwt_vc"
	case vc.FormatDataIntegrity:
		c.Format, c.ProofType = "ldp_vc", "DataIntegrityProof"
		c.Cryptosuite = cryptosuiteOf(in)
		c.SelectiveDisclosure = sdCryptosuites[c.Cryptosuite]
	default:
		return pex.Candidate{}, fmt.Errorf("presentation: credential %s in format %s: %w", id, in.Format, vc.ErrUnsupportedFormat)
	}
	if in.Credential != nil {
		for _, s := range in.Credential.Subject {
			if s.ID != "" {
				c.Subjects = append(c.Subjects, s.ID)
			}
		}
		c.HolderBound = c.HolderBound || len(c.Subjects) > 0
	}
	return c, nil
}

// PresentPEX carries out the disclosure plan of PEX matches (pex.Result, after the
// holder chose among them): each matched credential of held is presented on its own,
// bound to req (nonce and audience; challenge and domain for Data Integrity, which
// default to them), revealing what the match says:
//
//   - an SD-JWT discloses exactly Disclose (and Optional when withOptional), with a key
//     binding JWT;
//   - a Data Integrity credential with an ecdsa-sd-2023 or bbs-2023 base proof is
//     derived to reveal those paths and what the definition's frame selects, then
//     presented;
//   - other credentials, which cannot hide claims, are presented whole; when the match
//     is Limited (limit_disclosure required) that is refused with
//     vc.ErrUnsupportedFormat, since it would disclose more than asked.
//
// A match with Predicates is vc.ErrUnsupportedProof: no supported format derives a
// boolean in place of a value. The presentations come back in the order of matches.
func (h *Holder) PresentPEX(ctx context.Context, held map[string][]byte, matches []pex.Match, withOptional bool, req Request) ([][]byte, error) {
	if req.Nonce == "" || req.Audience == "" {
		return nil, fmt.Errorf("presentation: a request needs a nonce and an audience: %w", vc.ErrInvalidOptions)
	}
	out := make([][]byte, 0, len(matches))
	for _, m := range matches {
		data, ok := held[m.CandidateID]
		if !ok {
			return nil, fmt.Errorf("presentation: the plan names credential %q, which is not held: %w", m.CandidateID, vc.ErrInvalidOptions)
		}
		if len(m.Predicates) > 0 {
			return nil, fmt.Errorf("presentation: credential %s: predicates cannot be derived: %w", m.CandidateID, vc.ErrUnsupportedProof)
		}
		paths := m.Disclose
		if withOptional {
			paths = append(append([][]any(nil), paths...), m.Optional...)
		}
		in, err := vc.Inspect(data)
		if err != nil {
			return nil, fmt.Errorf("presentation: credential %s: %w", m.CandidateID, err)
		}
		var vp []byte
		switch {
		case in.Format == vc.FormatSDJWTVC || in.Format == vc.FormatSDJWT:
			vp, err = h.Disclose(ctx, data, toClaimPaths(paths), req)
		case in.Format == vc.FormatDataIntegrity && sdCryptosuites[cryptosuiteOf(in)]:
			derived, derr := h.DeriveClaims(ctx, data, toClaimPaths(append(append([][]any(nil), paths...), m.Framed...)))
			if derr != nil {
				return nil, fmt.Errorf("presentation: credential %s: %w", m.CandidateID, derr)
			}
			vp, err = h.Present(ctx, [][]byte{derived}, diRequest(req))
		case m.Limited:
			return nil, fmt.Errorf("presentation: credential %s (%s) cannot limit disclosure as the definition requires: %w", m.CandidateID, in.Format, vc.ErrUnsupportedFormat)
		case in.Format == vc.FormatDataIntegrity:
			vp, err = h.Present(ctx, [][]byte{data}, diRequest(req))
		default:
			vp, err = h.Present(ctx, [][]byte{data}, Request{Nonce: req.Nonce, Audience: req.Audience, Format: in.Format, Lifetime: req.Lifetime})
		}
		if err != nil {
			return nil, fmt.Errorf("presentation: credential %s: %w", m.CandidateID, err)
		}
		out = append(out, vp)
	}
	return out, nil
}

func toClaimPaths(paths [][]any) []vc.ClaimPath {
	out := make([]vc.ClaimPath, len(paths))
	for i, p := range paths {
		out[i] = vc.ClaimPath(p)
	}
	return out
}

// diRequest binds a Data Integrity presentation: challenge and domain, defaulting to the
// nonce and audience.
func diRequest(req Request) Request {
	r := Request{Challenge: req.Challenge, Domain: req.Domain, Format: vc.FormatDataIntegrity}
	if r.Challenge == "" {
		r.Challenge = req.Nonce
	}
	if r.Domain == "" {
		r.Domain = req.Audience
	}
	return r
}
