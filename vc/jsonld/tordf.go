package jsonld

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jcs"
)

// IRIs of the RDF and XSD vocabularies that the conversion writes.
const (
	rdfFirst      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
	rdfRest       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
	rdfNil        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
	rdfJSON       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
	xsdBoolean    = "http://www.w3.org/2001/XMLSchema#boolean"
	xsdInteger    = "http://www.w3.org/2001/XMLSchema#integer"
	xsdDouble     = "http://www.w3.org/2001/XMLSchema#double"
	i18nNamespace = "https://www.w3.org/ns/i18n#"
)

// ToRDF converts a JSON-LD document to an RDF dataset (JSON-LD 1.1 API §8, RDF 1.1: no
// generalized RDF, numbers and booleans as typed literals), ready for [Canonicalize]:
//
//	quads, err := jsonld.ToRDF(ctx, doc, jsonld.DefaultContexts(), jsonld.Options{RequireFirst: jsonld.CredentialsV2})
//	if err != nil {
//		return err
//	}
//	c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
//	if err != nil {
//		return err
//	}
//	digest := sha256.Sum256(c.NQuads())
//
// The document goes through every check of [Expand] first, so every member of the expanded
// document becomes a statement: nothing is dropped. The expanded document is then
// converted in one pass (Deserialize JSON-LD to RDF, JSON-LD 1.1 API §8.1, without the node
// map: statements about one node from several places come out once per place, which
// Canonicalize removes). Numbers are written as xsd:integer when integral and as
// xsd:double in canonical form otherwise, JSON literals in their RFC 8785 form, and a
// string with a base direction as a literal of datatype
// https://www.w3.org/ns/i18n#{language}_{direction} (the rdfDirection "i18n-datatype" of
// §8.6, which the reference eddsa-rdfc-2022 and ecdsa-rdfc-2019 implementations use), so
// that the direction is signed too.
//
// Errors are those of Expand, errs.ErrTooLarge beyond DefaultMaxQuads statements, and
// errs.ErrMalformed for a term that could not be written as canonical N-Quads (see
// [Canonicalize]). Blank nodes are labelled "b0", "b1", ... in a fixed order. ctx is
// checked before and after each step.
func ToRDF(ctx context.Context, doc []byte, c *Contexts, opts Options) ([]Quad, error) {
	return toRDF(ctx, doc, c, opts, nil)
}

func toRDF(ctx context.Context, doc []byte, c *Contexts, opts Options, hook loaderHook) ([]Quad, error) {
	v, err := decodeDocument(ctx, doc, c, opts)
	if err != nil {
		return nil, err
	}
	if hook == nil {
		if quads, ok := compiledToRDF(c, v); ok {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("jsonld: %w", err)
			}
			return quads, nil
		}
	}
	expanded, err := expandChecked(ctx, v, c, hook)
	if err != nil {
		return nil, err
	}
	quads, err := expandedToRDF(expanded)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: %w", err)
	}
	return quads, nil
}

// expandedToRDF converts checked expanded output (see expandedChecker) to quads.
func expandedToRDF(expanded []any) ([]Quad, error) {
	w := rdfWriter{labels: map[string]string{}}
	if err := w.nodes(expanded, Term{}); err != nil {
		return nil, err
	}
	for i, q := range w.quads {
		n, err := normalizeQuad(q)
		if err != nil {
			return nil, fmt.Errorf("jsonld: statement cannot be written as N-Quads: %v: %w", err, errs.ErrMalformed)
		}
		w.quads[i] = n
	}
	return w.quads, nil
}

// rdfWriter collects the statements of one expanded document. labels maps the blank node
// identifiers of the document to the labels issued for them.
type rdfWriter struct {
	quads  []Quad
	labels map[string]string
	next   int
}

func (w *rdfWriter) emit(s, p, o, g Term) error {
	if len(w.quads) == DefaultMaxQuads {
		return fmt.Errorf("jsonld: document has more than %d statements: %w", DefaultMaxQuads, errs.ErrTooLarge)
	}
	w.quads = append(w.quads, Quad{Subject: s, Predicate: p, Object: o, Graph: g})
	return nil
}

func (w *rdfWriter) blank() Term {
	t := Term{Kind: TermBlankNode, Value: "b" + strconv.Itoa(w.next)}
	w.next++
	return t
}

// ref returns the term for an @id or @type value: a relabelled blank node or an IRI.
func (w *rdfWriter) ref(id string) Term {
	label, ok := strings.CutPrefix(id, "_:")
	if !ok {
		return Term{Kind: TermIRI, Value: id}
	}
	if l, ok := w.labels[label]; ok {
		return Term{Kind: TermBlankNode, Value: l}
	}
	t := w.blank()
	w.labels[label] = t.Value
	return t
}

// nodes converts the node objects of a top-level array, @graph or @included in graph g.
// Anything else at that level (free-floating values and lists) carries no statement.
func (w *rdfWriter) nodes(items []any, g Term) error {
	for _, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return fmt.Errorf("jsonld: unexpected value in expanded output: %w", errs.ErrMalformed)
		}
		if _, ok := m["@value"]; ok {
			continue
		}
		if _, ok := m["@list"]; ok {
			continue
		}
		if _, err := w.node(m, g); err != nil {
			return err
		}
	}
	return nil
}

