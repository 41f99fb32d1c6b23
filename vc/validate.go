package vc

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/credence-dev/credence/internal/errs"
)

// This file holds the data-model rules of the VC Data Model 2.0 (§4, §5) and 1.1 (§4,
// §5). Every rule that plain JSON can decide is decided here. The JSON-LD rules (a term
// redefined under @protected, a type that no context maps) are decided from the base
// contexts' term lists and the inline context objects; where a remote context this
// package does not know could change the answer, the credential is accepted and the
// question is left to JSON-LD expansion, which runs when a Data Integrity proof is
// verified.

func dataModel(path string, sentinel error, detail string) *VerifyError {
	return &VerifyError{Reason: ReasonDataModel, Path: path, Err: sentinel, detail: detail}
}

// Validate checks every data-model rule of the credential's version (VC DM 2.0 §4 and §5,
// or VC DM 1.1 §4 and §5 for a V1 credential):
//
//   - @context: the base context of the version first, then URLs and inline objects; no
//     URL twice; inline contexts that redefine a protected term or map a term to something
//     that is not an IRI are refused (ErrUnknownContext).
//   - type: contains VerifiableCredential; each value a term or an absolute URL; a term
//     that no context defines is refused when the contexts are all known (ErrInvalidType).
//   - id, issuer (or issuer.id), every credentialSubject id, credentialStatus id and
//     credentialSchema id: URLs. Issuer and at least one non-empty subject are required.
//   - 2.0: validFrom and validUntil are dateTimeStamps (time zone required) and validUntil
//     is not before validFrom; the 1.1 members issuanceDate and expirationDate are refused.
//     1.1: issuanceDate is required, and times are dateTimes.
//   - name and description (of the credential and of the issuer): strings, language value
//     objects (§11.1) or arrays of them.
//   - credentialStatus needs a type (and in 1.1 an id); credentialSchema an id and a type;
//     evidence, termsOfUse, refreshService and renderMethod a type (1.1 refreshService also
//     an id); each relatedResource (2.0) an id, unique, and a digest; each proof a type.
//
// The error is a *VerifyError with ReasonDataModel, the JSON Pointer of the failing member
// and ErrMalformed, ErrInvalidType or ErrUnknownContext. Validate does not check time
// against a clock, status, schemas, proofs or trust: the Verifier does.
func (c *Credential) Validate() error {
	return c.validate(false)
}

// validate checks c; inherited says that c is embedded where an outer context still
// applies (a 1.1 presentation), so a term it does not define may be defined outside.
func (c *Credential) validate(inherited bool) error {
	scan, ver, err := checkContext(c.Context, c.forms.isArray(shContext, len(c.Context), true), inherited)
	if err != nil {
		return err
	}
	if c.ID != "" && !isURL(c.ID) {
		return dataModel("/id", errs.ErrMalformed, "id must be a URL")
	}
	if err := scan.checkTypes(c.Type, TypeVerifiableCredential, "/type", c.forms.isArray(shType, len(c.Type), true)); err != nil {
		return err
	}
	if err := c.src.checkParty(party(c.Issuer), "/issuer", "issuer", true); err != nil {
		return err
	}
	if err := c.src.checkLanguageValue(c.Name, "/name"); err != nil {
		return err
	}
	if err := c.src.checkLanguageValue(c.Description, "/description"); err != nil {
		return err
	}
	if err := c.checkTimes(ver); err != nil {
		return err
	}
	if err := c.checkSubjects(); err != nil {
		return err
	}
	statusArray := c.forms.isArray(shStatus, len(c.Status), false)
	for i, s := range c.Status {
		p := "/credentialStatus" + index(statusArray, i)
		if err := checkTypeMember([]string{s.Type}, s.Type == "", p); err != nil {
			return err
		}
		if err := checkObjectID(s.ID, ver == V1, p); err != nil {
			return err
		}
	}
	schemaArray := c.forms.isArray(shSchema, len(c.Schema), false)
	for i, s := range c.Schema {
		p := "/credentialSchema" + index(schemaArray, i)
		if err := checkTypeMember([]string{s.Type}, s.Type == "", p); err != nil {
			return err
		}
		if err := checkObjectID(s.ID, true, p); err != nil {
			return err
		}
	}
	for _, m := range c.typedMembers() {
		array := c.forms.isArray(m.shape, len(m.objs), false)
		for i, t := range m.objs {
			p := "/" + m.name + index(array, i)
			if err := checkTypeMember(t.Type, len(t.Type) == 0, p); err != nil {
				return err
			}
			// VC DM 1.1 §5.5: a refresh service names its type and its id.
			if err := checkObjectID(t.ID, ver == V1 && m.shape == shRefreshService, p); err != nil {
				return err
			}
		}
	}
	if rr, ok := c.Extra["relatedResource"]; ok && ver == V2 {
		if err := c.src.checkRelatedResources(rr); err != nil {
			return err
		}
	}
	return c.src.checkProofs(c.Proof, c.forms.isArray(shProof, len(c.Proof), false))
}

