package did

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/jsonx"
)

// decoder reads one JSON value that is already known to be valid (checked by
// internal/jsonx or json.Valid), without building a generic tree: objects and arrays are
// walked in place, strings without escapes share the memory of one copy of the input,
// and raw members share another copy, each capped so that appending to one cannot
// overwrite its neighbours.
type decoder struct {
	s    string   // the input
	raw  []byte   // a copy of the input for raw members, made on first use
	path []string // JSON Pointer tokens of the value being decoded, for errors
	// metadata is set when decoding resolution metadata, where a member of the wrong
	// type is ErrMalformed rather than ErrInvalidDIDDocument.
	metadata bool
}

// newDecoder returns a decoder for data and the span of its top-level value. If
// validated is false, data is checked with json.Valid first.
func newDecoder(data []byte, validated bool) (*decoder, int, int, error) {
	if !validated && !json.Valid(data) {
		return nil, 0, 0, fmt.Errorf("did: invalid JSON: %w", ErrMalformed)
	}
	d := &decoder{s: string(data)}
	i := d.skipWS(0)
	if i == len(d.s) {
		return nil, 0, 0, fmt.Errorf("did: empty input: %w", ErrMalformed)
	}
	return d, i, d.end(i), nil
}

func (d *decoder) skipWS(i int) int { return jsonx.SkipSpace(d.s, i) }

// end returns the end of the value that starts at i.
func (d *decoder) end(i int) int { return jsonx.EndValue(d.s, i) }

// pointer returns the JSON Pointer of the value being decoded.
func (d *decoder) pointer() string {
	if len(d.path) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, p := range d.path {
		b.WriteByte('/')
		p = strings.ReplaceAll(p, "~", "~0")
		b.WriteString(strings.ReplaceAll(p, "/", "~1"))
	}
	return b.String()
}

func (d *decoder) wrongType(want string) error {
	if d.metadata {
		return fmt.Errorf("did: metadata %s: not %s: %w", d.pointer(), want, ErrMalformed)
	}
	return fmt.Errorf("did: document %s: not %s: %w", d.pointer(), want, ErrInvalidDIDDocument)
}

// object calls fn for each member of the object at [i, j), with the member name on the
// path. A repeated member name is ErrMalformed.
func (d *decoder) object(i, j int, fn func(name string, vi, vj int) error) error {
	if d.s[i] != '{' {
		return d.wrongType("an object")
	}
	var seen []string
	var seenMap map[string]bool
	p := d.skipWS(i + 1)
	for p < j && d.s[p] != '}' {
		ke := d.end(p)
		name, err := d.str(p, ke)
		if err != nil {
			return err
		}
		if seenMap != nil {
			if seenMap[name] {
				return d.duplicate(name)
			}
			seenMap[name] = true
		} else {
			for _, s := range seen {
				if s == name {
					return d.duplicate(name)
				}
			}
			seen = append(seen, name)
			if len(seen) > 16 {
				seenMap = make(map[string]bool, 2*len(seen))
				for _, s := range seen {
					seenMap[s] = true
				}
			}
		}
		p = d.skipWS(ke)
		p = d.skipWS(p + 1) // ':'
		ve := d.end(p)
		d.path = append(d.path, name)
		err = fn(name, p, ve)
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return err
		}
		p = d.skipWS(ve)
		if p < j && d.s[p] == ',' {
			p = d.skipWS(p + 1)
		}
	}
	return nil
}

func (d *decoder) duplicate(name string) error {
	return fmt.Errorf("did: document %s: duplicate member %s: %w", d.pointer(), quote(name), ErrMalformed)
}

// array calls fn for each element of the array at [i, j), with its index on the path.
func (d *decoder) array(i, j int, fn func(vi, vj int) error) error {
	if d.s[i] != '[' {
		return d.wrongType("an array")
	}
	p := d.skipWS(i + 1)
	for n := 0; p < j && d.s[p] != ']'; n++ {
		ve := d.end(p)
		d.path = append(d.path, strconv.Itoa(n))
		err := fn(p, ve)
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return err
		}
		p = d.skipWS(ve)
		if p < j && d.s[p] == ',' {
			p = d.skipWS(p + 1)
		}
	}
	return nil
}

// str decodes the string at [i, j).
func (d *decoder) str(i, j int) (string, error) {
	if d.s[i] != '"' {
		return "", d.wrongType("a string")
	}
	inner := d.s[i+1 : j-1]
	if strings.IndexByte(inner, '\\') < 0 && utf8.ValidString(inner) {
		return inner, nil
	}
	var out string
	if err := json.Unmarshal([]byte(d.s[i:j]), &out); err != nil {
		return "", fmt.Errorf("did: document %s: %w", d.pointer(), ErrMalformed)
	}
	return out, nil
}

// rawValue returns the value at [i, j) as it is written.
func (d *decoder) rawValue(i, j int) json.RawMessage {
	if d.raw == nil {
		d.raw = []byte(d.s)
	}
	return d.raw[i:j:j]
}

// any decodes the value at [i, j) generically, numbers as json.Number.
func (d *decoder) any(i, j int) (any, error) {
	dec := json.NewDecoder(strings.NewReader(d.s[i:j]))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("did: document %s: %w", d.pointer(), ErrMalformed)
	}
	return v, nil
}

