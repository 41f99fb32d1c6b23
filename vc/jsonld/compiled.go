package jsonld

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"

	"github.com/credence-dev/credence/internal/jcs"
)

// The compiled path expands documents whose contexts are all registered documents using
// only the JSON-LD features the W3C credential contexts use: keyword aliases of @id and
// @type, protected terms, type and property scoped contexts (including the null context),
// @vocab, type coercion to @id, @vocab, @json or a datatype, and @set and @graph
// containers. It follows the expansion algorithm of the JSON-LD processor the general path
// runs (json-gold) step for step, and gives the same expanded document, but for one place
// where json-gold departs from JSON-LD 1.1: it reads a term's container mapping from the
// term's scoped context instead of the active context, and so loses the graph container of
// verifiableCredential (whose scoped context is null). The compiled path follows the
// specification there, and the general path corrects json-gold's output (see
// lostGraphContainers).
//
// Each context is processed once per registry: the active context that results from
// applying a registered document or a scoped context to an active context is kept, so
// that a document costs a few map lookups per member. Anything the compiled path does not
// handle (inline contexts, value, list, language or reverse constructs, @base, @language,
// @import, nested @context arrays, a protected term redefined differently, a term no
// context defines, ...) makes it give up, and the general path expands the document and
// reports its errors. The compiled path never reports an error of its own.

// errNotCompiled stops the compiled path; the general path takes over.
var errNotCompiled = errors.New("jsonld: not handled by the compiled path")

// maxCompiledContexts bounds the active contexts a registry keeps. Past it, contexts are
// still processed, just not kept.
const maxCompiledContexts = 1024

// compiledTerm is a term definition of the subset the compiled path handles.
type compiledTerm struct {
	id        string   // an absolute IRI or a keyword
	typ       string   // type mapping: "", "@id", "@vocab", "@json", "@none" or an IRI
	container []string // "@set" and "@graph" only
	prefix    bool     // usable as the prefix of a compact IRI
	protected bool
	hasCtx    bool
	ctx       any // the scoped context as written (may be nil: the null context)
}

func (t *compiledTerm) hasContainer(c string) bool {
	return t != nil && slices.Contains(t.container, c)
}

// sameDefinition compares two definitions the way the processor does before it lets a
// protected term be defined again (everything but the protected flag and the prefix flag).
func sameDefinition(a, b *compiledTerm) bool {
	return a.id == b.id && a.typ == b.typ && a.hasCtx == b.hasCtx &&
		reflect.DeepEqual(a.container, b.container) && reflect.DeepEqual(a.ctx, b.ctx)
}

// activeContext is an immutable active context. A nil entry in terms is a term defined as
// null. previous is the context a type-scoped context does not propagate beyond.
type activeContext struct {
	terms     map[string]*compiledTerm
	vocab     string
	hasVocab  bool
	protected bool // some term was ever defined protected (the processor's Protected set)
	previous  *activeContext
}

// emptyActiveContext is the initial active context. Like every active context it is never
// modified: applying a context to it clones it.
var emptyActiveContext = &activeContext{terms: map[string]*compiledTerm{}}

func (a *activeContext) clone() *activeContext {
	c := *a
	c.terms = make(map[string]*compiledTerm, len(a.terms)+8)
	for k, v := range a.terms {
		c.terms[k] = v
	}
	return &c
}

// applyMode says how a local context is applied.
type applyMode uint8

const (
	applyRemote   applyMode = iota // a context reference: propagates, protected terms stay
	applyProperty                  // property-scoped: propagates, may override protected terms
	applyType                      // type-scoped: does not propagate, protected terms stay
)

type compiledKey struct {
	active *activeContext
	url    string
	term   *compiledTerm
	mode   applyMode
}

// compiledCache holds the active contexts of one registry. It is safe for concurrent use.
type compiledCache struct {
	mu      sync.Mutex
	applied map[compiledKey]*activeContext
}

func (c *compiledCache) get(k compiledKey) (*activeContext, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.applied[k]
	return a, ok
}

