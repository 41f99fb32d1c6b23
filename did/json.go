package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Member names of DID Core §5 that Document, VerificationMethod and Service model.
const (
	memContext            = "@context"
	memID                 = "id"
	memAlsoKnownAs        = "alsoKnownAs"
	memController         = "controller"
	memVerificationMethod = "verificationMethod"
	memService            = "service"
	memType               = "type"
	memPublicKeyJwk       = "publicKeyJwk"
	memPublicKeyMultibase = "publicKeyMultibase"
	memServiceEndpoint    = "serviceEndpoint"
)

// UnmarshalJSON implements [json.Unmarshaler]. It checks the JSON type of every member it
// models (errors wrap [ErrInvalidDIDDocument], or [ErrMalformed] for bad JSON) but not the
// rules of DID Core, and it applies no size or depth limit and does not reject duplicate
// member names: use [ParseDocument] for untrusted input.
func (d *Document) UnmarshalJSON(data []byte) error {
	m, err := decodeObject(data, "")
	if err != nil {
		return err
	}
	var doc Document
	for k, v := range m {
		p := "/" + k
		switch k {
		case memContext:
			doc.Context, err = decodeContext(v, p)
		case memID:
			doc.ID, err = decodeString(v, p)
		case memAlsoKnownAs:
			doc.AlsoKnownAs, err = decodeStringSet(v, p)
		case memController:
			doc.Controller, err = decodeStringOrSet(v, p)
		case memVerificationMethod:
			doc.VerificationMethod, err = decodeArray(v, p, decodeMethod)
		case string(Authentication):
			doc.Authentication, err = decodeArray(v, p, decodeMethodRef)
		case string(AssertionMethod):
			doc.AssertionMethod, err = decodeArray(v, p, decodeMethodRef)
		case string(KeyAgreement):
			doc.KeyAgreement, err = decodeArray(v, p, decodeMethodRef)
		case string(CapabilityInvocation):
			doc.CapabilityInvocation, err = decodeArray(v, p, decodeMethodRef)
		case string(CapabilityDelegation):
			doc.CapabilityDelegation, err = decodeArray(v, p, decodeMethodRef)
		case memService:
			doc.Service, err = decodeArray(v, p, decodeService)
		default:
			if doc.Extra == nil {
				doc.Extra = make(map[string]json.RawMessage)
			}
			doc.Extra[k] = v
		}
		if err != nil {
			return err
		}
	}
	*d = doc
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler]; it checks JSON types only.
func (vm *VerificationMethod) UnmarshalJSON(data []byte) error {
	m, err := decodeMethod(data, "")
	if err != nil {
		return err
	}
	*vm = m
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler]: a string is a reference, an object an
// embedded method.
func (r *MethodRef) UnmarshalJSON(data []byte) error {
	m, err := decodeMethodRef(data, "")
	if err != nil {
		return err
	}
	*r = m
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler]; it checks JSON types only.
func (s *Service) UnmarshalJSON(data []byte) error {
	v, err := decodeService(data, "")
	if err != nil {
		return err
	}
	*s = v
	return nil
}

func decodeMethod(data []byte, path string) (VerificationMethod, error) {
	m, err := decodeObject(data, path)
	if err != nil {
		return VerificationMethod{}, err
	}
	var vm VerificationMethod
	for k, v := range m {
		p := path + "/" + k
		switch k {
		case memID:
			vm.ID, err = decodeString(v, p)
		case memType:
			vm.Type, err = decodeString(v, p)
		case memController:
			vm.Controller, err = decodeString(v, p)
		case memPublicKeyJwk:
			if jsonKind(v) != '{' {
				err = wrongType(p, "an object")
			}
			vm.PublicKeyJwk = v
		case memPublicKeyMultibase:
			vm.PublicKeyMultibase, err = decodeString(v, p)
		default:
			if vm.Extra == nil {
				vm.Extra = make(map[string]json.RawMessage)
			}
			vm.Extra[k] = v
		}
		if err != nil {
			return VerificationMethod{}, err
		}
	}
	return vm, nil
}

func decodeMethodRef(data []byte, path string) (MethodRef, error) {
	switch jsonKind(data) {
	case '"':
		s, err := decodeString(data, path)
		return MethodRef{ID: s}, err
	case '{':
		vm, err := decodeMethod(data, path)
		if err != nil {
			return MethodRef{}, err
		}
		return MethodRef{Embedded: &vm}, nil
	}
	return MethodRef{}, wrongType(path, "a string or an object")
}

func decodeService(data []byte, path string) (Service, error) {
	m, err := decodeObject(data, path)
	if err != nil {
		return Service{}, err
	}
	var s Service
	for k, v := range m {
		p := path + "/" + k
		switch k {
		case memID:
			s.ID, err = decodeString(v, p)
		case memType:
			s.Type, err = decodeStringOrSet(v, p)
		case memServiceEndpoint:
			switch jsonKind(v) {
			case '"', '{', '[':
				s.ServiceEndpoint = v
			default:
				err = wrongType(p, "a string, an object or an array")
			}
		default:
			if s.Extra == nil {
				s.Extra = make(map[string]json.RawMessage)
			}
			s.Extra[k] = v
		}
		if err != nil {
			return Service{}, err
		}
	}
	return s, nil
}

