package pex

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/theory/jsonpath/spec"
)

// Candidate is the format-neutral view of one credential: what vc.Inspect reports for a
// wallet's credential, or a verified credential on the verifier's side.
type Candidate struct {
	ID     string         // the wallet's handle, echoed in results
	Format string         // claim format designation: "jwt_vc", "jwt_vc_json", "ldp_vc", "vc+sd-jwt", "dc+sd-jwt", ...
	Claims map[string]any // the credential as issued, decoded JSON (see the package documentation for paths)
	// SelectiveDisclosure says the credential can disclose only some claims (SD-JWT, or a
	// Data Integrity credential with a selective disclosure cryptosuite).
	SelectiveDisclosure bool
	// Predicates says the credential can present a claim as the boolean result of a
	// filter instead of its value (a proof that derives predicates). On the verifier's
	// side it says the verified credential carries such booleans.
	Predicates bool
	// HolderBound says the holder can prove to be the credential's subject (the
	// credential is bound to a key or identifier the holder controls). On the verifier's
	// side, set it only when the presentation's proof showed this.
	HolderBound bool
	// Issuer is the issuer's identifier; if empty, it is read from Claims (issuer or
	// issuer.id, vc.issuer, iss).
	Issuer string
	// Algorithm is the JOSE algorithm of the credential's signature (JWT and SD-JWT
	// formats), ProofType the type of its proof and Cryptosuite its Data Integrity
	// cryptosuite (JSON-LD formats). When set, they must be in the alg (or
	// sd-jwt_alg_values), proof_type and cryptosuite lists of the format designation
	// that applies; when empty, those lists are not checked.
	Algorithm, ProofType, Cryptosuite string
	// Subjects are the identifiers of the credential's subjects; if nil, they are read
	// from Claims (the id of each credentialSubject, or of vc.credentialSubject, and sub).
	Subjects []string
}

// Result is the outcome of evaluating a definition.
type Result struct {
	Descriptors []DescriptorResult // one per input descriptor, in definition order
	// Selected lists the descriptors the submission answers, in definition order, each
	// with its first match.
	Selected []Selection
	def      *Definition
}

// DescriptorResult lists the candidates that satisfy one input descriptor.
type DescriptorResult struct {
	ID       string
	Matches  []Match
	Rejected []Rejection
}

// Match is a candidate that satisfies a descriptor, with the claims to disclose.
type Match struct {
	CandidateID string
	Format      string
	// Disclose lists the normalized paths of the values the required fields selected, as
	// JSON members and indexes; when limit_disclosure applies (required, or preferred and
	// the candidate can), only these are disclosed. Paths may share memory with the
	// definition: do not modify them.
	Disclose [][]any
	// Optional lists the paths that optional fields selected: the holder may add them.
	Optional [][]any
	// Limited says that only Disclose (and, by choice, Optional) is to be disclosed.
	Limited bool
	// Predicates lists the paths of fields with a predicate that the credential answers
	// with a boolean: the holder presents, in place of each value, the result of the
	// field's filter on it (true), and never the value itself. They are not in Disclose.
	Predicates [][]any
	// Framed lists, for a credential of a JSON-LD format, the paths the definition's frame
	// selects (see [Definition.Frame]); a Data Integrity selective disclosure proof
	// reveals them besides Disclose. Nil without a frame.
	Framed [][]any
	// Retain lists the paths, among Disclose, Optional and Predicates, of fields with
	// intent_to_retain: the verifier means to keep these values after the exchange,
	// which a wallet shows the holder before consent.
	Retain [][]any
	// HolderBinding says the presentation must prove that the holder is the credential's
	// subject (is_holder): a key binding JWT for SD-JWT, a presentation proof by the
	// subject for Data Integrity.
	HolderBinding bool
}

// Pointers returns the JSON Pointers (RFC 6901) of Disclose and Framed, and of Optional
// when optional is set: the selective pointers of a Data Integrity selective disclosure
// proof. Paths of Predicates are never among them.
func (m Match) Pointers(optional bool) []string {
	var out []string
	add := func(paths [][]any) {
		for _, p := range paths {
			ptr := pointer(p)
			if !slices.Contains(out, ptr) {
				out = append(out, ptr)
			}
		}
	}
	add(m.Disclose)
	add(m.Framed)
	if optional {
		add(m.Optional)
	}
	return out
}

