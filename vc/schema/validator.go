package schema

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Defaults for the zero fields of Options.
const (
	DefaultMaxSchemaBytes     = 256 << 10 // a schema, or a schema credential as fetched
	DefaultMaxCredentialBytes = 1 << 20   // the credential validated (DESIGN.md §5)
	DefaultMaxDepth           = jsonx.DefaultMaxDepth
	DefaultMaxReferences      = 32   // resources loaded through $ref for one schema
	DefaultMaxExpansion       = 1000 // schema evaluations of one value of the credential
	DefaultCacheSize          = 64   // compiled schemas kept
	DefaultFetchTTL           = 5 * time.Minute
)

// JSONSchemaCredentialSchema is the credentialSchema id that every JsonSchemaCredential
// must carry, with type JsonSchema (VC JSON Schema §2.2).
const JSONSchemaCredentialSchema = "https://www.w3.org/ns/credentials/json-schema/v2.json"

// Accept headers for fetches.
const (
	acceptSchema     = "application/schema+json, application/json;q=0.9"
	acceptCredential = "application/vc, application/vc+jwt, application/vc+sd-jwt, application/vc+cose;q=0.5, application/json;q=0.5"
)

// VerifyFunc verifies a schema credential as fetched or registered (a
// JsonSchemaCredential in any securing format) and returns the verified credential as
// VCDM 2.0 JSON. It decides which issuers are trusted to publish schemas, checks validity
// and status, and must not return content that did not pass verification.
type VerifyFunc func(ctx context.Context, raw []byte) ([]byte, error)

// Options configure a Validator. The zero value is safe: schemas are known only from the
// Registry (none without one), nothing is fetched, $ref is resolved only among registered
// schemas, and JsonSchemaCredential entries are ErrUnsupportedSchema.
type Options struct {
	// Registry holds the schemas and schema credentials known offline; it is copied. nil
	// means none.
	Registry *Registry
	// Fetch retrieves schemas and schema credentials not in the Registry; nil means no
	// fetching, and an unknown schema is ErrSchemaRetrieval. See NewHTTPFetcher.
	Fetch Fetcher
	// AllowRemoteReferences lets $ref load schemas that are not in the Registry through
	// Fetch (http and https URLs only). If false, such a $ref is ErrRemoteReference. file:
	// and other URLs are never loaded.
	AllowRemoteReferences bool
	// VerifyCredential verifies JsonSchemaCredential schema credentials; nil makes every
	// JsonSchemaCredential entry ErrUnsupportedSchema.
	VerifyCredential VerifyFunc
	// Clock returns the current time, for the expiry of fetched bodies; nil means time.Now.
	Clock func() time.Time
	// FetchTTL is how long a fetched schema or schema credential is kept; 0 means
	// DefaultFetchTTL, negative means fetched bodies are not kept.
	FetchTTL time.Duration
	// CacheSize is how many compiled schemas (and, separately, fetched bodies) are kept;
	// 0 means DefaultCacheSize, negative means none.
	CacheSize int
	// MaxSchemaBytes bounds a schema and a fetched schema credential; 0 means
	// DefaultMaxSchemaBytes.
	MaxSchemaBytes int
	// MaxCredentialBytes bounds the credential given to Validate; 0 means
	// DefaultMaxCredentialBytes.
	MaxCredentialBytes int
	// MaxDepth bounds the JSON nesting of credentials and schemas; 0 means
	// DefaultMaxDepth.
	MaxDepth int
	// MaxEntries bounds the credentialSchema entries of a credential; 0 means
	// DefaultMaxEntries.
	MaxEntries int
	// MaxReferences bounds the resources that $ref loads while compiling one schema; 0
	// means DefaultMaxReferences.
	MaxReferences int
	// MaxExpansion bounds how many times one value of a credential may be evaluated by
	// the subschemas of one schema, counting every path through $ref, allOf, anyOf, oneOf,
	// not and conditionals; 0 means DefaultMaxExpansion. A schema above it (such as
	// nested allOf of the same $ref, whose evaluation doubles at each level) is
	// ErrTooLarge when compiled, before anything is validated.
	MaxExpansion int
}

// Validator validates credentials against their credentialSchema entries. It keeps the
// schemas it has compiled, and the bodies it has fetched, in bounded caches of its own.
// It is safe for concurrent use.
type Validator struct {
	opts     Options
	reg      *Registry
	regKeys  map[string]string // cache keys of the registered schemas, computed once
	compiled *cache            // key: kind, id and SHA-256 of the source → *jsonschema.Schema
	fetched  *cache            // key: URL → []byte
}

