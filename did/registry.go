package did

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// Registry maps DID method names to resolvers. It is itself a [Resolver], and it is
// where the checks that every method needs happen, so that a method resolver cannot
// return a document for another DID.
//
// The zero value is an empty Registry, as is [NewRegistry]: it resolves nothing until
// methods are registered. A Registry is safe for concurrent use; registering methods
// while others resolve is safe too, but a verifier should finish setting it up first.
type Registry struct {
	mu      sync.RWMutex
	methods map[string]Resolver
}

// NewRegistry returns an empty Registry: it resolves nothing until methods are registered.
func NewRegistry() *Registry {
	return &Registry{methods: make(map[string]Resolver)}
}

// Register makes res resolve the DIDs of method ("key" for did:key:...). The name must
// be a DID method name (lowercase ASCII letters and digits; [ErrInvalidDID] otherwise)
// and may be registered only once ([ErrAlreadyRegistered]). A nil res wraps
// [ErrMethodNotSupported].
func (r *Registry) Register(method string, res Resolver) error {
	if !validMethodName(method) {
		return fmt.Errorf("did: registering method %s: not a method name: %w", quote(method), ErrInvalidDID)
	}
	if res == nil {
		return fmt.Errorf("did: registering method %s: nil resolver: %w", quote(method), ErrMethodNotSupported)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.methods[method]; dup {
		return fmt.Errorf("did: registering method %s: %w", quote(method), ErrAlreadyRegistered)
	}
	if r.methods == nil {
		r.methods = make(map[string]Resolver)
	}
	r.methods[method] = res
	return nil
}

// Methods returns the registered method names, in no particular order.
func (r *Registry) Methods() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.methods))
	for m := range r.methods {
		out = append(out, m)
	}
	return out
}

// Resolve parses did, picks the resolver registered for its method and delegates to it.
// Then it checks the result: the document must be present, valid ([Document.Validate])
// and have did as its id, and the DID must not be deactivated.
//
// Every error is a [*ResolutionError] (find it with errors.As) wrapping a sentinel:
// invalidDid ([ErrInvalidDID]), methodNotSupported ([ErrMethodNotSupported]),
// invalidDidDocument ([ErrInvalidDIDDocument]) for a document that fails the checks,
// deactivated ([ErrDeactivated]). A resolver's own *ResolutionError is returned as it is;
// another error is wrapped with the code of the sentinel it wraps: notFound
// ([ErrNotFound]), invalidDid, invalidDidDocument, invalidPublicKey ([ErrInvalidKey]),
// or internalError ([ErrResolutionFailed], beside the resolver's error, so that
// errors.Is(err, context.Canceled) still works). A result whose resolution metadata
// carries an error code is reported as that error.
func (r *Registry) Resolve(ctx context.Context, did string) (*Resolution, error) {
	d, err := Parse(did)
	if err != nil {
		return nil, NewResolutionError(CodeInvalidDID, did, err)
	}
	r.mu.RLock()
	res := r.methods[d.Method]
	r.mu.RUnlock()
	if res == nil {
		return nil, NewResolutionError(CodeMethodNotSupported, did,
			fmt.Errorf("did: method %s: %w", quote(d.Method), ErrMethodNotSupported))
	}
	out, err := res.Resolve(ctx, did)
	if err != nil {
		return nil, wrapResolverError(did, err)
	}
	if out == nil {
		return nil, NewResolutionError(CodeInternalError, did,
			fmt.Errorf("did: resolver for %s returned no result: %w", quote(d.Method), ErrResolutionFailed))
	}
	if code := out.ResolutionMetadata.Error; code != "" {
		return nil, NewResolutionError(code, did,
			fmt.Errorf("did: resolution metadata error %s: %w", quote(code), sentinelFor(code)))
	}
	if out.DocumentMetadata.Deactivated {
		return nil, NewResolutionError(CodeDeactivated, did, fmt.Errorf("did: %s: %w", quote(did), ErrDeactivated))
	}
	if out.Document == nil {
		return nil, NewResolutionError(CodeInvalidDIDDocument, did,
			fmt.Errorf("did: no document: %w", ErrInvalidDIDDocument))
	}
	if out.Document.ID != did {
		return nil, NewResolutionError(CodeInvalidDIDDocument, did,
			fmt.Errorf("did: document id %s does not match: %w", quote(out.Document.ID), ErrInvalidDIDDocument))
	}
	if err := out.Document.Validate(); err != nil {
		return nil, NewResolutionError(CodeInvalidDIDDocument, did, err)
	}
	return out, nil
}

func wrapResolverError(did string, err error) error {
	var re *ResolutionError
	if errors.As(err, &re) {
		if re.Err == nil {
			return NewResolutionError(re.Code, re.DID, nil)
		}
		return err
	}
	code := codeFor(err)
	if code == CodeInternalError {
		err = fmt.Errorf("%w: %w", ErrResolutionFailed, err)
	}
	return NewResolutionError(code, did, err)
}

