package dcql

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Credential format identifiers of OpenID4VP 1.0 Appendix B.
const (
	FormatSDJWTVC = "dc+sd-jwt"   // IETF SD-JWT VC
	FormatJWTVC   = "jwt_vc_json" // W3C VC secured as a JWT
	FormatLDPVC   = "ldp_vc"      // W3C VC with a Data Integrity proof
	FormatMDoc    = "mso_mdoc"    // ISO mdoc: parsed, never matched
)

// Limits bound a query. The zero value gives the defaults; a zero field takes its default.
type Limits struct {
	MaxBytes             int // if 0, 256 KiB
	MaxDepth             int // JSON nesting; if 0, 64
	MaxCredentialQueries int // if 0, 100
	MaxClaims            int // claims queries per credential query; if 0, 256
	MaxClaimSets         int // claim sets per credential query, and credential sets and options; if 0, 64
	MaxPathLength        int // components of a claims path pointer; if 0, 64
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBytes, 256<<10)
	def(&l.MaxDepth, 64)
	def(&l.MaxCredentialQueries, 100)
	def(&l.MaxClaims, 256)
	def(&l.MaxClaimSets, 64)
	def(&l.MaxPathLength, 64)
	return l
}

// Query is a DCQL query (OpenID4VP 1.0 §6). Make one with [ParseQuery], which enforces
// the rules of the specification; a Query is not modified by evaluation and is safe for
// concurrent use.
type Query struct {
	Credentials    []CredentialQuery
	CredentialSets []CredentialSet // nil when the query has none: every credential query is required
}

// CredentialQuery asks for one credential (§6.1).
type CredentialQuery struct {
	ID                 string
	Format             string
	Multiple           bool // the wallet may return more than one credential
	Meta               Meta
	TrustedAuthorities []TrustedAuthority
	// RequireHolderBinding is require_cryptographic_holder_binding, true when absent.
	RequireHolderBinding bool
	Claims               []ClaimQuery // nil: no claims beyond those always disclosed
	ClaimSets            [][]string   // claim ids; nil when absent
}

// Meta holds the format-specific constraints of a credential query (Appendix B).
type Meta struct {
	VCTValues    []string   // dc+sd-jwt: allowed vct values
	TypeValues   [][]string // jwt_vc_json, ldp_vc: alternatives, each a set of types that must all be present
	DoctypeValue string     // mso_mdoc
	// Members lists every member name of meta, sorted, those above included, so that a
	// constraint this package does not understand is never silently dropped.
	Members []string
}

// Types of trusted authorities (OpenID4VP 1.0 §6.1.1.1 to §6.1.1.3).
const (
	TrustAKI              = "aki"               // an X.509 authority key identifier, base64url
	TrustETSITL           = "etsi_tl"           // an ETSI trusted list
	TrustOpenIDFederation = "openid_federation" // an OpenID Federation entity identifier
)

// TrustedAuthority is one entry of trusted_authorities (§6.1.1).
type TrustedAuthority struct {
	Type   string // "aki", "etsi_tl", "openid_federation" or another mechanism
	Values []string
}

// ClaimQuery asks for one claim (§6.3).
type ClaimQuery struct {
	ID   string // required when the credential query has claim_sets
	Path []any  // claims path pointer: string, non-negative int, or nil for every array element
	// Values, when non-nil, lists the allowed values: string, int64 or bool.
	Values []any
	// IntentToRetain is the mso_mdoc intent_to_retain flag; nil when absent.
	IntentToRetain *bool
}

// CredentialSet constrains which credential queries are answered together (§6.2).
type CredentialSet struct {
	Options  [][]string // each option: credential query ids that together satisfy the set
	Required bool       // true when absent
}

// ParseQuery parses and validates a DCQL query with the default [Limits]. Members the
// specification does not define are ignored, as OpenID4VP asks of wallets for unknown
// parameters; members it defines must have the type and form it gives them. Errors wrap
// [ErrMalformed], [ErrTooLarge] or [ErrTooDeep].
func ParseQuery(data []byte) (*Query, error) {
	return ParseQueryLimits(data, Limits{})
}