func (c *compiledCache) put(k compiledKey, a *activeContext) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.applied == nil {
		c.applied = make(map[compiledKey]*activeContext)
	}
	if len(c.applied) < maxCompiledContexts {
		c.applied[k] = a
	}
}

// compiledExpander expands one document on the compiled path.
type compiledExpander struct {
	reg   *Contexts
	loads int // context references processed, which the general path's loader bounds
}

// compiledExpand expands doc on the compiled path and checks the result as the general
// path does. ok is false when the compiled path does not handle the document, or when the
// result has a problem the general path will report.
func compiledExpand(reg *Contexts, doc map[string]any) (out []any, ok bool) {
	x := compiledExpander{reg: reg}
	root, err := x.root(doc)
	if err != nil {
		return nil, false
	}
	out = []any{}
	if root != nil {
		out = append(out, root.expanded())
	}
	k := expandedChecker{}
	if k.nodes(out) != nil {
		return nil, false
	}
	return out, true
}

// compiledToRDF converts doc to quads on the compiled path, as expandedToRDF converts
// the general path's expansion: the same statements in the same order, blank nodes
// labelled alike. It makes the checks of expandedChecker as it goes; ok is false when the
// compiled path does not handle the document or when one of them fails.
func compiledToRDF(reg *Contexts, doc map[string]any) (quads []Quad, ok bool) {
	x := compiledExpander{reg: reg}
	root, err := x.root(doc)
	if err != nil {
		return nil, false
	}
	w := rdfWriter{labels: map[string]string{}, quads: make([]Quad, 0, 64)}
	if root != nil {
		if _, err := w.xnode(root, Term{}); err != nil {
			return nil, false
		}
	}
	for i, q := range w.quads {
		n, err := normalizeQuad(q)
		if err != nil {
			return nil, false
		}
		w.quads[i] = n
	}
	return w.quads, true
}

// applyURL applies the registered document at u to a.
func (x *compiledExpander) applyURL(a *activeContext, u string) (*activeContext, error) {
	if x.loads++; x.loads > maxContextLoads {
		return nil, errNotCompiled
	}
	key := compiledKey{active: a, url: u, mode: applyRemote}
	if r, ok := x.reg.compiled.get(key); ok {
		return r, nil
	}
	d, ok := x.reg.lookup(u)
	if !ok {
		return nil, errNotCompiled
	}
	local, ok := d.value["@context"]
	if !ok {
		return nil, errNotCompiled
	}
	if _, isMap := local.(map[string]any); !isMap {
		// Arrays and references to further documents are left to the general path.
		return nil, errNotCompiled
	}
	r, err := applyContext(a, local, true, false)
	if err != nil {
		return nil, err
	}
	x.reg.compiled.put(key, r)
	return r, nil
}

// applyScoped applies the scoped context of t to a.
func (x *compiledExpander) applyScoped(a *activeContext, t *compiledTerm, mode applyMode) (*activeContext, error) {
	key := compiledKey{active: a, term: t, mode: mode}
	if r, ok := x.reg.compiled.get(key); ok {
		return r, nil
	}
	r, err := applyContext(a, t.ctx, mode != applyType, mode == applyProperty)
	if err != nil {
		return nil, err
	}
	x.reg.compiled.put(key, r)
	return r, nil
}

