package pex

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/theory/jsonpath"
	"github.com/theory/jsonpath/spec"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Limits bound a definition. The zero value gives the defaults; a zero field takes its default.
type Limits struct {
	MaxBytes       int // if 0, 256 KiB
	MaxDepth       int // JSON nesting; if 0, 64
	MaxDescriptors int // input descriptors; if 0, 100
	MaxFields      int // fields per descriptor, and paths per field; if 0, 64
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBytes, 256<<10)
	def(&l.MaxDepth, 64)
	def(&l.MaxDescriptors, 100)
	def(&l.MaxFields, 64)
	return l
}

// Definition is a presentation definition (PEX v2 §5). Make one with [ParseDefinition];
// it is immutable and safe for concurrent use.
type Definition struct {
	ID, Name, Purpose      string
	Format                 map[string]any // claim format designations; nil when absent
	SubmissionRequirements []SubmissionRequirement
	InputDescriptors       []InputDescriptor
	// Frame is the JSON-LD frame of the definition (the JSON-LD Framing feature of PEX
	// v2), nil when absent. It applies to credentials of the JSON-LD formats (ldp_vc,
	// ldp, di_vc and their presentation forms): see [Match.Framed].
	Frame map[string]any
}

// InputDescriptor describes one credential the verifier wants (§5.1).
type InputDescriptor struct {
	ID, Name, Purpose string
	Group             []string
	Format            map[string]any // nil when absent: the definition's format applies
	LimitDisclosure   string         // "", "required" or "preferred"
	Fields            []Field
	// SubjectIsIssuer is "", "required" or "preferred": the credential must (or should)
	// be self-issued, its issuer one of its subjects (relational constraints feature).
	SubjectIsIssuer string
	// IsHolder lists the fields (of this descriptor) whose claims' subject must (or
	// should) be the holder who presents them.
	IsHolder []Relation
	// SameSubject lists fields, of any descriptor of the definition, whose claims must
	// (or should) be about one subject.
	SameSubject []Relation
}

// Relation is one is_holder or same_subject entry: field ids and a directive.
type Relation struct {
	FieldIDs  []string
	Directive string // "required" or "preferred"
}

// Field is one constraint on a credential (§5.1.1.1).
type Field struct {
	ID, Name, Purpose string
	Path              []string // JSONPath expressions, tried in order
	Filter            map[string]any
	Optional          bool
	IntentToRetain    bool
	Predicate         string // "", "required" or "preferred"
	paths             []*jsonpath.Path
	simple            [][]any // per path: its members and indexes when it selects at most one value plainly, else nil
	schema            *jsonschema.Schema
	check             check // the filter compiled to direct tests; nil: the schema decides
}

// passes reports whether v passes the field's filter (any value when it has none).
func (f *Field) passes(v any) bool {
	switch {
	case f.check != nil:
		return f.check(v)
	case f.schema != nil:
		return schemaValid(f.schema, v)
	}
	return true
}

// schemaValid validates v against s, failing closed when the library panics (it does on
// a number whose exponent overflows its big.Rat parser, such as 1E1000001, with
// minimum or maximum).
func schemaValid(s *jsonschema.Schema, v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return s.Validate(v) == nil
}

// SubmissionRequirement says which descriptors must be satisfied together (§6).
type SubmissionRequirement struct {
	Name, Purpose   string
	Rule            string // "all" or "pick"
	Count, Min, Max int    // -1 when absent
	From            string // a group, or "" with FromNested
	FromNested      []SubmissionRequirement
}

// ParseDefinition parses and validates a presentation definition (the object itself, not
// an envelope) with the default [Limits], compiling its paths and filters. Errors wrap
// [ErrMalformed], [ErrTooLarge], [ErrTooDeep], [ErrUnsupportedPath],
// [ErrUnsupportedSchema], [ErrUnsafePattern] or [ErrRemoteReference].
func ParseDefinition(data []byte) (*Definition, error) {
	return ParseDefinitionLimits(data, Limits{})
}

