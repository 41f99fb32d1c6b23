package jsonld

import (
	"context"
	"crypto"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/errs"
)

// CanonOptions configures [Canonicalize]. The zero value is the RDFC-1.0 default (SHA-256)
// with work factor 1 and at most DefaultMaxQuads quads.
type CanonOptions struct {
	// Hash is the hash function of the algorithm: crypto.SHA256 (0 means SHA-256) or
	// crypto.SHA384 (RDFC-1.0 §4.1 lets the caller choose; ecdsa-rdfc-2019 with P-384 uses it).
	Hash crypto.Hash
	// WorkFactor bounds the deep iterations of Hash N-Degree Quads (RDFC-1.0 §4.8) to n to
	// the power WorkFactor, n being the number of blank nodes whose first-degree hash is
	// shared with another, and never more than max(n, 65536) (see [Canonicalize]). 0 means
	// 1, as in the reference implementation, enough for credentials; the W3C test suite
	// needs 3. Negative values are an error wrapping errs.ErrInvalidOptions.
	WorkFactor int
	// MaxQuads is the largest input accepted, duplicates included (0 = DefaultMaxQuads).
	MaxQuads int
}

// Canonicalized is a dataset in RDFC-1.0 canonical form (RDFC-1.0 §4.4.2).
type Canonicalized struct {
	// Quads are the distinct input quads with every blank node relabelled "c14n0", "c14n1",
	// ..., sorted in the code point order of their canonical N-Quads form.
	Quads []Quad
	// Issued maps each input blank node label to its canonical label (the issued
	// identifiers map), both without "_:".
	Issued map[string]string
}

// NQuads returns the serialized canonical form (RDFC-1.0 §5): Quads in canonical N-Quads
// form, in order, each line ending "\n". It is the input to the hash of a Data Integrity
// proof.
func (c *Canonicalized) NQuads() []byte {
	return SerializeNQuads(c.Quads)
}

// Canonicalize relabels the blank nodes of a dataset with the RDFC-1.0 algorithm (W3C
// Recommendation, 21 May 2024), so that isomorphic datasets give the same [Canonicalized]
// quads and N-Quads whatever their labels and order. Duplicate quads count once.
//
// Every term is checked first, and a quad that could not be written as canonical N-Quads is
// an error wrapping errs.ErrMalformed: subjects are IRIs or blank nodes, predicates IRIs,
// graphs IRIs, blank nodes or the default graph; IRIs are absolute and free of the characters
// IRIREF excludes; blank node labels follow BLANK_NODE_LABEL; literals are valid UTF-8 with an
// absolute datatype IRI, and a language tag (LANGTAG syntax) exactly when the datatype is
// rdf:langString. More than opts.MaxQuads quads is errs.ErrTooLarge.
//
// # Work limit
//
// Blank nodes that Hash First Degree Quads tells apart cost linear work. The others, n of
// them, go through Hash N-Degree Quads, which tries every ordering of the related blank nodes
// that share a hash, and recurses: exponential in the worst case, so that an attacker's
// "poison" dataset (RDFC-1.0, Dataset Poisoning) could run for hours. Canonicalize counts
// deep iterations: each call of Hash N-Degree Quads, and each ordering it tries beyond the
// first for a hash. Recursive calls and further orderings that read or handle many quads or
// identifiers count once more for every 16 of them (the n calls the algorithm makes itself
// read each quad at most three times and count once each). When the count exceeds
// n^opts.WorkFactor, or max(n, 65536) whatever the factor, Canonicalize stops with an error
// wrapping errs.ErrCanonicalizationLimit; a deep iteration is some microseconds of work.
//
// At factor 1 every blank node may be hashed once in n degrees: datasets whose look-alike
// blank nodes (same first-degree hash) are not linked to one another pass, which covers
// credentials, in linear time; 18 of the 64 W3C eval tests need more. At factor 3 every W3C
// test passes, and the suite's poison dataset (a ten-node clique) is refused in
// milliseconds. Relabelled or reordered copies of one dataset may need slightly different
// counts (the algorithm breaks ties by input order), which matters only near the limit.
//
// ctx is checked every 64 deep iterations and every 256 blank nodes hashed; once it is done,
// the error wraps ctx.Err(). Canonicalize does not modify quads and is safe for concurrent
// use.
func Canonicalize(ctx context.Context, quads []Quad, opts CanonOptions) (*Canonicalized, error) {
	h := opts.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	if h != crypto.SHA256 && h != crypto.SHA384 {
		return nil, fmt.Errorf("jsonld: canonicalization hash %v not supported: %w", h, errs.ErrInvalidOptions)
	}
	factor := opts.WorkFactor
	if factor < 0 || opts.MaxQuads < 0 {
		return nil, fmt.Errorf("jsonld: negative canonicalization option: %w", errs.ErrInvalidOptions)
	}
	if factor == 0 {
		factor = 1
	}
	maxQuads := opts.MaxQuads
	if maxQuads == 0 {
		maxQuads = DefaultMaxQuads
	}
	if len(quads) > maxQuads {
		return nil, fmt.Errorf("jsonld: dataset of %d quads exceeds the limit of %d: %w", len(quads), maxQuads, errs.ErrTooLarge)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: canonicalization: %w", err)
	}
	s, err := newCanonState(ctx, quads, h)
	if err != nil {
		return nil, err
	}
	if err := s.run(factor); err != nil {
		return nil, err
	}
	return s.result(), nil
}

