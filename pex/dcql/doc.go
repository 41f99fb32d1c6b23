// Package dcql implements the Digital Credentials Query Language of OpenID for
// Verifiable Presentations 1.0 (§6) and its claims path pointers (§7): parsing a
// verifier's query, matching a wallet's credentials against it, choosing what to
// disclose, and checking on the verifier's side that a response satisfies the query.
//
// The package works on a format-neutral view of a credential, [Credential], which
// vc.Inspect (wallet side) or a verified credential (verifier side) provides; it imports
// no credential format. Parse a query once with [ParseQuery], then evaluate it:
//
//	q, err := dcql.ParseQuery(data)
//	res, err := dcql.Evaluate(q, creds)
//	for id, ps := range res.Response() { ... } // per credential query: credential ids and paths
//
// A verifier checks what came back with [CheckResponse].
//
// # Scope
//
// Credentials of format mso_mdoc are not supported: a query for one parses, but matches
// nothing, and the result says why. Of trusted_authorities, entries of type "aki" are
// matched against the certificate chain of the credential ([Credential.X5C]): a
// certificate whose authority or subject key identifier is one of the values. The
// "etsi_tl" and "openid_federation" types need trust material this package does not
// have (an ETSI trusted list's contents, a verified federation trust chain): a
// credential meets them only when [Options.TrustedAuthority] approves it, so by default
// only "aki" entries can be met. [CheckResponse] leaves trusted_authorities to the
// verifier's issuer trust policy.
//
// # Security
//
// A query is untrusted input: [ParseQuery] bounds its size (256 KiB), nesting (64 levels)
// and counts (100 credential queries, and the limits in [Limits]), rejects duplicate
// members and malformed values, and evaluation costs time linear in queries × credentials
// × claims. Nothing here executes code from a query or fetches anything.
package dcql