// ParseDefinitionLimits is [ParseDefinition] with explicit limits.
func ParseDefinitionLimits(data []byte, lim Limits) (*Definition, error) {
	lim = lim.withDefaults()
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: lim.MaxBytes, MaxDepth: lim.MaxDepth})
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("definition is not an object")
	}
	if err := onlyMembers(obj, "definition", "id", "name", "purpose", "format", "frame", "input_descriptors", "submission_requirements"); err != nil {
		return nil, err
	}
	d := &Definition{}
	if d.ID, ok = obj["id"].(string); !ok || d.ID == "" {
		return nil, malformed("id must be a non-empty string")
	}
	if d.Name, d.Purpose, err = namePurpose(obj); err != nil {
		return nil, err
	}
	if d.Format, err = optObject(obj, "format"); err != nil {
		return nil, err
	}
	if d.Frame, err = optObject(obj, "frame"); err != nil {
		return nil, err
	}
	descs, ok := obj["input_descriptors"].([]any)
	if !ok {
		return nil, malformed("input_descriptors must be an array")
	}
	if len(descs) > lim.MaxDescriptors {
		return nil, fmt.Errorf("pex: %d input descriptors exceed the limit of %d: %w", len(descs), lim.MaxDescriptors, ErrTooLarge)
	}
	ids := map[string]bool{}
	groups := map[string]bool{}
	for i, x := range descs {
		id, err := parseDescriptor(x, lim)
		if err != nil {
			return nil, fmt.Errorf("pex: input_descriptors[%d]: %w", i, err)
		}
		if ids[id.ID] {
			return nil, malformed("input_descriptors[%d]: duplicate id %q", i, id.ID)
		}
		ids[id.ID] = true
		for _, g := range id.Group {
			groups[g] = true
		}
		d.InputDescriptors = append(d.InputDescriptors, id)
	}
	if err := checkRelations(d); err != nil {
		return nil, err
	}
	if raw, present := obj["submission_requirements"]; present {
		reqs, ok := raw.([]any)
		if !ok || len(reqs) == 0 {
			return nil, malformed("submission_requirements must be a non-empty array")
		}
		for i, r := range reqs {
			sr, err := parseRequirement(r, groups, 0)
			if err != nil {
				return nil, fmt.Errorf("pex: submission_requirements[%d]: %w", i, err)
			}
			d.SubmissionRequirements = append(d.SubmissionRequirements, sr)
		}
	}
	return d, nil
}

