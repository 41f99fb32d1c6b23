package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// DataIntegrityContext is the JSON-LD context that defines DataIntegrityProof and its
// members for documents whose contexts do not (VCDM 1.1 credentials, plain JSON-LD).
const DataIntegrityContext = "https://w3id.org/security/data-integrity/v2"

// contexts that define the DataIntegrityProof terms.
var diContexts = [...]string{"https://www.w3.org/ns/credentials/v2", DataIntegrityContext, "https://w3id.org/security/data-integrity/v1"}

// ContextPolicy says whether Sign may add DataIntegrityContext to a document.
type ContextPolicy uint8

const (
	// ContextAddIfMissing (the zero value): when the document has an @context and none of
	// its entries defines the proof's terms (https://www.w3.org/ns/credentials/v2 and the
	// data-integrity contexts do), append DataIntegrityContext to it before signing, so
	// that JSON-LD processors understand the proof. A document without @context (plain
	// JSON, JCS suites) is left as it is.
	ContextAddIfMissing ContextPolicy = iota
	// ContextKeep never changes the document's @context.
	ContextKeep
)

// ProofOptions are the proof options of Add Proof (Data Integrity 1.0 §4.2). Cryptosuite,
// VerificationMethod and ProofPurpose are required.
type ProofOptions struct {
	// Cryptosuite is EdDSAJCS2022, ECDSAJCS2019, EdDSARDFC2022, ECDSARDFC2019,
	// ECDSASD2023 (a base proof, for the holder to derive from) or, with SignBBS,
	// BBS2023; the signer's key must suit it (Ed25519 for eddsa, P-256 or P-384 for ecdsa,
	// P-256 for ecdsa-sd-2023, BLS12-381 G2 for bbs-2023).
	Cryptosuite string
	// VerificationMethod is the DID URL of the signer's key, such as did:key:z6Mk...#z6Mk...
	VerificationMethod string
	// ProofPurpose is PurposeAssertionMethod for a credential, PurposeAuthentication for a
	// presentation, or another verification relationship.
	ProofPurpose string
	// Created is the proof's creation time. If zero, the current time, to the second.
	Created time.Time
	// Expires, if not zero, is when the proof stops being valid.
	Expires time.Time
	// Challenge, Domain and Nonce are written to the proof when not empty; a
	// presentation answers a verifier's challenge and domain with them.
	Challenge, Domain, Nonce string
	// ID is the proof's id (a URL such as urn:uuid:...), needed for other proofs to chain
	// to it. Empty means none.
	ID string
	// PreviousProof lists ids of proofs already in the document that this proof chains
	// to (Data Integrity 1.0 §2.1.2): they are signed together with the document.
	PreviousProof []string
	// Context says whether the document's @context may be extended; see ContextPolicy.
	Context ContextPolicy
	// Canonicalize is required for the RDFC suites other than ecdsa-sd-2023 and bbs-2023; see
	// Canonicalizer.
	Canonicalize Canonicalizer
	// MandatoryPointers, for ecdsa-sd-2023 and bbs-2023, are the JSON Pointers (RFC 6901) of what every
	// derived proof must disclose, such as "/issuer" or "/validUntil". Empty makes
	// everything selectively disclosable. Other suites refuse them.
	MandatoryPointers []string
	// ToRDF is required for ecdsa-sd-2023 and bbs-2023; see RDFFunc.
	ToRDF RDFFunc

	sdSecrets *sdSecrets // tests: fixed HMAC and proof-scoped keys
}