// applyContext is the processor's context processing for the supported subset: local is
// a context object, null, or an array of those.
func applyContext(a *activeContext, local any, propagate, overrideProtected bool) (*activeContext, error) {
	var contexts []any
	if arr, ok := local.([]any); ok {
		contexts = arr
	} else {
		contexts = []any{local}
	}
	if len(contexts) == 0 {
		return a, nil
	}
	result := a.clone()
	if !propagate && result.previous == nil {
		result.previous = a
	}
	for _, lc := range contexts {
		if lc == nil {
			if !overrideProtected && result.protected {
				return nil, errNotCompiled
			}
			n := emptyActiveContext.clone()
			if !propagate {
				n.previous = result
			}
			result = n
			continue
		}
		m, ok := lc.(map[string]any)
		if !ok {
			return nil, errNotCompiled
		}
		if err := result.define(m, overrideProtected); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// define processes the members of one context object into r (which is not yet shared).
func (r *activeContext) define(m map[string]any, overrideProtected bool) error {
	for _, k := range []string{"@context", "@import", "@base", "@language", "@direction", "@propagate"} {
		if _, ok := m[k]; ok {
			return errNotCompiled
		}
	}
	if v, ok := m["@version"]; ok {
		if f, isFloat := v.(float64); !isFloat || f != 1.1 {
			return errNotCompiled
		}
	}
	if v, ok := m["@vocab"]; ok {
		switch v := v.(type) {
		case nil:
			r.vocab, r.hasVocab = "", false
		case string:
			iri, err := r.expandIRI(v, true, true)
			if err != nil || !ld.IsAbsoluteIri(iri) || strings.HasPrefix(iri, "_:") {
				return errNotCompiled
			}
			r.vocab, r.hasVocab = iri, true
		default:
			return errNotCompiled
		}
	}
	defaultProtected := false
	if v, ok := m["@protected"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return errNotCompiled
		}
		defaultProtected = b
	}
	td := termDefiner{r: r, local: m, defined: map[string]bool{}, overrideProtected: overrideProtected, defaultProtected: defaultProtected}
	for _, k := range sortedKeys(m) {
		switch k {
		case "@version", "@vocab", "@protected":
			continue
		}
		if err := td.create(k); err != nil {
			return err
		}
	}
	return nil
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// termDefiner is the processor's Create Term Definition for the supported subset.
type termDefiner struct {
	r                 *activeContext
	local             map[string]any
	defined           map[string]bool
	overrideProtected bool
	defaultProtected  bool
}

func (d *termDefiner) create(term string) error {
	if done, ok := d.defined[term]; ok {
		if done {
			return nil
		}
		return errNotCompiled // cyclic
	}
	d.defined[term] = false
	value := d.local[term]
	m, isMap := value.(map[string]any)
	idv, hasID := m["@id"]
	if value == nil || (isMap && hasID && idv == nil) {
		d.r.terms[term] = nil
		d.defined[term] = true
		return nil
	}
	simple := false
	if s, ok := value.(string); ok {
		m, isMap, simple = map[string]any{"@id": s}, true, true
	}
	if !isMap || ld.IsKeyword(term) || ignoredKeyword(term) || term == "" || strings.ContainsAny(term, ":/") {
		return errNotCompiled
	}
	for k := range m {
		switch k {
		case "@id", "@type", "@container", "@context", "@protected":
		default:
			return errNotCompiled
		}
	}
	prev, hadPrev := d.r.terms[term]
	delete(d.r.terms, term)
	def := &compiledTerm{}
	if idv, ok := m["@id"]; ok {
		ids, isString := idv.(string)
		if !isString {
			return errNotCompiled
		}
		if term != ids {
			if !ld.IsKeyword(ids) && ignoredKeyword(ids) {
				return errNotCompiled
			}
			res, err := d.expand(ids)
			if err != nil {
				return err
			}
			if !ld.IsKeyword(res) && !ld.IsAbsoluteIri(res) {
				return errNotCompiled
			}
			if res == "@context" || res == "@preserve" {
				return errNotCompiled
			}
			def.id = res
			def.prefix = simple && res != "" && strings.IndexByte(":/?#[]@", res[len(res)-1]) >= 0
		}
	}
	if def.id == "" {
		if !d.r.hasVocab {
			return errNotCompiled
		}
		def.id = d.r.vocab + term
	}
	if ld.IsKeyword(def.id) && def.id != "@id" && def.id != "@type" {
		return errNotCompiled
	}
	pv, pf := m["@protected"]
	pb, isBool := pv.(bool)
	if pf && !isBool {
		return errNotCompiled
	}
	if (pf && pb) || (d.defaultProtected && !(pf && !pb)) {
		def.protected = true
		d.r.protected = true
	}
	d.defined[term] = true
	if tv, ok := m["@type"]; ok {
		ts, isString := tv.(string)
		if !isString {
			return errNotCompiled
		}
		switch ts {
		case "@id", "@vocab", "@json", "@none":
		default:
			iri, err := d.expand(ts)
			if err != nil {
				return err
			}
			if !ld.IsAbsoluteIri(iri) || strings.HasPrefix(iri, "_:") {
				return errNotCompiled
			}
			ts = iri
		}
		def.typ = ts
	}
	if cv, ok := m["@container"]; ok {
		var cs []any
		if a, isArray := cv.([]any); isArray {
			cs = a
			def.container = make([]string, 0, len(a)) // [] is not the same as no container
		} else {
			cs = []any{cv}
		}
		for _, c := range cs {
			s, _ := c.(string)
			if s != "@set" && s != "@graph" {
				return errNotCompiled
			}
			def.container = append(def.container, s)
		}
	}
	if cv, ok := m["@context"]; ok {
		def.hasCtx, def.ctx = true, cv
	}
	if def.hasCtx && ld.IsKeyword(def.id) {
		return errNotCompiled
	}
	if hadPrev && prev != nil && prev.protected && !d.overrideProtected {
		def.protected = true
		d.r.protected = true
		if !sameDefinition(prev, def) {
			return errNotCompiled
		}
	}
	d.r.terms[term] = def
	return nil
}

// expand is the processor's IRI expansion inside context processing (vocab true, not
// document relative), defining the terms it depends on first.
func (d *termDefiner) expand(value string) (string, error) {
	if ld.IsKeyword(value) {
		return value, nil
	}
	if ignoredKeyword(value) {
		return "", errNotCompiled
	}
	if _, ok := d.local[value]; ok && !d.defined[value] {
		if err := d.create(value); err != nil {
			return "", err
		}
	}
	if t, ok := d.r.terms[value]; ok {
		if t == nil {
			return "", errNotCompiled
		}
		return t.id, nil
	}
	if i := strings.IndexByte(value, ':'); i > 0 {
		prefix, suffix := value[:i], value[i+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return value, nil
		}
		if _, ok := d.local[prefix]; ok && !d.defined[prefix] {
			if err := d.create(prefix); err != nil {
				return "", err
			}
		}
		if t, ok := d.r.terms[prefix]; ok {
			if t == nil {
				return "", errNotCompiled
			}
			if t.prefix {
				return t.id + suffix, nil
			}
		}
		if ld.IsAbsoluteIri(value) {
			return value, nil
		}
	}
	if d.r.hasVocab {
		return d.r.vocab + value, nil
	}
	return "", errNotCompiled
}

// expandIRI is the processor's IRI expansion of a document string (JSON-LD 1.1 API §5.2),
// with an empty base: a relative reference comes back as written, for the check to refuse.
func (a *activeContext) expandIRI(value string, relative, vocab bool) (string, error) {
	if ld.IsKeyword(value) {
		return value, nil
	}
	if ignoredKeyword(value) {
		return "", nil
	}
	if vocab {
		if t, ok := a.terms[value]; ok {
			if t == nil {
				return "", nil
			}
			return t.id, nil
		}
	}
	if i := strings.IndexByte(value, ':'); i > 0 {
		prefix, suffix := value[:i], value[i+1:]
		if prefix == "_" || strings.HasPrefix(suffix, "//") {
			return value, nil
		}
		t, ok := a.terms[prefix]
		if ok && t == nil {
			return "", errNotCompiled
		}
		if ok && t.prefix {
			return t.id + suffix, nil
		}
		if ld.IsAbsoluteIri(value) {
			return value, nil
		}
	}
	if vocab && a.hasVocab {
		return a.vocab + value, nil
	}
	return value, nil
}

// ignoredKeyword reports whether s has the form of a keyword ("@" and letters).
func ignoredKeyword(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isAlpha(s[i]) {
			return false
		}
	}
	return true
}

// xval is an item of an expanded array: a value object, a node object (or node
// reference) or a graph object.
type xval struct {
	kind  xkind
	value any    // xValue: the @value
	typ   string // xValue: the @type, "" if none
	node  *xnode // xNode
	graph []xval // xGraph: the @graph items
}

type xkind uint8

const (
	xValue xkind = iota
	xNode
	xGraph
)

// xnode is an expanded node object.
type xnode struct {
	id       string
	hasID    bool
	types    []any // expanded @type values (strings); nil for an empty array, as the processor has it
	hasTypes bool
	props    []xprop // sorted by IRI once the node is complete
}

// xprop holds the values of one property; present is false for none.
type xprop struct {
	iri  string
	vals []xval
}

// expanded returns n as the processor's expanded JSON.
func (n *xnode) expanded() map[string]any {
	m := make(map[string]any, len(n.props)+2)
	if n.hasID {
		m["@id"] = n.id
	}
	if n.hasTypes {
		m["@type"] = n.types
	}
	for _, p := range n.props {
		m[p.iri] = expandedValues(p.vals)
	}
	return m
}

func expandedValues(vals []xval) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		switch v.kind {
		case xValue:
			if v.typ != "" {
				out[i] = map[string]any{"@value": v.value, "@type": v.typ}
			} else {
				out[i] = map[string]any{"@value": v.value}
			}
		case xNode:
			out[i] = v.node.expanded()
		case xGraph:
			out[i] = map[string]any{"@graph": expandedValues(v.graph)}
		}
	}
	return out
}