func parseDescriptor(v any, lim Limits) (InputDescriptor, error) {
	var id InputDescriptor
	obj, ok := v.(map[string]any)
	if !ok {
		return id, malformed("not an object")
	}
	if err := onlyMembers(obj, "input descriptor", "id", "name", "purpose", "format", "group", "constraints"); err != nil {
		return id, err
	}
	if id.ID, ok = obj["id"].(string); !ok || id.ID == "" {
		return id, malformed("id must be a non-empty string")
	}
	var err error
	if id.Name, id.Purpose, err = namePurpose(obj); err != nil {
		return id, err
	}
	if id.Format, err = optObject(obj, "format"); err != nil {
		return id, err
	}
	if raw, present := obj["group"]; present {
		if id.Group, err = stringArray(raw, "group"); err != nil {
			return id, err
		}
	}
	cons, ok := obj["constraints"].(map[string]any)
	if !ok {
		return id, malformed("constraints must be an object")
	}
	if err := onlyMembers(cons, "constraints", "fields", "limit_disclosure", "statuses", "subject_is_issuer", "is_holder", "same_subject"); err != nil {
		return id, err
	}
	if raw, present := cons["limit_disclosure"]; present {
		if id.LimitDisclosure, ok = raw.(string); !ok || (id.LimitDisclosure != "required" && id.LimitDisclosure != "preferred") {
			return id, malformed(`limit_disclosure must be "required" or "preferred"`)
		}
	}
	if raw, present := cons["subject_is_issuer"]; present {
		if id.SubjectIsIssuer, ok = raw.(string); !ok || (id.SubjectIsIssuer != "required" && id.SubjectIsIssuer != "preferred") {
			return id, malformed(`subject_is_issuer must be "required" or "preferred"`)
		}
	}
	for _, r := range []struct {
		key string
		dst *[]Relation
	}{{"is_holder", &id.IsHolder}, {"same_subject", &id.SameSubject}} {
		raw, present := cons[r.key]
		if !present {
			continue
		}
		list, ok := raw.([]any)
		if !ok {
			return id, malformed("%s must be an array", r.key)
		}
		if len(list) > lim.MaxFields {
			return id, fmt.Errorf("pex: %d %s entries exceed the limit of %d: %w", len(list), r.key, lim.MaxFields, ErrTooLarge)
		}
		for i, x := range list {
			e, ok := x.(map[string]any)
			if !ok {
				return id, malformed("%s[%d] is not an object", r.key, i)
			}
			if err := onlyMembers(e, r.key, "field_id", "directive"); err != nil {
				return id, err
			}
			var rel Relation
			if rel.FieldIDs, err = stringArray(e["field_id"], r.key+" field_id"); err != nil {
				return id, err
			}
			if len(rel.FieldIDs) > lim.MaxFields {
				return id, fmt.Errorf("pex: %d field ids exceed the limit of %d: %w", len(rel.FieldIDs), lim.MaxFields, ErrTooLarge)
			}
			if rel.Directive, ok = e["directive"].(string); !ok || (rel.Directive != "required" && rel.Directive != "preferred") {
				return id, malformed(`%s[%d]: directive must be "required" or "preferred"`, r.key, i)
			}
			*r.dst = append(*r.dst, rel)
		}
	}
	if raw, present := cons["fields"]; present {
		fields, ok := raw.([]any)
		if !ok {
			return id, malformed("fields must be an array")
		}
		if len(fields) > lim.MaxFields {
			return id, fmt.Errorf("pex: %d fields exceed the limit of %d: %w", len(fields), lim.MaxFields, ErrTooLarge)
		}
		for i, f := range fields {
			fd, err := parseField(f, lim)
			if err != nil {
				return id, fmt.Errorf("fields[%d]: %w", i, err)
			}
			id.Fields = append(id.Fields, fd)
		}
	}
	return id, nil
}

func parseField(v any, lim Limits) (Field, error) {
	var f Field
	obj, ok := v.(map[string]any)
	if !ok {
		return f, malformed("not an object")
	}
	if err := onlyMembers(obj, "field", "id", "name", "purpose", "path", "filter", "optional", "intent_to_retain", "predicate"); err != nil {
		return f, err
	}
	var err error
	if raw, present := obj["id"]; present {
		if f.ID, ok = raw.(string); !ok {
			return f, malformed("id must be a string")
		}
	}
	if f.Name, f.Purpose, err = namePurpose(obj); err != nil {
		return f, err
	}
	if f.Path, err = stringArray(obj["path"], "path"); err != nil {
		return f, err
	}
	if len(f.Path) > lim.MaxFields {
		return f, fmt.Errorf("pex: %d paths exceed the limit of %d: %w", len(f.Path), lim.MaxFields, ErrTooLarge)
	}
	for _, p := range f.Path {
		jp, err := jsonpath.Parse(p)
		if err != nil {
			return f, fmt.Errorf("pex: path %q: %v: %w", p, err, ErrUnsupportedPath)
		}
		f.paths = append(f.paths, jp)
		f.simple = append(f.simple, simplePath(jp))
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"optional", &f.Optional}, {"intent_to_retain", &f.IntentToRetain}} {
		if raw, present := obj[b.name]; present {
			if *b.dst, ok = raw.(bool); !ok {
				return f, malformed("%s must be a boolean", b.name)
			}
		}
	}
	if raw, present := obj["filter"]; present {
		if f.Filter, ok = raw.(map[string]any); !ok {
			return f, malformed("filter must be an object")
		}
		if f.schema, err = compileFilter(f.Filter); err != nil {
			return f, err
		}
		f.check = compileCheck(f.Filter)
	}
	if raw, present := obj["predicate"]; present {
		if f.Predicate, ok = raw.(string); !ok || (f.Predicate != "required" && f.Predicate != "preferred") {
			return f, malformed(`predicate must be "required" or "preferred"`)
		}
		if f.Filter == nil {
			return f, malformed("predicate without filter")
		}
	}
	return f, nil
}

