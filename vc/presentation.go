package vc

import (
	"bytes"
	"encoding/json"
)

// Presentation is a verifiable presentation in the VC Data Model 2.0 (or 1.1) as JSON,
// kept like a [Credential]: typed fields for the members the data model defines, every
// other member in Extra with its bytes unchanged, and each member's form (single value or
// array) preserved by MarshalJSON.
//
// Each VerifiableCredential entry is kept as written: an embedded credential object, an
// EnvelopedVerifiableCredential object (VC DM 2.0 §4.13.1) or, in a 1.1 presentation, a
// compact JWT string. [ParseCredential] reads an embedded credential; securing formats
// (enveloped and JWT credentials) are opened by the verifier.
//
// Parsing does not check the data-model rules (call [Presentation.Validate]) and nothing
// here verifies a proof or the holder's binding to the credentials.
type Presentation struct {
	// Context is "@context", as in Credential.
	Context []any
	// ID is "id"; "" when absent.
	ID string
	// Type is "type", in order.
	Type []string
	// Holder is "holder"; the zero Holder when absent.
	Holder Party
	// VerifiableCredential is "verifiableCredential": each entry as written.
	VerifiableCredential []json.RawMessage
	// Proof is "proof": each embedded proof object as written.
	Proof []json.RawMessage
	// Extra holds every other member, its value as written.
	Extra map[string]json.RawMessage

	forms forms
	src   source
}

// ParsePresentation decodes a presentation from JSON with the checks of
// [ParseCredential]: strict JSON within the default limits, and the JSON shape of each
// member the data model defines (verifiableCredential entries must be objects or strings).
// It does not apply the data-model rules, nor parse the embedded credentials: call
// [Presentation.Validate].
//
// On failure the result is nil and the error is a *VerifyError with ReasonMalformed.
func ParsePresentation(data []byte) (*Presentation, error) {
	p := new(Presentation)
	if err := p.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return p, nil
}

// UnmarshalJSON implements json.Unmarshaler with the checks of [ParsePresentation]. On
// error p is left unchanged.
func (p *Presentation) UnmarshalJSON(data []byte) error {
	if err := checkJSON(data); err != nil {
		return err
	}
	data = bytes.Clone(data)
	v := data[skipSpace(data, 0):]
	if kind(v) != '{' {
		return malformedAt("", "a presentation must be a JSON object")
	}
	np := Presentation{src: data}
	if err := members(v, np.decodeMember); err != nil {
		return err
	}
	*p = np
	return nil
}

func (p *Presentation) decodeMember(name string, v []byte) error {
	path := memberPaths[name]
	var (
		array bool
		err   error
	)
	switch name {
	case "@context":
		p.Context, array, err = decodeContext(v)
		p.forms.set(shContext, array)
	case "id":
		p.ID, err = decodeID(v, path)
	case "type":
		p.Type, array, err = decodeTypes(v, path)
		p.forms.set(shType, array)
	case "holder":
		var h party
		h, err = decodeParty(v, path, "holder")
		p.Holder = Party(h)
	case "verifiableCredential":
		p.VerifiableCredential = []json.RawMessage{}
		if k := kind(v); k != '{' && k != '[' && k != '"' {
			return malformedAt(path, "verifiableCredential must be an object, a string or an array of them")
		}
		array, err = oneOrMany(v, func(i int, e []byte) error {
			if k := kind(e); k != '{' && k != '"' {
				return malformedAt(path+index(kind(v) == '[', i), "a verifiable credential must be an object or a string")
			}
			p.VerifiableCredential = append(p.VerifiableCredential, e)
			return nil
		})
		p.forms.set(shCredentials, array)
	case "proof":
		p.Proof, array, err = decodeRawObjects(v, path)
		p.forms.set(shProof, array)
	default:
		if p.Extra == nil {
			p.Extra = make(map[string]json.RawMessage)
		}
		p.Extra[name] = v
	}
	return err
}

func presentationMember(name string) bool {
	switch name {
	case "@context", "id", "type", "holder", "verifiableCredential", "proof":
		return true
	}
	return false
}

// Version returns the data-model version named by the first @context entry, or 0.
func (p *Presentation) Version() Version { return versionOf(p.Context) }

// MarshalJSON implements json.Marshaler, with the rules of [Credential.MarshalJSON].
func (p *Presentation) MarshalJSON() ([]byte, error) {
	if p == nil {
		return []byte("null"), nil
	}
	o := newObject(make([]byte, 0, 512))
	var err error
	if p.Context != nil {
		o.name("@context")
		if o.buf, err = appendContext(o.buf, p.Context, p.forms.isArray(shContext, len(p.Context), true)); err != nil {
			return nil, err
		}
	}
	if p.ID != "" {
		o.str("id", p.ID)
	}
	if p.Type != nil {
		o.name("type")
		o.buf = appendStrings(o.buf, p.Type, !p.forms.isArray(shType, len(p.Type), true))
	}
	if !party(p.Holder).isZero() {
		o.name("holder")
		if o.buf, err = party(p.Holder).appendTo(o.buf, "/holder", p.src); err != nil {
			return nil, err
		}
	}
	if p.VerifiableCredential != nil {
		o.name("verifiableCredential")
		array := p.forms.isArray(shCredentials, len(p.VerifiableCredential), true)
		if o.buf, err = p.src.appendRaws(o.buf, p.VerifiableCredential, array, "/verifiableCredential"); err != nil {
			return nil, err
		}
	}
	if err := p.src.appendExtra(o, p.Extra, presentationMember, ""); err != nil {
		return nil, err
	}
	if p.Proof != nil {
		o.name("proof")
		if o.buf, err = p.src.appendRaws(o.buf, p.Proof, p.forms.isArray(shProof, len(p.Proof), false), "/proof"); err != nil {
			return nil, err
		}
	}
	return o.close(), nil
}
