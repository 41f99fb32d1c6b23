package jose

import (
	"fmt"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Media types of the secured forms an envelope may carry (VC-JOSE-COSE §IANA
// Considerations). The SD-JWT ones are wrapped and unwrapped here so that one pair of
// functions serves every JOSE-family envelope; their tokens are for vc/sdjwt to parse.
const (
	MediaTypeCredential        = "application/vc+jwt"
	MediaTypePresentation      = "application/vp+jwt"
	MediaTypeCredentialSDJWT   = "application/vc+sd-jwt"
	MediaTypePresentationSDJWT = "application/vp+sd-jwt"
)

// maxEnvelopeBytes bounds an envelope: a token of DefaultMaxBytes and its few members.
const maxEnvelopeBytes = DefaultMaxBytes + 4<<10

// envelopeType returns the VCDM type that wraps a media type, and whether the token is
// an SD-JWT.
func envelopeType(mediaType string) (typ string, sd bool, err error) {
	switch mediaType {
	case MediaTypeCredential:
		return typeEnvelopedCredential, false, nil
	case MediaTypePresentation:
		return typeEnvelopedPresentation, false, nil
	case MediaTypeCredentialSDJWT:
		return typeEnvelopedCredential, true, nil
	case MediaTypePresentationSDJWT:
		return typeEnvelopedPresentation, true, nil
	}
	return "", false, fmt.Errorf("jose: media type %q: %w", mediaType, ErrUnsupportedFormat)
}

// checkEnvelopedToken checks the characters of a token carried in a data: URL: base64url
// and exactly two dots for a JWS; base64url, dots and at least one "~" for an SD-JWT.
// Nothing is percent-decoded, so what is checked is what is returned.
func checkEnvelopedToken(tok []byte, sd bool) error {
	if len(tok) == 0 {
		return fmt.Errorf("jose: empty token: %w", ErrMalformed)
	}
	if len(tok) > DefaultMaxBytes {
		return fmt.Errorf("jose: token of %d bytes exceeds %d: %w", len(tok), DefaultMaxBytes, ErrTooLarge)
	}
	dots, tildes := 0, 0
	for _, c := range tok {
		switch {
		case c == '.':
			dots++
		case c == '~' && sd:
			tildes++
		case !isB64URL(c):
			return fmt.Errorf("jose: character %q in an enveloped token: %w", c, ErrMalformed)
		}
	}
	if sd && tildes == 0 || !sd && dots != 2 {
		return fmt.Errorf("jose: enveloped token is not a compact JWS or SD-JWT: %w", ErrMalformed)
	}
	return nil
}

func isB64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// Envelope wraps a secured token as an EnvelopedVerifiableCredential or
// EnvelopedVerifiablePresentation (VCDM 2.0 §4.13) whose id is the data: URL
// "data:<mediaType>,<token>" (RFC 2397, no base64 parameter: the token is already
// URL-safe). mediaType is one of the MediaType constants; anything else, COSE included,
// is ErrUnsupportedFormat. The token's characters are checked, not its content.
func Envelope(mediaType string, token []byte) ([]byte, error) {
	typ, sd, err := envelopeType(mediaType)
	if err != nil {
		return nil, err
	}
	if err := checkEnvelopedToken(token, sd); err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(token)+len(mediaType)+len(typ)+80)
	out = append(out, `{"@context":"`+contextV2+`","id":"data:`...)
	out = append(out, mediaType...)
	out = append(out, ',')
	out = append(out, token...)
	out = append(out, `","type":"`...)
	out = append(out, typ...)
	return append(out, `"}`...), nil
}

// Unenvelope returns the media type and the token of an enveloped credential or
// presentation, checked strictly:
//
//   - one strict JSON object with exactly the members @context, id and type (anything
//     more would be unsigned data next to the signed token): else ErrMalformed;
//   - @context the VCDM 2.0 context, alone or first in an array of URLs: else ErrMalformed;
//   - type EnvelopedVerifiableCredential or EnvelopedVerifiablePresentation (a string, or
//     an array holding only it), matching the media type: else ErrInvalidType;
//   - id a data: URL whose media type is one of the MediaType constants, with no
//     parameters: a COSE media type or any other is ErrUnsupportedFormat, a parameter
//     (";base64", ";charset") on a JOSE media type ErrMalformed, a URL that is not
//     data: ErrMalformed;
//   - the token only base64url characters and dots (and "~" for SD-JWT), no percent
//     escapes, at most DefaultMaxBytes.
//
// The token itself is neither parsed nor verified: pass it to Parse.
func Unenvelope(obj []byte) (mediaType string, token []byte, err error) {
	v, err := jsonx.Decode(obj, jsonx.Limits{MaxBytes: maxEnvelopeBytes, MaxDepth: 3})
	if err != nil {
		return "", nil, fmt.Errorf("jose: envelope: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", nil, fmt.Errorf("jose: envelope is not a JSON object: %w", ErrMalformed)
	}
	for name := range m {
		switch name {
		case "@context", "id", "type":
		default:
			return "", nil, fmt.Errorf("jose: envelope member %q: %w", name, ErrMalformed)
		}
	}
	if err := checkEnvelopeContext(m["@context"]); err != nil {
		return "", nil, err
	}
	typ, err := envelopeTypeOf(m["type"])
	if err != nil {
		return "", nil, err
	}
	id, ok := m["id"].(string)
	if !ok {
		return "", nil, fmt.Errorf("jose: envelope id is not a string: %w", ErrMalformed)
	}
	rest, ok := strings.CutPrefix(id, "data:")
	if !ok {
		return "", nil, fmt.Errorf("jose: envelope id is not a data: URL: %w", ErrMalformed)
	}
	mediaType, data, ok := strings.Cut(rest, ",")
	if !ok {
		return "", nil, fmt.Errorf("jose: data: URL without a comma: %w", ErrMalformed)
	}
	base, params, hasParams := strings.Cut(mediaType, ";")
	want, sd, err := envelopeType(base)
	if err != nil {
		return "", nil, err
	}
	if hasParams {
		return "", nil, fmt.Errorf("jose: data: URL parameter %q on %s: %w", params, base, ErrMalformed)
	}
	if typ != want {
		return "", nil, fmt.Errorf("jose: %s carrying %s: %w", typ, base, ErrInvalidType)
	}
	token = []byte(data)
	if err := checkEnvelopedToken(token, sd); err != nil {
		return "", nil, err
	}
	return base, token, nil
}

func checkEnvelopeContext(v any) error {
	switch c := v.(type) {
	case string:
		if c == contextV2 {
			return nil
		}
	case []any:
		for _, e := range c {
			if _, ok := e.(string); !ok {
				return fmt.Errorf("jose: envelope @context entry is not a URL: %w", ErrMalformed)
			}
		}
		if len(c) > 0 && c[0] == contextV2 {
			return nil
		}
	case nil:
		return fmt.Errorf("jose: envelope without @context: %w", ErrMalformed)
	}
	return fmt.Errorf("jose: envelope @context does not start with %s: %w", contextV2, ErrMalformed)
}

func envelopeTypeOf(v any) (string, error) {
	if a, ok := v.([]any); ok && len(a) == 1 {
		v = a[0]
	}
	switch v {
	case typeEnvelopedCredential, typeEnvelopedPresentation:
		return v.(string), nil
	case nil:
		return "", fmt.Errorf("jose: envelope without type: %w", ErrMalformed)
	}
	return "", fmt.Errorf("jose: envelope type is not %s or %s: %w", typeEnvelopedCredential, typeEnvelopedPresentation, ErrInvalidType)
}
