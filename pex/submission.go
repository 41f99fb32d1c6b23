package pex

import (
	"fmt"
	"strconv"

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

// ParseSubmission parses a presentation_submission object. path_nested is not supported
// ([ErrUnsupportedPath]).
func ParseSubmission(data []byte) (*Submission, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: 256 << 10})
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("submission is not an object")
	}
	s := &Submission{}
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
		var m DescriptorMapping
		for _, f := range []struct {
			key string
			dst *string
		}{{"id", &m.ID}, {"format", &m.Format}, {"path", &m.Path}} {
			if *f.dst, ok = e[f.key].(string); !ok || *f.dst == "" {
				return nil, malformed("descriptor_map[%d]: %s must be a non-empty string", i, f.key)
			}
		}
		if _, nested := e["path_nested"]; nested {
			return nil, fmt.Errorf("pex: descriptor_map[%d]: path_nested: %w", i, ErrUnsupportedPath)
		}
		s.DescriptorMap = append(s.DescriptorMap, m)
	}
	return s, nil
}

// Check verifies, for a verifier, that sub describes presented (the credentials of the
// presentation, in its verifiableCredential order, as views of verified credentials) and
// that they satisfy def: each mapping names an input descriptor of def and a credential
// by a path $.verifiableCredential[i] (or $.vp.verifiableCredential[i], or $ for a lone
// credential) whose format matches and which meets the descriptor, and the answered
// descriptors meet the submission requirements (or, without them, are all of them).
// A descriptor with limit_disclosure "required" is met only by a credential whose
// SelectiveDisclosure is set. The error wraps [ErrNoMatch] (a [*NoMatchError]) or
// [ErrMalformed].
func Check(def *Definition, sub *Submission, presented []Candidate) error {
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
	var reasons []string
	for k, m := range sub.DescriptorMap {
		i, ok := index[m.ID]
		if !ok {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d]: no input descriptor %q", k, m.ID))
			continue
		}
		j, err := credentialIndex(m.Path, len(presented))
		if err != nil {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d]: %v", k, err))
			continue
		}
		c := &presented[j]
		if c.Format != m.Format {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d]: format %q is not the credential's", k, m.Format))
			continue
		}
		if _, reason := matchDescriptor(def, &def.InputDescriptors[i], c); reason != "" {
			reasons = append(reasons, fmt.Sprintf("descriptor_map[%d] (%s): %s", k, m.ID, reason))
			continue
		}
		answered[i] = true
	}
	if _, r := choose(def, func(i int) bool { return answered[i] }); r != nil {
		reasons = append(reasons, r...)
	}
	if reasons != nil {
		return &NoMatchError{Reasons: reasons}
	}
	return nil
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
