package schema

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// compile compiles doc, the schema named id, with a fresh compiler whose only loader is
// refLoader: the library's default loader reads files, and it must never run.
func (v *Validator) compile(ctx context.Context, id string, doc any) (*jsonschema.Schema, error) {
	if err := checkDialect(doc, true); err != nil {
		return nil, fmt.Errorf("schema: %s: %w", id, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	// VC JSON Schema §4.2 evaluates format as an assertion ("not an email" fails).
	c.AssertFormat()
	l := &refLoader{ctx: ctx, v: v}
	c.UseLoader(l)
	if err := c.AddResource(id, doc); err != nil {
		return nil, fmt.Errorf("schema: %s: %v: %w", id, err, ErrUnsupportedSchema)
	}
	s, err := compileSafely(c, id)
	if err != nil {
		if l.err != nil {
			return nil, fmt.Errorf("schema: %s: %w", id, l.err)
		}
		return nil, fmt.Errorf("schema: %s: %v: %w", id, err, ErrUnsupportedSchema)
	}
	if n := expansion(s, v.opts.MaxDepth, v.opts.MaxExpansion); n > v.opts.MaxExpansion {
		return nil, fmt.Errorf("schema: %s: evaluating one value may take more than %d subschema evaluations: %w", id, v.opts.MaxExpansion, ErrTooLarge)
	}
	return s, nil
}

// compileSafely compiles, turning a panic of the library into an error.
func compileSafely(c *jsonschema.Compiler, id string) (s *jsonschema.Schema, err error) {
	defer func() {
		if recover() != nil {
			s, err = nil, fmt.Errorf("compiler failed: %w", ErrUnsupportedSchema)
		}
	}()
	return c.Compile(id)
}

// refLoader loads the resources that $ref names: registered schemas, and with
// AllowRemoteReferences http(s) URLs through Fetch. It lives for one compilation, which
// runs inside Validate, so holding ctx does not outlive the call.
type refLoader struct {
	ctx   context.Context
	v     *Validator
	count int
	err   error // the first refusal, returned instead of the compiler's wrapping
}

// Load returns the decoded schema at u.
func (l *refLoader) Load(u string) (any, error) {
	doc, err := l.load(u)
	if err != nil && l.err == nil {
		l.err = err
	}
	return doc, err
}

func (l *refLoader) load(u string) (any, error) {
	l.count++
	if l.count > l.v.opts.MaxReferences {
		return nil, fmt.Errorf("more than %d referenced resources: %w", l.v.opts.MaxReferences, ErrTooLarge)
	}
	body, ok := l.v.reg.schemas[u]
	if !ok {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") {
			return nil, fmt.Errorf("$ref %s: only registered schemas and http(s) URLs: %w", u, ErrRemoteReference)
		}
		if !l.v.opts.AllowRemoteReferences || l.v.opts.Fetch == nil {
			return nil, fmt.Errorf("$ref %s is not in the Registry: %w", u, ErrRemoteReference)
		}
		if body, err = l.v.fetch(l.ctx, u, acceptSchema); err != nil {
			return nil, err
		}
	}
	doc, err := decodeSchema(body, l.v.opts.MaxSchemaBytes, l.v.opts.MaxDepth)
	if err != nil {
		return nil, fmt.Errorf("$ref %s: %w", u, err)
	}
	if err := checkDialect(doc, false); err != nil {
		return nil, fmt.Errorf("$ref %s: %w", u, err)
	}
	return doc, nil
}

// validate evaluates inst against s and turns a failure into a *ValidationError that
// names keywords and locations but never the instance's values: the library's own
// messages quote them.
func validate(s *jsonschema.Schema, inst any, id string) (err error) {
	defer func() {
		// The library has panicked on inputs it did not expect (numbers it cannot
		// parse); whatever remains is a refusal, never a crash of the verifier.
		if recover() != nil {
			err = fmt.Errorf("schema: %s: evaluation failed: %w", id, ErrUnsupportedSchema)
		}
	}()
	err = s.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		// Not about the instance: the schema could not be evaluated (an infinite $ref loop).
		return fmt.Errorf("schema: %s: evaluation failed: %w", id, ErrUnsupportedSchema)
	}
	out := &ValidationError{Schema: id}
	collect(ve, out)
	return out
}

// collect appends the innermost failures under e. The causes of anyOf, oneOf, not and
// contains are the branches that did not match, not failures of their own, so those
// keywords are reported themselves.
func collect(e *jsonschema.ValidationError, out *ValidationError) {
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf, *kind.Not, *kind.Contains:
		e = &jsonschema.ValidationError{SchemaURL: e.SchemaURL, InstanceLocation: e.InstanceLocation, ErrorKind: e.ErrorKind}
	}
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collect(c, out)
		}
		return
	}
	if len(out.Failures) == maxFailures {
		out.More++
		return
	}
	kw := e.ErrorKind.KeywordPath()
	keyword := strings.Join(kw, "/")
	if _, ok := e.ErrorKind.(*kind.FalseSchema); ok || keyword == "" {
		keyword = "false"
	}
	loc := e.SchemaURL
	if !strings.Contains(loc, "#") {
		loc += "#"
	}
	out.Failures = append(out.Failures, Failure{
		Keyword:          keyword,
		InstanceLocation: pointer(e.InstanceLocation),
		SchemaLocation:   loc + pointer(kw),
	})
}

// pointer returns the JSON Pointer (RFC 6901) of tokens.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}