// pointer writes a path as a JSON Pointer.
func pointer(p []any) string {
	var b strings.Builder
	for _, c := range p {
		b.WriteByte('/')
		switch c := c.(type) {
		case string:
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(c, "~", "~0"), "/", "~1"))
		case int:
			b.WriteString(strconv.Itoa(c))
		}
	}
	return b.String()
}

// Rejection says why a candidate does not satisfy a descriptor.
type Rejection struct {
	CandidateID string
	Reason      string
}

// Selection is one answered descriptor.
type Selection struct {
	DescriptorID string
	Match        Match
}

// Reasons for a Rejection.
const (
	ReasonFormat          = "format not allowed"
	ReasonFormatDetails   = "algorithm, proof type or cryptosuite not allowed by the format"
	ReasonField           = "a required field matches nothing"
	ReasonPredicate       = "predicate required but the credential cannot present a boolean in place of the value"
	ReasonLimitDisclosure = "limit_disclosure required but the credential cannot disclose selectively"
	ReasonSubjectIsIssuer = "subject_is_issuer required but the credential is not self-issued"
	ReasonIsHolder        = "is_holder required but the holder cannot prove to be the subject"
)

// Evaluate matches candidates against def: per input descriptor, the candidates whose
// format is allowed, whose fields match (the first path of each field whose value
// passes the filter; optional fields may match nothing) and which meet the descriptor's
// limit_disclosure, predicates and relational constraints. The definition is satisfied
// when its submission requirements are (or, without them, every descriptor has a match)
// and its required same_subject relations can be met; otherwise the error is a
// [*NoMatchError] and the result nil. Evaluate is safe for concurrent use.
//
// Selected takes, per answered descriptor, its first match, except where a same_subject
// relation asks for matches about one subject: then the first subject (in the order of
// the first descriptor's matches) that every related descriptor has a match for.
func Evaluate(def *Definition, candidates []Candidate) (*Result, error) {
	if def == nil {
		return nil, malformed("nil definition")
	}
	r := &Result{Descriptors: make([]DescriptorResult, len(def.InputDescriptors)), def: def}
	owners := make([][]int, len(def.InputDescriptors)) // per descriptor: candidate index of each match
	// Scratch slices, reused across descriptors, so that each result slice is allocated
	// once at its final size.
	var matches []Match
	var rejected []Rejection
	var owner []int
	for i := range def.InputDescriptors {
		d := &def.InputDescriptors[i]
		dr := &r.Descriptors[i]
		dr.ID = d.ID
		matches, rejected, owner = matches[:0], rejected[:0], owner[:0]
		for j := range candidates {
			m, reason := matchDescriptor(def, d, &candidates[j], false)
			if reason != "" {
				rejected = append(rejected, Rejection{CandidateID: candidates[j].ID, Reason: reason})
				continue
			}
			matches = append(matches, m)
			owner = append(owner, j)
		}
		dr.Matches = slices.Clone(matches)
		dr.Rejected = slices.Clone(rejected)
		owners[i] = slices.Clone(owner)
	}
	matched := func(i int) bool { return len(r.Descriptors[i].Matches) > 0 }
	chosen, reasons := choose(def, matched)
	if reasons != nil {
		return nil, &NoMatchError{Reasons: reasons}
	}
	pick, reasons := sameSubject(def, chosen, func(i, k int) []string { return subjects(&candidates[owners[i][k]]) },
		func(i int) int { return len(r.Descriptors[i].Matches) })
	if reasons != nil {
		return nil, &NoMatchError{Reasons: reasons}
	}
	for i := range def.InputDescriptors {
		if chosen[i] {
			r.Selected = append(r.Selected, Selection{DescriptorID: def.InputDescriptors[i].ID, Match: r.Descriptors[i].Matches[pick[i]]})
		}
	}
	return r, nil
}

