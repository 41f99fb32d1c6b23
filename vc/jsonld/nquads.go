package jsonld

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/errs"
)

// Datatype IRIs that the N-Quads syntax implies.
const (
	// XSDString is the datatype of a literal written without a datatype or language tag.
	XSDString = "http://www.w3.org/2001/XMLSchema#string"
	// RDFLangString is the datatype of every literal with a language tag (RDF 1.1 §3.3).
	RDFLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
)

// Defaults of [NQuadsLimits] and [CanonOptions].
const (
	// DefaultMaxNQuadsBytes bounds an N-Quads document read by [ParseNQuads].
	DefaultMaxNQuadsBytes = 16 << 20
	// DefaultMaxQuads bounds the statements of a document and the quads of a dataset.
	DefaultMaxQuads = 100_000
)

// TermKind says what kind of RDF term a [Term] is.
type TermKind uint8

// Term kinds. The zero kind is the default graph, valid only as [Quad].Graph.
const (
	// TermDefaultGraph marks the default graph in Quad.Graph; no other position takes it.
	TermDefaultGraph TermKind = iota
	// TermIRI is an absolute IRI.
	TermIRI
	// TermBlankNode is a blank node; its Value is the label without the "_:" prefix.
	TermBlankNode
	// TermLiteral is a literal: lexical form, datatype and, for rdf:langString, a language tag.
	TermLiteral
)

// String returns the kind's name, such as "IRI".
func (k TermKind) String() string {
	switch k {
	case TermDefaultGraph:
		return "default graph"
	case TermIRI:
		return "IRI"
	case TermBlankNode:
		return "blank node"
	case TermLiteral:
		return "literal"
	}
	return fmt.Sprintf("TermKind(%d)", uint8(k))
}

// Term is an RDF 1.1 term. Terms are comparable with ==; [ParseNQuads] and [Canonicalize]
// return them normalized, so that equal terms are equal values: a literal always carries its
// datatype (XSDString when none was written, RDFLangString with a language tag).
//
// Value is the IRI, the blank node label (without "_:") or the literal's lexical form, with
// escapes decoded. Datatype and Language are set only on literals; an empty Datatype is read
// as XSDString, or RDFLangString when Language is set. The zero Term is the default graph.
type Term struct {
	Kind     TermKind
	Value    string
	Datatype string
	Language string
}

// String returns the term in canonical N-Quads form (an IRI in angle brackets, "_:" and the
// label, a quoted and escaped literal), or "" for the default graph. It does not check the
// term: see [Canonicalize] for what a valid term is.
func (t Term) String() string {
	return string(appendTerm(nil, t))
}

// Quad is an RDF statement in a named graph, or in the default graph when Graph is the zero
// Term. Quads are comparable with ==.
type Quad struct {
	Subject, Predicate, Object, Graph Term
}

// String returns the quad as one canonical N-Quads statement, without the line end.
func (q Quad) String() string {
	b := appendQuad(nil, q)
	return string(b[:len(b)-1])
}

// NQuadsLimits bounds what [ParseNQuads] reads. The zero value applies the defaults; a
// negative field is an error wrapping errs.ErrInvalidOptions.
type NQuadsLimits struct {
	// MaxBytes is the largest document accepted, checked before parsing
	// (0 = DefaultMaxNQuadsBytes).
	MaxBytes int
	// MaxQuads is the largest number of statements accepted, checked while parsing
	// (0 = DefaultMaxQuads).
	MaxQuads int
}

