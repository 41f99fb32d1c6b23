package sdjwt

import "github.com/credence-dev/credence/internal/errs"

// Errors returned by this package. Every failure wraps one of them; test with errors.Is.
// They are the library-wide sentinels, so errors.Is(err, vc.ErrX) works as well.
var (
	// ErrMalformed: the token, a header, the payload or the JSON serialization is not
	// well-formed (base64url, strict JSON, whitespace in the compact form, registered claims
	// of the wrong JSON type, a JWT where a disclosure belongs).
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: the token or its disclosures exceed a limit (1 MiB, 1,000 disclosures).
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: JSON or disclosures nested more deeply than the limit (64 levels).
	ErrTooDeep = errs.ErrTooDeep
	// ErrInvalidType: a typ that is not accepted, a payload that does not fit its typ (no
	// vct in an SD-JWT VC, no @context in vc+sd-jwt), or an SD-JWT+KB where an SD-JWT as
	// issued was expected.
	ErrInvalidType = errs.ErrInvalidType
	// ErrUnsupportedFormat: a JWE, or a JSON serialization, where the Issuer-signed JWT or
	// the key binding JWT must be a compact JWS.
	ErrUnsupportedFormat = errs.ErrUnsupportedFormat
	// ErrInvalidOptions: options that contradict each other or are out of range, or a
	// frame or path that does not fit the claims.
	ErrInvalidOptions = errs.ErrInvalidOptions

	// ErrAlgorithmNotAllowed: an alg outside the allow-list ("none", HMAC, ES512, ...).
	ErrAlgorithmNotAllowed = errs.ErrAlgorithmNotAllowed
	// ErrAlgorithmKeyMismatch: a header alg that is not the verification key's algorithm.
	ErrAlgorithmKeyMismatch = errs.ErrAlgorithmKeyMismatch
	// ErrInvalidKey: a nil or unusable key.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrUnsupportedKeyType: a key type outside policy (RSA, P-521, ...).
	ErrUnsupportedKeyType = errs.ErrUnsupportedKeyType
	// ErrPrivateKeyMaterial: a cnf jwk holding private key members.
	ErrPrivateKeyMaterial = errs.ErrPrivateKeyMaterial
	// ErrInvalidSignature: the issuer's signature does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature
	// ErrUnsupportedCritical: a crit, b64 or zip header.
	ErrUnsupportedCritical = errs.ErrUnsupportedCritical
	// ErrUntrustedKeySource: a header that carries its own key (jwk, jku, x5u; x5c unless
	// allowed).
	ErrUntrustedKeySource = errs.ErrUntrustedKeySource
	// ErrIssuerMismatch: iss differs from the VCDM issuer (holder) of a vc+sd-jwt (vp+sd-jwt).
	ErrIssuerMismatch = errs.ErrIssuerMismatch

	// ErrExpired: exp is in the past.
	ErrExpired = errs.ErrExpired
	// ErrNotYetValid: nbf is in the future.
	ErrNotYetValid = errs.ErrNotYetValid
	// ErrIssuedInFuture: iat (of the credential or of the key binding JWT) is in the future.
	ErrIssuedInFuture = errs.ErrIssuedInFuture
	// ErrStale: the key binding JWT is older than the verifier accepts (300 s by default).
	ErrStale = errs.ErrStale

	// ErrKeyBindingRequired: a presentation without the key binding JWT the policy requires.
	ErrKeyBindingRequired = errs.ErrKeyBindingRequired
	// ErrHolderBinding: the key binding JWT is not signed by the cnf key, or there is no
	// usable cnf key.
	ErrHolderBinding = errs.ErrHolderBinding
	// ErrNonceMismatch: the key binding JWT's nonce is missing or not the expected one.
	ErrNonceMismatch = errs.ErrNonceMismatch
	// ErrAudienceMismatch: the key binding JWT's aud is missing, not a single string, or
	// not the expected one.
	ErrAudienceMismatch = errs.ErrAudienceMismatch
	// ErrSDHashMismatch: the key binding JWT's sd_hash is missing or not the hash of the
	// presentation it came with.
	ErrSDHashMismatch = errs.ErrSDHashMismatch
	// ErrTypeMetadata: type metadata was required but could not be retrieved, failed its
	// integrity check or its rules, or the credential violates its claim metadata.
	ErrTypeMetadata = errs.ErrTypeMetadata

	// ErrInvalidDisclosure: a disclosure that is empty, not base64url, not a JSON array of
	// salt, name and value (salt and value for an array element) with a string salt and
	// name, or of the wrong shape for where its digest sits.
	ErrInvalidDisclosure = errs.ErrInvalidDisclosure
	// ErrDuplicateDisclosure: the same disclosure sent twice.
	ErrDuplicateDisclosure = errs.ErrDuplicateDisclosure
	// ErrUnreferencedDisclosure: a disclosure whose digest is neither in the payload nor in
	// another disclosure that is itself referenced.
	ErrUnreferencedDisclosure = errs.ErrUnreferencedDisclosure
	// ErrDuplicateDigest: a digest found more than once in the payload and disclosures.
	ErrDuplicateDigest = errs.ErrDuplicateDigest
	// ErrDisclosureOverwrite: a disclosure whose name is already a claim at its level.
	ErrDisclosureOverwrite = errs.ErrDisclosureOverwrite
	// ErrReservedClaimDisclosed: a disclosure named _sd, ... or _sd_alg, or an SD-JWT VC
	// claim that must stay in plain text (iss, nbf, exp, cnf, vct, vct#integrity, aka_vcts,
	// status, or anything inside them) found in a disclosure or made disclosable.
	ErrReservedClaimDisclosed = errs.ErrReservedClaimDisclosed
	// ErrInvalidDigest: an _sd that is not an array of digest strings, or an array element
	// {"...": digest} that is not exactly that, or a digest of the wrong length or alphabet.
	ErrInvalidDigest = errs.ErrInvalidDigest
	// ErrUnsupportedHashAlgorithm: an _sd_alg that is unknown or outside the policy.
	ErrUnsupportedHashAlgorithm = errs.ErrUnsupportedHashAlgorithm
	// ErrNoMatch: a path the holder asked to disclose that the credential does not hold.
	ErrNoMatch = errs.ErrNoMatch
)
