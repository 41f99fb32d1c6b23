package main

import (
	"errors"

	"github.com/credence-dev/credence/vc"
)

// sentinels names the errors a failure can wrap, in the order of vc/errors.go, so that
// --json output can say which one it was.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrMalformed", vc.ErrMalformed},
	{"ErrTooLarge", vc.ErrTooLarge},
	{"ErrTooDeep", vc.ErrTooDeep},
	{"ErrInvalidType", vc.ErrInvalidType},
	{"ErrUnsupportedFormat", vc.ErrUnsupportedFormat},
	{"ErrUnknownContext", vc.ErrUnknownContext},
	{"ErrAlgorithmNotAllowed", vc.ErrAlgorithmNotAllowed},
	{"ErrAlgorithmKeyMismatch", vc.ErrAlgorithmKeyMismatch},
	{"ErrInvalidKey", vc.ErrInvalidKey},
	{"ErrUnsupportedKeyType", vc.ErrUnsupportedKeyType},
	{"ErrPrivateKeyMaterial", vc.ErrPrivateKeyMaterial},
	{"ErrMissingKeyID", vc.ErrMissingKeyID},
	{"ErrInvalidSignature", vc.ErrInvalidSignature},
	{"ErrInvalidDID", vc.ErrInvalidDID},
	{"ErrInvalidDIDURL", vc.ErrInvalidDIDURL},
	{"ErrInvalidDIDDocument", vc.ErrInvalidDIDDocument},
	{"ErrMethodNotSupported", vc.ErrMethodNotSupported},
	{"ErrNotFound", vc.ErrNotFound},
	{"ErrVerificationMethodNotFound", vc.ErrVerificationMethodNotFound},
	{"ErrVerificationRelationship", vc.ErrVerificationRelationship},
	{"ErrDeactivated", vc.ErrDeactivated},
	{"ErrResolutionFailed", vc.ErrResolutionFailed},
	{"ErrInsecureURL", vc.ErrInsecureURL},
	{"ErrForbiddenAddress", vc.ErrForbiddenAddress},
	{"ErrInvalidURL", vc.ErrInvalidURL},
	{"ErrUnsupportedCritical", vc.ErrUnsupportedCritical},
	{"ErrUntrustedKeySource", vc.ErrUntrustedKeySource},
	{"ErrInvalidProof", vc.ErrInvalidProof},
	{"ErrMissingProof", vc.ErrMissingProof},
	{"ErrUnsupportedProof", vc.ErrUnsupportedProof},
	{"ErrProofPurpose", vc.ErrProofPurpose},
	{"ErrBaseProofPresented", vc.ErrBaseProofPresented},
	{"ErrUntrustedIssuer", vc.ErrUntrustedIssuer},
	{"ErrIssuerMismatch", vc.ErrIssuerMismatch},
	{"ErrExpired", vc.ErrExpired},
	{"ErrNotYetValid", vc.ErrNotYetValid},
	{"ErrIssuedInFuture", vc.ErrIssuedInFuture},
	{"ErrStale", vc.ErrStale},
	{"ErrHolderBinding", vc.ErrHolderBinding},
	{"ErrKeyBindingRequired", vc.ErrKeyBindingRequired},
	{"ErrNonceMismatch", vc.ErrNonceMismatch},
	{"ErrAudienceMismatch", vc.ErrAudienceMismatch},
	{"ErrChallengeMismatch", vc.ErrChallengeMismatch},
	{"ErrDomainMismatch", vc.ErrDomainMismatch},
	{"ErrReplay", vc.ErrReplay},
	{"ErrInvalidDisclosure", vc.ErrInvalidDisclosure},
	{"ErrDuplicateDisclosure", vc.ErrDuplicateDisclosure},
	{"ErrUnreferencedDisclosure", vc.ErrUnreferencedDisclosure},
	{"ErrDuplicateDigest", vc.ErrDuplicateDigest},
	{"ErrDisclosureOverwrite", vc.ErrDisclosureOverwrite},
	{"ErrReservedClaimDisclosed", vc.ErrReservedClaimDisclosed},
	{"ErrInvalidDigest", vc.ErrInvalidDigest},
	{"ErrUnsupportedHashAlgorithm", vc.ErrUnsupportedHashAlgorithm},
	{"ErrSDHashMismatch", vc.ErrSDHashMismatch},
	{"ErrTypeMetadata", vc.ErrTypeMetadata},
	{"ErrRevoked", vc.ErrRevoked},
	{"ErrSuspended", vc.ErrSuspended},
	{"ErrStatusVerification", vc.ErrStatusVerification},
	{"ErrStatusRetrieval", vc.ErrStatusRetrieval},
	{"ErrStatusIndex", vc.ErrStatusIndex},
	{"ErrStatusRange", vc.ErrStatusRange},
	{"ErrStatusListLength", vc.ErrStatusListLength},
	{"ErrUnsafePattern", vc.ErrUnsafePattern},
	{"ErrUnsupportedPath", vc.ErrUnsupportedPath},
	{"ErrRemoteReference", vc.ErrRemoteReference},
	{"ErrUnsupportedSchema", vc.ErrUnsupportedSchema},
	{"ErrNoMatch", vc.ErrNoMatch},
	{"ErrInvalidOptions", vc.ErrInvalidOptions},
	{"ErrCanonicalizationLimit", vc.ErrCanonicalizationLimit},
}

// sentinelName returns the name of the sentinel err wraps, or "" when it wraps none. The
// sentinel of a *vc.VerifyError is preferred; otherwise the first of the list that matches.
func sentinelName(err error) string {
	var ve *vc.VerifyError
	if errors.As(err, &ve) && ve.Err != nil {
		for _, s := range sentinels {
			if errors.Is(ve.Err, s.err) {
				return s.name
			}
		}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return ""
}