// root expands the document object; nil if expansion leaves nothing.
func (x *compiledExpander) root(doc map[string]any) (*xnode, error) {
	n, err := x.node(emptyActiveContext, "", doc, nil)
	if err != nil || n == nil {
		return nil, err
	}
	if len(n.props) == 0 && !n.hasTypes {
		return nil, nil // nothing, or only @id: the processor drops it
	}
	return n, nil
}

// element is the processor's expansion of one element (JSON-LD 1.1 API §5.1.2) that is
// not the document: it returns the items of the expanded value, and whether there is one
// (null is none; an empty array is an empty value).
func (x *compiledExpander) element(a *activeContext, prop string, elem any) ([]xval, bool, error) {
	switch e := elem.(type) {
	case nil:
		return nil, false, nil
	case []any:
		out := make([]xval, 0, len(e))
		for _, it := range e {
			v, _, err := x.element(a, prop, it)
			if err != nil {
				return nil, false, err
			}
			out = append(out, v...)
		}
		return out, true, nil
	case map[string]any:
		n, err := x.node(a, prop, e, nil)
		if err != nil {
			return nil, false, err
		}
		return []xval{{kind: xNode, node: n}}, true, nil
	default:
		v, err := a.expandValue(prop, elem)
		if err != nil {
			return nil, false, err
		}
		return []xval{v}, true, nil
	}
}