// Sign adds a proof to doc, an unsecured or secured credential or presentation (JSON), and
// returns the secured document (Data Integrity 1.0 §4.2 Add Proof, §4.3 Add Proof
// Set/Chain). A document that already has a proof gets a proof set: its proof becomes an
// array holding the old proofs and then the new one.
//
// The output is doc as written, with only the proof member added or replaced (and the
// @context extended when opts.Context requires it). The proof's members appear in the
// order type, id, cryptosuite, created, expires, verificationMethod, proofPurpose,
// challenge, domain, nonce, previousProof, @context (JCS suites), proofValue.
//
// ECDSA signatures are randomized unless the signer is deterministic (RFC 6979); the
// specification recommends deterministic ECDSA, which a crypto.Signer may provide.
//
// bbs-2023 signs with a BBS key, which is not a keys.Signer: Sign refuses it with
// ErrAlgorithmKeyMismatch, and SignBBS makes its base proofs.
func Sign(ctx context.Context, doc []byte, signer keys.Signer, opts ProofOptions) ([]byte, error) {
	s, err := opts.check()
	if err != nil {
		return nil, err
	}
	if s.isBBS() {
		return nil, fmt.Errorf("dataintegrity: %s signs with a keys.BBSSigner (SignBBS): %w", s.name, ErrAlgorithmKeyMismatch)
	}
	if signer == nil {
		return nil, fmt.Errorf("dataintegrity: nil signer: %w", ErrInvalidKey)
	}
	h, err := s.Hash(signer.Public())
	if err != nil {
		return nil, err
	}
	return sign(ctx, doc, s, h, signer, nil, &opts)
}

// SignBBS adds a bbs-2023 base proof to doc, an unsecured credential (JSON), signed by
// signer (vc-di-bbs §3.4.1 Add Base Proof, baseline: no feature option), and returns the
// secured document, as Sign does. opts.Cryptosuite must be BBS2023 and opts.ToRDF set;
// opts.MandatoryPointers are what every derived proof must disclose. The base proof is
// for the holder, who derives from it (Derive) the credentials verifiers see: it carries
// the HMAC key that relabels blank nodes and the signature of every statement, and Verify
// refuses it with ErrBaseProofPresented.
func SignBBS(ctx context.Context, doc []byte, signer keys.BBSSigner, opts ProofOptions) ([]byte, error) {
	s, err := opts.check()
	if err != nil {
		return nil, err
	}
	if !s.isBBS() {
		return nil, fmt.Errorf("dataintegrity: SignBBS with cryptosuite %s: %w", s.name, ErrInvalidOptions)
	}
	if signer == nil || signer.Public() == nil {
		return nil, fmt.Errorf("dataintegrity: nil BBS signer: %w", ErrInvalidKey)
	}
	if _, err := s.bbsKey(signer.Public()); err != nil {
		return nil, err
	}
	return sign(ctx, doc, s, 0, nil, signer, &opts)
}

