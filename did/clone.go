package did

import (
	"encoding/json"
	"slices"
)

// Clone returns a deep copy of d: nothing in the copy is shared with d.
func (d *Document) Clone() *Document {
	if d == nil {
		return nil
	}
	c := &Document{
		Context:     cloneAnys(d.Context),
		ID:          d.ID,
		AlsoKnownAs: slices.Clone(d.AlsoKnownAs),
		Controller:  slices.Clone(d.Controller),
		Extra:       cloneRawMap(d.Extra),
	}
	if d.VerificationMethod != nil {
		c.VerificationMethod = make([]VerificationMethod, len(d.VerificationMethod))
		for i := range d.VerificationMethod {
			c.VerificationMethod[i] = d.VerificationMethod[i].clone()
		}
	}
	c.Authentication = cloneRefs(d.Authentication)
	c.AssertionMethod = cloneRefs(d.AssertionMethod)
	c.KeyAgreement = cloneRefs(d.KeyAgreement)
	c.CapabilityInvocation = cloneRefs(d.CapabilityInvocation)
	c.CapabilityDelegation = cloneRefs(d.CapabilityDelegation)
	if d.Service != nil {
		c.Service = make([]Service, len(d.Service))
		for i := range d.Service {
			s := &d.Service[i]
			c.Service[i] = Service{
				ID:              s.ID,
				Type:            slices.Clone(s.Type),
				ServiceEndpoint: cloneRaw(s.ServiceEndpoint),
				Extra:           cloneRawMap(s.Extra),
			}
		}
	}
	return c
}

func (vm *VerificationMethod) clone() VerificationMethod {
	return VerificationMethod{
		ID:                 vm.ID,
		Type:               vm.Type,
		Controller:         vm.Controller,
		PublicKeyJwk:       cloneRaw(vm.PublicKeyJwk),
		PublicKeyMultibase: vm.PublicKeyMultibase,
		Extra:              cloneRawMap(vm.Extra),
	}
}

func cloneRefs(refs []MethodRef) []MethodRef {
	if refs == nil {
		return nil
	}
	c := make([]MethodRef, len(refs))
	for i, r := range refs {
		c[i].ID = r.ID
		if r.Embedded != nil {
			vm := r.Embedded.clone()
			c[i].Embedded = &vm
		}
	}
	return c
}

func cloneRaw(r json.RawMessage) json.RawMessage {
	if r == nil {
		return nil
	}
	return append(json.RawMessage(make([]byte, 0, len(r))), r...)
}

func cloneRawMap(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	c := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		c[k] = cloneRaw(v)
	}
	return c
}

// cloneAnys deep-copies JSON values decoded into any.
func cloneAnys(a []any) []any {
	if a == nil {
		return nil
	}
	c := make([]any, len(a))
	for i, v := range a {
		c[i] = cloneAny(v)
	}
	return c
}

func cloneAny(v any) any {
	switch v := v.(type) {
	case []any:
		return cloneAnys(v)
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = cloneAny(e)
		}
		return c
	case json.RawMessage:
		return cloneRaw(v)
	}
	return v
}

// Clone returns a deep copy of r.
func (r *Resolution) Clone() *Resolution {
	if r == nil {
		return nil
	}
	return &Resolution{
		Document:           r.Document.Clone(),
		DocumentMetadata:   r.DocumentMetadata.clone(),
		ResolutionMetadata: ResolutionMetadata{ContentType: r.ResolutionMetadata.ContentType, Error: r.ResolutionMetadata.Error, Extra: cloneRawMap(r.ResolutionMetadata.Extra)},
	}
}

func (m *DocumentMetadata) clone() DocumentMetadata {
	c := *m
	if m.Created != nil {
		t := *m.Created
		c.Created = &t
	}
	if m.Updated != nil {
		t := *m.Updated
		c.Updated = &t
	}
	c.EquivalentID = slices.Clone(m.EquivalentID)
	c.Extra = cloneRawMap(m.Extra)
	return c
}
