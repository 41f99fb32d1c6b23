package jsonld

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// DefaultMaxDocumentBytes bounds the document given to [Expand] and [ToRDF] when
// Options.MaxBytes is 0 (DESIGN.md §5: 1 MiB for a JSON credential).
const DefaultMaxDocumentBytes = jsonx.DefaultMaxBytes

// Options configures [Expand] and [ToRDF]. The zero value is safe: every @context entry
// must be the URL of a registered document, and documents are limited to
// DefaultMaxDocumentBytes.
type Options struct {
	// AllowInlineContexts accepts @context entries that are objects, or null, besides URLs
	// of registered documents. Every URL an inline context refers to (@import, scoped
	// contexts) must still be registered, a protected term of the VC contexts cannot be
	// redefined, and a term definition that is null is refused, since the processor would let
	// it remove a protected term. A term definition with its own @context may still redefine
	// protected terms for the values of that term, as JSON-LD 1.1 §4.1.11 allows: the
	// caller that allows inline contexts trusts their author. If false, any inline context
	// anywhere in the document is an error wrapping errs.ErrUnknownContext.
	AllowInlineContexts bool
	// RequireFirst, if not "", is the URL the top-level @context must start with, such as
	// CredentialsV2 for a VC Data Model 2.0 credential (§4.3); it must be registered. If "",
	// the order of contexts is not checked.
	RequireFirst string
	// MaxBytes is the largest document accepted, checked before decoding. If 0,
	// DefaultMaxDocumentBytes; a negative value is an error wrapping errs.ErrInvalidOptions.
	MaxBytes int
	// MaxObjects is the largest number of JSON objects the document may hold, checked before
	// expansion. If 0, DefaultMaxObjects; a negative value is an error wrapping
	// errs.ErrInvalidOptions. The JSON-LD processor cannot be interrupted once it runs and
	// spends about a tenth of a millisecond on each typed object (it processes the type's
	// scoped context again every time), so this, with MaxBytes, bounds the time a call takes
	// after ctx is done.
	MaxObjects int
}

// DefaultMaxObjects bounds the JSON objects of a document when Options.MaxObjects is 0: far
// more than a credential or presentation holds, few enough to expand in about a second.
const DefaultMaxObjects = 10_000

// TermError reports a part of a document that would be left out of its RDF dataset, and so
// out of what a Data Integrity proof signs: a property or type that no context defines, an
// IRI that is not absolute, or JSON-LD data that RDF does not carry (@index).
type TermError struct {
	// Pointer is the JSON Pointer (RFC 6901) of the member or value concerned, or of the
	// closest enclosing object when the exact place is not known; "" is the whole document.
	Pointer string
	// Term is the key, type or IRI concerned, as written or as expanded, cut to 100 bytes.
	Term string
	// Reason says what is wrong, such as "property not defined by any context".
	Reason string
	// Err is errs.ErrUnknownContext for a term that no context defines and for data that
	// RDF drops, errs.ErrMalformed for an IRI or value that RDF cannot carry.
	Err error
}

// Error names the reason, the term and the pointer.
func (e *TermError) Error() string {
	where := "at the top level"
	if e.Pointer != "" {
		where = "at " + strconv.Quote(e.Pointer)
	}
	if e.Term == "" {
		return fmt.Sprintf("jsonld: %s %s: %v", e.Reason, where, e.Err)
	}
	return fmt.Sprintf("jsonld: %s: %s %s: %v", e.Reason, shorten(e.Term), where, e.Err)
}

// Unwrap returns the sentinel.
func (e *TermError) Unwrap() error { return e.Err }