// sign is Add Proof for suite s with signer (h its hash) or, for bbs-2023, bbsSigner.
func sign(ctx context.Context, doc []byte, s *suite, h crypto.Hash, signer keys.Signer, bbsSigner keys.BBSSigner, opts *ProofOptions) ([]byte, error) {
	v, err := jsonx.Decode(doc, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: %w", err)
	}
	input, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("dataintegrity: document is a JSON %s, not an object: %w", jsonKind(v), ErrMalformed)
	}

	// Add Proof Set/Chain step 1-5: the proofs already there and those this one chains to.
	var all []any
	rawProof, hasProof := input["proof"]
	if hasProof {
		switch p := rawProof.(type) {
		case map[string]any:
			all = []any{p}
		case []any:
			all = p
		default:
			return nil, &ProofError{Path: "/proof", Err: invalid("proof is a JSON %s, not an object or an array", jsonKind(rawProof))}
		}
	}
	if len(all) >= MaxProofs {
		return nil, fmt.Errorf("dataintegrity: document has %d proofs already: %w", len(all), ErrTooLarge)
	}
	if s.sd && hasProof {
		return nil, fmt.Errorf("dataintegrity: an %s base proof must be the document's only proof: %w", s.name, ErrInvalidOptions)
	}
	var matching []any
	found := make(map[string]bool, len(opts.PreviousProof))
	for i, p := range all {
		obj, ok := p.(map[string]any)
		if !ok {
			return nil, &ProofError{Path: fmt.Sprintf("/proof/%d", i), Err: invalid("proof is a JSON %s, not an object", jsonKind(p))}
		}
		id, _ := obj["id"].(string)
		if opts.ID != "" && id == opts.ID {
			return nil, fmt.Errorf("dataintegrity: the document has a proof with id %q already: %w", id, ErrInvalidOptions)
		}
		if id != "" && slices.Contains(opts.PreviousProof, id) {
			matching = append(matching, obj)
			found[id] = true
		}
	}
	for _, id := range opts.PreviousProof {
		if !found[id] {
			return nil, fmt.Errorf("dataintegrity: previousProof %q names no proof of the document: %w", id, ErrInvalidOptions)
		}
	}

	unsecured := maps.Clone(input)
	delete(unsecured, "proof")
	docCtx, hasCtx := unsecured["@context"]
	ctxChanged := false
	if hasCtx && opts.Context == ContextAddIfMissing && !definesProofTerms(docCtx) {
		docCtx = append(slices.Clone(contextList(docCtx)), DataIntegrityContext)
		unsecured["@context"] = docCtx
		ctxChanged = true
	}

	created := opts.Created
	if created.IsZero() {
		created = time.Now().Truncate(time.Second)
	}
	members := []member{{"type", DataIntegrityProof}}
	members = appendIf(members, "id", opts.ID)
	members = append(members, member{"cryptosuite", s.name}, member{"created", formatDateTime(created)})
	if !opts.Expires.IsZero() {
		members = append(members, member{"expires", formatDateTime(opts.Expires)})
	}
	members = append(members, member{"verificationMethod", opts.VerificationMethod}, member{"proofPurpose", opts.ProofPurpose})
	members = appendIf(members, "challenge", opts.Challenge)
	members = appendIf(members, "domain", opts.Domain)
	members = appendIf(members, "nonce", opts.Nonce)
	switch len(opts.PreviousProof) {
	case 0:
	case 1:
		members = append(members, member{"previousProof", opts.PreviousProof[0]})
	default:
		prev := make([]any, len(opts.PreviousProof))
		for i, id := range opts.PreviousProof {
			prev[i] = id
		}
		members = append(members, member{"previousProof", prev})
	}
	if !s.rdfc && hasCtx {
		// vc-di-eddsa §3.3.1 step 2, vc-di-ecdsa §3.3.1 step 2.
		members = append(members, member{"@context", docCtx})
	}

	config := make(map[string]any, len(members)+1)
	for _, m := range members {
		config[m.name] = m.value
	}
	if s.rdfc && hasCtx {
		config["@context"] = docCtx // vc-di-eddsa §3.1.5 step 4
	}
	signed := unsecured
	if len(matching) > 0 {
		signed = maps.Clone(unsecured)
		signed["proof"] = matching
	}
	var proofValue string
	if s.isBBS() {
		var hmacKey []byte
		if opts.sdSecrets != nil {
			hmacKey = opts.sdSecrets.hmacKey
		}
		run, err := createBBSBase(ctx, signed, config, bbsSigner, opts.MandatoryPointers, hmacKey, opts.ToRDF)
		if err != nil {
			return nil, err
		}
		proofValue = run.proof.encode()
	} else if s.sd {
		run, err := createECDSASDBase(ctx, s, signed, config, signer, opts)
		if err != nil {
			return nil, err
		}
		proofValue = run.proof.encode()
	} else {
		canonConfig, err := s.Canonicalize(ctx, config, h, opts.Canonicalize)
		if err != nil {
			return nil, err
		}
		canonDoc, err := s.canonicalize(ctx, signed, h, opts.Canonicalize, len(doc))
		if err != nil {
			return nil, err
		}
		sig, err := s.SignHash(signer, s.HashData(h, canonConfig, canonDoc))
		if err != nil {
			return nil, err
		}
		proofValue = "z" + base58Encode(sig)
	}
	members = append(members, member{"proofValue", proofValue})
	newProof, err := marshalMembers(members)
	if err != nil {
		return nil, err
	}

	// The output: doc with the proof added or turned into a set.
	top := scanTopLevel(doc, "proof", "@context")
	var edits []edit
	if ctxChanged {
		b, err := jcs.Canonicalize(docCtx)
		if err != nil {
			return nil, fmt.Errorf("dataintegrity: encoding @context: %w", err)
		}
		edits = append(edits, edit{top.members["@context"], b})
	}
	if hasProof {
		ps := top.members["proof"]
		var set bytes.Buffer
		set.WriteByte('[')
		olds := []span{ps}
		if _, isArray := rawProof.([]any); isArray {
			olds = arrayElements(doc, ps)
		}
		for _, old := range olds {
			set.Write(doc[old.start:old.end])
			set.WriteByte(',')
		}
		set.Write(newProof)
		set.WriteByte(']')
		edits = append(edits, edit{ps, set.Bytes()})
	} else if top.lastEnd == 0 {
		edits = append(edits, edit{span{top.close, top.close}, append([]byte(`"proof":`), newProof...)})
	} else {
		edits = append(edits, edit{span{top.lastEnd, top.lastEnd}, append([]byte(`,"proof":`), newProof...)})
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.start - b.start })
	return applyEdits(doc, edits), nil
}

