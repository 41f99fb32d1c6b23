package did

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/internal/jsonx"
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
// models (errors wrap [ErrInvalidDIDDocument]) and rejects repeated member names in the
// objects it models ([ErrMalformed]), but does not check the rules of DID Core, apply a
// size or depth limit, or look inside raw members: use [ParseDocument] for untrusted input.
func (d *Document) UnmarshalJSON(data []byte) error {
	doc, err := unmarshalDocument(data, false)
	if err != nil {
		return err
	}
	*d = doc
	return nil
}

func unmarshalDocument(data []byte, validated bool) (Document, error) {
	dec, i, j, err := newDecoder(data, validated)
	if err != nil {
		return Document{}, err
	}
	return dec.document(i, j)
}

// UnmarshalJSON implements [json.Unmarshaler]; it checks JSON types only.
func (vm *VerificationMethod) UnmarshalJSON(data []byte) error {
	dec, i, j, err := newDecoder(data, false)
	if err != nil {
		return err
	}
	m, err := dec.method(i, j)
	if err != nil {
		return err
	}
	*vm = m
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler]: a string is a reference, an object an
// embedded method.
func (r *MethodRef) UnmarshalJSON(data []byte) error {
	dec, i, j, err := newDecoder(data, false)
	if err != nil {
		return err
	}
	m, err := dec.methodRef(i, j)
	if err != nil {
		return err
	}
	*r = m
	return nil
}

// UnmarshalJSON implements [json.Unmarshaler]; it checks JSON types only.
func (s *Service) UnmarshalJSON(data []byte) error {
	dec, i, j, err := newDecoder(data, false)
	if err != nil {
		return err
	}
	v, err := dec.service(i, j)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// MarshalJSON implements [json.Marshaler]. Members come in DID Core order, then Extra in
// sorted order. A nil slice is omitted; an empty one is written as []. "@context" is
// always an array (a document that gave a single string gets a one-element array, which
// JSON-LD reads the same); a single controller or service type is a string. Raw members
// (Extra, publicKeyJwk, serviceEndpoint) are checked and written compacted. The output is
// compact JSON. MarshalJSON does not validate d against DID Core; call
// [Document.Validate] for that. It has a value receiver so that a Document held by value
// in another struct marshals the same way.
func (d Document) MarshalJSON() ([]byte, error) {
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

// appendString appends s as a JSON string (see jsonx.AppendString).
func appendString(b []byte, s string) []byte { return jsonx.AppendString(b, s) }
