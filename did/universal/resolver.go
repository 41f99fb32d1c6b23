package universal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/netguard"
)

// Defaults and bounds of [Options].
const (
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBytes leaves room for a DID document of did.MaxDocumentBytes and its
	// metadata.
	DefaultMaxBytes = 512 << 10
	// MaxMaxBytes is the largest Options.MaxBytes that New accepts.
	MaxMaxBytes = 4 << 20
)

// accept asks for a DID resolution result (DID Resolution, HTTP(S) binding): the media
// type of the DIF Universal Resolver first, then the one of the W3C draft.
const accept = `application/ld+json;profile="https://w3id.org/did-resolution", application/did-resolution;q=0.9`

// identifiersPath is the path of the resolve endpoint below Options.BaseURL.
const identifiersPath = "/1.0/identifiers/"

// maxQuoted bounds what error messages quote of a server's answer.
const maxQuoted = 64

// Options configures a [Resolver]. There is no usable zero value: BaseURL and Methods
// are required, so that a Resolver never sends DIDs anywhere its caller did not name.
type Options struct {
	// BaseURL is the root of the resolution server, for example
	// "https://resolver.example.com" or "https://example.com/uniresolver": a DID is
	// resolved with GET BaseURL + "/1.0/identifiers/" + DID. It must be an https URL of a
	// public host, without query or fragment. Required.
	BaseURL string
	// Methods lists the DID methods (such as "ion" or "ethr") whose DIDs are sent to the
	// server. DIDs of any other method fail with methodNotSupported without a request.
	// Required: New refuses an empty list, since it would make a resolver that resolves
	// nothing. Register the Resolver on a did.Registry for these methods only.
	Methods []string
	// AllowLoopback permits a BaseURL (and redirects) on 127.0.0.0/8 and ::1, for tests
	// against httptest servers only.
	AllowLoopback bool
	// MaxBytes bounds the body of a response; 0 means DefaultMaxBytes. New refuses a
	// negative value or one above MaxMaxBytes. The DID document inside is also bounded by
	// did.MaxDocumentBytes.
	MaxBytes int64
	// Timeout bounds one resolution, redirects and body included; 0 means DefaultTimeout.
	// New refuses a negative value.
	Timeout time.Duration
}

// Resolver resolves DIDs by asking a remote DID resolution server, such as the DIF
// Universal Resolver, over https. It is a [did.Resolver]; it is immutable and safe for
// concurrent use.
//
// A Resolver hands trust to the server: the server can return any document it likes for
// any DID, with any keys in it, and this package cannot tell. Use it only with a
// resolution server that you operate or trust as much as your own code, only for the
// methods you cannot resolve locally, and prefer the local methods (did/key, did/jwk,
// did/web) wherever they apply. It is never part of a default configuration.
type Resolver struct {
	client   *http.Client
	base     string // scheme://host[:port][/path], no trailing slash
	methods  map[string]bool
	maxBytes int64
}