// normalizeQuad checks q as Canonicalize documents and fills in implied datatypes.
func normalizeQuad(q Quad) (Quad, error) {
	var err error
	if q.Subject, err = normalizeTerm(q.Subject, "subject", TermIRI, TermBlankNode); err != nil {
		return q, err
	}
	if q.Predicate, err = normalizeTerm(q.Predicate, "predicate", TermIRI); err != nil {
		return q, err
	}
	if q.Object, err = normalizeTerm(q.Object, "object", TermIRI, TermBlankNode, TermLiteral); err != nil {
		return q, err
	}
	if q.Graph, err = normalizeTerm(q.Graph, "graph", TermDefaultGraph, TermIRI, TermBlankNode); err != nil {
		return q, err
	}
	return q, nil
}

func normalizeTerm(t Term, pos string, kinds ...TermKind) (Term, error) {
	ok := false
	for _, k := range kinds {
		ok = ok || t.Kind == k
	}
	if !ok {
		return t, fmt.Errorf("a %v is not allowed as %s", t.Kind, pos)
	}
	if t.Kind != TermLiteral && (t.Datatype != "" || t.Language != "") {
		return t, fmt.Errorf("%s: a %v with a datatype or language", pos, t.Kind)
	}
	switch t.Kind {
	case TermDefaultGraph:
		if t.Value != "" {
			return t, fmt.Errorf("%s: default graph with a value", pos)
		}
	case TermIRI:
		if err := checkIRI(t.Value); err != nil {
			return t, fmt.Errorf("%s: %w", pos, err)
		}
		t.Value = internIRI(t.Value)
	case TermBlankNode:
		if !validLabel(t.Value) {
			return t, fmt.Errorf("%s: invalid blank node label", pos)
		}
	case TermLiteral:
		if !utf8.ValidString(t.Value) {
			return t, fmt.Errorf("%s: literal is not valid UTF-8", pos)
		}
		if t.Language != "" {
			if !validLangTag(t.Language) {
				return t, fmt.Errorf("%s: invalid language tag", pos)
			}
			if t.Datatype != "" && t.Datatype != RDFLangString {
				return t, fmt.Errorf("%s: literal with a language tag and a datatype other than rdf:langString", pos)
			}
			t.Datatype = RDFLangString
			break
		}
		switch t.Datatype {
		case "":
			t.Datatype = XSDString
		case RDFLangString:
			return t, fmt.Errorf("%s: rdf:langString literal without a language tag", pos)
		default:
			if err := checkIRI(t.Datatype); err != nil {
				return t, fmt.Errorf("%s: datatype: %w", pos, err)
			}
			t.Datatype = internIRI(t.Datatype)
		}
	}
	return t, nil
}

// canonLabel returns the canonical label issued as number k.
func canonLabel(k int32) string {
	return "c14n" + strconv.Itoa(int(k))
}
