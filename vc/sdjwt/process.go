package sdjwt

import (
	"fmt"
	"slices"
)

// processor turns an Issuer-signed payload and a set of disclosures into the processed
// payload (RFC 9901 §7.1 step 3), enforcing every rule of §7.1 steps 3 to 5 and the
// limits. It mutates the payload and the disclosure values it is given, which the caller
// decoded for it alone.
type processor struct {
	alg      hashAlg
	discs    []disclosure
	byDigest map[string]int // digest of each disclosure -> its index
	// seen collects every digest met in the payload and the disclosures, checked for
	// repeats at the end: sorting a slice costs less than a growing map.
	seen     []string
	maxDepth int
	// plainTop holds the top-level claims that must stay in plain text, with everything
	// inside them (SD-JWT VC §3.2.2.2); nil for kinds without such a rule.
	plainTop map[string]bool
	stack    []component // the path to the value being processed
	stackBuf [16]component
	// shape, when not nil, records where digests without a disclosure sat, for the
	// claim metadata checks of type metadata; nil when nobody asked.
	shape *shape
}

// component is one step of the path being processed, kept unboxed so that walking the
// payload does not allocate.
type component struct {
	name  string
	index int // array index; -1 for an object member
	rank  int // for a member from a disclosure, its digest's position in _sd; else -1
}

// before orders two paths of disclosures as a depth-first walk of the payload visits
// them when it takes, in each object, the disclosed members in the order of _sd first
// and then the plain members by name: the order of the reference implementation.
func before(a, b []component) bool {
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		switch {
		case x.index >= 0 || y.index >= 0:
			if x.index != y.index {
				return x.index < y.index
			}
		case x.rank >= 0 && y.rank >= 0:
			if x.rank != y.rank {
				return x.rank < y.rank
			}
		case x.rank >= 0 || y.rank >= 0:
			return x.rank >= 0
		case x.name != y.name:
			return x.name < y.name
		}
	}
	return len(a) < len(b)
}

// pathOfComponents converts a recorded position to a Path.
func pathOfComponents(cs []component) Path {
	out := make(Path, len(cs))
	for i, c := range cs {
		if c.index >= 0 {
			out[i] = c.index
		} else {
			out[i] = c.name
		}
	}
	return out
}

// vcPlainClaims are the SD-JWT VC claims that "MUST NOT be included in Disclosures",
// including any of their sub-claims (draft-ietf-oauth-sd-jwt-vc §3.2.2.2).
var vcPlainClaims = map[string]bool{
	"iss": true, "nbf": true, "exp": true, "cnf": true, "vct": true,
	"vct#integrity": true, "aka_vcts": true, "status": true,
}

// newProcessor decodes the disclosures and computes their digests. Two identical
// disclosures are ErrDuplicateDisclosure.
func newProcessor(encoded []string, alg hashAlg, maxDepth int, plainTop map[string]bool) (*processor, error) {
	p := &processor{
		alg:      alg,
		byDigest: make(map[string]int, len(encoded)),
		seen:     make([]string, 0, 2*len(encoded)+16),
		maxDepth: maxDepth,
		plainTop: plainTop,
	}
	p.stack = p.stackBuf[:0]
	if len(encoded) == 0 {
		return p, nil
	}
	discs, err := decodeDisclosures(encoded, maxDepth)
	if err != nil {
		return nil, err
	}
	for i := range discs {
		d := &discs[i]
		d.digest = alg.sum([]byte(d.encoded))
		if j, dup := p.byDigest[d.digest]; dup {
			return nil, fmt.Errorf("sdjwt: disclosures %d and %d are the same: %w", j, i, ErrDuplicateDisclosure)
		}
		p.byDigest[d.digest] = i
	}
	p.discs = discs
	return p, nil
}

// run processes the payload (whose _sd_alg the caller has already read and removed) and
// checks that every disclosure was used.
func (p *processor) run(payload map[string]any) (map[string]any, error) {
	if _, err := p.object(payload, 1, -1, true, false); err != nil {
		return nil, err
	}
	slices.Sort(p.seen)
	for i := 1; i < len(p.seen); i++ {
		if p.seen[i] == p.seen[i-1] {
			return nil, fmt.Errorf("sdjwt: a digest appears more than once: %w", ErrDuplicateDigest)
		}
	}
	for i := range p.discs {
		if !p.discs[i].used {
			return nil, fmt.Errorf("sdjwt: disclosure %d is not referenced by the payload or another disclosure: %w", i, ErrUnreferencedDisclosure)
		}
	}
	return payload, nil
}

func (p *processor) value(v any, depth, parent int, plain bool) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		return p.object(t, depth, parent, false, plain)
	case []any:
		return p.array(t, depth, parent, plain)
	}
	return v, nil
}

