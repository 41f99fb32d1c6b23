package sdjwt

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// Inspected is an SD-JWT read without verifying anything: a holder's view of what it
// holds and can disclose, or a wallet's input to matching. Nothing in it is
// authenticated; a verifier uses [Verifier], whose result has another type.
type Inspected struct {
	Kind          Kind
	Header        Header
	Serialization Serialization
	HashAlgorithm string
	// Claims is the processed payload with every disclosure present applied.
	Claims map[string]any
	// Disclosures are the disclosures present, in order, with where each claim sits in
	// Claims.
	Disclosures []Disclosure
	// Issuer is iss, or the VCDM issuer (holder) of vc+sd-jwt (vp+sd-jwt) without iss.
	Issuer string
	// VCT is the vct of an SD-JWT VC.
	VCT string
	// KeyBinding reports a key binding JWT at the end (an SD-JWT+KB).
	KeyBinding bool
}

// Disclosure is one disclosure of an SD-JWT.
type Disclosure struct {
	// Path is where the disclosed claim sits in the processed payload: the claim's name
	// last for an object property, its index for an array element.
	Path Path
	// Encoded is the disclosure as it travels (base64url).
	Encoded string
	// Digest is its digest under the SD-JWT's _sd_alg.
	Digest string
}

// LogValue logs the kind, issuer and the number of claims and disclosures, never a
// claim value or a salt.
func (in *Inspected) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", in.Kind.String()),
		slog.String("issuer", in.Issuer),
		slog.String("vct", in.VCT),
		slog.Int("claims", len(in.Claims)),
		slog.Int("disclosures", len(in.Disclosures)),
		slog.Bool("key_binding", in.KeyBinding),
	)
}

// Inspect splits and processes an SD-JWT of any kind and serialization without
// checking a signature or the time, under the default limits and with every rule of
// disclosure processing (RFC 9901 §7.1 step 3 to 5) applied. A holder that receives
// a credential must still verify it with [Verifier.VerifyIssued] before relying on it.
func Inspect(data []byte) (*Inspected, error) {
	t, err := split(data, defaultLimits)
	if err != nil {
		return nil, err
	}
	d, err := decodeAny(t)
	if err != nil {
		return nil, err
	}
	in := &Inspected{
		Kind:          d.kind,
		Header:        headerOf(&d.jwt.Header, d.kid),
		Serialization: t.ser,
		HashAlgorithm: d.alg.name,
		Claims:        d.claims,
		Issuer:        d.facts.issuer,
		VCT:           d.facts.vct,
		KeyBinding:    t.kb != nil,
	}
	in.Disclosures = make([]Disclosure, len(d.discs))
	for i, dc := range d.discs {
		in.Disclosures[i] = Disclosure{Path: dc.path(), Encoded: dc.encoded, Digest: dc.digest}
	}
	return in, nil
}

// decodeAny decodes an SD-JWT of whatever typ it carries, with every algorithm and hash
// the library knows: for holders, who read what they were given.
func decodeAny(t *token) (*decoded, error) {
	typ, err := peekTyp(string(t.jws))
	if err != nil {
		return nil, err
	}
	ks := &kindSet{legacy: true}
	for k := VC; k <= Generic; k++ {
		ks.kinds[k] = true
	}
	if typ != "" && !reservedTyp(typ) {
		ks.generic = []string{typ}
	}
	c := &decodeConfig{
		lim: defaultLimits,
		policy: ijose.Policy{Types: ks.types(), TypeOptional: true, AllowX5C: true, MaxBytes: DefaultMaxBytes,
			Algorithms: []string{keys.EdDSA, keys.ES256, keys.ES384, keys.ES256K}},
		kinds:  ks,
		hashes: []string{SHA256, SHA384, SHA512},
	}
	return decode(t, c)
}

// peekTyp reads the typ of a compact JWS header, or "" without one; the header is
// parsed again, fully, by the policy.
func peekTyp(jws string) (string, error) {
	h, _, _ := strings.Cut(jws, ".")
	raw, err := b64.DecodeString(h)
	if err != nil {
		return "", fmt.Errorf("sdjwt: header is not base64url: %w", ErrMalformed)
	}
	v, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: 16 << 10, MaxDepth: 8})
	if err != nil {
		return "", fmt.Errorf("sdjwt: header: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("sdjwt: header is not a JSON object: %w", ErrMalformed)
	}
	typ, _ := m["typ"].(string)
	return typ, nil
}

// PresentOptions are the choices of [Present].
type PresentOptions struct {
	// Holder, if set, signs a key binding JWT with the key of the credential's cnf. If
	// nil, the presentation has none, and a verifier that requires key binding (the
	// default) refuses it.
	Holder keys.Signer
	// Nonce and Audience are the key binding JWT's nonce and aud, both required with
	// Holder: the verifier's challenge and identifier.
	Nonce, Audience string
	// IssuedAt is the key binding JWT's iat. If zero, the current time.
	IssuedAt time.Time
}