// New returns a Resolver that sends DIDs of opts.Methods to the server at opts.BaseURL
// through client. Resolving through a remote server hands it the trust to decide what
// every such DID means (see [Resolver]): only opt in with a server you operate or trust.
//
// client is not modified and is never used directly: requests go through a copy whose
// dialer refuses non-public addresses and whose proxy settings are dropped. A nil client
// is an error; there is no default client. client.Transport must be nil or an
// *http.Transport.
//
// Errors wrap [ErrInvalidOptions], and also did.ErrInsecureURL, did.ErrInvalidURL or
// did.ErrForbiddenAddress for a BaseURL that is not an https URL of a public host.
func New(client *http.Client, opts Options) (*Resolver, error) {
	if client == nil {
		return nil, fmt.Errorf("universal: nil *http.Client: %w", ErrInvalidOptions)
	}
	if opts.BaseURL == "" {
		return nil, fmt.Errorf("universal: no BaseURL: %w", ErrInvalidOptions)
	}
	u, err := netguard.CheckURL(opts.BaseURL, netguard.Options{AllowLoopback: opts.AllowLoopback})
	if err != nil {
		return nil, fmt.Errorf("universal: BaseURL: %w: %w", ErrInvalidOptions, err)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(opts.BaseURL, "#") {
		return nil, fmt.Errorf("universal: BaseURL with a query or fragment: %w: %w", ErrInvalidOptions, did.ErrInvalidURL)
	}
	if len(opts.Methods) == 0 {
		return nil, fmt.Errorf("universal: no Methods: %w", ErrInvalidOptions)
	}
	methods := make(map[string]bool, len(opts.Methods))
	for _, m := range opts.Methods {
		if !validMethod(m) {
			return nil, fmt.Errorf("universal: Methods: %s is not a DID method name: %w", strconv.Quote(m), ErrInvalidOptions)
		}
		methods[m] = true
	}
	if opts.MaxBytes < 0 || opts.MaxBytes > MaxMaxBytes {
		return nil, fmt.Errorf("universal: MaxBytes %d not in 0..%d: %w", opts.MaxBytes, MaxMaxBytes, ErrInvalidOptions)
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("universal: negative Timeout: %w", ErrInvalidOptions)
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	g, err := netguard.New(client, netguard.Options{
		AllowLoopback: opts.AllowLoopback,
		Timeout:       opts.Timeout,
		MaxBodyBytes:  opts.MaxBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("universal: %w: %w", ErrInvalidOptions, err)
	}
	return &Resolver{
		client:   g.Client(),
		base:     u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/"),
		methods:  methods,
		maxBytes: opts.MaxBytes,
	}, nil
}

// Resolve asks the server to resolve id, a DID of one of Options.Methods, and returns
// the result if the document in it is valid and its id is exactly id.
//
// The request is GET BaseURL/1.0/identifiers/<id>, with id percent-encoded as a path
// segment (it is first checked to be a DID, so it cannot add path segments, a query or
// a fragment), and Accept: application/ld+json;profile="https://w3id.org/did-resolution"
// (with application/did-resolution as an alternative).
//
// A 2xx answer may be of either shape that servers send, told apart by its top-level
// members:
//
//   - a DID resolution result, an object with didDocument, didResolutionMetadata and
//     didDocumentMetadata (the DIF Universal Resolver, DID Resolution §7.1), served as
//     application/ld+json, application/did-resolution or application/json: the
//     metadata is kept in the Resolution, ResolutionMetadata.ContentType is the server's
//     contentType;
//   - a bare DID document, an object without any of those members, served as
//     application/did+ld+json, application/did+json, application/ld+json or
//     application/json: ResolutionMetadata.ContentType is the media type of the answer.
//
// Either way the document is parsed with did.ParseDocument (duplicate member names,
// excess nesting and invalid UTF-8 are errors). Metadata is as the server reports it;
// HTTP 410 (Gone) with a document marks it deactivated.
//
// Every error is a [*did.ResolutionError]:
//
//   - invalidDid (did.ErrInvalidDID, did.ErrTooLarge) when id is not a DID, and
//     methodNotSupported (did.ErrMethodNotSupported) when its method is not in
//     Options.Methods; no request is made for either;
//   - the code the server reports, in didResolutionMetadata.error or, without one, by
//     its HTTP status (400 invalidDid, 404 and 410 notFound, 406
//     representationNotSupported, 501 methodNotSupported, others internalError),
//     wrapping [ErrRemote] and the sentinel of the code (did.ErrNotFound, ...; codes this
//     package does not know become internalError with did.ErrResolutionFailed);
//   - representationNotSupported ([ErrUnsupportedFormat]) for a 2xx answer of another
//     media type;
//   - invalidDidDocument for a 2xx answer that is not a valid result or document for id:
//     did.ErrTooLarge over Options.MaxBytes, did.ErrMalformed, did.ErrTooDeep,
//     did.ErrInvalidDIDDocument (also when the document's id is not id);
//   - internalError (did.ErrResolutionFailed beside the cause) when the request fails: a
//     redirect to a forbidden address (did.ErrForbiddenAddress) or to http
//     (did.ErrInsecureURL), more than 3 redirects, a TLS or connection failure, or the
//     end of ctx or of Options.Timeout.
func (r *Resolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	d, err := did.Parse(id)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("universal: %w: %w", did.ErrInvalidDID, err))
	}
	if !r.methods[d.Method] {
		return nil, did.NewResolutionError(did.CodeMethodNotSupported, id,
			fmt.Errorf("universal: method %s is not sent to the resolver: %w", strconv.Quote(d.Method), did.ErrMethodNotSupported))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+identifiersPath+url.PathEscape(id), nil)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("universal: %w: %w", did.ErrResolutionFailed, err))
	}
	req.Header.Set("Accept", accept)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("universal: %w: %w", did.ErrResolutionFailed, err))
	}
	defer resp.Body.Close()
	body, err := readBody(resp, r.maxBytes)
	if err != nil {
		if errors.Is(err, did.ErrTooLarge) && ok(resp.StatusCode) {
			return nil, did.NewResolutionError(did.CodeInvalidDIDDocument, id, fmt.Errorf("universal: %w", err))
		}
		if !errors.Is(err, did.ErrTooLarge) {
			return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("universal: %w: %w", did.ErrResolutionFailed, err))
		}
		body = nil // an oversized error answer: go by its status alone
	}
	return decodeResponse(id, resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

func ok(status int) bool {
	return status/100 == 2 || status == http.StatusGone
}

// readBody reads at most limit bytes of the body, failing with did.ErrTooLarge rather
// than returning a truncated one.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("answer of %d bytes, limit %d: %w", resp.ContentLength, limit, did.ErrTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("answer over %d bytes: %w", limit, did.ErrTooLarge)
	}
	return body, nil
}