// ParseQueryLimits is [ParseQuery] with explicit limits.
func ParseQueryLimits(data []byte, lim Limits) (*Query, error) {
	lim = lim.withDefaults()
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: lim.MaxBytes, MaxDepth: lim.MaxDepth})
	if err != nil {
		return nil, err
	}
	p := parser{lim: lim}
	q, err := p.query(v)
	if err != nil {
		return nil, err
	}
	return q, nil
}

type parser struct{ lim Limits }

func (p *parser) query(v any) (*Query, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("query is not an object")
	}
	creds, ok := obj["credentials"].([]any)
	if !ok || len(creds) == 0 {
		return nil, malformed("credentials must be a non-empty array")
	}
	if len(creds) > p.lim.MaxCredentialQueries {
		return nil, tooLarge("%d credential queries exceed the limit of %d", len(creds), p.lim.MaxCredentialQueries)
	}
	q := &Query{Credentials: make([]CredentialQuery, 0, len(creds))}
	ids := make(map[string]bool, len(creds))
	for i, c := range creds {
		cq, err := p.credential(c)
		if err != nil {
			return nil, prefix(err, "credentials["+strconv.Itoa(i)+"]")
		}
		if ids[cq.ID] {
			return nil, malformed("credentials[%d]: duplicate id %q", i, cq.ID)
		}
		ids[cq.ID] = true
		q.Credentials = append(q.Credentials, cq)
	}
	if raw, present := obj["credential_sets"]; present {
		sets, ok := raw.([]any)
		if !ok || len(sets) == 0 {
			return nil, malformed("credential_sets must be a non-empty array")
		}
		if len(sets) > p.lim.MaxClaimSets {
			return nil, tooLarge("%d credential sets exceed the limit of %d", len(sets), p.lim.MaxClaimSets)
		}
		for i, s := range sets {
			cs, err := p.credentialSet(s, ids)
			if err != nil {
				return nil, prefix(err, "credential_sets["+strconv.Itoa(i)+"]")
			}
			q.CredentialSets = append(q.CredentialSets, cs)
		}
	}
	return q, nil
}

