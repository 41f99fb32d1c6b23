package schema

import (
	"fmt"
	"maps"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Registry holds the schemas and schema credentials a Validator knows without fetching,
// by URL. Schemas in it also serve $ref references between them, offline.
//
// Add and AddCredential are not safe for concurrent use with each other; NewValidator
// copies the Registry, so later additions do not change an existing Validator.
type Registry struct {
	schemas     map[string][]byte
	credentials map[string][]byte
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{schemas: map[string][]byte{}, credentials: map[string][]byte{}}
}

// Add registers schema, a JSON Schema document, under url, the id that credentialSchema
// entries of type JsonSchema (and $ref references) use for it. The schema is checked
// before it is kept: strict JSON of at most DefaultMaxSchemaBytes and DefaultMaxDepth, an
// object whose $schema names JSON Schema 2020-12, 2019-09 or draft-07. References and
// keywords are checked when the schema is first compiled, so schemas that reference each
// other may be added in any order.
//
// A url that is not an absolute URL, has a fragment, or is already registered is
// ErrInvalidOptions; other errors wrap ErrMalformed, ErrTooLarge, ErrTooDeep or
// ErrUnsupportedSchema. schema is copied.
func (r *Registry) Add(url string, schema []byte) error {
	if err := r.checkURL(url); err != nil {
		return err
	}
	if err := checkSchemaDocument(schema, DefaultMaxSchemaBytes, jsonx.DefaultMaxDepth); err != nil {
		return fmt.Errorf("schema: Registry.Add %s: %w", url, err)
	}
	r.schemas[url] = append([]byte(nil), schema...)
	return nil
}

// AddCredential registers raw, a schema credential (a JsonSchemaCredential in any format
// the Validator's VerifyCredential callback accepts), under url, the id of the
// credentialSchema entries that name it. Only its size is checked here (at most
// DefaultMaxSchemaBytes); it is verified by the callback each time it is used, so that
// its validity period and status are checked when it matters. raw is copied.
func (r *Registry) AddCredential(url string, raw []byte) error {
	if err := r.checkURL(url); err != nil {
		return err
	}
	if len(raw) == 0 || len(raw) > DefaultMaxSchemaBytes {
		return fmt.Errorf("schema: Registry.AddCredential %s: %d bytes (limit %d): %w", url, len(raw), DefaultMaxSchemaBytes, ErrTooLarge)
	}
	r.credentials[url] = append([]byte(nil), raw...)
	return nil
}

func (r *Registry) checkURL(url string) error {
	if !isURL(url) || strings.Contains(url, "#") {
		return fmt.Errorf("schema: Registry: %q is not an absolute URL without fragment: %w", url, ErrInvalidOptions)
	}
	_, s := r.schemas[url]
	_, c := r.credentials[url]
	if s || c {
		return fmt.Errorf("schema: Registry: %s is already registered: %w", url, ErrInvalidOptions)
	}
	return nil
}

// clone returns a copy for a Validator; a nil Registry gives an empty one.
func (r *Registry) clone() *Registry {
	if r == nil {
		return NewRegistry()
	}
	return &Registry{schemas: maps.Clone(r.schemas), credentials: maps.Clone(r.credentials)}
}

// checkSchemaDocument checks schema bytes as Add does.
func checkSchemaDocument(schema []byte, maxBytes, maxDepth int) error {
	doc, err := decodeSchema(schema, maxBytes, maxDepth)
	if err != nil {
		return err
	}
	return checkDialect(doc, true)
}

func decodeSchema(schema []byte, maxBytes, maxDepth int) (any, error) {
	if len(schema) > maxBytes {
		return nil, fmt.Errorf("schema of %d bytes exceeds the limit of %d: %w", len(schema), maxBytes, ErrTooLarge)
	}
	doc, err := jsonx.Decode(schema, jsonx.Limits{MaxBytes: maxBytes, MaxDepth: maxDepth})
	if err != nil {
		return nil, err
	}
	if err := checkNumbers(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// The $schema values of the dialects this package evaluates (VC JSON Schema §3 requires
// 2020-12 and allows others; 2019-09 and draft-07 schemas are still common).
var dialects = []string{
	"json-schema.org/draft/2020-12/schema",
	"json-schema.org/draft/2019-09/schema",
	"json-schema.org/draft-07/schema",
}

// checkDialect checks that doc is a schema object whose $schema names a supported
// dialect. A root schema must have $schema (VC JSON Schema §4: schemas without it MUST
// NOT be processed); a referenced resource may omit it and is then read as 2020-12.
func checkDialect(doc any, root bool) error {
	obj, ok := doc.(map[string]any)
	if !ok {
		if root {
			return fmt.Errorf("schema is not a JSON object: %w", ErrUnsupportedSchema)
		}
		return nil
	}
	raw, present := obj["$schema"]
	if !present {
		if root {
			return fmt.Errorf("schema has no $schema: %w", ErrUnsupportedSchema)
		}
		return nil
	}
	s, ok := raw.(string)
	if !ok {
		return fmt.Errorf("$schema is not a string: %w", ErrMalformed)
	}
	if !supportedDialect(s) {
		return fmt.Errorf("$schema %q is not JSON Schema 2020-12, 2019-09 or draft-07: %w", s, ErrUnsupportedSchema)
	}
	return nil
}

func supportedDialect(s string) bool {
	s = strings.TrimSuffix(s, "#")
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	for _, d := range dialects {
		if rest == d {
			return true
		}
	}
	return false
}
