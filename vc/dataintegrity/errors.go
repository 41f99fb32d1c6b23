package dataintegrity

import (
	"fmt"

	"github.com/credence-dev/credence/internal/errs"
)

// Errors returned by this package. Every failure wraps one of them; test with errors.Is.
// They are the shared values of the library, so vc.ErrInvalidProof and the others match.
var (
	// ErrMalformed: a document that is not strict JSON, or not a JSON object.
	ErrMalformed = errs.ErrMalformed
	// ErrTooLarge: a document over 1 MiB, or more than MaxProofs proofs.
	ErrTooLarge = errs.ErrTooLarge
	// ErrTooDeep: a document nested more than 64 levels.
	ErrTooDeep = errs.ErrTooDeep
	// ErrMissingProof: a document without a proof (or with an empty proof set).
	ErrMissingProof = errs.ErrMissingProof
	// ErrInvalidProof: a proof that breaks Data Integrity 1.0 or its suite: not an
	// object, a member missing or of the wrong type, a bad dateTime, a proofValue that is
	// not base58btc multibase of the suite's length, a JCS proof @context that is not a
	// prefix of the document's, a previousProof naming no proof of the document.
	ErrInvalidProof = errs.ErrInvalidProof
	// ErrUnsupportedProof: a proof type or cryptosuite this package does not implement
	// (anything unknown, a bbs-2023 feature option such as holder binding or pseudonyms),
	// an RDFC suite without a Canonicalizer, ecdsa-sd-2023 or bbs-2023 without an
	// RDFFunc, or a document whose nodes selective disclosure cannot track.
	ErrUnsupportedProof = errs.ErrUnsupportedProof
	// ErrBaseProofPresented: an ecdsa-sd-2023 or bbs-2023 base proof given to Verify. A base proof is
	// for the holder, who derives from it what a verifier sees (Derive); it reveals the
	// HMAC key and every statement signature.
	ErrBaseProofPresented = errs.ErrBaseProofPresented
	// ErrAlgorithmNotAllowed: a suite this package implements but the caller did not allow.
	ErrAlgorithmNotAllowed = errs.ErrAlgorithmNotAllowed
	// ErrAlgorithmKeyMismatch: a key that the suite does not sign with (eddsa suites need
	// Ed25519, ecdsa suites P-256 or P-384).
	ErrAlgorithmKeyMismatch = errs.ErrAlgorithmKeyMismatch
	// ErrInvalidKey: a nil or invalid key.
	ErrInvalidKey = errs.ErrInvalidKey
	// ErrMissingKeyID: a proof without a verificationMethod.
	ErrMissingKeyID = errs.ErrMissingKeyID
	// ErrInvalidDIDURL: a verificationMethod that is not a DID URL.
	ErrInvalidDIDURL = errs.ErrInvalidDIDURL
	// ErrProofPurpose: a proofPurpose other than the one the verifier expects.
	ErrProofPurpose = errs.ErrProofPurpose
	// ErrChallengeMismatch: a challenge missing or different from the expected one.
	ErrChallengeMismatch = errs.ErrChallengeMismatch
	// ErrDomainMismatch: a domain missing or different from the expected one.
	ErrDomainMismatch = errs.ErrDomainMismatch
	// ErrIssuedInFuture: a proof created after now plus the allowed skew.
	ErrIssuedInFuture = errs.ErrIssuedInFuture
	// ErrExpired: a proof whose expires is before now minus the allowed skew.
	ErrExpired = errs.ErrExpired
	// ErrInvalidSignature: a signature that does not verify.
	ErrInvalidSignature = errs.ErrInvalidSignature
	// ErrInvalidOptions: options that are missing or contradict each other.
	ErrInvalidOptions = errs.ErrInvalidOptions
)

// ProofError reports which proof of a document failed. Err wraps one sentinel.
type ProofError struct {
	// Path is the JSON Pointer of the proof: "/proof" for a single proof, "/proof/2" for
	// the third of a proof set.
	Path string
	Err  error
}

// Error names the proof and the failure.
func (e *ProofError) Error() string { return fmt.Sprintf("dataintegrity: proof %s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error, so errors.Is finds the sentinel.
func (e *ProofError) Unwrap() error { return e.Err }
