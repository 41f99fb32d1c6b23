package jose

import (
	"bytes"
	"encoding/json"
	"fmt"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
)

// Values fixed by VCDM 2.0 and VC-JOSE-COSE.
const (
	contextV2 = "https://www.w3.org/ns/credentials/v2" // VCDM 2.0 §4.3: first @context item

	typeCredential            = "VerifiableCredential"
	typePresentation          = "VerifiablePresentation"
	typeEnvelopedCredential   = "EnvelopedVerifiableCredential"   // VCDM 2.0 §4.13.1
	typeEnvelopedPresentation = "EnvelopedVerifiablePresentation" // VCDM 2.0 §4.13.2
)

// document is what the checks of a vc+jwt or vp+jwt payload learn from it.
type document struct {
	// party is the identifier of whoever must have signed: the credential's issuer
	// (issuer or issuer.id) or the presentation's holder (holder or holder.id, else iss).
	party  string
	claims *ijose.Claims
}

// checkDocument checks that payload is a VCDM 2.0 credential (or presentation) fit to
// be the payload of a vc+jwt (vp+jwt) as VC-JOSE-COSE "Securing JSON-LD Verifiable
// Credentials with JOSE" defines it:
//
//   - one strict JSON object within the limits of jsonx;
//   - "@context" whose first item is the VCDM 2.0 context;
//   - "type" that includes VerifiableCredential (VerifiablePresentation), else
//     ErrInvalidType, so a presentation cannot pass as a credential or the reverse;
//   - for a credential, an issuer with an id;
//   - no "vc" or "vp" claim (VC-JOSE-COSE, JOSE Header Parameters and JWT Claims);
//   - registered JWT claims of the right JSON type (RFC 7519 §4.1; a string iat fails);
//   - "iss", when present, equal to the issuer's id or the holder's id (VC-JOSE-COSE
//     §iss), else ErrIssuerMismatch;
//   - in a presentation, every verifiableCredential an EnvelopedVerifiableCredential
//     (VC-JOSE-COSE, Securing JSON-LD Verifiable Presentations with JOSE).
//
// It does not validate the rest of the data model; the facade does.
func checkDocument(payload []byte, presentation bool) (document, error) {
	if err := jsonx.Validate(payload, jsonx.Limits{MaxBytes: len(payload) + 1}); err != nil {
		return document{}, fmt.Errorf("jose: payload: %w", err)
	}
	partyName, want := "issuer", typeCredential
	if presentation {
		partyName, want = "holder", typePresentation
	}
	var ctx, typ, party, creds []byte
	var set map[string]any
	err := eachMember(payload, func(name, value []byte) error {
		switch string(name) {
		case "@context":
			ctx = value
		case "type":
			typ = value
		case partyName:
			party = value
		case "verifiableCredential":
			creds = value
		case "vc", "vp":
			return fmt.Errorf("jose: JWT claim %q in a VCDM 2.0 payload: %w", name, ErrMalformed)
		case "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce":
			v, err := claimValue(value)
			if err != nil {
				return err
			}
			if set == nil {
				set = make(map[string]any, 4)
			}
			set[string(name)] = v
		}
		return nil
	})
	if err != nil {
		return document{}, err
	}
	if ctx == nil {
		return document{}, fmt.Errorf("jose: payload has no @context: %w", ErrMalformed)
	}
	if err := checkContext(ctx); err != nil {
		return document{}, err
	}
	if typ == nil {
		return document{}, fmt.Errorf("jose: payload has no type: %w", ErrMalformed)
	}
	ok, err := hasType(typ, want)
	if err != nil {
		return document{}, err
	}
	if !ok {
		return document{}, fmt.Errorf("jose: payload type does not include %s: %w", want, ErrInvalidType)
	}
	id, err := partyID(party, partyName)
	if err != nil {
		return document{}, err
	}
	if !presentation && id == "" {
		return document{}, fmt.Errorf("jose: credential has no issuer id: %w", ErrMalformed)
	}
	claims, err := ijose.ClaimsFrom(set)
	if err != nil {
		return document{}, err
	}
	if _, ok := set["iss"]; ok {
		switch {
		case presentation && id == "":
			id = claims.Issuer
		case claims.Issuer != id:
			return document{}, fmt.Errorf("jose: iss %q differs from %s %q: %w", claims.Issuer, partyName, id, ErrIssuerMismatch)
		}
	}
	if presentation && creds != nil {
		if err := checkEnvelopedCredentials(creds); err != nil {
			return document{}, err
		}
	}
	return document{party: id, claims: claims}, nil
}

