package vc_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// vcSentinels are the sentinels of package vc, in the order sentinelOf tries them.
var vcSentinels = []struct {
	name string
	err  error
}{
	{"ErrMalformed", vc.ErrMalformed}, {"ErrTooLarge", vc.ErrTooLarge}, {"ErrTooDeep", vc.ErrTooDeep},
	{"ErrInvalidType", vc.ErrInvalidType}, {"ErrUnsupportedFormat", vc.ErrUnsupportedFormat},
	{"ErrUnknownContext", vc.ErrUnknownContext},
	{"ErrAlgorithmNotAllowed", vc.ErrAlgorithmNotAllowed}, {"ErrAlgorithmKeyMismatch", vc.ErrAlgorithmKeyMismatch},
	{"ErrInvalidKey", vc.ErrInvalidKey}, {"ErrUnsupportedKeyType", vc.ErrUnsupportedKeyType},
	{"ErrPrivateKeyMaterial", vc.ErrPrivateKeyMaterial}, {"ErrMissingKeyID", vc.ErrMissingKeyID},
	{"ErrInvalidSignature", vc.ErrInvalidSignature},
	{"ErrInvalidDID", vc.ErrInvalidDID}, {"ErrInvalidDIDURL", vc.ErrInvalidDIDURL},
	{"ErrInvalidDIDDocument", vc.ErrInvalidDIDDocument}, {"ErrMethodNotSupported", vc.ErrMethodNotSupported},
	{"ErrNotFound", vc.ErrNotFound}, {"ErrVerificationMethodNotFound", vc.ErrVerificationMethodNotFound},
	{"ErrVerificationRelationship", vc.ErrVerificationRelationship},
	{"ErrDeactivated", vc.ErrDeactivated}, {"ErrResolutionFailed", vc.ErrResolutionFailed},
	{"ErrInsecureURL", vc.ErrInsecureURL}, {"ErrForbiddenAddress", vc.ErrForbiddenAddress}, {"ErrInvalidURL", vc.ErrInvalidURL},
	{"ErrUnsupportedCritical", vc.ErrUnsupportedCritical}, {"ErrUntrustedKeySource", vc.ErrUntrustedKeySource},
	{"ErrInvalidProof", vc.ErrInvalidProof}, {"ErrMissingProof", vc.ErrMissingProof},
	{"ErrUnsupportedProof", vc.ErrUnsupportedProof}, {"ErrProofPurpose", vc.ErrProofPurpose},
	{"ErrUntrustedIssuer", vc.ErrUntrustedIssuer}, {"ErrIssuerMismatch", vc.ErrIssuerMismatch},
	{"ErrExpired", vc.ErrExpired}, {"ErrNotYetValid", vc.ErrNotYetValid},
	{"ErrIssuedInFuture", vc.ErrIssuedInFuture}, {"ErrStale", vc.ErrStale},
	{"ErrHolderBinding", vc.ErrHolderBinding}, {"ErrKeyBindingRequired", vc.ErrKeyBindingRequired},
	{"ErrNonceMismatch", vc.ErrNonceMismatch}, {"ErrAudienceMismatch", vc.ErrAudienceMismatch},
	{"ErrChallengeMismatch", vc.ErrChallengeMismatch}, {"ErrDomainMismatch", vc.ErrDomainMismatch},
	{"ErrReplay", vc.ErrReplay},
	{"ErrRevoked", vc.ErrRevoked}, {"ErrSuspended", vc.ErrSuspended},
	{"ErrStatusVerification", vc.ErrStatusVerification}, {"ErrStatusRetrieval", vc.ErrStatusRetrieval},
	{"ErrStatusIndex", vc.ErrStatusIndex}, {"ErrStatusRange", vc.ErrStatusRange},
	{"ErrStatusListLength", vc.ErrStatusListLength},
	{"ErrUnsafePattern", vc.ErrUnsafePattern}, {"ErrUnsupportedPath", vc.ErrUnsupportedPath},
	{"ErrRemoteReference", vc.ErrRemoteReference}, {"ErrUnsupportedSchema", vc.ErrUnsupportedSchema},
	{"ErrNoMatch", vc.ErrNoMatch},
	{"ErrInvalidOptions", vc.ErrInvalidOptions},
	{"ErrInvalidDisclosure", vc.ErrInvalidDisclosure}, {"ErrDuplicateDisclosure", vc.ErrDuplicateDisclosure},
	{"ErrUnreferencedDisclosure", vc.ErrUnreferencedDisclosure}, {"ErrDuplicateDigest", vc.ErrDuplicateDigest},
	{"ErrDisclosureOverwrite", vc.ErrDisclosureOverwrite}, {"ErrReservedClaimDisclosed", vc.ErrReservedClaimDisclosed},
	{"ErrInvalidDigest", vc.ErrInvalidDigest}, {"ErrUnsupportedHashAlgorithm", vc.ErrUnsupportedHashAlgorithm},
	{"ErrSDHashMismatch", vc.ErrSDHashMismatch}, {"ErrTypeMetadata", vc.ErrTypeMetadata},
	{"ErrSchemaValidation", vc.ErrSchemaValidation}, {"ErrSchemaRetrieval", vc.ErrSchemaRetrieval},
	{"ErrUntrustedVerifier", vc.ErrUntrustedVerifier}, {"ErrConsentDenied", vc.ErrConsentDenied},
	{"ErrPending", vc.ErrPending}, {"ErrRejected", vc.ErrRejected},
	{"ErrInvalidTxCode", vc.ErrInvalidTxCode},
	{"ErrCanonicalizationLimit", vc.ErrCanonicalizationLimit},
}

