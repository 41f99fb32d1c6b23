package pex

import (
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A check is a filter compiled to direct tests: it says whether a value passes. The
// common filter shapes (type, const, enum, pattern, minLength/maxLength,
// minimum/maximum and their exclusive forms, format date, and contains
// or items with such a filter) compile to one; every other filter is left to the JSON
// Schema library. Each check keeps JSON Schema's rule that a keyword constrains only
// the values of its own type (minimum ignores a string, pattern ignores a number).
type check func(v any) bool

// compileCheck returns the direct check for filter, or nil when the filter uses a
// keyword or form outside the compiled subset. The draft-07 meaning is the one
// compiled, so a filter naming another draft with $schema is left to the library.
func compileCheck(filter map[string]any) check {
	var checks []check
	for k, x := range filter {
		var c check
		switch k {
		case "title", "description", "$comment", "default", "examples":
			continue
		case "$schema":
			if x != "http://json-schema.org/draft-07/schema#" && x != "http://json-schema.org/draft-07/schema" {
				return nil
			}
			continue
		case "type":
			c = typeCheck(x)
		case "const":
			if !scalar(x) {
				return nil
			}
			c = func(v any) bool { return jsonEqual(v, x) }
		case "enum":
			list, ok := x.([]any)
			if !ok || len(list) == 0 {
				return nil
			}
			for _, e := range list {
				if !scalar(e) {
					return nil
				}
			}
			c = func(v any) bool {
				for _, e := range list {
					if jsonEqual(v, e) {
						return true
					}
				}
				return false
			}
		case "pattern":
			p, ok := x.(string)
			if !ok {
				return nil
			}
			re, err := regexp.Compile(p)
			if err != nil {
				return nil
			}
			c = func(v any) bool {
				s, ok := v.(string)
				return !ok || re.MatchString(s)
			}
		case "minLength", "maxLength":
			n, ok := count(x)
			if !ok {
				return nil
			}
			minimum := k == "minLength"
			c = func(v any) bool {
				s, ok := v.(string)
				if !ok {
					return true
				}
				l := utf8.RuneCountInString(s)
				return (minimum && l >= n) || (!minimum && l <= n)
			}
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
			bound, ok := number(x)
			if !ok || bound.huge {
				return nil
			}
			c = boundCheck(k, bound)
		case "format":
			// date only: the library's date-time accepts leap seconds and lower case
			// letters that time.Parse does not, so date-time is left to it.
			if x != "date" {
				return nil
			}
			c = func(v any) bool {
				s, ok := v.(string)
				if !ok {
					return true
				}
				_, err := time.Parse(time.DateOnly, s)
				return err == nil
			}
		case "contains", "items":
			sub, ok := x.(map[string]any)
			if !ok {
				return nil
			}
			inner := compileCheck(sub)
			if inner == nil {
				return nil
			}
			contains := k == "contains"
			c = func(v any) bool {
				arr, ok := v.([]any)
				if !ok {
					return true
				}
				for _, e := range arr {
					if inner(e) == contains {
						return contains
					}
				}
				return !contains
			}
		default:
			return nil
		}
		if c == nil {
			return nil
		}
		checks = append(checks, c)
	}
	switch len(checks) {
	case 0:
		return func(any) bool { return true }
	case 1:
		return checks[0]
	}
	return func(v any) bool {
		for _, c := range checks {
			if !c(v) {
				return false
			}
		}
		return true
	}
}

// typeCheck compiles a type keyword: one type name or a non-empty list of them.
func typeCheck(x any) check {
	var names []string
	switch x := x.(type) {
	case string:
		names = []string{x}
	case []any:
		if len(x) == 0 {
			return nil
		}
		for _, n := range x {
			s, ok := n.(string)
			if !ok {
				return nil
			}
			names = append(names, s)
		}
	default:
		return nil
	}
	for _, n := range names {
		switch n {
		case "string", "number", "integer", "boolean", "object", "array", "null":
		default:
			return nil
		}
	}
	return func(v any) bool {
		for _, n := range names {
			if hasType(v, n) {
				return true
			}
		}
		return false
	}
}

func hasType(v any, name string) bool {
	switch name {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "number":
		_, ok := number(v)
		return ok
	case "integer":
		r, ok := number(v)
		return ok && !r.huge && r.isInt()
	}
	return false
}

// scalar reports whether x is a JSON string, number, boolean or null.
func scalar(x any) bool {
	switch x.(type) {
	case nil, string, bool:
		return true
	}
	n, ok := number(x)
	return ok && !n.huge
}

// jsonEqual compares a value with a scalar as JSON does: numbers by value.
func jsonEqual(v, x any) bool {
	switch x := x.(type) {
	case nil:
		return v == nil
	case string:
		s, ok := v.(string)
		return ok && s == x
	case bool:
		b, ok := v.(bool)
		return ok && b == x
	}
	a, ok := number(v)
	if !ok || a.huge {
		return false
	}
	b, _ := number(x)
	return a.cmp(b) == 0
}

// num is a JSON number: its nearest float64 and, for exact comparison, its literal.
type num struct {
	f   float64
	lit string // the decimal literal, "" when f is exact (a Go float or integer)
	// exact holds the value of a literal beyond float64's range (f is then infinite).
	big *big.Rat
	// huge marks a literal too large even for big.Rat, which the JSON Schema library
	// cannot read either: every numeric keyword fails on it, as the library's do.
	huge bool
}

func number(v any) (num, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && !isRange(err) {
			return num{}, false
		}
		n := num{f: f, lit: string(v)}
		if err != nil {
			r, ok := new(big.Rat).SetString(n.lit)
			n.big, n.huge = r, !ok
		}
		return n, true
	case float64:
		return num{f: v}, !math.IsNaN(v) && !math.IsInf(v, 0)
	case float32:
		return num{f: float64(v)}, true
	case int:
		return num{f: float64(v), lit: strconv.Itoa(v)}, true
	case int64:
		return num{f: float64(v), lit: strconv.FormatInt(v, 10)}, true
	case int32:
		return num{f: float64(v)}, true
	case uint64:
		return num{f: float64(v), lit: strconv.FormatUint(v, 10)}, true
	}
	return num{}, false
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// rat is the exact value.
func (n num) rat() *big.Rat {
	if n.big != nil {
		return n.big
	}
	r := new(big.Rat)
	if n.lit != "" {
		if _, ok := r.SetString(n.lit); ok {
			return r
		}
	}
	r.SetFloat64(n.f)
	return r
}

// cmp compares two numbers exactly. Rounding to float64 keeps order, so a strict float
// order is the exact order; only equal floats (infinities included) may need the
// literals.
func (n num) cmp(m num) int {
	switch {
	case n.f < m.f:
		return -1
	case n.f > m.f:
		return 1
	case n.lit == m.lit || (n.exact() && m.exact()) || n.huge || m.huge:
		return 0
	}
	return n.rat().Cmp(m.rat())
}

// exact reports whether f is the number's exact value.
func (n num) exact() bool {
	return n.lit == "" || (!strings.ContainsAny(n.lit, ".eE") && math.Abs(n.f) < 1<<53)
}

func (n num) isInt() bool {
	switch {
	case n.exact():
		return n.f == math.Trunc(n.f)
	}
	return n.rat().IsInt()
}

func boundCheck(keyword string, bound num) check {
	return func(v any) bool {
		n, ok := number(v)
		if !ok {
			return true
		}
		if n.huge {
			return false
		}
		c := n.cmp(bound)
		switch keyword {
		case "minimum":
			return c >= 0
		case "maximum":
			return c <= 0
		case "exclusiveMinimum":
			return c > 0
		default:
			return c < 0
		}
	}
}

// count reads a non-negative integer keyword value.
func count(x any) (int, bool) {
	n, ok := number(x)
	if !ok || n.huge || !n.isInt() || n.f < 0 || n.f > math.MaxInt32 {
		return 0, false
	}
	return int(n.f), true
}