// ParseNQuads reads an RDF 1.1 N-Quads document (W3C Recommendation, 25 February 2014) and
// returns its statements in document order, duplicates included.
//
// The grammar is applied strictly: one statement per line, IRIs absolute (with a scheme) and
// free of the characters that IRIREF excludes, also when written as \u or \U escapes; escapes
// must be \u with 4 or \U with 8 hex digits naming a Unicode scalar value, or one of the ECHAR
// escapes; blank node labels and language tags follow BLANK_NODE_LABEL and LANGTAG; the input
// must be valid UTF-8. Comments and blank lines are allowed; a byte order mark is not.
//
// Errors wrap errs.ErrTooLarge (a document or statement count over the limit) or
// errs.ErrMalformed (with the line number; messages never quote the input). Returned strings
// may share memory with one copy of data, never with data itself. ParseNQuads is safe for
// concurrent use.
func ParseNQuads(data []byte, lim NQuadsLimits) ([]Quad, error) {
	maxBytes, maxQuads := lim.MaxBytes, lim.MaxQuads
	if maxBytes < 0 || maxQuads < 0 {
		return nil, fmt.Errorf("jsonld: negative N-Quads limit: %w", errs.ErrInvalidOptions)
	}
	if maxBytes == 0 {
		maxBytes = DefaultMaxNQuadsBytes
	}
	if maxQuads == 0 {
		maxQuads = DefaultMaxQuads
	}
	if len(data) > maxBytes {
		return nil, fmt.Errorf("jsonld: N-Quads document of %d bytes exceeds the limit of %d: %w", len(data), maxBytes, errs.ErrTooLarge)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("jsonld: N-Quads document is not valid UTF-8: %w", errs.ErrMalformed)
	}
	p := nqParser{s: string(data), line: 1}
	// At most one statement a line, and a statement takes at least 10 bytes (_:a<a:>"".).
	quads := make([]Quad, 0, min(bytes.Count(data, []byte{'\n'})+1, len(data)/10+1, maxQuads))
	for {
		p.skipSpace()
		if p.i == len(p.s) {
			return quads, nil
		}
		switch p.s[p.i] {
		case '\n', '\r':
			p.newline()
			continue
		case '#':
			p.skipComment()
			continue
		}
		if len(quads) == maxQuads {
			return nil, fmt.Errorf("jsonld: N-Quads document has more than %d statements: %w", maxQuads, errs.ErrTooLarge)
		}
		q, err := p.statement()
		if err != nil {
			return nil, err
		}
		quads = append(quads, q)
	}
}

// nqParser reads N-Quads from s, a valid UTF-8 string; i is the offset of the next byte.
type nqParser struct {
	s    string
	i    int
	line int
}

func (p *nqParser) fail(format string, args ...any) error {
	return fmt.Errorf("jsonld: N-Quads line %d: %s: %w", p.line, fmt.Sprintf(format, args...), errs.ErrMalformed)
}

func (p *nqParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// newline consumes one line end: LF, CR or CR LF.
func (p *nqParser) newline() {
	if p.s[p.i] == '\r' && p.i+1 < len(p.s) && p.s[p.i+1] == '\n' {
		p.i++
	}
	p.i++
	p.line++
}

func (p *nqParser) skipComment() {
	for p.i < len(p.s) && p.s[p.i] != '\n' && p.s[p.i] != '\r' {
		p.i++
	}
}

// statement reads subject predicate object graphLabel? '.' and what may follow on its line.
func (p *nqParser) statement() (Quad, error) {
	var q Quad
	var err error
	if q.Subject, err = p.term("subject"); err != nil {
		return q, err
	}
	if q.Subject.Kind == TermLiteral {
		return q, p.fail("a literal cannot be a subject")
	}
	p.skipSpace()
	if q.Predicate, err = p.term("predicate"); err != nil {
		return q, err
	}
	if q.Predicate.Kind != TermIRI {
		return q, p.fail("the predicate must be an IRI")
	}
	p.skipSpace()
	if q.Object, err = p.term("object"); err != nil {
		return q, err
	}
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] != '.' {
		if q.Graph, err = p.term("graph label"); err != nil {
			return q, err
		}
		if q.Graph.Kind == TermLiteral {
			return q, p.fail("a literal cannot be a graph label")
		}
		p.skipSpace()
	}
	if p.i == len(p.s) || p.s[p.i] != '.' {
		return q, p.fail("statement does not end with '.'")
	}
	p.i++
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '#' {
		p.skipComment()
	}
	if p.i < len(p.s) && p.s[p.i] != '\n' && p.s[p.i] != '\r' {
		return q, p.fail("more than one statement on a line")
	}
	return q, nil
}

