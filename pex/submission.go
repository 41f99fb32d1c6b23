package pex

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/theory/jsonpath"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Submission is a presentation_submission (PEX v2 §7).
type Submission struct {
	ID            string              `json:"id"`
	DefinitionID  string              `json:"definition_id"`
	DescriptorMap []DescriptorMapping `json:"descriptor_map"`
}

// DescriptorMapping says where in the presentation the credential for one input
// descriptor is.
type DescriptorMapping struct {
	ID     string `json:"id"`     // the input descriptor id
	Format string `json:"format"` // the claim format of the credential
	Path   string `json:"path"`   // JSONPath into the presentation
	// PathNested, when set, locates the credential inside what Path selects (such as a
	// credential inside a presentation): the same id, its own format and a path relative
	// to what the outer path selected (PEX v2 §7.1, "path_nested").
	PathNested *DescriptorMapping `json:"path_nested,omitempty"`
}

// Presentation is the verifier's view of one verified presentation for [CheckPresentations].
type Presentation struct {
	Format      string      // claim format of the presentation: "jwt_vp", "jwt_vp_json", "ldp_vp", "di_vp", ...
	Credentials []Candidate // its verifiableCredential, in order, as views of verified credentials
}

// Submission returns the presentation_submission for the selected matches, with id as
// its id (a fresh identifier the caller chooses), and the candidate ids in the order the
// presentation must list them as verifiableCredential: each candidate once, in order of
// first use.
func (r *Result) Submission(id string) (*Submission, []string) {
	s := &Submission{ID: id, DefinitionID: r.def.ID, DescriptorMap: []DescriptorMapping{}}
	pos := map[string]int{}
	var order []string
	for _, sel := range r.Selected {
		i, ok := pos[sel.Match.CandidateID]
		if !ok {
			i = len(order)
			pos[sel.Match.CandidateID] = i
			order = append(order, sel.Match.CandidateID)
		}
		s.DescriptorMap = append(s.DescriptorMap, DescriptorMapping{
			ID: sel.DescriptorID, Format: sel.Match.Format, Path: "$.verifiableCredential[" + strconv.Itoa(i) + "]",
		})
	}
	return s, order
}

// NestedSubmission is [Result.Submission] for credentials wrapped in one presentation
// of format vpFormat (such as "jwt_vp_json" or "ldp_vp"): each mapping names the
// presentation ($, of format vpFormat) and, in path_nested, the credential in it
// ($.verifiableCredential[i], or $.vp.verifiableCredential[i] for the JWT presentation
// formats, whose claims hold the presentation in vp).
func (r *Result) NestedSubmission(id, vpFormat string) (*Submission, []string) {
	s, order := r.Submission(id)
	prefix := "$"
	if strings.HasPrefix(vpFormat, "jwt_vp") {
		prefix = "$.vp"
	}
	for i, m := range s.DescriptorMap {
		inner := m
		inner.Path = prefix + strings.TrimPrefix(m.Path, "$")
		s.DescriptorMap[i] = DescriptorMapping{ID: m.ID, Format: vpFormat, Path: "$", PathNested: &inner}
	}
	return s, order
}

// maxNesting bounds path_nested levels.
const maxNesting = 8

// ParseSubmission parses a presentation_submission object, path_nested included (up to
// 8 levels, each with the id of its mapping).
func ParseSubmission(data []byte) (*Submission, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: 256 << 10})
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("submission is not an object")
	}
	s := &Submission{DescriptorMap: []DescriptorMapping{}} // marshals as [] when empty
	if s.ID, ok = obj["id"].(string); !ok || s.ID == "" {
		return nil, malformed("id must be a non-empty string")
	}
	if s.DefinitionID, ok = obj["definition_id"].(string); !ok || s.DefinitionID == "" {
		return nil, malformed("definition_id must be a non-empty string")
	}
	dm, ok := obj["descriptor_map"].([]any)
	if !ok {
		return nil, malformed("descriptor_map must be an array")
	}
	for i, x := range dm {
		e, ok := x.(map[string]any)
		if !ok {
			return nil, malformed("descriptor_map[%d] is not an object", i)
		}
		m, err := parseMapping(e, "", 0)
		if err != nil {
			return nil, fmt.Errorf("pex: descriptor_map[%d]: %w", i, err)
		}
		s.DescriptorMap = append(s.DescriptorMap, *m)
	}
	return s, nil
}

