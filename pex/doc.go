// Package pex implements DIF Presentation Exchange v2: presentation definitions, their
// evaluation against a wallet's credentials, submission requirements, and the
// presentation_submission that describes what a wallet sends.
//
// Parse a definition once with [ParseDefinition] (JSONPath expressions and JSON Schema
// filters are compiled then), evaluate it against format-neutral [Candidate] views of
// credentials with [Evaluate], and describe the answer with [Result.Submission]. A
// verifier checks what came back with [Check].
//
// Paths apply to the credential as issued: for a VCDM 1.1 JWT the JWT claims, so
// $.vc.credentialSubject; for a JSON credential (Data Integrity, VCDM 2.0) the document, so
// $.credentialSubject; for an SD-JWT the claims with every disclosure applied.
//
// # Scope
//
// Not interpreted: format details (alg and proof_type lists: only the format names are
// matched), predicate "required" (a field that asks for one matches nothing, since it
// needs a derived proof), holder and is_holder/same_subject constraints, status directives
// and frame.
//
// # Security
//
// A definition is untrusted input: its size, nesting and counts are bounded; JSONPath is
// RFC 9535 (no script expressions); filters are JSON Schema without remote references
// ([ErrRemoteReference]) and with RE2 regular expressions, which run in linear time (a
// pattern that needs backtracking is [ErrUnsafePattern]).
// Nothing is fetched or executed.
package pex