// term reads an IRI, a blank node or a literal; what names the position for messages.
func (p *nqParser) term(what string) (Term, error) {
	if p.i == len(p.s) {
		return Term{}, p.fail("missing %s", what)
	}
	switch p.s[p.i] {
	case '<':
		v, err := p.iri()
		return Term{Kind: TermIRI, Value: v}, err
	case '_':
		v, err := p.blankNode()
		return Term{Kind: TermBlankNode, Value: v}, err
	case '"':
		return p.literal()
	}
	return Term{}, p.fail("%s is not an IRI, blank node or literal", what)
}

// iri reads IRIREF: '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>', and checks the decoded IRI.
func (p *nqParser) iri() (string, error) {
	p.i++ // '<'
	start := p.i
	var buf []byte // decoded text when there are escapes
	for {
		if p.i == len(p.s) {
			return "", p.fail("unterminated IRI")
		}
		c := p.s[p.i]
		if c == '>' {
			break
		}
		if c == '\\' {
			if buf == nil {
				buf = append(make([]byte, 0, p.i-start+8), p.s[start:p.i]...)
			}
			r, err := p.uchar()
			if err != nil {
				return "", err
			}
			buf = utf8.AppendRune(buf, r)
			continue
		}
		if forbiddenInIRI(c) {
			return "", p.fail("character U+%04X not allowed in an IRI", c)
		}
		if buf != nil {
			buf = append(buf, c)
		}
		p.i++
	}
	v := p.s[start:p.i]
	p.i++ // '>'
	if buf != nil {
		// Escapes may name characters that IRIREF excludes.
		v = string(buf)
		if err := checkIRI(v); err != nil {
			return "", p.fail("%v", err)
		}
	} else if !absolute(v) {
		return "", p.fail("IRI is not absolute")
	}
	return internIRI(v), nil
}

// uchar reads \uXXXX or \UXXXXXXXX at p.i and returns the scalar value it names.
func (p *nqParser) uchar() (rune, error) {
	if p.i+1 >= len(p.s) {
		return 0, p.fail("unterminated escape")
	}
	n := 0
	switch p.s[p.i+1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, p.fail("invalid escape")
	}
	if p.i+2+n > len(p.s) {
		return 0, p.fail("truncated \\%c escape", p.s[p.i+1])
	}
	var r rune
	for _, c := range []byte(p.s[p.i+2 : p.i+2+n]) {
		d, ok := hexDigit(c)
		if !ok {
			return 0, p.fail("invalid hex digit in \\%c escape", p.s[p.i+1])
		}
		r = r<<4 | rune(d)
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, p.fail("escape does not name a Unicode scalar value")
	}
	p.i += 2 + n
	return r, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// blankNode reads BLANK_NODE_LABEL: '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
func (p *nqParser) blankNode() (string, error) {
	if !strings.HasPrefix(p.s[p.i:], "_:") {
		return "", p.fail("invalid blank node")
	}
	p.i += 2
	n := labelLen(p.s[p.i:])
	if n == 0 {
		return "", p.fail("invalid blank node label")
	}
	v := p.s[p.i : p.i+n]
	p.i += n
	return v, nil
}

// labelLen returns the length of the longest blank node label at the start of s, or 0.
func labelLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || !(pnCharsU(r) || ('0' <= r && r <= '9')) {
		return 0
	}
	end := size // end of the label so far: never after a '.'
	for i := size; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '.' {
			i += size
			continue
		}
		if !pnChars(r) {
			break
		}
		i += size
		end = i
	}
	return end
}

// validLabel reports whether s is a whole blank node label.
func validLabel(s string) bool {
	return s != "" && labelLen(s) == len(s)
}

// pnCharsBase is PN_CHARS_BASE of N-Triples 1.1.
func pnCharsBase(r rune) bool {
	switch {
	case 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z':
		return true
	case r < 0xC0:
		return false
	case r <= 0xD6, 0xD8 <= r && r <= 0xF6, 0xF8 <= r && r <= 0x2FF,
		0x370 <= r && r <= 0x37D, 0x37F <= r && r <= 0x1FFF, 0x200C <= r && r <= 0x200D,
		0x2070 <= r && r <= 0x218F, 0x2C00 <= r && r <= 0x2FEF, 0x3001 <= r && r <= 0xD7FF,
		0xF900 <= r && r <= 0xFDCF, 0xFDF0 <= r && r <= 0xFFFD, 0x10000 <= r && r <= 0xEFFFF:
		return true
	}
	return false
}