// decodeArray decodes the array at [i, j) with elem. An empty array gives an empty,
// non-nil slice.
func decodeArray[T any](d *decoder, i, j int, elem func(d *decoder, i, j int) (T, error)) ([]T, error) {
	out := []T{}
	err := d.array(i, j, func(vi, vj int) error {
		v, err := elem(d, vi, vj)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (d *decoder) strings(i, j int) ([]string, error) {
	return decodeArray(d, i, j, (*decoder).str)
}

func (d *decoder) stringOrSet(i, j int) ([]string, error) {
	switch d.s[i] {
	case '"':
		s, err := d.str(i, j)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	case '[':
		return d.strings(i, j)
	}
	return nil, d.wrongType("a string or an array of strings")
}

func (d *decoder) document(i, j int) (Document, error) {
	var doc Document
	err := d.object(i, j, func(k string, vi, vj int) error {
		var err error
		switch k {
		case memContext:
			doc.Context, err = d.context(vi, vj)
		case memID:
			doc.ID, err = d.str(vi, vj)
		case memAlsoKnownAs:
			doc.AlsoKnownAs, err = d.strings(vi, vj)
		case memController:
			doc.Controller, err = d.stringOrSet(vi, vj)
		case memVerificationMethod:
			doc.VerificationMethod, err = decodeArray(d, vi, vj, (*decoder).method)
		case string(Authentication):
			doc.Authentication, err = decodeArray(d, vi, vj, (*decoder).methodRef)
		case string(AssertionMethod):
			doc.AssertionMethod, err = decodeArray(d, vi, vj, (*decoder).methodRef)
		case string(KeyAgreement):
			doc.KeyAgreement, err = decodeArray(d, vi, vj, (*decoder).methodRef)
		case string(CapabilityInvocation):
			doc.CapabilityInvocation, err = decodeArray(d, vi, vj, (*decoder).methodRef)
		case string(CapabilityDelegation):
			doc.CapabilityDelegation, err = decodeArray(d, vi, vj, (*decoder).methodRef)
		case memService:
			doc.Service, err = decodeArray(d, vi, vj, (*decoder).service)
		default:
			if doc.Extra == nil {
				doc.Extra = make(map[string]json.RawMessage)
			}
			doc.Extra[k] = d.rawValue(vi, vj)
		}
		return err
	})
	return doc, err
}

// context decodes "@context": a string, or an array of strings and other values.
func (d *decoder) context(i, j int) ([]any, error) {
	switch d.s[i] {
	case '"':
		s, err := d.str(i, j)
		if err != nil {
			return nil, err
		}
		return []any{s}, nil
	case '[':
		return decodeArray(d, i, j, func(d *decoder, i, j int) (any, error) {
			if d.s[i] == '"' {
				return d.str(i, j)
			}
			return d.any(i, j)
		})
	}
	return nil, d.wrongType("a string or an array")
}

func (d *decoder) method(i, j int) (VerificationMethod, error) {
	var vm VerificationMethod
	err := d.object(i, j, func(k string, vi, vj int) error {
		var err error
		switch k {
		case memID:
			vm.ID, err = d.str(vi, vj)
		case memType:
			vm.Type, err = d.str(vi, vj)
		case memController:
			vm.Controller, err = d.str(vi, vj)
		case memPublicKeyJwk:
			if d.s[vi] != '{' {
				return d.wrongType("an object")
			}
			vm.PublicKeyJwk = d.rawValue(vi, vj)
		case memPublicKeyMultibase:
			vm.PublicKeyMultibase, err = d.str(vi, vj)
		default:
			if vm.Extra == nil {
				vm.Extra = make(map[string]json.RawMessage)
			}
			vm.Extra[k] = d.rawValue(vi, vj)
		}
		return err
	})
	return vm, err
}

func (d *decoder) methodRef(i, j int) (MethodRef, error) {
	switch d.s[i] {
	case '"':
		s, err := d.str(i, j)
		return MethodRef{ID: s}, err
	case '{':
		vm, err := d.method(i, j)
		if err != nil {
			return MethodRef{}, err
		}
		return MethodRef{Embedded: &vm}, nil
	}
	return MethodRef{}, d.wrongType("a string or an object")
}

func (d *decoder) service(i, j int) (Service, error) {
	var s Service
	err := d.object(i, j, func(k string, vi, vj int) error {
		var err error
		switch k {
		case memID:
			s.ID, err = d.str(vi, vj)
		case memType:
			s.Type, err = d.stringOrSet(vi, vj)
		case memServiceEndpoint:
			switch d.s[vi] {
			case '"', '{', '[':
				s.ServiceEndpoint = d.rawValue(vi, vj)
			default:
				err = d.wrongType("a string, an object or an array")
			}
		default:
			if s.Extra == nil {
				s.Extra = make(map[string]json.RawMessage)
			}
			s.Extra[k] = d.rawValue(vi, vj)
		}
		return err
	})
	return s, err
}

// jsonKind returns the first byte of the JSON value in data, skipping white space:
// '{', '[', '"', 't', 'f', 'n', a digit or '-'; 0 if data is empty.
func jsonKind(data []byte) byte {
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i == len(data) {
		return 0
	}
	return data[i]
}

// rawString returns the string a raw JSON value holds, if it is a string.
func rawString(raw json.RawMessage) (string, bool) {
	if jsonKind(raw) != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// rawMembers returns the member names of a raw JSON object, or false if raw is not one.
func rawMembers(raw json.RawMessage) ([]string, bool) {
	if jsonKind(raw) != '{' {
		return nil, false
	}
	d, i, j, err := newDecoder(bytes.TrimSpace(raw), false)
	if err != nil {
		return nil, false
	}
	var names []string
	err = d.object(i, j, func(k string, _, _ int) error {
		names = append(names, k)
		return nil
	})
	return names, err == nil
}
