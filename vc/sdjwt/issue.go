package sdjwt

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// saltBytes is the randomness of each salt: 128 bits, as RFC 9901 §9.3 recommends.
const saltBytes = 16

// Cosigner is a further signature of the general JSON serialization.
type Cosigner struct {
	Signer keys.Signer
	KeyID  string // its kid, in its protected header; "" for none
}

// IssueOptions are the choices of [Issue]. The zero value issues an SD-JWT VC
// (dc+sd-jwt) in compact form with SHA-256 digests and no kid.
type IssueOptions struct {
	// Kind is what to issue. If 0, VC.
	Kind Kind
	// Type is the typ of a Generic SD-JWT, required for it and refused for the others.
	Type string
	// LegacyVCType writes an SD-JWT VC with typ vc+sd-jwt, for verifiers of drafts
	// before draft-ietf-oauth-sd-jwt-vc-06.
	LegacyVCType bool
	// KeyID is the kid header; "" for none.
	KeyID string
	// HashAlgorithm is _sd_alg: SHA256 (if empty), SHA384 or SHA512.
	HashAlgorithm string
	// Holder, if set, is the holder's public key, added as cnf.jwk so that the holder
	// can bind presentations to it.
	Holder crypto.PublicKey
	// HolderKeyID, if set, is added as cnf.kid instead, for a verifier that resolves it.
	HolderKeyID string
	// IssuedAt, NotBefore and Expiry, if not zero, become iat, nbf and exp. The claims
	// must not hold them already.
	IssuedAt, NotBefore, Expiry time.Time
	// Serialization is the output form. If 0, Compact.
	Serialization Serialization
	// Cosigners add further signatures over the same payload; GeneralJSON only.
	Cosigners []Cosigner

	hooks *issueHooks // tests reproduce published examples with their salts and decoys
}

// issueHooks replace the random salts and decoys, and the JSON encoding of
// disclosures, of an issuance.
type issueHooks struct {
	salt   func(p Path) string
	decoy  func(p Path) string
	encode func(salt string, name *string, value any) string
}

// Issue makes an SD-JWT of claims signed by s, with the claims frame names
// selectively disclosable, and returns it as issued to the holder: the Issuer-signed JWT
// and every disclosure.
//
// The claims are encoded as JSON (any value encoding/json accepts) and never changed.
// They must not contain the members _sd, ... or _sd_alg anywhere (ErrMalformed). The
// frame must fit them: a frame member the claims do not hold, or a frame for an object
// on an array, is ErrInvalidOptions. For an SD-JWT VC, claims must hold a string vct,
// and the frame may not make iss, nbf, exp, cnf, vct, vct#integrity, aka_vcts or status
// (or anything inside them) disclosable (ErrReservedClaimDisclosed); for vc+sd-jwt and
// vp+sd-jwt they must hold an @context.
//
// Each disclosure has its own salt of 128 bits from crypto/rand; each object's digests
// are sorted and decoys placed at random among array elements, so the payload does not
// reveal the claims' order. An issuance that its own verifier would refuse, with more
// than 1,000 disclosures or nested more deeply than 64 levels, fails.
func Issue(s keys.Signer, claims map[string]any, frame Frame, o IssueOptions) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("sdjwt: nil signer: %w", ErrInvalidKey)
	}
	kind := o.Kind
	if kind == 0 {
		kind = VC
	}
	if !kind.valid() {
		return nil, fmt.Errorf("sdjwt: unknown kind %v: %w", kind, ErrInvalidOptions)
	}
	typ, cty, err := issueTypes(kind, o)
	if err != nil {
		return nil, err
	}
	alg := SHA256
	if o.HashAlgorithm != "" {
		alg = o.HashAlgorithm
	}
	h, ok := lookupHash(alg)
	if !ok {
		return nil, fmt.Errorf("sdjwt: hash algorithm %q: %w", alg, ErrUnsupportedHashAlgorithm)
	}
	if len(o.Cosigners) > 0 && o.Serialization != GeneralJSON {
		return nil, fmt.Errorf("sdjwt: cosigners need the general JSON serialization: %w", ErrInvalidOptions)
	}
	if len(o.Cosigners)+1 > maxSignatures {
		return nil, fmt.Errorf("sdjwt: %d signatures exceed the limit of %d: %w", len(o.Cosigners)+1, maxSignatures, ErrInvalidOptions)
	}
	if o.Serialization < Compact || o.Serialization > GeneralJSON {
		return nil, fmt.Errorf("sdjwt: serialization %v: %w", o.Serialization, ErrInvalidOptions)
	}
	if frame.Disclosable {
		return nil, fmt.Errorf("sdjwt: the payload as a whole cannot be disclosable: %w", ErrInvalidOptions)
	}
	if err := frame.check(1); err != nil {
		return nil, err
	}
	payload, err := normalize(claims)
	if err != nil {
		return nil, err
	}
	if err := addRegistered(payload, o); err != nil {
		return nil, err
	}
	if err := checkIssuable(kind, payload, frame); err != nil {
		return nil, err
	}
	is := &issuance{alg: h, hooks: o.hooks}
	if _, err := is.apply(payload, frame, 1); err != nil {
		return nil, err
	}
	if len(is.discs) > DefaultMaxDisclosures {
		return nil, fmt.Errorf("sdjwt: %d disclosures exceed the limit of %d: %w", len(is.discs), DefaultMaxDisclosures, ErrTooLarge)
	}
	payload[keySDAlg] = h.name
	body, err := marshal(payload)
	if err != nil {
		return nil, err
	}
	jws, err := ijose.Sign(s, body, ijose.SignOptions{Typ: typ, Cty: cty, Kid: o.KeyID})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: %w", err)
	}
	switch o.Serialization {
	case FlattenedJSON, GeneralJSON:
		sigs := []signature{sigOf(string(jws))}
		for i, c := range o.Cosigners {
			if c.Signer == nil {
				return nil, fmt.Errorf("sdjwt: cosigner %d: nil signer: %w", i, ErrInvalidKey)
			}
			cj, err := ijose.Sign(c.Signer, body, ijose.SignOptions{Typ: typ, Cty: cty, Kid: c.KeyID})
			if err != nil {
				return nil, fmt.Errorf("sdjwt: cosigner %d: %w", i, err)
			}
			sigs = append(sigs, sigOf(string(cj)))
		}
		_, p, _ := strings.Cut(string(jws), ".")
		p, _, _ = strings.Cut(p, ".")
		t := &token{ser: o.Serialization, payload: p, sigs: sigs, discs: is.discs}
		return t.jsonForm()
	}
	return compactForm(jws, is.discs, nil), nil
}

