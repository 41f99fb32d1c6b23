// Package did parses DIDs and DID URLs, validates DID documents, and resolves DIDs
// through the DID methods registered on a [Registry].
//
// Start with [Registry]: register the methods to accept, then resolve DIDs or
// dereference the DID URLs that credentials name as their keys:
//
//	reg := did.NewRegistry() // empty: resolves nothing
//	if err := reg.Register("key", key.New()); err != nil {
//		return err
//	}
//	vm, err := reg.Dereference(ctx, kid, did.AssertionMethod)
//	if err != nil {
//		return err // errors.Is(err, did.ErrVerificationRelationship), ...
//	}
//	pub, err := vm.PublicKey()
//
// [Parse] and [ParseURL] check the syntax of DID Core §3; [ParseDocument] decodes a DID
// document strictly and checks it ([Document.Validate]); [Document.VerificationMethodFor]
// finds a key by DID URL under a verification relationship; [NewCache] puts a bounded
// cache in front of any [Resolver]. Failures wrap the sentinels in errors.go, and
// resolution failures are [*ResolutionError] values carrying the W3C error code.
//
// # Security
//
// A key is only as good as its relationship: [Registry.Dereference] and
// [Document.VerificationMethodFor] return a verification method only if the document
// lists it under the requested relationship (assertionMethod for credentials,
// authentication for presentations), and otherwise fail with
// [ErrVerificationRelationship]. References into other DIDs' documents are not followed.
//
// A [Registry] resolves only the methods registered on it; there is no default set and
// no global registry. It checks every document a method returns: valid, with the DID
// asked for as its id, and not deactivated ([ErrDeactivated]).
//
// Input is bounded: DIDs and DID URLs to [MaxURLLength] bytes, documents to
// [MaxDocumentBytes] with the depth limit of internal/jsonx, and duplicate JSON member
// names are rejected.
//
// # Network access
//
// None. This package never fetches anything: [Registry.DereferenceService] returns a
// service endpoint URL without fetching it, and methods that need the network (did:web)
// take their HTTP client in their own constructors.
package did