// Expand checks a JSON-LD document and expands it (JSON-LD 1.1 API §4.1) with the documents
// of c, refusing anything whose meaning would not survive conversion to RDF.
//
// In order: the document must be strict JSON (internal/jsonx: duplicate members, bad UTF-8
// and nesting deeper than 64 are refused), a JSON object, within opts.MaxBytes and
// opts.MaxObjects; every @context entry, at any depth, must be the URL of a document in c,
// or an inline context when opts.AllowInlineContexts is set; no member may have an empty
// name, even inside a JSON literal (the processor would drop it); the top-level @context must
// start with opts.RequireFirst when it is set. Expansion then runs in safe mode with a
// loader that serves only c, exact URL for exact URL, and at most 256 context loads; the
// result is checked: every property and type must be an absolute IRI
// (a term no context defines would otherwise be dropped), every @id an absolute IRI or a
// blank node, every datatype absolute and every language tag well formed, every base
// direction ltr or rtl; @index, which RDF conversion drops, is refused, as are integers
// beyond 2^53, whose RDF form processors do not agree on.
//
// A refused term is reported as a [*TermError] naming its JSON Pointer. Errors wrap
// errs.ErrUnknownContext (a context not registered, an inline context not allowed, a first
// context other than RequireFirst, a protected term redefined, a term no context defines),
// errs.ErrMalformed (JSON or JSON-LD syntax, IRIs and values RDF cannot carry),
// errs.ErrUnsupportedFormat (a document that only the general path can expand and that uses
// a term with both a container and a scoped context in a way that path cannot expand
// exactly, see lostGraphContainers),
// errs.ErrTooLarge (a limit above), errs.ErrTooDeep, errs.ErrInvalidOptions (nil c, a
// negative limit, a RequireFirst that is not registered) or ctx.Err().
//
// The result is the expanded document as generic JSON; numbers are json.Number. ctx is
// checked before and after expansion and at every context load.
func Expand(ctx context.Context, doc []byte, c *Contexts, opts Options) ([]any, error) {
	return expand(ctx, doc, c, opts, nil)
}

// loaderHook, if not nil, wraps the loader handed to the processor (tests count calls).
type loaderHook func(ld.DocumentLoader) ld.DocumentLoader

func expand(ctx context.Context, doc []byte, c *Contexts, opts Options, hook loaderHook) ([]any, error) {
	v, err := decodeDocument(ctx, doc, c, opts)
	if err != nil {
		return nil, err
	}
	if hook == nil {
		if out, ok := compiledExpand(c, v); ok {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("jsonld: %w", err)
			}
			return out, nil
		}
	}
	return expandChecked(ctx, v, c, hook)
}

// decodeDocument runs the checks of Expand that come before the JSON-LD processor.
func decodeDocument(ctx context.Context, doc []byte, c *Contexts, opts Options) (map[string]any, error) {
	if c == nil {
		return nil, fmt.Errorf("jsonld: no context registry: %w", errs.ErrInvalidOptions)
	}
	if opts.MaxBytes < 0 || opts.MaxObjects < 0 {
		return nil, fmt.Errorf("jsonld: negative limit: %w", errs.ErrInvalidOptions)
	}
	if opts.RequireFirst != "" && !c.Has(opts.RequireFirst) {
		return nil, fmt.Errorf("jsonld: RequireFirst %s is not in the registry: %w", shorten(opts.RequireFirst), errs.ErrInvalidOptions)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	maxBytes := opts.MaxBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxDocumentBytes
	}
	if len(doc) > maxBytes {
		return nil, fmt.Errorf("jsonld: document of %d bytes exceeds the limit of %d: %w", len(doc), maxBytes, errs.ErrTooLarge)
	}
	v, err := jsonx.Decode(doc, jsonx.Limits{MaxBytes: maxBytes})
	if err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jsonld: document is not a JSON object: %w", errs.ErrMalformed)
	}
	if opts.RequireFirst != "" {
		if first, _ := firstContext(m["@context"]); first != opts.RequireFirst {
			return nil, fmt.Errorf("jsonld: the first @context entry must be %s: %w", shorten(opts.RequireFirst), errs.ErrUnknownContext)
		}
	}
	w := documentWalker{reg: c, inline: opts.AllowInlineContexts, maxObjects: opts.MaxObjects}
	if w.maxObjects == 0 {
		w.maxObjects = DefaultMaxObjects
	}
	if err := w.value(m); err != nil {
		// Walk again in member order, so that the error reported is the first one.
		w2 := documentWalker{reg: w.reg, inline: w.inline, maxObjects: w.maxObjects, sorted: true}
		if err2 := w2.value(m); err2 != nil {
			return nil, err2
		}
		return nil, err
	}
	return m, nil
}

