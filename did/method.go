package did

import (
	"crypto"
	"fmt"
	"strings"

	"github.com/credence-dev/credence/keys"
)

// VerificationMethodFor returns the verification method that ref names, if d authorises
// it for rel. ref is an absolute DID URL or one relative to d.ID ("#key-1"); ids are
// compared exactly after resolution, without normalising percent-encoding.
//
// The method is found when rel lists it, either embedded or by a reference to a method
// that d defines (in verificationMethod or embedded elsewhere). A method that d defines
// but does not list under rel is [ErrVerificationRelationship]; one that d does not
// define, or that rel lists only by reference into another DID's document (which is not
// followed), is [ErrVerificationMethodNotFound]. An invalid ref wraps [ErrInvalidDIDURL];
// an unknown rel wraps [ErrVerificationRelationship].
//
// The result is a copy with its id made absolute.
func (d *Document) VerificationMethodFor(ref string, rel Relationship) (*VerificationMethod, error) {
	entries, ok := d.relationship(rel)
	if !ok {
		return nil, fmt.Errorf("did: unknown verification relationship %s: %w", quote(string(rel)), ErrVerificationRelationship)
	}
	id, err := Parse(d.ID)
	if err != nil {
		return nil, invalidDoc("/id", err)
	}
	base := URL{DID: id}
	target, err := base.ResolveReference(ref)
	if err != nil {
		return nil, err
	}
	want := target.String()
	for i := range entries {
		e := &entries[i]
		if e.Embedded != nil {
			if abs, ok := absoluteID(&base, e.Embedded.ID); ok && abs == want {
				return e.Embedded.withID(abs), nil
			}
			continue
		}
		if abs, ok := absoluteID(&base, e.ID); ok && abs == want {
			vm := d.find(&base, want)
			if vm == nil {
				return nil, fmt.Errorf("did: %s is listed under %s but not defined in the document: %w", quote(want), rel, ErrVerificationMethodNotFound)
			}
			return vm.withID(want), nil
		}
	}
	if d.find(&base, want) != nil {
		return nil, fmt.Errorf("did: %s is not authorised for %s: %w", quote(want), rel, ErrVerificationRelationship)
	}
	return nil, fmt.Errorf("did: %s: %w", quote(want), ErrVerificationMethodNotFound)
}

// Methods returns the verification methods that d lists under rel, in order, as copies
// with absolute ids. References into other DIDs' documents are skipped: this package
// does not follow them (resolve that DID and ask its document). A reference into d that
// d does not define is [ErrVerificationMethodNotFound]; an unknown rel wraps
// [ErrVerificationRelationship].
func (d *Document) Methods(rel Relationship) ([]VerificationMethod, error) {
	entries, ok := d.relationship(rel)
	if !ok {
		return nil, fmt.Errorf("did: unknown verification relationship %s: %w", quote(string(rel)), ErrVerificationRelationship)
	}
	id, err := Parse(d.ID)
	if err != nil {
		return nil, invalidDoc("/id", err)
	}
	base := URL{DID: id}
	var index map[string]*VerificationMethod // by absolute id, built on first use
	out := make([]VerificationMethod, 0, len(entries))
	for i := range entries {
		e := &entries[i]
		if e.Embedded != nil {
			abs, ok := absoluteID(&base, e.Embedded.ID)
			if !ok {
				return nil, invalidDocf(fmt.Sprintf("/%s/%d/id", rel, i), "invalid id %s", quote(e.Embedded.ID))
			}
			out = append(out, *e.Embedded.withID(abs))
			continue
		}
		u, err := base.ResolveReference(e.ID)
		if err != nil {
			return nil, invalidDoc(fmt.Sprintf("/%s/%d", rel, i), err)
		}
		if u.DID != id {
			continue
		}
		abs := u.String()
		if index == nil {
			index = d.index(&base)
		}
		vm := index[abs]
		if vm == nil {
			return nil, fmt.Errorf("did: %s is listed under %s but not defined in the document: %w", quote(abs), rel, ErrVerificationMethodNotFound)
		}
		out = append(out, *vm.withID(abs))
	}
	return out, nil
}