// pnCharsU is PN_CHARS_U of N-Triples 1.1, which includes ':'.
func pnCharsU(r rune) bool { return r == '_' || r == ':' || pnCharsBase(r) }

// pnChars is PN_CHARS of N-Triples 1.1.
func pnChars(r rune) bool {
	return pnCharsU(r) || r == '-' || ('0' <= r && r <= '9') || r == 0xB7 ||
		(0x300 <= r && r <= 0x36F) || (0x203F <= r && r <= 0x2040)
}

// literal reads STRING_LITERAL_QUOTE ('^^' IRIREF | LANGTAG)?
func (p *nqParser) literal() (Term, error) {
	p.i++ // '"'
	start := p.i
	var buf []byte
	for {
		if p.i == len(p.s) {
			return Term{}, p.fail("unterminated literal")
		}
		c := p.s[p.i]
		if c == '"' {
			break
		}
		switch c {
		case '\n', '\r':
			return Term{}, p.fail("line end inside a literal")
		case '\\':
			if buf == nil {
				buf = append(make([]byte, 0, p.i-start+8), p.s[start:p.i]...)
			}
			if p.i+1 < len(p.s) {
				if e, ok := echar(p.s[p.i+1]); ok {
					buf = append(buf, e)
					p.i += 2
					continue
				}
			}
			r, err := p.uchar()
			if err != nil {
				return Term{}, err
			}
			buf = utf8.AppendRune(buf, r)
			continue
		}
		if buf != nil {
			buf = append(buf, c)
		}
		p.i++
	}
	t := Term{Kind: TermLiteral, Value: p.s[start:p.i], Datatype: XSDString}
	p.i++ // '"'
	if buf != nil {
		t.Value = string(buf)
	}
	switch {
	case strings.HasPrefix(p.s[p.i:], "^^"):
		p.i += 2
		if p.i == len(p.s) || p.s[p.i] != '<' {
			return Term{}, p.fail("datatype is not an IRI")
		}
		dt, err := p.iri()
		if err != nil {
			return Term{}, err
		}
		if dt == RDFLangString {
			return Term{}, p.fail("rdf:langString literal without a language tag")
		}
		t.Datatype = dt
	case p.i < len(p.s) && p.s[p.i] == '@':
		p.i++
		n := langTagLen(p.s[p.i:])
		if n == 0 {
			return Term{}, p.fail("invalid language tag")
		}
		t.Language = p.s[p.i : p.i+n]
		t.Datatype = RDFLangString
		p.i += n
	}
	return t, nil
}

// echar decodes the character after '\' of an ECHAR: [tbnrf"'\].
func echar(c byte) (byte, bool) {
	switch c {
	case 't':
		return '\t', true
	case 'b':
		return '\b', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 'f':
		return '\f', true
	case '"', '\'', '\\':
		return c, true
	}
	return 0, false
}

// langTagLen returns the length of the LANGTAG (without '@') at the start of s:
// [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*, or 0.
func langTagLen(s string) int {
	i := 0
	for i < len(s) && isAlpha(s[i]) {
		i++
	}
	if i == 0 {
		return 0
	}
	for i+1 < len(s) && s[i] == '-' && isAlnum(s[i+1]) {
		i++
		for i < len(s) && isAlnum(s[i]) {
			i++
		}
	}
	return i
}

func validLangTag(s string) bool { return s != "" && langTagLen(s) == len(s) }

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isAlnum(c byte) bool { return isAlpha(c) || ('0' <= c && c <= '9') }

// forbiddenInIRI reports the bytes that IRIREF excludes: #x00-#x20 and <>"{}|^`\.
func forbiddenInIRI(c byte) bool {
	const (
		lo uint64 = 1<<('"') | 1<<('<') | 1<<('>') | (1<<0x21 - 1) // bytes 0 to 63
		hi uint64 = 1<<('\\'-64) | 1<<('^'-64) | 1<<('`'-64) | 1<<('{'-64) | 1<<('|'-64) | 1<<('}'-64)
	)
	switch {
	case c < 64:
		return lo>>c&1 != 0
	case c < 128:
		return hi>>(c-64)&1 != 0
	}
	return false
}

