package jose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
)

// The VCDM 1.1 JWT encoding (VCDM 1.1 §6.3.1) carries the credential in a "vc" claim
// (the presentation in "vp") and moves some of its properties into registered claims:
//
//	iss  issuer (credential) or holder (presentation)
//	nbf  issuanceDate
//	exp  expirationDate
//	jti  id
//	sub  credentialSubject.id
//	aud  the audience of a presentation
//
// Decoding maps each claim back. The specification allows a property to stay in the vc
// claim as well; when both are present they must agree (instants are compared to the
// second, since NumericDate is usually whole seconds): a different issuer or holder is
// ErrIssuerMismatch, any other difference ErrMalformed.
//
// Encoding (SignCredential11, SignPresentation11) moves the mapped properties out of
// the vc (vp) claim instead of repeating them, so the token says each fact once; an
// issuer or holder object left with no member but its id is removed as a whole and comes
// back from Parse as a plain string.

type doc11 struct {
	kind     Kind
	party    string
	claims   *ijose.Claims
	document []byte
}

func parse11(payload []byte) (*doc11, error) {
	v, err := jsonx.Decode(payload, jsonx.Limits{MaxBytes: len(payload) + 1})
	if err != nil {
		return nil, fmt.Errorf("jose: payload: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: payload is not a JSON object: %w", ErrMalformed)
	}
	claims, err := ijose.ClaimsFrom(m)
	if err != nil {
		return nil, err
	}
	vc, hasVC := m["vc"]
	vp, hasVP := m["vp"]
	d := &doc11{claims: claims}
	var obj map[string]any
	switch {
	case hasVC && hasVP:
		return nil, fmt.Errorf("jose: both vc and vp claims: %w", ErrMalformed)
	case hasVC:
		d.kind = Credential11
		obj, ok = vc.(map[string]any)
	case hasVP:
		d.kind = Presentation11
		obj, ok = vp.(map[string]any)
	default:
		return nil, fmt.Errorf("jose: a VCDM 1.1 JWT without a vc or vp claim: %w", ErrMalformed)
	}
	if !ok {
		return nil, fmt.Errorf("jose: the %v claim is not a JSON object: %w", d.kind, ErrMalformed)
	}
	if err := checkShape11(obj, d.kind == Presentation11); err != nil {
		return nil, err
	}
	party := "issuer"
	if d.kind == Presentation11 {
		party = "holder"
	}
	if _, ok := m["iss"]; ok {
		if err := mergeParty(obj, party, claims.Issuer); err != nil {
			return nil, err
		}
	}
	if _, ok := m["jti"]; ok {
		if err := mergeString(obj, "id", claims.ID, "id"); err != nil {
			return nil, err
		}
	}
	if d.kind == Credential11 {
		if err := mergeDate(obj, "issuanceDate", m["nbf"], claims.NotBefore); err != nil {
			return nil, err
		}
		if err := mergeDate(obj, "expirationDate", m["exp"], claims.Expiry); err != nil {
			return nil, err
		}
		if _, ok := m["sub"]; ok {
			if err := mergeSubject(obj, claims.Subject); err != nil {
				return nil, err
			}
		}
	}
	if d.party, err = idOf(obj[party], party); err != nil {
		return nil, err
	}
	if d.kind == Credential11 && d.party == "" {
		return nil, fmt.Errorf("jose: credential has no issuer: %w", ErrMalformed)
	}
	if d.document, err = marshalJSON(obj); err != nil {
		return nil, err
	}
	return d, nil
}

// checkShape11 checks the little of the VCDM 1.1 data model that the mapping relies on.
func checkShape11(obj map[string]any, presentation bool) error {
	if _, ok := obj["@context"]; !ok {
		return fmt.Errorf("jose: no @context: %w", ErrMalformed)
	}
	want := typeCredential
	if presentation {
		want = typePresentation
	}
	ok, err := typeIncludes(obj["type"], want)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("jose: type does not include %s: %w", want, ErrInvalidType)
	}
	return nil
}

// typeIncludes reports whether a decoded type value (a string or an array of strings)
// includes want; a missing or ill-typed value is ErrMalformed.
func typeIncludes(v any, want string) (bool, error) {
	switch t := v.(type) {
	case string:
		return t == want, nil
	case []any:
		found := false
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return false, fmt.Errorf("jose: type has a non-string entry: %w", ErrMalformed)
			}
			found = found || s == want
		}
		return found, nil
	case nil:
		return false, fmt.Errorf("jose: no type: %w", ErrMalformed)
	}
	return false, fmt.Errorf("jose: type is neither a string nor an array: %w", ErrMalformed)
}

