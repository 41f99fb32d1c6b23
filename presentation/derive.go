package presentation

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/vc"
)

// Derive turns a credential secured with an ecdsa-sd-2023 or bbs-2023 base proof, as the
// issuer gave it to the holder, into a derived credential that reveals only what the
// issuer made mandatory and what pointers select: JSON Pointers (RFC 6901) into the
// credential, such as "/credentialSubject/ageOver18". The result is what a verifier
// receives, on its own (vc.Verifier.VerifyCredential) or inside a Data Integrity
// presentation (Present with vc.FormatDataIntegrity).
//
// Each bbs-2023 derivation is a fresh zero-knowledge proof: derive once per verifier and
// two verifiers cannot link the credentials by their proofs, only by what they reveal.
// The credential's subject id is such a thing: Derive requires it to be the holder's
// (unless the credential has cnf), and revealing any member of the subject reveals its
// id. ecdsa-sd-2023 derivations of one credential are linkable by their proofs too. To
// bind a bbs-2023 proof to a verifier's nonce, call vc.DeriveCredential with
// DeriveOptions.PresentationHeader.
//
// The base credential itself must never reach a verifier: it carries the HMAC key that
// links every blank node (and for ecdsa-sd-2023 the signature of every statement), so
// that a verifier would learn what the holder meant to withhold (verifiers refuse it with
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

// DeriveClaims is Derive with the claims named as claims paths, the form DCQL queries
// use (vc.ClaimPath: a string selects an object member, a non-negative integer an array
// element, nil every element of an array), such as {"credentialSubject", "ageOver18"}.
// Each path becomes the JSON Pointers of the values it names in cred; a path that names
// nothing is vc.ErrInvalidOptions.
func (h *Holder) DeriveClaims(ctx context.Context, cred []byte, paths []vc.ClaimPath) ([]byte, error) {
	var doc any
	if err := json.Unmarshal(cred, &doc); err != nil {
		return nil, fmt.Errorf("presentation: credential: %v: %w", err, vc.ErrMalformed)
	}
	var pointers []string
	for _, p := range paths {
		ps, err := claimPointers(doc, p, "")
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			return nil, fmt.Errorf("presentation: claims path %v names nothing in the credential: %w", p, vc.ErrInvalidOptions)
		}
		pointers = append(pointers, ps...)
	}
	return h.Derive(ctx, cred, pointers)
}

// claimPointers returns the JSON Pointers, under prefix, of the values path names in v.
func claimPointers(v any, path vc.ClaimPath, prefix string) ([]string, error) {
	if len(path) == 0 {
		return []string{prefix}, nil
	}
	switch c := path[0].(type) {
	case string:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, nil
		}
		next, ok := obj[c]
		if !ok {
			return nil, nil
		}
		return claimPointers(next, path[1:], prefix+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(c))
	case nil:
		arr, ok := v.([]any)
		if !ok {
			return nil, nil
		}
		var out []string
		for i, el := range arr {
			ps, err := claimPointers(el, path[1:], prefix+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
		return out, nil
	}
	i, ok := claimIndex(path[0])
	if !ok {
		return nil, fmt.Errorf("presentation: claims path component %v is not a string, an index or null: %w", path[0], vc.ErrInvalidOptions)
	}
	arr, isArr := v.([]any)
	if !isArr || i >= len(arr) {
		return nil, nil
	}
	return claimPointers(arr[i], path[1:], prefix+"/"+strconv.Itoa(i))
}

// claimIndex reads a non-negative integer component of a claims path.
func claimIndex(c any) (int, bool) {
	switch n := c.(type) {
	case int:
		return n, n >= 0
	case int64:
		return int(n), n >= 0 && n <= math.MaxInt32
	case uint:
		return int(n), n <= math.MaxInt32
	case float64:
		return int(n), n >= 0 && n == math.Trunc(n) && n <= math.MaxInt32
	case json.Number:
		i, err := strconv.Atoi(n.String())
		return i, err == nil && i >= 0
	}
	return 0, false
}
