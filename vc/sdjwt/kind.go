package sdjwt

import (
	"fmt"
	"strings"

	ijose "github.com/credence-dev/credence/internal/jose"
)

// Header values (RFC 9901 §4.3, draft-ietf-oauth-sd-jwt-vc §3.2.1, VC-JOSE-COSE §3.2).
const (
	TypVC           = "dc+sd-jwt" // SD-JWT VC
	TypLegacyVC     = "vc+sd-jwt" // SD-JWT VC before draft 06; also VC-JOSE-COSE credentials
	TypPresentation = "vp+sd-jwt" // VC-JOSE-COSE presentations
	TypKeyBinding   = "kb+jwt"    // key binding JWT
)

// Kind is what an SD-JWT secures, told from its typ and, for vc+sd-jwt, its payload.
type Kind int

// Kinds. The zero Kind is none of them.
const (
	// VC is an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc): typ dc+sd-jwt, a vct claim, and
	// the claims iss, nbf, exp, cnf, vct, vct#integrity, aka_vcts and status in plain
	// text. The old typ vc+sd-jwt with a vct payload is one too, when a verifier allows
	// it explicitly.
	VC Kind = iota + 1
	// VCDMCredential is a VCDM 2.0 credential secured with SD-JWT (VC-JOSE-COSE §3.2):
	// typ vc+sd-jwt and an @context in the payload.
	VCDMCredential
	// VCDMPresentation is a VCDM 2.0 presentation secured with SD-JWT: typ vp+sd-jwt.
	VCDMPresentation
	// Generic is an SD-JWT of an application's own type (RFC 9901 alone), with a typ the
	// application names, such as "example+sd-jwt".
	Generic
)

