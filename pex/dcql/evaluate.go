package dcql

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Credential is the format-neutral view of one credential that matching works on: what
// vc.Inspect reports for a wallet's credential, or what a verifier learned from a verified
// one. Nothing here is checked by this package.
type Credential struct {
	ID     string // the wallet's handle for the credential, echoed in results
	Format string // "dc+sd-jwt", "jwt_vc_json", "ldp_vc", "mso_mdoc", ...
	// Claims holds the claims as decoded JSON, every disclosure applied; claims paths start
	// here. For jwt_vc_json in the VCDM 1.1 JWT encoding it is the vc claim (paths such as
	// ["credentialSubject", "given_name"], OpenID4VP 1.0 Appendix B.1); for ldp_vc the
	// credential document; for dc+sd-jwt the payload.
	Claims      map[string]any
	VCT         string   // dc+sd-jwt: the vct claim
	Types       []string // jwt_vc_json, ldp_vc: the type values, compared exactly with type_values
	Issuer      string
	Disclosable [][]any // claim paths that are selectively disclosable (SD-JWT)
	HolderBound bool    // the credential is bound to a key the holder proves possession of
	// X5C is the X.509 certificate chain of the credential's signature (the x5c header of
	// an SD-JWT or JWT, the issuer's certificate first), DER encoded; trusted_authorities
	// of type "aki" are matched against it.
	X5C [][]byte
}

// Options adjust evaluation. The zero value is safe.
type Options struct {
	// TrustedAuthority decides whether c satisfies the trusted_authorities of a
	// credential query (OpenID4VP 1.0 §6.1.1) when the entries of type "aki" do not
	// already match c's certificate chain: "etsi_tl" (an ETSI trusted list) and
	// "openid_federation" (a federation trust anchor) need trust material this package
	// does not have. If nil, only "aki" entries can be met.
	TrustedAuthority func(tas []TrustedAuthority, c *Credential) bool
}

// Result is the outcome of evaluating a query against a wallet's credentials.
type Result struct {
	Queries []QueryResult // one per credential query, in query order
	Sets    []SetResult   // one per credential set, in query order; nil when the query has none
	chosen  map[string]bool
	query   *Query
}

// QueryResult lists the credentials that satisfy one credential query.
type QueryResult struct {
	ID       string      // the credential query id
	Matches  []Match     // in the order of the credentials given
	Rejected []Rejection // why the other credentials (or the whole query) do not match
}

// Match is one credential that satisfies a credential query, with what to disclose.
type Match struct {
	CredentialID string
	// ClaimSet is the index of the chosen claim set (the first satisfiable one, which the
	// wallet should prefer, §6.4.1), or -1 when the query has no claim_sets.
	ClaimSet int
	// Disclose lists the concrete claim paths to disclose, only those requested: nulls
	// expanded to the indexes they select (restricted to matching values when the claim
	// query has values), duplicates removed, in query order. Paths may share memory with
	// the query: do not modify them.
	Disclose [][]any
	// AlwaysVisible lists the paths of Disclose that the credential does not disclose
	// selectively (an SD-JWT claim outside any disclosure): the verifier sees them anyway.
	AlwaysVisible [][]any
}

// Rejection says why a credential does not satisfy a credential query. CredentialID is
// empty when the reason concerns the query itself (such as mso_mdoc).
type Rejection struct {
	CredentialID string
	Reason       string
	Path         []any // the claims path of the claim query that failed, if any
}

// SetResult reports on one credential set.
type SetResult struct {
	Required    bool
	Satisfiable []bool // per option: every credential query of the option has a match
	Chosen      int    // the first satisfiable option, or -1
}

// Evaluate matches creds against q with the zero [Options]; see [EvaluateOptions].
func Evaluate(q *Query, creds []Credential) (*Result, error) {
	return EvaluateOptions(q, creds, Options{})
}

