package schema

import (
	"fmt"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package. Every failure wraps one of them; test with errors.Is.
// They are the library-wide sentinels, so errors.Is(err, vc.ErrX) works as well.
var (
	// ErrSchemaValidation: the credential does not satisfy one of its credential schemas.
	// The error is a [*ValidationError] that names the failing keywords and locations.
	ErrSchemaValidation = errs.ErrSchemaValidation
	// ErrSchemaRetrieval: a schema (or schema credential) is neither in the Registry nor
	// retrievable: no Fetcher, a network error, a refused address or an HTTP error.
	ErrSchemaRetrieval = errs.ErrSchemaRetrieval

	// ErrUnsupportedSchema: a credentialSchema type other than JsonSchema and
	// JsonSchemaCredential, a schema without $schema or of a dialect other than JSON
	// Schema 2020-12, 2019-09 or draft-07, a schema the compiler refuses, or a
	// JsonSchemaCredential with no verification callback. The VC JSON Schema
	// specification calls this outcome Indeterminate (§4).
	ErrUnsupportedSchema = errs.ErrUnsupportedSchema
	// ErrRemoteReference: a $ref to a schema that is not in the Registry while remote
	// references are not allowed.
	ErrRemoteReference = errs.ErrRemoteReference
	// ErrMalformed: a credentialSchema value, schema or schema credential that is not
	// well-formed: strict JSON, members of the right types, an id that is a URL.
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: a schema over MaxSchemaBytes, a credential over MaxCredentialBytes, too
	// many credentialSchema entries or references, a schema whose evaluation could
	// expand past MaxExpansion, or a number literal too long or with too large an exponent
	// (over 400 characters, beyond ±1000) to be evaluated exactly.
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON nested more deeply than MaxDepth.
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidType: a schema credential whose type or credentialSubject.type is wrong.
	ErrInvalidType = errs.ErrInvalidType
	// ErrInvalidDigest: a schema whose bytes do not match digestSRI or digestMultibase, or
	// a digest value that cannot be decoded.
	ErrInvalidDigest = errs.ErrInvalidDigest
	// ErrUnsupportedHashAlgorithm: a digest with no hash algorithm this package knows
	// (SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512).
	ErrUnsupportedHashAlgorithm = errs.ErrUnsupportedHashAlgorithm
	// ErrInvalidOptions: negative limits in Options, a Registry URL that is not absolute,
	// or a URL added twice.
	ErrInvalidOptions = errs.ErrInvalidOptions
	// ErrInsecureURL: an HTTPFetcher refused a URL that is not https.
	ErrInsecureURL = errs.ErrInsecureURL
	// ErrForbiddenAddress: an HTTPFetcher refused a loopback, private or link-local target.
	ErrForbiddenAddress = errs.ErrForbiddenAddress
)

// maxFailures is how many failures a ValidationError keeps.
const maxFailures = 16

// Failure is one assertion of a schema that the credential does not satisfy. It names
// where, never what: the credential's values may be personal data and are never copied.
type Failure struct {
	// Keyword is the keyword that failed, such as "required", "type" or "pattern"; "false"
	// for a false schema.
	Keyword string
	// InstanceLocation is the JSON Pointer (RFC 6901) of the failing value in the
	// credential, "" for the whole credential.
	InstanceLocation string
	// SchemaLocation is the absolute location of the failing keyword in the schema: the
	// schema's URL and a JSON Pointer fragment.
	SchemaLocation string
}

// ValidationError reports that a credential does not satisfy a schema. It wraps
// ErrSchemaValidation. Its message and fields name keywords and locations only, never
// values of the credential.
type ValidationError struct {
	// Schema is the credentialSchema id whose schema the credential does not satisfy.
	Schema string
	// Failures are the failing assertions (the innermost ones), at most 16.
	Failures []Failure
	// More is how many further failures were left out of Failures.
	More int
}

// Error names the schema and the first failures.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema: credential does not satisfy %s", e.Schema)
	for i, f := range e.Failures {
		if i == 3 {
			fmt.Fprintf(&b, " (and %d more)", len(e.Failures)-3+e.More)
			break
		}
		sep := ":"
		if i > 0 {
			sep = ";"
		}
		loc := f.InstanceLocation
		if loc == "" {
			loc = "/"
		}
		fmt.Fprintf(&b, "%s %s at %s", sep, f.Keyword, loc)
	}
	return b.String()
}

// Unwrap returns ErrSchemaValidation.
func (e *ValidationError) Unwrap() error { return ErrSchemaValidation }