// jsonKind returns the first byte of the JSON value in data, skipping white space:
// '{', '[', '"', 't', 'f', 'n', a digit or '-'; 0 if data is empty.
func jsonKind(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

func wrongType(path, want string) error {
	if path == "" {
		path = "/"
	}
	return fmt.Errorf("did: document %s: not %s: %w", path, want, ErrInvalidDIDDocument)
}

// jsonError classifies an error of encoding/json.
func jsonError(err error, path, want string) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return wrongType(path, want)
	}
	return fmt.Errorf("did: document %s: %w", path, ErrMalformed)
}

func decodeObject(data []byte, path string) (map[string]json.RawMessage, error) {
	if jsonKind(data) != '{' {
		if !json.Valid(data) {
			return nil, fmt.Errorf("did: document %s: %w", path, ErrMalformed)
		}
		return nil, wrongType(path, "an object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsonError(err, path, "an object")
	}
	return m, nil
}

func decodeString(data []byte, path string) (string, error) {
	if jsonKind(data) != '"' {
		return "", wrongType(path, "a string")
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return "", jsonError(err, path, "a string")
	}
	return s, nil
}

// decodeArray decodes a JSON array with elem. An empty array gives an empty, non-nil slice.
func decodeArray[T any](data []byte, path string, elem func([]byte, string) (T, error)) ([]T, error) {
	if jsonKind(data) != '[' {
		return nil, wrongType(path, "an array")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, jsonError(err, path, "an array")
	}
	out := make([]T, len(raws))
	for i, r := range raws {
		v, err := elem(r, path+"/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func decodeStringSet(data []byte, path string) ([]string, error) {
	return decodeArray(data, path, decodeString)
}

func decodeStringOrSet(data []byte, path string) ([]string, error) {
	if jsonKind(data) == '"' {
		s, err := decodeString(data, path)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	if jsonKind(data) != '[' {
		return nil, wrongType(path, "a string or an array of strings")
	}
	return decodeStringSet(data, path)
}

// decodeContext decodes "@context": a string, or an array of strings and objects.
// Objects decode to map[string]any with numbers as json.Number.
func decodeContext(data []byte, path string) ([]any, error) {
	switch jsonKind(data) {
	case '"':
		s, err := decodeString(data, path)
		if err != nil {
			return nil, err
		}
		return []any{s}, nil
	case '[':
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v []any
		if err := dec.Decode(&v); err != nil {
			return nil, jsonError(err, path, "an array")
		}
		if v == nil {
			v = []any{}
		}
		return v, nil
	}
	return nil, wrongType(path, "a string or an array")
}

// MarshalJSON implements [json.Marshaler]. Members come in DID Core order, then Extra in
// sorted order. A nil slice is omitted; an empty one is written as []. "@context" is
// always an array (a document that gave a single string gets a one-element array, which
// JSON-LD reads the same); a single controller or service type is a string. Raw members
// (Extra, publicKeyJwk, serviceEndpoint) are checked and written compacted. The output is
// compact JSON. MarshalJSON does not validate d against DID Core; call
// [Document.Validate] for that.
func (d *Document) MarshalJSON() ([]byte, error) {
	var w objWriter
	w.b = make([]byte, 0, 1024)
	saved := w.open()
	if d.Context != nil {
		w.key(memContext)
		if err := w.context(d.Context); err != nil {
			return nil, err
		}
	}
	w.str(memID, d.ID)
	if d.AlsoKnownAs != nil {
		w.key(memAlsoKnownAs)
		w.strings(d.AlsoKnownAs)
	}
	if d.Controller != nil {
		w.key(memController)
		w.stringOrSet(d.Controller)
	}
	if d.VerificationMethod != nil {
		w.key(memVerificationMethod)
		w.b = append(w.b, '[')
		for i := range d.VerificationMethod {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if err := d.VerificationMethod[i].appendJSON(&w); err != nil {
				return nil, err
			}
		}
		w.b = append(w.b, ']')
	}
	for _, rel := range relationships {
		refs, _ := d.relationship(rel)
		if refs == nil {
			continue
		}
		w.key(string(rel))
		w.b = append(w.b, '[')
		for i := range refs {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if err := refs[i].appendJSON(&w); err != nil {
				return nil, err
			}
		}
		w.b = append(w.b, ']')
	}
	if d.Service != nil {
		w.key(memService)
		w.b = append(w.b, '[')
		for i := range d.Service {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if err := d.Service[i].appendJSON(&w); err != nil {
				return nil, err
			}
		}
		w.b = append(w.b, ']')
	}
	if err := w.extra(d.Extra, isDocumentMember); err != nil {
		return nil, err
	}
	w.close(saved)
	return w.b, nil
}

// MarshalJSON implements [json.Marshaler]: id, type and controller, then the key members
// that are set, then Extra in sorted order.
func (vm VerificationMethod) MarshalJSON() ([]byte, error) {
	var w objWriter
	if err := vm.appendJSON(&w); err != nil {
		return nil, err
	}
	return w.b, nil
}

// MarshalJSON implements [json.Marshaler]: a reference as a string, an embedded method
// as an object.
func (r MethodRef) MarshalJSON() ([]byte, error) {
	var w objWriter
	if err := r.appendJSON(&w); err != nil {
		return nil, err
	}
	return w.b, nil
}

// MarshalJSON implements [json.Marshaler]: id, type (a string when there is one),
// serviceEndpoint, then Extra in sorted order.
func (s Service) MarshalJSON() ([]byte, error) {
	var w objWriter
	if err := s.appendJSON(&w); err != nil {
		return nil, err
	}
	return w.b, nil
}

func (vm *VerificationMethod) appendJSON(w *objWriter) error {
	saved := w.open()
	w.str(memID, vm.ID)
	w.str(memType, vm.Type)
	w.str(memController, vm.Controller)
	if vm.PublicKeyJwk != nil {
		if err := w.raw(memPublicKeyJwk, vm.PublicKeyJwk); err != nil {
			return err
		}
	}
	if vm.PublicKeyMultibase != "" {
		w.str(memPublicKeyMultibase, vm.PublicKeyMultibase)
	}
	if err := w.extra(vm.Extra, isMethodMember); err != nil {
		return err
	}
	w.close(saved)
	return nil
}

func (r *MethodRef) appendJSON(w *objWriter) error {
	switch {
	case r.Embedded != nil && r.ID != "":
		return fmt.Errorf("did: method reference %s has both an id and an embedded method: %w", quote(r.ID), ErrInvalidDIDDocument)
	case r.Embedded != nil:
		return r.Embedded.appendJSON(w)
	}
	w.b = appendString(w.b, r.ID)
	return nil
}

func (s *Service) appendJSON(w *objWriter) error {
	saved := w.open()
	w.str(memID, s.ID)
	w.key(memType)
	w.stringOrSet(s.Type)
	if s.ServiceEndpoint != nil {
		if err := w.raw(memServiceEndpoint, s.ServiceEndpoint); err != nil {
			return err
		}
	}
	if err := w.extra(s.Extra, isServiceMember); err != nil {
		return err
	}
	w.close(saved)
	return nil
}

func isDocumentMember(k string) bool {
	switch k {
	case memContext, memID, memAlsoKnownAs, memController, memVerificationMethod, memService:
		return true
	}
	return validRelationship(Relationship(k))
}

func isMethodMember(k string) bool {
	switch k {
	case memID, memType, memController, memPublicKeyJwk, memPublicKeyMultibase:
		return true
	}
	return false
}

func isServiceMember(k string) bool {
	return k == memID || k == memType || k == memServiceEndpoint
}

// objWriter writes one JSON object at a time into b. n counts the members written to
// the current object.
type objWriter struct {
	b []byte
	n int
}

// open starts an object and returns the member count of the enclosing one, for close.
func (w *objWriter) open() int {
	saved := w.n
	w.b = append(w.b, '{')
	w.n = 0
	return saved
}

func (w *objWriter) close(saved int) {
	w.b = append(w.b, '}')
	w.n = saved
}

// context writes "@context", always as an array.
func (w *objWriter) context(c []any) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("did: document /@context: %w", ErrInvalidDIDDocument)
	}
	w.b = append(w.b, b...)
	return nil
}

func (w *objWriter) key(k string) {
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	w.n++
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *objWriter) str(k, v string) {
	w.key(k)
	w.b = appendString(w.b, v)
}

func (w *objWriter) strings(ss []string) {
	w.b = append(w.b, '[')
	for i, s := range ss {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, s)
	}
	w.b = append(w.b, ']')
}

func (w *objWriter) stringOrSet(ss []string) {
	if len(ss) == 1 {
		w.b = appendString(w.b, ss[0])
		return
	}
	if ss == nil {
		ss = []string{}
	}
	w.strings(ss)
}

// raw writes a raw member compacted, which also checks that it is valid JSON.
func (w *objWriter) raw(k string, v json.RawMessage) error {
	w.key(k)
	buf := bytes.NewBuffer(w.b)
	if err := json.Compact(buf, v); err != nil {
		return fmt.Errorf("did: member %s: %w", quote(k), ErrMalformed)
	}
	w.b = buf.Bytes()
	return nil
}

// extra writes m in sorted key order. A key that known reports as modelled is an error:
// it would duplicate a member.
func (w *objWriter) extra(m map[string]json.RawMessage, known func(string) bool) error {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if known(k) {
			return fmt.Errorf("did: Extra holds the modelled member %s: %w", quote(k), ErrInvalidDIDDocument)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := w.raw(k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as with
// encoding/json.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
