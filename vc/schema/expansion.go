package schema

import "github.com/santhosh-tekuri/jsonschema/v6"

// expansion bounds how many subschema evaluations one value of an instance can cause
// under s, looking at most depth levels into the instance, and returns a number above
// limit as soon as the bound passes it.
//
// JSON Schema evaluation is linear in the instance but not in the schema: a $ref is
// evaluated once per path that reaches it, so ten nested allOf of two identical
// references cost 2^10 evaluations of every value, from a schema of a few hundred bytes.
// The bound counts those paths on the compiled graph. For each subschema t and relative
// depth j it computes q(t, j), an upper bound of the evaluations that t causes at one
// value j levels below the value t is applied to: in-place applicators ($ref, allOf,
// anyOf, oneOf, not, if/then/else, dependentSchemas) add their children's counts at the
// same depth; child applicators (properties, items, ...) add theirs one level down, taking
// the largest of properties (only one applies to a given member) and of tuple items. A
// back edge in place (an infinite loop, which the library stops) counts once. Dynamic
// references count their static target.
func expansion(s *jsonschema.Schema, depth, limit int) int {
	x := expander{limit: limit, depth: depth, memo: map[*jsonschema.Schema][]int{}, active: map[visit]bool{}}
	most := 0
	for j := 0; j <= depth; j++ {
		if n := x.q(s, j); n > most {
			most = n
		}
		if most > limit {
			break
		}
	}
	return most
}

type visit struct {
	s *jsonschema.Schema
	j int
}

type expander struct {
	limit, depth int
	memo         map[*jsonschema.Schema][]int // memo[s][j]+1; 0 means not computed
	active       map[visit]bool
}

func (x *expander) add(a, b int) int {
	if a+b > x.limit {
		return x.limit + 1
	}
	return a + b
}

func (x *expander) q(s *jsonschema.Schema, j int) int {
	if s == nil || j < 0 {
		return 0
	}
	m := x.memo[s]
	if m == nil {
		m = make([]int, x.depth+1)
		x.memo[s] = m
	}
	if m[j] > 0 {
		return m[j] - 1
	}
	v := visit{s, j}
	if x.active[v] {
		return 1
	}
	x.active[v] = true
	n := 0
	if j == 0 {
		n = 1
	}
	for _, c := range inPlace(s) {
		n = x.add(n, x.q(c, j))
	}
	if j > 0 {
		n = x.add(n, x.children(s, j-1))
	}
	delete(x.active, v)
	m[j] = n + 1
	return n
}

// children is the count at relative depth j of the child applicators of s: the object
// keywords or the array keywords, whichever is larger (a value is one or the other).
func (x *expander) children(s *jsonschema.Schema, j int) int {
	obj := 0
	most := 0
	for _, c := range s.Properties {
		most = max(most, x.q(c, j))
	}
	obj = x.add(obj, most)
	for _, c := range s.PatternProperties {
		obj = x.add(obj, x.q(c, j))
	}
	if c, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		obj = x.add(obj, x.q(c, j))
	}
	obj = x.add(obj, x.q(s.PropertyNames, j))
	obj = x.add(obj, x.q(s.UnevaluatedProperties, j))

	arr := 0
	most = 0
	switch items := s.Items.(type) {
	case *jsonschema.Schema:
		arr = x.add(arr, x.q(items, j))
	case []*jsonschema.Schema:
		for _, c := range items {
			most = max(most, x.q(c, j))
		}
	}
	for _, c := range s.PrefixItems {
		most = max(most, x.q(c, j))
	}
	arr = x.add(arr, most)
	if c, ok := s.AdditionalItems.(*jsonschema.Schema); ok {
		arr = x.add(arr, x.q(c, j))
	}
	arr = x.add(arr, x.q(s.Items2020, j))
	arr = x.add(arr, x.q(s.Contains, j))
	arr = x.add(arr, x.q(s.UnevaluatedItems, j))
	return max(obj, arr)
}

// inPlace returns the subschemas that s applies to the same value.
func inPlace(s *jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	out = append(out, s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else)
	if s.DynamicRef != nil {
		out = append(out, s.DynamicRef.Ref)
	}
	out = append(out, s.AllOf...)
	out = append(out, s.AnyOf...)
	out = append(out, s.OneOf...)
	for _, c := range s.DependentSchemas {
		out = append(out, c)
	}
	for _, d := range s.Dependencies {
		if c, ok := d.(*jsonschema.Schema); ok {
			out = append(out, c)
		}
	}
	return out
}