// firstContext returns the first entry of a @context value when it is a string.
func firstContext(v any) (string, bool) {
	if a, ok := v.([]any); ok {
		if len(a) == 0 {
			return "", false
		}
		v = a[0]
	}
	s, ok := v.(string)
	return s, ok
}

// documentWalker counts the objects of a decoded document and checks every @context member
// against the registry and the inline policy. path holds the JSON Pointer tokens of the
// value being visited.
type documentWalker struct {
	reg        *Contexts
	inline     bool
	maxObjects int
	objects    int
	path       []string
	sorted     bool // visit members in order (else in map order, which is faster)
}

func (w *documentWalker) pointer(extra ...string) string {
	return jsonPointer(append(slices.Clip(w.path), extra...))
}

func (w *documentWalker) member(k string, v any) error {
	if k == "" {
		// The processor takes an empty property name for the top level and drops its
		// value without a word, so it would go unsigned.
		return &TermError{Pointer: w.pointer(""), Reason: "member with an empty name, which expansion drops", Err: errs.ErrUnknownContext}
	}
	w.path = append(w.path, k)
	var err error
	if k == "@context" {
		err = w.context(v)
	} else {
		err = w.value(v)
	}
	w.path = w.path[:len(w.path)-1]
	return err
}

func (w *documentWalker) value(v any) error {
	switch v := v.(type) {
	case map[string]any:
		if w.objects++; w.objects > w.maxObjects {
			return fmt.Errorf("jsonld: document has more than %d objects: %w", w.maxObjects, errs.ErrTooLarge)
		}
		if !w.sorted {
			for k, e := range v {
				if err := w.member(k, e); err != nil {
					return err
				}
			}
			return nil
		}
		for _, k := range sortedKeys(v) {
			if err := w.member(k, v[k]); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range v {
			w.path = append(w.path, strconv.Itoa(i))
			err := w.value(e)
			w.path = w.path[:len(w.path)-1]
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// context checks the value of a @context member: a URL, an inline context, null, or an
// array of those.
func (w *documentWalker) context(v any) error {
	if a, ok := v.([]any); ok {
		for i, e := range a {
			w.path = append(w.path, strconv.Itoa(i))
			var err error
			if _, nested := e.([]any); nested {
				err = fmt.Errorf("jsonld: @context array inside an array at %q: %w", w.pointer(), errs.ErrMalformed)
			} else {
				err = w.context(e)
			}
			w.path = w.path[:len(w.path)-1]
			if err != nil {
				return err
			}
		}
		return nil
	}
	switch v := v.(type) {
	case string:
		if !w.reg.Has(v) {
			return fmt.Errorf("jsonld: context %s at %q is not in the registry: %w", shorten(v), w.pointer(), errs.ErrUnknownContext)
		}
		return nil
	case nil:
		if !w.inline {
			return fmt.Errorf("jsonld: null @context at %q (inline contexts are not allowed): %w", w.pointer(), errs.ErrUnknownContext)
		}
		return nil
	case map[string]any:
		if !w.inline {
			return fmt.Errorf("jsonld: inline @context at %q is not allowed: %w", w.pointer(), errs.ErrUnknownContext)
		}
		return w.inlineContext(v)
	}
	return fmt.Errorf("jsonld: @context at %q is not a URL or an object: %w", w.pointer(), errs.ErrMalformed)
}

// inlineContext checks the members of an inline context that name other documents or that
// the processor reads without checking their JSON type, then walks its term definitions
// for scoped contexts.
func (w *documentWalker) inlineContext(m map[string]any) error {
	if imp, ok := m["@import"]; ok {
		s, isString := imp.(string)
		if !isString || !w.reg.Has(s) {
			return fmt.Errorf("jsonld: @import at %q is not a registered context: %w", w.pointer("@import"), errs.ErrUnknownContext)
		}
	}
	for _, k := range []string{"@protected", "@propagate"} {
		if b, ok := m[k]; ok {
			if _, isBool := b.(bool); !isBool {
				return fmt.Errorf("jsonld: %s at %q is not a boolean: %w", k, w.pointer(k), errs.ErrMalformed)
			}
		}
	}
	for _, term := range slices.Sorted(maps.Keys(m)) {
		// The processor lets a null definition remove a protected term, after which the
		// term can be defined anew: refuse null definitions outright.
		def := m[term]
		d, isMap := def.(map[string]any)
		if id, hasID := d["@id"]; (def == nil || (isMap && hasID && id == nil)) && !strings.HasPrefix(term, "@") {
			return fmt.Errorf("jsonld: inline context at %q removes the definition of a term: %w", w.pointer(term), errs.ErrUnknownContext)
		}
	}
	if n, ok := m["@version"].(json.Number); ok {
		// The processor compares @version with the float64 1.1 that encoding/json gives.
		f, err := n.Float64()
		if err != nil {
			return fmt.Errorf("jsonld: @version at %q is out of range: %w", w.pointer("@version"), errs.ErrMalformed)
		}
		m["@version"] = f
	}
	return w.value(m)
}

// jsonPointer joins tokens into an RFC 6901 JSON Pointer.
func jsonPointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		for i := 0; i < len(t); i++ {
			switch t[i] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(t[i])
			}
		}
	}
	return b.String()
}

// undefinedVocab is the vocabulary mapping of the diagnostic expansion: with it, a term that
// no context defines expands to undefinedVocab followed by the term instead of being
// dropped, so the check can name it and find it in the document.
const undefinedVocab = "urn:x-credence:undefined-term:"

// expandChecked runs the JSON-LD processor on a document that passed decodeDocument and
// checks the result.
func expandChecked(ctx context.Context, doc map[string]any, c *Contexts, hook loaderHook) ([]any, error) {
	lost, lostErr := lostGraphContainers(doc, c)
	var ptrs *nodePointers
	if lost != nil {
		ptrs = newNodePointers()
	}
	out, err := runExpand(ctx, doc, c, ptrs, false, hook)
	if errors.Is(err, errDroppedProperty) {
		// Safe mode stopped at a dropped property without saying which one.
		return nil, locateIssue(ctx, doc, c, hook, &TermError{Reason: "property not defined by any context", Err: errs.ErrUnknownContext})
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	k := expandedChecker{}
	if is := k.nodes(out); is != nil {
		return nil, locateIssue(ctx, doc, c, hook, is.termError())
	}
	if lostErr != nil {
		return nil, lostErr
	}
	if lost != nil {
		if te := lost.restore(out, ptrs, doc); te != nil {
			return nil, te
		}
	}
	return out, nil
}

// runExpand calls the processor. ptrs, if not nil, records the node objects. diag asks for
// the diagnostic expansion: no safe mode, undefined terms mapped under undefinedVocab.
func runExpand(ctx context.Context, doc map[string]any, c *Contexts, ptrs *nodePointers, diag bool, hook loaderHook) ([]any, error) {
	l := newRegistryLoader(ctx, c)
	o := &ld.JsonLdOptions{
		ProcessingMode: ld.JsonLd_1_1,
		DocumentLoader: l,
		SafeMode:       !diag,
	}
	if hook != nil {
		o.DocumentLoader = hook(l)
	}
	if diag {
		o.ExpandContext = map[string]any{"@vocab": undefinedVocab}
	}
	if ptrs != nil {
		o.ExpandedElementHandler = ptrs.record
	}
	var out []any
	err := guard(func() error {
		var err error
		out, err = ld.NewJsonLdProcessor().Expand(doc, o)
		return err
	})
	if l.err != nil {
		return nil, l.err
	}
	var je *ld.JsonLdError
	if errors.As(err, &je) && je.Code == ld.InvalidProperty {
		return nil, errDroppedProperty
	}
	if err != nil {
		return nil, processorError("expansion", err)
	}
	return out, nil
}

// errDroppedProperty is the safe mode failure of runExpand, which expandChecked locates.
var errDroppedProperty = fmt.Errorf("jsonld: property not defined by any context: %w", errs.ErrUnknownContext)

// guard runs f, turning a panic of the JSON-LD processor (it asserts the JSON types of some
// inline context members without checking them) into an error.
func guard(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jsonld: the JSON-LD processor cannot handle this document: %w", errs.ErrMalformed)
		}
	}()
	return f()
}

