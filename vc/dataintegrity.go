package vc

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/jsonld"
)

// FormatDataIntegrity is a credential or presentation secured with a W3C Data Integrity
// proof (DataIntegrityProof): eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022 and
// ecdsa-rdfc-2019 (JSON-LD with embedded, hash-pinned contexts only, then bounded
// RDFC-1.0), ecdsa-sd-2023 and bbs-2023 (selective disclosure: the issuer's base proof
// goes to the holder, verifiers accept only derived proofs, see DeriveCredential), and
// the legacy Ed25519Signature2020 (verify only).
//
// A Verifier accepts bbs-2023 whatever VerifierOptions.Algorithms says: that list names
// JOSE algorithms, and BBS is not one. Its proofs are checked with the BLS12-381 G2 key
// of the verification method (did:key zUC7...); baseline bbs-2023 only, the feature
// options (holder binding, pseudonyms) are ErrUnsupportedProof.
const FormatDataIntegrity Format = "di"

// canonicalizer returns the RDFC-1.0 canonical N-Quads of a JSON-LD document, using only
// the contexts in c: an unknown context, an inline context or a term no context defines
// is an error, and canonicalization is bounded and cancellable.
func canonicalizer(c *jsonld.Contexts) dataintegrity.Canonicalizer {
	return func(ctx context.Context, doc map[string]any, h crypto.Hash) ([]byte, error) {
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("vc: JSON-LD document: %v: %w", err, ErrMalformed)
		}
		quads, err := jsonld.ToRDF(ctx, data, c, jsonld.Options{})
		if err != nil {
			return nil, err
		}
		canon, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{Hash: h})
		if err != nil {
			return nil, err
		}
		return canon.NQuads(), nil
	}
}

// toRDF returns the RDF dataset of a JSON-LD document for the selective disclosure
// suites, with the same policy as canonicalizer.
func toRDF(c *jsonld.Contexts) dataintegrity.RDFFunc {
	return func(ctx context.Context, doc map[string]any) ([]jsonld.Quad, error) {
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("vc: JSON-LD document: %v: %w", err, ErrMalformed)
		}
		return jsonld.ToRDF(ctx, data, c, jsonld.Options{})
	}
}

// DeriveOptions configures DeriveCredential. The zero value discloses the mandatory
// statements only, with the embedded contexts.
type DeriveOptions struct {
	// Disclose lists the JSON Pointers (RFC 6901) of what to reveal besides what the
	// issuer made mandatory, such as "/credentialSubject/ageOver18". Each must name a
	// member or element of the credential. Revealing a member reveals the id and type of
	// the objects on its path too.
	Disclose []string
	// Contexts are the JSON-LD contexts the credential may use. If nil,
	// jsonld.DefaultContexts().
	Contexts *jsonld.Contexts
	// PresentationHeader, for a bbs-2023 credential, is bound into the derived proof,
	// such as the verifier's nonce (at most 4096 bytes). ecdsa-sd-2023 refuses it.
	PresentationHeader []byte
}