// simplePath returns the members and indexes of a path made only of child segments with
// one name or non-negative index each, such as $.credentialSubject.degree or $.a[0]; nil
// for any other path.
func simplePath(jp *jsonpath.Path) []any {
	segs := jp.Query().Segments()
	out := make([]any, 0, len(segs))
	for _, seg := range segs {
		sels := seg.Selectors()
		if seg.IsDescendant() || len(sels) != 1 {
			return nil
		}
		switch sel := sels[0].(type) {
		case spec.Name:
			out = append(out, string(sel))
		case spec.Index:
			if sel < 0 {
				return nil
			}
			out = append(out, int(sel))
		default:
			return nil
		}
	}
	return out
}

// checkPatterns makes sure every regular expression of a filter (pattern,
// patternProperties) compiles as RE2, which runs in linear time: one that needs
// backtracking (back-references, look-around) is ErrUnsafePattern. Literal data (const,
// enum, default, examples) is not searched.
func checkPatterns(v any) error {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			switch k {
			case "const", "enum", "default", "examples":
				continue
			case "pattern":
				if p, ok := x.(string); ok {
					if _, err := regexp.Compile(p); err != nil {
						return fmt.Errorf("pex: filter pattern: %v: %w", err, ErrUnsafePattern)
					}
					continue
				}
			case "patternProperties":
				if props, ok := x.(map[string]any); ok {
					for p := range props {
						if _, err := regexp.Compile(p); err != nil {
							return fmt.Errorf("pex: filter patternProperties: %v: %w", err, ErrUnsafePattern)
						}
					}
				}
			}
			if err := checkPatterns(x); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range v {
			if err := checkPatterns(x); err != nil {
				return err
			}
		}
	}
	return nil
}

const filterURL = "urn:credence:pex:filter"

// noLoader refuses every reference outside the filter, and remembers that it did.
type noLoader struct{ refused bool }

// Load refuses every URL: filters may not reference remote schemas.
func (l *noLoader) Load(url string) (any, error) {
	l.refused = true
	return nil, fmt.Errorf("pex: filter references %q: %w", url, ErrRemoteReference)
}

// compileFilter compiles a filter as a JSON Schema (draft 7 unless it names another
// draft), with no loader: any $ref outside the filter fails.
func compileFilter(filter map[string]any) (*jsonschema.Schema, error) {
	if err := checkPatterns(filter); err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	loader := &noLoader{}
	c.UseLoader(loader)
	if err := c.AddResource(filterURL, filter); err != nil {
		return nil, fmt.Errorf("pex: filter: %v: %w", err, ErrUnsupportedSchema)
	}
	s, err := c.Compile(filterURL)
	if err != nil {
		if loader.refused || errors.Is(err, ErrRemoteReference) {
			return nil, fmt.Errorf("pex: filter: %w", ErrRemoteReference)
		}
		return nil, fmt.Errorf("pex: filter: %v: %w", err, ErrUnsupportedSchema)
	}
	return s, nil
}

// checkRelations makes sure every field id that is_holder names is a field of its
// descriptor and every one that same_subject names is a field of the definition, and
// that field ids are unique across the definition.
func checkRelations(d *Definition) error {
	owner := map[string]int{}
	for i, desc := range d.InputDescriptors {
		for _, f := range desc.Fields {
			if f.ID == "" {
				continue
			}
			if _, dup := owner[f.ID]; dup {
				return malformed("field id %q is not unique", f.ID)
			}
			owner[f.ID] = i
		}
	}
	for i, desc := range d.InputDescriptors {
		for _, r := range desc.IsHolder {
			for _, id := range r.FieldIDs {
				if j, ok := owner[id]; !ok || j != i {
					return malformed("input_descriptors[%d]: is_holder names %q, not a field of the descriptor", i, id)
				}
			}
		}
		for _, r := range desc.SameSubject {
			for _, id := range r.FieldIDs {
				if _, ok := owner[id]; !ok {
					return malformed("input_descriptors[%d]: same_subject names %q, not a field of the definition", i, id)
				}
			}
		}
	}
	return nil
}