// String returns the kind's typ: "dc+sd-jwt", "vc+sd-jwt", "vp+sd-jwt", or "sd-jwt"
// for Generic.
func (k Kind) String() string {
	switch k {
	case VC:
		return TypVC
	case VCDMCredential:
		return TypLegacyVC
	case VCDMPresentation:
		return TypPresentation
	case Generic:
		return "sd-jwt"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

func (k Kind) valid() bool { return k >= VC && k <= Generic }

// reservedTyp reports a typ that belongs to a kind of its own and so cannot name a
// Generic application type.
func reservedTyp(typ string) bool {
	switch strings.ToLower(typ) {
	case TypVC, TypLegacyVC, TypPresentation, TypKeyBinding, "jwt", "vc+jwt", "vp+jwt",
		"application/" + TypVC, "application/" + TypLegacyVC, "application/" + TypPresentation:
		return true
	}
	return false
}

// kindSet is the set of kinds a caller accepts.
type kindSet struct {
	kinds   [Generic + 1]bool
	generic []string // typ values of Generic
	legacy  bool     // vc+sd-jwt with a vct payload is a VC
}

func (s *kindSet) has(k Kind) bool { return k.valid() && s.kinds[k] }

// types lists the typ values the JOSE policy admits.
func (s *kindSet) types() []string {
	var out []string
	if s.has(VC) {
		out = append(out, TypVC)
	}
	if s.has(VCDMCredential) || s.has(VC) && s.legacy {
		out = append(out, TypLegacyVC)
	}
	if s.has(VCDMPresentation) {
		out = append(out, TypPresentation)
	}
	if s.has(Generic) {
		out = append(out, s.generic...)
	}
	return out
}

// classify tells the kind from the header typ and the Issuer-signed payload.
func (s *kindSet) classify(h *ijose.Header, payload map[string]any) (Kind, error) {
	_, hasContext := payload["@context"]
	_, hasVCT := payload["vct"]
	var k Kind
	switch h.Typ {
	case TypVC:
		k = VC
	case TypLegacyVC:
		switch {
		case hasContext && hasVCT:
			return 0, fmt.Errorf("sdjwt: vc+sd-jwt with both @context and vct: %w", ErrInvalidType)
		case hasContext:
			k = VCDMCredential
		case hasVCT && s.legacy:
			k = VC
		case hasVCT:
			return 0, fmt.Errorf("sdjwt: typ vc+sd-jwt for an SD-JWT VC (now dc+sd-jwt) not allowed: %w", ErrInvalidType)
		default:
			return 0, fmt.Errorf("sdjwt: vc+sd-jwt without @context: %w", ErrInvalidType)
		}
	case TypPresentation:
		if !hasContext {
			return 0, fmt.Errorf("sdjwt: vp+sd-jwt without @context: %w", ErrInvalidType)
		}
		k = VCDMPresentation
	default:
		k = Generic
	}
	if !s.has(k) {
		return 0, fmt.Errorf("sdjwt: %v not accepted: %w", k, ErrInvalidType)
	}
	if k == VCDMCredential || k == VCDMPresentation {
		if err := checkCty(h, k); err != nil {
			return 0, err
		}
	}
	return k, nil
}

// checkCty: VC-JOSE-COSE says cty, when present, is "vc" ("vp"); RFC 7515 §4.1.10 makes
// "application/vc" the same value.
func checkCty(h *ijose.Header, k Kind) error {
	if _, ok := h.Raw["cty"]; !ok {
		return nil
	}
	want := "vc"
	if k == VCDMPresentation {
		want = "vp"
	}
	if h.Cty == want || h.Cty == "application/"+want {
		return nil
	}
	return fmt.Errorf("sdjwt: cty %q on a %v, want %q: %w", h.Cty, k, want, ErrInvalidType)
}

// facts are what the kind's rules read from the processed payload.
type facts struct {
	issuer string // iss, or the VCDM issuer (holder) when there is no iss
	vct    string
}

// checkKind applies the rules of the kind to the processed payload.
func checkKind(k Kind, claims map[string]any) (facts, error) {
	var f facts
	if raw, ok := claims["iss"]; ok {
		s, ok := raw.(string)
		if !ok {
			return f, fmt.Errorf("sdjwt: claim iss is not a string: %w", ErrMalformed)
		}
		f.issuer = s
	}
	switch k {
	case VC:
		raw, ok := claims["vct"]
		if !ok {
			return f, fmt.Errorf("sdjwt: SD-JWT VC without vct: %w", ErrInvalidType)
		}
		vct, ok := raw.(string)
		if !ok || vct == "" {
			return f, fmt.Errorf("sdjwt: vct is not a non-empty string: %w", ErrMalformed)
		}
		f.vct = vct
		if raw, ok := claims["vct#integrity"]; ok {
			if _, ok := raw.(string); !ok {
				return f, fmt.Errorf("sdjwt: vct#integrity is not a string: %w", ErrMalformed)
			}
		}
		if raw, ok := claims["aka_vcts"]; ok {
			list, ok := raw.([]any)
			if !ok || len(list) == 0 {
				return f, fmt.Errorf("sdjwt: aka_vcts is not a non-empty array: %w", ErrMalformed)
			}
			for _, e := range list {
				s, ok := e.(string)
				if !ok || s == "" || s == vct {
					return f, fmt.Errorf("sdjwt: aka_vcts holds a non-string, an empty string or the vct: %w", ErrMalformed)
				}
			}
		}
		if raw, ok := claims["status"]; ok {
			if _, ok := raw.(map[string]any); !ok {
				return f, fmt.Errorf("sdjwt: status is not an object: %w", ErrMalformed)
			}
		}
	case VCDMCredential, VCDMPresentation:
		name := "issuer"
		if k == VCDMPresentation {
			name = "holder"
		}
		party, err := partyID(claims[name], name)
		if err != nil {
			return f, err
		}
		switch {
		case f.issuer == "":
			f.issuer = party
		case party != "" && party != f.issuer:
			return f, fmt.Errorf("sdjwt: iss %q differs from %s %q: %w", f.issuer, name, party, ErrIssuerMismatch)
		}
	}
	if raw, ok := claims["cnf"]; ok {
		if _, ok := raw.(map[string]any); !ok {
			return f, fmt.Errorf("sdjwt: cnf is not an object: %w", ErrMalformed)
		}
	}
	return f, nil
}

// partyID reads a VCDM issuer or holder: a URL string or an object with an id.
func partyID(v any, name string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case map[string]any:
		id, ok := t["id"].(string)
		if !ok {
			return "", fmt.Errorf("sdjwt: %s object without a string id: %w", name, ErrMalformed)
		}
		return id, nil
	}
	return "", fmt.Errorf("sdjwt: %s is neither a string nor an object: %w", name, ErrMalformed)
}