// processorError maps an error of the JSON-LD processor to a sentinel: context processing
// errors to errs.ErrUnknownContext, the others to errs.ErrMalformed. The processor's
// details are left out, since they quote the input.
func processorError(step string, err error) error {
	if errors.Is(err, errs.ErrUnknownContext) || errors.Is(err, errs.ErrTooLarge) || errors.Is(err, errs.ErrMalformed) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var je *ld.JsonLdError
	if !errors.As(err, &je) {
		return fmt.Errorf("jsonld: %s failed: %w", step, errs.ErrMalformed)
	}
	sentinel := errs.ErrMalformed
	switch je.Code {
	case ld.InvalidLocalContext, ld.LoadingRemoteContextFailed, ld.InvalidRemoteContext,
		ld.RecursiveContextInclusion, ld.InvalidBaseIRI, ld.InvalidVocabMapping,
		ld.InvalidDefaultLanguage, ld.KeywordRedefinition, ld.InvalidTermDefinition,
		ld.InvalidReverseProperty, ld.InvalidIRIMapping, ld.CyclicIRIMapping,
		ld.InvalidKeywordAlias, ld.InvalidTypeMapping, ld.InvalidLanguageMapping,
		ld.InvalidContainerMapping, ld.InvalidVersionValue, ld.ProcessingModeConflict,
		ld.InvalidPrefixValue, ld.InvalidContextNullification, ld.ProtectedTermRedefinition,
		ld.InvalidContextEntry, ld.InvalidPropagateValue, ld.InvalidImportValue,
		ld.IRIConfusedWithPrefix, ld.InvalidProperty:
		sentinel = errs.ErrUnknownContext
	}
	return fmt.Errorf("jsonld: %s failed (%s): %w", step, je.Code, sentinel)
}