// issueTypes returns typ and cty for the kind.
func issueTypes(k Kind, o IssueOptions) (typ, cty string, err error) {
	if k != Generic && o.Type != "" {
		return "", "", fmt.Errorf("sdjwt: Type is for Generic SD-JWTs only: %w", ErrInvalidOptions)
	}
	if k != VC && o.LegacyVCType {
		return "", "", fmt.Errorf("sdjwt: LegacyVCType is for SD-JWT VCs only: %w", ErrInvalidOptions)
	}
	switch k {
	case VC:
		if o.LegacyVCType {
			return TypLegacyVC, "", nil
		}
		return TypVC, "", nil
	case VCDMCredential:
		return TypLegacyVC, "vc", nil
	case VCDMPresentation:
		return TypPresentation, "vp", nil
	}
	if o.Type == "" || reservedTyp(o.Type) {
		return "", "", fmt.Errorf("sdjwt: Generic SD-JWT with typ %q: %w", o.Type, ErrInvalidOptions)
	}
	return o.Type, "", nil
}

// normalize encodes claims as JSON and decodes them strictly, so that the payload is
// made of the types jsonx produces and the caller's values are never changed.
func normalize(claims map[string]any) (map[string]any, error) {
	if claims == nil {
		return nil, fmt.Errorf("sdjwt: nil claims: %w", ErrInvalidOptions)
	}
	data, err := marshal(claims)
	if err != nil {
		return nil, err
	}
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: len(data) + 1, MaxDepth: DefaultMaxDepth})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: claims: %w", err)
	}
	m := v.(map[string]any)
	if err := noReserved(m, ""); err != nil {
		return nil, err
	}
	return m, nil
}

