package dataintegrity

import (
	"context"
	"crypto"
	"crypto/subtle"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// DefaultSkew is the clock skew Verify allows when VerifyOptions.Skew is zero.
const DefaultSkew = 60 * time.Second

// KeyFunc returns the public key of a proof's verification method, a DID URL, after
// checking that it may be used for purpose (the proof's proofPurpose, which Verify has
// already compared with VerifyOptions.Purpose): the facade dereferences the DID URL and
// requires the verification method under that relationship of the DID document. It
// returns an error wrapping a sentinel (errs.ErrVerificationMethodNotFound,
// errs.ErrVerificationRelationship, ...) when it cannot.
type KeyFunc func(ctx context.Context, verificationMethod, purpose string) (crypto.PublicKey, error)

// VerifyOptions configures Verify. Key and Purpose are required; the zero value of every
// other field is the safe default.
type VerifyOptions struct {
	// Key resolves verification methods. Required.
	Key KeyFunc
	// Purpose is the proofPurpose every proof must have: PurposeAssertionMethod for
	// credentials, PurposeAuthentication for presentations. Required.
	Purpose string
	// Challenge and Domain are the values the verifier issued for this presentation.
	// When Purpose is PurposeAuthentication both are required, and every proof must carry
	// exactly them (a domain given as an array must hold Domain alone). For other purposes
	// they are checked when set and ignored when empty. Compared in constant time.
	Challenge, Domain string
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// Skew is the clock skew allowed for created (in the future) and expires (in the
	// past). If 0, DefaultSkew; negative is an error.
	Skew time.Duration
	// Canonicalize converts JSON-LD to canonical N-Quads for the RDFC suites. If nil,
	// proofs of those suites are ErrUnsupportedProof; the JCS suites never use it.
	Canonicalize Canonicalizer
	// ToRDF converts JSON-LD to RDF for ecdsa-sd-2023 and bbs-2023, whose derived proofs
	// need the statements themselves. If nil, those proofs are ErrUnsupportedProof.
	ToRDF RDFFunc
	// AllowedSuites lists the suite names (Suite.Name) accepted. If empty, every suite
	// of Suites. A proof of an implemented suite not listed is ErrAlgorithmNotAllowed;
	// names this package does not implement are an error.
	AllowedSuites []string
}

// Result lists the proofs of a document that verified: all of them, in document order.
type Result struct {
	Proofs []VerifiedProof
}

// VerifiedProof describes one verified proof.
type VerifiedProof struct {
	Type        string // DataIntegrityProof or Ed25519Signature2020
	Cryptosuite string // empty for Ed25519Signature2020
	// VerificationMethod is the DID URL that Key resolved, and Key its key.
	VerificationMethod string
	Key                crypto.PublicKey
	Purpose            string
	ID                 string    // the proof's id, if any
	Created, Expires   time.Time // zero when absent
	// PreviousProof lists the ids of the proofs this one chains to; they verified too.
	PreviousProof []string
	// UnsignedContexts counts the entries at the end of the document's @context that the
	// proof does not cover. Only JCS proofs can have them: their @context need only be a
	// prefix of the document's, so that later proofs of a set may add contexts (vc-di-eddsa
	// §3.3.2). A verifier that interprets JSON-LD terms must not trust those entries.
	UnsignedContexts int
	// PresentationHeader is the presentation header a bbs-2023 derived proof is bound
	// to (the holder's choice, typically the verifier's nonce), or nil. The proof binds
	// it; comparing it with what the verifier asked for is the caller's to do.
	PresentationHeader []byte
}

type verifyPolicy struct {
	VerifyOptions
	now     time.Time
	skew    time.Duration
	allowed []*suite
}

func (o *VerifyOptions) policy() (*verifyPolicy, error) {
	if o.Key == nil {
		return nil, fmt.Errorf("dataintegrity: VerifyOptions.Key is nil: %w", ErrInvalidOptions)
	}
	if o.Purpose == "" {
		return nil, fmt.Errorf("dataintegrity: VerifyOptions.Purpose is empty: %w", ErrInvalidOptions)
	}
	if o.Purpose == PurposeAuthentication && (o.Challenge == "" || o.Domain == "") {
		return nil, fmt.Errorf("dataintegrity: authentication proofs need the expected challenge and domain: %w", ErrInvalidOptions)
	}
	if o.Skew < 0 {
		return nil, fmt.Errorf("dataintegrity: negative skew: %w", ErrInvalidOptions)
	}
	p := &verifyPolicy{VerifyOptions: *o, skew: o.Skew}
	if p.skew == 0 {
		p.skew = DefaultSkew
	}
	if o.Now != nil {
		p.now = o.Now()
	} else {
		p.now = time.Now()
	}
	if len(o.AllowedSuites) == 0 {
		p.allowed = implemented[:]
	}
	for _, name := range o.AllowedSuites {
		s := suiteByName(name)
		if s == nil {
			return nil, fmt.Errorf("dataintegrity: AllowedSuites: %q is not implemented: %w", name, ErrInvalidOptions)
		}
		p.allowed = append(p.allowed, s)
	}
	return p, nil
}

// Verify checks every proof of a secured document (Data Integrity 1.0 §4.4 Verify Proof
// and §4.5 Verify Proof Sets and Chains) and returns them. It passes only when every
// proof passes: a proof set with one bad proof is an error. A proof with previousProof
// signs the document together with the proofs it names, which must exist and verify.
//
// For each proof, in this order: its members are checked (a known type and cryptosuite,
// allowed; verificationMethod a DID URL; created and expires XML Schema dateTimes;
// proofValue base58btc multibase of the suite's length), then proofPurpose against
// opts.Purpose, challenge and domain against the expected values, created and expires
// against the clock; only then is the key resolved (opts.Key), matched to the suite, and
// the signature checked over the suite's hash data. Every proof is checked before any key
// is resolved, so a malformed proof costs no resolution.
//
// The document must be strict JSON (internal/jsonx: at most 1 MiB and 64 levels,
// duplicate names rejected). On error the result is nil and the error wraps one
// sentinel; failures of a proof are a *ProofError naming it. Verify is safe for
// concurrent use; it calls opts.Key and opts.Canonicalize from the calling goroutine.
func Verify(ctx context.Context, doc []byte, opts VerifyOptions) (*Result, error) {
	pol, err := opts.policy()
	if err != nil {
		return nil, err
	}
	v, err := jsonx.Decode(doc, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: %w", err)
	}
	secured, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("dataintegrity: document is a JSON %s, not an object: %w", jsonKind(v), ErrMalformed)
	}
	proofs, err := collectProofs(secured)
	if err != nil {
		return nil, err
	}
	parsed := make([]*proof, len(proofs))
	for i, pv := range proofs {
		path := "/proof"
		if _, set := secured["proof"].([]any); set {
			path += "/" + strconv.Itoa(i)
		}
		p, err := parseProof(path, pv)
		if err == nil && p.isBase() {
			err = fmt.Errorf("dataintegrity: a base proof (%s) is for the holder, not for verifiers: %w", p.suite.name, ErrBaseProofPresented)
		}
		if err == nil {
			err = pol.check(p)
		}
		if err != nil {
			return nil, &ProofError{Path: path, Err: err}
		}
		parsed[i] = p
	}
	chains, err := resolveChains(parsed)
	if err != nil {
		return nil, err
	}

	unsecured := make(map[string]any, len(secured))
	for k, val := range secured {
		if k != "proof" {
			unsecured[k] = val
		}
	}
	vr := verifier{pol: pol, proofs: proofs, unsecured: unsecured, size: len(doc)}
	res := &Result{Proofs: make([]VerifiedProof, len(parsed))}
	for i, p := range parsed {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("dataintegrity: %w", err)
		}
		if err := vr.verify(ctx, p, chains[i], &res.Proofs[i]); err != nil {
			return nil, &ProofError{Path: p.path, Err: err}
		}
	}
	return res, nil
}