// sameSubject chooses, per chosen descriptor, which of its n(i) matches to submit so that
// the same_subject relations hold: for each relation in turn, the descriptors owning its
// fields must take matches that share a subject. A required relation that cannot hold is
// a reason; a preferred one is kept when it can be. subjectsOf(i, k) are the subjects of
// match k of descriptor i.
func sameSubject(def *Definition, chosen []bool, subjectsOf func(i, k int) []string, n func(i int) int) ([]int, []string) {
	pick := make([]int, len(def.InputDescriptors))
	// allowed[i] lists the matches of descriptor i still open; nil means all.
	allowed := make([][]int, len(def.InputDescriptors))
	open := func(i int) []int {
		if allowed[i] != nil {
			return allowed[i]
		}
		out := make([]int, n(i))
		for k := range out {
			out[k] = k
		}
		return out
	}
	var reasons []string
	for _, d := range def.InputDescriptors {
		for _, rel := range d.SameSubject {
			involved := relatedDescriptors(def, rel.FieldIDs, chosen)
			if len(involved) < 2 {
				continue // one credential is always about its own subjects
			}
			subject, ok := commonSubject(involved, open, subjectsOf)
			if !ok {
				if rel.Directive == "required" {
					reasons = append(reasons, "input descriptor "+strconv.Quote(d.ID)+": same_subject cannot be met")
				}
				continue
			}
			for _, i := range involved {
				var keep []int
				for _, k := range open(i) {
					if slices.Contains(subjectsOf(i, k), subject) {
						keep = append(keep, k)
					}
				}
				allowed[i] = keep
			}
		}
	}
	if reasons != nil {
		return nil, reasons
	}
	for i := range pick {
		if allowed[i] != nil {
			pick[i] = allowed[i][0]
		}
	}
	return pick, nil
}

// relatedDescriptors returns the chosen descriptors that own one of the fields.
func relatedDescriptors(def *Definition, fieldIDs []string, chosen []bool) []int {
	var out []int
	for i, d := range def.InputDescriptors {
		if !chosen[i] {
			continue
		}
		if slices.ContainsFunc(d.Fields, func(f Field) bool { return f.ID != "" && slices.Contains(fieldIDs, f.ID) }) {
			out = append(out, i)
		}
	}
	return out
}

// commonSubject finds the first subject, in the order of the first descriptor's open
// matches, that every involved descriptor has an open match about.
func commonSubject(involved []int, open func(int) []int, subjectsOf func(i, k int) []string) (string, bool) {
	first := involved[0]
	for _, k := range open(first) {
		for _, s := range subjectsOf(first, k) {
			all := true
			for _, i := range involved[1:] {
				if !slices.ContainsFunc(open(i), func(l int) bool { return slices.Contains(subjectsOf(i, l), s) }) {
					all = false
					break
				}
			}
			if all {
				return s, true
			}
		}
	}
	return "", false
}

// choose picks the descriptors to answer given which can be, or says why it cannot.
func choose(def *Definition, can func(int) bool) ([]bool, []string) {
	chosen := make([]bool, len(def.InputDescriptors))
	var reasons []string
	if def.SubmissionRequirements == nil {
		for i, d := range def.InputDescriptors {
			if !can(i) {
				reasons = append(reasons, "input descriptor "+strconv.Quote(d.ID)+": no credential matches")
			}
			chosen[i] = true
		}
		return chosen, reasons
	}
	for i, sr := range def.SubmissionRequirements {
		picked, ok := satisfy(def, &sr, can)
		if !ok {
			reasons = append(reasons, fmt.Sprintf("submission_requirements[%d] (%s): not satisfiable", i, sr.Rule))
			continue
		}
		for _, j := range picked {
			chosen[j] = true
		}
	}
	return chosen, reasons
}

// satisfy evaluates one submission requirement (§6.4): it returns the descriptors to
// submit, or false.
func satisfy(def *Definition, sr *SubmissionRequirement, can func(int) bool) ([]int, bool) {
	// Each unit is a descriptor (from) or a nested requirement (from_nested).
	type unit struct {
		ok   bool
		pick []int
	}
	var units []unit
	if sr.FromNested == nil {
		for i, d := range def.InputDescriptors {
			if slices.Contains(d.Group, sr.From) {
				units = append(units, unit{ok: can(i), pick: []int{i}})
			}
		}
	} else {
		for k := range sr.FromNested {
			p, ok := satisfy(def, &sr.FromNested[k], can)
			units = append(units, unit{ok: ok, pick: p})
		}
	}
	var picked []int
	n := 0
	take := len(units)
	if sr.Rule == "pick" {
		switch {
		case sr.Count >= 0:
			take = sr.Count
		case sr.Max >= 0:
			take = sr.Max
		}
	}
	for _, u := range units {
		if !u.ok {
			if sr.Rule == "all" {
				return nil, false
			}
			continue
		}
		if n < take {
			picked = append(picked, u.pick...)
			n++
		}
	}
	if sr.Rule == "pick" {
		if sr.Count >= 0 && n < sr.Count {
			return nil, false
		}
		if sr.Min >= 0 && n < sr.Min {
			return nil, false
		}
	}
	return picked, true
}

