package jsonld

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// json-gold v0.9.1 reads the container mapping of a term from the term's scoped context
// instead of the active context (JSON-LD 1.1 API §5.1.2, step 13.5 says the active
// context). When the scoped context does not define the term again, the container is lost:
// verifiableCredential in the VC Data Model 2.0 context has a @graph container and a null
// scoped context, and json-gold leaves each embedded credential in the presentation's
// default graph instead of a graph object of its own. The compiled path follows the
// specification; on the general path, lostGraphContainers and restore make json-gold's
// output what the specification gives, or refuse the document when that cannot be done
// exactly.

// lostGraphs holds the terms whose @graph container json-gold loses, by IRI, and the
// definitions of the contexts the document uses.
type lostGraphs struct {
	byIRI map[string]string // the term's IRI to its name
	scan  *containerScan
}

// unsupportedContainer is the error of a document whose expansion the general path cannot
// make exact.
func unsupportedContainer(pointer, term, why string) *TermError {
	return &TermError{Pointer: pointer, Term: term, Reason: "term with a container and a scoped context " + why, Err: errs.ErrUnsupportedFormat}
}

// lostGraphContainers finds the members of doc named like a term that, in some context the
// document uses, has a container mapping other than @set together with a scoped context.
// It returns nil, nil when there are none. If each such term is defined alike wherever it
// is defined, with an absolute IRI and a @graph container, no @vocab can give its name the
// same IRI, and its name is not a compact IRI, it returns the terms, whose lost containers
// restore puts back. Otherwise it returns a [*TermError] wrapping errs.ErrUnsupportedFormat
// at the first such member: whether the definition applies there depends on the active
// context, which only the processor knows.
func lostGraphContainers(doc map[string]any, c *Contexts) (*lostGraphs, *TermError) {
	s := &containerScan{reg: c, defs: map[string][]any{}, seen: map[string]bool{}}
	s.contexts(doc)
	if len(s.risky) == 0 {
		return nil, nil
	}
	ptr, key, ok := s.use(doc, nil)
	if !ok {
		return nil, nil
	}
	lost := &lostGraphs{byIRI: map[string]string{}, scan: s}
	for _, name := range slices.Sorted(maps.Keys(s.risky)) {
		iri, ok := s.graphTerm(name)
		if _, taken := lost.byIRI[iri]; !ok || taken {
			return nil, unsupportedContainer(ptr, key, "that the general expansion path cannot expand exactly")
		}
		lost.byIRI[iri] = name
	}
	return lost, nil
}

// containerScan collects what lostGraphContainers needs from the contexts of a document.
type containerScan struct {
	reg    *Contexts
	defs   map[string][]any // every definition of every term, as written
	vocabs []any            // every @vocab
	risky  map[string]bool  // terms with a container other than @set and a scoped context
	seen   map[string]bool  // registered documents scanned
}

// contexts scans the @context members of the document tree v.
func (s *containerScan) contexts(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "@context" {
				s.context(e)
			} else {
				s.contexts(e)
			}
		}
	case []any:
		for _, e := range v {
			s.contexts(e)
		}
	}
}

// context scans a context value: a URL of a registered document, a context object, or an
// array of those. Scoped contexts and imports are followed.
func (s *containerScan) context(v any) {
	switch v := v.(type) {
	case string:
		if s.seen[v] {
			return
		}
		s.seen[v] = true
		if d, ok := s.reg.lookup(v); ok {
			s.context(d.value["@context"])
		}
	case []any:
		for _, e := range v {
			s.context(e)
		}
	case map[string]any:
		if imp, ok := v["@import"]; ok {
			s.context(imp)
		}
		if vocab, ok := v["@vocab"]; ok {
			s.vocabs = append(s.vocabs, vocab)
		}
		for term, def := range v {
			if strings.HasPrefix(term, "@") {
				continue
			}
			s.defs[term] = append(s.defs[term], def)
			d, isMap := def.(map[string]any)
			if !isMap {
				continue
			}
			scoped, hasScoped := d["@context"]
			if !hasScoped {
				continue
			}
			if containerOtherThanSet(d["@container"]) {
				if s.risky == nil {
					s.risky = map[string]bool{}
				}
				s.risky[term] = true
			}
			s.context(scoped)
		}
	}
}

// graphTerm returns the IRI of the risky term name when its container can be restored
// exactly (see lostGraphContainers).
func (s *containerScan) graphTerm(name string) (string, bool) {
	if strings.Contains(name, ":") {
		return "", false
	}
	defs := s.defs[name]
	for _, d := range defs[1:] {
		if !reflect.DeepEqual(d, defs[0]) {
			return "", false
		}
	}
	d, _ := defs[0].(map[string]any)
	if _, reverse := d["@reverse"]; reverse {
		return "", false
	}
	iri, _ := d["@id"].(string)
	if !absoluteLooking(iri) {
		return "", false
	}
	var cs []any
	switch c := d["@container"].(type) {
	case string:
		cs = []any{c}
	case []any:
		cs = c
	}
	graph := false
	for _, c := range cs {
		switch c {
		case "@graph":
			graph = true
		case "@set":
		default:
			return "", false
		}
	}
	if !graph {
		return "", false
	}
	for _, v := range s.vocabs {
		if v == nil {
			continue
		}
		vs, isString := v.(string)
		if !isString || !absoluteLooking(vs) || vs+name == iri {
			return "", false
		}
	}
	return iri, true
}

// absoluteLooking reports whether s is an IRI no context can take for a compact IRI or a
// term: it has a scheme followed by "//".
func absoluteLooking(s string) bool {
	i := strings.Index(s, "://")
	return i > 0 && !strings.ContainsAny(s[:i], "/?#[]@")
}