// resultMembers are the top-level members of a DID resolution result; an answer with
// any of them is read as a result, one with none as a bare document.
var resultMembers = [...]string{"didDocument", "didResolutionMetadata", "didDocumentMetadata"}

// decodeResponse turns an answer of the server to a request for id into a Resolution
// or a *did.ResolutionError. body is at most MaxBytes long.
func decodeResponse(id string, status int, contentType string, body []byte) (*did.Resolution, error) {
	var top map[string]json.RawMessage
	jsonErr := jsonx.Unmarshal(body, &top, jsonx.Limits{MaxBytes: MaxMaxBytes})
	if jsonErr == nil && top == nil {
		jsonErr = fmt.Errorf("answer is null: %w", did.ErrMalformed)
	}
	isResult := false
	for _, k := range resultMembers {
		if _, ok := top[k]; ok {
			isResult = true
		}
	}
	var resMeta did.ResolutionMetadata
	if isResult && !isNull(top["didResolutionMetadata"]) {
		if err := resMeta.UnmarshalJSON(top["didResolutionMetadata"]); err != nil {
			if !ok(status) {
				return nil, statusError(id, status)
			}
			return nil, invalidDocument(id, fmt.Errorf("didResolutionMetadata: %w", err))
		}
	}
	if resMeta.Error != "" {
		return nil, remoteError(id, resMeta.Error, fmt.Sprintf("HTTP status %d", status))
	}
	if !ok(status) {
		return nil, statusError(id, status)
	}
	if status == http.StatusGone && (jsonErr != nil || isResult && isNull(top["didDocument"])) {
		return nil, statusError(id, status) // gone, without the document of a deactivated DID
	}

	mt, err := mediaType(contentType, isResult)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeRepresentationNotSupported, id, fmt.Errorf("universal: %w", err))
	}
	if jsonErr != nil {
		return nil, invalidDocument(id, jsonErr)
	}
	res := &did.Resolution{}
	docJSON := json.RawMessage(body)
	if isResult {
		docJSON = top["didDocument"]
		if isNull(docJSON) {
			return nil, invalidDocument(id, fmt.Errorf("result without didDocument or error: %w", did.ErrInvalidDIDDocument))
		}
		if m := top["didDocumentMetadata"]; !isNull(m) {
			if err := res.DocumentMetadata.UnmarshalJSON(m); err != nil {
				return nil, invalidDocument(id, fmt.Errorf("didDocumentMetadata: %w", err))
			}
		}
		res.ResolutionMetadata = resMeta
	} else {
		res.ResolutionMetadata.ContentType = mt
	}
	doc, err := did.ParseDocument(docJSON)
	if err != nil {
		return nil, invalidDocument(id, err)
	}
	if doc.ID != id {
		return nil, invalidDocument(id, fmt.Errorf("document has id %s: %w", quote(doc.ID), did.ErrInvalidDIDDocument))
	}
	res.Document = doc
	if status == http.StatusGone {
		res.DocumentMetadata.Deactivated = true
	}
	return res, nil
}