// collectProofs returns the proof of a document as a list (Data Integrity 1.0 §2.1: one
// object or an unordered set of them).
func collectProofs(doc map[string]any) ([]any, error) {
	raw, ok := doc["proof"]
	if !ok {
		return nil, fmt.Errorf("dataintegrity: document has no proof: %w", ErrMissingProof)
	}
	var proofs []any
	switch p := raw.(type) {
	case map[string]any:
		proofs = []any{p}
	case []any:
		if len(p) == 0 {
			return nil, fmt.Errorf("dataintegrity: empty proof set: %w", ErrMissingProof)
		}
		proofs = p
	default:
		return nil, &ProofError{Path: "/proof", Err: invalid("proof is a JSON %s, not an object or an array", jsonKind(raw))}
	}
	if len(proofs) > MaxProofs {
		return nil, fmt.Errorf("dataintegrity: %d proofs, more than %d: %w", len(proofs), MaxProofs, ErrTooLarge)
	}
	return proofs, nil
}

// check applies the verifier's policy to a parsed proof: suite allowed, purpose,
// challenge, domain, time (Data Integrity 1.0 §4.4 steps 4-7).
func (pol *verifyPolicy) check(p *proof) error {
	if !slices.Contains(pol.allowed, p.suite) {
		return fmt.Errorf("dataintegrity: suite %s not allowed: %w", p.suite.name, ErrAlgorithmNotAllowed)
	}
	if p.purpose != pol.Purpose {
		return fmt.Errorf("dataintegrity: proofPurpose %.64q, want %q: %w", p.purpose, pol.Purpose, ErrProofPurpose)
	}
	if pol.Challenge != "" && (p.challenge == nil || !equalSecret(*p.challenge, pol.Challenge)) {
		return fmt.Errorf("dataintegrity: challenge missing or different: %w", ErrChallengeMismatch)
	}
	if pol.Domain != "" {
		ok := p.domain != nil && equalSecret(*p.domain, pol.Domain)
		if p.domains != nil { // a set of domains must be the set {Domain}
			ok = true
			for _, d := range p.domains {
				ok = equalSecret(d, pol.Domain) && ok
			}
		}
		if !ok {
			return fmt.Errorf("dataintegrity: domain missing or different: %w", ErrDomainMismatch)
		}
	}
	if p.hasCreated && p.created.After(pol.now.Add(pol.skew)) {
		return fmt.Errorf("dataintegrity: created %s is in the future: %w", p.created.Format(time.RFC3339), ErrIssuedInFuture)
	}
	if p.hasExpires && pol.now.After(p.expires.Add(pol.skew)) {
		return fmt.Errorf("dataintegrity: proof expired at %s: %w", p.expires.Format(time.RFC3339), ErrExpired)
	}
	return nil
}