// NewValidator returns a Validator for opts; negative limits are ErrInvalidOptions.
func NewValidator(opts Options) (*Validator, error) {
	if opts.MaxSchemaBytes < 0 || opts.MaxCredentialBytes < 0 || opts.MaxDepth < 0 || opts.MaxEntries < 0 ||
		opts.MaxReferences < 0 || opts.MaxExpansion < 0 {
		return nil, fmt.Errorf("schema: NewValidator: %w: negative limit", ErrInvalidOptions)
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	def := func(p *int, d int) {
		if *p == 0 {
			*p = d
		}
	}
	def(&opts.MaxSchemaBytes, DefaultMaxSchemaBytes)
	def(&opts.MaxCredentialBytes, DefaultMaxCredentialBytes)
	def(&opts.MaxDepth, DefaultMaxDepth)
	def(&opts.MaxEntries, DefaultMaxEntries)
	def(&opts.MaxReferences, DefaultMaxReferences)
	def(&opts.MaxExpansion, DefaultMaxExpansion)
	def(&opts.CacheSize, DefaultCacheSize)
	if opts.FetchTTL == 0 {
		opts.FetchTTL = DefaultFetchTTL
	}
	reg := opts.Registry.clone()
	opts.Registry = nil
	keys := make(map[string]string, len(reg.schemas))
	for u, body := range reg.schemas {
		keys[u] = cacheKey("s", u, body)
	}
	return &Validator{opts: opts, reg: reg, regKeys: keys, compiled: newCache(opts.CacheSize), fetched: newCache(opts.CacheSize)}, nil
}

// Validate checks credential, a VCDM credential as JSON (for a secured credential: the
// verified document or JWT payload), against each of its credentialSchema entries and
// returns nil when it satisfies all of them, or when it has none. The whole credential is
// the instance, as VC JSON Schema §4.2 says.
//
// Each entry must be of type JsonSchema or JsonSchemaCredential (anything else is
// ErrUnsupportedSchema), its schema found in the Registry or through Fetch
// (ErrSchemaRetrieval), match its digestSRI and digestMultibase when present
// (ErrInvalidDigest), and compile within the limits. A JsonSchemaCredential is first
// verified by Options.VerifyCredential, whose error is returned wrapped. A credential that
// does not satisfy a schema is a [*ValidationError] wrapping ErrSchemaValidation.
func (v *Validator) Validate(ctx context.Context, credential []byte) error {
	if len(credential) > v.opts.MaxCredentialBytes {
		return fmt.Errorf("schema: credential of %d bytes exceeds the limit of %d: %w", len(credential), v.opts.MaxCredentialBytes, ErrTooLarge)
	}
	inst, err := jsonx.Decode(credential, v.limits(v.opts.MaxCredentialBytes))
	if err != nil {
		return fmt.Errorf("schema: credential: %w", err)
	}
	doc, ok := inst.(map[string]any)
	if !ok {
		return fmt.Errorf("schema: credential is not a JSON object: %w", ErrMalformed)
	}
	list, err := entriesOf(doc, v.opts.MaxEntries)
	if err != nil || list == nil {
		return err
	}
	if err := checkNumbers(inst); err != nil {
		return fmt.Errorf("schema: credential: %w", err)
	}
	for _, e := range list {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
		var sch *jsonschema.Schema
		switch e.Kind {
		case KindJSONSchema:
			sch, err = v.jsonSchema(ctx, e)
		case KindJSONSchemaCredential:
			sch, err = v.credentialSchema(ctx, e)
		default:
			err = fmt.Errorf("schema: %s: credentialSchema type %q: %w", e.ID, e.Type, ErrUnsupportedSchema)
		}
		if err != nil {
			return err
		}
		if err := validate(sch, inst, e.ID); err != nil {
			return err
		}
	}
	return nil
}

func (v *Validator) limits(maxBytes int) jsonx.Limits {
	return jsonx.Limits{MaxBytes: maxBytes, MaxDepth: v.opts.MaxDepth}
}

// jsonSchema returns the compiled schema of a JsonSchema entry.
func (v *Validator) jsonSchema(ctx context.Context, e Entry) (*jsonschema.Schema, error) {
	body, ok := v.reg.schemas[e.ID]
	key := v.regKeys[e.ID]
	if !ok {
		var err error
		if body, err = v.fetch(ctx, e.ID, acceptSchema); err != nil {
			return nil, err
		}
		key = cacheKey("s", e.ID, body)
	}
	if err := checkIntegrity(e, body); err != nil {
		return nil, err
	}
	if s, ok := v.compiled.get(key, time.Time{}); ok {
		return s.(*jsonschema.Schema), nil
	}
	doc, err := decodeSchema(body, v.opts.MaxSchemaBytes, v.opts.MaxDepth)
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %w", e.ID, err)
	}
	s, err := v.compile(ctx, e.ID, doc)
	if err != nil {
		return nil, err
	}
	v.compiled.put(key, s, time.Time{})
	return s, nil
}

