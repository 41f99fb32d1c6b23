// Package did parses DIDs and DID URLs, validates DID documents and resolves DIDs
// through the methods registered on a [Registry].
package did
