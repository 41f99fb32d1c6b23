package dataintegrity

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"

	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/keys"
)

// Cryptosuite identifiers (the proof's "cryptosuite" member) and proof types.
const (
	EdDSARDFC2022 = "eddsa-rdfc-2022" // vc-di-eddsa §3.1: Ed25519 over RDFC-1.0 N-Quads
	EdDSAJCS2022  = "eddsa-jcs-2022"  // vc-di-eddsa §3.2: Ed25519 over JCS
	ECDSARDFC2019 = "ecdsa-rdfc-2019" // vc-di-ecdsa §3.2: P-256 or P-384 over RDFC-1.0 N-Quads
	ECDSAJCS2019  = "ecdsa-jcs-2019"  // vc-di-ecdsa §3.3: P-256 or P-384 over JCS
	ECDSASD2023   = "ecdsa-sd-2023"   // vc-di-ecdsa §3.6: selective disclosure, P-256 over RDFC-1.0 N-Quads
	BBS2023       = "bbs-2023"        // vc-di-bbs §3: unlinkable selective disclosure, BBS over RDFC-1.0 N-Quads (baseline)

	// DataIntegrityProof is the proof type of every cryptosuite above.
	DataIntegrityProof = "DataIntegrityProof"
	// Ed25519Signature2020 is the legacy proof type of VCDM 1.1 credentials
	// (w3c-ccg lds-ed25519-2020); it has no cryptosuite member and is verify-only.
	Ed25519Signature2020 = "Ed25519Signature2020"
)

// Proof purposes (Controlled Identifiers 1.0 §2.3 verification relationships).
const (
	PurposeAssertionMethod = "assertionMethod" // credentials
	PurposeAuthentication  = "authentication"  // presentations
)

// Canonicalizer converts a JSON-LD document to RDF (JSON-LD 1.1 toRdf, after expansion) and
// returns its serialized canonical form under RDFC-1.0 (sorted canonical N-Quads, each line
// ending in "\n"), using hash as the RDFC-1.0 hash algorithm: crypto.SHA256, or
// crypto.SHA384 for ecdsa-rdfc-2019 with a P-384 key (vc-di-ecdsa §3: "For P-384 keys,
// SHA-2 with 384-bits of output MUST be used").
//
// doc is a document or proof configuration as this package holds it (values as jsonx
// decodes them); the callback must not modify it. Errors should wrap a sentinel such as
// errs.ErrUnknownContext or errs.ErrCanonicalizationLimit; they are returned wrapped.
// The callback is where JSON-LD policy lives (embedded contexts only, safe mode, work
// limits), so this package never loads a context itself.
type Canonicalizer func(ctx context.Context, doc map[string]any, hash crypto.Hash) ([]byte, error)

// Suite is a cryptosuite this package implements, split into the steps the specifications
// name. [Sign] and [Verify] drive the steps; Suite is exported so that callers can list
// what is supported ([Suites]) and test a step on its own. The interface is sealed: only
// this package's suites satisfy it, so the set a verifier accepts is one tested here.
type Suite interface {
	// Name returns the cryptosuite identifier, such as "eddsa-jcs-2022", or for a legacy
	// proof type without one, the type ("Ed25519Signature2020").
	Name() string
	// ProofType returns the proof's "type": DataIntegrityProof or the legacy type.
	ProofType() string
	// RDFC reports whether the suite canonicalizes with RDFC-1.0, so that it needs a
	// Canonicalizer; the others use JCS (RFC 8785) and never touch JSON-LD.
	RDFC() bool
	// VerifyOnly reports whether Sign refuses the suite (legacy proof types).
	VerifyOnly() bool
	// Hash checks that pub is a key of the suite and returns the hash function it uses
	// with that key: SHA-256 for Ed25519, P-256 and BLS12-381 G2 (bbs-2023), SHA-384 for
	// P-384. Any other key is ErrAlgorithmKeyMismatch.
	Hash(pub crypto.PublicKey) (crypto.Hash, error)
	// Canonicalize returns the transformed form of a document or of a proof configuration:
	// JCS for the JCS suites; for the RDFC suites, canon's result (an error wrapping
	// ErrUnsupportedProof when canon is nil).
	Canonicalize(ctx context.Context, v map[string]any, h crypto.Hash, canon Canonicalizer) ([]byte, error)
	// HashData returns h(proofConfig) ‖ h(document), the bytes the signature covers.
	HashData(h crypto.Hash, proofConfig, document []byte) []byte
	// SignHash signs hashData with s and returns the raw proof bytes: the Ed25519
	// signature, or ECDSA r‖s (IEEE P1363) of h(hashData). The signer's key must suit.
	SignHash(s keys.Signer, hashData []byte) ([]byte, error)
	// VerifyHash checks a signature from SignHash; a mismatch is ErrInvalidSignature.
	VerifyHash(pub crypto.PublicKey, hashData, sig []byte) error

	sealed()
}