func isNull(m json.RawMessage) bool {
	return len(m) == 0 || string(m) == "null"
}

// mediaType checks the Content-Type of a 2xx answer against the shape of its body.
func mediaType(contentType string, isResult bool) (string, error) {
	if contentType == "" {
		return "", fmt.Errorf("no Content-Type: %w", ErrUnsupportedFormat)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("invalid Content-Type: %w", ErrUnsupportedFormat)
	}
	switch mt {
	case "application/json", "application/ld+json":
		return mt, nil
	case "application/did-resolution":
		if isResult {
			return mt, nil
		}
	case "application/did+json", "application/did+ld+json":
		if !isResult {
			return mt, nil
		}
	}
	shape := "DID document"
	if isResult {
		shape = "resolution result"
	}
	return "", fmt.Errorf("media type %s for a %s: %w", quote(mt), shape, ErrUnsupportedFormat)
}

func invalidDocument(id string, err error) error {
	return did.NewResolutionError(did.CodeInvalidDIDDocument, id, fmt.Errorf("universal: %w", err))
}

// statusError is the error for a non-2xx answer without an error code in its body.
func statusError(id string, status int) error {
	code := did.CodeInternalError
	switch status {
	case http.StatusBadRequest:
		code = did.CodeInvalidDID
	case http.StatusNotFound, http.StatusGone:
		code = did.CodeNotFound
	case http.StatusNotAcceptable:
		code = did.CodeRepresentationNotSupported
	case http.StatusNotImplemented:
		code = did.CodeMethodNotSupported
	}
	return remoteError(id, code, fmt.Sprintf("HTTP status %d", status))
}

// remoteError is the error for a code the server reported. Codes this package does not
// know become internalError, so that a server cannot make up codes for our callers.
func remoteError(id, code, detail string) error {
	var sentinel error
	switch code {
	case did.CodeInvalidDID:
		sentinel = did.ErrInvalidDID
	case did.CodeInvalidDIDURL:
		sentinel = did.ErrInvalidDIDURL
	case did.CodeNotFound:
		sentinel = did.ErrNotFound
	case did.CodeMethodNotSupported:
		sentinel = did.ErrMethodNotSupported
	case did.CodeRepresentationNotSupported:
		sentinel = ErrUnsupportedFormat
	case did.CodeInvalidDIDDocument:
		sentinel = did.ErrInvalidDIDDocument
	case did.CodeInvalidPublicKey:
		sentinel = did.ErrInvalidKey
	case did.CodeUnsupportedPublicKeyType:
		sentinel = did.ErrUnsupportedKeyType
	case did.CodeDeactivated:
		sentinel = did.ErrDeactivated
	case did.CodeInternalError:
		sentinel = did.ErrResolutionFailed
	default:
		err := fmt.Errorf("universal: resolver reported unknown error %s (%s): %w: %w", quote(code), detail, did.ErrResolutionFailed, ErrRemote)
		return did.NewResolutionError(did.CodeInternalError, id, err)
	}
	err := fmt.Errorf("universal: resolver reported %s (%s): %w: %w", code, detail, sentinel, ErrRemote)
	return did.NewResolutionError(code, id, err)
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// quote quotes s for an error message, shortened so that hostile input cannot make
// errors large.
func quote(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + "..."
	}
	return strconv.Quote(s)
}