func parseRequirement(v any, groups map[string]bool, depth int) (SubmissionRequirement, error) {
	sr := SubmissionRequirement{Count: -1, Min: -1, Max: -1}
	if depth > 16 {
		return sr, fmt.Errorf("pex: submission requirements nested too deeply: %w", ErrTooDeep)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return sr, malformed("not an object")
	}
	if err := onlyMembers(obj, "submission requirement", "name", "purpose", "rule", "count", "min", "max", "from", "from_nested"); err != nil {
		return sr, err
	}
	var err error
	if sr.Name, sr.Purpose, err = namePurpose(obj); err != nil {
		return sr, err
	}
	if sr.Rule, ok = obj["rule"].(string); !ok || (sr.Rule != "all" && sr.Rule != "pick") {
		return sr, malformed(`rule must be "all" or "pick"`)
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"count", &sr.Count}, {"min", &sr.Min}, {"max", &sr.Max}} {
		raw, present := obj[n.name]
		if !present {
			continue
		}
		num, ok := raw.(json.Number)
		i, err := strconv.Atoi(string(num))
		if !ok || err != nil || i < 0 {
			return sr, malformed("%s must be a non-negative integer", n.name)
		}
		*n.dst = i
	}
	if sr.Min >= 0 && sr.Max >= 0 && sr.Min > sr.Max {
		return sr, malformed("min exceeds max")
	}
	from, hasFrom := obj["from"]
	nested, hasNested := obj["from_nested"]
	switch {
	case hasFrom == hasNested:
		return sr, malformed("exactly one of from and from_nested is required")
	case hasFrom:
		if sr.From, ok = from.(string); !ok || !groups[sr.From] {
			return sr, malformed("from must name a group of the input descriptors")
		}
	default:
		list, ok := nested.([]any)
		if !ok || len(list) == 0 {
			return sr, malformed("from_nested must be a non-empty array")
		}
		for i, n := range list {
			child, err := parseRequirement(n, groups, depth+1)
			if err != nil {
				return sr, fmt.Errorf("from_nested[%d]: %w", i, err)
			}
			sr.FromNested = append(sr.FromNested, child)
		}
	}
	return sr, nil
}

// onlyMembers refuses members the specification does not define for an object of kind
// (DIF PEX v2; the official JSON Schemas close every object the same way).
func onlyMembers(obj map[string]any, kind string, allowed ...string) error {
	for k := range obj {
		if !slices.Contains(allowed, k) {
			return malformed("%s member %q is not defined by Presentation Exchange", kind, k)
		}
	}
	return nil
}

func namePurpose(obj map[string]any) (name, purpose string, err error) {
	for _, n := range []struct {
		key string
		dst *string
	}{{"name", &name}, {"purpose", &purpose}} {
		if raw, present := obj[n.key]; present {
			s, ok := raw.(string)
			if !ok {
				return "", "", malformed("%s must be a string", n.key)
			}
			*n.dst = s
		}
	}
	return name, purpose, nil
}

func optObject(obj map[string]any, key string) (map[string]any, error) {
	raw, present := obj[key]
	if !present {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, malformed("%s must be an object", key)
	}
	return m, nil
}

func stringArray(v any, what string) ([]string, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, malformed("%s must be a non-empty array of strings", what)
	}
	out := make([]string, len(arr))
	for i, x := range arr {
		if out[i], ok = x.(string); !ok {
			return nil, malformed("%s must be a non-empty array of strings", what)
		}
	}
	return out, nil
}
