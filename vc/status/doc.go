// Package status issues and checks credential status lists: the W3C Bitstring Status
// List v1.0 (VCDM 2.0 credentialStatus entries of type BitstringStatusListEntry), the
// StatusList2021 entries of VCDM 1.1 (verify only), and the IETF Token Status List
// (draft-ietf-oauth-status-list: the status.status_list claim of SD-JWT VC and JWT
// credentials, with JWT Status List Tokens; CWT Status List Tokens are not supported).
//
// A verifier builds one [Checker] and checks entries with it; the checker fetches each
// list once, has a callback verify its signature, and caches it within its ttl and
// validity:
//
//	c, err := status.NewChecker(status.CheckerOptions{
//		Fetch:           fetcher,          // for example status.NewHTTPFetcher(httpClient, ...)
//		VerifyBitstring: verifyCredential, // verifies the list credential, returns its JSON
//		VerifyToken:     verifyStatusJWT,  // verifies a statuslist+jwt, returns its payload
//	})
//	entries, err := status.ParseBitstringEntries(credentialStatusJSON)
//	res, err := c.CheckBitstring(ctx, entries, issuer) // ErrRevoked, ErrSuspended, ...
//
// An issuer keeps a [BitstringList] (or a [TokenList]) per list, takes indices from an
// [Allocator] such as [NewFileAllocator], sets statuses and publishes
// [BitstringList.Credential] (or [TokenList.Payload]) after signing it.
//
// The package does not verify signatures: the facade passes them in as callbacks, so this
// package imports no other engine.
//
// # Security
//
// Checks fail closed: a list that cannot be fetched is ErrStatusRetrieval, one that cannot
// be verified, is of another issuer or purpose, or is outside its validity is
// ErrStatusVerification. Inflated lists are bounded (16 MiB, ErrTooLarge), indices are
// bounds-checked (ErrStatusRange), and bitstrings shorter than 131,072 entries are refused
// (ErrStatusListLength), so that an index hides its holder among many.
//
// A status list index identifies the credential, and the fetch tells the list's host that
// some credential of the list is being checked. Where that matters, prefer short-lived
// credentials to status entries.
//
// # Network access
//
// Only through the [Fetcher] the caller passes; without one nothing is fetched. The
// [HTTPFetcher] goes through the library's network guard: https only, public addresses
// only, 3 redirects, 10 s, 1 MiB bodies.
package status