func (p *parser) credential(v any) (CredentialQuery, error) {
	var cq CredentialQuery
	obj, ok := v.(map[string]any)
	if !ok {
		return cq, malformed("not an object")
	}
	var err error
	if cq.ID, err = identifier(obj, "id"); err != nil {
		return cq, err
	}
	if cq.Format, ok = obj["format"].(string); !ok || cq.Format == "" {
		return cq, malformed("format must be a non-empty string")
	}
	if cq.Multiple, err = optBool(obj, "multiple", false); err != nil {
		return cq, err
	}
	if cq.RequireHolderBinding, err = optBool(obj, "require_cryptographic_holder_binding", true); err != nil {
		return cq, err
	}
	meta, ok := obj["meta"].(map[string]any)
	if !ok {
		return cq, malformed("meta must be an object")
	}
	if cq.Meta, err = parseMeta(cq.Format, meta); err != nil {
		return cq, err
	}
	if raw, present := obj["trusted_authorities"]; present {
		tas, ok := raw.([]any)
		if !ok || len(tas) == 0 {
			return cq, malformed("trusted_authorities must be a non-empty array")
		}
		for _, t := range tas {
			ta, ok := t.(map[string]any)
			if !ok {
				return cq, malformed("trusted_authorities entry is not an object")
			}
			typ, ok := ta["type"].(string)
			if !ok || typ == "" {
				return cq, malformed("trusted_authorities type must be a non-empty string")
			}
			vals, err := stringArray(ta["values"], "trusted_authorities values")
			if err != nil {
				return cq, err
			}
			cq.TrustedAuthorities = append(cq.TrustedAuthorities, TrustedAuthority{Type: typ, Values: vals})
		}
	}
	claimIDs := map[string]int{}
	if raw, present := obj["claims"]; present {
		claims, ok := raw.([]any)
		if !ok || len(claims) == 0 {
			return cq, malformed("claims must be a non-empty array")
		}
		if len(claims) > p.lim.MaxClaims {
			return cq, tooLarge("%d claims exceed the limit of %d", len(claims), p.lim.MaxClaims)
		}
		for i, c := range claims {
			cl, err := p.claim(c, cq.Format)
			if err != nil {
				return cq, prefix(err, "claims["+strconv.Itoa(i)+"]")
			}
			if cl.ID != "" {
				if _, dup := claimIDs[cl.ID]; dup {
					return cq, malformed("claims[%d]: duplicate id %q", i, cl.ID)
				}
				claimIDs[cl.ID] = i
			}
			cq.Claims = append(cq.Claims, cl)
		}
	}
	if raw, present := obj["claim_sets"]; present {
		if cq.Claims == nil {
			return cq, malformed("claim_sets without claims")
		}
		for i, c := range cq.Claims {
			if c.ID == "" {
				return cq, malformed("claims[%d]: id is required when claim_sets is present", i)
			}
		}
		sets, ok := raw.([]any)
		if !ok || len(sets) == 0 {
			return cq, malformed("claim_sets must be a non-empty array")
		}
		if len(sets) > p.lim.MaxClaimSets {
			return cq, tooLarge("%d claim sets exceed the limit of %d", len(sets), p.lim.MaxClaimSets)
		}
		for i, s := range sets {
			set, err := stringArray(s, "claim_sets["+strconv.Itoa(i)+"]")
			if err != nil {
				return cq, err
			}
			for _, id := range set {
				if _, ok := claimIDs[id]; !ok {
					return cq, malformed("claim_sets[%d]: unknown claim id %q", i, id)
				}
			}
			cq.ClaimSets = append(cq.ClaimSets, set)
		}
	}
	return cq, nil
}

func parseMeta(format string, meta map[string]any) (Meta, error) {
	var m Meta
	for k := range meta {
		m.Members = append(m.Members, k)
	}
	slices.Sort(m.Members)
	var err error
	switch format {
	case FormatSDJWTVC: // Appendix B.3.5
		m.VCTValues, err = stringArray(meta["vct_values"], "meta vct_values")
	case FormatJWTVC, FormatLDPVC: // Appendix B.1.3
		types, ok := meta["type_values"].([]any)
		if !ok || len(types) == 0 {
			return m, malformed("meta type_values must be a non-empty array")
		}
		for i, t := range types {
			alt, err := stringArray(t, "meta type_values["+strconv.Itoa(i)+"]")
			if err != nil {
				return m, err
			}
			m.TypeValues = append(m.TypeValues, alt)
		}
	case FormatMDoc: // Appendix B.2.3
		var ok bool
		if m.DoctypeValue, ok = meta["doctype_value"].(string); !ok || m.DoctypeValue == "" {
			return m, malformed("meta doctype_value must be a non-empty string")
		}
	}
	return m, err
}