// noReserved refuses the members that carry digests and the hash algorithm.
func noReserved(v any, where string) error {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			switch k {
			case keySD, keyArray, keySDAlg:
				return fmt.Errorf("sdjwt: claims hold the reserved member %q at %s/: %w", k, where, ErrMalformed)
			}
			if err := noReserved(e, where+"/"+k); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range t {
			if err := noReserved(e, where+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// addRegistered adds iat, nbf, exp and cnf from the options.
func addRegistered(payload map[string]any, o IssueOptions) error {
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"iat", o.IssuedAt}, {"nbf", o.NotBefore}, {"exp", o.Expiry}} {
		if f.t.IsZero() {
			continue
		}
		if _, ok := payload[f.name]; ok {
			return fmt.Errorf("sdjwt: %s both in the claims and the options: %w", f.name, ErrInvalidOptions)
		}
		n, err := numericDate(f.t)
		if err != nil {
			return fmt.Errorf("sdjwt: %s: %w", f.name, err)
		}
		payload[f.name] = n
	}
	if o.Holder == nil && o.HolderKeyID == "" {
		return nil
	}
	if _, ok := payload["cnf"]; ok {
		return fmt.Errorf("sdjwt: cnf both in the claims and the options: %w", ErrInvalidOptions)
	}
	if o.Holder != nil && o.HolderKeyID != "" {
		return fmt.Errorf("sdjwt: both Holder and HolderKeyID: %w", ErrInvalidOptions)
	}
	if o.HolderKeyID != "" {
		payload["cnf"] = map[string]any{"kid": o.HolderKeyID}
		return nil
	}
	jwk, err := keys.JWK(o.Holder)
	if err != nil {
		return fmt.Errorf("sdjwt: holder key: %w", err)
	}
	v, err := jsonx.Decode(jwk, jsonx.Limits{})
	if err != nil {
		return fmt.Errorf("sdjwt: holder key: %w", err)
	}
	payload["cnf"] = map[string]any{"jwk": v}
	return nil
}

// numericDate writes t as an RFC 7519 NumericDate: whole seconds, or a decimal
// fraction when t has one.
func numericDate(t time.Time) (json.Number, error) {
	if t.Unix() < 0 {
		return "", fmt.Errorf("time %s before 1970: %w", t.Format(time.RFC3339), ErrInvalidOptions)
	}
	s := strconv.FormatInt(t.Unix(), 10)
	if ns := t.Nanosecond(); ns != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%09d", ns), "0")
	}
	return json.Number(s), nil
}

// checkIssuable applies the kind's rules to what will be signed.
func checkIssuable(k Kind, payload map[string]any, f Frame) error {
	switch k {
	case VC:
		raw, ok := payload["vct"]
		if !ok {
			return fmt.Errorf("sdjwt: SD-JWT VC without vct: %w", ErrInvalidType)
		}
		for name := range vcPlainClaims {
			if sub, ok := f.Members[name]; ok && sub.selective() {
				return fmt.Errorf("sdjwt: %s must stay in plain text in an SD-JWT VC: %w", name, ErrReservedClaimDisclosed)
			}
		}
		if s, ok := raw.(string); !ok || s == "" {
			return fmt.Errorf("sdjwt: vct is not a non-empty string: %w", ErrMalformed)
		}
	case VCDMCredential, VCDMPresentation:
		if _, ok := payload["@context"]; !ok {
			return fmt.Errorf("sdjwt: %v without @context: %w", k, ErrInvalidType)
		}
	}
	_, err := checkKind(k, payload)
	return err
}

// selective reports whether f makes anything disclosable or adds a decoy.
func (f Frame) selective() bool {
	if f.Disclosable || f.Decoys > 0 {
		return true
	}
	for _, m := range f.Members {
		if m.selective() {
			return true
		}
	}
	for _, e := range f.Elements {
		if e.selective() {
			return true
		}
	}
	return f.Items != nil && f.Items.selective()
}

// issuance collects the disclosures of one Issue call.
type issuance struct {
	alg   hashAlg
	discs []string
	hooks *issueHooks
	path  Path
}

