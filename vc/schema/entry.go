package schema

import (
	"fmt"
	"net/url"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Kind is how a credentialSchema entry is processed.
type Kind int

// The kinds of credentialSchema entry.
const (
	// KindOther is any type this package does not process; validating it is
	// ErrUnsupportedSchema.
	KindOther Kind = iota
	// KindJSONSchema: the entry's id names a JSON Schema (VC JSON Schema §2.1).
	KindJSONSchema
	// KindJSONSchemaCredential: the entry's id names a verifiable credential whose
	// credentialSubject.jsonSchema holds the schema (VC JSON Schema §2.2).
	KindJSONSchemaCredential
)

// The credentialSchema types of the VC JSON Schema specification.
const (
	TypeJSONSchema           = "JsonSchema"
	TypeJSONSchemaCredential = "JsonSchemaCredential"
)

// DefaultMaxEntries bounds the credentialSchema entries of one credential.
const DefaultMaxEntries = 16

// Entry is one credentialSchema object (VC DM 2.0 §4.11).
type Entry struct {
	ID   string   // the schema's (or schema credential's) URL
	Type []string // the entry's types, as given
	Kind Kind     // from Type
	// DigestSRI and DigestMultibase are the optional integrity values of VC DM 2.0 §5.3,
	// checked against the bytes of the schema (or schema credential) before use.
	DigestSRI       string
	DigestMultibase string
}

// ParseEntries parses the value of a credential's credentialSchema property: one object
// or a non-empty array of objects, each with an id that is a URL and a type (a string or
// an array of strings). Other members are ignored. An entry whose types include both
// JsonSchema and JsonSchemaCredential is ErrMalformed; one with neither has KindOther.
// Errors wrap ErrMalformed, ErrTooLarge or ErrTooDeep. ParseEntries is safe for
// concurrent use.
func ParseEntries(data []byte) ([]Entry, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("schema: credentialSchema: %w", err)
	}
	return entries(v, DefaultMaxEntries)
}

func entries(v any, max int) ([]Entry, error) {
	list, isArray := v.([]any)
	if !isArray {
		list = []any{v}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("schema: credentialSchema is an empty array: %w", ErrMalformed)
	}
	if len(list) > max {
		return nil, fmt.Errorf("schema: %d credentialSchema entries exceed the limit of %d: %w", len(list), max, ErrTooLarge)
	}
	out := make([]Entry, 0, len(list))
	for i, item := range list {
		path := "/credentialSchema"
		if isArray {
			path = fmt.Sprintf("%s/%d", path, i)
		}
		e, err := entry(item)
		if err != nil {
			return nil, fmt.Errorf("schema: %s: %w", path, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func entry(v any) (Entry, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Entry{}, fmt.Errorf("not an object: %w", ErrMalformed)
	}
	var e Entry
	id, ok := obj["id"].(string)
	if !ok {
		return Entry{}, fmt.Errorf("id missing or not a string: %w", ErrMalformed)
	}
	if !isURL(id) {
		return Entry{}, fmt.Errorf("id is not a URL: %w", ErrMalformed)
	}
	e.ID = id
	switch t := obj["type"].(type) {
	case string:
		e.Type = []string{t}
	case []any:
		for _, x := range t {
			s, ok := x.(string)
			if !ok {
				return Entry{}, fmt.Errorf("type is not a string or an array of strings: %w", ErrMalformed)
			}
			e.Type = append(e.Type, s)
		}
	}
	if len(e.Type) == 0 {
		return Entry{}, fmt.Errorf("type missing or empty: %w", ErrMalformed)
	}
	for _, t := range e.Type {
		k := KindOther
		switch t {
		case TypeJSONSchema:
			k = KindJSONSchema
		case TypeJSONSchemaCredential:
			k = KindJSONSchemaCredential
		default:
			continue
		}
		if e.Kind != KindOther && e.Kind != k {
			return Entry{}, fmt.Errorf("type is both %s and %s: %w", TypeJSONSchema, TypeJSONSchemaCredential, ErrMalformed)
		}
		e.Kind = k
	}
	for _, d := range []struct {
		name string
		dst  *string
	}{{"digestSRI", &e.DigestSRI}, {"digestMultibase", &e.DigestMultibase}} {
		raw, present := obj[d.name]
		if !present {
			continue
		}
		s, ok := raw.(string)
		if !ok || s == "" {
			return Entry{}, fmt.Errorf("%s is not a non-empty string: %w", d.name, ErrMalformed)
		}
		*d.dst = s
	}
	return e, nil
}

// isURL reports whether s is an absolute URL (RFC 3986 with a scheme), as VC DM 2.0 §4.11
// requires of a credentialSchema id. DIDs and URNs qualify.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Opaque != "" || u.Host != "" || u.Path != "")
}

// entriesOf returns the credentialSchema entries of a decoded credential, nil if it has
// none.
func entriesOf(doc map[string]any, max int) ([]Entry, error) {
	v, ok := doc["credentialSchema"]
	if !ok {
		return nil, nil
	}
	return entries(v, max)
}