// object processes the members of m in place (§7.1 step 3.3.2). plain says m lies
// inside a claim that must stay in plain text, where no digest may appear.
func (p *processor) object(m map[string]any, depth, parent int, root, plain bool) (map[string]any, error) {
	if depth > p.maxDepth {
		return nil, fmt.Errorf("sdjwt: payload at %s nested more deeply than %d levels: %w", p.where(), p.maxDepth, ErrTooDeep)
	}
	var digests []any
	if raw, ok := m[keySD]; ok {
		arr, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("sdjwt: _sd at %s is not an array: %w", p.where(), ErrInvalidDigest)
		}
		digests = arr
		delete(m, keySD)
	}
	if _, ok := m[keyArray]; ok {
		return nil, fmt.Errorf("sdjwt: member \"...\" at %s outside an array element: %w", p.where(), ErrInvalidDigest)
	}
	if _, ok := m[keySDAlg]; ok && !root {
		return nil, fmt.Errorf("sdjwt: _sd_alg at %s below the top level: %w", p.where(), ErrMalformed)
	}
	for k, v := range m {
		switch v.(type) {
		case map[string]any, []any:
		default:
			continue
		}
		p.push(k, -1, -1)
		nv, err := p.value(v, depth+1, parent, plain || root && p.plainTop[k])
		p.pop()
		if err != nil {
			return nil, err
		}
		m[k] = nv
	}
	for rank, e := range digests {
		dig, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("sdjwt: _sd at %s holds a non-string: %w", p.where(), ErrInvalidDigest)
		}
		i, err := p.lookup(dig, plain)
		if err != nil || i < 0 {
			if err != nil {
				return nil, err
			}
			if p.shape != nil {
				p.shape.hidden[pathKey(p.stack)] = true
			}
			continue // a decoy, or a claim the holder did not disclose
		}
		d := &p.discs[i]
		if d.element {
			return nil, fmt.Errorf("sdjwt: disclosure %d is an array element but its digest is in _sd at %s: %w", i, p.where(), ErrInvalidDisclosure)
		}
		switch d.name {
		case keySD, keyArray, keySDAlg:
			return nil, fmt.Errorf("sdjwt: disclosure %d is named %q: %w", i, d.name, ErrReservedClaimDisclosed)
		}
		if root && p.plainTop[d.name] {
			return nil, fmt.Errorf("sdjwt: disclosure %d discloses %s, which must be in plain text: %w", i, d.name, ErrReservedClaimDisclosed)
		}
		if _, exists := m[d.name]; exists {
			return nil, fmt.Errorf("sdjwt: disclosure %d names %q, already a claim at %s: %w", i, d.name, p.where(), ErrDisclosureOverwrite)
		}
		p.push(d.name, -1, rank)
		d.used, d.parent, d.at = true, parent, slices.Clone(p.stack)
		nv, err := p.value(d.value, depth+1, i, plain)
		p.pop()
		if err != nil {
			return nil, err
		}
		m[d.name] = nv
	}
	return m, nil
}

// array processes the elements of a in place (§7.1 step 3.3.3): disclosed elements take
// the place of their digests, and digests without a disclosure are removed (step 3.4).
func (p *processor) array(a []any, depth, parent int, plain bool) ([]any, error) {
	if depth > p.maxDepth {
		return nil, fmt.Errorf("sdjwt: payload at %s nested more deeply than %d levels: %w", p.where(), p.maxDepth, ErrTooDeep)
	}
	out := a[:0]     // filtering in place: out never overtakes the element being read
	var issued []int // with p.shape: the issued index of each element kept
	for k, e := range a {
		if p.shape != nil {
			issued = append(issued[:len(out)], k)
		}
		if m, ok := e.(map[string]any); ok {
			if raw, ok := m[keyArray]; ok {
				dig, ok := raw.(string)
				if !ok || len(m) != 1 {
					return nil, fmt.Errorf("sdjwt: array element at %s/%d is not {\"...\": digest}: %w", p.where(), len(out), ErrInvalidDigest)
				}
				i, err := p.lookup(dig, plain)
				if err != nil {
					return nil, err
				}
				if i < 0 {
					if p.shape != nil {
						p.shape.hidden[pathKey(p.stack)] = true
					}
					continue
				}
				d := &p.discs[i]
				if !d.element {
					return nil, fmt.Errorf("sdjwt: disclosure %d is an object property but its digest is an array element at %s: %w", i, p.where(), ErrInvalidDisclosure)
				}
				p.push("", len(out), -1)
				d.used, d.parent, d.at = true, parent, slices.Clone(p.stack)
				nv, err := p.value(d.value, depth+1, i, plain)
				p.pop()
				if err != nil {
					return nil, err
				}
				out = append(out, nv)
				continue
			}
		}
		switch e.(type) {
		case map[string]any, []any:
			p.push("", len(out), -1)
			nv, err := p.value(e, depth+1, parent, plain)
			p.pop()
			if err != nil {
				return nil, err
			}
			e = nv
		}
		out = append(out, e)
	}
	clear(a[len(out):])
	if p.shape != nil && len(out) < len(a) {
		p.shape.array(p.stack, issued[:len(out)], len(a))
	}
	return out, nil
}

// lookup checks a digest found in the payload or a disclosure and returns the index of
// its disclosure, or -1 when none was sent.
func (p *processor) lookup(dig string, plain bool) (int, error) {
	if !p.alg.validDigest(dig) {
		return 0, fmt.Errorf("sdjwt: digest at %s is not a base64url %s digest: %w", p.where(), p.alg.name, ErrInvalidDigest)
	}
	if plain {
		return 0, fmt.Errorf("sdjwt: digest at %s, inside a claim that must be in plain text: %w", p.where(), ErrReservedClaimDisclosed)
	}
	p.seen = append(p.seen, dig)
	i, ok := p.byDigest[dig]
	if !ok {
		return -1, nil
	}
	if p.discs[i].used {
		return 0, fmt.Errorf("sdjwt: digest at %s appears more than once: %w", p.where(), ErrDuplicateDigest)
	}
	return i, nil
}

func (p *processor) push(name string, index, rank int) {
	p.stack = append(p.stack, component{name, index, rank})
}

func (p *processor) pop() { p.stack = p.stack[:len(p.stack)-1] }

// where names the current position for an error message: a JSON Pointer of claim
// names and indices, which the verifier sees anyway, never a value.
func (p *processor) where() string {
	if len(p.stack) == 0 {
		return "/"
	}
	return pathOfComponents(p.stack).String()
}
