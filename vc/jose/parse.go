package jose

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
)

// DefaultMaxBytes bounds a compact token when ParseOptions.MaxBytes is zero (DESIGN.md §5).
const DefaultMaxBytes = 1 << 20

// Header values of the formats (VC-JOSE-COSE §IANA Considerations; VCDM 1.1 §6.3.1).
const (
	typCredential   = "vc+jwt"
	typPresentation = "vp+jwt"
	typJWT          = "JWT"
)

// Kind is the format of a token.
type Kind int

// The kinds of token this package reads and writes. The zero Kind is none of them.
const (
	// CredentialJWT is a VCDM 2.0 credential secured as a JWS, typ "vc+jwt": the
	// payload is the credential (VC-JOSE-COSE).
	CredentialJWT Kind = iota + 1
	// PresentationJWT is a VCDM 2.0 presentation secured as a JWS, typ "vp+jwt".
	PresentationJWT
	// Credential11 is the VCDM 1.1 JWT encoding of a credential (VCDM 1.1 §6.3.1): typ
	// absent or "JWT", the credential in the "vc" claim.
	Credential11
	// Presentation11 is the VCDM 1.1 JWT encoding of a presentation: the "vp" claim.
	Presentation11
)

// String returns the format name: "vc+jwt", "vp+jwt", or for VCDM 1.1 the OpenID4VC
// format identifiers "jwt_vc_json" and "jwt_vp_json".
func (k Kind) String() string {
	switch k {
	case CredentialJWT:
		return typCredential
	case PresentationJWT:
		return typPresentation
	case Credential11:
		return "jwt_vc_json"
	case Presentation11:
		return "jwt_vp_json"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// IsPresentation reports whether k is PresentationJWT or Presentation11.
func (k Kind) IsPresentation() bool { return k == PresentationJWT || k == Presentation11 }

// Header is the protected header of a parsed token.
type Header struct {
	Alg string   // "alg"; already checked against the allow-list
	Typ string   // "typ"; "" when absent (VCDM 1.1 only)
	Cty string   // "cty"; "" when absent
	Kid string   // "kid"; "" when absent
	X5C []string // "x5c" (standard base64 DER), only when ParseOptions.AllowX5C
}

// Claims are the registered JWT claims of a token (RFC 7519 §4.1) and "nonce", with
// their JSON types checked. For a vc+jwt or vp+jwt they are members of the payload
// beside the credential's own properties; for a VCDM 1.1 JWT they sit beside the vc or
// vp claim. A nil time means the claim is absent.
type Claims struct {
	Issuer    string     // "iss"
	Subject   string     // "sub"
	ID        string     // "jti"
	Nonce     string     // "nonce"
	Audience  []string   // "aud": a string or an array of strings
	Expiry    *time.Time // "exp"
	NotBefore *time.Time // "nbf"
	IssuedAt  *time.Time // "iat"
}

// CheckTime checks exp, nbf and iat against now, allowing skew on each side: exp must
// be after now-skew (ErrExpired), nbf and iat at or before now+skew (ErrNotYetValid,
// ErrIssuedInFuture). Absent claims pass. It does not look at validFrom, validUntil,
// issuanceDate or expirationDate inside the document.
func (c *Claims) CheckTime(now time.Time, skew time.Duration) error {
	if c.Expiry != nil && !now.Add(-skew).Before(*c.Expiry) {
		return fmt.Errorf("jose: expired at %s: %w", c.Expiry.Format(time.RFC3339), ErrExpired)
	}
	if c.NotBefore != nil && now.Add(skew).Before(*c.NotBefore) {
		return fmt.Errorf("jose: not valid before %s: %w", c.NotBefore.Format(time.RFC3339), ErrNotYetValid)
	}
	if c.IssuedAt != nil && now.Add(skew).Before(*c.IssuedAt) {
		return fmt.Errorf("jose: issued at %s, in the future: %w", c.IssuedAt.Format(time.RFC3339), ErrIssuedInFuture)
	}
	return nil
}

// claimsOf converts the claims ijose checked. Fractional NumericDates are re-read from
// their decimal text, which ijose rounds through a float64 (1262373804.123 would become
// .122999906).
func claimsOf(c *ijose.Claims) Claims {
	out := Claims{Issuer: c.Issuer, Subject: c.Subject, ID: c.ID, Nonce: c.Nonce, Audience: c.Audience,
		Expiry: c.Expiry, NotBefore: c.NotBefore, IssuedAt: c.IssuedAt}
	for _, f := range [...]struct {
		name string
		dst  **time.Time
	}{{"exp", &out.Expiry}, {"nbf", &out.NotBefore}, {"iat", &out.IssuedAt}} {
		dst := f.dst
		if *dst == nil || (*dst).Nanosecond() == 0 {
			continue
		}
		if n, ok := c.Set[f.name].(json.Number); ok {
			if t, ok := exactNumericDate(n); ok {
				*dst = &t
			}
		}
	}
	return out
}

// ParseOptions say which tokens Parse accepts. The zero value accepts every Kind
// signed with EdDSA, ES256 or ES384, up to 1 MiB, without x5c.
type ParseOptions struct {
	// Algorithms is the alg allow-list. If empty: EdDSA, ES256, ES384. "none", HMAC and
	// anything the keys package cannot verify are refused whatever it says.
	Algorithms []string
	// MaxBytes bounds the compact token, checked before anything is decoded. If 0,
	// DefaultMaxBytes.
	MaxBytes int
	// AllowX5C admits an x5c header, for a caller that validates the chain against its
	// own roots. The other headers that carry a key (jwk, jku, x5u) are always refused.
	AllowX5C bool
	// Kinds lists the accepted kinds. If empty, all four.
	Kinds []Kind
}

// Parsed is a token that passed Parse: well-formed, within policy, not yet verified.
// Nothing in it may be trusted before Verify succeeds with a key the caller resolved
// for Issuer. A Parsed is not modified by its methods and is safe for concurrent use.
type Parsed struct {
	Kind   Kind
	Header Header
	Claims Claims
	// Issuer identifies the party whose key must verify the token: the credential's
	// issuer (issuer or issuer.id), or the presentation's holder (holder or holder.id,
	// else iss); "" only for a presentation that names neither.
	Issuer string
	// Document is the VCDM JSON the token secures. For vc+jwt and vp+jwt it is the
	// payload exactly as signed (JWT claims such as iat included, since VC-JOSE-COSE
	// makes the payload the credential). For a VCDM 1.1 JWT it is the vc (vp) claim with
	// the registered claims mapped back as VCDM 1.1 §6.3.1 says: iss to issuer (holder
	// for a presentation), nbf to issuanceDate, exp to expirationDate, jti to id, sub to
	// credentialSubject.id; it is re-encoded, so its bytes are not the signed bytes.
	Document []byte

	token []byte // a private copy of the compact token
	tok   *ijose.Token
}

// Raw returns the compact token.
func (p *Parsed) Raw() string { return string(p.token) }

// Verify checks the signature with pub. The key decides the algorithm: a header alg
// other than the key's own is ErrAlgorithmKeyMismatch, and the key's algorithm must be
// in algorithms (if empty: EdDSA, ES256, ES384). A bad signature is ErrInvalidSignature.
// Verify checks nothing else: not the time claims (see Claims.CheckTime), not whether
// pub belongs to Issuer.
func (p *Parsed) Verify(pub crypto.PublicKey, algorithms []string) error {
	if p == nil || p.tok == nil {
		return fmt.Errorf("jose: verify of a token that Parse did not return: %w", ErrMalformed)
	}
	return p.tok.Verify(pub, algorithms)
}

// kinds is a set of Kind.
type kinds uint8

func (s kinds) has(k Kind) bool { return s&(1<<k) != 0 }

func kindSet(list []Kind) (kinds, error) {
	if len(list) == 0 {
		return 1<<CredentialJWT | 1<<PresentationJWT | 1<<Credential11 | 1<<Presentation11, nil
	}
	var s kinds
	for _, k := range list {
		if k < CredentialJWT || k > Presentation11 {
			return 0, fmt.Errorf("jose: %v: %w", k, ErrUnsupportedFormat)
		}
		s |= 1 << k
	}
	return s, nil
}

// typeLists holds the typ values ijose should admit for each combination of accepted
// formats, indexed by vc+jwt (1), vp+jwt (2) and VCDM 1.1 (4). Read-only.
var typeLists = [8][]string{
	1: {typCredential},
	2: {typPresentation},
	3: {typCredential, typPresentation},
	4: {typJWT},
	5: {typCredential, typJWT},
	6: {typPresentation, typJWT},
	7: {typCredential, typPresentation, typJWT},
}

func (s kinds) policy(o ParseOptions, max int) ijose.Policy {
	i := 0
	if s.has(CredentialJWT) {
		i |= 1
	}
	if s.has(PresentationJWT) {
		i |= 2
	}
	if s.has(Credential11) || s.has(Presentation11) {
		i |= 4
	}
	return ijose.Policy{Types: typeLists[i], TypeOptional: i&4 != 0, Algorithms: o.Algorithms, AllowX5C: o.AllowX5C, MaxBytes: max}
}

// Parse reads a compact token and checks it against o and the rules of its format. It
// verifies no signature: call Verify on the result with the key of Issuer.
//
// The kind comes from typ: "vc+jwt" and "vp+jwt" are VC-JOSE-COSE, where cty, if
// present, must be "vc" ("vp"), the payload must be a VCDM 2.0 credential (presentation)
// of that type, any iss must equal its issuer (holder), the JWT claims vc and vp are
// forbidden, and kid is required when the issuer (holder) is a DID. An absent typ or
// "JWT" is the VCDM 1.1 encoding, whose vc or vp claim must be an object and whose
// registered claims must agree with the properties they stand for. Every other typ is
// ErrInvalidType. In all kinds registered claims must have their RFC 7519 types: a
// string iat is ErrMalformed.
//
// SD-JWT (a "~" in the token) and COSE are ErrUnsupportedFormat; they belong to other
// packages.
func Parse(token []byte, o ParseOptions) (*Parsed, error) {
	max := o.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if len(token) > max {
		return nil, fmt.Errorf("jose: token of %d bytes exceeds %d: %w", len(token), max, ErrTooLarge)
	}
	if bytes.IndexByte(token, '~') >= 0 {
		return nil, fmt.Errorf("jose: SD-JWT (a ~ separator) is not a JWS: %w", ErrUnsupportedFormat)
	}
	if looksLikeCOSE(token) {
		return nil, fmt.Errorf("jose: COSE_Sign1 is not a JWS: %w", ErrUnsupportedFormat)
	}
	accept, err := kindSet(o.Kinds)
	if err != nil {
		return nil, err
	}
	own := bytes.Clone(token)
	tok, err := ijose.Parse(own, accept.policy(o, max))
	if err != nil {
		return nil, err
	}
	h := tok.Header
	p := &Parsed{Header: Header{Alg: h.Alg, Typ: h.Typ, Cty: h.Cty, Kid: h.Kid, X5C: h.X5C}, token: own, tok: tok}
	var claims *ijose.Claims
	switch h.Typ {
	case typCredential, typPresentation:
		p.Kind = CredentialJWT
		if h.Typ == typPresentation {
			p.Kind = PresentationJWT
		}
		if _, ok := h.Raw["cty"]; ok && h.Cty == "" {
			return nil, fmt.Errorf("jose: empty cty: %w", ErrInvalidType)
		}
		if err := checkCty(h.Cty, p.Kind); err != nil {
			return nil, err
		}
		doc, err := checkDocument(tok.Payload, p.Kind == PresentationJWT)
		if err != nil {
			return nil, err
		}
		p.Issuer, claims, p.Document = doc.party, doc.claims, tok.Payload
	default: // absent or "JWT": ijose admitted nothing else
		if _, ok := h.Raw["cty"]; ok {
			return nil, fmt.Errorf("jose: cty %q on a VCDM 1.1 JWT: %w", h.Cty, ErrInvalidType)
		}
		d, err := parse11(tok.Payload)
		if err != nil {
			return nil, err
		}
		p.Kind, p.Issuer, claims, p.Document = d.kind, d.party, d.claims, d.document
	}
	if !accept.has(p.Kind) {
		return nil, fmt.Errorf("jose: %v not accepted here: %w", p.Kind, ErrInvalidType)
	}
	// VC-JOSE-COSE §iss: iss may also appear in the JOSE header; it must agree as well.
	if raw, ok := h.Raw["iss"]; ok {
		iss, ok := raw.(string)
		switch {
		case !ok:
			return nil, fmt.Errorf("jose: header iss is not a string: %w", ErrMalformed)
		case p.Issuer == "":
			p.Issuer = iss
		case iss != p.Issuer:
			return nil, fmt.Errorf("jose: header iss %q differs from %q: %w", iss, p.Issuer, ErrIssuerMismatch)
		}
	}
	// VC-JOSE-COSE §kid: kid MUST be present when the issuer's key is a DID URL.
	if (p.Kind == CredentialJWT || p.Kind == PresentationJWT) && p.Header.Kid == "" && strings.HasPrefix(p.Issuer, "did:") {
		return nil, fmt.Errorf("jose: no kid for the DID %s: %w", p.Issuer, ErrMissingKeyID)
	}
	p.Claims = claimsOf(claims)
	return p, nil
}

// checkCty: VC-JOSE-COSE says cty, when present, is "vc" ("vp"); RFC 7515 §4.1.10 makes
// "application/vc" the same value.
func checkCty(cty string, k Kind) error {
	want := "vc"
	if k == PresentationJWT {
		want = "vp"
	}
	if cty == "" || cty == want || cty == "application/"+want {
		return nil
	}
	return fmt.Errorf("jose: cty %q on a %v, want %q: %w", cty, k, want, ErrInvalidType)
}

// looksLikeCOSE reports whether a token without dots starts like a COSE_Sign1 or
// COSE_Sign message (CBOR tag 18 or 98, or an untagged array of four), in hex or base64,
// the ways the VC-JOSE-COSE test suite writes them.
func looksLikeCOSE(t []byte) bool {
	if len(t) < 4 || bytes.IndexByte(t, '.') >= 0 {
		return false
	}
	var b [3]byte
	switch {
	case isHex(t[:4]):
		if _, err := hex.Decode(b[:2], t[:4]); err != nil {
			return false
		}
	default:
		if _, err := base64.StdEncoding.Decode(b[:], t[:4]); err != nil {
			if _, err := base64.URLEncoding.Decode(b[:], t[:4]); err != nil {
				return false
			}
		}
	}
	return b[0] == 0xd2 || b[0] == 0x84 || b[0] == 0xd8 && b[1] == 0x62
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
