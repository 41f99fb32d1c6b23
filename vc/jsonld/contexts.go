package jsonld

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// URLs of the base contexts of the VC Data Model, for [Options].RequireFirst.
const (
	// CredentialsV2 is the base context of VC Data Model 2.0 (§4.3: the first @context entry).
	CredentialsV2 = "https://www.w3.org/ns/credentials/v2"
	// CredentialsV1 is the base context of VC Data Model 1.1.
	CredentialsV1 = "https://www.w3.org/2018/credentials/v1"
)

// MaxContextBytes bounds a context document given to [Contexts.Add].
const MaxContextBytes = 1 << 20

// contextFiles are the context documents a verifier needs offline, stored as compact JSON
// (insignificant whitespace removed, member order kept); contexts/README.md gives their
// sources and licences.
//
//go:embed contexts/*.jsonld
var contextFiles embed.FS

// embeddedContext pins one embedded document: the URL it is published at, its file under
// contexts/ and the SHA-256 of the file's bytes.
type embeddedContext struct {
	url, file, sha256 string
}

// embeddedContexts is the read-only table behind [DefaultContexts].
var embeddedContexts = [...]embeddedContext{
	{CredentialsV1, "credentials-v1.jsonld", "778eb3a2ffad5df9773231da61b42c098e9849844873a6b5bf9be95c70d73df7"},
	{CredentialsV2, "credentials-v2.jsonld", "bf6fd611e6773d58f649459a45dbbb81f94e8cfd058a756644cd5a4a882c4050"},
	{"https://www.w3.org/2018/credentials/examples/v1", "credentials-examples-v1.jsonld", "f2dd46310f701ed9ad0075618c34c2fe6f081a3686ecfd32a71ee6cbe39b3039"},
	{"https://www.w3.org/ns/credentials/examples/v2", "credentials-examples-v2.jsonld", "8a675bead391be98e6054c4e07c41f73337508d398e07047344c5d349aa2dc58"},
	{"https://www.w3.org/ns/credentials/undefined-terms/v2", "credentials-undefined-terms-v2.jsonld", "3b11e1df8c618447e9f79f3737e3c30fc0841537eb95f36003742c633672bb9f"},
	{"https://www.w3.org/ns/credentials/status/v1", "credentials-status-v1.jsonld", "1d5d557d174395f467c025726ff37da4b18e81d95e2a7e285d8e2158e5f889ce"},
	{"https://w3id.org/security/data-integrity/v1", "data-integrity-v1.jsonld", "3d76dae0cd98b289312e02c08d6a7b746cb1c66da17d605067f10f697ea0a76c"},
	{"https://w3id.org/security/data-integrity/v2", "data-integrity-v2.jsonld", "be223c58c54657e930970f0d11f03caf7287bddc7be7e6f010855190c6b39c21"},
	{"https://w3id.org/security/multikey/v1", "multikey-v1.jsonld", "91f130b30b6705ee65dfa8f86e74922a74aaa0d5fc8bb35427ec2d607d3ad3eb"},
	{"https://w3id.org/security/suites/ed25519-2020/v1", "ed25519-2020-v1.jsonld", "9b95d3a66999f50f9e5842ec9e727c27bc6288d5ba5d8e6afd09b4ff8161fe2a"},
	{"https://www.w3.org/ns/did/v1", "did-v1.jsonld", "922d86fef06acc0754ef45a4d662c51b57dcd1c9dab3bbdc8d71da81285a5270"},
	{"https://w3id.org/citizenship/v4rc1", "citizenship-v4rc1.jsonld", "d2ddae8bb5a07b766bcaf77e7a400de9cc6695794a4f0b8b513acf1d6b1d6710"},
	{"https://w3id.org/vdl/v1", "vdl-v1.jsonld", "ae5b8f33c592fe836b7c6ecabcc6370508431b3abae78ff6369370b84d198e28"},
	{"https://w3id.org/vdl/aamva/v1", "vdl-aamva-v1.jsonld", "b6e2ebb1355dc8c800753520a5e49decd59fda3cfe7a240269bb5f4d9baeb45a"},
}

// Contexts is a registry of JSON-LD context documents, each under the exact URL it is
// published at and pinned by the SHA-256 of its bytes. [Expand] and [ToRDF] resolve context
// references only through it: a URL that is not registered is an error wrapping
// errs.ErrUnknownContext, and nothing is ever read from disk or fetched.
//
// The zero value is an empty registry, ready for [Contexts.Add]; [DefaultContexts] returns
// one holding the embedded documents. A Contexts is safe for concurrent use; build it once
// and share it, since registering parses the documents and the registry keeps the contexts
// it has processed for the compiled expansion path (see the package documentation), at
// most 1024 of them.
type Contexts struct {
	mu   sync.RWMutex
	docs map[string]*contextDoc
	// compiled holds the active contexts the compiled expansion path has built from docs
	// (see compiled.go); documents are never replaced, so it never needs clearing.
	compiled compiledCache
}

// contextDoc is one registered document. value is decoded once with encoding/json (numbers
// as float64, as the JSON-LD processor compares "@version" with 1.1) and never handed out:
// the loader gives every caller its own copy.
type contextDoc struct {
	raw      []byte
	value    map[string]any
	embedded bool
}

