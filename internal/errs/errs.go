// Package errs holds the sentinel errors shared by every Credence package.
//
// Public packages re-export these values under the same names (keys.ErrInvalidKey,
// did.ErrInvalidDID, ...), so errors.Is works whichever package reported the failure.
package errs

import "errors"

// Input.
var (
	ErrMalformed         = errors.New("credence: malformed input")
	ErrTooLarge          = errors.New("credence: input too large")
	ErrTooDeep           = errors.New("credence: input nested too deeply")
	ErrInvalidType       = errors.New("credence: invalid type")
	ErrUnsupportedFormat = errors.New("credence: unsupported format")
)

// Algorithms and keys.
var (
	ErrAlgorithmNotAllowed  = errors.New("credence: algorithm not allowed")
	ErrAlgorithmKeyMismatch = errors.New("credence: algorithm does not match key")
	ErrInvalidKey           = errors.New("credence: invalid key")
	ErrUnsupportedKeyType   = errors.New("credence: unsupported key type")
	ErrPrivateKeyMaterial   = errors.New("credence: private key material where a public key was expected")
	ErrMissingKeyID         = errors.New("credence: missing key id")
	ErrInvalidSignature     = errors.New("credence: invalid signature")
)

// DIDs.
var (
	ErrInvalidDID                 = errors.New("credence: invalid DID")
	ErrInvalidDIDURL              = errors.New("credence: invalid DID URL")
	ErrInvalidDIDDocument         = errors.New("credence: invalid DID document")
	ErrMethodNotSupported         = errors.New("credence: DID method not supported")
	ErrNotFound                   = errors.New("credence: not found")
	ErrVerificationMethodNotFound = errors.New("credence: verification method not found")
	ErrVerificationRelationship   = errors.New("credence: verification method not authorized for relationship")
	ErrDeactivated                = errors.New("credence: DID deactivated")
	ErrResolutionFailed           = errors.New("credence: DID resolution failed")
)

// Network.
var (
	ErrInsecureURL      = errors.New("credence: insecure URL")
	ErrForbiddenAddress = errors.New("credence: forbidden network address")
	ErrInvalidURL       = errors.New("credence: invalid URL")
)

// JOSE and proofs.
var (
	ErrUnsupportedCritical = errors.New("credence: unsupported critical header")
	ErrUntrustedKeySource  = errors.New("credence: key source not trusted")
	ErrInvalidProof        = errors.New("credence: invalid proof")
	ErrMissingProof        = errors.New("credence: missing proof")
	ErrUnsupportedProof    = errors.New("credence: unsupported proof")
	ErrProofPurpose        = errors.New("credence: wrong proof purpose")
	ErrBaseProofPresented  = errors.New("credence: selective disclosure base proof presented to a verifier")
	ErrUnknownContext      = errors.New("credence: unknown JSON-LD context")
)

// Issuers and trust.
var (
	ErrUntrustedIssuer = errors.New("credence: untrusted issuer")
	ErrIssuerMismatch  = errors.New("credence: issuer mismatch")
)

// Time.
var (
	ErrExpired        = errors.New("credence: expired")
	ErrNotYetValid    = errors.New("credence: not yet valid")
	ErrIssuedInFuture = errors.New("credence: issued in the future")
	ErrStale          = errors.New("credence: too old")
)

// Presentations.
var (
	ErrHolderBinding      = errors.New("credence: holder binding failed")
	ErrKeyBindingRequired = errors.New("credence: key binding required")
	ErrNonceMismatch      = errors.New("credence: nonce mismatch")
	ErrAudienceMismatch   = errors.New("credence: audience mismatch")
	ErrChallengeMismatch  = errors.New("credence: challenge mismatch")
	ErrDomainMismatch     = errors.New("credence: domain mismatch")
	ErrReplay             = errors.New("credence: replayed presentation")
)

// Status.
var (
	ErrRevoked            = errors.New("credence: credential revoked")
	ErrSuspended          = errors.New("credence: credential suspended")
	ErrStatusVerification = errors.New("credence: credential status could not be verified")
	ErrStatusRetrieval    = errors.New("credence: status list could not be retrieved")
	ErrStatusIndex        = errors.New("credence: status list index invalid")
	ErrStatusRange        = errors.New("credence: status list index out of range")
	ErrStatusListLength   = errors.New("credence: status list too short")
)

// Matching (PEX, DCQL).
var (
	ErrUnsafePattern     = errors.New("credence: unsafe pattern")
	ErrUnsupportedPath   = errors.New("credence: unsupported path")
	ErrRemoteReference   = errors.New("credence: remote reference not allowed")
	ErrUnsupportedSchema = errors.New("credence: unsupported schema")
	ErrNoMatch           = errors.New("credence: no match")
)

// Configuration.
var (
	ErrInvalidOptions = errors.New("credence: invalid options")
)

// SD-JWT (RFC 9901).
var (
	ErrInvalidDisclosure        = errors.New("credence: invalid disclosure")
	ErrDuplicateDisclosure      = errors.New("credence: duplicate disclosure")
	ErrUnreferencedDisclosure   = errors.New("credence: unreferenced disclosure")
	ErrDuplicateDigest          = errors.New("credence: duplicate digest")
	ErrDisclosureOverwrite      = errors.New("credence: disclosure overwrites a claim")
	ErrReservedClaimDisclosed   = errors.New("credence: claim may not be selectively disclosed")
	ErrInvalidDigest            = errors.New("credence: invalid digest")
	ErrUnsupportedHashAlgorithm = errors.New("credence: unsupported hash algorithm")
	ErrSDHashMismatch           = errors.New("credence: sd_hash mismatch")
	ErrTypeMetadata             = errors.New("credence: SD-JWT VC type metadata not satisfied")
)

// Credential schemas.
var (
	ErrSchemaValidation = errors.New("credence: credential does not satisfy its credential schema")
	ErrSchemaRetrieval  = errors.New("credence: credential schema could not be retrieved")
)

// OpenID4VP.
var (
	ErrUntrustedVerifier = errors.New("credence: verifier not authenticated")
	ErrConsentDenied     = errors.New("credence: consent denied")
	ErrPending           = errors.New("credence: no response yet")
	ErrRejected          = errors.New("credence: rejected by the other party")
)

// OpenID4VCI.
var (
	ErrInvalidTxCode = errors.New("credence: wrong transaction code")
)

// Canonicalization.
var (
	ErrCanonicalizationLimit = errors.New("credence: canonicalization work limit exceeded")
)