// nodePointers relates the node objects of a diagnostic expansion to their JSON Pointers in
// the document: byNode is keyed by map identity.
type nodePointers struct {
	byNode    map[uintptr]string
	byPointer map[string]map[string]any
}

func newNodePointers() *nodePointers {
	return &nodePointers{byNode: map[uintptr]string{}, byPointer: map[string]map[string]any{}}
}

func (p *nodePointers) record(pointer string, expanded any) {
	if m, ok := expanded.(map[string]any); ok {
		p.byNode[reflect.ValueOf(m).Pointer()] = pointer
		p.byPointer[pointer] = m
	}
}

func (p *nodePointers) lookup(m map[string]any) (string, bool) {
	s, ok := p.byNode[reflect.ValueOf(m).Pointer()]
	return s, ok
}

// lossyNode returns the pointer of the first node object, in pointer order, that came out
// of expansion with fewer members than it went in with: where a term was dropped that the
// diagnostic vocabulary could not catch (a property-scoped context that resets the active
// context, as the VC contexts do for embedded credentials).
func (p *nodePointers) lossyNode(doc map[string]any) (string, bool) {
	for _, ptr := range slices.Sorted(maps.Keys(p.byPointer)) {
		in, ok := resolvePointer(doc, ptr).(map[string]any)
		if !ok {
			continue
		}
		n := 0
		for k, v := range in {
			if k != "@context" && v != nil {
				n++
			}
		}
		if len(p.byPointer[ptr]) < n {
			return ptr, true
		}
	}
	return "", false
}

// locateIssue expands doc again for diagnosis and returns the first problem found there,
// located in the document; if that fails, fallback with no pointer.
func locateIssue(ctx context.Context, doc map[string]any, c *Contexts, hook loaderHook, fallback *TermError) error {
	ptrs := newNodePointers()
	out, err := runExpand(ctx, doc, c, ptrs, true, hook)
	if err != nil {
		return fallback
	}
	k := expandedChecker{diag: true}
	is := k.nodes(out)
	if is == nil {
		if ptr, ok := ptrs.lossyNode(doc); ok {
			fallback.Pointer = ptr
		}
		return fallback
	}
	te := is.termError()
	te.Pointer = is.locate(doc, ptrs)
	return te
}

// issueKind says where in an expanded node object a problem sits.
type issueKind uint8

