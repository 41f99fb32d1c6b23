// Package pex implements DIF Presentation Exchange v2: presentation definitions, their
// evaluation against a wallet's credentials, submission requirements, and the
// presentation_submission that describes what a wallet sends.
//
// Parse a definition once with [ParseDefinition] (JSONPath expressions and JSON Schema
// filters are compiled then), evaluate it against format-neutral [Candidate] views of
// credentials with [Evaluate], and describe the answer with [Result.Submission] (or
// [Result.NestedSubmission] when the credentials travel inside a presentation that the
// descriptor map names, with path_nested). A verifier checks what came back with [Check]
// or, for several presentations, [CheckPresentations].
//
// Paths apply to the credential as issued: for a VCDM 1.1 JWT the JWT claims, so
// $.vc.credentialSubject; for a JSON credential (Data Integrity, VCDM 2.0) the document, so
// $.credentialSubject; for an SD-JWT the claims with every disclosure applied.
//
// # Disclosure plan
//
// Each [Match] is a plan the holder carries out: Disclose lists the claim paths to
// reveal (the disclosures of an SD-JWT), [Match.Pointers] gives the same paths, with
// those a frame selects, as JSON Pointers (the selective pointers of a Data Integrity
// selective disclosure proof), Optional the paths the holder may add, Predicates the
// paths whose value is replaced by the boolean result of the field's filter, and
// HolderBinding whether the presentation must prove the holder is the subject.
//
// # Features
//
//   - predicate: a field with predicate "required" is met only by a candidate whose
//     Predicates is set (a proof that can replace a value by a boolean); its path goes
//     to Match.Predicates, never to Disclose. "preferred" does the same when the
//     candidate can, and otherwise discloses the value. On the verifier's side the
//     presented credential must hold the boolean true there.
//   - relational constraints: subject_is_issuer compares the issuer with the subjects;
//     is_holder needs Candidate.HolderBound (the field ids name fields of the descriptor,
//     and the whole credential is taken to be about its holder); same_subject makes the
//     descriptors owning the named fields take credentials that share a subject id.
//   - frame: a JSON-LD frame is carried as [Definition.Frame]; for a candidate of a
//     JSON-LD format its property tree gives Match.Framed: a frame object with
//     "@explicit": true selects the properties it names (descending into objects and
//     into each element of arrays), any other selects the whole object. JSON-LD framing
//     itself (matching on @type or @id, @embed, @default, compaction) is not done.
//
// # Scope
//
// Format designations are matched by name and, for what a [Candidate] states
// (Algorithm, ProofType, Cryptosuite), by their alg, sd-jwt_alg_values, proof_type and
// cryptosuite lists; other members of a designation (kb-jwt_alg_values) are not checked.
// Status directives (statuses) are not interpreted.
//
// # Filters
//
// Filters of the common shapes (type, const and enum of scalars, pattern,
// minLength/maxLength, minimum/maximum and their exclusive forms, format "date", and
// contains or items with such a filter) are compiled to direct checks that give the
// JSON Schema library's verdicts (a differential test holds them to it); every other
// filter is validated by the library. Keywords outside JSON Schema draft 7, such as the
// formatMaximum of some examples, are ignored, as JSON Schema requires.
//
// # Security
//
// A definition is untrusted input: its size, nesting and counts are bounded; JSONPath is
// RFC 9535 (no script expressions); filters are JSON Schema without remote references
// ([ErrRemoteReference]) and with RE2 regular expressions, which run in linear time (a
// pattern that needs backtracking is [ErrUnsafePattern]). Evaluation costs time linear
// in descriptors × candidates × fields. Nothing is fetched or executed.
package pex