func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// resolveChains returns, for each proof, the indexes of the proofs its previousProof
// names, in document order (Data Integrity 1.0 §4.5 step 3.1-3.2).
func resolveChains(ps []*proof) ([][]int, error) {
	ids := make(map[string]int, len(ps))
	for i, p := range ps {
		if p.id == "" {
			continue
		}
		if _, dup := ids[p.id]; dup {
			return nil, &ProofError{Path: p.path, Err: invalid("two proofs with id %.64q", p.id)}
		}
		ids[p.id] = i
	}
	chains := make([][]int, len(ps))
	for i, p := range ps {
		for _, prev := range p.previous {
			j, ok := ids[prev]
			if !ok {
				return nil, &ProofError{Path: p.path, Err: invalid("previousProof %.64q names no proof of the document", prev)}
			}
			if j == i {
				return nil, &ProofError{Path: p.path, Err: invalid("previousProof names the proof itself")}
			}
			if !slices.Contains(chains[i], j) {
				chains[i] = append(chains[i], j)
			}
		}
		slices.Sort(chains[i])
	}
	return chains, nil
}

type verifier struct {
	pol       *verifyPolicy
	proofs    []any          // the proof objects as decoded
	unsecured map[string]any // the document without proof
	size      int            // of the secured document: bounds its canonical form
	digests   map[digestKey][]byte
}

// digestKey names a variant of the document that proofs of a set may share: the
// canonicalization, the hash, and what the document holds besides the unsecured one (the
// proofs of a chain, the @context of a JCS proof).
type digestKey struct {
	rdfc bool
	hash crypto.Hash
	doc  string
}

