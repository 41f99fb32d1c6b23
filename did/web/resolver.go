package web

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/netguard"
)

// Defaults for the zero fields of [Options] (DESIGN.md §5).
const (
	DefaultTimeout = 10 * time.Second
	// DefaultMaxDocumentBytes is also the largest value Options.MaxDocumentBytes may take:
	// did.ParseDocument accepts nothing larger.
	DefaultMaxDocumentBytes = did.MaxDocumentBytes
)

// accept is the Accept header of every request: the JSON representation of DID Core
// §6.2 first, then plain JSON, which static hosts serve for a file named did.json.
const accept = "application/did+json, application/did+ld+json;q=0.9, application/json;q=0.8"

// Options configures a [Resolver]. The zero value is the safe policy: public https hosts
// only, at most 3 redirects, 10 s per resolution, documents of at most 256 KiB.
type Options struct {
	// AllowLoopback permits hosts on 127.0.0.0/8 and ::1 (did:web:127.0.0.1%3A8443), for
	// tests against httptest servers only. Private, link-local and other non-public
	// addresses stay forbidden.
	AllowLoopback bool
	// MaxDocumentBytes bounds the body of a response; 0 means DefaultMaxDocumentBytes.
	// New refuses a negative value or one above DefaultMaxDocumentBytes.
	MaxDocumentBytes int64
	// Timeout bounds one resolution, redirects and body included; 0 means DefaultTimeout.
	// New refuses a negative value.
	Timeout time.Duration
}

// Resolver resolves did:web DIDs (W3C CCG did:web method specification) by fetching
// their DID documents over https. It is a [did.Resolver]; it is immutable and safe for
// concurrent use.
type Resolver struct {
	guard         *netguard.Guard
	allowLoopback bool
}

// New returns a Resolver that fetches documents through client, under the policy of
// opts. client is not modified and is never used directly: requests go through a copy
// whose dialer refuses non-public addresses and whose proxy settings are dropped (a
// proxy would connect past that check). A nil client is an error: there is no default
// client, so no code reaches the network unless its caller asked for it.
//
// client.Transport must be nil or an *http.Transport. Errors wrap [ErrInvalidOptions].
func New(client *http.Client, opts Options) (*Resolver, error) {
	if client == nil {
		return nil, fmt.Errorf("web: nil *http.Client: %w", ErrInvalidOptions)
	}
	if opts.MaxDocumentBytes < 0 || opts.MaxDocumentBytes > DefaultMaxDocumentBytes {
		return nil, fmt.Errorf("web: MaxDocumentBytes %d not in 0..%d: %w", opts.MaxDocumentBytes, DefaultMaxDocumentBytes, ErrInvalidOptions)
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("web: negative Timeout: %w", ErrInvalidOptions)
	}
	if opts.MaxDocumentBytes == 0 {
		opts.MaxDocumentBytes = DefaultMaxDocumentBytes
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	g, err := netguard.New(client, netguard.Options{
		AllowLoopback: opts.AllowLoopback,
		Timeout:       opts.Timeout,
		MaxBodyBytes:  opts.MaxDocumentBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("web: %w: %w", ErrInvalidOptions, err)
	}
	return &Resolver{guard: g, allowLoopback: opts.AllowLoopback}, nil
}

// Resolve fetches the DID document of the did:web DID id from the URL that [URL] gives
// and returns it if it is valid and its id is exactly id (did:web "Read (Resolve)").
//
// The request sends Accept: application/did+json (with application/did+ld+json and
// application/json as alternatives). The response must be 2xx with one of those three
// media types; the body is parsed with [did.ParseDocument], which rejects duplicate
// member names, excess nesting and invalid UTF-8. A document served as
// application/did+ld+json must have an @context. ResolutionMetadata.ContentType is the
// media type the server sent, without parameters.
//
// Every error is a [*did.ResolutionError] whose Code is:
//
//   - methodNotSupported for a DID of another method (wrapping did.ErrMethodNotSupported);
//   - invalidDid when id is not a did:web DID that [URL] accepts (did.ErrInvalidDID,
//     did.ErrForbiddenAddress);
//   - notFound for HTTP 404 and 410 (did.ErrNotFound);
//   - representationNotSupported for another media type ([ErrUnsupportedFormat]);
//   - invalidDidDocument for a body over Options.MaxDocumentBytes (did.ErrTooLarge), a
//     body that is not a valid DID document (did.ErrMalformed, did.ErrTooDeep,
//     did.ErrInvalidDIDDocument) or a document with another id (did.ErrInvalidDIDDocument);
//   - internalError (wrapping did.ErrResolutionFailed beside the cause) when the fetch
//     fails otherwise: a redirect to a forbidden address (did.ErrForbiddenAddress) or to
//     http (did.ErrInsecureURL), a host name that resolves to a forbidden address, more
//     than 3 redirects, another HTTP status, a TLS or connection failure, or the end of
//     ctx or of Options.Timeout (context.Canceled, context.DeadlineExceeded).
func (r *Resolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	if len(id) <= MaxDIDLength {
		if d, err := did.Parse(id); err == nil && d.Method != "web" {
			return nil, did.NewResolutionError(did.CodeMethodNotSupported, id,
				fmt.Errorf("web: method %q: %w", d.Method, did.ErrMethodNotSupported))
		}
	}
	u, err := buildURL(id, r.allowLoopback)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInvalidDID, id, err)
	}
	resp, err := r.guard.Get(ctx, u, accept)
	if err != nil {
		err = fmt.Errorf("web: fetching the document of %s: %w", quote(id), err)
		switch {
		case errors.Is(err, did.ErrNotFound):
			return nil, did.NewResolutionError(did.CodeNotFound, id, err)
		case errors.Is(err, did.ErrTooLarge):
			return nil, did.NewResolutionError(did.CodeInvalidDIDDocument, id, err)
		}
		return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("%w: %w", did.ErrResolutionFailed, err))
	}
	mt, err := mediaType(resp.ContentType)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeRepresentationNotSupported, id,
			fmt.Errorf("web: document of %s: %w", quote(id), err))
	}
	doc, err := did.ParseDocument(resp.Body)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInvalidDIDDocument, id,
			fmt.Errorf("web: document of %s: %w", quote(id), err))
	}
	if doc.ID != id {
		return nil, did.NewResolutionError(did.CodeInvalidDIDDocument, id,
			fmt.Errorf("web: document of %s has id %s: %w", quote(id), quote(doc.ID), did.ErrInvalidDIDDocument))
	}
	if mt == "application/did+ld+json" && len(doc.Context) == 0 {
		// DID Core §6.3.1: the JSON-LD representation must have @context.
		return nil, did.NewResolutionError(did.CodeInvalidDIDDocument, id,
			fmt.Errorf("web: document of %s is served as JSON-LD without @context: %w", quote(id), did.ErrInvalidDIDDocument))
	}
	return &did.Resolution{
		Document:           doc,
		ResolutionMetadata: did.ResolutionMetadata{ContentType: mt},
	}, nil
}

// mediaType returns the media type of a Content-Type header if it is one this package
// reads as a DID document.
func mediaType(contentType string) (string, error) {
	if contentType == "" {
		return "", fmt.Errorf("no Content-Type: %w", ErrUnsupportedFormat)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("invalid Content-Type: %w", ErrUnsupportedFormat)
	}
	switch mt {
	case "application/did+json", "application/did+ld+json", "application/json":
		return mt, nil
	}
	return "", fmt.Errorf("media type %s: %w", quote(mt), ErrUnsupportedFormat)
}
