package dataintegrity

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/vc/jsonld"
)

// The selective disclosure primitives shared by ecdsa-sd-2023 and bbs-2023 (vc-di-ecdsa
// §3.4 "Selective Disclosure Functions", also in vc-di-bbs): JSON Pointer selection of a
// compact JSON-LD document, skolemization, canonicalization with relabelled blank nodes,
// and grouping of the canonical statements by selection. They work on documents as this
// package holds them (values as jsonx decodes them) and never modify their input.
//
// A suite uses them in this order: parsePointers for its pointer lists;
// canonicalizeAndGroup with a labelMapFactory (hmacLabels for ecdsa-sd-2023,
// hmacShuffledLabels for bbs-2023) and one groupDef per selection (the issuer's
// "mandatory"; the holder's "mandatory", "selective" and "combined"), which gives the
// sorted canonical statements, their label map and the matching indexes of each group;
// selectJSONLD on the unsecured document for the revealed document; jsonld.Canonicalize
// of the combined group's deskolemized statements for the verifier's label map; and, on
// the verifier's side, canonicalizeQuads with labelMapLabels. Proof values are CBOR
// through cborWriter and cborReader (sdcbor.go).

// RDFFunc converts a JSON-LD document to an RDF dataset (JSON-LD 1.1 API §8, Deserialize
// JSON-LD to RDF), as [jsonld.ToRDF] does. doc is a document as this package holds it; the
// callback must not modify it. The selective disclosure suites need the quads themselves,
// not only their canonical form: they canonicalize them here, to learn which canonical
// label each blank node received. Like a [Canonicalizer], the callback is where JSON-LD
// policy lives (embedded contexts only, safe mode, limits); errors should wrap a sentinel.
type RDFFunc func(ctx context.Context, doc map[string]any) ([]jsonld.Quad, error)

// Bounds on the selective disclosure inputs, checked before any work.
const (
	// MaxPointers bounds the JSON Pointers of one selection (mandatory or selective).
	MaxPointers = 1024
	// maxPointerLen bounds one JSON Pointer, in bytes.
	maxPointerLen = 4096
)

// pathStep is one reference token of a JSON Pointer: an array index when isIndex (a
// member name of an object then means the same digits), a member name otherwise.
type pathStep struct {
	name    string
	index   int
	isIndex bool
}

// parsePointer splits a JSON Pointer (RFC 6901) into steps (vc-di-ecdsa §3.4.10
// jsonPointerToPaths): tokens without "~" that are decimal integers are indexes, and "~1"
// and "~0" are unescaped. The empty pointer (the whole document) selects nothing the
// specification defines and is refused, as is a token with a bad escape.
func parsePointer(p string) ([]pathStep, error) {
	if p == "" || p[0] != '/' || len(p) > maxPointerLen {
		return nil, fmt.Errorf("JSON pointer %.64q does not start with / or is too long", p)
	}
	tokens := strings.Split(p[1:], "/")
	steps := make([]pathStep, len(tokens))
	for i, t := range tokens {
		if strings.Contains(t, "~") {
			var b strings.Builder
			for j := 0; j < len(t); j++ {
				if t[j] != '~' {
					b.WriteByte(t[j])
					continue
				}
				if j+1 == len(t) || (t[j+1] != '0' && t[j+1] != '1') {
					return nil, fmt.Errorf("JSON pointer %.64q has a bad escape", p)
				}
				if t[j+1] == '0' {
					b.WriteByte('~')
				} else {
					b.WriteByte('/')
				}
				j++
			}
			steps[i] = pathStep{name: b.String()}
			continue
		}
		steps[i] = pathStep{name: t}
		if n, err := strconv.Atoi(t); err == nil && n >= 0 && (t == "0" || t[0] != '0') && t[0] != '+' {
			steps[i].index, steps[i].isIndex = n, true
		}
	}
	return steps, nil
}

