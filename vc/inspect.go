package vc

import (
	"bytes"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
	vcjose "github.com/credence-dev/credence/vc/jose"
)

// Inspected is a credential or presentation read WITHOUT verification, for wallets
// (display, storage, matching) and tools. Nothing in it is proven; it cannot be turned
// into a Verified. Use a Verifier to learn what is true.
type Inspected struct {
	Format       Format
	Issuer       string         // issuer (holder for a presentation), as claimed
	KeyID        string         // the key id the proof names, as claimed
	Credential   *Credential    // the credential; nil for a presentation
	Presentation *Presentation  // the presentation; nil for a credential
	Claims       map[string]any // the document as decoded JSON, unverified
}

// Inspect parses data as a credential or presentation in any supported format and
// returns what it claims, checking structure and the header policy but no signature,
// trust, time or status.
func Inspect(data []byte) (*Inspected, error) {
	if err := checkSize(data, Limits{}); err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	token := data
	if detect(data) == shapeJSON {
		_, t, err := vcjose.Unenvelope(data)
		if err != nil {
			return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: inspect: only enveloped JSON credentials are supported yet: %w", err))
		}
		token = t
	} else if detect(data) != shapeCompact {
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: inspect: unknown format: %w", ErrUnsupportedFormat))
	}
	p, err := vcjose.Parse(token, vcjose.ParseOptions{Algorithms: []string{"EdDSA", "ES256", "ES384", "ES256K"}, AllowX5C: true})
	if err != nil {
		return nil, vErr(ReasonMalformed, "", err)
	}
	claims, err := jsonx.Decode(p.Document, jsonx.Limits{})
	if err != nil {
		return nil, vErr(ReasonMalformed, "", err)
	}
	in := &Inspected{Format: formatOf(p.Kind), Issuer: p.Issuer, KeyID: p.Header.Kid}
	in.Claims, _ = claims.(map[string]any)
	if p.Kind.IsPresentation() {
		if in.Presentation, err = ParsePresentation(p.Document); err != nil {
			return nil, err
		}
	} else if in.Credential, err = ParseCredential(p.Document); err != nil {
		return nil, err
	}
	return in, nil
}
