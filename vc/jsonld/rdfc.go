package jsonld

import (
	"bytes"
	"context"
	"crypto"
	_ "crypto/sha256" // crypto.SHA256 for RDFC-1.0
	_ "crypto/sha512" // crypto.SHA384 for RDFC-1.0
	"encoding/hex"
	"fmt"
	"hash"
	"hash/maphash"
	"math"
	"slices"
	"strconv"

	"github.com/credence-dev/credence/internal/errs"
)

// canonState is the canonicalization state of RDFC-1.0 §4.2 for one run, with the blank
// nodes numbered in the order they first appear (subject, object, graph of each quad).
type canonState struct {
	ctx   context.Context
	h     hash.Hash
	sum   []byte
	quads []cquad

	labels    []string  // node -> input label
	nodeQuads [][]int32 // node -> quads it appears in (the blank node to quads map)
	firstHash []string  // node -> Hash First Degree Quads
	canon     []int32   // node -> number issued by the canonical issuer, or -1
	nextCanon int32

	// Work accounting: deep iterations (calls of Hash N-Degree Quads and the permutations
	// they examine) so far, and the most allowed.
	work, maxWork int64
	spent         int64 // calls of spend, for checking ctx
}

// cquad is a distinct input quad with its blank nodes numbered and its other terms written.
type cquad struct {
	q    Quad
	node [3]int32  // blank node of subject, object and graph, or -1
	enc  [4]string // canonical N-Quads of subject, predicate, object and graph when not blank
	// (set only in quads with a blank node, the only ones hashed)
}

// Positions of a related blank node (RDFC-1.0 §4.7), in the order of cquad.node.
var positions = [3]byte{'s', 'o', 'g'}

func newCanonState(ctx context.Context, quads []Quad, h crypto.Hash) (*canonState, error) {
	s := &canonState{ctx: ctx, h: h.New()}
	// Duplicates are found by a hash of the quad; quads with equal hashes are compared.
	seed := maphash.MakeSeed()
	seen := make(map[uint64]int32, len(quads)) // hash -> first quad with it
	var sameHash []int32                       // quad -> next quad with its hash, or -1
	nodes := make(map[string]int32)
	s.quads = make([]cquad, 0, len(quads))
	// The terms of quads with blank nodes are written once, into one buffer.
	var buf []byte
	var spans [][4][2]int32
	for i, q := range quads {
		q, err := normalizeQuad(q)
		if err != nil {
			return nil, fmt.Errorf("jsonld: quad %d: %v: %w", i, err, errs.ErrMalformed)
		}
		qi := int32(len(s.quads))
		hq := maphash.Comparable(seed, q)
		first, ok := seen[hq]
		dup := false
		for j := first; ok && j >= 0 && !dup; j = sameHash[j] {
			dup = s.quads[j].q == q
		}
		if dup {
			continue
		}
		if ok {
			// Chain the new quad in second place.
			sameHash = append(sameHash, sameHash[first])
			sameHash[first] = qi
		} else {
			seen[hq] = qi
			sameHash = append(sameHash, -1)
		}
		c := cquad{q: q, node: [3]int32{-1, -1, -1}}
		for k, t := range [3]*Term{&q.Subject, &q.Object, &q.Graph} {
			if t.Kind != TermBlankNode {
				continue
			}
			n, ok := nodes[t.Value]
			if !ok {
				n = int32(len(s.labels))
				nodes[t.Value] = n
				s.labels = append(s.labels, t.Value)
				s.nodeQuads = append(s.nodeQuads, nil)
			}
			c.node[k] = n
			// A quad is listed once per blank node, however often the node occurs in it.
			if l := s.nodeQuads[n]; len(l) == 0 || l[len(l)-1] != qi {
				s.nodeQuads[n] = append(l, qi)
			}
		}
		var span [4][2]int32
		if c.node != [3]int32{-1, -1, -1} {
			for k, t := range [4]*Term{&q.Subject, &q.Predicate, &q.Object, &q.Graph} {
				span[k][0] = int32(len(buf))
				if t.Kind != TermBlankNode {
					buf = appendTerm(buf, *t)
				}
				span[k][1] = int32(len(buf))
			}
		}
		spans = append(spans, span)
		s.quads = append(s.quads, c)
	}
	terms := string(buf)
	for i := range s.quads {
		for k, sp := range spans[i] {
			s.quads[i].enc[k] = terms[sp[0]:sp[1]]
		}
	}
	s.firstHash = make([]string, len(s.labels))
	s.canon = make([]int32, len(s.labels))
	for i := range s.canon {
		s.canon[i] = -1
	}
	return s, nil
}

