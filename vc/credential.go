package vc

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Version is the VC Data Model version that a credential or presentation follows, named
// by the first entry of its @context.
type Version int

// Versions of the VC Data Model. The zero Version means the first @context entry is
// neither base context; Validate rejects such a document.
const (
	V1 Version = 1 // VC Data Model 1.1, base context ContextV1
	V2 Version = 2 // VC Data Model 2.0, base context ContextV2
)

// Base context URLs: the first @context entry of every credential and presentation.
const (
	ContextV1 = "https://www.w3.org/2018/credentials/v1" // VC DM 1.1 §4.1
	ContextV2 = "https://www.w3.org/ns/credentials/v2"   // VC DM 2.0 §4.3
)

// Base types required in the type of credentials and presentations, and the type of an
// enveloped credential (VC DM 2.0 §4.5, §4.13.1).
const (
	TypeVerifiableCredential          = "VerifiableCredential"
	TypeVerifiablePresentation        = "VerifiablePresentation"
	TypeEnvelopedVerifiableCredential = "EnvelopedVerifiableCredential"
)

// String returns "VCDM 1.1", "VCDM 2.0" or "unknown".
func (v Version) String() string {
	switch v {
	case V1:
		return "VCDM 1.1"
	case V2:
		return "VCDM 2.0"
	}
	return "unknown"
}

func versionOf(context []any) Version {
	if len(context) == 0 {
		return 0
	}
	switch context[0] {
	case ContextV1:
		return V1
	case ContextV2:
		return V2
	}
	return 0
}

// Credential is a verifiable credential in the VC Data Model 2.0 (or 1.1) as JSON: the
// members that the data model defines have typed fields, and every other member is kept in
// Extra with its bytes unchanged.
//
// [ParseCredential] fills a Credential from JSON and [Credential.MarshalJSON] writes it back:
// the result is equal as a JSON value to the input (member order aside), and each member
// keeps its form (a single value or an array, a time's exact text). A Credential built in
// code marshals @context and type as arrays and any other single object as an object.
//
// A Credential is plain data: parsing does not check the data-model rules (call
// [Credential.Validate]) and nothing here verifies a proof. A Credential is not safe for
// concurrent modification; reading it from several goroutines is fine.
type Credential struct {
	// Context is "@context": each entry is a string (a URL) or a map[string]any (an inline
	// context, numbers as json.Number), in order.
	Context []any
	// ID is "id"; "" when absent.
	ID string
	// Type is "type", in order.
	Type []string
	// Issuer is "issuer"; the zero Issuer when absent.
	Issuer Party
	// Name and Description are "name" and "description" as written: a string, a language
	// value object or an array of them (VC DM 2.0 §4.6); nil when absent.
	Name, Description json.RawMessage
	// ValidFrom and ValidUntil are "validFrom" and "validUntil" (VC DM 2.0 §4.9).
	ValidFrom, ValidUntil *time.Time
	// IssuanceDate and ExpirationDate are "issuanceDate" and "expirationDate" (VC DM 1.1
	// §4.6, §4.8); a 2.0 credential must not have them.
	IssuanceDate, ExpirationDate *time.Time
	// Subject is "credentialSubject": one object or several.
	Subject []Subject
	// Status is "credentialStatus" (VC DM 2.0 §4.10).
	Status []Status
	// Schema is "credentialSchema" (VC DM 2.0 §4.11).
	Schema []Schema
	// Evidence, TermsOfUse, RefreshService and RenderMethod are "evidence", "termsOfUse",
	// "refreshService" and "renderMethod" (VC DM 2.0 §5.4-§5.6, §5.10).
	Evidence, TermsOfUse, RefreshService, RenderMethod []TypedObject
	// Proof is "proof": each embedded proof object as written. This package does not
	// interpret proofs beyond requiring a type.
	Proof []json.RawMessage
	// Extra holds every other member, its value as written.
	Extra map[string]json.RawMessage

	forms forms
	times [4]dateTime // validFrom, validUntil, issuanceDate, expirationDate as written
	src   source
}

// Indexes into Credential.times.
const (
	timeValidFrom = iota
	timeValidUntil
	timeIssuanceDate
	timeExpirationDate
)