// apply replaces the disclosable parts of v, bottom-up, so that a disclosure's value
// already holds the digests of what it contains.
func (is *issuance) apply(v any, f Frame, depth int) (any, error) {
	if depth > DefaultMaxDepth {
		return nil, fmt.Errorf("sdjwt: claims nested more deeply than %d levels: %w", DefaultMaxDepth, ErrTooDeep)
	}
	switch t := v.(type) {
	case map[string]any:
		if len(f.Elements) > 0 || f.Items != nil {
			return nil, fmt.Errorf("sdjwt: array frame for the object at %s: %w", is.path, ErrInvalidOptions)
		}
		names := make([]string, 0, len(f.Members))
		for name := range f.Members {
			names = append(names, name)
		}
		sort.Strings(names)
		var digests []string
		for _, name := range names {
			cf := f.Members[name]
			cv, ok := t[name]
			if !ok {
				return nil, fmt.Errorf("sdjwt: frame names %s/%s, which the claims do not hold: %w", is.path, name, ErrInvalidOptions)
			}
			is.path = append(is.path, name)
			nv, err := is.apply(cv, cf, depth+1)
			if err == nil && cf.Disclosable {
				var dig string
				if dig, err = is.disclose(&name, nv); err == nil {
					delete(t, name)
					digests = append(digests, dig)
				}
			} else if err == nil {
				t[name] = nv
			}
			is.path = is.path[:len(is.path)-1]
			if err != nil {
				return nil, err
			}
		}
		for range f.Decoys {
			digests = append(digests, is.decoy())
		}
		if len(digests) > 0 {
			sort.Strings(digests)
			list := make([]any, len(digests))
			for i, d := range digests {
				list[i] = d
			}
			t[keySD] = list
		}
		return t, nil
	case []any:
		if len(f.Members) > 0 {
			return nil, fmt.Errorf("sdjwt: object frame for the array at %s: %w", is.path, ErrInvalidOptions)
		}
		for i := range f.Elements {
			if i >= len(t) {
				return nil, fmt.Errorf("sdjwt: frame names element %d of the %d at %s: %w", i, len(t), is.path, ErrInvalidOptions)
			}
		}
		out := make([]any, 0, len(t)+f.Decoys)
		for i, e := range t {
			cf, ok := f.Elements[i]
			if !ok && f.Items != nil {
				cf = *f.Items
			}
			is.path = append(is.path, i)
			nv, err := is.apply(e, cf, depth+1)
			if err == nil && cf.Disclosable {
				var dig string
				if dig, err = is.disclose(nil, nv); err == nil {
					nv = map[string]any{keyArray: dig}
				}
			}
			is.path = is.path[:len(is.path)-1]
			if err != nil {
				return nil, err
			}
			out = append(out, nv)
		}
		for range f.Decoys {
			at := randN(len(out) + 1)
			out = slices.Insert(out, at, any(map[string]any{keyArray: is.decoy()}))
		}
		return out, nil
	}
	if len(f.Members) > 0 || len(f.Elements) > 0 || f.Items != nil || f.Decoys > 0 {
		return nil, fmt.Errorf("sdjwt: frame goes below the scalar at %s: %w", is.path, ErrInvalidOptions)
	}
	return v, nil
}

// disclose makes the disclosure of one claim (name nil for an array element) and
// returns its digest.
func (is *issuance) disclose(name *string, value any) (string, error) {
	var salt, enc string
	if is.hooks != nil {
		salt = is.hooks.salt(slices.Clone(is.path))
		enc = is.hooks.encode(salt, name, value)
	} else {
		var r [saltBytes]byte
		_, _ = rand.Read(r[:]) // crypto/rand.Read never fails (Go 1.24+)
		salt = b64.EncodeToString(r[:])
		arr := []any{salt, value}
		if name != nil {
			arr = []any{salt, *name, value}
		}
		data, err := marshal(arr)
		if err != nil {
			return "", err
		}
		enc = b64.EncodeToString(data)
	}
	is.discs = append(is.discs, enc)
	return is.alg.sum([]byte(enc)), nil
}

// decoy returns a decoy digest: the hash of fresh random bytes (RFC 9901 §4.2.5).
func (is *issuance) decoy() string {
	if is.hooks != nil {
		return is.hooks.decoy(slices.Clone(is.path))
	}
	var r [32]byte
	_, _ = rand.Read(r[:])
	return is.alg.sum(r[:])
}

// randN returns a uniform random integer in [0, n) for small n.
func randN(n int) int {
	if n <= 1 {
		return 0
	}
	limit := ^uint64(0) - ^uint64(0)%uint64(n)
	for {
		var b [8]byte
		_, _ = rand.Read(b[:])
		if x := binary.LittleEndian.Uint64(b[:]); x < limit {
			return int(x % uint64(n))
		}
	}
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("sdjwt: encoding JSON: %w", ErrMalformed)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// sigOf splits a compact JWS into the parts of a JSON serialization signature.
func sigOf(jws string) signature {
	prot, rest, _ := strings.Cut(jws, ".")
	_, sig, _ := strings.Cut(rest, ".")
	return signature{protected: prot, signature: sig}
}
