package peer

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	"github.com/multiformats/go-multibase"
)

// Key is a key of a did:peer:2 DID with the verification relationship it holds there.
type Key struct {
	Relationship did.Relationship
	PublicKey    crypto.PublicKey
}

// purposes maps the did:peer:2 purpose codes to verification relationships (peer DID
// method §Purpose Codes).
var purposes = map[byte]did.Relationship{
	'A': did.AssertionMethod,
	'E': did.KeyAgreement,
	'V': did.Authentication,
	'I': did.CapabilityInvocation,
	'D': did.CapabilityDelegation,
}

// abbreviations is the table of common strings of peer DID method §Common String
// Abbreviations, for member names. The type value "DIDCommMessaging" is "dm".
var abbreviations = map[string]string{
	"type":            "t",
	"serviceEndpoint": "s",
	"routingKeys":     "r",
	"accept":          "a",
}

var expansions = map[string]string{"t": "type", "s": "serviceEndpoint", "r": "routingKeys", "a": "accept"}

const (
	typeDIDComm       = "DIDCommMessaging"
	typeDIDCommAbbrev = "dm"
)

// b64 is base64url without padding, rejecting non-zero trailing bits.
var b64 = base64.RawURLEncoding.Strict()

// resolve2 makes the document of a did:peer:2 DID (peer DID method §Resolving a
// did:peer:2); elems is what follows "did:peer:2".
//
// Keys become Multikey methods "#key-1", "#key-2", ... in the order of the DID, each
// listed under the relationship of its purpose code; services get "#service",
// "#service-1", ... when they have no id. The document's alsoKnownAs is the did:peer:3
// form of the DID. An X25519 key is accepted only for key agreement (E) and an Ed25519 key
// only for the other purposes, since neither can do the other's job.
func resolve2(id, elems string) (*did.Document, error) {
	if !strings.HasPrefix(elems, ".") {
		return nil, invalid(id, "did:peer:2 without elements")
	}
	doc := &did.Document{
		Context:     []any{contextDIDV1, contextMultikey},
		ID:          id,
		AlsoKnownAs: []string{numalgo3(elems)},
	}
	nkeys, nservices := 0, 0
	for elem := range strings.SplitSeq(elems[1:], ".") {
		if elem == "" {
			return nil, invalid(id, "empty element")
		}
		code, value := elem[0], elem[1:]
		if code == 'S' {
			s, err := decodeService(id, value)
			if err != nil {
				return nil, err
			}
			if s.ID == "" {
				s.ID = "#service"
				if nservices > 0 {
					s.ID += "-" + strconv.Itoa(nservices)
				}
				nservices++
			}
			doc.Service = append(doc.Service, s)
			continue
		}
		rel, ok := purposes[code]
		if !ok {
			return nil, invalid(id, fmt.Sprintf("purpose code %q", code))
		}
		pub, err := parseKey(id, value)
		if err != nil {
			return nil, err
		}
		if err := checkPurpose(rel, pub); err != nil {
			return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, err)
		}
		nkeys++
		vm := did.VerificationMethod{ID: "#key-" + strconv.Itoa(nkeys), Type: "Multikey", Controller: id, PublicKeyMultibase: value}
		doc.VerificationMethod = append(doc.VerificationMethod, vm)
		ref := did.MethodRef{ID: vm.ID}
		switch rel {
		case did.AssertionMethod:
			doc.AssertionMethod = append(doc.AssertionMethod, ref)
		case did.KeyAgreement:
			doc.KeyAgreement = append(doc.KeyAgreement, ref)
		case did.Authentication:
			doc.Authentication = append(doc.Authentication, ref)
		case did.CapabilityInvocation:
			doc.CapabilityInvocation = append(doc.CapabilityInvocation, ref)
		case did.CapabilityDelegation:
			doc.CapabilityDelegation = append(doc.CapabilityDelegation, ref)
		}
	}
	if err := doc.Validate(); err != nil {
		return nil, invalidErr(id, "document", err)
	}
	return doc, nil
}

// checkPurpose refuses keys that cannot serve rel: X25519 keys only agree keys and
// Ed25519 keys only sign.
func checkPurpose(rel did.Relationship, pub crypto.PublicKey) error {
	_, x := pub.(*ecdh.PublicKey)
	_, ed := pub.(ed25519.PublicKey)
	switch {
	case rel == did.KeyAgreement && ed:
		return fmt.Errorf("peer: Ed25519 key for %s: %w", rel, keys.ErrInvalidKey)
	case rel != did.KeyAgreement && x:
		return fmt.Errorf("peer: X25519 key for %s: %w", rel, keys.ErrInvalidKey)
	}
	return nil
}