const (
	issueProperty issueKind = iota // a property IRI
	issueType                      // a value of @type
	issueID                        // an @id, of a node or a node reference
	issueValue                     // a value object
	issueKeyword                   // a keyword member RDF drops
)

// issue is a problem found in expanded output.
type issue struct {
	kind   issueKind
	term   string           // the IRI, term or value concerned, as expanded
	reason string           // for TermError.Reason
	err    error            // the sentinel
	nodes  []map[string]any // enclosing node objects, outermost first
	value  any              // for a value object, its @value
}

func (is *issue) termError() *TermError {
	term := is.term
	if t, ok := strings.CutPrefix(term, undefinedVocab); ok {
		term = t
	}
	if len(term) > 100 {
		term = term[:100]
	}
	return &TermError{Term: term, Reason: is.reason, Err: is.err}
}

// locate finds the JSON Pointer of the problem: the innermost enclosing node object whose
// place is known, then within it the member that holds the term.
func (is *issue) locate(doc map[string]any, ptrs *nodePointers) string {
	base, found := "", false
	for i := len(is.nodes) - 1; i >= 0 && !found; i-- {
		base, found = ptrs.lookup(is.nodes[i])
	}
	obj, ok := resolvePointer(doc, base).(map[string]any)
	if !ok {
		return base
	}
	term := strings.TrimPrefix(is.term, undefinedVocab)
	var match func(v any) bool
	switch {
	case is.value != nil:
		// A value object: written as the value itself or as an object with @value.
		match = func(v any) bool {
			if m, ok := v.(map[string]any); ok {
				v = m["@value"]
			}
			return v == is.value
		}
	case is.kind == issueProperty || is.kind == issueKeyword:
		if _, ok := obj[term]; ok {
			return base + jsonPointer([]string{term})
		}
		return base
	default:
		// A type, an @id or an IRI-valued property, written as a string.
		match = func(v any) bool { return v == term }
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if match(obj[k]) {
			return base + jsonPointer([]string{k})
		}
		if a, ok := obj[k].([]any); ok {
			for i, e := range a {
				if match(e) {
					return base + jsonPointer([]string{k, strconv.Itoa(i)})
				}
			}
		}
	}
	return base
}