func (p *parser) claim(v any, format string) (ClaimQuery, error) {
	var cl ClaimQuery
	obj, ok := v.(map[string]any)
	if !ok {
		return cl, malformed("not an object")
	}
	if _, present := obj["id"]; present {
		var err error
		if cl.ID, err = identifier(obj, "id"); err != nil {
			return cl, err
		}
	}
	path, ok := obj["path"].([]any)
	if !ok || len(path) == 0 {
		return cl, malformed("path must be a non-empty array")
	}
	if len(path) > p.lim.MaxPathLength {
		return cl, tooLarge("path of %d components exceeds the limit of %d", len(path), p.lim.MaxPathLength)
	}
	cl.Path = make([]any, len(path))
	for i, c := range path {
		switch c := c.(type) {
		case nil, string:
			cl.Path[i] = c
		case json.Number:
			n, ok := integer(c)
			if !ok || n < 0 {
				return cl, malformed("path[%d] is not a non-negative integer", i)
			}
			cl.Path[i] = int(n)
		default:
			return cl, malformed("path[%d] is not a string, non-negative integer or null", i)
		}
	}
	if format == FormatMDoc { // §7.2: namespace, then data element identifier
		_, ns := cl.Path[0].(string)
		if len(cl.Path) != 2 || !ns {
			return cl, malformed("mso_mdoc path must be a namespace and an element identifier")
		}
		if _, el := cl.Path[1].(string); !el {
			return cl, malformed("mso_mdoc path must be a namespace and an element identifier")
		}
		if raw, present := obj["intent_to_retain"]; present {
			b, ok := raw.(bool)
			if !ok {
				return cl, malformed("intent_to_retain must be a boolean")
			}
			cl.IntentToRetain = &b
		}
	}
	if raw, present := obj["values"]; present {
		vals, ok := raw.([]any)
		if !ok || len(vals) == 0 {
			return cl, malformed("values must be a non-empty array")
		}
		cl.Values = make([]any, len(vals))
		for i, x := range vals {
			switch x := x.(type) {
			case string, bool:
				cl.Values[i] = x
			case json.Number:
				n, ok := integer(x)
				if !ok {
					return cl, malformed("values[%d] is a number but not an integer", i)
				}
				cl.Values[i] = n
			default:
				return cl, malformed("values[%d] is not a string, integer or boolean", i)
			}
		}
	}
	return cl, nil
}

func (p *parser) credentialSet(v any, ids map[string]bool) (CredentialSet, error) {
	cs := CredentialSet{Required: true}
	obj, ok := v.(map[string]any)
	if !ok {
		return cs, malformed("not an object")
	}
	opts, ok := obj["options"].([]any)
	if !ok || len(opts) == 0 {
		return cs, malformed("options must be a non-empty array")
	}
	if len(opts) > p.lim.MaxClaimSets {
		return cs, tooLarge("%d options exceed the limit of %d", len(opts), p.lim.MaxClaimSets)
	}
	for i, o := range opts {
		opt, err := stringArray(o, "options["+strconv.Itoa(i)+"]")
		if err != nil {
			return cs, err
		}
		for _, id := range opt {
			if !ids[id] {
				return cs, malformed("options[%d]: unknown credential query id %q", i, id)
			}
		}
		cs.Options = append(cs.Options, opt)
	}
	var err error
	cs.Required, err = optBool(obj, "required", true)
	return cs, err
}

// identifier reads a required id: a non-empty string of ASCII letters, digits, '_' and '-'.
func identifier(obj map[string]any, name string) (string, error) {
	s, ok := obj[name].(string)
	if !ok || !validID(s) {
		return "", malformed("%s must be a non-empty string of letters, digits, '_' and '-'", name)
	}
	return s, nil
}

func validID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func optBool(obj map[string]any, name string, def bool) (bool, error) {
	raw, present := obj[name]
	if !present {
		return def, nil
	}
	b, ok := raw.(bool)
	if !ok {
		return false, malformed("%s must be a boolean", name)
	}
	return b, nil
}

func stringArray(v any, what string) ([]string, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, malformed("%s must be a non-empty array of strings", what)
	}
	out := make([]string, len(arr))
	for i, x := range arr {
		s, ok := x.(string)
		if !ok {
			return nil, malformed("%s must be a non-empty array of strings", what)
		}
		out[i] = s
	}
	return out, nil
}

// integer reads a JSON number written as an integer (no fraction or exponent) that fits in
// an int64.
func integer(n json.Number) (int64, bool) {
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

type prefixed struct {
	where string
	err   error
}

// Error returns the message with its prefix.
func (e *prefixed) Error() string {
	msg := e.err.Error()
	if rest, ok := strings.CutPrefix(msg, "dcql: "); ok {
		return "dcql: " + e.where + ": " + rest
	}
	return e.where + ": " + msg
}

// Unwrap returns the wrapped error.
func (e *prefixed) Unwrap() error { return e.err }

func prefix(err error, where string) error { return &prefixed{where: where, err: err} }