// Party is the issuer of a credential or the holder of a presentation: a URL, or an
// object with an id and other members (name, description, ...). It is written as a string
// when Extra is empty and it was a string or was built in code, and as an object otherwise.
type Party struct {
	ID    string                     // "id", or the string itself
	Extra map[string]json.RawMessage // every member but id, as written

	object bool // written as an object
}

// Subject is one credentialSubject object: an optional id and the claims about it.
type Subject struct {
	ID     string                     // "id"; "" when absent
	Claims map[string]json.RawMessage // every member but id, as written
}

// Status is one credentialStatus object. VC DM 2.0 requires Type; 1.1 also requires ID.
type Status struct {
	ID, Type string
	Extra    map[string]json.RawMessage // every member but id and type, as written
}

// Schema is one credentialSchema object; ID and Type are both required.
type Schema struct {
	ID, Type string
	Extra    map[string]json.RawMessage // every member but id and type, as written
}

// TypedObject is one evidence, termsOfUse, refreshService or renderMethod object: a type
// (required) and an optional id, plus whatever its type defines.
type TypedObject struct {
	ID    string
	Type  []string
	Extra map[string]json.RawMessage // every member but id and type, as written

	typeSingle bool // type written as a string
}

// shape names the members that can be written as one value or as an array.
type shape uint16

const (
	shContext shape = 1 << iota
	shType
	shSubject
	shStatus
	shSchema
	shEvidence
	shTermsOfUse
	shRefreshService
	shRenderMethod
	shProof
	shCredentials // verifiableCredential of a presentation
)

// forms records, for members read from JSON, whether each was a single value or an array.
type forms struct {
	single, array shape
}

func (f *forms) set(s shape, array bool) {
	if array {
		f.array |= s
	} else {
		f.single |= s
	}
}

// isArray decides how to write n values of member s: as read when the count allows it,
// else as an array unless there is one value and the default is a single value.
func (f forms) isArray(s shape, n int, defaultArray bool) bool {
	switch {
	case n != 1:
		return true
	case f.single&s != 0:
		return false
	case f.array&s != 0:
		return true
	}
	return defaultArray
}

// ParseCredential decodes a credential from JSON. The input is checked strictly (at most
// 1 MiB and 64 levels, no duplicate member names, valid UTF-8) and each member the data
// model defines must have its JSON shape: @context a string or an array of strings and
// objects, id a non-empty string, type a string or an array of strings, issuer a string or
// an object, times XML Schema dateTime strings, the object members objects or arrays of
// objects. ParseCredential does not apply the data-model rules: call
// [Credential.Validate].
//
// On failure the result is nil and the error is a *VerifyError with ReasonMalformed
// wrapping ErrMalformed, ErrTooLarge or ErrTooDeep.
func ParseCredential(data []byte) (*Credential, error) {
	c := new(Credential)
	if err := c.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return c, nil
}

// UnmarshalJSON implements json.Unmarshaler with the checks of [ParseCredential]. On
// error c is left unchanged.
func (c *Credential) UnmarshalJSON(data []byte) error {
	if err := checkJSON(data); err != nil {
		return err
	}
	return c.decode(bytes.Clone(data)) // Extra and the other raw members share this copy
}

// parseCheckedCredential is ParseCredential for a document that the caller has already
// checked as strict JSON within the default limits (a vc+jwt payload that vc/jose
// validated) and that nothing else will modify: it skips the second check and copy.
func parseCheckedCredential(data []byte) (*Credential, error) {
	c := new(Credential)
	if err := c.decode(data); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Credential) decode(data []byte) error {
	v := data[skipSpace(data, 0):]
	if kind(v) != '{' {
		return malformedAt("", "a credential must be a JSON object")
	}
	nc := Credential{src: data}
	if err := members(v, nc.decodeMember); err != nil {
		return err
	}
	*c = nc
	return nil
}

// memberPaths holds the JSON Pointer of each top-level member that has a typed field.
var memberPaths = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"@context", "id", "type", "issuer", "name", "description", "validFrom",
		"validUntil", "issuanceDate", "expirationDate", "credentialSubject", "credentialStatus",
		"credentialSchema", "evidence", "termsOfUse", "refreshService", "renderMethod", "proof",
		"holder", "verifiableCredential"} {
		m[n] = "/" + n
	}
	return m
}()

