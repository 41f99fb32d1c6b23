package vc

import (
	"bytes"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
	vcjose "github.com/credence-dev/credence/vc/jose"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// Inspected is a credential or presentation read WITHOUT verification, for wallets
// (display, storage, matching) and tools. Nothing in it is proven; it cannot be turned
// into a Verified. Use a Verifier to learn what is true.
type Inspected struct {
	Format       Format
	Issuer       string         // issuer (holder for a presentation), as claimed
	KeyID        string         // the key id the proof names, as claimed
	Credential   *Credential    // the VCDM credential; nil for a presentation or an SD-JWT VC
	Presentation *Presentation  // the presentation; nil for a credential
	Claims       map[string]any // the document as decoded JSON (an SD-JWT with every disclosure present applied), unverified
	// Disclosable lists, for an SD-JWT, the paths of the claims that travel in
	// disclosures: what a holder can choose to show or keep.
	Disclosable []ClaimPath
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
	switch detect(data) {
	case shapeSDJWT:
		return inspectSDJWT(data)
	case shapeJSON:
		obj, err := jsonx.Decode(data, jsonx.Limits{})
		if err != nil {
			return nil, vErr(ReasonMalformed, "", err)
		}
		if isDataIntegrity(obj) {
			return inspectDI(data, obj)
		}
		_, t, err := vcjose.Unenvelope(data)
		if err != nil {
			return nil, vErr(ReasonMalformed, "", err)
		}
		token = t
	case shapeCompact:
	default:
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

func inspectSDJWT(data []byte) (*Inspected, error) {
	sd, err := sdjwt.Inspect(data)
	if err != nil {
		return nil, vErr(ReasonMalformed, "", err)
	}
	in := &Inspected{Format: sdFormat(sd.Kind), Issuer: sd.Issuer, KeyID: sd.Header.Kid, Claims: sd.Claims}
	for _, d := range sd.Disclosures {
		in.Disclosable = append(in.Disclosable, d.Path)
	}
	if sd.Kind == sdjwt.VCDMCredential {
		if raw, err := marshalClaims(sd.Claims); err == nil {
			in.Credential, _ = ParseCredential(raw)
		}
	}
	return in, nil
}

func inspectDI(data []byte, obj any) (*Inspected, error) {
	m, _ := obj.(map[string]any)
	in := &Inspected{Format: FormatDataIntegrity, Claims: m}
	if p, ok := m["proof"].(map[string]any); ok {
		in.KeyID, _ = p["verificationMethod"].(string)
	}
	types, _ := m["type"].([]any)
	for _, t := range types {
		if t == TypeVerifiablePresentation {
			pres, err := ParsePresentation(data)
			if err != nil {
				return nil, err
			}
			in.Presentation, in.Issuer = pres, pres.Holder.ID
			return in, nil
		}
	}
	c, err := ParseCredential(data)
	if err != nil {
		return nil, err
	}
	in.Credential, in.Issuer = c, c.Issuer.ID
	return in, nil
}