// expandValue is the processor's value expansion of a scalar.
func (a *activeContext) expandValue(prop string, v any) (xval, error) {
	t := a.terms[prop]
	s, isString := v.(string)
	if t != nil && (t.typ == "@id" || t.typ == "@vocab") {
		if !isString {
			return xval{kind: xValue, value: v}, nil
		}
		iri, err := a.expandIRI(s, true, t.typ == "@vocab")
		if err != nil {
			return xval{}, err
		}
		if ld.IsKeyword(iri) {
			return xval{}, errNotCompiled
		}
		return xval{kind: xNode, node: &xnode{id: iri, hasID: true}}, nil
	}
	if t != nil && t.typ != "" && t.typ != "@none" {
		return xval{kind: xValue, value: v, typ: t.typ}, nil
	}
	return xval{kind: xValue, value: v}, nil
}

// node expands a JSON object that is to be a node object.
func (x *compiledExpander) node(a *activeContext, prop string, e map[string]any, typeScoped *activeContext) (*xnode, error) {
	var scoped *compiledTerm
	if t := a.terms[prop]; t != nil && t.hasCtx && t.ctx != nil {
		scoped = t
	}
	if typeScoped == nil && a.previous != nil {
		typeScoped = a
	}
	keys := sortedKeys(e)
	local, hasContext := e["@context"]
	revert := true
	if typeScoped != nil && len(keys) <= 2 && !hasContext {
		for _, k := range keys {
			p, err := typeScoped.expandIRI(k, false, true)
			if err != nil {
				return nil, err
			}
			if p == "@value" {
				return nil, errNotCompiled
			}
			if p == "@id" && len(keys) == 1 {
				revert = false
				break
			}
		}
	}
	if revert && a.previous != nil {
		a = a.previous
	}
	var err error
	if scoped != nil {
		if a, err = x.applyScoped(a, scoped, applyProperty); err != nil {
			return nil, err
		}
	}
	if hasContext {
		refs, isArray := local.([]any)
		if !isArray {
			refs = []any{local}
		}
		for _, r := range refs {
			u, isString := r.(string)
			if !isString {
				return nil, errNotCompiled
			}
			if a, err = x.applyURL(a, u); err != nil {
				return nil, err
			}
		}
	}
	typeScoped = a
	// The expanded keys, computed once: type-scoped contexts may change them, so those
	// after the @type key are expanded again below.
	typeKey := ""
	for _, k := range keys {
		p, err := a.expandIRI(k, false, true)
		if err != nil {
			return nil, err
		}
		if p != "@type" {
			continue
		}
		if typeKey != "" {
			return nil, errNotCompiled
		}
		typeKey = k
		var types []string
		switch v := e[k].(type) {
		case string:
			types = []string{v}
		case []any:
			for _, t := range v {
				s, isString := t.(string)
				if !isString {
					return nil, errNotCompiled
				}
				types = append(types, s)
			}
			slices.Sort(types)
		default:
			return nil, errNotCompiled
		}
		for _, tt := range types {
			if t := typeScoped.terms[tt]; t != nil && t.hasCtx {
				if a, err = x.applyScoped(a, t, applyType); err != nil {
					return nil, err
				}
			}
		}
	}
	n := &xnode{props: make([]xprop, 0, len(e))}
	for _, k := range keys {
		if k == "@context" {
			continue
		}
		if k == "" {
			return nil, errNotCompiled // the processor drops it (decodeDocument refuses it)
		}
		value := e[k]
		p, err := a.expandIRI(k, false, true)
		if err != nil {
			return nil, err
		}
		if p == "" || (!strings.Contains(p, ":") && !ld.IsKeyword(p)) {
			return nil, errNotCompiled // safe mode refuses the document
		}
		if ld.IsKeyword(p) {
			switch {
			case p == "@id" && !n.hasID:
				s, isString := value.(string)
				if !isString {
					return nil, errNotCompiled
				}
				if n.id, err = a.expandIRI(s, true, false); err != nil {
					return nil, err
				}
				n.hasID = true
			case p == "@type" && !n.hasTypes:
				switch v := value.(type) {
				case string:
					n.types = []any{v}
				case []any:
					for _, t := range v {
						s, isString := t.(string)
						if !isString {
							return nil, errNotCompiled
						}
						n.types = append(n.types, s)
					}
				default:
					return nil, errNotCompiled
				}
				for i, t := range n.types {
					if n.types[i], err = typeScoped.expandIRI(t.(string), true, true); err != nil {
						return nil, err
					}
				}
				n.hasTypes = true
			default:
				return nil, errNotCompiled
			}
			continue
		}
		termCtx := a
		t := a.terms[k]
		if t != nil && t.hasCtx {
			if termCtx, err = x.applyScoped(a, t, applyProperty); err != nil {
				return nil, err
			}
		}
		var vals []xval
		if t != nil && t.typ == "@json" {
			vals = []xval{{kind: xValue, value: value, typ: "@json"}}
		} else {
			var present bool
			if vals, present, err = x.element(termCtx, k, value); err != nil {
				return nil, err
			}
			if !present {
				continue
			}
		}
		// The container mapping is the term's in the active context, not in its scoped
		// context (JSON-LD 1.1 API §5.1.2, step 13.5): verifiableCredential, whose scoped
		// context is null, still puts each credential in a graph of its own. Every item
		// becomes a graph object, one that already is one too (step 13.12).
		if t.hasContainer("@graph") {
			for i, v := range vals {
				vals[i] = xval{kind: xGraph, graph: []xval{v}}
			}
		}
		n.props = append(n.props, xprop{iri: p, vals: vals})
	}
	// Values of keys that expand to one IRI are concatenated in key order.
	slices.SortStableFunc(n.props, func(p, q xprop) int { return strings.Compare(p.iri, q.iri) })
	merged := n.props[:0]
	for _, p := range n.props {
		if l := len(merged); l > 0 && merged[l-1].iri == p.iri {
			merged[l-1].vals = append(slices.Clip(merged[l-1].vals), p.vals...)
			continue
		}
		merged = append(merged, p)
	}
	n.props = merged
	return n, nil
}