// credentialSchema verifies the schema credential of a JsonSchemaCredential entry and
// returns its compiled credentialSubject.jsonSchema.
func (v *Validator) credentialSchema(ctx context.Context, e Entry) (*jsonschema.Schema, error) {
	if v.opts.VerifyCredential == nil {
		return nil, fmt.Errorf("schema: %s: no VerifyCredential callback for a JsonSchemaCredential: %w", e.ID, ErrUnsupportedSchema)
	}
	raw, ok := v.reg.credentials[e.ID]
	if !ok {
		var err error
		if raw, err = v.fetch(ctx, e.ID, acceptCredential); err != nil {
			return nil, err
		}
	}
	if err := checkIntegrity(e, raw); err != nil {
		return nil, err
	}
	verified, err := v.opts.VerifyCredential(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("schema: verifying schema credential %s: %w", e.ID, err)
	}
	doc, err := schemaFromCredential(verified, e.ID, v.limits(v.opts.MaxCredentialBytes))
	if err != nil {
		return nil, err
	}
	// The key is over the schema itself, so a re-signed credential with the same schema
	// reuses the compiled one, and a changed schema never does.
	src, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %w: %w", e.ID, ErrMalformed, err)
	}
	if len(src) > v.opts.MaxSchemaBytes {
		return nil, fmt.Errorf("schema: %s: schema of %d bytes exceeds the limit of %d: %w", e.ID, len(src), v.opts.MaxSchemaBytes, ErrTooLarge)
	}
	key := cacheKey("c", e.ID, src)
	if s, ok := v.compiled.get(key, time.Time{}); ok {
		return s.(*jsonschema.Schema), nil
	}
	s, err := v.compile(ctx, e.ID, doc)
	if err != nil {
		return nil, err
	}
	v.compiled.put(key, s, time.Time{})
	return s, nil
}

// schemaFromCredential checks a verified JsonSchemaCredential (VC JSON Schema §2.2) and
// returns its credentialSubject.jsonSchema.
func schemaFromCredential(verified []byte, id string, lim jsonx.Limits) (any, error) {
	v, err := jsonx.Decode(verified, lim)
	if err != nil {
		return nil, fmt.Errorf("schema: schema credential %s: %w", id, err)
	}
	c, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: schema credential %s is not a JSON object: %w", id, ErrMalformed)
	}
	if !hasType(c["type"], TypeJSONSchemaCredential) {
		return nil, fmt.Errorf("schema: schema credential %s is not of type %s: %w", id, TypeJSONSchemaCredential, ErrInvalidType)
	}
	if cid, ok := c["id"].(string); !ok || cid != id {
		return nil, fmt.Errorf("schema: schema credential fetched as %s has another or no id: %w", id, ErrMalformed)
	}
	meta, err := entriesOf(c, DefaultMaxEntries)
	if err != nil {
		return nil, fmt.Errorf("schema: schema credential %s: %w", id, err)
	}
	if !slices.ContainsFunc(meta, func(m Entry) bool { return m.ID == JSONSchemaCredentialSchema && m.Kind == KindJSONSchema }) {
		return nil, fmt.Errorf("schema: schema credential %s: credentialSchema is not %s: %w", id, JSONSchemaCredentialSchema, ErrMalformed)
	}
	subj, ok := c["credentialSubject"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: schema credential %s: credentialSubject is not one object: %w", id, ErrMalformed)
	}
	if !hasType(subj["type"], TypeJSONSchema) {
		return nil, fmt.Errorf("schema: schema credential %s: credentialSubject.type is not %s: %w", id, TypeJSONSchema, ErrInvalidType)
	}
	doc, ok := subj["jsonSchema"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: schema credential %s: credentialSubject.jsonSchema is not an object: %w", id, ErrMalformed)
	}
	if err := checkNumbers(doc); err != nil {
		return nil, fmt.Errorf("schema: schema credential %s: %w", id, err)
	}
	return doc, nil
}

// hasType reports whether a type value (a string or an array of strings) includes want.
func hasType(v any, want string) bool {
	switch t := v.(type) {
	case string:
		return t == want
	case []any:
		return slices.Contains(t, any(want))
	}
	return false
}

// fetch returns the body at url through Options.Fetch, from the cache within FetchTTL.
func (v *Validator) fetch(ctx context.Context, url, accept string) ([]byte, error) {
	if v.opts.Fetch == nil {
		return nil, fmt.Errorf("schema: %s is not in the Registry and fetching is off: %w", url, ErrSchemaRetrieval)
	}
	now := v.opts.Clock()
	key := accept + "\x00" + url
	if b, ok := v.fetched.get(key, now); ok {
		return b.([]byte), nil
	}
	body, err := v.opts.Fetch.Fetch(ctx, url, accept)
	if err != nil {
		return nil, fmt.Errorf("schema: fetching %s: %w: %w", url, ErrSchemaRetrieval, err)
	}
	if len(body) > v.opts.MaxSchemaBytes {
		return nil, fmt.Errorf("schema: %s: %d bytes exceed the limit of %d: %w", url, len(body), v.opts.MaxSchemaBytes, ErrTooLarge)
	}
	if v.opts.FetchTTL > 0 {
		v.fetched.put(key, body, now.Add(v.opts.FetchTTL))
	}
	return body, nil
}

func cacheKey(kind, id string, src []byte) string {
	sum := sha256.Sum256(src)
	return kind + "\x00" + id + "\x00" + string(sum[:])
}