// run is the Canonicalization Algorithm, RDFC-1.0 §4.4.3 steps 3 to 5.
func (s *canonState) run(factor int) error {
	// Step 3: first-degree hashes, grouped, each group in node order.
	groups := make(map[string][]int32)
	var line []byte
	var lines [][]byte
	for n := range s.labels {
		if n%256 == 255 {
			if err := s.ctx.Err(); err != nil {
				return fmt.Errorf("jsonld: canonicalization: %w", err)
			}
		}
		line, lines = s.hashFirstDegree(int32(n), line, lines)
		s.firstHash[n] = s.hexSum()
		groups[s.firstHash[n]] = append(groups[s.firstHash[n]], int32(n))
	}
	hashes := make([]string, 0, len(groups))
	for h := range groups {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)

	// Step 4: blank nodes with a unique first-degree hash, in hash order.
	nonUnique := 0
	for _, h := range hashes {
		if g := groups[h]; len(g) == 1 {
			s.issueCanon(g[0])
		} else {
			nonUnique += len(g)
		}
	}
	s.maxWork = workLimit(nonUnique, factor)

	// Step 5: the others, group by group in hash order.
	type result struct {
		hash string
		iss  *issuer
	}
	var results []result
	for _, h := range hashes {
		g := groups[h]
		if len(g) == 1 {
			continue
		}
		results = results[:0]
		for _, n := range g {
			if s.canon[n] >= 0 {
				continue
			}
			iss := newIssuer()
			if err := iss.issue(s, n); err != nil {
				return err
			}
			hash, iss, err := s.hashNDegree(n, iss, true)
			if err != nil {
				return err
			}
			results = append(results, result{hash, iss})
		}
		slices.SortStableFunc(results, func(a, b result) int { return cmpString(a.hash, b.hash) })
		for _, r := range results {
			for _, n := range r.iss.issued() {
				if s.canon[n] < 0 {
					s.issueCanon(n)
				}
			}
		}
	}
	return nil
}

// workLimit is the number of deep iterations allowed for n blank nodes that share
// first-degree hashes: n^factor, but not more than n or maxDeepIterations, whichever is
// larger.
func workLimit(n, factor int) int64 {
	lim := math.Pow(float64(n), float64(factor))
	return max(int64(n), int64(min(lim, maxDeepIterations)))
}

func (s *canonState) issueCanon(n int32) {
	s.canon[n] = s.nextCanon
	s.nextCanon++
}

// workChunk is the number of quads read or identifiers handled that counts as one more deep
// iteration, so that the limit bounds time also when blank nodes have many quads. The
// top-level calls of Hash N-Degree Quads are exempt: together they read each quad at most
// three times.
const workChunk = 16

// maxDeepIterations caps the limit whatever the work factor, so that a large dataset of
// look-alike blank nodes cannot buy n^3 deep iterations. It is far above what the W3C suite
// needs at factor 3 (684), and at a few microseconds each stays within a second or so.
const maxDeepIterations = 1 << 16

// spend counts units deep iterations, fails once the limit is passed, and checks ctx every
// so often.
func (s *canonState) spend(units int64) error {
	s.work += units
	if s.work > s.maxWork {
		return fmt.Errorf("jsonld: canonicalization exceeds its limit of %d deep iterations: %w", s.maxWork, errs.ErrCanonicalizationLimit)
	}
	s.spent++
	if s.spent%64 == 0 {
		if err := s.ctx.Err(); err != nil {
			return fmt.Errorf("jsonld: canonicalization: %w", err)
		}
	}
	return nil
}

func (s *canonState) hexSum() string {
	s.sum = s.h.Sum(s.sum[:0])
	var b [2 * 64]byte
	return string(hex.AppendEncode(b[:0], s.sum))
}

// hashFirstDegree is Hash First Degree Quads (RDFC-1.0 §4.6): the hash of the sorted
// canonical N-Quads of n's quads, n written _:a and other blank nodes _:z. It leaves the
// hash in s.h; line and lines are scratch space, returned for reuse.
func (s *canonState) hashFirstDegree(n int32, line []byte, lines [][]byte) ([]byte, [][]byte) {
	line, lines = line[:0], lines[:0]
	ends := make([]int, 0, len(s.nodeQuads[n]))
	for _, qi := range s.nodeQuads[n] {
		line = s.appendMasked(line, &s.quads[qi], n)
		ends = append(ends, len(line))
	}
	start := 0
	for _, end := range ends {
		lines = append(lines, line[start:end])
		start = end
	}
	slices.SortFunc(lines, bytes.Compare)
	s.h.Reset()
	for _, l := range lines {
		s.h.Write(l)
	}
	return line, lines
}

