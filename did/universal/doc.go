// Package universal resolves DIDs through a remote DID resolution server that speaks the
// HTTP(S) binding of DID Resolution, such as the DIF Universal Resolver
// (GET <base>/1.0/identifiers/<did>).
//
// It exists for DID methods that Credence cannot resolve locally. It is opt-in: nothing
// uses it unless the caller builds a [Resolver] and registers it for the methods it
// should handle, and only those:
//
//	ur, err := universal.New(httpClient, universal.Options{
//		BaseURL: "https://resolver.internal.example.com",
//		Methods: []string{"ion"},
//	})
//	if err != nil {
//		return err
//	}
//	reg := did.NewRegistry()
//	reg.Register("key", key.New()) // local methods stay local
//	reg.Register("ion", ur)
//
// The server may answer with a DID resolution result or, as some servers do, with a
// bare DID document; [Resolver.Resolve] accepts both (see there).
//
// # Security
//
// This package hands trust to the remote server. The server decides what each DID it is
// asked about resolves to: it can return any document it likes, with any keys, and
// nothing here can detect that, because checking it would need the local resolution
// this package replaces. A credential verified with keys from a compromised or careless
// server proves nothing. So:
//
//   - use it only with a resolution server you operate or trust as much as your own
//     code, reached over https (http is refused);
//   - send it only the methods you must (Options.Methods is required, and DIDs of other
//     methods are refused without a request), and prefer local methods (did/key,
//     did/jwk, did/web) wherever they apply;
//   - keep it out of defaults: it is never registered implicitly.
//
// What the package does check: the answer is bounded (512 KiB by default) and parsed
// strictly (duplicate member names, excess nesting and invalid UTF-8 are errors), the
// document is validated with did.ParseDocument and its id must equal the DID asked for,
// error codes the server reports are mapped to the known W3C codes (unknown ones become
// internalError), and the DID is checked for DID syntax and percent-encoded as one path
// segment, so it cannot change the path or add a query. Requests go through the same
// network guard as did:web: https only, no private or link-local addresses (checked at
// dial time, so a BaseURL name that resolves to one fails too), at most 3 redirects,
// 10 s.
//
// Sending a DID to a server also tells that server which DIDs you resolve, and when;
// for a verifier that can reveal which issuers' credentials it sees.
//
// # Network access
//
// [New] does no I/O. [Resolver.Resolve] makes one HTTPS GET request to the host of
// Options.BaseURL (plus at most 3 redirects) for each DID of Options.Methods, through
// the *http.Client given to New (its transport settings, TLS configuration and cookie
// jar; not its proxy). Nothing else in the package opens a connection.
package universal