// Dereference resolves the DID of didURL and returns the verification method that its
// fragment names, if the document authorises it for rel ([Document.VerificationMethodFor]).
// The result is a copy with an absolute id.
//
// didURL must have a fragment and no path or query: DID parameters such as versionId
// would select another document than the one resolved, so they are refused rather than
// ignored. Errors are [*ResolutionError] values for a bad DID URL (invalidDidUrl), for a
// failed resolution (see [Registry.Resolve]) and for a method the document does not
// define (notFound, wrapping [ErrVerificationMethodNotFound]). A method that the document
// defines but does not list under rel is a plain error wrapping
// [ErrVerificationRelationship]: the DID URL dereferences, but not for that purpose.
func (r *Registry) Dereference(ctx context.Context, didURL string, rel Relationship) (*VerificationMethod, error) {
	u, err := ParseURL(didURL)
	if err != nil {
		return nil, NewResolutionError(CodeInvalidDIDURL, didURL, err)
	}
	if u.Fragment == "" {
		return nil, NewResolutionError(CodeInvalidDIDURL, didURL,
			fmt.Errorf("did: URL %s has no fragment: %w", quote(didURL), ErrInvalidDIDURL))
	}
	if u.Path != "" || u.Query != "" {
		return nil, NewResolutionError(CodeInvalidDIDURL, didURL,
			fmt.Errorf("did: URL %s: path and query are not supported here: %w", quote(didURL), ErrInvalidDIDURL))
	}
	res, err := r.Resolve(ctx, u.DID.String())
	if err != nil {
		return nil, err
	}
	vm, err := res.Document.VerificationMethodFor(didURL, rel)
	switch {
	case errors.Is(err, ErrVerificationMethodNotFound):
		return nil, NewResolutionError(CodeNotFound, didURL, err)
	case err != nil:
		return nil, fmt.Errorf("did: dereferencing %s: %w", quote(didURL), err)
	}
	return vm, nil
}

// DereferenceService dereferences a DID URL with a service parameter to a URL, as DID
// Core §7.2 and its example describe: did:example:123?service=files&relativeRef=/a.pdf
// with the service "#files" whose endpoint is "https://example.com/x/" gives
// "https://example.com/a.pdf". relativeRef (percent-decoded) is resolved against the
// endpoint with RFC 3986 §5; a fragment of didURL replaces the result's fragment.
//
// Only the parameters service and relativeRef are accepted, each at most once, and
// didURL must have no path. relativeRef must be a relative reference: an absolute URI or
// a network-path reference ("//host") would let the DID URL, not the DID document, choose
// the host. The service is found by id (the DID with "#" and the service parameter);
// its endpoint must be a string. The URL is returned, never fetched.
//
// Errors are [*ResolutionError] values: invalidDidUrl ([ErrInvalidDIDURL]), those of
// [Registry.Resolve], and notFound ([ErrNotFound]) for a missing service or one whose
// endpoint is not a string.
func (r *Registry) DereferenceService(ctx context.Context, didURL string) (string, error) {
	u, err := ParseURL(didURL)
	if err != nil {
		return "", NewResolutionError(CodeInvalidDIDURL, didURL, err)
	}
	bad := func(why string) error {
		return NewResolutionError(CodeInvalidDIDURL, didURL,
			fmt.Errorf("did: URL %s: %s: %w", quote(didURL), why, ErrInvalidDIDURL))
	}
	if u.Path != "" {
		return "", bad("path not supported with service")
	}
	var service, relRef string
	var hasService, hasRel bool
	for q := u.Query; q != ""; {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(pair, "=")
		k, err1 := url.PathUnescape(k)
		v, err2 := url.PathUnescape(v)
		if err1 != nil || err2 != nil {
			return "", bad("invalid percent-encoding in query")
		}
		switch {
		case k == "service" && !hasService:
			service, hasService = v, true
		case k == "relativeRef" && !hasRel:
			relRef, hasRel = v, true
		default:
			return "", bad("unsupported or repeated parameter " + quote(k))
		}
	}
	if service == "" {
		return "", bad("no service parameter")
	}
	var ref *url.URL
	if hasRel {
		if !isURIReference(relRef) {
			return "", bad("relativeRef is not a URI reference")
		}
		if _, abs := uriScheme(relRef); abs || strings.HasPrefix(relRef, "//") {
			return "", bad("relativeRef is not a relative reference")
		}
		if ref, err = url.Parse(relRef); err != nil {
			return "", bad("relativeRef is not a URI reference")
		}
	}
	did := u.DID.String()
	res, err := r.Resolve(ctx, did)
	if err != nil {
		return "", err
	}
	want := did + "#" + service
	base := URL{DID: u.DID}
	var svc *Service
	for i := range res.Document.Service {
		s := &res.Document.Service[i]
		if abs, ok := absoluteID(&base, s.ID); ok && abs == want {
			svc = s
			break
		}
	}
	if svc == nil {
		return "", NewResolutionError(CodeNotFound, didURL,
			fmt.Errorf("did: no service %s: %w", quote(want), ErrNotFound))
	}
	endpoint, ok := rawString(svc.ServiceEndpoint)
	if !ok {
		return "", NewResolutionError(CodeNotFound, didURL,
			fmt.Errorf("did: service %s: endpoint is not a string: %w", quote(want), ErrNotFound))
	}
	eu, err := url.Parse(endpoint)
	if err != nil || !eu.IsAbs() {
		return "", NewResolutionError(CodeInvalidDIDDocument, didURL,
			fmt.Errorf("did: service %s: endpoint %s: %w", quote(want), quote(endpoint), ErrInvalidURL))
	}
	if ref != nil {
		eu = eu.ResolveReference(ref)
	}
	out := eu.String()
	if u.Fragment != "" {
		out, _, _ = strings.Cut(out, "#")
		out += "#" + u.Fragment
	}
	return out, nil
}

// isURIReference reports whether s holds only characters allowed in an RFC 3986 URI
// reference, with valid percent-escapes and at most one "#".
func isURIReference(s string) bool {
	hash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isPChar(c) || c == '/' || c == '?':
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