// EvaluateOptions matches creds against q: for each credential query, the credentials of
// its format that meet its meta constraints, trusted authorities (through
// opts.TrustedAuthority), holder binding and claims (with values, and the first
// satisfiable claim set). The query is satisfied when every credential query has a match
// (no credential_sets) or every required credential set has an option whose credential
// queries all match. Otherwise the error is a [*NoMatchError] wrapping [ErrNoMatch] and
// the result nil. EvaluateOptions is safe for concurrent use.
func EvaluateOptions(q *Query, creds []Credential, opts Options) (*Result, error) {
	if q == nil || len(q.Credentials) == 0 {
		return nil, malformed("empty query")
	}
	r := &Result{Queries: make([]QueryResult, len(q.Credentials)), query: q, chosen: map[string]bool{}}
	matched := make(map[string]bool, len(q.Credentials))
	for i := range q.Credentials {
		cq := &q.Credentials[i]
		qr := &r.Queries[i]
		qr.ID = cq.ID
		if cq.Format == FormatMDoc {
			qr.Rejected = append(qr.Rejected, Rejection{Reason: ReasonUnsupportedMDoc})
			continue
		}
		for j := range creds {
			c := &creds[j]
			m, reason, path := matchCredential(cq, c, &opts, true)
			if reason != "" {
				qr.Rejected = append(qr.Rejected, Rejection{CredentialID: c.ID, Reason: reason, Path: path})
				continue
			}
			qr.Matches = append(qr.Matches, m)
		}
		matched[cq.ID] = len(qr.Matches) > 0
	}
	var reasons []string
	if q.CredentialSets == nil {
		for i := range r.Queries {
			qr := &r.Queries[i]
			if len(qr.Matches) == 0 {
				reasons = append(reasons, unmet(qr))
			}
			r.chosen[qr.ID] = true
		}
	} else {
		r.Sets = make([]SetResult, len(q.CredentialSets))
		for i, cs := range q.CredentialSets {
			sr := SetResult{Required: cs.Required, Satisfiable: make([]bool, len(cs.Options)), Chosen: -1}
			for j, opt := range cs.Options {
				ok := true
				for _, id := range opt {
					ok = ok && matched[id]
				}
				sr.Satisfiable[j] = ok
				if ok && sr.Chosen < 0 {
					sr.Chosen = j
					for _, id := range opt {
						r.chosen[id] = true
					}
				}
			}
			if sr.Chosen < 0 && cs.Required {
				reasons = append(reasons, fmt.Sprintf("credential_sets[%d]: no option can be satisfied", i))
				for _, opt := range cs.Options {
					for _, id := range opt {
						if !matched[id] {
							reasons = append(reasons, unmet(r.byID(id)))
						}
					}
				}
			}
			r.Sets[i] = sr
		}
	}
	if reasons != nil {
		return nil, &NoMatchError{Reasons: dedupe(reasons)}
	}
	return r, nil
}

func (r *Result) byID(id string) *QueryResult {
	for i := range r.Queries {
		if r.Queries[i].ID == id {
			return &r.Queries[i]
		}
	}
	return &QueryResult{ID: id}
}

// unmet describes a credential query without a match, naming up to five rejections.
func unmet(qr *QueryResult) string {
	s := "credential query " + strconv.Quote(qr.ID) + ": no credential matches"
	for i, rj := range qr.Rejected {
		if i == 5 {
			s += fmt.Sprintf(" (and %d more)", len(qr.Rejected)-i)
			break
		}
		s += " ("
		if rj.CredentialID != "" {
			s += strconv.Quote(rj.CredentialID) + ": "
		}
		s += rj.Reason
		if rj.Path != nil {
			s += " " + pathString(rj.Path)
		}
		s += ")"
	}
	return s
}

func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Reasons for a Rejection.
const (
	ReasonFormat          = "format does not match"
	ReasonVCT             = "vct is not in vct_values"
	ReasonType            = "type does not match type_values"
	ReasonMeta            = "meta constraints of this format are not understood"
	ReasonTrust           = "trusted_authorities not satisfied"
	ReasonHolderBinding   = "cryptographic holder binding required"
	ReasonClaimMissing    = "requested claim not found"
	ReasonClaimValue      = "requested claim has no allowed value"
	ReasonClaimSets       = "no claim set can be satisfied"
	ReasonUnsupportedMDoc = "mso_mdoc credentials are not supported"
)