func (vr *verifier) verify(ctx context.Context, p *proof, chain []int, out *VerifiedProof) error {
	pub, err := vr.pol.Key(ctx, p.vm, p.purpose)
	if err != nil {
		return fmt.Errorf("dataintegrity: verification method %s: %w", p.vm, err)
	}
	if pub == nil {
		return fmt.Errorf("dataintegrity: no key for %s: %w", p.vm, ErrInvalidKey)
	}
	s := p.suite
	if s.sd {
		if len(chain) > 0 {
			return fmt.Errorf("dataintegrity: %s proof with previousProof: %w", s.name, ErrUnsupportedProof)
		}
		if s.isBBS() {
			k, err := s.bbsKey(pub)
			if err != nil {
				return err
			}
			err = verifyBBS(ctx, k, vr.unsecured, p.obj, p.bbsDerived, vr.pol.ToRDF)
			if err != nil {
				return err
			}
		} else if err := verifyECDSASD(ctx, s, pub, vr.unsecured, p.obj, p.sdDerived, vr.pol.ToRDF); err != nil {
			return err
		}
		*out = VerifiedProof{
			Type: p.typ, Cryptosuite: p.cryptosuite, VerificationMethod: p.vm, Key: pub,
			Purpose: p.purpose, ID: p.id, Created: p.created, Expires: p.expires,
		}
		if s.isBBS() && len(p.bbsDerived.presentationHeader) > 0 {
			out.PresentationHeader = slices.Clone(p.bbsDerived.presentationHeader)
		}
		return nil
	}
	h, err := s.Hash(pub)
	if err != nil {
		return err
	}
	if _, size, _ := s.algorithm(pub); len(p.value) != size {
		return invalid("proofValue of %d bytes for a key with %d-byte signatures", len(p.value), size)
	}

	// The document the proof signed (the unsecured document, with the proofs it chains
	// to) and its proof configuration (the proof without proofValue).
	doc := vr.unsecured
	docKey := ""
	if len(chain) > 0 {
		doc = maps.Clone(doc)
		prev := make([]any, len(chain))
		for i, j := range chain {
			prev[i] = vr.proofs[j]
		}
		doc["proof"] = prev
		docKey = fmt.Sprint(chain)
	}
	config := make(map[string]any, len(p.obj))
	for k, val := range p.obj {
		if k != "proofValue" {
			config[k] = val
		}
	}
	unsigned := 0
	if s.rdfc {
		// vc-di-eddsa §3.1.5, vc-di-ecdsa §3.2.5: the proof configuration takes the
		// document's @context.
		if c, ok := doc["@context"]; ok {
			config["@context"] = c
		} else {
			delete(config, "@context")
		}
	} else if p.hasContext {
		// vc-di-eddsa §3.3.2, vc-di-ecdsa §3.3.2: the document's @context must start with
		// the proof's, and the proof signed the document with that @context.
		pc := p.obj["@context"]
		n, err := contextPrefix(doc["@context"], pc)
		if err != nil {
			return err
		}
		unsigned = n
		if n > 0 || !reflect.DeepEqual(doc["@context"], pc) {
			if len(chain) == 0 {
				doc = maps.Clone(doc)
			}
			doc["@context"] = pc
			ck, err := jcs.Canonicalize(pc)
			if err != nil {
				return invalid("proof @context: %v", err)
			}
			docKey += "@" + string(ck)
		}
	}

	canonConfig, err := s.Canonicalize(ctx, config, h, vr.pol.Canonicalize)
	if err != nil {
		return err
	}
	key := digestKey{s.rdfc, h, docKey}
	docDigest, ok := vr.digests[key]
	if !ok {
		canonDoc, err := s.canonicalize(ctx, doc, h, vr.pol.Canonicalize, vr.size)
		if err != nil {
			return err
		}
		docDigest = appendDigest(nil, h, canonDoc)
		if vr.digests == nil {
			vr.digests = make(map[digestKey][]byte, 1)
		}
		vr.digests[key] = docDigest
	}
	hashData := appendDigest(make([]byte, 0, 2*h.Size()), h, canonConfig)
	hashData = append(hashData, docDigest...)
	if err := s.VerifyHash(pub, hashData, p.value); err != nil {
		return err
	}

	*out = VerifiedProof{
		Type: p.typ, Cryptosuite: p.cryptosuite, VerificationMethod: p.vm, Key: pub,
		Purpose: p.purpose, ID: p.id, Created: p.created, Expires: p.expires,
		PreviousProof: p.previous, UnsignedContexts: unsigned,
	}
	return nil
}

// contextPrefix checks that the document's @context starts with the entries of the
// proof's, in order (a single value counts as a list of one), and returns how many
// document entries follow them.
func contextPrefix(docCtx, proofCtx any) (int, error) {
	d, p := contextList(docCtx), contextList(proofCtx)
	if len(p) > len(d) {
		return 0, invalid("proof @context has %d entries, the document %d", len(p), len(d))
	}
	for i := range p {
		if !reflect.DeepEqual(d[i], p[i]) {
			return 0, invalid("proof @context entry %d differs from the document's", i)
		}
	}
	return len(d) - len(p), nil
}

func contextList(c any) []any {
	switch x := c.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{c}
}