// parsePointers parses a list of pointers; failures wrap sentinel.
func parsePointers(ps []string, sentinel error) ([][]pathStep, error) {
	if len(ps) > MaxPointers {
		return nil, fmt.Errorf("dataintegrity: %d JSON pointers, more than %d: %w", len(ps), MaxPointers, ErrTooLarge)
	}
	out := make([][]pathStep, len(ps))
	for i, p := range ps {
		steps, err := parsePointer(p)
		if err != nil {
			return nil, fmt.Errorf("dataintegrity: %v: %w", err, sentinel)
		}
		out[i] = steps
	}
	return out, nil
}

// selArray is an array of a selection while it is built: sparse, made dense (in index
// order) when the selection is complete (vc-di-ecdsa §3.4.13 selectJsonLd step 6).
type selArray struct{ elems map[int]any }

// errNoMatch reports a JSON pointer that names nothing in the document.
type errNoMatch struct{ pointer int }

// Error names the pointer, by its position.
func (e errNoMatch) Error() string {
	return fmt.Sprintf("JSON pointer %d does not match the document", e.pointer)
}

// selectJSONLD returns the part of a compact JSON-LD document that pointers select
// (vc-di-ecdsa §3.4.13 selectJsonLd): the @context, and along the path to each selected
// value the id (unless a blank node identifier) and type of every object. It returns nil
// when there are no pointers. The document is assumed to alias @id and @type to id and
// type, as the VC contexts do; @id and @type written as keywords are kept too. A pointer
// that names nothing is an errNoMatch.
func selectJSONLD(doc map[string]any, pointers [][]pathStep) (map[string]any, error) {
	if len(pointers) == 0 {
		return nil, nil
	}
	sel := initialSelection(doc)
	if c, ok := doc["@context"]; ok {
		sel["@context"] = deepCopy(c)
	}
	for i, steps := range pointers {
		if err := selectPaths(doc, steps, sel); err != nil {
			return nil, errNoMatch{i}
		}
	}
	return densify(sel).(map[string]any), nil
}

// initialSelection is vc-di-ecdsa §3.4.11 createInitialSelection.
func initialSelection(src any) map[string]any {
	sel := map[string]any{}
	obj, ok := src.(map[string]any)
	if !ok {
		return sel
	}
	for _, k := range [...]string{"id", "@id"} {
		if id, ok := obj[k]; ok {
			if s, isStr := id.(string); !isStr || !strings.HasPrefix(s, "_:") {
				sel[k] = id
			}
		}
	}
	for _, k := range [...]string{"type", "@type"} {
		if t, ok := obj[k]; ok {
			sel[k] = deepCopy(t)
		}
	}
	return sel
}

// selectPaths is vc-di-ecdsa §3.4.12 selectPaths.
func selectPaths(doc map[string]any, steps []pathStep, sel map[string]any) error {
	var value any = doc
	var selectedValue any = sel
	var selectedParent any
	for _, st := range steps {
		selectedParent = selectedValue
		v, ok := child(value, st)
		if !ok {
			return errNoMatch{}
		}
		value = v
		sv, ok := child(selectedParent, st)
		if !ok {
			if _, isArr := value.([]any); isArr {
				sv = &selArray{elems: map[int]any{}}
			} else {
				sv = initialSelection(value)
			}
			if !setChild(selectedParent, st, sv) {
				return errNoMatch{}
			}
		}
		selectedValue = sv
	}
	switch v := value.(type) {
	case map[string]any:
		merged := map[string]any{}
		if m, ok := selectedValue.(map[string]any); ok {
			maps.Copy(merged, m)
		}
		for k, x := range v {
			merged[k] = deepCopy(x)
		}
		selectedValue = merged
	default: // a literal or an array
		selectedValue = deepCopy(v)
	}
	if len(steps) > 0 && !setChild(selectedParent, steps[len(steps)-1], selectedValue) {
		return errNoMatch{}
	}
	return nil
}

// child returns the member or element of v that st names.
func child(v any, st pathStep) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		c, ok := x[st.name]
		return c, ok
	case []any:
		if st.isIndex && st.index < len(x) {
			return x[st.index], true
		}
	case *selArray:
		if st.isIndex {
			c, ok := x.elems[st.index]
			return c, ok
		}
	}
	return nil, false
}