// matchDescriptor checks c against d. On the verifier's side (verifier set) a field with
// a predicate is met by the boolean true the holder presented in place of the value.
func matchDescriptor(def *Definition, d *InputDescriptor, c *Candidate, verifier bool) (Match, string) {
	formats := d.Format
	if formats == nil {
		formats = def.Format
	}
	if formats != nil {
		designation, ok := formats[c.Format]
		if !ok {
			return Match{}, ReasonFormat
		}
		if !formatDetails(designation, c) {
			return Match{}, ReasonFormatDetails
		}
	}
	m := Match{CandidateID: c.ID, Format: c.Format}
	for i := range d.Fields {
		f := &d.Fields[i]
		asPredicate := f.Predicate == "required" || (f.Predicate == "preferred" && c.Predicates)
		if f.Predicate == "required" && !c.Predicates {
			if f.Optional {
				continue
			}
			return Match{}, ReasonPredicate
		}
		var p []any
		var ok bool
		if verifier && f.Predicate != "" && c.Predicates {
			p, ok = matchPredicate(f, c.Claims, f.Predicate == "required")
		} else {
			p, ok = matchField(f, c.Claims)
		}
		if !ok {
			if f.Optional {
				continue
			}
			return Match{}, ReasonField
		}
		if f.IntentToRetain && !containsPath(m.Retain, p) {
			m.Retain = append(m.Retain, p)
		}
		switch {
		case asPredicate:
			if !containsPath(m.Predicates, p) {
				m.Predicates = append(m.Predicates, p)
			}
		case f.Optional:
			if !containsPath(m.Optional, p) {
				m.Optional = append(m.Optional, p)
			}
		case !containsPath(m.Disclose, p):
			if m.Disclose == nil {
				m.Disclose = make([][]any, 0, len(d.Fields)-i)
			}
			m.Disclose = append(m.Disclose, p)
		}
	}
	switch d.LimitDisclosure {
	case "required":
		if !c.SelectiveDisclosure {
			return Match{}, ReasonLimitDisclosure
		}
		m.Limited = true
	case "preferred":
		m.Limited = c.SelectiveDisclosure
	}
	if d.SubjectIsIssuer == "required" {
		iss := issuer(c)
		if iss == "" || !slices.Contains(subjects(c), iss) {
			return Match{}, ReasonSubjectIsIssuer
		}
	}
	for _, r := range d.IsHolder {
		switch {
		case c.HolderBound:
			m.HolderBinding = true
		case r.Directive == "required":
			return Match{}, ReasonIsHolder
		}
	}
	if def.Frame != nil && jsonLD(c.Format) {
		m.Framed = framePaths(def.Frame, c.Claims, nil, nil)
	}
	return m, ""
}

// formatDetails checks the lists of a claim format designation (alg, sd-jwt_alg_values,
// proof_type, cryptosuite) against what the candidate states; a list whose subject the
// candidate leaves empty is not checked.
func formatDetails(designation any, c *Candidate) bool {
	d, ok := designation.(map[string]any)
	if !ok {
		return true
	}
	allows := func(key, v string) bool {
		list, ok := d[key].([]any)
		return !ok || v == "" || slices.Contains(list, any(v))
	}
	return allows("alg", c.Algorithm) && allows("sd-jwt_alg_values", c.Algorithm) &&
		allows("proof_type", c.ProofType) && allows("cryptosuite", c.Cryptosuite)
}

// jsonLD reports whether a claim format designation names a JSON-LD credential or
// presentation, which a frame applies to.
func jsonLD(format string) bool {
	switch format {
	case "ldp", "ldp_vc", "ldp_vp", "di", "di_vc", "di_vp":
		return true
	}
	return false
}