// sentinelOf returns the first sentinel of package vc that err wraps, or nil.
func sentinelOf(err error) error {
	for _, s := range vcSentinels {
		if errors.Is(err, s.err) {
			return s.err
		}
	}
	return nil
}

// checkRefused fails unless err is a *vc.VerifyError wrapping a sentinel of package vc.
func checkRefused(t *testing.T, err error) {
	t.Helper()
	var ve *vc.VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not a *vc.VerifyError: %v", err, err)
	}
	if sentinelOf(err) == nil {
		t.Fatalf("error wraps no sentinel: %v", err)
	}
}

// FuzzVerifyCredential feeds arbitrary bytes to a verifier that accepts any issuer whose
// signature verifies. Properties: no panic; every error is a *vc.VerifyError wrapping a
// sentinel, with a nil result; a credential verifies only when it is the one token
// signed here (compact, with surrounding space, or enveloped), and then its claims are
// exactly what was signed.
//
// The issuer's key is derived from a fixed seed and Ed25519 signing is deterministic,
// so every fuzzing process signs the same token (a fresh key per process would make the
// other processes' seeds valid tokens of another did:key). Ed25519 signatures are not
// malleable, so no other token carries a valid signature of that key.
func FuzzVerifyCredential(f *testing.F) {
	seed := sha256.Sum256([]byte("credence FuzzVerifyCredential issuer"))
	s, err := keys.SignerFor(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		f.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		f.Fatal(err)
	}
	iss := party{signer: s, did: id, kid: id + "#" + strings.TrimPrefix(id, "did:key:")}
	tok := issue(f, iss, parseCredential(f, credentialJSON("", "did:example:alice")), vc.FormatJWT)
	env, err := vc.EnvelopeCredential(tok)
	if err != nil {
		f.Fatal(err)
	}
	v := verifier(f, vc.VerifierOptions{AcceptAnyIssuer: true})
	ctx := context.Background()
	signed, err := v.VerifyCredential(ctx, tok)
	if err != nil {
		f.Fatal(err)
	}
	want := signed.Claims()

	f.Add(tok)
	f.Add(env)
	f.Add(append(append([]byte(" \n"), tok...), '\t'))
	f.Add(tok[:len(tok)-1])
	f.Add([]byte(string(tok) + "~"))
	f.Add(bytes.Replace(env, []byte("vc+jwt"), []byte("vp+jwt"), 1))

	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := v.VerifyCredential(ctx, data)
		if err != nil {
			if got != nil {
				t.Fatal("a result with an error")
			}
			checkRefused(t, err)
			return
		}
		if !bytes.Equal(embeddedCompact(t, data), tok) {
			t.Fatalf("verified a token that was not signed here: %q", data)
		}
		if got.Issuer() != iss.did {
			t.Fatalf("issuer %s", got.Issuer())
		}
		if d := cmp.Diff(want, got.Claims()); d != "" {
			t.Fatalf("claims differ from those signed (-signed +got):\n%s", d)
		}
	})
}

// embeddedCompact returns the compact token inside data: data itself, trimmed, or the
// token of an EnvelopedVerifiableCredential read with strict JSON; nil otherwise.
func embeddedCompact(t *testing.T, data []byte) []byte {
	t.Helper()
	data = bytes.TrimSpace(data)
	if !bytes.HasPrefix(data, []byte("{")) {
		return data
	}
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil
	}
	m, _ := v.(map[string]any)
	id, _ := m["id"].(string)
	tok, ok := strings.CutPrefix(id, "data:application/vc+jwt,")
	if !ok {
		return nil
	}
	return []byte(tok)
}