// DefaultContexts returns a new registry holding the embedded context documents: the VC Data
// Model 1.1 and 2.0 base and example contexts, undefined-terms v2, Bitstring Status List v1,
// Data Integrity v1 and v2, Multikey v1, DID v1, Ed25519Signature2020, citizenship v4rc1,
// and the mobile driving licence contexts vdl v1 and aamva v1. [Contexts.URLs] lists them.
//
// Each embedded file is checked against its pinned hash; one that does not match is left
// out, so that documents using it fail with errs.ErrUnknownContext.
func DefaultContexts() *Contexts {
	c := &Contexts{docs: make(map[string]*contextDoc, len(embeddedContexts))}
	for _, e := range embeddedContexts {
		raw, err := contextFiles.ReadFile("contexts/" + e.file)
		if err != nil {
			continue
		}
		doc, err := newContextDoc(raw, e.sha256)
		if err != nil {
			continue
		}
		doc.embedded = true
		c.docs[e.url] = doc
	}
	return c
}

// Add registers doc as the context document published at rawURL. sha256Hex is the
// lowercase or uppercase hex SHA-256 of doc, as the publisher states it (the VC Data Model
// 2.0 §B.1 lists them for its contexts); it is checked against doc, so a document that
// changed is refused.
//
// rawURL must be an absolute https URL without user information or fragment; it is matched
// exactly, byte for byte, when documents refer to it. doc must be strict JSON (see
// internal/jsonx) of at most MaxContextBytes, an object with an "@context" member. Adding
// the same document again under the same URL does nothing; a different document under a
// URL already registered is refused, for the embedded ones as for those added earlier.
//
// Errors wrap errs.ErrInsecureURL or errs.ErrInvalidURL (the URL), errs.ErrInvalidOptions
// (a malformed hash, or a URL already taken), errs.ErrUnknownContext (a hash that does not
// match), or errs.ErrMalformed or errs.ErrTooLarge (the document). On error the registry is
// unchanged.
func (c *Contexts) Add(rawURL string, doc []byte, sha256Hex string) error {
	if err := checkContextURL(rawURL); err != nil {
		return err
	}
	d, err := newContextDoc(doc, sha256Hex)
	if err != nil {
		return fmt.Errorf("jsonld: context %s: %w", shorten(rawURL), err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.docs[rawURL]; ok {
		if bytes.Equal(old.raw, d.raw) {
			return nil
		}
		return fmt.Errorf("jsonld: context %s is already registered with another document: %w", shorten(rawURL), errs.ErrInvalidOptions)
	}
	if c.docs == nil {
		c.docs = make(map[string]*contextDoc)
	}
	c.docs[rawURL] = d
	return nil
}

// URLs returns the registered URLs in no particular order.
func (c *Contexts) URLs() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	urls := make([]string, 0, len(c.docs))
	for u := range c.docs {
		urls = append(urls, u)
	}
	return urls
}

// Has reports whether a document is registered under exactly rawURL.
func (c *Contexts) Has(rawURL string) bool {
	_, ok := c.lookup(rawURL)
	return ok
}

// lookup returns the registered document for u, or false.
func (c *Contexts) lookup(u string) (*contextDoc, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	d, ok := c.docs[u]
	c.mu.RUnlock()
	return d, ok
}

// newContextDoc checks raw against sha256Hex and decodes it.
func newContextDoc(raw []byte, sha256Hex string) (*contextDoc, error) {
	want, err := hex.DecodeString(sha256Hex)
	if err != nil || len(want) != sha256.Size {
		return nil, fmt.Errorf("hash is not 64 hex digits: %w", errs.ErrInvalidOptions)
	}
	if got := sha256.Sum256(raw); !bytes.Equal(got[:], want) {
		return nil, fmt.Errorf("document does not match its pinned SHA-256: %w", errs.ErrUnknownContext)
	}
	if err := jsonx.Validate(raw, jsonx.Limits{MaxBytes: MaxContextBytes}); err != nil {
		return nil, err
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return nil, fmt.Errorf("context document is not a JSON object: %w", errs.ErrMalformed)
	}
	if _, ok := v["@context"]; !ok {
		return nil, fmt.Errorf("context document has no @context member: %w", errs.ErrMalformed)
	}
	return &contextDoc{raw: bytes.Clone(raw), value: v}, nil
}

// checkContextURL accepts absolute https URLs without user information or fragment.
func checkContextURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" || strings.ContainsAny(raw, " \t\r\n\\") {
		return fmt.Errorf("jsonld: context URL %s is not an absolute URL: %w", shorten(raw), errs.ErrInvalidURL)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("jsonld: context URL %s is not https: %w", shorten(raw), errs.ErrInsecureURL)
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("jsonld: context URL %s must have a host and no user information or fragment: %w", shorten(raw), errs.ErrInvalidURL)
	}
	return nil
}

// cloneJSON copies a value built by encoding/json or internal/jsonx.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = cloneJSON(e)
		}
		return a
	}
	return v
}

// shorten quotes s for an error message, cut to 100 bytes.
func shorten(s string) string {
	const limit = 100
	if len(s) > limit {
		return fmt.Sprintf("%q...", s[:limit])
	}
	return fmt.Sprintf("%q", s)
}