func (c *Credential) decodeMember(name string, v []byte) error {
	path := memberPaths[name]
	var (
		array bool
		err   error
	)
	switch name {
	case "@context":
		c.Context, array, err = decodeContext(v)
		c.forms.set(shContext, array)
	case "id":
		c.ID, err = decodeID(v, path)
	case "type":
		c.Type, array, err = decodeTypes(v, path)
		c.forms.set(shType, array)
	case "issuer":
		var is party
		is, err = decodeParty(v, path, "issuer")
		c.Issuer = Party(is)
	case "name":
		c.Name = v
	case "description":
		c.Description = v
	case "validFrom":
		c.ValidFrom, err = c.decodeTime(timeValidFrom, v, path)
	case "validUntil":
		c.ValidUntil, err = c.decodeTime(timeValidUntil, v, path)
	case "issuanceDate":
		c.IssuanceDate, err = c.decodeTime(timeIssuanceDate, v, path)
	case "expirationDate":
		c.ExpirationDate, err = c.decodeTime(timeExpirationDate, v, path)
	case "credentialSubject":
		c.Subject = []Subject{}
		array, err = decodeObjects(v, path, func(_ int, obj []byte, p string) error {
			s, err := decodeSubject(obj, p)
			c.Subject = append(c.Subject, s)
			return err
		})
		c.forms.set(shSubject, array)
	case "credentialStatus":
		c.Status = []Status{}
		array, err = decodeObjects(v, path, func(_ int, obj []byte, p string) error {
			id, typ, extra, err := decodeIDType(obj, p)
			c.Status = append(c.Status, Status{ID: id, Type: typ, Extra: extra})
			return err
		})
		c.forms.set(shStatus, array)
	case "credentialSchema":
		c.Schema = []Schema{}
		array, err = decodeObjects(v, path, func(_ int, obj []byte, p string) error {
			id, typ, extra, err := decodeIDType(obj, p)
			c.Schema = append(c.Schema, Schema{ID: id, Type: typ, Extra: extra})
			return err
		})
		c.forms.set(shSchema, array)
	case "evidence":
		c.Evidence, array, err = decodeTypedObjects(v, path)
		c.forms.set(shEvidence, array)
	case "termsOfUse":
		c.TermsOfUse, array, err = decodeTypedObjects(v, path)
		c.forms.set(shTermsOfUse, array)
	case "refreshService":
		c.RefreshService, array, err = decodeTypedObjects(v, path)
		c.forms.set(shRefreshService, array)
	case "renderMethod":
		c.RenderMethod, array, err = decodeTypedObjects(v, path)
		c.forms.set(shRenderMethod, array)
	case "proof":
		c.Proof, array, err = decodeRawObjects(v, path)
		c.forms.set(shProof, array)
	default:
		if c.Extra == nil {
			c.Extra = make(map[string]json.RawMessage)
		}
		c.Extra[name] = v
	}
	return err
}

// credentialMember reports whether name has a typed field in Credential.
func credentialMember(name string) bool {
	switch name {
	case "@context", "id", "type", "issuer", "name", "description", "validFrom", "validUntil",
		"issuanceDate", "expirationDate", "credentialSubject", "credentialStatus",
		"credentialSchema", "evidence", "termsOfUse", "refreshService", "renderMethod", "proof":
		return true
	}
	return false
}

func (c *Credential) decodeTime(i int, v []byte, path string) (*time.Time, error) {
	s, ok := stringValue(v)
	if !ok {
		return nil, malformedAt(path, "a date and time must be a string")
	}
	t, zone, ok := parseDateTime(s)
	if !ok {
		return nil, malformedAt(path, "not an XML Schema dateTime")
	}
	c.times[i] = dateTime{text: s, t: t, zone: zone}
	return &t, nil
}