// numalgo3 returns the did:peer:3 DID of the did:peer:2 DID whose elements are elems:
// the base58btc multihash (SHA-256) of elems (peer DID method §Method 3).
func numalgo3(elems string) string {
	sum := sha256.Sum256([]byte(elems))
	s, _ := multibase.Encode(multibase.Base58BTC, append([]byte{0x12, 0x20}, sum[:]...))
	return prefix + "3" + s
}

// decodeService decodes the value of an S element: base64url of a JSON object with
// abbreviated member names.
func decodeService(id, value string) (did.Service, error) {
	for i := 0; i < len(value); i++ {
		if c := value[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return did.Service{}, invalid(id, "service is not base64url without padding")
		}
	}
	data, err := b64.DecodeString(value)
	if err != nil {
		return did.Service{}, invalid(id, "service is not base64url without padding")
	}
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: MaxLength, MaxDepth: 16})
	if err != nil {
		return did.Service{}, invalidErr(id, "service", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return did.Service{}, invalidErr(id, "service is not a JSON object", did.ErrMalformed)
	}
	x, err := expand(m)
	if err != nil {
		return did.Service{}, invalidErr(id, "service", err)
	}
	m = x.(map[string]any)
	var s did.Service
	bad := func(why string) (did.Service, error) {
		return did.Service{}, invalidErr(id, "service "+why, did.ErrInvalidDIDDocument)
	}
	for name, val := range m {
		switch name {
		case "id":
			str, ok := val.(string)
			if !ok || !strings.HasPrefix(str, "#") || len(str) == 1 {
				return bad("id must be a relative DID URL (#...)")
			}
			s.ID = str
		case "type":
			switch t := val.(type) {
			case string:
				s.Type = []string{expandType(t)}
			case []any:
				for _, e := range t {
					str, ok := e.(string)
					if !ok {
						return bad("type must be a string or strings")
					}
					s.Type = append(s.Type, expandType(str))
				}
			}
			if len(s.Type) == 0 {
				return bad("type must be a string or strings")
			}
		case "serviceEndpoint":
			raw, err := json.Marshal(val)
			if err != nil {
				return bad("serviceEndpoint")
			}
			s.ServiceEndpoint = raw
		default:
			raw, err := json.Marshal(val)
			if err != nil {
				return bad(name)
			}
			if s.Extra == nil {
				s.Extra = make(map[string]json.RawMessage)
			}
			s.Extra[name] = raw
		}
	}
	if s.Type == nil {
		return bad("without type")
	}
	if s.ServiceEndpoint == nil {
		return bad("without serviceEndpoint")
	}
	return s, nil
}

func expandType(t string) string {
	if t == typeDIDCommAbbrev {
		return typeDIDComm
	}
	return t
}

// expand replaces abbreviated member names in v, recursively. A member whose expanded
// name is also present is an error.
func expand(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if full, ok := expansions[k]; ok {
				k = full
			}
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("peer: member %q given twice: %w", k, did.ErrMalformed)
			}
			x, err := expand(e)
			if err != nil {
				return nil, err
			}
			out[k] = x
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			x, err := expand(e)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	return v, nil
}

// Create2 returns the did:peer:2 DID of keys and services, in that order (peer DID method
// §Generating a did:peer:2): each key as "." + purpose code + Multikey value, each
// service as ".S" + base64url (no padding) of its JSON with the common strings
// abbreviated, members in the order type, serviceEndpoint, id, then the others by name;
// the members of the serviceEndpoint keep their order.
//
// A service id must be empty (the resolver numbers the service) or relative ("#...").
// Member names that are themselves abbreviations ("t", "s", "r", "a") are refused,
// since they would not come back as written. Keys are refused for relationships they
// cannot serve (X25519 only for keyAgreement, Ed25519 never for it). The result is
// resolved before it is returned, so a DID that Create2 makes always resolves.
func Create2(keyList []Key, services []did.Service) (string, error) {
	if len(keyList) == 0 && len(services) == 0 {
		return "", fmt.Errorf("peer: did:peer:2 needs a key or a service: %w", did.ErrInvalidDIDDocument)
	}
	var b strings.Builder
	b.WriteString(prefix + "2")
	for i, k := range keyList {
		code := byte(0)
		for c, rel := range purposes {
			if rel == k.Relationship {
				code = c
			}
		}
		if code == 0 {
			return "", fmt.Errorf("peer: key %d: relationship %q: %w", i, k.Relationship, did.ErrInvalidDIDDocument)
		}
		if err := checkPurpose(k.Relationship, k.PublicKey); err != nil {
			return "", err
		}
		mb, err := keys.Multikey(k.PublicKey)
		if err != nil {
			return "", fmt.Errorf("peer: key %d: %w", i, err)
		}
		b.WriteByte('.')
		b.WriteByte(code)
		b.WriteString(mb)
	}
	for i, s := range services {
		data, err := encodeService(s)
		if err != nil {
			return "", fmt.Errorf("peer: service %d: %w", i, err)
		}
		b.WriteString(".S")
		b.WriteString(b64.EncodeToString(data))
	}
	id := b.String()
	if _, err := resolve2(id, id[len(prefix)+1:]); err != nil {
		return "", err
	}
	return id, nil
}