// xnode writes the statements of n in graph g, as node does for the expanded node, after
// expandedChecker's checks of its @id, types and properties.
func (w *rdfWriter) xnode(n *xnode, g Term) (Term, error) {
	var subj Term
	if n.hasID {
		if !strings.HasPrefix(n.id, "_:") && checkIRI(n.id) != nil {
			return subj, errNotCompiled
		}
		subj = w.ref(n.id)
	} else {
		subj = w.blank()
	}
	for _, t := range n.types {
		s := t.(string)
		if !strings.HasPrefix(s, "_:") && checkIRI(s) != nil {
			return subj, errNotCompiled
		}
		if err := w.emit(subj, Term{Kind: TermIRI, Value: rdfType}, w.ref(s), g); err != nil {
			return subj, err
		}
	}
	for _, p := range n.props {
		if strings.HasPrefix(p.iri, "_:") || checkIRI(p.iri) != nil {
			return subj, errNotCompiled
		}
		pred := Term{Kind: TermIRI, Value: p.iri}
		for _, v := range p.vals {
			o, err := w.xobject(v, g)
			if err != nil {
				return subj, err
			}
			if err := w.emit(subj, pred, o, g); err != nil {
				return subj, err
			}
		}
	}
	return subj, nil
}

// xobject converts a property value, as object does.
func (w *rdfWriter) xobject(v xval, g Term) (Term, error) {
	switch v.kind {
	case xValue:
		return compiledLiteral(v)
	case xNode:
		return w.xnode(v.node, g)
	}
	// A graph object: a blank node naming the graph of its node objects.
	subj := w.blank()
	for _, it := range v.graph {
		if it.kind == xValue {
			if _, err := compiledLiteral(it); err != nil { // checked, not written
				return subj, err
			}
			continue
		}
		if it.kind != xNode {
			return subj, errNotCompiled
		}
		if _, err := w.xnode(it.node, subj); err != nil {
			return subj, err
		}
	}
	return subj, nil
}

