// Package web implements the did:web DID method (W3C CCG did:web method specification):
// a did:web DID names an https URL, and its DID document is the JSON served there.
//
// [URL] maps a DID to that URL without I/O; a [Resolver] fetches and checks the document.
// Register it on a [did.Registry] with the *http.Client it may use:
//
//	res, err := web.New(httpClient, web.Options{})
//	if err != nil {
//		return err
//	}
//	reg := did.NewRegistry()
//	reg.Register("web", res)
//	r, err := reg.Resolve(ctx, "did:web:example.com:user:alice")
//
// Resolving the same DIDs again and again costs a round trip each time; wrap the
// Resolver in a [did.Cache] to keep results for a while.
//
// # Security
//
// A did:web document is only as trustworthy as the web server and the TLS certificate
// of its host: whoever controls the domain (or its DNS, or a CA that misissues for it)
// controls the DID. The package checks what it can:
//
//   - [URL] refuses DIDs that would make the resolver reach something other than a public
//     web server: IP addresses (which the specification forbids; private, loopback and
//     link-local ones, such as the cloud metadata address 169.254.169.254, with
//     did.ErrForbiddenAddress), names that only resolve locally (localhost), userinfo,
//     percent-encoded host names, and path segments that could traverse ("..", "%2E%2E",
//     "%2F"). It does so before any I/O.
//   - Requests go through a guard that fetches https only, refuses at dial time every
//     address that is not public (so a name that resolves, or rebinds, to 127.0.0.1 or
//     10.0.0.1 fails without a packet sent to it), drops proxy settings, follows at most
//     3 redirects (only to https URLs that pass the same checks), gives up after 10 s and
//     reads at most 256 KiB.
//   - The document is parsed strictly (duplicate member names, excess nesting and invalid
//     UTF-8 are errors) and validated, and its id must equal the resolved DID exactly.
//
// Resolution does not check who signed anything: the document says which keys the DID's
// controller uses, and a verifier must still check that a key is listed under the right
// verification relationship.
//
// # Network access
//
// [URL] and [New] do no I/O. [Resolver.Resolve] makes one HTTPS GET request to the host
// the DID names (plus at most 3 redirects), resolving the host name with the system
// resolver, through the *http.Client given to New (its transport settings, TLS
// configuration and cookie jar; not its proxy). Nothing else in the package opens a
// connection.
package web
