package jsonld

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// The compiled path expands documents whose contexts are all registered documents using
// only the JSON-LD features the W3C credential contexts use: keyword aliases of @id and
// @type, protected terms, type and property scoped contexts (including the null context),
// @vocab, type coercion to @id, @vocab, @json or a datatype, and @set and @graph
// containers. It follows the expansion algorithm of the JSON-LD processor the general path
// runs (json-gold) step for step, and gives the same expanded document.
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
const maxCompiledContexts = 4096

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
	v, err := x.element(emptyActiveContext, "", doc, nil)
	if err != nil {
		return nil, false
	}
	switch v := v.(type) {
	case nil:
		out = []any{}
	case map[string]any:
		if g, ok := v["@graph"]; ok && len(v) == 1 {
			a, _ := g.([]any)
			out = a
		} else {
			out = []any{v}
		}
	default:
		return nil, false
	}
	k := expandedChecker{}
	if k.nodes(out) != nil {
		return nil, false
	}
	return out, true
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

// element is the processor's expansion of one element (JSON-LD 1.1 API §5.1.2).
func (x *compiledExpander) element(a *activeContext, prop string, elem any, typeScoped *activeContext) (any, error) {
	switch e := elem.(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]any, 0, len(e))
		for _, it := range e {
			v, err := x.element(a, prop, it, typeScoped)
			if err != nil {
				return nil, err
			}
			switch v := v.(type) {
			case nil:
			case []any:
				out = append(out, v...)
			default:
				out = append(out, v)
			}
		}
		return out, nil
	case map[string]any:
		return x.node(a, prop, e, typeScoped)
	default:
		if prop == "" {
			return nil, nil
		}
		return a.expandValue(prop, elem)
	}
}

// expandValue is the processor's value expansion of a scalar.
func (a *activeContext) expandValue(prop string, v any) (any, error) {
	t := a.terms[prop]
	s, isString := v.(string)
	if t != nil && (t.typ == "@id" || t.typ == "@vocab") {
		if !isString {
			return map[string]any{"@value": v}, nil
		}
		iri, err := a.expandIRI(s, true, t.typ == "@vocab")
		if err != nil {
			return nil, err
		}
		if ld.IsKeyword(iri) {
			return nil, errNotCompiled
		}
		return map[string]any{"@id": iri}, nil
	}
	if t != nil && t.typ != "" && t.typ != "@none" {
		return map[string]any{"@value": v, "@type": t.typ}, nil
	}
	return map[string]any{"@value": v}, nil
}

// node expands a JSON object that is to be a node object.
func (x *compiledExpander) node(a *activeContext, prop string, e map[string]any, typeScoped *activeContext) (any, error) {
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
	result := make(map[string]any, len(e))
	for _, k := range keys {
		if k == "@context" {
			continue
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
			if _, dup := result[p]; dup {
				return nil, errNotCompiled
			}
			switch p {
			case "@id":
				s, isString := value.(string)
				if !isString {
					return nil, errNotCompiled
				}
				iri, err := a.expandIRI(s, true, false)
				if err != nil {
					return nil, err
				}
				result["@id"] = iri
			case "@type":
				var types []any // nil for an empty array, as the processor leaves it
				switch v := value.(type) {
				case string:
					types = []any{v}
				case []any:
					for _, t := range v {
						s, isString := t.(string)
						if !isString {
							return nil, errNotCompiled
						}
						types = append(types, s)
					}
				default:
					return nil, errNotCompiled
				}
				for i, t := range types {
					iri, err := typeScoped.expandIRI(t.(string), true, true)
					if err != nil {
						return nil, err
					}
					types[i] = iri
				}
				result["@type"] = types
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
		var ev any
		if t != nil && t.typ == "@json" {
			ev = map[string]any{"@type": "@json", "@value": value}
		} else if ev, err = x.element(termCtx, k, value, nil); err != nil {
			return nil, err
		}
		if ev == nil {
			continue
		}
		if termCtx.terms[k].hasContainer("@graph") {
			var evs []any
			if l, isList := ev.([]any); isList {
				evs = l
			} else {
				evs = []any{ev}
			}
			wrapped := make([]any, len(evs))
			for i, v := range evs {
				g, isList := v.([]any)
				if !isList {
					g = []any{v}
				}
				wrapped[i] = map[string]any{"@graph": g}
			}
			ev = wrapped
		}
		list, _ := result[p].([]any)
		if l, isList := ev.([]any); isList {
			list = append(list, l...)
		} else {
			list = append(list, ev)
		}
		if list == nil {
			list = []any{}
		}
		result[p] = list
	}
	if prop == "" {
		_, hasID := result["@id"]
		if len(result) == 0 || (hasID && len(result) == 1) {
			return nil, nil
		}
	}
	return result, nil
}