// compiledLiteral makes the checks of expandedChecker.valueIssue on a value object and
// converts it as literal does.
func compiledLiteral(v xval) (Term, error) {
	if v.typ == "@json" {
		b, err := jcs.Canonicalize(v.value)
		if err != nil {
			return Term{}, errNotCompiled
		}
		return Term{Kind: TermLiteral, Value: string(b), Datatype: rdfJSON}, nil
	}
	if v.typ != "" && checkIRI(v.typ) != nil {
		return Term{}, errNotCompiled
	}
	t := Term{Kind: TermLiteral, Datatype: v.typ}
	switch val := v.value.(type) {
	case string:
		t.Value = val
		if t.Datatype == "" {
			t.Datatype = XSDString
		}
	case bool:
		t.Value = strconv.FormatBool(val)
		if t.Datatype == "" {
			t.Datatype = xsdBoolean
		}
	case json.Number:
		f, err := val.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || (f == math.Trunc(f) && math.Abs(f) > 1<<53) {
			return Term{}, errNotCompiled
		}
		if f != math.Trunc(f) || v.typ == xsdDouble || math.Abs(f) >= 1e21 {
			t.Value = ld.GetCanonicalDouble(f)
			if t.Datatype == "" {
				t.Datatype = xsdDouble
			}
		} else {
			t.Value = strconv.FormatInt(int64(f), 10)
			if t.Datatype == "" {
				t.Datatype = xsdInteger
			}
		}
	default:
		return Term{}, errNotCompiled
	}
	return t, nil
}