func setChild(v any, st pathStep, c any) bool {
	switch x := v.(type) {
	case map[string]any:
		x[st.name] = c
		return true
	case []any:
		if st.isIndex && st.index < len(x) {
			x[st.index] = c
			return true
		}
	case *selArray:
		if st.isIndex {
			x.elems[st.index] = c
			return true
		}
	}
	return false
}

// densify turns the sparse arrays of a selection into JSON arrays, in index order.
func densify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			x[k] = densify(c)
		}
		return x
	case []any:
		for i, c := range x {
			x[i] = densify(c)
		}
		return x
	case *selArray:
		idx := slices.Sorted(maps.Keys(x.elems))
		out := make([]any, len(idx))
		for i, n := range idx {
			out[i] = densify(x.elems[n])
		}
		return out
	}
	return v
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, c := range x {
			m[k] = deepCopy(c)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, c := range x {
			a[i] = deepCopy(c)
		}
		return a
	}
	return v
}

// skolemizer gives every node object of a compact document an IRI, so that the nodes of
// a selection keep their identity across RDF conversions (vc-di-ecdsa §3.4.6-3.4.8). The
// IRIs are urn:custom-scheme: URNs with a random part, which no document can guess, and
// deskolemize turns them back into blank nodes labelled "n0", "n1", ...
//
// The specification skolemizes the expanded document and compacts it again; this works on
// the compact document directly: every JSON object outside @context that is not a value
// object (@value), a list or set object (@list, @set) or a graph object (@graph) is taken
// for a node object, and one without an id gets one; a blank node identifier ("_:x") is
// replaced by an IRI too. What this gets wrong (an object that is a JSON literal, a map
// container) changes the dataset, which the issuer detects (sameDataset).
type skolemizer struct {
	prefix string            // "urn:custom-scheme:" + random + "_"
	labels map[string]string // document blank node identifiers -> skolem labels
	n      int
}

func newSkolemizer() *skolemizer {
	var r [16]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails
	return &skolemizer{prefix: "urn:custom-scheme:" + hex.EncodeToString(r[:]) + "_", labels: map[string]string{}}
}

func (s *skolemizer) next() string {
	l := "n" + strconv.Itoa(s.n)
	s.n++
	return l
}

// document returns a skolemized copy of a compact document.
func (s *skolemizer) document(doc map[string]any) map[string]any {
	return s.value(doc).(map[string]any)
}

func (s *skolemizer) value(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = s.value(c)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x)+1)
		node := true
		for k, c := range x {
			switch k {
			case "@context":
				out[k] = deepCopy(c)
				continue
			case "@value", "@json":
				return deepCopy(x)
			case "@list", "@set", "@graph":
				node = false
			}
			out[k] = s.value(c)
		}
		if !node {
			return out
		}
		idKey := ""
		for _, k := range [...]string{"id", "@id"} {
			if _, ok := x[k]; ok {
				idKey = k
			}
		}
		if idKey == "" {
			out["@id"] = s.prefix + s.next()
		} else if id, ok := x[idKey].(string); ok && strings.HasPrefix(id, "_:") {
			l, ok := s.labels[id]
			if !ok {
				l = s.next()
				s.labels[id] = l
			}
			out[idKey] = s.prefix + l
		}
		return out
	}
	return v
}

// deskolemize turns the skolem IRIs of quads back into blank nodes (vc-di-ecdsa §3.4.5,
// §3.4.9). Every blank node of the result comes from a skolem IRI: a blank node that the
// conversion made on its own (an RDF list, a graph container) would have no identity
// across selections, so it is refused with ErrUnsupportedProof.
func (s *skolemizer) deskolemize(quads []jsonld.Quad) ([]jsonld.Quad, error) {
	out := make([]jsonld.Quad, len(quads))
	for i, q := range quads {
		for _, t := range [...]*jsonld.Term{&q.Subject, &q.Object, &q.Graph} {
			switch t.Kind {
			case jsonld.TermBlankNode:
				return nil, fmt.Errorf("dataintegrity: the document has a blank node that selective disclosure cannot track (an RDF list or a graph container): %w", ErrUnsupportedProof)
			case jsonld.TermIRI:
				if l, ok := strings.CutPrefix(t.Value, s.prefix); ok {
					*t = jsonld.Term{Kind: jsonld.TermBlankNode, Value: l}
				}
			}
		}
		out[i] = q
	}
	return out, nil
}