// appendMasked appends the canonical N-Quads of c with blank node n as _:a, others as _:z.
func (s *canonState) appendMasked(b []byte, c *cquad, n int32) []byte {
	term := func(b []byte, k, enc int) []byte {
		switch c.node[k] {
		case -1:
			return append(b, c.enc[enc]...)
		case n:
			return append(b, "_:a"...)
		}
		return append(b, "_:z"...)
	}
	b = term(b, 0, 0)
	b = append(b, ' ')
	b = append(b, c.enc[1]...)
	b = append(b, ' ')
	b = term(b, 1, 2)
	if c.node[2] >= 0 || c.enc[3] != "" {
		b = append(b, ' ')
		b = term(b, 2, 3)
	}
	return append(b, " .\n"...)
}

// hashRelated is Hash Related Blank Node (RDFC-1.0 §4.7) for related, found at position
// pos of quad c.
func (s *canonState) hashRelated(related int32, c *cquad, iss *issuer, pos byte) string {
	s.h.Reset()
	var b [64]byte
	buf := append(b[:0], pos)
	if pos != 'g' {
		buf = append(buf, c.enc[1]...) // <predicate>
	}
	switch k, ok := iss.lookup(related); {
	case s.canon[related] >= 0:
		buf = append(buf, "_:c14n"...)
		buf = strconv.AppendInt(buf, int64(s.canon[related]), 10)
	case ok:
		buf = append(buf, "_:b"...)
		buf = strconv.AppendInt(buf, int64(k), 10)
	default:
		buf = append(buf, s.firstHash[related]...)
	}
	s.h.Write(buf)
	return s.hexSum()
}

// hashNDegree is Hash N-Degree Quads (RDFC-1.0 §4.8). It does not modify iss.
//
// top is set for the calls of the Canonicalization Algorithm itself (§4.4.3 step 5.2.4),
// whose size is not weighed (see workChunk).
func (s *canonState) hashNDegree(n int32, iss *issuer, top bool) (string, *issuer, error) {
	cost := int64(1)
	if !top {
		cost += int64(len(s.nodeQuads[n]) / workChunk)
	}
	if err := s.spend(cost); err != nil {
		return "", nil, err
	}
	// Steps 1 to 3: related blank nodes by the hash of how they relate to n.
	type related struct {
		hash string
		node int32
	}
	var rel []related
	for _, qi := range s.nodeQuads[n] {
		c := &s.quads[qi]
		for k, r := range c.node {
			if r >= 0 && r != n {
				rel = append(rel, related{s.hashRelated(r, c, iss, positions[k]), r})
			}
		}
	}
	slices.SortStableFunc(rel, func(a, b related) int { return cmpString(a.hash, b.hash) })

	// Steps 4 and 5: for each hash, in code point order, the least path over the
	// permutations of its blank nodes.
	var data []byte
	var list []int32
	for i := 0; i < len(rel); {
		j := i + 1
		for j < len(rel) && rel[j].hash == rel[i].hash {
			j++
		}
		data = append(data, rel[i].hash...)
		list = list[:0]
		for _, r := range rel[i:j] {
			list = append(list, r.node)
		}
		path, chosen, err := s.choosePath(list, iss, top)
		if err != nil {
			return "", nil, err
		}
		data = append(data, path...)
		iss = chosen
		i = j
	}
	s.h.Reset()
	s.h.Write(data)
	return s.hexSum(), iss, nil
}