func (o *ProofOptions) check() (*suite, error) {
	s := suiteByName(o.Cryptosuite)
	switch {
	case s == nil || s.proofType != DataIntegrityProof:
		return nil, fmt.Errorf("dataintegrity: cannot sign with cryptosuite %q: %w", o.Cryptosuite, ErrUnsupportedProof)
	case s.sd && o.ToRDF == nil:
		return nil, fmt.Errorf("dataintegrity: %s needs ProofOptions.ToRDF: %w", s.name, ErrInvalidOptions)
	case s.sd && len(o.PreviousProof) > 0:
		return nil, fmt.Errorf("dataintegrity: an %s base proof cannot chain to other proofs: %w", s.name, ErrInvalidOptions)
	case !s.sd && len(o.MandatoryPointers) > 0:
		return nil, fmt.Errorf("dataintegrity: ProofOptions.MandatoryPointers with %s: %w", s.name, ErrInvalidOptions)
	case s.rdfc && !s.sd && o.Canonicalize == nil:
		return nil, fmt.Errorf("dataintegrity: %s needs ProofOptions.Canonicalize: %w", s.name, ErrInvalidOptions)
	case o.VerificationMethod == "":
		return nil, fmt.Errorf("dataintegrity: ProofOptions.VerificationMethod is empty: %w", ErrInvalidOptions)
	case o.ProofPurpose == "":
		return nil, fmt.Errorf("dataintegrity: ProofOptions.ProofPurpose is empty: %w", ErrInvalidOptions)
	case !o.Expires.IsZero() && !o.Created.IsZero() && o.Expires.Before(o.Created):
		return nil, fmt.Errorf("dataintegrity: ProofOptions.Expires before Created: %w", ErrInvalidOptions)
	case o.Context > ContextKeep:
		return nil, fmt.Errorf("dataintegrity: ProofOptions.Context %d: %w", o.Context, ErrInvalidOptions)
	}
	if _, err := did.ParseURL(o.VerificationMethod); err != nil {
		return nil, fmt.Errorf("dataintegrity: ProofOptions.VerificationMethod: %v: %w", err, ErrInvalidOptions)
	}
	for _, id := range o.PreviousProof {
		if id == "" || id == o.ID {
			return nil, fmt.Errorf("dataintegrity: ProofOptions.PreviousProof %q: %w", id, ErrInvalidOptions)
		}
	}
	return s, nil
}

func definesProofTerms(ctx any) bool {
	for _, c := range contextList(ctx) {
		if s, ok := c.(string); ok && slices.Contains(diContexts[:], s) {
			return true
		}
	}
	return false
}

type member struct {
	name  string
	value any
}

func appendIf(ms []member, name, value string) []member {
	if value == "" {
		return ms
	}
	return append(ms, member{name, value})
}

// marshalMembers writes an object with its members in the given order. Values are
// written in their JCS form, which is JSON.
func marshalMembers(ms []member) ([]byte, error) {
	b := make([]byte, 0, 512)
	b = append(b, '{')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, m.name) // names are ASCII
		b = append(b, ':')
		var err error
		if b, err = jcs.Append(b, m.value); err != nil {
			return nil, fmt.Errorf("dataintegrity: encoding the proof: %w", err)
		}
	}
	return append(b, '}'), nil
}
