package pex

import (
	"fmt"
	"slices"
	"strconv"

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
	ReasonField           = "a required field matches nothing"
	ReasonPredicate       = "predicate required: derived proofs are not supported"
	ReasonLimitDisclosure = "limit_disclosure required but the credential cannot disclose selectively"
)

// Evaluate matches candidates against def: per input descriptor, the candidates whose
// format is allowed and whose fields match (the first path of each field whose value
// passes the filter; optional fields may match nothing). The definition is satisfied when
// its submission requirements are (or, without them, every descriptor has a match);
// otherwise the error is a [*NoMatchError] and the result nil. Evaluate is safe for
// concurrent use.
func Evaluate(def *Definition, candidates []Candidate) (*Result, error) {
	if def == nil {
		return nil, malformed("nil definition")
	}
	r := &Result{Descriptors: make([]DescriptorResult, len(def.InputDescriptors)), def: def}
	for i := range def.InputDescriptors {
		d := &def.InputDescriptors[i]
		dr := &r.Descriptors[i]
		dr.ID = d.ID
		for j := range candidates {
			m, reason := matchDescriptor(def, d, &candidates[j])
			if reason != "" {
				dr.Rejected = append(dr.Rejected, Rejection{CandidateID: candidates[j].ID, Reason: reason})
				continue
			}
			dr.Matches = append(dr.Matches, m)
		}
	}
	matched := func(i int) bool { return len(r.Descriptors[i].Matches) > 0 }
	chosen, reasons := choose(def, matched)
	if reasons != nil {
		return nil, &NoMatchError{Reasons: reasons}
	}
	for i := range def.InputDescriptors {
		if chosen[i] {
			r.Selected = append(r.Selected, Selection{DescriptorID: def.InputDescriptors[i].ID, Match: r.Descriptors[i].Matches[0]})
		}
	}
	return r, nil
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

func matchDescriptor(def *Definition, d *InputDescriptor, c *Candidate) (Match, string) {
	formats := d.Format
	if formats == nil {
		formats = def.Format
	}
	if formats != nil {
		if _, ok := formats[c.Format]; !ok {
			return Match{}, ReasonFormat
		}
	}
	m := Match{CandidateID: c.ID, Format: c.Format}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Predicate == "required" {
			return Match{}, ReasonPredicate
		}
		p, ok := matchField(f, c.Claims)
		if !ok {
			if f.Optional {
				continue
			}
			return Match{}, ReasonField
		}
		switch {
		case f.Optional:
			if !containsPath(m.Optional, p) {
				m.Optional = append(m.Optional, p)
			}
		case !containsPath(m.Disclose, p):
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
	return m, ""
}

// matchField returns the normalized path of the first value, over the field's paths in
// order, that passes its filter.
func matchField(f *Field, claims map[string]any) ([]any, bool) {
	var doc any = claims
	for i, jp := range f.paths {
		if p := f.simple[i]; p != nil {
			v, ok := walk(doc, p)
			if !ok || (f.schema != nil && f.schema.Validate(v) != nil) {
				continue
			}
			return p, true
		}
		for _, n := range jp.SelectLocated(doc) {
			if f.schema != nil && f.schema.Validate(n.Node) != nil {
				continue
			}
			return normalized(n.Path), true
		}
	}
	return nil, false
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