// choosePath is RDFC-1.0 §4.8.3 step 5.4: over every distinct ordering of list (the blank
// nodes related to the reference node by one hash), the path that is least in code point
// order, and the issuer that goes with it.
func (s *canonState) choosePath(list []int32, iss *issuer, top bool) ([]byte, *issuer, error) {
	// Orderings are tried in lexicographic order of the input labels; a node listed twice
	// (related through two quads alike) gives each distinct ordering once. rank holds the
	// ordering, as indexes into nodes, the distinct nodes.
	slices.SortFunc(list, func(a, b int32) int { return cmpString(s.labels[a], s.labels[b]) })
	rank := make([]int, len(list))
	for i := 1; i < len(list); i++ {
		rank[i] = rank[i-1]
		if list[i] != list[i-1] {
			rank[i]++
		}
	}
	nodes := slices.Compact(list)
	// The identifier of each node that already has one: "c14n<k>" when known < 0 is
	// -(k+1), "b<k>" when known >= 0, none when known is noID.
	known := make([]int32, len(nodes))
	for i, r := range nodes {
		switch k, ok := iss.lookup(r); {
		case s.canon[r] >= 0:
			known[i] = -(s.canon[r] + 1)
		case ok:
			known[i] = k
		default:
			known[i] = noID
		}
	}
	// Nodes without one get the next temporary identifiers in the order the ordering meets
	// them: pending lists them, and slot[i] is the place of nodes[i] in pending when
	// stamp[i] is the current ordering's number.
	slot := make([]int32, len(nodes))
	stamp := make([]int, len(nodes))
	size := int64(len(list) / workChunk)

	var path []byte
	var cmp pathOrder
	var chosenIss *issuer
	var pending []int32
	for perm := 1; ; perm++ {
		// The first ordering is part of hashing n; each further one is a deep iteration.
		var cost int64
		if perm > 1 {
			cost = 1 + size
		} else if !top {
			cost = size
		}
		if err := s.spend(cost); err != nil {
			return nil, nil, err
		}
		path, pending = path[:0], pending[:0]
		cmp.reset()
		ok := true
		for _, rk := range rank {
			switch k := known[rk]; {
			case k < 0 && k != noID:
				path = append(path, "_:c14n"...)
				path = strconv.AppendInt(path, int64(-k-1), 10)
			case k >= 0:
				path = append(path, "_:b"...)
				path = strconv.AppendInt(path, int64(k), 10)
			default:
				if stamp[rk] != perm {
					stamp[rk] = perm
					slot[rk] = int32(len(pending))
					pending = append(pending, nodes[rk])
				}
				path = append(path, "_:b"...)
				path = strconv.AppendInt(path, int64(iss.n+slot[rk]), 10)
			}
			if chosenIss != nil && cmp.worse(path) {
				ok = false
				break
			}
		}
		if !ok {
			if !nextPermutation(rank) {
				return cmp.chosen, chosenIss, nil
			}
			continue
		}
		c := iss
		if len(pending) > 0 {
			c = iss.clone()
			for _, r := range pending {
				if err := c.issue(s, r); err != nil {
					return nil, nil, err
				}
			}
		}
		// The recursion list is pending: the nodes this ordering issued identifiers to.
		for i := 0; ok && i < len(pending); i++ {
			r := pending[i]
			hash, res, err := s.hashNDegree(r, c, false)
			if err != nil {
				return nil, nil, err
			}
			k, _ := c.lookup(r)
			path = append(path, "_:b"...)
			path = strconv.AppendInt(path, int64(k), 10)
			path = append(path, '<')
			path = append(path, hash...)
			path = append(path, '>')
			c = res
			if chosenIss != nil && cmp.worse(path) {
				ok = false
			}
		}
		if ok && (chosenIss == nil || cmp.less(path)) {
			cmp.choose(path)
			chosenIss = c
		}
		if !nextPermutation(rank) {
			return cmp.chosen, chosenIss, nil
		}
	}
}

const noID = math.MinInt32

// pathOrder compares a path that grows by appending with the chosen path, in time linear
// in the bytes appended (comparing whole strings at each step would be quadratic).
type pathOrder struct {
	chosen []byte
	done   int // bytes of the current path compared so far
	sign   int // order of path[:done] and chosen[:done] where they differ, else 0
}

func (o *pathOrder) reset() { o.done, o.sign = 0, 0 }

func (o *pathOrder) choose(path []byte) { o.chosen = append(o.chosen[:0], path...) }

// update compares the bytes of path appended since the last call.
func (o *pathOrder) update(path []byte) {
	if o.sign == 0 && o.done < len(o.chosen) {
		end := min(len(path), len(o.chosen))
		o.sign = bytes.Compare(path[o.done:end], o.chosen[o.done:end])
	}
	o.done = len(path)
}

// worse is the test of RDFC-1.0 §4.8.3 steps 5.4.4.3 and 5.4.5.5: path is at least as
// long as the chosen path and greater in code point order.
func (o *pathOrder) worse(path []byte) bool {
	o.update(path)
	if len(path) < len(o.chosen) {
		return false
	}
	return o.sign > 0 || (o.sign == 0 && len(path) > len(o.chosen))
}