func (c *Credential) checkTimes(ver Version) error {
	switch ver {
	case V2:
		// VC DM 2.0 §4.9: validFrom and validUntil are dateTimeStamps.
		if c.ValidFrom != nil && !c.times[timeValidFrom].hasZone(*c.ValidFrom) {
			return dataModel("/validFrom", errs.ErrMalformed, "validFrom must have a time zone (XML Schema dateTimeStamp)")
		}
		if c.ValidUntil != nil && !c.times[timeValidUntil].hasZone(*c.ValidUntil) {
			return dataModel("/validUntil", errs.ErrMalformed, "validUntil must have a time zone (XML Schema dateTimeStamp)")
		}
		if c.ValidFrom != nil && c.ValidUntil != nil && c.ValidUntil.Before(*c.ValidFrom) {
			return dataModel("/validUntil", errs.ErrMalformed, "validUntil is before validFrom")
		}
		// issuanceDate and expirationDate are 1.1 members that the 2.0 base context does
		// not define; a verifier of 2.0 credentials would ignore them, so an expiry
		// written there would not be enforced.
		if c.IssuanceDate != nil {
			return dataModel("/issuanceDate", errs.ErrMalformed, "issuanceDate is a VC Data Model 1.1 member; 2.0 uses validFrom")
		}
		if c.ExpirationDate != nil {
			return dataModel("/expirationDate", errs.ErrMalformed, "expirationDate is a VC Data Model 1.1 member; 2.0 uses validUntil")
		}
	case V1:
		// VC DM 1.1 §4.6: issuanceDate is required.
		if c.IssuanceDate == nil {
			return dataModel("/issuanceDate", errs.ErrMalformed, "issuanceDate is required in a VC Data Model 1.1 credential")
		}
	}
	return nil
}

func (c *Credential) checkSubjects() error {
	// VC DM 2.0 §4.8: one or more subjects, each the subject of one or more claims.
	if len(c.Subject) == 0 {
		return dataModel("/credentialSubject", errs.ErrMalformed, "credentialSubject is required")
	}
	array := c.forms.isArray(shSubject, len(c.Subject), false)
	for i, s := range c.Subject {
		p := "/credentialSubject" + index(array, i)
		if s.ID == "" && len(s.Claims) == 0 {
			return dataModel(p, errs.ErrMalformed, "a credential subject must make at least one claim")
		}
		if s.ID != "" && !isURL(s.ID) {
			return dataModel(p+"/id", errs.ErrMalformed, "a subject id must be a URL")
		}
	}
	return nil
}