// Present makes a presentation of an SD-JWT as issued that discloses the claims at the
// given paths and nothing else, in the serialization it came in. Disclosing a claim
// discloses the disclosures on the way to it (a recursively disclosable parent) and
// everything inside it; a path to a claim the credential does not hold is ErrNoMatch.
// With o.Holder set, a key binding JWT over exactly the presentation is appended; a
// holder key that is not the credential's cnf key is ErrHolderBinding.
//
// Present checks the structure of the SD-JWT and every disclosure, not the issuer's
// signature: a holder verifies a credential once, on receipt, with [Verifier.VerifyIssued].
func Present(issued []byte, disclose []Path, o PresentOptions) ([]byte, error) {
	t, err := split(issued, defaultLimits)
	if err != nil {
		return nil, err
	}
	if t.kb != nil {
		return nil, fmt.Errorf("sdjwt: already a presentation (it has a key binding JWT): %w", ErrInvalidType)
	}
	d, err := decodeAny(t)
	if err != nil {
		return nil, err
	}
	var targets []Path
	for _, p := range disclose {
		if err := checkPath(p); err != nil {
			return nil, err
		}
		found := expand(d.claims, p, nil, nil)
		if len(found) == 0 {
			return nil, fmt.Errorf("sdjwt: no claim at %s: %w", p, ErrNoMatch)
		}
		targets = append(targets, found...)
	}
	var chosen []*disclosure
	for i := range d.discs {
		dp := d.discs[i].path()
		if slices.ContainsFunc(targets, func(p Path) bool { return matches(dp, p) }) {
			chosen = append(chosen, &d.discs[i])
		}
	}
	// A canonical order, not the issuer's: parents before what they contain.
	slices.SortStableFunc(chosen, func(a, b *disclosure) int {
		switch {
		case before(a.at, b.at):
			return -1
		case before(b.at, a.at):
			return 1
		}
		return 0
	})
	sel := make([]string, len(chosen))
	for i, dc := range chosen {
		sel[i] = dc.encoded
	}
	out := &token{ser: t.ser, jws: t.jws, discs: sel, payload: t.payload, sigs: t.sigs}
	hashInput := compactForm(t.jws, sel, nil)
	if o.Holder != nil {
		if out.kb, err = keyBindingJWT(d, hashInput, o); err != nil {
			return nil, err
		}
	} else if o.Nonce != "" || o.Audience != "" {
		return nil, fmt.Errorf("sdjwt: nonce or audience without a holder key: %w", ErrInvalidOptions)
	}
	if t.ser == Compact {
		return append(hashInput, out.kb...), nil
	}
	return out.jsonForm()
}

// expand returns the concrete paths of the claims p selects in v (a nil component
// selecting every element of an array).
func expand(v any, p, at Path, out []Path) []Path {
	if len(p) == 0 {
		return append(out, slices.Clone(at))
	}
	switch c := p[0].(type) {
	case nil:
		a, ok := v.([]any)
		if !ok {
			return out
		}
		for i, e := range a {
			out = expand(e, p[1:], append(at, i), out)
		}
	case string:
		m, ok := v.(map[string]any)
		if !ok {
			return out
		}
		if e, ok := m[c]; ok {
			out = expand(e, p[1:], append(at, c), out)
		}
	default:
		i, _ := index(c)
		a, ok := v.([]any)
		if !ok || i >= len(a) {
			return out
		}
		out = expand(a[i], p[1:], append(at, i), out)
	}
	return out
}

// keyBindingJWT signs the key binding JWT of a presentation (RFC 9901 §4.3).
func keyBindingJWT(d *decoded, hashInput []byte, o PresentOptions) ([]byte, error) {
	if o.Nonce == "" || o.Audience == "" {
		return nil, fmt.Errorf("sdjwt: a key binding JWT needs a nonce and an audience: %w", ErrInvalidOptions)
	}
	cnf, err := confirmation(d.claims)
	if err != nil {
		return nil, err
	}
	if cnf == nil {
		return nil, fmt.Errorf("sdjwt: the credential has no cnf to bind to: %w", ErrHolderBinding)
	}
	if cnf.Key != nil && !keys.Equal(cnf.Key, o.Holder.Public()) {
		return nil, fmt.Errorf("sdjwt: the holder key is not the credential's cnf key: %w", ErrHolderBinding)
	}
	iat := o.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	if iat.Unix() < 0 {
		return nil, fmt.Errorf("sdjwt: key binding iat before 1970: %w", ErrInvalidOptions)
	}
	body, err := marshal(struct {
		IssuedAt int64  `json:"iat"`
		Audience string `json:"aud"`
		Nonce    string `json:"nonce"`
		SDHash   string `json:"sd_hash"`
	}{iat.Unix(), o.Audience, o.Nonce, d.alg.sum(hashInput)})
	if err != nil {
		return nil, err
	}
	kb, err := ijose.Sign(o.Holder, body, ijose.SignOptions{Typ: TypKeyBinding})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: key binding JWT: %w", err)
	}
	return kb, nil
}