// claimValue decodes the value of a registered claim as jsonx would, taking the short
// way for the usual plain strings and numbers.
func claimValue(raw []byte) (any, error) {
	switch c := raw[0]; {
	case c == '-' || '0' <= c && c <= '9':
		return json.Number(raw), nil
	case c == '"' && bytes.IndexByte(raw, '\\') < 0:
		return string(raw[1 : len(raw)-1]), nil
	}
	return decodeValue(raw)
}

// checkContext checks that the first @context item is the VCDM 2.0 context.
func checkContext(raw []byte) error {
	first := raw
	if raw[0] == '[' {
		i := skipWS(raw, 1)
		if raw[i] == ']' {
			return fmt.Errorf("jose: empty @context: %w", ErrMalformed)
		}
		first = raw[i:endValue(raw, i)]
	}
	ok, err := stringEquals(first, contextV2)
	if err != nil {
		return fmt.Errorf("jose: @context: %w", err)
	}
	if !ok {
		return fmt.Errorf("jose: first @context is not %s: %w", contextV2, ErrMalformed)
	}
	return nil
}

// hasType reports whether a type value (a string or an array of strings) includes want.
func hasType(raw []byte, want string) (bool, error) {
	if raw[0] != '[' {
		return stringEquals(raw, want)
	}
	found := false
	err := eachElement(raw, func(v []byte) error {
		ok, err := stringEquals(v, want)
		found = found || ok
		return err
	})
	if err != nil {
		return false, fmt.Errorf("jose: type: %w", err)
	}
	return found, nil
}

// stringEquals reports whether a raw JSON value is the string want. A value that is not
// a string is ErrMalformed.
func stringEquals(raw []byte, want string) (bool, error) {
	if len(raw) >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1:len(raw)-1]) == want, nil
	}
	s, err := stringValue(raw)
	return s == want, err
}

// partyID returns the id of an issuer or holder value: the string itself, or the id
// member of an object; "" when raw is nil or the object has no id.
func partyID(raw []byte, name string) (string, error) {
	if raw == nil {
		return "", nil
	}
	switch raw[0] {
	case '"':
		s, err := stringValue(raw)
		if err != nil || s == "" {
			return "", fmt.Errorf("jose: %s is not a non-empty string: %w", name, ErrMalformed)
		}
		return s, nil
	case '{':
		var id string
		err := eachMember(raw, func(n, v []byte) error {
			if string(n) != "id" {
				return nil
			}
			s, err := stringValue(v)
			if err != nil || s == "" {
				return fmt.Errorf("jose: %s.id is not a non-empty string: %w", name, ErrMalformed)
			}
			id = s
			return nil
		})
		return id, err
	}
	return "", fmt.Errorf("jose: %s is neither a string nor an object: %w", name, ErrMalformed)
}

// checkEnvelopedCredentials checks that each credential of a vp+jwt is an
// EnvelopedVerifiableCredential; Unenvelope checks each one fully.
func checkEnvelopedCredentials(raw []byte) error {
	one := func(v []byte) error {
		if v[0] != '{' {
			return fmt.Errorf("jose: verifiableCredential entry is not an object: %w", ErrMalformed)
		}
		var typ []byte
		if err := eachMember(v, func(n, v []byte) error {
			if string(n) == "type" {
				typ = v
			}
			return nil
		}); err != nil {
			return err
		}
		if typ == nil {
			return fmt.Errorf("jose: verifiableCredential entry has no type: %w", ErrMalformed)
		}
		ok, err := hasType(typ, typeEnvelopedCredential)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("jose: a credential in a vp+jwt must be an %s: %w", typeEnvelopedCredential, ErrInvalidType)
		}
		return nil
	}
	if raw[0] == '[' {
		return eachElement(raw, one)
	}
	return one(raw)
}