// labelMapFactory turns the canonical identifier map of RDFC-1.0 (input blank node label
// -> canonical label such as "c14n0") into the labels the suite signs (input label -> new
// label, without "_:"), vc-di-ecdsa §3.4.3-3.4.4.
type labelMapFactory func(canonicalIDs map[string]string) (map[string]string, error)

// hmacLabels is vc-di-ecdsa §3.4.4 createHmacIdLabelMapFunction: each canonical label
// becomes "u" followed by the base64url (no padding) HMAC-SHA-256 of it under key.
func hmacLabels(key []byte) labelMapFactory {
	return func(ids map[string]string) (map[string]string, error) {
		out := make(map[string]string, len(ids))
		mac := hmac.New(sha256.New, key)
		for in, c14n := range ids {
			mac.Reset()
			mac.Write([]byte(c14n))
			out[in] = "u" + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		}
		return out, nil
	}
}

// labelMapLabels is vc-di-ecdsa §3.4.3 createLabelMapFunction: canonical labels are
// replaced as labelMap (canonical label -> new label) says. A canonical label it does not
// name is ErrInvalidSignature: the document is not the one the label map was made for.
func labelMapLabels(labelMap map[string]string) labelMapFactory {
	return func(ids map[string]string) (map[string]string, error) {
		out := make(map[string]string, len(ids))
		for in, c14n := range ids {
			l, ok := labelMap[c14n]
			if !ok {
				return nil, fmt.Errorf("dataintegrity: the label map has no label for blank node %s: %w", c14n, ErrInvalidSignature)
			}
			out[in] = l
		}
		return out, nil
	}
}

// canonicalizeQuads runs RDFC-1.0 on quads and returns the canonical statements with
// their blank nodes relabelled by factory, as N-Quads lines ("\n" included), sorted, and
// the label map it used (input label -> new label): vc-di-ecdsa §3.4.1
// labelReplacementCanonicalizeNQuads.
func canonicalizeQuads(ctx context.Context, quads []jsonld.Quad, factory labelMapFactory) ([]string, map[string]string, error) {
	c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("dataintegrity: RDFC-1.0 canonicalization: %w", err)
	}
	labelMap, err := factory(c.Issued)
	if err != nil {
		return nil, nil, err
	}
	byCanon := make(map[string]string, len(c.Issued))
	for in, c14n := range c.Issued {
		byCanon[c14n] = labelMap[in]
	}
	lines := make([]string, len(c.Quads))
	for i, q := range c.Quads {
		lines[i] = relabelLine(q, byCanon)
	}
	sort.Strings(lines)
	return lines, labelMap, nil
}

// relabelLine writes q as an N-Quads line with its blank nodes relabelled by labels; a
// label it does not name stays as it is.
func relabelLine(q jsonld.Quad, labels map[string]string) string {
	for _, t := range [...]*jsonld.Term{&q.Subject, &q.Object, &q.Graph} {
		if t.Kind == jsonld.TermBlankNode {
			if l, ok := labels[t.Value]; ok {
				t.Value = l
			}
		}
	}
	return q.String() + "\n"
}

// sdGroup is the result of one selection in canonicalizeAndGroup.
type sdGroup struct {
	// matching and nonMatching are indexes into sdGroups.nquads, in ascending order.
	matching, nonMatching []int
	// deskolemized are the selection's statements with the skolem labels.
	deskolemized []jsonld.Quad
}

func (g *sdGroup) matches(i int) bool {
	_, ok := slices.BinarySearch(g.matching, i)
	return ok
}

