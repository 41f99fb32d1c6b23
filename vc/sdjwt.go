package vc

import (
	"context"
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
	vcjose "github.com/credence-dev/credence/vc/jose"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// SD-JWT formats.
const (
	// FormatSDJWTVC is an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc, typ dc+sd-jwt): claims
	// with a vct, each personal claim selectively disclosable.
	FormatSDJWTVC Format = "dc+sd-jwt"
	// FormatSDJWT is a VCDM 2.0 credential secured with SD-JWT (VC-JOSE-COSE, typ
	// vc+sd-jwt).
	FormatSDJWT Format = "vc+sd-jwt"
)

// TypeMetadataPolicy is VerifierOptions.TypeMetadata: how SD-JWT VC type metadata is
// retrieved and whether a type without metadata is accepted (see sdjwt.TypeMetadataPolicy).
type TypeMetadataPolicy = sdjwt.TypeMetadataPolicy

// TypeMetadata is the effective type metadata of an SD-JWT VC type (see
// sdjwt.TypeMetadata).
type TypeMetadata = sdjwt.TypeMetadata

// ClaimPath names a claim in a credential, as SD-JWT and DCQL claims paths do: a string
// selects an object member, an integer an array element, nil every element.
type ClaimPath = sdjwt.Path

// sdKind maps an engine kind to the facade's format.
func sdFormat(k sdjwt.Kind) Format {
	if k == sdjwt.VC {
		return FormatSDJWTVC
	}
	return FormatSDJWT
}

// newSDJWTVerifier builds the SD-JWT engine with this verifier's keys and policy.
func (v *Verifier) newSDJWTVerifier() (*sdjwt.Verifier, error) {
	issuerKey := func(ctx context.Context, r sdjwt.KeyRequest) (crypto.PublicKey, error) {
		// Trust first, on the claimed issuer and types, so that no key of an issuer the
		// verifier does not trust is ever fetched; they are checked again once verified.
		if err := v.trust.TrustIssuer(ctx, r.Issuer, r.Types); err != nil {
			return nil, err
		}
		return v.keys.Key(ctx, KeyRequest{Issuer: r.Issuer, KeyID: r.KeyID, Relationship: did.AssertionMethod, X5C: r.X5C})
	}
	holderKey := func(ctx context.Context, r sdjwt.KeyRequest) (crypto.PublicKey, error) {
		// A cnf given by kid names a DID URL of the holder: its key must be listed for
		// authentication in the holder's own DID document.
		u, err := did.ParseURL(r.KeyID)
		if err != nil {
			return nil, fmt.Errorf("vc: cnf kid %q is not a DID URL: %w", r.KeyID, ErrHolderBinding)
		}
		return v.keys.Key(ctx, KeyRequest{Issuer: u.DID.String(), KeyID: r.KeyID, Relationship: did.Authentication})
	}
	var kinds []sdjwt.Kind
	if v.allows(FormatSDJWTVC) {
		kinds = append(kinds, sdjwt.VC)
	}
	if v.allows(FormatSDJWT) {
		kinds = append(kinds, sdjwt.VCDMCredential)
	}
	if len(kinds) == 0 {
		return nil, nil
	}
	return sdjwt.NewVerifier(issuerKey, sdjwt.VerifierOptions{
		Kinds: kinds, Algorithms: v.algs, AllowX5C: v.allowX5C, HolderKey: holderKey, AllowLegacyVCType: v.legacySDJWT,
		Clock: v.clock, ClockSkew: v.skew, KeyBindingMaxAge: v.maxAge, KeyBindingSkew: v.skew,
		MaxBytes: v.limits.maxBytes(), MaxDepth: v.limits.MaxDepth, TypeMetadata: v.typeMeta,
	})
}

// newSDJWTVPVerifier builds the engine for vp+sd-jwt presentations: the holder signs
// them, so the key is the holder's authentication key and no issuer trust applies.
func (v *Verifier) newSDJWTVPVerifier() (*sdjwt.Verifier, error) {
	if !v.allows(FormatSDJWT) {
		return nil, nil
	}
	holderKey := func(ctx context.Context, r sdjwt.KeyRequest) (crypto.PublicKey, error) {
		if r.Issuer == "" {
			return nil, fmt.Errorf("vc: the presentation names no holder: %w", ErrHolderBinding)
		}
		return v.keys.Key(ctx, KeyRequest{Issuer: r.Issuer, KeyID: r.KeyID, Relationship: did.Authentication, X5C: r.X5C})
	}
	return sdjwt.NewVerifier(holderKey, sdjwt.VerifierOptions{
		Kinds: []sdjwt.Kind{sdjwt.VCDMPresentation}, Algorithms: v.algs, AllowX5C: v.allowX5C,
		Clock: v.clock, ClockSkew: v.skew, MaxBytes: v.limits.maxBytes(), MaxDepth: v.limits.MaxDepth,
	})
}

// isVPSDJWT reports whether an SD-JWT in compact form says typ vp+sd-jwt. Anything it
// cannot read goes the SD-JWT VC way, whose verification then reports the problem.
func isVPSDJWT(data []byte) bool {
	in, err := sdjwt.Inspect(data)
	return err == nil && in.Kind == sdjwt.VCDMPresentation
}

// envelopedSD returns the media type and token of an enveloped SD-JWT credential or
// presentation (a data: URL of application/vc+sd-jwt or application/vp+sd-jwt).
func envelopedSD(raw []byte, obj any) (string, []byte, bool) {
	m, ok := obj.(map[string]any)
	if !ok {
		return "", nil, false
	}
	if typ, _ := m["type"].(string); !strings.HasPrefix(typ, "Enveloped") {
		return "", nil, false
	}
	mt, tok, err := vcjose.Unenvelope(raw)
	if err != nil || mt != vcjose.MediaTypeCredentialSDJWT && mt != vcjose.MediaTypePresentationSDJWT {
		return "", nil, false
	}
	return mt, tok, true
}

// verifyVPSDJWT verifies a VC-JOSE-COSE vp+sd-jwt: a VCDM 2.0 presentation secured with
// SD-JWT by its holder, bound to the verifier by its nonce and aud claims as a vp+jwt
// is, each credential inside verified and bound to the holder. A key binding JWT has no
// place in it: the holder's own signature is the proof.
func (v *Verifier) verifyVPSDJWT(ctx context.Context, data []byte, want Expect) (*VerifiedPresentation, error) {
	if v.sdvp == nil {
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: vp+sd-jwt is not allowed by this verifier: %w", ErrUnsupportedFormat))
	}
	sv, err := v.sdvp.VerifyIssued(ctx, data)
	if errors.Is(err, ErrIssuerMismatch) {
		return nil, vErr(ReasonHolder, "", fmt.Errorf("%w: %w", ErrHolderBinding, err))
	}
	if err != nil {
		return nil, vErr(reasonOfSDJWT(err), "", err)
	}
	claims := sv.Claims()
	holder, holderKey := sv.Issuer(), sv.IssuerKey()
	if nonce, _ := claims["nonce"].(string); subtle.ConstantTimeCompare([]byte(nonce), []byte(want.Nonce)) != 1 {
		return nil, vErr(ReasonPresentation, "/nonce", fmt.Errorf("vc: presentation nonce does not match: %w", ErrNonceMismatch))
	}
	if aud, _ := claims["aud"].(string); aud != want.Audience {
		return nil, vErr(ReasonPresentation, "/aud", fmt.Errorf("vc: presentation audience is not exactly %q: %w", want.Audience, ErrAudienceMismatch))
	}
	iat := sv.IssuedAt()
	if iat.IsZero() {
		return nil, vErr(ReasonTime, "/iat", fmt.Errorf("vc: presentation without iat: %w", ErrStale))
	}
	if v.clock().Sub(iat) > v.maxAge+v.skew {
		return nil, vErr(ReasonTime, "/iat", fmt.Errorf("vc: presentation issued at %s is older than %s: %w", iat.Format(time.RFC3339), v.maxAge, ErrStale))
	}
	doc, err := marshalClaims(claims)
	if err != nil {
		return nil, err
	}
	pres, err := ParsePresentation(doc)
	if err != nil {
		return nil, err
	}
	if err := pres.Validate(); err != nil {
		return nil, err
	}
	creds, err := v.verifyHeld(ctx, pres, holder, holderKey)
	if err != nil {
		return nil, err
	}
	if err := v.replay.Use(ctx, "vp\x00"+want.Audience+"\x00"+want.Nonce, iat.Add(v.maxAge+2*v.skew)); err != nil {
		return nil, vErr(ReasonPresentation, "/nonce", err)
	}
	return &VerifiedPresentation{
		format: FormatSDJWT, holder: holder, holderKey: holderKey, credentials: creds,
		proof: ProofInfo{KeyID: sv.Header().Kid, Algorithm: sv.Header().Alg, Created: timePtr(iat)},
	}, nil
}

// signVPSDJWT secures a presentation (its JSON) as a vp+sd-jwt signed by the holder,
// with the verifier's nonce and audience as claims and the members at o.Disclose
// selectively disclosable (all its disclosures are included: the holder is its issuer).
func signVPSDJWT(s keys.Signer, keyID string, data []byte, o PresentationOptions) ([]byte, error) {
	var claims map[string]any
	if err := json.Unmarshal(data, &claims); err != nil {
		return nil, fmt.Errorf("vc: presentation JSON: %v: %w", err, ErrMalformed)
	}
	for _, k := range []string{"nonce", "aud", "iat", "exp"} {
		if _, ok := claims[k]; ok {
			return nil, fmt.Errorf("vc: the presentation must not hold %s: %w", k, ErrMalformed)
		}
	}
	claims["nonce"] = o.Nonce
	claims["aud"] = o.Audience
	for _, p := range o.Disclose {
		if len(p) > 0 {
			if name, ok := p[0].(string); ok && slices.Contains(vpPlain, name) {
				return nil, fmt.Errorf("vc: %s of a vp+sd-jwt cannot be selectively disclosable: %w", name, ErrReservedClaimDisclosed)
			}
		}
	}
	frame, err := sdjwt.PathFrame(o.Disclose...)
	if err != nil {
		return nil, err
	}
	return sdjwt.Issue(s, claims, frame, sdjwt.IssueOptions{
		Kind: sdjwt.VCDMPresentation, KeyID: keyID, IssuedAt: o.IssuedAt, Expiry: o.Expiry,
	})
}

func (v *Verifier) sdjwtEngine() (*sdjwt.Verifier, error) {
	if v.sd == nil {
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: SD-JWT formats are not allowed by this verifier: %w", ErrUnsupportedFormat))
	}
	return v.sd, nil
}

// verifySDJWT verifies an SD-JWT as issued (presentation == false) or a presentation
// with key binding, and applies the facade's rules: trust, the VCDM data model for
// vc+sd-jwt, validity and status.
func (v *Verifier) verifySDJWT(ctx context.Context, data []byte, want *Expect) (*Verified, error) {
	eng, err := v.sdjwtEngine()
	if err != nil {
		return nil, err
	}
	var sv *sdjwt.Verified
	if want == nil {
		sv, err = eng.VerifyIssued(ctx, data)
	} else {
		sv, err = eng.VerifyPresentation(ctx, data, sdjwt.Expect{Nonce: want.Nonce, Audience: want.Audience})
	}
	if err != nil {
		return nil, vErr(reasonOfSDJWT(err), "", err)
	}
	claims := sv.Claims()
	out := &Verified{format: sdFormat(sv.Kind()), issuer: sv.Issuer(), claimsMap: claims,
		proof: ProofInfo{KeyID: sv.Header().Kid, Algorithm: sv.Header().Alg, Created: timePtr(sv.IssuedAt())}}
	if sv.Kind() == sdjwt.VC {
		out.types = []string{sv.VCT()}
	} else {
		c, err := credentialFromClaims(claims)
		if err != nil {
			return nil, err
		}
		out.types = slices.Clone(c.Type)
		out.subjects = subjectIDs(c)
		out.validFrom, out.validTo = c.ValidFrom, c.ValidUntil
		if err := v.checkValidity(c, v.clock()); err != nil {
			return nil, err
		}
		if err := v.checkCredentialStatus(ctx, c); err != nil {
			return nil, err
		}
	}
	if t := sv.Expiry(); !t.IsZero() && out.validTo == nil {
		out.validTo = &t
	}
	if err := v.trust.TrustIssuer(ctx, out.issuer, out.types); err != nil {
		return nil, vErr(ReasonTrust, "/iss", err)
	}
	if err := v.checkTokenStatus(ctx, sv.Status(), out.issuer); err != nil {
		return nil, err
	}
	if cnf, ok := sv.Confirmation(); ok && cnf.Key != nil {
		out.cnf = cnf.Key
	}
	if kb, ok := sv.KeyBinding(); ok {
		out.holderKey = kb.Key
	}
	out.typeMeta = sv.TypeMetadata()
	return out, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func reasonOfSDJWT(err error) Reason {
	switch {
	case errors.Is(err, ErrKeyBindingRequired), errors.Is(err, ErrNonceMismatch), errors.Is(err, ErrAudienceMismatch),
		errors.Is(err, ErrSDHashMismatch), errors.Is(err, ErrStale):
		return ReasonPresentation
	case errors.Is(err, ErrHolderBinding):
		return ReasonHolder
	case errors.Is(err, ErrUntrustedIssuer):
		return ReasonTrust
	case errors.Is(err, ErrExpired), errors.Is(err, ErrNotYetValid), errors.Is(err, ErrIssuedInFuture):
		return ReasonTime
	case errors.Is(err, ErrInvalidSignature), errors.Is(err, ErrAlgorithmKeyMismatch), errors.Is(err, ErrAlgorithmNotAllowed):
		return ReasonProof
	case errors.Is(err, ErrUntrustedKeySource), errors.Is(err, ErrVerificationMethodNotFound),
		errors.Is(err, ErrVerificationRelationship), errors.Is(err, ErrMissingKeyID), errors.Is(err, ErrIssuerMismatch):
		return ReasonKey
	}
	return ReasonMalformed
}

func marshalClaims(claims map[string]any) ([]byte, error) {
	data, err := json.Marshal(claims)
	if err != nil {
		return nil, fmt.Errorf("vc: processed SD-JWT payload: %v: %w", err, ErrMalformed)
	}
	return data, nil
}

// credentialFromClaims reads the VCDM credential of a vc+sd-jwt's processed payload.
func credentialFromClaims(claims map[string]any) (*Credential, error) {
	data, err := marshalClaims(claims)
	if err != nil {
		return nil, err
	}
	c, err := ParseCredential(data)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// SDJWTOptions are the choices of Issuer.IssueSDJWT.
type SDJWTOptions struct {
	// VCT is the credential type (vct), required.
	VCT string
	// Holder is the holder's public key, bound as cnf.jwk so that only the holder can
	// present the credential. If nil, HolderKeyID must be set, or the credential is not
	// bound (a verifier requiring key binding will refuse its presentations).
	Holder crypto.PublicKey
	// HolderKeyID binds the holder by a DID URL (cnf.kid) instead.
	HolderKeyID string
	// NotBefore and Expiry, if not zero, become nbf and exp.
	NotBefore, Expiry time.Time
}

// IssueSDJWT issues an SD-JWT VC (typ dc+sd-jwt) of claims, with frame saying which are
// selectively disclosable (see sdjwt.Frame, sdjwt.PathFrame and sdjwt.AgeEqualOrOver).
// The issuer (iss), vct, iat and cnf are added; claims must not hold them.
func (i *Issuer) IssueSDJWT(ctx context.Context, claims map[string]any, frame sdjwt.Frame, o SDJWTOptions) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if i.signer == nil {
		return nil, fmt.Errorf("vc: a BBS issuer issues bbs-2023 Data Integrity credentials only: %w", ErrAlgorithmKeyMismatch)
	}
	if o.VCT == "" {
		return nil, fmt.Errorf("vc: IssueSDJWT without a vct: %w", ErrInvalidType)
	}
	for _, k := range []string{"iss", "vct", "iat", "cnf"} {
		if _, ok := claims[k]; ok {
			return nil, fmt.Errorf("vc: IssueSDJWT: claims must not hold %s: %w", k, ErrMalformed)
		}
	}
	all := make(map[string]any, len(claims)+2)
	for k, v := range claims {
		all[k] = v
	}
	all["iss"] = i.id
	all["vct"] = o.VCT
	return sdjwt.Issue(i.signer, all, frame, sdjwt.IssueOptions{
		Kind: sdjwt.VC, KeyID: i.keyID, Holder: o.Holder, HolderKeyID: o.HolderKeyID,
		IssuedAt: i.clock(), NotBefore: o.NotBefore, Expiry: o.Expiry,
	})
}

// PresentSDJWT makes a presentation of an SD-JWT as issued that discloses only the claims
// at disclose (and the disclosures on the way to them), with a key binding JWT signed by
// holder over the exact presentation, bound to o.Nonce and o.Audience. It is the
// low-level step behind presentation.Holder.
func PresentSDJWT(ctx context.Context, issued []byte, disclose []ClaimPath, holder keys.Signer, o PresentationOptions) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if holder == nil || o.Nonce == "" || o.Audience == "" {
		return nil, fmt.Errorf("vc: an SD-JWT presentation needs the holder's key, a nonce and an audience: %w", ErrInvalidOptions)
	}
	return sdjwt.Present(issued, disclose, sdjwt.PresentOptions{Holder: holder, Nonce: o.Nonce, Audience: o.Audience, IssuedAt: o.IssuedAt})
}

// SelectDisclosures returns an SD-JWT as issued with only the disclosures needed to
// reveal the claims at disclose (and those on the way to them), without a key binding
// JWT: the form in which a holder puts an SD-JWT credential into a vp+sd-jwt, whose own
// signature binds it. An empty disclose keeps only the plain-text claims.
func SelectDisclosures(issued []byte, disclose []ClaimPath) ([]byte, error) {
	return sdjwt.Present(issued, disclose, sdjwt.PresentOptions{})
}

// vpPlain are the members of a vp+sd-jwt that a verifier needs in plain text.
var vpPlain = []string{"@context", "nonce", "aud", "iat", "exp"}

// vcdmPlain are the members of a VCDM credential that stay in plain text in a vc+sd-jwt:
// a verifier needs them to apply the data model, trust and status.
var vcdmPlain = []string{"@context", "type", "issuer", "validFrom", "validUntil", "credentialStatus", "credentialSchema", "id"}

// issueVCSDJWT secures a VCDM 2.0 credential (its JSON) as a vc+sd-jwt.
func issueVCSDJWT(i *Issuer, data []byte, opts IssueOptions) ([]byte, error) {
	var claims map[string]any
	if err := json.Unmarshal(data, &claims); err != nil {
		return nil, fmt.Errorf("vc: credential JSON: %v: %w", err, ErrMalformed)
	}
	for _, p := range opts.Disclose {
		if len(p) > 0 {
			if name, ok := p[0].(string); ok && slices.Contains(vcdmPlain, name) {
				return nil, fmt.Errorf("vc: %s of a vc+sd-jwt cannot be selectively disclosable: %w", name, ErrReservedClaimDisclosed)
			}
		}
	}
	frame, err := sdjwt.PathFrame(opts.Disclose...)
	if err != nil {
		return nil, err
	}
	return sdjwt.Issue(i.signer, claims, frame, sdjwt.IssueOptions{
		Kind: sdjwt.VCDMCredential, KeyID: i.keyID, Holder: opts.Holder, IssuedAt: i.clock(), Expiry: opts.Expiry,
	})
}
