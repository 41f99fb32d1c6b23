package presentation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// HolderOptions configures a Holder. The zero value is safe.
type HolderOptions struct {
	// ID is the holder identifier written into presentations. If empty, the DID of the
	// key id (which must then be a DID URL).
	ID string
	// Clock, if nil, is time.Now; it dates each presentation's iat.
	Clock func() time.Time
}

// Holder signs presentations with one key, the key its DID lists under authentication.
// It is safe for concurrent use if its signer is.
type Holder struct {
	signer keys.Signer
	keyID  string
	id     string
	clock  func() time.Time
}

// NewHolder makes a Holder that signs with signer and names keyID in each presentation.
func NewHolder(signer keys.Signer, keyID string, opts HolderOptions) (*Holder, error) {
	if signer == nil {
		return nil, fmt.Errorf("presentation: NewHolder without a signer: %w", vc.ErrInvalidKey)
	}
	if _, err := keys.SignerFor(signer); err != nil {
		return nil, fmt.Errorf("presentation: NewHolder: %w", err)
	}
	if keyID == "" {
		return nil, fmt.Errorf("presentation: NewHolder without a key id: %w", vc.ErrMissingKeyID)
	}
	id := opts.ID
	if u, err := did.ParseURL(keyID); err == nil {
		if id == "" {
			id = u.DID.String()
		} else if strings.HasPrefix(id, "did:") && id != u.DID.String() {
			return nil, fmt.Errorf("presentation: key %s does not belong to holder %s: %w", keyID, id, vc.ErrHolderBinding)
		}
	} else if id == "" {
		return nil, fmt.Errorf("presentation: key id %q is not a DID URL and HolderOptions.ID is empty: %w", keyID, vc.ErrInvalidOptions)
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Holder{signer: signer, keyID: keyID, id: id, clock: clock}, nil
}

// ID returns the holder identifier.
func (h *Holder) ID() string { return h.id }

// Request is one verifier's request, as the holder answers it.
type Request struct {
	// Nonce and Audience bind a JWT or SD-JWT presentation to this request; both are
	// required for those formats.
	Nonce, Audience string
	// Challenge and Domain bind a Data Integrity presentation; both are required for it.
	Challenge, Domain string
	// Format is the presentation format: vc.FormatJWT (vp+jwt, the default),
	// vc.FormatJWT11 (the VCDM 1.1 JWT encoding), vc.FormatSDJWT (vp+sd-jwt) or
	// vc.FormatDataIntegrity.
	Format vc.Format
	// Disclose says, for a vp+sd-jwt, which claims of each vc+sd-jwt credential to
	// reveal, by the credential's index in the creds given to Present. A vc+sd-jwt
	// credential without an entry reveals only what its issuer left in plain text.
	Disclose map[int][]vc.ClaimPath
	// Lifetime, if not zero, adds an exp claim that far after iat.
	Lifetime time.Duration
}

// Present wraps creds (secured credentials as issued) in a presentation signed by the
// holder and bound to req. Every credential must be in a format the presentation can
// carry: vc+jwt credentials in a vp+jwt (as EnvelopedVerifiableCredential entries),
// VCDM 1.1 JWT credentials in a 1.1 JWT presentation, vc+sd-jwt and vc+jwt credentials in
// a vp+sd-jwt (each vc+sd-jwt revealing only the claims req.Disclose names for it). Present does not verify the
// credentials; it does check that each is about the holder, since a verifier will
// refuse one that is not.
func (h *Holder) Present(ctx context.Context, creds [][]byte, req Request) ([]byte, error) {
	f := req.Format
	if f == "" {
		f = vc.FormatJWT
	}
	if f == vc.FormatDataIntegrity {
		if req.Challenge == "" || req.Domain == "" {
			return nil, fmt.Errorf("presentation: a Data Integrity request needs a challenge and a domain: %w", vc.ErrInvalidOptions)
		}
	} else if req.Nonce == "" || req.Audience == "" {
		return nil, fmt.Errorf("presentation: a request needs a nonce and an audience: %w", vc.ErrInvalidOptions)
	}
	p := &vc.Presentation{Type: []string{vc.TypeVerifiablePresentation}, Holder: vc.Party{ID: h.id}}
	switch f {
	case vc.FormatJWT, vc.FormatDataIntegrity, vc.FormatSDJWT:
		p.Context = []any{vc.ContextV2}
	case vc.FormatJWT11:
		p.Context = []any{vc.ContextV1}
	default:
		return nil, fmt.Errorf("presentation: format %q: %w", f, vc.ErrUnsupportedFormat)
	}
	for i, c := range creds {
		in, err := vc.Inspect(c)
		if err != nil {
			return nil, fmt.Errorf("presentation: credential %d: %w", i, err)
		}
		if in.Credential == nil || !carries(f, in.Format) {
			return nil, fmt.Errorf("presentation: credential %d is a %s %s, which a %s presentation cannot carry: %w", i, in.Format, kind(in), f, vc.ErrUnsupportedFormat)
		}
		if !about(in.Credential, h.id) {
			return nil, fmt.Errorf("presentation: credential %d is not about holder %s: %w", i, h.id, vc.ErrHolderBinding)
		}
		if in.Format == vc.FormatDataIntegrity && isBaseProof(in) {
			return nil, fmt.Errorf("presentation: credential %d carries a base proof, which must never reach a verifier: derive it first (Derive): %w", i, vc.ErrBaseProofPresented)
		}
		var entry []byte
		switch {
		case in.Format == vc.FormatSDJWT:
			sel, err := vc.SelectDisclosures(c, req.Disclose[i])
			if err != nil {
				return nil, fmt.Errorf("presentation: credential %d: %w", i, err)
			}
			if entry, err = vc.EnvelopeCredential(sel); err != nil {
				return nil, fmt.Errorf("presentation: credential %d: %w", i, err)
			}
		case in.Format == vc.FormatDataIntegrity:
			entry = []byte(strings.TrimSpace(string(c)))
		case f == vc.FormatJWT11:
			if entry, err = json.Marshal(strings.TrimSpace(string(c))); err != nil {
				return nil, err
			}
		default:
			if entry, err = vc.EnvelopeCredential(c); err != nil {
				return nil, fmt.Errorf("presentation: credential %d: %w", i, err)
			}
		}
		p.VerifiableCredential = append(p.VerifiableCredential, entry)
	}
	now := h.clock()
	o := vc.PresentationOptions{Nonce: req.Nonce, Audience: req.Audience, Challenge: req.Challenge, Domain: req.Domain, IssuedAt: now}
	if req.Lifetime > 0 {
		o.Expiry = now.Add(req.Lifetime)
	}
	return vc.SignPresentation(ctx, h.signer, h.keyID, p, f, o)
}

// carries reports whether a presentation in format p can hold a credential in format c:
// a vp+jwt holds vc+jwt (enveloped), a 1.1 JWT presentation 1.1 JWT credentials, a
// Data Integrity presentation Data Integrity credentials and enveloped vc+jwt, and a
// vp+sd-jwt enveloped vc+sd-jwt and vc+jwt.
func carries(p, c vc.Format) bool {
	switch p {
	case vc.FormatJWT:
		return c == vc.FormatJWT
	case vc.FormatJWT11:
		return c == vc.FormatJWT11
	case vc.FormatDataIntegrity:
		return c == vc.FormatDataIntegrity || c == vc.FormatJWT
	case vc.FormatSDJWT:
		return c == vc.FormatSDJWT || c == vc.FormatJWT
	}
	return false
}

func kind(in *vc.Inspected) string {
	if in.Presentation != nil {
		return "presentation"
	}
	return "credential"
}

// about reports whether the holder is a subject of c (or c is bound to a key by cnf,
// which the verifier checks against the holder's key).
func about(c *vc.Credential, holder string) bool {
	if _, ok := c.Extra["cnf"]; ok {
		return true
	}
	for _, s := range c.Subject {
		if s.ID == holder {
			return true
		}
	}
	return false
}

// Disclose presents an SD-JWT credential (as issued, with all its disclosures) to a
// verifier, revealing only the claims at paths (and the disclosures on the way to them)
// and binding the presentation to req with a key binding JWT signed by the holder's key,
// which must be the credential's cnf key. Everything not named stays with the holder:
// the verifier never sees its value, nor its digest's meaning.
func (h *Holder) Disclose(ctx context.Context, cred []byte, paths []vc.ClaimPath, req Request) ([]byte, error) {
	if req.Nonce == "" || req.Audience == "" {
		return nil, fmt.Errorf("presentation: a request needs a nonce and an audience: %w", vc.ErrInvalidOptions)
	}
	return vc.PresentSDJWT(ctx, cred, paths, h.signer, vc.PresentationOptions{Nonce: req.Nonce, Audience: req.Audience, IssuedAt: h.clock()})
}
