package did

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Validate checks d against the rules of DID Core 1.0 and 1.1 that a consumer can check
// without resolving anything:
//
//   - id is a valid DID; each controller is a valid DID; alsoKnownAs holds URIs;
//     controller and alsoKnownAs hold no duplicates.
//   - @context, if present (it is optional in the plain JSON representation, DID Core
//     §6.2), is a string or an array of strings and objects whose first item is
//     [ContextV1] or [ContextV11], the base context that the JSON-LD representation of
//     DID Core 1.0 §6.3.1 or 1.1 requires first.
//   - each verification method, in verificationMethod or embedded in a relationship, has
//     an id that is a DID URL (relative ones are resolved against the document id), a
//     type and a controller that is a DID; at most one key material member
//     (publicKeyJwk, publicKeyMultibase, or another publicKey* member, DID Core §5.2.1);
//     publicKeyJwk is an object without private members (DID Core §5.2.1.1).
//   - each relationship entry is either a reference or an embedded method, never both or
//     neither; a reference into this document names a verification method that it
//     defines (references into other DIDs' documents are not followed).
//   - each service has an id (a URI or a DID URL relative to the document id), at least
//     one non-empty type and a serviceEndpoint that is a URI, a map, or a non-empty set of
//     URIs and maps (DID Core §5.4).
//   - verification method ids and service ids, made absolute, are all distinct, so that a
//     DID URL names at most one thing in the document.
//
// Errors wrap [ErrInvalidDIDDocument] and name the JSON Pointer of the failing member.
func (d *Document) Validate() error {
	if d == nil {
		return fmt.Errorf("did: nil document: %w", ErrInvalidDIDDocument)
	}
	id, err := Parse(d.ID)
	if err != nil {
		return invalidDoc("/id", err)
	}
	v := validator{base: URL{DID: id}, ids: make(map[string]idKind)}
	if err := checkContext(d.Context); err != nil {
		return err
	}
	seen := make(map[string]bool, len(d.AlsoKnownAs)+len(d.Controller))
	for i, s := range d.AlsoKnownAs {
		p := "/alsoKnownAs/" + strconv.Itoa(i)
		if !isURI(s) {
			return invalidDocf(p, "%s is not a URI", quote(s))
		}
		if seen[s] {
			return invalidDocf(p, "duplicate %s", quote(s))
		}
		seen[s] = true
	}
	clear(seen)
	for i, s := range d.Controller {
		p := "/controller/" + strconv.Itoa(i)
		if _, err := Parse(s); err != nil {
			return invalidDoc(p, err)
		}
		if seen[s] {
			return invalidDocf(p, "duplicate %s", quote(s))
		}
		seen[s] = true
	}
	for i := range d.VerificationMethod {
		if err := v.method(&d.VerificationMethod[i], "/verificationMethod/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	type ref struct{ abs, path string }
	var refs []ref
	for _, rel := range relationships {
		entries, _ := d.relationship(rel)
		for i := range entries {
			e := &entries[i]
			p := "/" + string(rel) + "/" + strconv.Itoa(i)
			switch {
			case e.Embedded != nil && e.ID != "":
				return invalidDocf(p, "both a reference and an embedded method")
			case e.Embedded != nil:
				if err := v.method(e.Embedded, p); err != nil {
					return err
				}
			case e.ID == "":
				return invalidDocf(p, "empty reference")
			default:
				u, err := v.base.ResolveReference(e.ID)
				if err != nil {
					return invalidDoc(p, err)
				}
				if u.DID == id {
					refs = append(refs, ref{u.String(), p})
				}
			}
		}
	}
	for i := range d.Service {
		if err := v.service(&d.Service[i], "/service/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	for _, r := range refs {
		switch v.ids[r.abs] {
		case kindMethod:
		case kindService:
			return invalidDocf(r.path, "%s names a service, not a verification method", quote(r.abs))
		default:
			return invalidDocf(r.path, "%s names no verification method of this document", quote(r.abs))
		}
	}
	return nil
}

type idKind uint8

const (
	kindNone idKind = iota
	kindMethod
	kindService
)

type validator struct {
	base URL
	ids  map[string]idKind // absolute ids of methods and services
}

func (v *validator) method(vm *VerificationMethod, path string) error {
	if vm.ID == "" {
		return invalidDocf(path+"/id", "missing")
	}
	u, err := v.base.ResolveReference(vm.ID)
	if err != nil {
		return invalidDoc(path+"/id", err)
	}
	if err := v.add(u.String(), kindMethod, path+"/id"); err != nil {
		return err
	}
	if vm.Type == "" {
		return invalidDocf(path+"/type", "missing")
	}
	if vm.Controller == "" {
		return invalidDocf(path+"/controller", "missing")
	}
	if _, err := Parse(vm.Controller); err != nil {
		return invalidDoc(path+"/controller", err)
	}
	material := 0
	if vm.PublicKeyJwk != nil {
		material++
		if err := checkPublicJWK(vm.PublicKeyJwk); err != nil {
			return invalidDoc(path+"/publicKeyJwk", err)
		}
	}
	if vm.PublicKeyMultibase != "" {
		material++
	}
	for k := range vm.Extra {
		if isKeyMaterial(k) {
			material++
		}
	}
	if material > 1 {
		return invalidDocf(path, "more than one key material member")
	}
	return nil
}

// isKeyMaterial reports whether a verification method member other than publicKeyJwk
// and publicKeyMultibase carries key material (publicKeyBase58, publicKeyHex, ...).
func isKeyMaterial(member string) bool {
	return strings.HasPrefix(member, "publicKey") && member != memPublicKeyJwk && member != memPublicKeyMultibase
}

// privateJWKMembers are the JWK members of the "Private" information class in the IANA
// JSON Web Key Parameters registry, plus the symmetric key "k".
var privateJWKMembers = [...]string{"d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"}

func checkPublicJWK(raw json.RawMessage) error {
	names, ok := rawMembers(raw)
	if !ok {
		return errors.New("not a JSON object")
	}
	for _, k := range privateJWKMembers {
		if slices.Contains(names, k) {
			return fmt.Errorf("private key member %q", k)
		}
	}
	return nil
}

func (v *validator) service(s *Service, path string) error {
	if s.ID == "" {
		return invalidDocf(path+"/id", "missing")
	}
	abs := s.ID
	if scheme, ok := uriScheme(s.ID); ok && !strings.EqualFold(scheme, "did") {
		if !isURI(s.ID) {
			return invalidDocf(path+"/id", "%s is not a URI", quote(s.ID))
		}
	} else {
		u, err := v.base.ResolveReference(s.ID)
		if err != nil {
			return invalidDoc(path+"/id", err)
		}
		abs = u.String()
	}
	if err := v.add(abs, kindService, path+"/id"); err != nil {
		return err
	}
	if len(s.Type) == 0 {
		return invalidDocf(path+"/type", "missing")
	}
	for i, t := range s.Type {
		if t == "" {
			return invalidDocf(path+"/type/"+strconv.Itoa(i), "empty")
		}
	}
	if s.ServiceEndpoint == nil {
		return invalidDocf(path+"/serviceEndpoint", "missing")
	}
	return checkEndpoint(s.ServiceEndpoint, path+"/serviceEndpoint")
}

// checkEndpoint checks a serviceEndpoint: a URI string, a map, or a set of one or more
// URI strings and maps (DID Core §5.4).
func checkEndpoint(raw json.RawMessage, path string) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return invalidDocf(path, "not JSON")
	}
	item := func(v any, p string) error {
		switch v := v.(type) {
		case string:
			if !isURI(v) {
				return invalidDocf(p, "%s is not a URI", quote(v))
			}
		case map[string]any:
		default:
			return invalidDocf(p, "not a string or a map")
		}
		return nil
	}
	if a, ok := v.([]any); ok {
		if len(a) == 0 {
			return invalidDocf(path, "empty set")
		}
		for i, e := range a {
			if err := item(e, path+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	}
	return item(v, path)
}

func (v *validator) add(abs string, kind idKind, path string) error {
	if v.ids[abs] != kindNone {
		return invalidDocf(path, "duplicate id %s", quote(abs))
	}
	v.ids[abs] = kind
	return nil
}

func checkContext(c []any) error {
	if c == nil {
		return nil
	}
	if len(c) == 0 {
		return invalidDocf("/@context", "empty")
	}
	if s, _ := c[0].(string); s != ContextV1 && s != ContextV11 {
		return invalidDocf("/@context/0", "first context is not %q or %q", ContextV1, ContextV11)
	}
	for i, e := range c[1:] {
		switch e := e.(type) {
		case string:
			if e == "" {
				return invalidDocf("/@context/"+strconv.Itoa(i+1), "empty")
			}
		case map[string]any:
		default:
			return invalidDocf("/@context/"+strconv.Itoa(i+1), "not a string or an object")
		}
	}
	return nil
}

func invalidDoc(path string, err error) error {
	return fmt.Errorf("did: document %s: %s: %w", path, strings.TrimPrefix(err.Error(), "did: "), ErrInvalidDIDDocument)
}

func invalidDocf(path, format string, args ...any) error {
	return fmt.Errorf("did: document %s: %s: %w", path, fmt.Sprintf(format, args...), ErrInvalidDIDDocument)
}

// isURI reports whether s is an absolute URI as far as RFC 3986 §3 can be checked by
// characters: a scheme, ":", then only unreserved, reserved and percent-encoded
// characters, with at most one "#".
func isURI(s string) bool {
	scheme, ok := uriScheme(s)
	if !ok {
		return false
	}
	hash := false
	for i := len(scheme) + 1; i < len(s); i++ {
		c := s[i]
		switch {
		case isPChar(c) || c == '/' || c == '?' || c == '[' || c == ']':
		case c == '#':
			if hash {
				return false
			}
			hash = true
		case c == '%':
			if !validPct(s, i) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}