// checkParty checks an issuer or holder: a URL, or an object whose id is a URL, and the
// names and descriptions it carries.
func (s source) checkParty(p party, path, what string, required bool) error {
	if p.isZero() {
		if required {
			return dataModel(path, errs.ErrMalformed, what+" is required")
		}
		return nil
	}
	idPath := path
	if p.object || len(p.Extra) > 0 {
		idPath = path + "/id"
	}
	if p.ID == "" {
		return dataModel(idPath, errs.ErrMalformed, what+" must have an id")
	}
	if !isURL(p.ID) {
		return dataModel(idPath, errs.ErrMalformed, what+" must be a URL")
	}
	for _, n := range []string{"name", "description"} {
		if v, ok := p.Extra[n]; ok {
			if err := s.checkLanguageValue(v, path+"/"+n); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTypeMember checks the type of a status, schema, evidence, terms of use, refresh
// service or render method object: present, each value a term or an absolute URL.
func checkTypeMember(types []string, missing bool, path string) error {
	if missing {
		return dataModel(path+"/type", errs.ErrInvalidType, "type is required")
	}
	for _, t := range types {
		if !typeSyntax(t) {
			return dataModel(path+"/type", errs.ErrInvalidType, "a type must be a term or an absolute URL")
		}
	}
	return nil
}

func checkObjectID(id string, required bool, path string) error {
	if id == "" {
		if required {
			return dataModel(path+"/id", errs.ErrMalformed, "id is required")
		}
		return nil
	}
	if !isURL(id) {
		return dataModel(path+"/id", errs.ErrMalformed, "id must be a URL")
	}
	return nil
}

// checkProofs requires a type in every proof (VC DM 1.1 §4.7; VC Data Integrity §2.1).
func (s source) checkProofs(proofs []json.RawMessage, array bool) error {
	for i, raw := range proofs {
		p := "/proof" + index(array, i)
		v := bytes.TrimSpace(raw)
		if kind(v) != '{' || !s.valid(v) {
			return dataModel(p, errs.ErrMalformed, "a proof must be an object")
		}
		var t []byte
		_ = members(v, func(name string, m []byte) error {
			if name == "type" {
				t = m
			}
			return nil
		})
		if t == nil {
			return dataModel(p+"/type", errs.ErrMalformed, "a proof must have a type")
		}
		types, _, err := decodeTypes(t, p+"/type")
		if err != nil || len(types) == 0 || slices.Contains(types, "") {
			return dataModel(p+"/type", errs.ErrMalformed, "a proof type must be a non-empty string")
		}
	}
	return nil
}

// checkRelatedResources applies VC DM 2.0 §5.3: each related resource has an id that is a
// URL, unique in the list, and at least one of digestSRI and digestMultibase.
func (s source) checkRelatedResources(raw json.RawMessage) error {
	raw = bytes.TrimSpace(raw)
	if !s.valid(raw) {
		return dataModel("/relatedResource", errs.ErrMalformed, "value is not JSON")
	}
	seen := map[string]bool{}
	_, err := decodeObjects(raw, "/relatedResource", func(_ int, obj []byte, p string) error {
		m := objectMap(obj)
		id, ok := stringValue(m["id"])
		if !ok || !isURL(id) {
			return dataModel(p+"/id", errs.ErrMalformed, "a related resource needs an id that is a URL")
		}
		if seen[id] {
			return dataModel(p+"/id", errs.ErrMalformed, "related resource ids must be unique")
		}
		seen[id] = true
		if _, ok := m["digestSRI"]; !ok {
			if _, ok := m["digestMultibase"]; !ok {
				return dataModel(p, errs.ErrMalformed, "a related resource needs digestSRI or digestMultibase")
			}
		}
		return nil
	})
	var ve *VerifyError
	if errors.As(err, &ve) && ve.Reason == ReasonMalformed {
		ve.Reason = ReasonDataModel
	}
	return err
}

// checkLanguageValue checks a name or description: a string, a language value object or
// an array of them (VC DM 2.0 §4.6, §11.1).
func (s source) checkLanguageValue(raw json.RawMessage, path string) error {
	if raw == nil {
		return nil
	}
	v := bytes.TrimSpace(raw)
	if !s.valid(v) {
		return dataModel(path, errs.ErrMalformed, "value is not JSON")
	}
	switch kind(v) {
	case '"':
		return nil
	case '{':
		return checkValueObject(v, path)
	case '[':
		n := 0
		err := elements(v, func(i int, e []byte) error {
			n++
			switch kind(e) {
			case '"':
				return nil
			case '{':
				return checkValueObject(e, pointer(path, itoa(i)))
			}
			return dataModel(pointer(path, itoa(i)), errs.ErrMalformed, "must be a string or a language value object")
		})
		if err == nil && n == 0 {
			return dataModel(path, errs.ErrMalformed, "must not be an empty array")
		}
		return err
	}
	return dataModel(path, errs.ErrMalformed, "must be a string, a language value object or an array of them")
}

// checkValueObject applies VC DM 2.0 §11.1: @value (a string) is required, @language is
// a well-formed BCP 47 tag, @direction is "ltr" or "rtl", and there is nothing else.
func checkValueObject(v []byte, path string) error {
	hasValue := false
	err := members(v, func(name string, m []byte) error {
		p := func() string { return pointer(path, name) }
		switch name {
		case "@value":
			if kind(m) != '"' {
				return dataModel(p(), errs.ErrMalformed, "@value must be a string")
			}
			hasValue = true
		case "@language":
			s, ok := stringValue(m)
			if !ok || !languageTag(s) {
				return dataModel(p(), errs.ErrMalformed, "@language must be a well-formed BCP 47 language tag")
			}
		case "@direction":
			s, ok := stringValue(m)
			if !ok || (s != "ltr" && s != "rtl") {
				return dataModel(p(), errs.ErrMalformed, `@direction must be "ltr" or "rtl"`)
			}
		default:
			return dataModel(p(), errs.ErrMalformed, "a language value object has only @value, @language and @direction")
		}
		return nil
	})
	if err == nil && !hasValue {
		return dataModel(path, errs.ErrMalformed, "a language value object needs @value")
	}
	return err
}

// languageTag checks the generic shape of a BCP 47 tag (RFC 5646 §2.1): subtags of one
// to eight letters or digits separated by hyphens, the first made of letters.
func languageTag(s string) bool {
	for i, sub := range strings.Split(s, "-") {
		if len(sub) < 1 || len(sub) > 8 {
			return false
		}
		for _, c := range []byte(sub) {
			letter := 'a' <= c|0x20 && c|0x20 <= 'z'
			if !letter && (i == 0 || !isDigitByte(c)) {
				return false
			}
		}
	}
	return true
}

// isURL reports whether s is an absolute URL (an absolute IRI of RFC 3987: a scheme, ':'
// and a non-empty rest with no spaces, controls or characters IRIs exclude, and valid
// percent escapes). For the schemes that have a host (http, https, ws, wss, ftp) the host
// must not be empty.
func isURL(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || !isScheme(s[:colon]) {
		return false
	}
	rest := s[colon+1:]
	if rest == "" {
		return false
	}
	for i := 0; i < len(rest); {
		c := rest[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(rest[i:])
			if r == utf8.RuneError || r < 0xa0 || (r >= 0xfdd0 && r <= 0xfdef) || r&0xfffe == 0xfffe {
				return false
			}
			i += size
			continue
		}
		switch {
		case iriExcluded[c]:
			return false
		case c == '%':
			if i+2 >= len(rest) || !isHex(rest[i+1]) || !isHex(rest[i+2]) {
				return false
			}
			i += 3
			continue
		}
		i++
	}
	switch strings.ToLower(s[:colon]) {
	case "http", "https", "ws", "wss", "ftp":
		auth, ok := strings.CutPrefix(rest, "//")
		if !ok {
			return false
		}
		if end := strings.IndexAny(auth, "/?#"); end >= 0 {
			auth = auth[:end]
		}
		if at := strings.LastIndexByte(auth, '@'); at >= 0 {
			auth = auth[at+1:]
		}
		if auth == "" || auth[0] == ':' {
			return false
		}
	}
	return true
}

// iriExcluded marks the ASCII bytes that cannot appear in an IRI (RFC 3987 §2.2):
// controls, space and <>"{}|\^`.
var iriExcluded = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c <= ' ' || c == 0x7f || strings.IndexByte("<>\"{}|\\^`", byte(c)) >= 0
	}
	return t
}()

func isScheme(s string) bool {
	for i, c := range []byte(s) {
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if !letter && (i == 0 || (!isDigitByte(c) && c != '+' && c != '-' && c != '.')) {
			return false
		}
	}
	return s != ""
}

func isHex(c byte) bool {
	return isDigitByte(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
}

// typeSyntax reports whether t can be a type: a term (no ':'; not a keyword) or an
// absolute URL (VC DM 2.0 §4.5).
func typeSyntax(t string) bool {
	if t == "" || t[0] == '@' {
		return false
	}
	if strings.IndexByte(t, ':') >= 0 {
		return isURL(t)
	}
	return true
}

// A termDef is a top-level term definition of a base context, as the JSON-LD context
// processing algorithm compares definitions: its IRI, type mapping and container, and
// whether it carries a scoped context.
type termDef struct {
	id, typ, container string
	scoped             bool
}

// baseTermsV2 lists the top-level terms of https://www.w3.org/ns/credentials/v2 (VC DM 2.0
// Appendix B.1). All are protected; the context defines no @vocab.
var baseTermsV2 = map[string]termDef{
	"id":                              {id: "@id"},
	"type":                            {id: "@type"},
	"description":                     {id: "https://schema.org/description"},
	"name":                            {id: "https://schema.org/name"},
	"digestMultibase":                 {id: "https://w3id.org/security#digestMultibase", typ: "https://w3id.org/security#multibase"},
	"digestSRI":                       {id: "https://www.w3.org/2018/credentials#digestSRI", typ: "https://www.w3.org/2018/credentials#sriString"},
	"mediaType":                       {id: "https://schema.org/encodingFormat"},
	"VerifiableCredential":            {id: "https://www.w3.org/2018/credentials#VerifiableCredential", scoped: true},
	"EnvelopedVerifiableCredential":   {id: "https://www.w3.org/2018/credentials#EnvelopedVerifiableCredential"},
	"VerifiablePresentation":          {id: "https://www.w3.org/2018/credentials#VerifiablePresentation", scoped: true},
	"EnvelopedVerifiablePresentation": {id: "https://www.w3.org/2018/credentials#EnvelopedVerifiablePresentation"},
	"JsonSchemaCredential":            {id: "https://www.w3.org/2018/credentials#JsonSchemaCredential"},
	"JsonSchema":                      {id: "https://www.w3.org/2018/credentials#JsonSchema", scoped: true},
	"BitstringStatusListCredential":   {id: "https://www.w3.org/ns/credentials/status#BitstringStatusListCredential"},
	"BitstringStatusList":             {id: "https://www.w3.org/ns/credentials/status#BitstringStatusList", scoped: true},
	"BitstringStatusListEntry":        {id: "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry", scoped: true},
	"DataIntegrityProof":              {id: "https://w3id.org/security#DataIntegrityProof", scoped: true},
	"...":                             {id: "https://www.iana.org/assignments/jwt#..."},
	"_sd":                             {id: "https://www.iana.org/assignments/jwt#_sd", typ: "@json"},
	"_sd_alg":                         {id: "https://www.iana.org/assignments/jwt#_sd_alg"},
	"aud":                             {id: "https://www.iana.org/assignments/jwt#aud", typ: "@id"},
	"cnf":                             {id: "https://www.iana.org/assignments/jwt#cnf", scoped: true},
	"exp":                             {id: "https://www.iana.org/assignments/jwt#exp", typ: "https://www.w3.org/2001/XMLSchema#nonNegativeInteger"},
	"iat":                             {id: "https://www.iana.org/assignments/jwt#iat", typ: "https://www.w3.org/2001/XMLSchema#nonNegativeInteger"},
	"iss":                             {id: "https://www.iana.org/assignments/jose#iss", typ: "@id"},
	"jku":                             {id: "https://www.iana.org/assignments/jose#jku", typ: "@id"},
	"kid":                             {id: "https://www.iana.org/assignments/jose#kid", typ: "@id"},
	"nbf":                             {id: "https://www.iana.org/assignments/jwt#nbf", typ: "https://www.w3.org/2001/XMLSchema#nonNegativeInteger"},
	"sub":                             {id: "https://www.iana.org/assignments/jose#sub", typ: "@id"},
	"x5u":                             {id: "https://www.iana.org/assignments/jose#x5u", typ: "@id"},
}

// baseTermsV1 lists the top-level terms of https://www.w3.org/2018/credentials/v1 (VC DM
// 1.1 Appendix B.1), all protected; no @vocab.
var baseTermsV1 = map[string]termDef{
	"id":                          {id: "@id"},
	"type":                        {id: "@type"},
	"VerifiableCredential":        {id: "https://www.w3.org/2018/credentials#VerifiableCredential", scoped: true},
	"VerifiablePresentation":      {id: "https://www.w3.org/2018/credentials#VerifiablePresentation", scoped: true},
	"EcdsaSecp256k1Signature2019": {id: "https://w3id.org/security#EcdsaSecp256k1Signature2019", scoped: true},
	"EcdsaSecp256r1Signature2019": {id: "https://w3id.org/security#EcdsaSecp256r1Signature2019", scoped: true},
	"Ed25519Signature2018":        {id: "https://w3id.org/security#Ed25519Signature2018", scoped: true},
	"RsaSignature2018":            {id: "https://w3id.org/security#RsaSignature2018", scoped: true},
	"proof":                       {id: "https://w3id.org/security#proof", typ: "@id", container: "@graph"},
}

// vocabContexts are W3C contexts whose whole content is an @vocab: every term is mapped
// after them (VC DM 2.0 §5.2 names the first for credentials with undefined terms).
var vocabContexts = map[string]bool{
	"https://www.w3.org/ns/credentials/undefined-terms/v2": true,
	"https://www.w3.org/ns/credentials/examples/v2":        true,
}

// contextKeywords may appear as keys of a context definition (JSON-LD 1.1 §9.15).
var contextKeywords = map[string]bool{
	"@base": true, "@direction": true, "@import": true, "@language": true, "@propagate": true,
	"@protected": true, "@type": true, "@version": true, "@vocab": true,
}

// jsonldKeywords are the JSON-LD 1.1 keywords; any other key of the form "@..." in a
// context is ignored by JSON-LD processors.
var jsonldKeywords = map[string]bool{
	"@base": true, "@container": true, "@context": true, "@direction": true, "@graph": true,
	"@id": true, "@import": true, "@included": true, "@index": true, "@json": true,
	"@language": true, "@list": true, "@nest": true, "@none": true, "@prefix": true,
	"@propagate": true, "@protected": true, "@reverse": true, "@set": true, "@type": true,
	"@value": true, "@version": true, "@vocab": true,
}

// A definition is a term definition read from an inline context, reduced to what the
// comparison of protected terms needs.
type definition struct {
	null                         bool
	id, typ, container           string
	hasID, hasType, hasContainer bool
	scoped                       bool // carries a scoped @context
	other                        bool // members this package does not compare
	protected, protectedSet      bool // an explicit term-level @protected
	raw                          any
}

func baseDefinition(d termDef) definition {
	return definition{
		id: d.id, hasID: true,
		typ: d.typ, hasType: d.typ != "",
		container: d.container, hasContainer: d.container != "",
		scoped: d.scoped,
	}
}

type termState int8

const (
	termMapped  termState = iota + 1 // defined to an IRI
	termNull                         // explicitly mapped to null: never expands
	termUnknown                      // a context this package does not know may have changed it
)

type vocabState int8

const (
	vocabUnset vocabState = iota
	vocabSet
	vocabUnknown
)

// contextScan follows the effect of an @context array on the term definitions, as far as
// it can be known without fetching a context.
type contextScan struct {
	base      map[string]termDef
	terms     map[string]termState  // set after the base context
	protected map[string]definition // protected terms of inline contexts
	defined   map[string]bool       // every term that any inline context defines
	vocab     vocabState
	opaque    bool // an unknown context was applied: an undefined term may be defined
}

// checkContext applies VC DM 2.0 §4.3 (1.1 §4.1) and the JSON-LD rules about protected
// terms that can be decided without fetching a context.
func checkContext(ctx []any, array, inherited bool) (*contextScan, Version, error) {
	if len(ctx) == 0 {
		return nil, 0, dataModel("/@context", errs.ErrUnknownContext, "@context is required")
	}
	ver := versionOf(ctx)
	if ver == 0 {
		return nil, 0, dataModel("/@context"+index(array, 0), errs.ErrUnknownContext,
			"the first context must be "+ContextV2+" (or "+ContextV1+" for VC Data Model 1.1)")
	}
	s := &contextScan{base: baseTermsV2, opaque: inherited}
	if inherited {
		s.vocab = vocabUnknown
	}
	other := ContextV1
	if ver == V1 {
		s.base, other = baseTermsV1, ContextV2
	}
	for _, e := range ctx {
		if m, ok := e.(map[string]any); ok {
			if s.defined == nil {
				s.defined = map[string]bool{}
			}
			for k := range m {
				s.defined[k] = true
			}
		}
	}
	for i := 1; i < len(ctx); i++ {
		p := "/@context/" + itoa(i)
		switch e := ctx[i].(type) {
		case string:
			switch {
			case !isURL(e):
				return nil, 0, dataModel(p, errs.ErrUnknownContext, "a context must be a URL or an object")
			case slices.Contains(ctx[:i], any(e)):
				return nil, 0, dataModel(p, errs.ErrUnknownContext, "@context is an ordered set: a context appears twice")
			case e == other:
				return nil, 0, dataModel(p, errs.ErrUnknownContext, "the base contexts of 1.1 and 2.0 redefine each other's protected terms")
			}
			if vocabContexts[e] {
				s.vocab = vocabSet
			} else {
				s.unknown()
			}
		case map[string]any:
			if err := s.inline(e, p); err != nil {
				return nil, 0, err
			}
		default:
			return nil, 0, dataModel(p, errs.ErrMalformed, "a context must be a URL string or a map[string]any")
		}
	}
	return s, ver, nil
}

// unknown records a context whose content is not known here.
func (s *contextScan) unknown() {
	s.opaque = true
	s.vocab = vocabUnknown
	for t, st := range s.terms {
		if st == termNull {
			s.terms[t] = termUnknown
		}
	}
}

// inline applies one inline context object (JSON-LD 1.1 Processing Algorithms §4.1, Context Processing).
func (s *contextScan) inline(m map[string]any, path string) error {
	bad := func(key, detail string) error {
		return dataModel(pointer(path, key), errs.ErrUnknownContext, detail)
	}
	if v, ok := m["@import"]; ok {
		if _, ok := v.(string); !ok {
			return bad("@import", "@import must be a string")
		}
		s.unknown()
	}
	if v, ok := m["@version"]; ok {
		if n, ok := v.(json.Number); !ok || n != "1.1" {
			return bad("@version", "@version must be 1.1")
		}
	}
	protect := false
	if v, ok := m["@protected"]; ok {
		b, ok := v.(bool)
		if !ok {
			return bad("@protected", "@protected must be true or false")
		}
		protect = b
	}
	if v, ok := m["@vocab"]; ok {
		switch v := v.(type) {
		case nil:
			s.vocab = vocabUnset
		case string:
			if !s.validMapping(v) {
				return bad("@vocab", "@vocab must be an IRI")
			}
			s.vocab = vocabSet
		default:
			return bad("@vocab", "@vocab must be a string or null")
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, term := range keys {
		if strings.HasPrefix(term, "@") {
			if jsonldKeywords[term] && !contextKeywords[term] {
				return bad(term, "a context cannot redefine the keyword "+term)
			}
			continue // a context keyword, or a keyword-like key that JSON-LD ignores
		}
		def, ok := parseDefinition(m[term])
		if !ok {
			return bad(term, "invalid term definition")
		}
		if def.hasID && !s.validMapping(def.id) {
			return bad(term, "the term maps to a value that is not an IRI")
		}
		if def.hasType && !s.validTypeMapping(def.typ) {
			return bad(term, "the term's @type is not an IRI or @id, @vocab, @json, @none")
		}
		if bd, ok := s.base[term]; ok && s.differ(baseDefinition(bd), def) {
			return bad(term, "the term is protected by the base context and cannot be redefined")
		}
		if pd, ok := s.protected[term]; ok && s.differ(pd, def) {
			return bad(term, "the term is protected by an earlier context and cannot be redefined")
		}
		if s.terms == nil {
			s.terms = map[string]termState{}
		}
		if def.null {
			s.terms[term] = termNull
		} else {
			s.terms[term] = termMapped
		}
		if p := protect; def.protectedSet && def.protected || !def.protectedSet && p {
			if s.protected == nil {
				s.protected = map[string]definition{}
			}
			s.protected[term] = def
		}
	}
	return nil
}

// parseDefinition reads a term definition: null, an IRI string or an object (JSON-LD 1.1
// §9.15.1, expanded term definition).
func parseDefinition(v any) (definition, bool) {
	d := definition{raw: v}
	switch v := v.(type) {
	case nil:
		d.null = true
		return d, true
	case string:
		d.id, d.hasID = v, true
		return d, true
	case map[string]any:
		for k, x := range v {
			switch k {
			case "@id":
				switch x := x.(type) {
				case nil:
					d.null = true
				case string:
					d.id, d.hasID = x, true
				default:
					return d, false
				}
			case "@type":
				s, ok := x.(string)
				if !ok {
					return d, false
				}
				d.typ, d.hasType = s, true
			case "@container":
				if s, ok := x.(string); ok {
					d.container, d.hasContainer = s, true
				} else {
					d.other = true
				}
			case "@context":
				d.scoped = true
			case "@protected":
				b, ok := x.(bool)
				if !ok {
					return d, false
				}
				d.protected, d.protectedSet = b, true
			case "@reverse", "@language", "@direction", "@nest", "@index", "@prefix", "@propagate":
				d.other = true
			default:
				return d, false
			}
		}
		return d, true
	}
	return d, false
}

// differ reports whether a redefinition b of the protected term a is certainly not the
// same definition (JSON-LD 1.1 §4.1.11: only an identical redefinition is allowed). When
// the answer depends on how a compact IRI or a scoped context expands, it says no and
// leaves the question to JSON-LD expansion.
func (s *contextScan) differ(a, b definition) bool {
	switch {
	case a.raw != nil && reflect.DeepEqual(a.raw, b.raw):
		return false
	case a.null || b.null:
		return a.null != b.null
	case a.other || b.other:
		return false
	case a.scoped != b.scoped:
		return true
	case a.scoped:
		return false
	case a.hasType != b.hasType || a.hasContainer != b.hasContainer:
		return true
	case !a.hasID || !b.hasID:
		return false
	}
	d := func(x, y string) bool { return x != y && s.expanded(x) && s.expanded(y) }
	return d(a.id, b.id) || d(a.typ, b.typ) || d(a.container, b.container)
}

// expanded reports whether an IRI-valued string is already in its final form: a keyword,
// a blank node identifier or an absolute IRI that cannot be read as a compact IRI.
func (s *contextScan) expanded(v string) bool {
	if strings.HasPrefix(v, "@") {
		return true
	}
	prefix, suffix, ok := strings.Cut(v, ":")
	if !ok {
		return false
	}
	if prefix == "_" || strings.HasPrefix(suffix, "//") {
		return true
	}
	_, isBase := s.base[prefix]
	return !s.defined[prefix] && !isBase
}

// validMapping reports whether an @id (or @vocab) value can be an IRI mapping: a keyword,
// a term or relative reference, a blank node, a compact IRI with a defined prefix, or
// else an absolute IRI (JSON-LD 1.1 Processing Algorithms §4.2.2, "invalid IRI mapping").
func (s *contextScan) validMapping(v string) bool {
	prefix, suffix, ok := strings.Cut(v, ":")
	if !ok || strings.HasPrefix(v, "@") || prefix == "_" {
		return true
	}
	if !strings.HasPrefix(suffix, "//") {
		if _, isBase := s.base[prefix]; isBase || s.defined[prefix] {
			return true
		}
	}
	return isURL(v)
}

func (s *contextScan) validTypeMapping(v string) bool {
	switch v {
	case "@id", "@vocab", "@json", "@none":
		return true
	}
	return !strings.HasPrefix(v, "@") && s.validMapping(v)
}

// mapped reports whether the type term t expands to an IRI; decided is false when an
// unknown context may define it.
func (s *contextScan) mapped(t string) (mapped bool) {
	switch s.terms[t] {
	case termMapped, termUnknown:
		return true
	case termNull:
		return false
	}
	if _, ok := s.base[t]; ok {
		return true
	}
	return s.vocab != vocabUnset || s.opaque
}

// checkTypes applies VC DM 2.0 §4.5 to the type of a credential or presentation: present,
// containing required, each value an absolute URL or a term that the contexts define.
func (s *contextScan) checkTypes(types []string, required, path string, array bool) error {
	if len(types) == 0 {
		return dataModel(path, errs.ErrInvalidType, "type is required and must include "+required)
	}
	for i, t := range types {
		p := path + index(array, i)
		if !typeSyntax(t) {
			return dataModel(p, errs.ErrInvalidType, "a type must be a term or an absolute URL")
		}
		if !strings.Contains(t, ":") && !s.mapped(t) {
			return dataModel(p, errs.ErrInvalidType, "the type term is not defined by any context")
		}
	}
	if !slices.Contains(types, required) {
		return dataModel(path, errs.ErrInvalidType, "type must include "+required)
	}
	return nil
}

// Validate checks every data-model rule of the presentation's version (VC DM 2.0 §4.13,
// or VC DM 1.1 §4.10 for a V1 presentation): @context and type as for a credential (type
// includes VerifiablePresentation), id a URL, holder a URL or an object whose id is a URL,
// each proof with a type, and every verifiableCredential entry:
//
//   - an embedded credential object, which must itself pass [Credential.Validate];
//   - an EnvelopedVerifiableCredential object (2.0 §4.13.1), whose @context includes
//     the 2.0 base context and whose id is a data: URL; its content is not opened here;
//   - in a 1.1 presentation only, a compact JWT string (the VC DM 1.1 JWT encoding). A
//     2.0 presentation refuses strings: its values must be objects.
//
// Errors are as for [Credential.Validate]; the Path of a failure inside an embedded
// credential starts with the entry's pointer, such as "/verifiableCredential/0/type".
// Validate checks no proof, and not whether the holder signed the presentation or is
// bound to the credentials: the Verifier does.
func (p *Presentation) Validate() error {
	scan, ver, err := checkContext(p.Context, p.forms.isArray(shContext, len(p.Context), true), false)
	if err != nil {
		return err
	}
	if p.ID != "" && !isURL(p.ID) {
		return dataModel("/id", errs.ErrMalformed, "id must be a URL")
	}
	if err := scan.checkTypes(p.Type, TypeVerifiablePresentation, "/type", p.forms.isArray(shType, len(p.Type), true)); err != nil {
		return err
	}
	if err := p.src.checkParty(party(p.Holder), "/holder", "holder", false); err != nil {
		return err
	}
	array := p.forms.isArray(shCredentials, len(p.VerifiableCredential), true)
	for i, raw := range p.VerifiableCredential {
		if err := p.src.checkEmbedded(raw, "/verifiableCredential"+index(array, i), ver); err != nil {
			return err
		}
	}
	return p.src.checkProofs(p.Proof, p.forms.isArray(shProof, len(p.Proof), false))
}

// checkEmbedded checks one verifiableCredential entry of a presentation of version ver.
func (s source) checkEmbedded(raw json.RawMessage, path string, ver Version) error {
	v := bytes.TrimSpace(raw)
	switch kind(v) {
	case '"':
		if s, _ := stringValue(v); ver == V1 && compactJWS(s) {
			return nil
		}
		return dataModel(path, errs.ErrMalformed, "a verifiable credential in a presentation must be an object")
	case '{':
	default:
		return dataModel(path, errs.ErrMalformed, "a verifiable credential in a presentation must be an object")
	}
	if !s.has(v) {
		if err := checkJSON(v); err != nil {
			return within(path, err)
		}
	}
	m := objectMap(v)
	if types, _, err := decodeTypes(m["type"], path+"/type"); err == nil && slices.Contains(types, TypeEnvelopedVerifiableCredential) {
		return checkEnveloped(m, path)
	}
	c, err := ParseCredential(v)
	if err != nil {
		return within(path, err)
	}
	// A 2.0 presentation resets the context for its credentials ("@context": null on
	// verifiableCredential in the base context); a 1.1 presentation does not, so a term
	// that the credential leaves undefined may come from the presentation's context.
	return within(path, c.validate(ver == V1))
}

// checkEnveloped applies VC DM 2.0 §4.13.1 to an EnvelopedVerifiableCredential object.
func checkEnveloped(m map[string]json.RawMessage, path string) error {
	ctx, ok := m["@context"]
	if !ok {
		return dataModel(path+"/@context", errs.ErrUnknownContext, "an enveloped credential needs @context")
	}
	contexts, _, err := decodeContext(ctx)
	if err != nil || !slices.Contains(contexts, any(ContextV2)) {
		return dataModel(path+"/@context", errs.ErrUnknownContext, "an enveloped credential's @context must include "+ContextV2)
	}
	id, _ := stringValue(m["id"])
	if !dataURL(id) {
		return dataModel(path+"/id", errs.ErrMalformed, "an enveloped credential's id must be a data: URL")
	}
	return nil
}

// dataURL reports whether s has the syntax of RFC 2397: data:[<mediatype>][;base64],<data>.
func dataURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok || !isURL(s) {
		return false
	}
	return strings.Contains(rest, ",")
}

// compactJWS reports whether s has the shape of a JWS in compact serialization: three
// base64url parts, the first two non-empty.
func compactJWS(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return false
	}
	for _, p := range parts {
		for _, c := range []byte(p) {
			if !(isDigitByte(c) || 'a' <= c|0x20 && c|0x20 <= 'z' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// within prefixes the path of a *VerifyError with the pointer of the entry it is in.
func within(path string, err error) error {
	if err == nil {
		return nil
	}
	var ve *VerifyError
	if !errors.As(err, &ve) {
		return err
	}
	out := *ve
	out.Path = path + ve.Path
	if out.Reason == ReasonMalformed {
		out.Reason = ReasonDataModel
	}
	return &out
}