// find returns the method of d whose absolute id is abs: in verificationMethod first,
// then embedded in a relationship.
func (d *Document) find(base *URL, abs string) *VerificationMethod {
	for i := range d.VerificationMethod {
		if id, ok := absoluteID(base, d.VerificationMethod[i].ID); ok && id == abs {
			return &d.VerificationMethod[i]
		}
	}
	for _, rel := range relationships {
		entries, _ := d.relationship(rel)
		for i := range entries {
			if vm := entries[i].Embedded; vm != nil {
				if id, ok := absoluteID(base, vm.ID); ok && id == abs {
					return vm
				}
			}
		}
	}
	return nil
}

// index maps the absolute ids of the methods of d to them, with the same precedence as
// find, so that listing a relationship stays linear in the size of the document.
func (d *Document) index(base *URL) map[string]*VerificationMethod {
	m := make(map[string]*VerificationMethod)
	add := func(vm *VerificationMethod) {
		if id, ok := absoluteID(base, vm.ID); ok {
			if _, dup := m[id]; !dup {
				m[id] = vm
			}
		}
	}
	for i := range d.VerificationMethod {
		add(&d.VerificationMethod[i])
	}
	for _, rel := range relationships {
		entries, _ := d.relationship(rel)
		for i := range entries {
			if vm := entries[i].Embedded; vm != nil {
				add(vm)
			}
		}
	}
	return m
}

// absoluteID resolves a method id against base.
func absoluteID(base *URL, id string) (string, bool) {
	switch {
	case id == "":
		return "", false
	case id[0] == '#' && base.Path == "" && base.Query == "":
		if err := checkURIPart(id[1:], id, 1, true); err != nil || len(id) == 1 {
			return "", false
		}
		return base.DID.String() + id, true
	case strings.HasPrefix(id, "did:"):
		if _, err := ParseURL(id); err != nil {
			return "", false
		}
		return id, true
	}
	u, err := base.ResolveReference(id)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// withID returns a deep copy of vm with its id set to id.
func (vm *VerificationMethod) withID(id string) *VerificationMethod {
	c := vm.clone()
	c.ID = id
	return &c
}

// PublicKey returns the public key of vm: from publicKeyJwk with [keys.ParseJWK] or from
// publicKeyMultibase with [keys.ParseMultikey]. Exactly one of the two must be present.
//
// Type "Multikey" requires publicKeyMultibase and types "JsonWebKey" and "JsonWebKey2020"
// require publicKeyJwk; other types are not checked against the key. Other key
// material (publicKeyBase58 and the like) wraps [keys.ErrUnsupportedKeyType]; none, two
// kinds, or a key that does not parse wraps [ErrInvalidKey] or the error of package keys.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	hasJWK := vm.PublicKeyJwk != nil
	hasMB := vm.PublicKeyMultibase != ""
	other := ""
	for k := range vm.Extra {
		if isKeyMaterial(k) && (other == "" || k < other) {
			other = k
		}
	}
	switch {
	case hasJWK && hasMB, (hasJWK || hasMB) && other != "":
		return nil, fmt.Errorf("did: verification method %s: more than one key material member: %w", quote(vm.ID), ErrInvalidKey)
	case other != "":
		return nil, fmt.Errorf("did: verification method %s: %s: %w", quote(vm.ID), other, keys.ErrUnsupportedKeyType)
	case !hasJWK && !hasMB:
		return nil, fmt.Errorf("did: verification method %s: no key material: %w", quote(vm.ID), ErrInvalidKey)
	}
	switch vm.Type {
	case "Multikey":
		if !hasMB {
			return nil, fmt.Errorf("did: verification method %s: type Multikey without publicKeyMultibase: %w", quote(vm.ID), ErrInvalidKey)
		}
	case "JsonWebKey", "JsonWebKey2020":
		if !hasJWK {
			return nil, fmt.Errorf("did: verification method %s: type %s without publicKeyJwk: %w", quote(vm.ID), vm.Type, ErrInvalidKey)
		}
	}
	var (
		pub crypto.PublicKey
		err error
	)
	if hasJWK {
		pub, err = keys.ParseJWK(vm.PublicKeyJwk)
	} else {
		pub, err = keys.ParseMultikey(vm.PublicKeyMultibase)
	}
	if err != nil {
		return nil, fmt.Errorf("did: verification method %s: %w", quote(vm.ID), err)
	}
	return pub, nil
}
