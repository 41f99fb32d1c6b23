package vc

import (
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package and by the engines it calls. Every failure wraps one of
// them; test with errors.Is. They are the values of internal/errs, so a sentinel reported
// by any Credence package matches here (errors.Is(err, vc.ErrExpired) whatever failed).
var (
	// ErrMalformed: input that is not well-formed (JSON, a member of the wrong JSON type, a
	// value outside its syntax such as an id that is not a URL).
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: input larger than the limit (1 MiB for a JSON credential by default).
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON nested more deeply than the limit (64 levels by default).
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidType: a type rule failed (VerifiableCredential missing, an unmapped term).
	ErrInvalidType = errs.ErrInvalidType
	// ErrUnsupportedFormat: a securing format or encoding this package does not handle.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
	// ErrUnknownContext: an @context rule failed (base context missing or not first, a
	// protected term redefined, an invalid term mapping) or a context is not known.
	ErrUnknownContext = errs.ErrUnknownContext

	// ErrAlgorithmNotAllowed: an algorithm outside the verifier's allow-list.
	ErrAlgorithmNotAllowed = errs.ErrAlgorithmNotAllowed
	// ErrAlgorithmKeyMismatch: an algorithm that does not belong to the key.
	ErrAlgorithmKeyMismatch = errs.ErrAlgorithmKeyMismatch
	// ErrInvalidKey: key material that is not a valid key.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrUnsupportedKeyType: a key type outside policy.
	ErrUnsupportedKeyType = errs.ErrUnsupportedKeyType
	// ErrPrivateKeyMaterial: private key members where a public key was expected.
	ErrPrivateKeyMaterial = errs.ErrPrivateKeyMaterial
	// ErrMissingKeyID: a proof or token that does not name its key.
	ErrMissingKeyID = errs.ErrMissingKeyID
	// ErrInvalidSignature: a signature that does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature

	// ErrInvalidDID: a string that is not a DID.
	ErrInvalidDID = errs.ErrInvalidDID
	// ErrInvalidDIDURL: a string that is not a DID URL, or one without a needed part.
	ErrInvalidDIDURL = errs.ErrInvalidDIDURL
	// ErrInvalidDIDDocument: a DID document that breaks DID Core.
	ErrInvalidDIDDocument = errs.ErrInvalidDIDDocument
	// ErrMethodNotSupported: no resolver is configured for the DID method.
	ErrMethodNotSupported = errs.ErrMethodNotSupported
	// ErrNotFound: a DID, key or other resource that does not exist.
	ErrNotFound = errs.ErrNotFound
	// ErrVerificationMethodNotFound: the DID document has no such verification method.
	ErrVerificationMethodNotFound = errs.ErrVerificationMethodNotFound
	// ErrVerificationRelationship: a verification method not authorised for the purpose
	// (assertionMethod for credentials, authentication for presentations).
	ErrVerificationRelationship = errs.ErrVerificationRelationship
	// ErrDeactivated: the issuer's (or holder's) DID is deactivated; its keys are not used.
	ErrDeactivated = errs.ErrDeactivated
	// ErrResolutionFailed: a DID could not be resolved for a reason no other sentinel
	// names (a did:web fetch that failed, a resolver's internal error).
	ErrResolutionFailed = errs.ErrResolutionFailed

	// ErrInsecureURL: a URL whose scheme is not allowed.
	ErrInsecureURL = errs.ErrInsecureURL
	// ErrForbiddenAddress: a URL that points to a forbidden network address.
	ErrForbiddenAddress = errs.ErrForbiddenAddress
	// ErrInvalidURL: a string that is not a valid URL where one is fetched.
	ErrInvalidURL = errs.ErrInvalidURL

	// ErrUnsupportedCritical: a critical header that is not understood.
	ErrUnsupportedCritical = errs.ErrUnsupportedCritical
	// ErrUntrustedKeySource: a key from a source the verifier does not trust.
	ErrUntrustedKeySource = errs.ErrUntrustedKeySource
	// ErrInvalidProof: a proof that is malformed or does not verify.
	ErrInvalidProof = errs.ErrInvalidProof
	// ErrMissingProof: no proof where one is required.
	ErrMissingProof = errs.ErrMissingProof
	// ErrUnsupportedProof: a proof type or cryptosuite that is not supported.
	ErrUnsupportedProof = errs.ErrUnsupportedProof
	// ErrProofPurpose: a proof made for another purpose.
	ErrProofPurpose = errs.ErrProofPurpose
	// ErrBaseProofPresented: a selective disclosure base proof (ecdsa-sd-2023) where a
	// derived proof is required; the holder derives what a verifier sees.
	ErrBaseProofPresented = errs.ErrBaseProofPresented

	// ErrUntrustedIssuer: an issuer the verifier's trust policy does not accept.
	ErrUntrustedIssuer = errs.ErrUntrustedIssuer
	// ErrIssuerMismatch: the key that signed does not belong to the credential's issuer.
	ErrIssuerMismatch = errs.ErrIssuerMismatch

	// ErrExpired: the credential is past its validUntil (expirationDate in 1.1).
	ErrExpired = errs.ErrExpired
	// ErrNotYetValid: the credential is before its validFrom (issuanceDate in 1.1).
	ErrNotYetValid = errs.ErrNotYetValid
	// ErrIssuedInFuture: an issuance time later than now plus the allowed skew.
	ErrIssuedInFuture = errs.ErrIssuedInFuture
	// ErrStale: a proof or token older than the verifier accepts.
	ErrStale = errs.ErrStale

	// ErrHolderBinding: the presentation's signer is not bound to the holder or subject.
	ErrHolderBinding = errs.ErrHolderBinding
	// ErrKeyBindingRequired: a presentation without the key binding the policy requires.
	ErrKeyBindingRequired = errs.ErrKeyBindingRequired
	// ErrNonceMismatch: the presentation's nonce is not the expected one.
	ErrNonceMismatch = errs.ErrNonceMismatch
	// ErrAudienceMismatch: the presentation's audience is not the expected one.
	ErrAudienceMismatch = errs.ErrAudienceMismatch
	// ErrChallengeMismatch: the presentation's challenge is not the expected one.
	ErrChallengeMismatch = errs.ErrChallengeMismatch
	// ErrDomainMismatch: the presentation's domain is not the expected one.
	ErrDomainMismatch = errs.ErrDomainMismatch
	// ErrReplay: a presentation seen before.
	ErrReplay = errs.ErrReplay

	// ErrInvalidDisclosure: an SD-JWT disclosure that is not a well-formed array of salt,
	// name and value (salt and value for an array element), or of the wrong shape for
	// where its digest sits.
	ErrInvalidDisclosure = errs.ErrInvalidDisclosure
	// ErrDuplicateDisclosure: the same SD-JWT disclosure sent twice.
	ErrDuplicateDisclosure = errs.ErrDuplicateDisclosure
	// ErrUnreferencedDisclosure: an SD-JWT disclosure whose digest the token does not hold.
	ErrUnreferencedDisclosure = errs.ErrUnreferencedDisclosure
	// ErrDuplicateDigest: an SD-JWT digest that appears more than once.
	ErrDuplicateDigest = errs.ErrDuplicateDigest
	// ErrDisclosureOverwrite: an SD-JWT disclosure that would replace a claim already present.
	ErrDisclosureOverwrite = errs.ErrDisclosureOverwrite
	// ErrReservedClaimDisclosed: a claim that must stay in plain text (_sd, ..., or an
	// SD-JWT VC claim such as vct or cnf) found in a disclosure.
	ErrReservedClaimDisclosed = errs.ErrReservedClaimDisclosed
	// ErrInvalidDigest: an SD-JWT _sd or ... member that is not a well-formed digest.
	ErrInvalidDigest = errs.ErrInvalidDigest
	// ErrUnsupportedHashAlgorithm: an SD-JWT _sd_alg outside the verifier's policy.
	ErrUnsupportedHashAlgorithm = errs.ErrUnsupportedHashAlgorithm
	// ErrSDHashMismatch: a key binding JWT whose sd_hash is not that of the presentation.
	ErrSDHashMismatch = errs.ErrSDHashMismatch
	// ErrTypeMetadata: type metadata was required but could not be retrieved, failed its
	// integrity check or its rules, or the credential violates its claim metadata.
	ErrTypeMetadata = errs.ErrTypeMetadata

	// ErrSchemaValidation: the credential does not satisfy one of its credential schemas
	// (VerifierOptions.Schemas).
	ErrSchemaValidation = errs.ErrSchemaValidation
	// ErrSchemaRetrieval: a credential schema could not be had: not registered and not
	// fetchable.
	ErrSchemaRetrieval = errs.ErrSchemaRetrieval

	// ErrUntrustedVerifier: an OpenID4VP request does not authenticate its verifier.
	ErrUntrustedVerifier = errs.ErrUntrustedVerifier
	// ErrConsentDenied: the user declined to share.
	ErrConsentDenied = errs.ErrConsentDenied
	// ErrPending: no OpenID4VP response has arrived yet.
	ErrPending = errs.ErrPending
	// ErrRejected: the other party refused what was sent.
	ErrRejected = errs.ErrRejected
	// ErrInvalidTxCode: a pre-authorized code was redeemed with a wrong transaction code
	// (OpenID4VCI), or after too many wrong ones.
	ErrInvalidTxCode = errs.ErrInvalidTxCode

	// ErrRevoked: the credential's status says revoked.
	ErrRevoked = errs.ErrRevoked
	// ErrSuspended: the credential's status says suspended.
	ErrSuspended = errs.ErrSuspended
	// ErrStatusVerification: the status list credential could not be verified.
	ErrStatusVerification = errs.ErrStatusVerification
	// ErrStatusRetrieval: the status list could not be retrieved.
	ErrStatusRetrieval = errs.ErrStatusRetrieval
	// ErrStatusIndex: a status list index that is not valid.
	ErrStatusIndex = errs.ErrStatusIndex
	// ErrStatusRange: a status list index beyond the list.
	ErrStatusRange = errs.ErrStatusRange
	// ErrStatusListLength: a status list shorter than the minimum.
	ErrStatusListLength = errs.ErrStatusListLength

	// ErrUnsafePattern: a matching pattern that could take unbounded time.
	ErrUnsafePattern = errs.ErrUnsafePattern
	// ErrUnsupportedPath: a matching path outside the supported subset.
	ErrUnsupportedPath = errs.ErrUnsupportedPath
	// ErrRemoteReference: a reference that would need a fetch.
	ErrRemoteReference = errs.ErrRemoteReference
	// ErrUnsupportedSchema: a schema this package cannot evaluate.
	ErrUnsupportedSchema = errs.ErrUnsupportedSchema
	// ErrNoMatch: no credential satisfies the request.
	ErrNoMatch = errs.ErrNoMatch

	// ErrInvalidOptions: options that contradict each other or are out of range.
	ErrInvalidOptions = errs.ErrInvalidOptions

	// ErrCanonicalizationLimit: RDF canonicalization stopped at its work limit (a poison dataset).
	ErrCanonicalizationLimit = errs.ErrCanonicalizationLimit
)

// Reason says which step of checking a credential or presentation failed.
type Reason string

// Reasons carried by [VerifyError].
const (
	// ReasonMalformed: the input is not JSON of the right shape (ParseCredential,
	// ParsePresentation).
	ReasonMalformed Reason = "malformed"
	// ReasonDataModel: a rule of the VC Data Model (1.1 or 2.0) failed (Validate).
	ReasonDataModel Reason = "data model"
	// ReasonProof: a proof or signature failed.
	ReasonProof Reason = "proof"
	// ReasonKey: the verification key could not be found, resolved or accepted.
	ReasonKey Reason = "key"
	// ReasonIssuer: the issuer is not the one that signed.
	ReasonIssuer Reason = "issuer"
	// ReasonTrust: the issuer is not trusted.
	ReasonTrust Reason = "trust"
	// ReasonTime: the credential or presentation is outside its validity period.
	ReasonTime Reason = "time"
	// ReasonStatus: the credential's status is revoked, suspended or could not be checked.
	ReasonStatus Reason = "status"
	// ReasonSchema: the credential does not satisfy its credentialSchema.
	ReasonSchema Reason = "schema"
	// ReasonHolder: the presentation is not bound to the holder or subject.
	ReasonHolder Reason = "holder"
	// ReasonPresentation: a presentation rule (challenge, domain, nonce, audience) failed.
	ReasonPresentation Reason = "presentation"
)

// VerifyError reports why a credential or presentation was rejected and where. Err is
// one sentinel of this package, so errors.Is(err, vc.ErrMalformed) works through it; use
// errors.As to read Reason and Path. Its message names the member, never a claim value.
type VerifyError struct {
	Reason Reason // the step that failed
	Path   string // JSON Pointer (RFC 6901) of the failing member; "" for the whole document
	Err    error  // one sentinel, such as ErrMalformed or ErrExpired

	detail string // what is wrong, for the message
}

// Error returns "vc: <reason> at <path>: <detail>: <sentinel>".
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString("vc: ")
	b.WriteString(string(e.Reason))
	if e.Path != "" {
		b.WriteString(" at ")
		b.WriteString(e.Path)
	}
	if e.detail != "" {
		b.WriteString(": ")
		b.WriteString(e.detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *VerifyError) Unwrap() error { return e.Err }