// node converts a node object in graph g and returns its subject.
func (w *rdfWriter) node(n map[string]any, g Term) (Term, error) {
	var subj Term
	if id, ok := n["@id"].(string); ok {
		subj = w.ref(id)
	} else {
		subj = w.blank()
	}
	for _, key := range sortedKeys(n) {
		v := n[key]
		switch key {
		case "@id":
		case "@type":
			a, _ := v.([]any)
			for _, t := range a {
				s, _ := t.(string)
				if err := w.emit(subj, Term{Kind: TermIRI, Value: rdfType}, w.ref(s), g); err != nil {
					return subj, err
				}
			}
		case "@graph":
			a, _ := v.([]any)
			if err := w.nodes(a, subj); err != nil {
				return subj, err
			}
		case "@included":
			a, _ := v.([]any)
			if err := w.nodes(a, g); err != nil {
				return subj, err
			}
		case "@reverse":
			r, _ := v.(map[string]any)
			for _, p := range slices.Sorted(maps.Keys(r)) {
				a, _ := r[p].([]any)
				for _, e := range a {
					m, ok := e.(map[string]any)
					if !ok {
						return subj, fmt.Errorf("jsonld: reverse property value is not a node: %w", errs.ErrMalformed)
					}
					o, err := w.node(m, g)
					if err != nil {
						return subj, err
					}
					if err := w.emit(o, Term{Kind: TermIRI, Value: p}, subj, g); err != nil {
						return subj, err
					}
				}
			}
		default:
			if ld.IsKeyword(key) {
				return subj, fmt.Errorf("jsonld: keyword %s in a node object: %w", key, errs.ErrMalformed)
			}
			pred := Term{Kind: TermIRI, Value: key}
			a, _ := v.([]any)
			for _, e := range a {
				o, err := w.object(e, g)
				if err != nil {
					return subj, err
				}
				if err := w.emit(subj, pred, o, g); err != nil {
					return subj, err
				}
			}
		}
	}
	return subj, nil
}

// object converts a property value: a value object, a list object, or a node object (a node
// reference, an embedded node or a graph object).
func (w *rdfWriter) object(v any, g Term) (Term, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Term{}, fmt.Errorf("jsonld: unexpected value in expanded output: %w", errs.ErrMalformed)
	}
	if _, ok := m["@value"]; ok {
		return literal(m)
	}
	if l, ok := m["@list"]; ok {
		a, _ := l.([]any)
		return w.list(a, g)
	}
	return w.node(m, g)
}

// list writes an RDF collection (JSON-LD 1.1 API §8.5) and returns its head.
func (w *rdfWriter) list(items []any, g Term) (Term, error) {
	if len(items) == 0 {
		return Term{Kind: TermIRI, Value: rdfNil}, nil
	}
	head := w.blank()
	cur := head
	for i, it := range items {
		o, err := w.object(it, g)
		if err != nil {
			return head, err
		}
		if err := w.emit(cur, Term{Kind: TermIRI, Value: rdfFirst}, o, g); err != nil {
			return head, err
		}
		next := Term{Kind: TermIRI, Value: rdfNil}
		if i < len(items)-1 {
			next = w.blank()
		}
		if err := w.emit(cur, Term{Kind: TermIRI, Value: rdfRest}, next, g); err != nil {
			return head, err
		}
		cur = next
	}
	return head, nil
}

// literal converts a value object (JSON-LD 1.1 API §8.6, Object to RDF Conversion).
func literal(m map[string]any) (Term, error) {
	t := Term{Kind: TermLiteral}
	datatype, _ := m["@type"].(string)
	lang, _ := m["@language"].(string)
	val := m["@value"]
	if datatype == "@json" {
		b, err := jcs.Canonicalize(val)
		if err != nil {
			return t, fmt.Errorf("jsonld: JSON literal: %w", err)
		}
		t.Value, t.Datatype = string(b), rdfJSON
		return t, nil
	}
	switch v := val.(type) {
	case bool:
		t.Value, t.Datatype = strconv.FormatBool(v), xsdBoolean
	case json.Number:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return t, fmt.Errorf("jsonld: number out of range: %w", errs.ErrMalformed)
		}
		if f != math.Trunc(f) || datatype == xsdDouble || math.Abs(f) >= 1e21 {
			t.Value, t.Datatype = ld.GetCanonicalDouble(f), xsdDouble
		} else {
			t.Value, t.Datatype = strconv.FormatInt(int64(f), 10), xsdInteger
		}
	case string:
		t.Value = v
		if d, ok := m["@direction"].(string); ok {
			t.Datatype = i18nNamespace + strings.ToLower(lang) + "_" + d
			return t, nil
		}
		switch {
		case datatype != "":
		case lang != "":
			t.Datatype, t.Language = RDFLangString, lang
		default:
			t.Datatype = XSDString
		}
	default:
		return t, fmt.Errorf("jsonld: value that is not a string, number or boolean: %w", errs.ErrMalformed)
	}
	if datatype != "" {
		t.Datatype = datatype
	}
	return t, nil
}