// sdGroups is the result of canonicalizeAndGroup.
type sdGroups struct {
	nquads     []string          // canonical statements, relabelled and sorted
	labelMap   map[string]string // skolem label -> signed label
	skolemized map[string]any    // the compact document with skolem IRIs
	quads      []jsonld.Quad     // the deskolemized statements of the whole document
	groups     map[string]*sdGroup
}

// groupDef names a selection of canonicalizeAndGroup; a pointer of it that names nothing
// is an error wrapping noMatch.
type groupDef struct {
	name     string
	pointers [][]pathStep
	noMatch  error
}

// canonicalizeAndGroup is vc-di-ecdsa §3.4.16: it canonicalizes doc with blank nodes
// relabelled by factory and sorts its statements into the groups that defs select.
func canonicalizeAndGroup(ctx context.Context, doc map[string]any, toRDF RDFFunc, factory labelMapFactory, defs []groupDef) (*sdGroups, error) {
	sk := newSkolemizer()
	skolemized := sk.document(doc)
	raw, err := toRDF(ctx, skolemized)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: JSON-LD to RDF: %w", err)
	}
	quads, err := sk.deskolemize(raw)
	if err != nil {
		return nil, err
	}
	nquads, labelMap, err := canonicalizeQuads(ctx, quads, factory)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(nquads))
	for i, l := range nquads {
		index[l] = i
	}
	res := &sdGroups{nquads: nquads, labelMap: labelMap, skolemized: skolemized, quads: quads, groups: make(map[string]*sdGroup, len(defs))}
	for _, def := range defs {
		name := def.name
		sel, err := selectJSONLD(skolemized, def.pointers)
		if err != nil {
			return nil, fmt.Errorf("dataintegrity: %s pointers: %v: %w", name, err, def.noMatch)
		}
		g := &sdGroup{}
		inSel := map[int]bool{}
		if sel != nil {
			raw, err := toRDF(ctx, sel)
			if err != nil {
				return nil, fmt.Errorf("dataintegrity: JSON-LD to RDF of the %s selection: %w", name, err)
			}
			if g.deskolemized, err = sk.deskolemize(raw); err != nil {
				return nil, err
			}
			for _, q := range g.deskolemized {
				// A statement of the selection that is not in the document cannot happen
				// when the selection is a part of it; it is simply not matched.
				if i, ok := index[relabelLine(q, labelMap)]; ok {
					inSel[i] = true
				}
			}
		}
		for i := range nquads {
			if inSel[i] {
				g.matching = append(g.matching, i)
			} else {
				g.nonMatching = append(g.nonMatching, i)
			}
		}
		res.groups[name] = g
	}
	return res, nil
}

// sameDataset reports whether two datasets are equal once blank nodes are ignored: a
// cheap check that skolemization added identifiers only, with no change to any value.
func sameDataset(a, b []jsonld.Quad) bool {
	if len(a) != len(b) {
		return false
	}
	mask := func(qs []jsonld.Quad) []string {
		out := make([]string, len(qs))
		for i, q := range qs {
			for _, t := range [...]*jsonld.Term{&q.Subject, &q.Object, &q.Graph} {
				if t.Kind == jsonld.TermBlankNode {
					t.Value = "x"
				}
			}
			out[i] = q.String()
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(mask(a), mask(b))
}

// hmacShuffledLabels is the label map factory of bbs-2023 (vc-di-bbs
// createShuffledIdLabelMapFunction): each canonical label is replaced by its HMAC, as in
// hmacLabels, and the blank nodes are then labelled "b0", "b1", ... in the order of
// those HMAC labels, so that the labels reveal nothing but the number of blank nodes.
func hmacShuffledLabels(key []byte) labelMapFactory {
	return func(ids map[string]string) (map[string]string, error) {
		byHMAC, err := hmacLabels(key)(ids)
		if err != nil {
			return nil, err
		}
		sorted := slices.Sorted(maps.Values(byHMAC))
		out := make(map[string]string, len(byHMAC))
		for in, h := range byHMAC {
			i, _ := slices.BinarySearch(sorted, h)
			out[in] = "b" + strconv.Itoa(i)
		}
		return out, nil
	}
}