// framePaths returns the paths of doc that frame selects, under prefix: a frame object
// with "@explicit": true selects only the properties it names (descending into each,
// and into every element of an array value), any other selects the whole object. Other
// keywords (@type, @id, @embed, @default, ...) are not interpreted.
func framePaths(frame map[string]any, doc any, prefix []any, out [][]any) [][]any {
	if frame["@explicit"] != true {
		return append(out, slices.Clone(prefix))
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return append(out, slices.Clone(prefix))
	}
	keys := make([]string, 0, len(frame))
	for k := range frame {
		if !strings.HasPrefix(k, "@") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, ok := obj[k]
		if !ok {
			continue
		}
		sub, _ := frame[k].(map[string]any)
		if arr, isArr := v.([]any); isArr && sub != nil {
			for i, e := range arr {
				out = framePaths(sub, e, append(append(slices.Clone(prefix), k), i), out)
			}
			continue
		}
		if sub == nil {
			out = append(out, append(slices.Clone(prefix), k))
			continue
		}
		out = framePaths(sub, v, append(slices.Clone(prefix), k), out)
	}
	return out
}

// matchField returns the normalized path of the first value, over the field's paths in
// order, that passes its filter.
func matchField(f *Field, claims map[string]any) ([]any, bool) {
	var doc any = claims
	for i, jp := range f.paths {
		if p := f.simple[i]; p != nil {
			v, ok := walk(doc, p)
			if !ok || !f.passes(v) {
				continue
			}
			return p, true
		}
		for _, n := range jp.SelectLocated(doc) {
			if !f.passes(n.Node) {
				continue
			}
			return normalized(n.Path), true
		}
	}
	return nil, false
}

// matchPredicate finds, in a presented credential, the boolean true the holder gave in
// place of a value; for a preferred predicate a value that passes the filter will do.
func matchPredicate(f *Field, claims map[string]any, required bool) ([]any, bool) {
	var doc any = claims
	for _, jp := range f.paths {
		for _, n := range jp.SelectLocated(doc) {
			if n.Node == true || (!required && f.passes(n.Node)) {
				return normalized(n.Path), true
			}
		}
	}
	return nil, false
}

// issuer returns the candidate's issuer identifier.
func issuer(c *Candidate) string {
	if c.Issuer != "" {
		return c.Issuer
	}
	idOf := func(v any) string {
		switch v := v.(type) {
		case string:
			return v
		case map[string]any:
			s, _ := v["id"].(string)
			return s
		}
		return ""
	}
	if s := idOf(c.Claims["issuer"]); s != "" {
		return s
	}
	if vc, ok := c.Claims["vc"].(map[string]any); ok {
		if s := idOf(vc["issuer"]); s != "" {
			return s
		}
	}
	s, _ := c.Claims["iss"].(string)
	return s
}

// subjects returns the candidate's subject identifiers.
func subjects(c *Candidate) []string {
	if c.Subjects != nil {
		return c.Subjects
	}
	var out []string
	add := func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["id"].(string); ok && s != "" {
				out = append(out, s)
			}
		case []any:
			for _, x := range v {
				if m, ok := x.(map[string]any); ok {
					if s, ok := m["id"].(string); ok && s != "" {
						out = append(out, s)
					}
				}
			}
		}
	}
	add(c.Claims["credentialSubject"])
	if vc, ok := c.Claims["vc"].(map[string]any); ok {
		add(vc["credentialSubject"])
	}
	if s, ok := c.Claims["sub"].(string); ok && s != "" && !slices.Contains(out, s) {
		out = append(out, s)
	}
	return out
}

// walk follows members and indexes from v.
func walk(v any, path []any) (any, bool) {
	for _, c := range path {
		switch c := c.(type) {
		case string:
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			if v, ok = obj[c]; !ok {
				return nil, false
			}
		case int:
			arr, ok := v.([]any)
			if !ok || c >= len(arr) {
				return nil, false
			}
			v = arr[c]
		}
	}
	return v, true
}

func normalized(np spec.NormalizedPath) []any {
	out := make([]any, len(np))
	for i, s := range np {
		switch s := s.(type) {
		case spec.Name:
			out[i] = string(s)
		case spec.Index:
			out[i] = int(s)
		default:
			out[i] = fmt.Sprint(s)
		}
	}
	return out
}

func containsPath(paths [][]any, p []any) bool {
	return slices.ContainsFunc(paths, func(q []any) bool { return slices.Equal(q, p) })
}