// checkIRI checks a decoded IRI: valid UTF-8, absolute, and written without escapes in
// canonical N-Quads, so free of the characters IRIREF excludes.
func checkIRI(v string) error {
	ascii := true
	for i := 0; i < len(v); i++ {
		if forbiddenInIRI(v[i]) {
			return fmt.Errorf("character U+%04X not allowed in an IRI", v[i])
		}
		ascii = ascii && v[i] < utf8.RuneSelf
	}
	if !ascii && !utf8.ValidString(v) {
		return fmt.Errorf("IRI is not valid UTF-8")
	}
	if !absolute(v) {
		return fmt.Errorf("IRI is not absolute")
	}
	return nil
}

// absolute reports whether v starts with a scheme and ':' (RFC 3987 §2.2:
// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )).
func absolute(v string) bool {
	if v == "" || !isAlpha(v[0]) {
		return false
	}
	for i := 1; i < len(v); i++ {
		c := v[i]
		if c == ':' {
			return true
		}
		if !isAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return false
}

// internIRI returns a constant for the IRIs that nearly every credential repeats, so a
// parsed dataset does not pin its document for them and Terms compare fast.
func internIRI(v string) string {
	switch v {
	case XSDString:
		return XSDString
	case RDFLangString:
		return RDFLangString
	case rdfType:
		return rdfType
	}
	return v
}

const rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

// SerializeNQuads writes quads in canonical N-Quads form (RDF 1.2 N-Quads §Canonical N-Quads,
// as RDFC-1.0 §5 requires), one statement per line in the given order, each ending "\n":
// single spaces between terms, " ." at the end, IRIs and characters written as they are, and
// in literals only \" \\ \b \t \n \f \r and \u with uppercase hex for the other control
// characters (U+0000 to U+001F and U+007F). The datatype is omitted for xsd:string and for
// literals with a language tag.
//
// It does not validate: quads that [ParseNQuads] or [Canonicalize] returned serialize to a
// document that ParseNQuads reads back as the same quads; for other terms (an IRI with a space,
// an invalid label) the output need not be valid N-Quads.
func SerializeNQuads(quads []Quad) []byte {
	n := 0
	for i := range quads {
		q := &quads[i]
		n += len(q.Subject.Value) + len(q.Predicate.Value) + len(q.Object.Value) + len(q.Object.Datatype) +
			len(q.Object.Language) + len(q.Graph.Value) + 16
	}
	b := make([]byte, 0, n)
	for _, q := range quads {
		b = appendQuad(b, q)
	}
	return b
}

// appendQuad appends q as a canonical N-Quads statement, line end included.
func appendQuad(b []byte, q Quad) []byte {
	b = appendTerm(b, q.Subject)
	b = append(b, ' ')
	b = appendTerm(b, q.Predicate)
	b = append(b, ' ')
	b = appendTerm(b, q.Object)
	if q.Graph.Kind != TermDefaultGraph {
		b = append(b, ' ')
		b = appendTerm(b, q.Graph)
	}
	return append(b, " .\n"...)
}

// appendTerm appends t in canonical N-Quads form.
func appendTerm(b []byte, t Term) []byte {
	switch t.Kind {
	case TermIRI:
		b = append(b, '<')
		b = append(b, t.Value...)
		return append(b, '>')
	case TermBlankNode:
		b = append(b, "_:"...)
		return append(b, t.Value...)
	case TermLiteral:
		b = appendLiteral(b, t.Value)
		switch {
		case t.Language != "":
			b = append(b, '@')
			b = append(b, t.Language...)
		case t.Datatype != "" && t.Datatype != XSDString:
			b = append(b, "^^<"...)
			b = append(b, t.Datatype...)
			b = append(b, '>')
		}
	}
	return b
}

// appendLiteral appends s as STRING_LITERAL_QUOTE in canonical form.
func appendLiteral(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7F {
			continue
		}
		b = append(b, s[start:i]...)
		start = i + 1
		switch c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\b':
			b = append(b, `\b`...)
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\f':
			b = append(b, `\f`...)
		case '\r':
			b = append(b, `\r`...)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