type curveFamily uint8

const (
	edwards curveFamily = iota // Ed25519
	nist                       // P-256, P-384
	bls                        // BLS12-381 G2 (BBS)
)

type suite struct {
	name, proofType string
	rdfc            bool
	family          curveFamily
	verifyOnly      bool
	sd              bool // selective disclosure: base and derived proofs (ecdsasd.go, bbs2023.go)
}

// The suites this package implements, in the order Suites lists them. Read-only.
var implemented = [...]*suite{
	{name: EdDSAJCS2022, proofType: DataIntegrityProof, family: edwards},
	{name: ECDSAJCS2019, proofType: DataIntegrityProof, family: nist},
	{name: EdDSARDFC2022, proofType: DataIntegrityProof, rdfc: true, family: edwards},
	{name: ECDSARDFC2019, proofType: DataIntegrityProof, rdfc: true, family: nist},
	{name: ECDSASD2023, proofType: DataIntegrityProof, rdfc: true, family: nist, sd: true},
	{name: BBS2023, proofType: DataIntegrityProof, rdfc: true, family: bls, sd: true},
	{name: Ed25519Signature2020, proofType: Ed25519Signature2020, rdfc: true, family: edwards, verifyOnly: true},
}

// Suites returns the suites this package implements: eddsa-jcs-2022, ecdsa-jcs-2019,
// eddsa-rdfc-2022, ecdsa-rdfc-2019, ecdsa-sd-2023, bbs-2023 and the verify-only
// Ed25519Signature2020. The slice is fresh on every call. For ecdsa-sd-2023 the step
// methods are those of its signatures (SignHash and VerifyHash over the base signature's
// data or one statement); its proofs are made and checked by Sign, Derive and Verify.
// bbs-2023 signs one BBS signature over many messages, which the step methods cannot
// express: its Hash accepts BLS12-381 G2 keys (SHA-256), SignHash and VerifyHash refuse
// with ErrUnsupportedProof, and its proofs are made and checked by SignBBS, Derive and
// Verify.
func Suites() []Suite {
	out := make([]Suite, len(implemented))
	for i, s := range implemented {
		out[i] = s
	}
	return out
}