// matchCredential checks c against cq and returns the match, or the reason it fails and
// the path of the failing claim query. opts nil skips trusted_authorities (the
// verifier's trust policy decides those).
func matchCredential(cq *CredentialQuery, c *Credential, opts *Options, wallet bool) (Match, string, []any) {
	if c.Format != cq.Format {
		return Match{}, ReasonFormat, nil
	}
	if reason := matchMeta(cq, c); reason != "" {
		return Match{}, reason, nil
	}
	if cq.TrustedAuthorities != nil && opts != nil && !trusted(cq.TrustedAuthorities, c, opts) {
		return Match{}, ReasonTrust, nil
	}
	if cq.RequireHolderBinding && !c.HolderBound {
		return Match{}, ReasonHolderBinding, nil
	}
	m := Match{CredentialID: c.ID, ClaimSet: -1}
	if cq.Claims == nil {
		return m, "", nil
	}
	if cq.ClaimSets == nil {
		paths, reason, path := matchClaims(cq, nil, c)
		if reason != "" {
			return Match{}, reason, path
		}
		m.Disclose = paths
	} else {
		var first []any
		for i, set := range cq.ClaimSets {
			paths, reason, path := matchClaims(cq, set, c)
			if reason == "" {
				m.ClaimSet, m.Disclose = i, paths
				break
			}
			if first == nil {
				first = path
			}
		}
		if m.ClaimSet < 0 {
			return Match{}, ReasonClaimSets, first
		}
	}
	if wallet && isSDJWT(c.Format) {
		for _, p := range m.Disclose {
			if !disclosable(c.Disclosable, p) {
				m.AlwaysVisible = append(m.AlwaysVisible, p)
			}
		}
	}
	return m, "", nil
}

func isSDJWT(format string) bool { return format == FormatSDJWTVC || format == "vc+sd-jwt" }

func matchMeta(cq *CredentialQuery, c *Credential) string {
	switch cq.Format {
	case FormatSDJWTVC:
		if !slices.Contains(cq.Meta.VCTValues, c.VCT) {
			return ReasonVCT
		}
	case FormatJWTVC, FormatLDPVC:
		for _, alt := range cq.Meta.TypeValues {
			all := true
			for _, t := range alt {
				if !slices.Contains(c.Types, t) {
					all = false
					break
				}
			}
			if all {
				return ""
			}
		}
		return ReasonType
	default:
		// A format this package does not know: its meta constraints cannot be checked, so a
		// query that sets any matches nothing rather than too much.
		if len(cq.Meta.Members) > 0 {
			return ReasonMeta
		}
	}
	return ""
}

// matchClaims checks the claims of cq named by set (all claims when set is nil) and
// returns the concrete paths to disclose.
func matchClaims(cq *CredentialQuery, set []string, c *Credential) ([][]any, string, []any) {
	n := len(set)
	if set == nil {
		n = len(cq.Claims)
	}
	out := make([][]any, 0, n)
	check := func(cl *ClaimQuery) string {
		if firstWildcard(cl.Path) < 0 {
			v, f := walk(c.Claims, cl.Path)
			if f.kind != selOK {
				return ReasonClaimMissing
			}
			if cl.Values != nil && !valueAllowed(cl.Values, v) {
				return ReasonClaimValue
			}
			if p := concrete(cl.Path); !containsPath(out, p) {
				out = append(out, p)
			}
			return ""
		}
		sel, f := selectPaths(c.Claims, cl.Path, true)
		if f.kind != selOK {
			return ReasonClaimMissing
		}
		found := false
		for _, s := range sel {
			if cl.Values != nil && !valueAllowed(cl.Values, s.value) {
				continue
			}
			found = true
			if !containsPath(out, s.path) {
				out = append(out, s.path)
			}
		}
		if !found {
			return ReasonClaimValue
		}
		return ""
	}
	if set == nil {
		for i := range cq.Claims {
			if reason := check(&cq.Claims[i]); reason != "" {
				return nil, reason, cq.Claims[i].Path
			}
		}
		return out, "", nil
	}
	for _, id := range set {
		for i := range cq.Claims {
			if cq.Claims[i].ID == id {
				if reason := check(&cq.Claims[i]); reason != "" {
					return nil, reason, cq.Claims[i].Path
				}
				break
			}
		}
	}
	return out, "", nil
}