// decodeContext reads @context: a string or an array of strings and objects.
func decodeContext(v []byte) ([]any, bool, error) {
	if s, ok := stringValue(v); ok {
		return []any{s}, false, nil
	}
	if kind(v) != '[' {
		return nil, false, malformedAt("/@context", "@context must be a string or an array")
	}
	ctx := []any{}
	err := elements(v, func(i int, e []byte) error {
		switch kind(e) {
		case '"':
			ctx = append(ctx, decodeString(e))
		case '{':
			m, err := jsonx.Decode(e, jsonx.Limits{})
			if err != nil {
				return malformedAt(pointer("/@context", itoa(i)), "inline context: "+err.Error())
			}
			ctx = append(ctx, m)
		default:
			return malformedAt(pointer("/@context", itoa(i)), "a context must be a URL string or an object")
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return ctx, true, nil
}

// decodeID reads an id: a non-empty string.
func decodeID(v []byte, path string) (string, error) {
	s, ok := stringValue(v)
	if !ok || s == "" {
		return "", malformedAt(path, "an id must be a single non-empty string")
	}
	return s, nil
}

// decodeTypes reads a type: a string or an array of strings.
func decodeTypes(v []byte, path string) ([]string, bool, error) {
	if s, ok := stringValue(v); ok {
		return []string{s}, false, nil
	}
	if kind(v) != '[' {
		return nil, false, malformedAt(path, "type must be a string or an array of strings")
	}
	types := []string{}
	err := elements(v, func(i int, e []byte) error {
		s, ok := stringValue(e)
		if !ok {
			return malformedAt(pointer(path, itoa(i)), "a type must be a string")
		}
		types = append(types, s)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return types, true, nil
}

// party is the common shape of Issuer and Holder.
type party struct {
	ID     string
	Extra  map[string]json.RawMessage
	object bool
}

func decodeParty(v []byte, path, what string) (party, error) {
	if s, ok := stringValue(v); ok {
		if s == "" {
			return party{}, malformedAt(path, what+" must not be empty")
		}
		return party{ID: s}, nil
	}
	if kind(v) != '{' {
		return party{}, malformedAt(path, what+" must be a URL string or an object")
	}
	p := party{object: true}
	err := members(v, func(name string, m []byte) error {
		if name == "id" {
			id, err := decodeID(m, path+"/id")
			p.ID = id
			return err
		}
		if p.Extra == nil {
			p.Extra = make(map[string]json.RawMessage)
		}
		p.Extra[name] = m
		return nil
	})
	return p, err
}

func (p party) isZero() bool { return p.ID == "" && len(p.Extra) == 0 && !p.object }

func (p party) appendTo(b []byte, where string, src source) ([]byte, error) {
	if !p.object && len(p.Extra) == 0 {
		return appendString(b, p.ID), nil
	}
	o := newObject(b)
	if p.ID != "" {
		o.str("id", p.ID)
	}
	if err := src.appendExtra(o, p.Extra, isID, where); err != nil {
		return nil, err
	}
	return o.close(), nil
}

func isID(name string) bool       { return name == "id" }
func isIDOrType(name string) bool { return name == "id" || name == "type" }

// decodeObjects calls fn for the object v or each object of the array v.
func decodeObjects(v []byte, path string, fn func(i int, obj []byte, p string) error) (bool, error) {
	if k := kind(v); k != '{' && k != '[' {
		return false, malformedAt(path, "must be an object or an array of objects")
	}
	array := kind(v) == '['
	_, err := oneOrMany(v, func(i int, e []byte) error {
		p := path + index(array, i)
		if kind(e) != '{' {
			return malformedAt(p, "must be an object")
		}
		return fn(i, e, p)
	})
	return array, err
}

func decodeRawObjects(v []byte, path string) ([]json.RawMessage, bool, error) {
	out := []json.RawMessage{}
	array, err := decodeObjects(v, path, func(_ int, obj []byte, _ string) error {
		out = append(out, obj)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, array, nil
}

func decodeSubject(v []byte, path string) (Subject, error) {
	var s Subject
	err := members(v, func(name string, m []byte) error {
		if name == "id" {
			id, err := decodeID(m, path+"/id")
			s.ID = id
			return err
		}
		if s.Claims == nil {
			s.Claims = make(map[string]json.RawMessage)
		}
		s.Claims[name] = m
		return nil
	})
	return s, err
}

// decodeIDType reads an object whose id and type are single strings.
func decodeIDType(v []byte, path string) (id, typ string, extra map[string]json.RawMessage, err error) {
	err = members(v, func(name string, m []byte) error {
		var err error
		switch name {
		case "id":
			id, err = decodeID(m, path+"/id")
		case "type":
			var ok bool
			if typ, ok = stringValue(m); !ok || typ == "" {
				err = malformedAt(path+"/type", "type must be a single non-empty string")
			}
		default:
			if extra == nil {
				extra = make(map[string]json.RawMessage)
			}
			extra[name] = m
		}
		return err
	})
	return id, typ, extra, err
}

func decodeTypedObjects(v []byte, path string) ([]TypedObject, bool, error) {
	out := []TypedObject{}
	array, err := decodeObjects(v, path, func(_ int, obj []byte, p string) error {
		var t TypedObject
		err := members(obj, func(name string, m []byte) error {
			var err error
			switch name {
			case "id":
				t.ID, err = decodeID(m, p+"/id")
			case "type":
				var array bool
				t.Type, array, err = decodeTypes(m, p+"/type")
				t.typeSingle = !array
			default:
				if t.Extra == nil {
					t.Extra = make(map[string]json.RawMessage)
				}
				t.Extra[name] = m
			}
			return err
		})
		out = append(out, t)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return out, array, nil
}

// Version returns the data-model version named by the first @context entry, or 0.
func (c *Credential) Version() Version { return versionOf(c.Context) }

// MarshalJSON implements json.Marshaler. It fails with ErrMalformed when a value cannot
// be written: an Extra or Claims name that a typed field owns, or raw bytes that are not
// JSON.
func (c *Credential) MarshalJSON() ([]byte, error) {
	if c == nil {
		return []byte("null"), nil
	}
	o := newObject(make([]byte, 0, 1024))
	var err error
	if c.Context != nil {
		o.name("@context")
		if o.buf, err = appendContext(o.buf, c.Context, c.forms.isArray(shContext, len(c.Context), true)); err != nil {
			return nil, err
		}
	}
	if c.ID != "" {
		o.str("id", c.ID)
	}
	if c.Type != nil {
		o.name("type")
		o.buf = appendStrings(o.buf, c.Type, !c.forms.isArray(shType, len(c.Type), true))
	}
	if !party(c.Issuer).isZero() {
		o.name("issuer")
		if o.buf, err = party(c.Issuer).appendTo(o.buf, "/issuer", c.src); err != nil {
			return nil, err
		}
	}
	for _, m := range []struct {
		name string
		v    json.RawMessage
	}{{"name", c.Name}, {"description", c.Description}} {
		if m.v == nil {
			continue
		}
		if !c.src.valid(m.v) {
			return nil, malformedAt("/"+m.name, "value is not JSON")
		}
		o.raw(m.name, m.v)
	}
	for i, t := range []*time.Time{c.ValidFrom, c.ValidUntil, c.IssuanceDate, c.ExpirationDate} {
		if t != nil {
			o.str(timeMembers[i], c.times[i].textFor(*t))
		}
	}
	if c.Subject != nil {
		o.name("credentialSubject")
		array := c.forms.isArray(shSubject, len(c.Subject), false)
		if o.buf, err = appendEach(o.buf, len(c.Subject), array, func(b []byte, i int) ([]byte, error) {
			s := c.Subject[i]
			so := newObject(b)
			if s.ID != "" {
				so.str("id", s.ID)
			}
			if err := c.src.appendExtra(so, s.Claims, isID, "/credentialSubject"+index(array, i)); err != nil {
				return nil, err
			}
			return so.close(), nil
		}); err != nil {
			return nil, err
		}
	}
	if c.Status != nil {
		o.name("credentialStatus")
		array := c.forms.isArray(shStatus, len(c.Status), false)
		if o.buf, err = appendEach(o.buf, len(c.Status), array, func(b []byte, i int) ([]byte, error) {
			s := c.Status[i]
			return c.src.appendIDType(b, s.ID, s.Type, s.Extra, "/credentialStatus"+index(array, i))
		}); err != nil {
			return nil, err
		}
	}
	if c.Schema != nil {
		o.name("credentialSchema")
		array := c.forms.isArray(shSchema, len(c.Schema), false)
		if o.buf, err = appendEach(o.buf, len(c.Schema), array, func(b []byte, i int) ([]byte, error) {
			s := c.Schema[i]
			return c.src.appendIDType(b, s.ID, s.Type, s.Extra, "/credentialSchema"+index(array, i))
		}); err != nil {
			return nil, err
		}
	}
	for _, m := range c.typedMembers() {
		if m.objs == nil {
			continue
		}
		o.name(m.name)
		if o.buf, err = c.src.appendTypedObjects(o.buf, m.objs, c.forms.isArray(m.shape, len(m.objs), false), "/"+m.name); err != nil {
			return nil, err
		}
	}
	if err := c.src.appendExtra(o, c.Extra, credentialMember, ""); err != nil {
		return nil, err
	}
	if c.Proof != nil {
		o.name("proof")
		if o.buf, err = c.src.appendRaws(o.buf, c.Proof, c.forms.isArray(shProof, len(c.Proof), false), "/proof"); err != nil {
			return nil, err
		}
	}
	return o.close(), nil
}

var timeMembers = [4]string{"validFrom", "validUntil", "issuanceDate", "expirationDate"}

type typedMember struct {
	name  string
	shape shape
	objs  []TypedObject
}

func (c *Credential) typedMembers() [4]typedMember {
	return [4]typedMember{
		{"evidence", shEvidence, c.Evidence},
		{"termsOfUse", shTermsOfUse, c.TermsOfUse},
		{"refreshService", shRefreshService, c.RefreshService},
		{"renderMethod", shRenderMethod, c.RenderMethod},
	}
}

// appendEach writes n values, as an array or (n == 1, !array) as the single value.
func appendEach(b []byte, n int, array bool, fn func(b []byte, i int) ([]byte, error)) ([]byte, error) {
	if array {
		b = append(b, '[')
	}
	var err error
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = fn(b, i); err != nil {
			return nil, err
		}
	}
	if array {
		b = append(b, ']')
	}
	return b, nil
}

func appendContext(b []byte, ctx []any, array bool) ([]byte, error) {
	return appendEach(b, len(ctx), array, func(b []byte, i int) ([]byte, error) {
		if s, ok := ctx[i].(string); ok {
			return appendString(b, s), nil
		}
		v, err := json.Marshal(ctx[i])
		if err != nil {
			return nil, malformedAt(pointer("/@context", itoa(i)), "inline context cannot be written as JSON")
		}
		return append(b, v...), nil
	})
}

func (s source) appendIDType(b []byte, id, typ string, extra map[string]json.RawMessage, where string) ([]byte, error) {
	o := newObject(b)
	if id != "" {
		o.str("id", id)
	}
	if typ != "" {
		o.str("type", typ)
	}
	if err := s.appendExtra(o, extra, isIDOrType, where); err != nil {
		return nil, err
	}
	return o.close(), nil
}

func (s source) appendTypedObjects(b []byte, objs []TypedObject, array bool, where string) ([]byte, error) {
	return appendEach(b, len(objs), array, func(b []byte, i int) ([]byte, error) {
		t := objs[i]
		o := newObject(b)
		if t.ID != "" {
			o.str("id", t.ID)
		}
		if t.Type != nil {
			o.name("type")
			o.buf = appendStrings(o.buf, t.Type, t.typeSingle && len(t.Type) == 1)
		}
		if err := s.appendExtra(o, t.Extra, isIDOrType, where+index(array, i)); err != nil {
			return nil, err
		}
		return o.close(), nil
	})
}

func (s source) appendRaws(b []byte, raws []json.RawMessage, array bool, where string) ([]byte, error) {
	return appendEach(b, len(raws), array, func(b []byte, i int) ([]byte, error) {
		if !s.valid(raws[i]) {
			return nil, malformedAt(where+index(array, i), "value is not JSON")
		}
		return append(b, raws[i]...), nil
	})
}

// Map returns the credential as decoded JSON (objects as map[string]any, numbers as
// json.Number), as MarshalJSON writes it: the generic view that claim matching and
// display work on. The map is a fresh copy.
func (c *Credential) Map() (map[string]any, error) {
	b, err := c.MarshalJSON()
	if err != nil {
		return nil, err
	}
	v, err := jsonx.Decode(b, jsonx.Limits{MaxBytes: max(len(b), jsonx.DefaultMaxBytes)})
	if err != nil {
		return nil, &VerifyError{Reason: ReasonMalformed, Err: jsonxSentinel(err), detail: err.Error()}
	}
	m, _ := v.(map[string]any)
	return m, nil
}