// resolvePointer returns the value at an RFC 6901 pointer, or nil.
func resolvePointer(v any, pointer string) any {
	if pointer == "" {
		return v
	}
	if pointer[0] != '/' {
		return nil
	}
	for _, tok := range strings.Split(pointer[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// expandedChecker walks expanded JSON-LD (JSON-LD 1.1 §9) for what RDF conversion would drop
// or could not write. With diag, IRIs under undefinedVocab are terms no context defines.
type expandedChecker struct {
	diag  bool
	stack []map[string]any
}

func (k *expandedChecker) problem(kind issueKind, term, reason string, err error) *issue {
	return &issue{kind: kind, term: term, reason: reason, err: err, nodes: slices.Clone(k.stack)}
}

func (k *expandedChecker) nodes(items []any) *issue {
	for _, it := range items {
		if is := k.item(it); is != nil {
			return is
		}
	}
	return nil
}

// item checks a member of an expanded array: a value, list, node or graph object.
func (k *expandedChecker) item(v any) *issue {
	m, ok := v.(map[string]any)
	if !ok {
		return k.problem(issueValue, "", "unexpected value in expanded output", errs.ErrMalformed)
	}
	if _, ok := m["@value"]; ok {
		return k.value(m)
	}
	if l, ok := m["@list"]; ok {
		if _, ok := m["@index"]; ok {
			return k.problem(issueKeyword, "@index", "@index is not carried into RDF", errs.ErrUnknownContext)
		}
		a, _ := l.([]any)
		return k.nodes(a)
	}
	return k.node(m)
}

// node checks a node object (or node reference, or graph object).
func (k *expandedChecker) node(n map[string]any) *issue {
	k.stack = append(k.stack, n)
	defer func() { k.stack = k.stack[:len(k.stack)-1] }()
	for _, key := range sortedKeys(n) {
		v := n[key]
		switch key {
		case "@id":
			s, _ := v.(string)
			if is := k.id(s); is != nil {
				return is
			}
		case "@type":
			a, _ := v.([]any)
			for _, t := range a {
				s, _ := t.(string)
				if is := k.iri(issueType, s, "type"); is != nil {
					return is
				}
			}
		case "@graph", "@included":
			a, _ := v.([]any)
			if is := k.nodes(a); is != nil {
				return is
			}
		case "@reverse":
			r, _ := v.(map[string]any)
			for _, p := range slices.Sorted(maps.Keys(r)) {
				if is := k.property(p); is != nil {
					return is
				}
				a, _ := r[p].([]any)
				if is := k.nodes(a); is != nil {
					return is
				}
			}
		case "@index":
			return k.problem(issueKeyword, key, "@index is not carried into RDF", errs.ErrUnknownContext)
		default:
			if ld.IsKeyword(key) {
				return k.problem(issueKeyword, key, "keyword not expected in a node object", errs.ErrMalformed)
			}
			if is := k.property(key); is != nil {
				return is
			}
			a, _ := v.([]any)
			if is := k.nodes(a); is != nil {
				return is
			}
		}
	}
	return nil
}

func (k *expandedChecker) property(p string) *issue {
	if strings.HasPrefix(p, "_:") {
		return k.problem(issueProperty, p, "property that is a blank node, which RDF drops", errs.ErrUnknownContext)
	}
	return k.iri(issueProperty, p, "property")
}

// iri checks a property or type IRI: absolute, or for types a blank node.
func (k *expandedChecker) iri(kind issueKind, s, what string) *issue {
	if kind == issueType && strings.HasPrefix(s, "_:") {
		return nil
	}
	if k.diag && strings.HasPrefix(s, undefinedVocab) {
		return k.problem(kind, s, what+" not defined by any context", errs.ErrUnknownContext)
	}
	if checkIRI(s) != nil {
		return k.problem(kind, s, what+" that does not expand to an absolute IRI", errs.ErrUnknownContext)
	}
	return nil
}

// id checks an @id: an absolute IRI or a blank node identifier.
func (k *expandedChecker) id(s string) *issue {
	if strings.HasPrefix(s, "_:") {
		return nil
	}
	if k.diag && strings.HasPrefix(s, undefinedVocab) {
		return k.problem(issueID, s, "value not defined by any context", errs.ErrUnknownContext)
	}
	if checkIRI(s) != nil {
		return k.problem(issueID, s, "identifier that is not an absolute IRI", errs.ErrMalformed)
	}
	return nil
}

// value checks a value object.
func (k *expandedChecker) value(m map[string]any) *issue {
	is := k.valueIssue(m)
	if is != nil {
		switch v := m["@value"].(type) {
		case string, bool, json.Number:
			is.value = v
		}
	}
	return is
}

func (k *expandedChecker) valueIssue(m map[string]any) *issue {
	if _, ok := m["@index"]; ok {
		return k.problem(issueKeyword, "@index", "@index is not carried into RDF", errs.ErrUnknownContext)
	}
	if d, ok := m["@direction"]; ok && d != "ltr" && d != "rtl" {
		s, _ := d.(string)
		return k.problem(issueValue, s, "base direction other than ltr or rtl", errs.ErrMalformed)
	}
	if lang, ok := m["@language"]; ok {
		s, _ := lang.(string)
		if !validLangTag(s) {
			return k.problem(issueValue, s, "malformed language tag", errs.ErrMalformed)
		}
	}
	val := m["@value"]
	if t, ok := m["@type"]; ok {
		s, _ := t.(string)
		if s == "@json" {
			return nil
		}
		if is := k.iri(issueValue, s, "datatype"); is != nil {
			return is
		}
	}
	switch v := val.(type) {
	case string, bool:
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return k.problem(issueValue, string(v), "number out of range", errs.ErrMalformed)
		}
		if f == math.Trunc(f) && math.Abs(f) > 1<<53 {
			return k.problem(issueValue, string(v), "integer beyond 2^53, whose RDF form processors disagree on", errs.ErrMalformed)
		}
	default:
		return k.problem(issueValue, "", "value that is not a string, number or boolean", errs.ErrMalformed)
	}
	return nil
}