// valueAllowed reports whether v has the type and value of one of vals (§6.4.1): a string,
// a boolean, or a number equal to an integer of vals.
func valueAllowed(vals []any, v any) bool {
	switch v := v.(type) {
	case string:
		for _, x := range vals {
			if s, ok := x.(string); ok && s == v {
				return true
			}
		}
		return false
	case bool:
		for _, x := range vals {
			if b, ok := x.(bool); ok && b == v {
				return true
			}
		}
		return false
	}
	n, ok := claimInteger(v)
	if !ok {
		return false
	}
	for _, x := range vals {
		if i, ok := x.(int64); ok && i == n {
			return true
		}
	}
	return false
}

// claimInteger reads an integral number of a decoded claim.
func claimInteger(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i, true
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
			return 0, false
		}
		return int64(f), true
	case float64:
		if v != math.Trunc(v) || math.Abs(v) >= 1<<63 {
			return 0, false
		}
		return int64(v), true
	case int:
		return int64(v), true
	case int64:
		return v, true
	case int32:
		return int64(v), true
	}
	return 0, false
}

func containsPath(paths [][]any, p []any) bool {
	for _, q := range paths {
		if samePath(q, p) {
			return true
		}
	}
	return false
}

func samePath(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameComponent(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameComponent(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		s, ok := b.(string)
		return ok && s == a
	}
	if b == nil {
		return false
	}
	i, ok1 := index(a)
	j, ok2 := index(b)
	return ok1 && ok2 && i == j
}

// disclosable reports whether path, or an object or array containing it, travels in a
// disclosure of the credential. A disclosable path with nil matches every index.
func disclosable(sd [][]any, path []any) bool {
	for _, d := range sd {
		if len(d) > len(path) {
			continue
		}
		ok := true
		for i := range d {
			if d[i] == nil {
				if _, isIndex := index(path[i]); !isIndex {
					ok = false
					break
				}
				continue
			}
			if !sameComponent(d[i], path[i]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// trusted reports whether c meets one of the trusted authorities: an "aki" entry whose
// value is the key identifier of a certificate of c's chain (its authority key
// identifier, naming the certificate that issued it, or its own subject key
// identifier, for an authority's certificate carried in the chain), or, for the other
// types, opts.TrustedAuthority.
func trusted(tas []TrustedAuthority, c *Credential, opts *Options) bool {
	var ids []string // base64url key identifiers of the chain, parsed once
	parsed := false
	for _, ta := range tas {
		if ta.Type != TrustAKI {
			continue
		}
		if !parsed {
			ids, parsed = chainKeyIDs(c.X5C), true
		}
		for _, v := range ta.Values {
			if slices.Contains(ids, v) {
				return true
			}
		}
	}
	return opts.TrustedAuthority != nil && opts.TrustedAuthority(tas, c)
}

// chainKeyIDs returns the authority and subject key identifiers of the certificates
// in chain, base64url without padding; a certificate that does not parse adds none.
func chainKeyIDs(chain [][]byte) []string {
	var ids []string
	for _, der := range chain {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			continue
		}
		for _, id := range [][]byte{cert.AuthorityKeyId, cert.SubjectKeyId} {
			if len(id) > 0 {
				ids = append(ids, base64.RawURLEncoding.EncodeToString(id))
			}
		}
	}
	return ids
}