// encodeService writes s as compact JSON with abbreviated member names.
func encodeService(s did.Service) ([]byte, error) {
	if s.ID != "" && (!strings.HasPrefix(s.ID, "#") || len(s.ID) == 1) {
		return nil, fmt.Errorf("peer: service id %q is not relative: %w", s.ID, did.ErrInvalidDIDDocument)
	}
	if len(s.Type) == 0 || s.ServiceEndpoint == nil {
		return nil, fmt.Errorf("peer: service without type or serviceEndpoint: %w", did.ErrInvalidDIDDocument)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"t":`)
	types := make([]string, len(s.Type))
	for i, t := range s.Type {
		if t == typeDIDComm {
			t = typeDIDCommAbbrev
		}
		types[i] = t
	}
	if len(types) == 1 {
		writeString(&buf, types[0])
	} else {
		buf.WriteByte('[')
		for i, t := range types {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(&buf, t)
		}
		buf.WriteByte(']')
	}
	buf.WriteString(`,"s":`)
	if err := abbreviate(&buf, s.ServiceEndpoint); err != nil {
		return nil, fmt.Errorf("peer: serviceEndpoint: %w", err)
	}
	if s.ID != "" {
		buf.WriteString(`,"id":`)
		writeString(&buf, s.ID)
	}
	names := make([]string, 0, len(s.Extra))
	for name := range s.Extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		switch name {
		case "id", "type", "serviceEndpoint":
			return nil, fmt.Errorf("peer: service member %q in Extra: %w", name, did.ErrInvalidDIDDocument)
		}
		if _, ok := expansions[name]; ok {
			return nil, fmt.Errorf("peer: service member %q is an abbreviation: %w", name, did.ErrInvalidDIDDocument)
		}
		buf.WriteByte(',')
		short := name
		if a, ok := abbreviations[name]; ok {
			short = a
		}
		writeString(&buf, short)
		buf.WriteByte(':')
		if err := abbreviate(&buf, s.Extra[name]); err != nil {
			return nil, fmt.Errorf("peer: service member %q: %w", name, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// abbreviate writes the JSON value raw compactly, member order kept, with member names
// abbreviated at every depth.
func abbreviate(buf *bytes.Buffer, raw json.RawMessage) error {
	if err := jsonx.Validate(raw, jsonx.Limits{MaxBytes: MaxLength, MaxDepth: 16}); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := writeValue(buf, dec); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("peer: data after the value: %w", did.ErrMalformed)
	}
	return nil
}

func writeValue(buf *bytes.Buffer, dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("peer: %w: %w", did.ErrMalformed, err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			buf.WriteByte('{')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				k, err := dec.Token()
				if err != nil {
					return fmt.Errorf("peer: %w: %w", did.ErrMalformed, err)
				}
				name := k.(string)
				if _, ok := expansions[name]; ok {
					return fmt.Errorf("peer: member %q is an abbreviation: %w", name, did.ErrInvalidDIDDocument)
				}
				if a, ok := abbreviations[name]; ok {
					name = a
				}
				writeString(buf, name)
				buf.WriteByte(':')
				if err := writeValue(buf, dec); err != nil {
					return err
				}
			}
			buf.WriteByte('}')
		case '[':
			buf.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				if err := writeValue(buf, dec); err != nil {
					return err
				}
			}
			buf.WriteByte(']')
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return fmt.Errorf("peer: %w: %w", did.ErrMalformed, err)
		}
	case string:
		writeString(buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		buf.WriteString(strconv.FormatBool(t))
	case nil:
		buf.WriteString("null")
	}
	return nil
}

// writeString writes s as a JSON string, escaping only what JSON requires (as
// JSON.stringify does), not HTML characters.
func writeString(buf *bytes.Buffer, s string) {
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Write(bytes.TrimSuffix(tmp.Bytes(), []byte("\n")))
}