// less reports whether path is less than the chosen path in code point order.
func (o *pathOrder) less(path []byte) bool {
	o.update(path)
	return o.sign < 0 || (o.sign == 0 && len(path) < len(o.chosen))
}

// nextPermutation rearranges p into the next ordering in lexicographic order and reports
// whether there was one. Equal elements give each distinct ordering once.
func nextPermutation(p []int) bool {
	i := len(p) - 2
	for i >= 0 && p[i] >= p[i+1] {
		i--
	}
	if i < 0 {
		return false
	}
	j := len(p) - 1
	for p[j] <= p[i] {
		j--
	}
	p[i], p[j] = p[j], p[i]
	slices.Reverse(p[i+1:])
	return true
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// issuer is a temporary identifier issuer (RDFC-1.0 §4.5, prefix "b"): the blank nodes
// st.order[:n], in the order they were issued, the one at k being "b<k>".
//
// Copies share their store, so that a copy costs nothing until it issues: the first issuer of
// a store to issue appends to it in place; any other issuer of the store (its identifiers are
// a prefix of the store's) moves its identifiers to a store of its own first. An issuer's
// identifiers are never changed once another issuer shares them.
type issuer struct {
	st *issuerStore
	n  int32
}

type issuerStore struct {
	order []int32
	pos   map[int32]int32 // node -> its place in order
}

func newIssuer() *issuer {
	return &issuer{st: &issuerStore{pos: make(map[int32]int32)}}
}

func (i *issuer) lookup(node int32) (int32, bool) {
	k, ok := i.st.pos[node]
	return k, ok && k < i.n
}

// issue gives node the next identifier unless it has one; moving to a store of its own
// counts as work.
func (i *issuer) issue(s *canonState, node int32) error {
	if _, ok := i.lookup(node); ok {
		return nil
	}
	if int(i.n) != len(i.st.order) {
		if err := s.spend(int64(i.n) / workChunk); err != nil {
			return err
		}
		st := &issuerStore{order: make([]int32, i.n, i.n+8), pos: make(map[int32]int32, i.n+8)}
		copy(st.order, i.st.order)
		for k, m := range st.order {
			st.pos[m] = int32(k)
		}
		i.st = st
	}
	i.st.pos[node] = i.n
	i.st.order = append(i.st.order, node)
	i.n++
	return nil
}

// issued returns the blank nodes in the order they were issued.
func (i *issuer) issued() []int32 { return i.st.order[:i.n] }

func (i *issuer) clone() *issuer { return &issuer{st: i.st, n: i.n} }

// result relabels the quads with their canonical labels and sorts them (RDFC-1.0 §4.4.3
// step 6 and §5).
func (s *canonState) result() *Canonicalized {
	labels := make([]string, len(s.labels))
	issued := make(map[string]string, len(s.labels))
	for n, l := range s.labels {
		labels[n] = canonLabel(s.canon[n])
		issued[l] = labels[n]
	}
	quads := make([]Quad, len(s.quads))
	size := 0
	for i := range s.quads {
		c := &s.quads[i]
		q := c.q
		for k, t := range [3]*Term{&q.Subject, &q.Object, &q.Graph} {
			if c.node[k] >= 0 {
				t.Value = labels[c.node[k]]
			}
		}
		quads[i] = q
		size += len(q.Subject.Value) + len(q.Predicate.Value) + len(q.Object.Value) + len(q.Object.Datatype) +
			len(q.Object.Language) + len(q.Graph.Value) + 16
	}
	// Sort by the canonical N-Quads of each quad.
	buf := make([]byte, 0, size)
	ends := make([]int32, len(quads))
	order := make([]int32, len(quads))
	for i, q := range quads {
		buf = appendQuad(buf, q)
		ends[i] = int32(len(buf))
		order[i] = int32(i)
	}
	line := func(i int32) []byte {
		start := int32(0)
		if i > 0 {
			start = ends[i-1]
		}
		return buf[start:ends[i]]
	}
	slices.SortFunc(order, func(a, b int32) int { return bytes.Compare(line(a), line(b)) })
	// Put quads[order[i]] at i, cycle by cycle; a placed entry of order is marked -1.
	for i := range order {
		if order[i] < 0 {
			continue
		}
		q := quads[i]
		j := int32(i)
		for order[j] != int32(i) {
			k := order[j]
			quads[j] = quads[k]
			order[j] = -1
			j = k
		}
		quads[j] = q
		order[j] = -1
	}
	return &Canonicalized{Quads: quads, Issued: issued}
}