// idOf returns the id of a decoded issuer or holder: the string, or the object's id.
func idOf(v any, name string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		if t != "" {
			return t, nil
		}
	case map[string]any:
		switch id := t["id"].(type) {
		case nil:
			return "", nil
		case string:
			if id != "" {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("jose: %s has no usable id: %w", name, ErrMalformed)
}

// mergeParty sets issuer (holder), or issuer.id, to iss, or checks that it already is.
func mergeParty(obj map[string]any, name, iss string) error {
	if iss == "" {
		return fmt.Errorf("jose: empty iss: %w", ErrMalformed)
	}
	cur, present := obj[name]
	if !present {
		obj[name] = iss
		return nil
	}
	if m, ok := cur.(map[string]any); ok {
		if _, ok := m["id"]; !ok {
			m["id"] = iss
			return nil
		}
	}
	id, err := idOf(cur, name)
	if err != nil {
		return err
	}
	if id != iss {
		return fmt.Errorf("jose: iss %q differs from %s %q: %w", iss, name, id, ErrIssuerMismatch)
	}
	return nil
}

// mergeString sets obj[name] to v, or checks that it already is v.
func mergeString(obj map[string]any, name, v, path string) error {
	cur, present := obj[name]
	if !present {
		obj[name] = v
		return nil
	}
	if s, ok := cur.(string); !ok || s != v {
		return fmt.Errorf("jose: %s differs from its JWT claim: %w", path, ErrMalformed)
	}
	return nil
}

// mergeDate sets obj[name] to the date-time of a NumericDate claim, or checks that it
// already names the same second. raw is the claim as decoded (nil when absent) and t the
// instant ijose read from it.
func mergeDate(obj map[string]any, name string, raw any, t *time.Time) error {
	if raw == nil || t == nil {
		return nil
	}
	at := *t
	if n, ok := raw.(json.Number); ok {
		if exact, ok := exactNumericDate(n); ok {
			at = exact
		}
	}
	cur, present := obj[name]
	if !present {
		obj[name] = at.UTC().Format(time.RFC3339Nano)
		return nil
	}
	s, ok := cur.(string)
	if !ok {
		return fmt.Errorf("jose: %s is not a string: %w", name, ErrMalformed)
	}
	have, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("jose: %s is not an RFC 3339 date-time: %w", name, ErrMalformed)
	}
	if !have.Truncate(time.Second).Equal(at.Truncate(time.Second)) {
		return fmt.Errorf("jose: %s %s differs from its JWT claim %s: %w", name, s, at.UTC().Format(time.RFC3339Nano), ErrMalformed)
	}
	return nil
}

// exactNumericDate reads a NumericDate written as an integer or a plain decimal without
// rounding through a float, so 1262373804.123 comes back as .123 exactly.
func exactNumericDate(n json.Number) (time.Time, bool) {
	s := string(n)
	if strings.ContainsAny(s, "eE-") {
		return time.Time{}, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	return time.Unix(sec, ns).UTC(), true
}

// mergeSubject sets credentialSubject.id to sub, or checks that it already is sub. With
// several subjects, sub must be the id of one of them.
func mergeSubject(obj map[string]any, sub string) error {
	const name = "credentialSubject"
	switch cs := obj[name].(type) {
	case nil:
		if _, present := obj[name]; present {
			break
		}
		obj[name] = map[string]any{"id": sub}
		return nil
	case map[string]any:
		return mergeString(cs, "id", sub, name+".id")
	case []any:
		if len(cs) == 1 {
			if m, ok := cs[0].(map[string]any); ok {
				return mergeString(m, "id", sub, name+".id")
			}
		}
		for _, e := range cs {
			if m, ok := e.(map[string]any); ok && m["id"] == sub {
				return nil
			}
		}
		return fmt.Errorf("jose: sub %q is the id of none of the subjects: %w", sub, ErrMalformed)
	}
	return fmt.Errorf("jose: %s is neither an object nor an array: %w", name, ErrMalformed)
}

// marshalJSON encodes v without HTML escaping; numbers are json.Number and keep their text.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("jose: encoding JSON: %w", ErrMalformed)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// claims11 builds the JWT claims set of a VCDM 1.1 credential or presentation, moving the
// mapped properties out of the document.
func claims11(data []byte, presentation bool, o SignOptions) (map[string]any, error) {
	if len(data) > DefaultMaxBytes {
		return nil, fmt.Errorf("jose: document of %d bytes exceeds %d: %w", len(data), DefaultMaxBytes, ErrTooLarge)
	}
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("jose: document: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: document is not a JSON object: %w", ErrMalformed)
	}
	if err := checkShape11(obj, presentation); err != nil {
		return nil, err
	}
	claims := make(map[string]any, 8)
	party := "issuer"
	if presentation {
		party = "holder"
	}
	if err := moveParty(obj, party, claims); err != nil {
		return nil, err
	}
	if !presentation {
		if _, ok := claims["iss"]; !ok {
			return nil, fmt.Errorf("jose: credential has no issuer: %w", ErrMalformed)
		}
	}
	if id, present := obj["id"]; present {
		s, ok := id.(string)
		if !ok {
			return nil, fmt.Errorf("jose: id is not a string: %w", ErrMalformed)
		}
		claims["jti"] = s
		delete(obj, "id")
	}
	if presentation {
		if o.Nonce != "" {
			claims["nonce"] = o.Nonce
		}
		if o.Audience != "" {
			claims["aud"] = o.Audience
		}
		if !o.Expiry.IsZero() {
			if claims["exp"], err = numericDate(o.Expiry); err != nil {
				return nil, err
			}
		}
		claims["vp"] = obj
	} else {
		if o.Nonce != "" || o.Audience != "" || !o.Expiry.IsZero() {
			return nil, fmt.Errorf("jose: nonce, aud and exp options on a VCDM 1.1 credential (use expirationDate): %w", ErrMalformed)
		}
		for prop, claim := range map[string]string{"issuanceDate": "nbf", "expirationDate": "exp"} {
			if err := moveDate(obj, prop, claim, claims); err != nil {
				return nil, err
			}
		}
		if err := moveSubject(obj, claims); err != nil {
			return nil, err
		}
		claims["vc"] = obj
	}
	if !o.IssuedAt.IsZero() {
		if claims["iat"], err = numericDate(o.IssuedAt); err != nil {
			return nil, err
		}
	}
	return claims, nil
}

// moveParty moves issuer (holder), or its id, to iss.
func moveParty(obj map[string]any, name string, claims map[string]any) error {
	cur, present := obj[name]
	if !present {
		return nil
	}
	id, err := idOf(cur, name)
	if err != nil {
		return err
	}
	if id == "" {
		return nil // an object without id stays as it is
	}
	claims["iss"] = id
	if m, ok := cur.(map[string]any); ok {
		delete(m, "id")
		if len(m) > 0 {
			return nil
		}
	}
	delete(obj, name)
	return nil
}

func moveDate(obj map[string]any, prop, claim string, claims map[string]any) error {
	cur, present := obj[prop]
	if !present {
		return nil
	}
	s, ok := cur.(string)
	if !ok {
		return fmt.Errorf("jose: %s is not a string: %w", prop, ErrMalformed)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("jose: %s is not an RFC 3339 date-time: %w", prop, ErrMalformed)
	}
	if claims[claim], err = numericDate(t); err != nil {
		return err
	}
	delete(obj, prop)
	return nil
}

// moveSubject moves the id of the one credential subject to sub.
func moveSubject(obj map[string]any, claims map[string]any) error {
	var subject map[string]any
	switch cs := obj["credentialSubject"].(type) {
	case map[string]any:
		subject = cs
	case []any:
		if len(cs) != 1 {
			return nil // several subjects: sub cannot name them, ids stay in vc
		}
		subject, _ = cs[0].(map[string]any)
	}
	if subject == nil {
		return nil
	}
	id, present := subject["id"]
	if !present {
		return nil
	}
	s, ok := id.(string)
	if !ok {
		return fmt.Errorf("jose: credentialSubject.id is not a string: %w", ErrMalformed)
	}
	claims["sub"] = s
	delete(subject, "id")
	return nil
}

// numericDate encodes t as an RFC 7519 NumericDate: whole seconds, or a decimal with
// only the digits the fraction needs.
func numericDate(t time.Time) (json.Number, error) {
	sec, ns := t.Unix(), t.Nanosecond()
	if sec < 0 {
		return "", fmt.Errorf("jose: time %s before 1970: %w", t.UTC().Format(time.RFC3339), ErrMalformed)
	}
	s := strconv.FormatInt(sec, 10)
	if ns != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%09d", ns), "0")
	}
	return json.Number(s), nil
}