// DeriveCredential turns a credential secured with an ecdsa-sd-2023 or bbs-2023 base
// proof (as Issuer.Issue makes with that Cryptosuite) into a derived credential that
// reveals only the mandatory statements and those opts.Disclose selects, ready for a
// verifier (VerifyCredential, or inside a presentation). Data must be the credential as
// issued; the base proof is not verified here. A base proof is never given to a verifier:
// it carries the HMAC key (and for ecdsa-sd-2023 the signature of every statement), and
// VerifyCredential refuses it with ErrBaseProofPresented. ecdsa-sd-2023 derived
// credentials of one base proof share its base signature and proof-scoped key, so
// verifiers can link them to each other; bbs-2023 ones carry fresh zero-knowledge proofs
// and are linked only by what they reveal.
func DeriveCredential(ctx context.Context, data []byte, opts DeriveOptions) ([]byte, error) {
	c := opts.Contexts
	if c == nil {
		c = jsonld.DefaultContexts()
	}
	out, err := dataintegrity.Derive(ctx, data, dataintegrity.DeriveOptions{
		SelectivePointers: opts.Disclose, ToRDF: toRDF(c), PresentationHeader: opts.PresentationHeader,
	})
	if err != nil {
		return nil, fmt.Errorf("vc: deriving a disclosure: %w", err)
	}
	// The data model requires a credentialSubject; a derivation that reveals nothing of
	// it (no mandatory subject member, no pointer into it) is no credential.
	var doc struct {
		Subject json.RawMessage `json:"credentialSubject"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Subject) == 0 {
		return nil, fmt.Errorf("vc: the derived credential would reveal no credentialSubject: disclose at least one of its members: %w", ErrInvalidOptions)
	}
	return out, nil
}

// isDataIntegrity reports whether a decoded JSON document carries an embedded proof
// rather than being an envelope.
func isDataIntegrity(obj any) bool {
	m, ok := obj.(map[string]any)
	if !ok {
		return false
	}
	if t, _ := m["type"].(string); strings.HasPrefix(t, "Enveloped") {
		return false
	}
	_, ok = m["proof"]
	return ok
}

func relationshipOf(purpose string) (did.Relationship, error) {
	switch purpose {
	case dataintegrity.PurposeAssertionMethod:
		return did.AssertionMethod, nil
	case dataintegrity.PurposeAuthentication:
		return did.Authentication, nil
	}
	return "", fmt.Errorf("vc: proof purpose %q: %w", purpose, ErrProofPurpose)
}

// diKeys asks the verifier's KeySource for a proof's key, as a key of subject (the
// issuer, or the holder of a presentation) under the proof's purpose.
func (v *Verifier) diKeys(subject string) dataintegrity.KeyFunc {
	return func(ctx context.Context, vm, purpose string) (crypto.PublicKey, error) {
		rel, err := relationshipOf(purpose)
		if err != nil {
			return nil, err
		}
		return v.keys.Key(ctx, KeyRequest{Issuer: subject, KeyID: vm, Relationship: rel})
	}
}

func (v *Verifier) diOptions(subject, purpose string, want Expect) dataintegrity.VerifyOptions {
	return dataintegrity.VerifyOptions{
		Key: v.diKeys(subject), Purpose: purpose, Challenge: want.Challenge, Domain: want.Domain,
		Now: v.clock, Skew: v.skew, Canonicalize: canonicalizer(v.contexts), ToRDF: toRDF(v.contexts),
		AllowedSuites: v.diSuites(),
	}
}

// diSuites are the suites whose key algorithm the verifier allows, and bbs-2023, whose
// BBS keys have no JOSE algorithm to allow.
func (v *Verifier) diSuites() []string {
	out := []string{dataintegrity.BBS2023}
	if slices.Contains(v.algs, keys.EdDSA) {
		out = append(out, dataintegrity.EdDSAJCS2022, dataintegrity.EdDSARDFC2022)
	}
	if slices.Contains(v.algs, keys.ES256) || slices.Contains(v.algs, keys.ES384) {
		out = append(out, dataintegrity.ECDSAJCS2019, dataintegrity.ECDSARDFC2019)
	}
	if slices.Contains(v.algs, keys.ES256) {
		out = append(out, dataintegrity.ECDSASD2023)
	}
	return out
}

// verifyCredentialDI verifies a credential with Data Integrity proofs: data model, trust
// (before any key is fetched), every proof under assertionMethod with a key of the
// issuer, validity and status.
func (v *Verifier) verifyCredentialDI(ctx context.Context, data []byte) (*Verified, error) {
	if !v.allows(FormatDataIntegrity) {
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: Data Integrity is not allowed by this verifier: %w", ErrUnsupportedFormat))
	}
	c, err := ParseCredential(data)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	issuer := c.Issuer.ID
	if err := v.trust.TrustIssuer(ctx, issuer, c.Type); err != nil {
		return nil, vErr(ReasonTrust, "/issuer", err)
	}
	res, err := dataintegrity.Verify(ctx, data, v.diOptions(issuer, dataintegrity.PurposeAssertionMethod, Expect{}))
	if err != nil {
		return nil, vErr(ReasonProof, "", err)
	}
	if err := v.checkValidity(c, v.clock()); err != nil {
		return nil, err
	}
	if err := v.checkCredentialStatus(ctx, c); err != nil {
		return nil, err
	}
	first := res.Proofs[0]
	return &Verified{
		format: FormatDataIntegrity, issuer: issuer, types: slices.Clone(c.Type), subjects: subjectIDs(c),
		doc: data, dropProof: true,
		validFrom: firstTime(c.ValidFrom, c.IssuanceDate), validTo: firstTime(c.ValidUntil, c.ExpirationDate),
		proof: ProofInfo{KeyID: first.VerificationMethod, Algorithm: suiteName(first), Created: timePtr(first.Created),
			PresentationHeader: first.PresentationHeader},
		cnf: cnfOf(c),
	}, nil
}

func suiteName(p dataintegrity.VerifiedProof) string {
	if p.Cryptosuite != "" {
		return p.Cryptosuite
	}
	return p.Type
}

// verifyPresentationDI verifies a presentation with a Data Integrity proof: the holder's
// proof under authentication, bound to want.Challenge and want.Domain (both required),
// then every credential, each bound to the holder.
func (v *Verifier) verifyPresentationDI(ctx context.Context, data []byte, want Expect) (*VerifiedPresentation, error) {
	if want.Challenge == "" {
		return nil, vErr(ReasonPresentation, "", fmt.Errorf("vc: a Data Integrity presentation needs an expected challenge: %w", ErrChallengeMismatch))
	}
	if want.Domain == "" {
		return nil, vErr(ReasonPresentation, "", fmt.Errorf("vc: a Data Integrity presentation needs an expected domain: %w", ErrDomainMismatch))
	}
	if !v.allows(FormatDataIntegrity) {
		return nil, vErr(ReasonMalformed, "", fmt.Errorf("vc: Data Integrity is not allowed by this verifier: %w", ErrUnsupportedFormat))
	}
	pres, err := ParsePresentation(data)
	if err != nil {
		return nil, err
	}
	if err := pres.Validate(); err != nil {
		return nil, err
	}
	holder := pres.Holder.ID
	if holder == "" {
		// A presentation that names no holder is its signer's: the DID of its proof's
		// verification method, which every proof must then share.
		if holder, err = signerDID(pres); err != nil {
			return nil, vErr(ReasonHolder, "/holder", err)
		}
	}
	res, err := dataintegrity.Verify(ctx, data, v.diOptions(holder, dataintegrity.PurposeAuthentication, want))
	if err != nil {
		if isMismatch(err) {
			return nil, vErr(ReasonHolder, "/proof", fmt.Errorf("%w: %w", ErrHolderBinding, err))
		}
		return nil, vErr(reasonOfDI(err), "/proof", err)
	}
	holderKey := res.Proofs[0].Key
	creds, err := v.verifyHeld(ctx, pres, holder, holderKey)
	if err != nil {
		return nil, err
	}
	if err := v.replay.Use(ctx, "di\x00"+want.Domain+"\x00"+want.Challenge, v.clock().Add(v.maxAge+2*v.skew)); err != nil {
		return nil, vErr(ReasonPresentation, "/proof/challenge", err)
	}
	first := res.Proofs[0]
	return &VerifiedPresentation{format: FormatDataIntegrity, holder: holder, holderKey: holderKey, credentials: creds,
		proof: ProofInfo{KeyID: first.VerificationMethod, Algorithm: suiteName(first), Created: timePtr(first.Created)}}, nil
}

// signerDID returns the DID of the verification method of a presentation's first proof.
func signerDID(p *Presentation) (string, error) {
	if len(p.Proof) == 0 {
		return "", fmt.Errorf("vc: the presentation names no holder and has no proof: %w", ErrMissingProof)
	}
	var proof struct {
		VerificationMethod string `json:"verificationMethod"`
	}
	if err := json.Unmarshal(p.Proof[0], &proof); err != nil {
		return "", fmt.Errorf("vc: presentation proof: %v: %w", err, ErrMalformed)
	}
	u, err := did.ParseURL(proof.VerificationMethod)
	if err != nil {
		return "", fmt.Errorf("vc: the presentation names no holder and its proof no DID verification method: %w", ErrHolderBinding)
	}
	return u.DID.String(), nil
}

func isMismatch(err error) bool { return errors.Is(err, ErrIssuerMismatch) }

func reasonOfDI(err error) Reason {
	switch {
	case errors.Is(err, ErrChallengeMismatch), errors.Is(err, ErrDomainMismatch):
		return ReasonPresentation
	case errors.Is(err, ErrExpired), errors.Is(err, ErrIssuedInFuture):
		return ReasonTime
	}
	return ReasonProof
}

// defaultSuite picks the JCS suite of a signer's key.
func defaultSuite(s keys.Signer) (string, error) {
	switch s.Public().(type) {
	case ed25519.PublicKey:
		return dataintegrity.EdDSAJCS2022, nil
	}
	switch s.Algorithm() {
	case keys.ES256, keys.ES384:
		return dataintegrity.ECDSAJCS2019, nil
	}
	return "", fmt.Errorf("vc: no Data Integrity suite for %s keys: %w", s.Algorithm(), ErrUnsupportedProof)
}

// signDI adds a Data Integrity proof to data with the given purpose; mandatory are the
// mandatory pointers of an ecdsa-sd-2023 base proof.
func signDI(ctx context.Context, s keys.Signer, vm string, data []byte, suite, purpose string, created time.Time, challenge, domain string, mandatory []string) ([]byte, error) {
	if suite == "" {
		var err error
		if suite, err = defaultSuite(s); err != nil {
			return nil, err
		}
	}
	if isSDSuite(suite) && purpose != dataintegrity.PurposeAssertionMethod {
		return nil, fmt.Errorf("vc: %s proofs are for credentials, not presentations: %w", suite, ErrUnsupportedProof)
	}
	if suite == dataintegrity.BBS2023 {
		return nil, fmt.Errorf("vc: bbs-2023 needs a BBS key, not a %s one: %w", s.Algorithm(), ErrAlgorithmKeyMismatch)
	}
	if suite == dataintegrity.ECDSASD2023 {
		mandatory = withVCDMMandatory(data, mandatory)
	}
	c := jsonld.DefaultContexts()
	return dataintegrity.Sign(ctx, data, s, dataintegrity.ProofOptions{
		Cryptosuite: suite, VerificationMethod: vm, ProofPurpose: purpose, Created: created.UTC().Truncate(time.Second),
		Challenge: challenge, Domain: domain, Canonicalize: canonicalizer(c), ToRDF: toRDF(c), MandatoryPointers: mandatory,
	})
}

// isSDSuite reports whether suite is a selective disclosure suite, whose proofs the
// issuer makes as base proofs for the holder.
func isSDSuite(suite string) bool {
	return suite == dataintegrity.ECDSASD2023 || suite == dataintegrity.BBS2023
}

// signBBS adds a bbs-2023 base proof to a credential, the VCDM members of
// withVCDMMandatory mandatory with the caller's pointers.
func signBBS(ctx context.Context, s keys.BBSSigner, vm string, data []byte, created time.Time, mandatory []string) ([]byte, error) {
	return dataintegrity.SignBBS(ctx, data, s, dataintegrity.ProofOptions{
		Cryptosuite: dataintegrity.BBS2023, VerificationMethod: vm, ProofPurpose: dataintegrity.PurposeAssertionMethod,
		Created: created.UTC().Truncate(time.Second), ToRDF: toRDF(jsonld.DefaultContexts()),
		MandatoryPointers: withVCDMMandatory(data, mandatory),
	})
}

// vcdmMandatory are the members of a credential that every derived credential reveals
// when the credential has them: what a verifier needs to judge it (issuer, validity) and
// what a holder must not be able to hide (status, for revocation).
var vcdmMandatory = [...]string{"issuer", "validFrom", "validUntil", "issuanceDate", "expirationDate", "credentialStatus"}

// withVCDMMandatory returns pointers with "/issuer", the validity and the status of the
// credential data added when data has them and pointers do not name them.
func withVCDMMandatory(data []byte, pointers []string) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return pointers // Sign reports the malformed document
	}
	out := slices.Clone(pointers)
	for _, name := range vcdmMandatory {
		if _, ok := top[name]; ok && !slices.Contains(out, "/"+name) {
			out = append(out, "/"+name)
		}
	}
	return out
}