// containerOtherThanSet reports whether a @container value names anything but @set.
func containerOtherThanSet(v any) bool {
	switch v := v.(type) {
	case string:
		return v != "@set"
	case []any:
		for _, e := range v {
			if containerOtherThanSet(e) {
				return true
			}
		}
	}
	return false
}

// use returns the JSON Pointer and name of the first member of v, in member order, named
// like one of the risky terms, outside @context values.
func (s *containerScan) use(v any, path []string) (string, string, bool) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if k == "@context" {
				continue
			}
			p := append(path, k)
			if s.risky[k] {
				return jsonPointer(p), k, true
			}
			if ptr, key, ok := s.use(v[k], p); ok {
				return ptr, key, true
			}
		}
	case []any:
		for i, e := range v {
			if ptr, key, ok := s.use(e, append(path, strconv.Itoa(i))); ok {
				return ptr, key, true
			}
		}
	}
	return "", "", false
}

// restore makes each value that json-gold expanded from a member named like a term of l,
// in the expanded document out, a graph object, as JSON-LD 1.1 Expansion does for a @graph
// container (step 13.12: every item, graph objects included). ptrs holds the JSON Pointers
// of the node objects of out in doc.
//
// When no other member of the node's JSON object can expand to the term's IRI (none is an
// IRI or compact IRI, a keyword such as @nest, a term any context defines with that IRI or
// one that is not absolute, or a name @vocab turns into it), every value under the IRI
// comes from the term. Otherwise a value's origin is the member that the first token of its
// pointer, after its node's pointer, names: one named like the term gets the container, any
// other one does not. A value whose origin cannot be told, such as a value object or a
// node behind @nest or @set, makes restore refuse the document.
func (l *lostGraphs) restore(out []any, ptrs *nodePointers, doc map[string]any) *TermError {
	r := restorer{lost: l, ptrs: ptrs, doc: doc}
	r.items(out)
	if r.fail != "" {
		return unsupportedContainer(r.failAt, r.fail, "used where the general expansion path cannot expand it exactly")
	}
	return nil
}

type restorer struct {
	lost   *lostGraphs
	ptrs   *nodePointers
	doc    map[string]any
	fail   string // the term, once restore cannot go on
	failAt string
}

func (r *restorer) items(items []any) {
	for _, it := range items {
		if r.fail != "" {
			return
		}
		m, ok := it.(map[string]any)
		if !ok {
			continue
		}
		if _, ok := m["@value"]; ok {
			continue
		}
		if l, ok := m["@list"].([]any); ok {
			r.items(l)
			continue
		}
		r.node(m)
	}
}

func (r *restorer) node(n map[string]any) {
	for _, key := range sortedKeys(n) {
		if r.fail != "" {
			return
		}
		a, _ := n[key].([]any)
		switch key {
		case "@id", "@type":
			continue
		case "@reverse":
			rev, _ := n[key].(map[string]any)
			for _, p := range sortedKeys(rev) {
				if name, ok := r.lost.byIRI[p]; ok {
					r.fail, r.failAt = name, r.pointer(n)
					return
				}
				ra, _ := rev[p].([]any)
				r.items(ra)
			}
			continue
		}
		name, lost := r.lost.byIRI[key]
		if !lost {
			r.items(a)
			continue
		}
		at, ok := r.ptrs.lookup(n)
		if !ok {
			r.fail, r.failAt = name, ""
			return
		}
		if obj, isMap := resolvePointer(r.doc, at).(map[string]any); isMap && !r.otherSource(obj, name, key) {
			for i, it := range a {
				r.items([]any{it})
				a[i] = map[string]any{"@graph": []any{it}}
			}
			continue
		}
		for i, it := range a {
			m, isMap := it.(map[string]any)
			var p string
			if isMap {
				p, ok = r.ptrs.lookup(m)
			}
			if !isMap || !ok || !strings.HasPrefix(p, at+"/") {
				r.fail, r.failAt = name, at
				return
			}
			tokens := strings.Split(p[len(at)+1:], "/")
			if len(tokens) > 2 || (len(tokens) == 2 && !isIndex(tokens[1])) {
				r.fail, r.failAt = name, p
				return
			}
			r.node(m)
			if unescapeToken(tokens[0]) == name {
				a[i] = map[string]any{"@graph": []any{m}}
			}
		}
	}
}

// otherSource reports whether a member of obj other than name might expand to iri.
func (r *restorer) otherSource(obj map[string]any, name, iri string) bool {
	s := r.lost.scan
	for k := range obj {
		if k == name || k == "@context" || k == "@id" || k == "@type" {
			continue
		}
		if strings.HasPrefix(k, "@") || strings.Contains(k, ":") {
			return true
		}
		for _, d := range s.defs[k] {
			id, isString := d.(string)
			if m, isMap := d.(map[string]any); isMap {
				if _, ok := m["@reverse"]; ok {
					return true
				}
				id, isString = m["@id"].(string)
			}
			if !isString {
				continue
			}
			if strings.HasPrefix(id, "@") {
				// A keyword alias: of the keywords, only @nest puts values here.
				if id == "@nest" {
					return true
				}
				continue
			}
			if id == iri || !absoluteLooking(id) {
				return true
			}
		}
		for _, v := range s.vocabs {
			if vs, _ := v.(string); vs+k == iri {
				return true
			}
		}
	}
	return false
}

// pointer is the pointer of n, or "" if unknown.
func (r *restorer) pointer(n map[string]any) string {
	p, _ := r.ptrs.lookup(n)
	return p
}

// isIndex reports whether a pointer token is an array index.
func isIndex(tok string) bool {
	if tok == "" || (len(tok) > 1 && tok[0] == '0') {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return false
		}
	}
	return true
}

// unescapeToken undoes the RFC 6901 escapes of a pointer token.
func unescapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}