func suiteByName(name string) *suite {
	for _, s := range implemented {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Name returns the cryptosuite name.
func (s *suite) Name() string { return s.name }

// ProofType returns the proof type the suite signs.
func (s *suite) ProofType() string { return s.proofType }

// RDFC reports whether the suite canonicalizes with RDFC-1.0.
func (s *suite) RDFC() bool { return s.rdfc }

// VerifyOnly reports whether the suite only verifies (legacy suites).
func (s *suite) VerifyOnly() bool { return s.verifyOnly }

func (s *suite) sealed() {}

// isBBS reports whether the suite is bbs-2023.
func (s *suite) isBBS() bool { return s.family == bls }

// errBBSSteps is the error of the step methods bbs-2023 cannot express.
func (s *suite) errBBSSteps() error {
	return fmt.Errorf("dataintegrity: %s signs with BBS (SignBBS, Derive, Verify), not one signature per hash: %w", s.name, ErrUnsupportedProof)
}

// bbsKey returns pub as the BLS12-381 G2 key bbs-2023 needs.
func (s *suite) bbsKey(pub crypto.PublicKey) (*keys.BLS12381G2PublicKey, error) {
	k, ok := pub.(*keys.BLS12381G2PublicKey)
	if !ok || k == nil {
		if kt, err := keys.TypeOf(pub); err == nil {
			return nil, fmt.Errorf("dataintegrity: %s with a %s key: %w", s.name, kt, ErrAlgorithmKeyMismatch)
		}
		return nil, fmt.Errorf("dataintegrity: %s with a %T key: %w", s.name, pub, ErrAlgorithmKeyMismatch)
	}
	if _, err := keys.TypeOf(k); err != nil {
		return nil, err
	}
	return k, nil
}

// algorithm returns the JOSE name of the signature algorithm for pub and the size of its
// raw signatures. The key decides, and it must be of the suite's family.
func (s *suite) algorithm(pub crypto.PublicKey) (string, int, error) {
	if s.isBBS() {
		return "", 0, s.errBBSSteps()
	}
	kt, err := keys.TypeOf(pub)
	if err != nil {
		if errors.Is(err, keys.ErrInvalidKey) {
			return "", 0, err
		}
		return "", 0, fmt.Errorf("dataintegrity: %s with a %T key: %w", s.name, pub, ErrAlgorithmKeyMismatch)
	}
	switch {
	case s.family == edwards && kt == keys.Ed25519:
		return keys.EdDSA, 64, nil
	case s.family == nist && kt == keys.P256:
		return keys.ES256, 64, nil
	case s.family == nist && kt == keys.P384 && !s.sd: // ecdsa-sd-2023 is P-256 only
		return keys.ES384, 96, nil
	}
	return "", 0, fmt.Errorf("dataintegrity: %s with a %s key: %w", s.name, kt, ErrAlgorithmKeyMismatch)
}

// Hash returns the digest the suite uses with pub.
func (s *suite) Hash(pub crypto.PublicKey) (crypto.Hash, error) {
	if s.isBBS() {
		if _, err := s.bbsKey(pub); err != nil {
			return 0, err
		}
		return crypto.SHA256, nil
	}
	alg, _, err := s.algorithm(pub)
	if err != nil {
		return 0, err
	}
	if alg == keys.ES384 {
		return crypto.SHA384, nil
	}
	return crypto.SHA256, nil
}

// Canonicalize returns the canonical form of v (JCS, or RDFC-1.0 through canon).
func (s *suite) Canonicalize(ctx context.Context, v map[string]any, h crypto.Hash, canon Canonicalizer) ([]byte, error) {
	return s.canonicalize(ctx, v, h, canon, 0)
}

// canonicalize is Canonicalize with the expected size of a JCS result.
func (s *suite) canonicalize(ctx context.Context, v map[string]any, h crypto.Hash, canon Canonicalizer, size int) ([]byte, error) {
	if !s.rdfc {
		b, err := jcs.Append(make([]byte, 0, max(size, 512)), v)
		if err != nil {
			return nil, fmt.Errorf("dataintegrity: JCS: %w", err)
		}
		return b, nil
	}
	if canon == nil {
		return nil, fmt.Errorf("dataintegrity: %s needs an RDFC-1.0 canonicalizer, none configured: %w", s.name, ErrUnsupportedProof)
	}
	b, err := canon(ctx, v, h)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: RDFC-1.0 canonicalization: %w", err)
	}
	return b, nil
}

// HashData returns hash(proof configuration) followed by hash(document).
func (s *suite) HashData(h crypto.Hash, proofConfig, document []byte) []byte {
	return appendDigest(appendDigest(make([]byte, 0, 2*h.Size()), h, proofConfig), h, document)
}

func appendDigest(dst []byte, h crypto.Hash, data []byte) []byte {
	if h == crypto.SHA384 {
		d := sha512.Sum384(data)
		return append(dst, d[:]...)
	}
	d := sha256.Sum256(data)
	return append(dst, d[:]...)
}

// SignHash signs the hash data.
func (s *suite) SignHash(signer keys.Signer, hashData []byte) ([]byte, error) {
	if s.isBBS() {
		return nil, s.errBBSSteps()
	}
	if signer == nil {
		return nil, fmt.Errorf("dataintegrity: nil signer: %w", ErrInvalidKey)
	}
	if _, _, err := s.algorithm(signer.Public()); err != nil {
		return nil, err
	}
	sig, err := keys.Sign(signer, hashData)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: %s: %w", s.name, err)
	}
	return sig, nil
}

// VerifyHash verifies a signature over the hash data.
func (s *suite) VerifyHash(pub crypto.PublicKey, hashData, sig []byte) error {
	alg, size, err := s.algorithm(pub)
	if err != nil {
		return err
	}
	if len(sig) != size {
		return fmt.Errorf("dataintegrity: %s signature of %d bytes, want %d: %w", alg, len(sig), size, ErrInvalidSignature)
	}
	if err := keys.Verify(pub, alg, hashData, sig); err != nil {
		return fmt.Errorf("dataintegrity: %s: %w", s.name, err)
	}
	return nil
}