func parseMapping(e map[string]any, id string, depth int) (*DescriptorMapping, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("pex: path_nested deeper than %d levels: %w", maxNesting, ErrTooDeep)
	}
	m := &DescriptorMapping{}
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &m.ID}, {"format", &m.Format}, {"path", &m.Path}} {
		var ok bool
		if *f.dst, ok = e[f.key].(string); !ok || *f.dst == "" {
			return nil, malformed("%s must be a non-empty string", f.key)
		}
	}
	if depth > 0 && m.ID != id {
		return nil, malformed("path_nested id %q is not the mapping's id %q", m.ID, id)
	}
	if raw, present := e["path_nested"]; present {
		n, ok := raw.(map[string]any)
		if !ok {
			return nil, malformed("path_nested is not an object")
		}
		var err error
		if m.PathNested, err = parseMapping(n, m.ID, depth+1); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Check verifies, for a verifier, that sub describes presented (the credentials of the
// presentation, in its verifiableCredential order, as views of verified credentials) and
// that they satisfy def: each mapping names an input descriptor of def and a credential
// by a path $.verifiableCredential[i] (or $.vp.verifiableCredential[i], or $ for a lone
// credential), directly or through a path_nested under the presentation's own path $,
// whose format matches and which meets the descriptor; the answered descriptors meet
// the submission requirements (or, without them, are all of them) and the required
// same_subject relations. A descriptor with limit_disclosure "required" is met only by a
// credential whose SelectiveDisclosure is set, one with is_holder "required" only by one
// whose HolderBound is set, and a field with predicate "required" only by the boolean
// true in a credential whose Predicates is set. The error wraps [ErrNoMatch] (a
// [*NoMatchError]), [ErrUnsupportedPath] or [ErrMalformed].
func Check(def *Definition, sub *Submission, presented []Candidate) error {
	return CheckPresentations(def, sub, []Presentation{{Credentials: presented}})
}

// CheckPresentations is [Check] for a response of one or more presentations (such as an
// OpenID4VP vp_token array): each mapping's path selects a presentation ($ when there is
// one, $[i] among several) of the mapping's format, and its path_nested a credential in
// it. A mapping without path_nested is accepted only with one presentation, and then
// names a credential as in Check. A presentation whose Format is empty takes any format.
func CheckPresentations(def *Definition, sub *Submission, vps []Presentation) error {
	if def == nil || sub == nil {
		return malformed("nil definition or submission")
	}
	if sub.DefinitionID != def.ID {
		return &NoMatchError{Reasons: []string{"definition_id " + strconv.Quote(sub.DefinitionID) + " is not " + strconv.Quote(def.ID)}}
	}
	index := map[string]int{}
	for i, d := range def.InputDescriptors {
		index[d.ID] = i
	}
	answered := make([]bool, len(def.InputDescriptors))
	answer := make([]*Candidate, len(def.InputDescriptors))
	var reasons []string
	for k, m := range sub.DescriptorMap {
		i, ok := index[m.ID]
		if !ok {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d]: no input descriptor %q", k, m.ID))
			continue
		}
		c, err := locate(&m, vps)
		if err != nil {
			if errors.Is(err, ErrUnsupportedPath) {
				return fmt.Errorf("pex: descriptor_map[%d]: %w", k, err)
			}
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d]: %v", k, err))
			continue
		}
		if _, reason := matchDescriptor(def, &def.InputDescriptors[i], c, true); reason != "" {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d] (%s): %s", k, m.ID, reason))
			continue
		}
		answered[i] = true
		answer[i] = c
	}
	if _, r := choose(def, func(i int) bool { return answered[i] }); r != nil {
		reasons = append(reasons, r...)
	}
	if reasons == nil {
		_, reasons = sameSubject(def, answered, func(i, _ int) []string { return subjects(answer[i]) },
			func(i int) int { return 1 })
	}
	if reasons != nil {
		return &NoMatchError{Reasons: reasons}
	}
	return nil
}

// locate resolves a descriptor mapping to the credential it names, checking the formats
// on the way.
func locate(m *DescriptorMapping, vps []Presentation) (*Candidate, error) {
	if m.PathNested == nil {
		if len(vps) != 1 {
			return nil, fmt.Errorf("path %q without path_nested among %d presentations", m.Path, len(vps))
		}
		return credentialIn(m, &vps[0])
	}
	if m.PathNested.PathNested != nil {
		return nil, fmt.Errorf("path_nested below a credential: %w", ErrUnsupportedPath)
	}
	j := 0
	switch {
	case m.Path == "$" && len(vps) == 1:
	default:
		var err error
		if j, err = arrayIndex(m.Path, len(vps)); err != nil {
			return nil, err
		}
	}
	vp := &vps[j]
	if vp.Format != "" && vp.Format != m.Format {
		return nil, fmt.Errorf("format %q is not the presentation's", m.Format)
	}
	return credentialIn(m.PathNested, vp)
}

// credentialIn resolves a mapping's path to a credential of vp.
func credentialIn(m *DescriptorMapping, vp *Presentation) (*Candidate, error) {
	j, err := credentialIndex(m.Path, len(vp.Credentials))
	if err != nil {
		return nil, err
	}
	c := &vp.Credentials[j]
	if c.Format != m.Format {
		return nil, fmt.Errorf("format %q is not the credential's", m.Format)
	}
	return c, nil
}

// arrayIndex resolves a path $[i] to an index below n.
func arrayIndex(path string, n int) (int, error) {
	jp, err := jsonpath.Parse(path)
	if err != nil {
		return 0, fmt.Errorf("path %q: %w", path, ErrUnsupportedPath)
	}
	idx := make([]any, n)
	for i := range idx {
		idx[i] = i
	}
	nodes := jp.Select(idx)
	if len(nodes) != 1 {
		return 0, fmt.Errorf("path %q does not name one presentation", path)
	}
	i, ok := nodes[0].(int)
	if !ok {
		return 0, fmt.Errorf("path %q does not name one presentation", path)
	}
	return i, nil
}

// credentialIndex resolves a descriptor map path to the index of a presented credential.
func credentialIndex(path string, n int) (int, error) {
	if path == "$" {
		if n != 1 {
			return 0, fmt.Errorf("path $ with %d credentials", n)
		}
		return 0, nil
	}
	jp, err := jsonpath.Parse(path)
	if err != nil {
		return 0, fmt.Errorf("path %q: %w", path, ErrUnsupportedPath)
	}
	idx := make([]any, n)
	for i := range idx {
		idx[i] = i
	}
	doc := map[string]any{"verifiableCredential": idx, "vp": map[string]any{"verifiableCredential": idx}}
	nodes := jp.Select(doc)
	if len(nodes) != 1 {
		return 0, fmt.Errorf("path %q does not name one credential", path)
	}
	i, ok := nodes[0].(int)
	if !ok {
		return 0, fmt.Errorf("path %q does not name one credential", path)
	}
	return i, nil
}
