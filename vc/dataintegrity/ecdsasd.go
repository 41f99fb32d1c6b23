package dataintegrity

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jsonld"
)

// ecdsa-sd-2023 (vc-di-ecdsa §3.5-3.6). The issuer signs a base proof: one signature by
// the issuer's key over the proof configuration, a proof-scoped P-256 key and the hash of
// the mandatory statements, and one signature by the proof-scoped key over every other
// statement; blank nodes are relabelled with an HMAC whose key the holder receives. The
// holder derives a proof that reveals the mandatory statements and those it selects,
// with their signatures and the label map of the revealed blank nodes. Only a derived
// proof is for verifiers: Verify refuses a base proof with ErrBaseProofPresented.
//
// Only P-256 is allowed: the specification's derived proof value has a 64-byte base
// signature and the statements are hashed with SHA-256, so a P-384 issuer key has no
// interoperable encoding (ErrAlgorithmKeyMismatch).

// MaxSDProofValue bounds the text of an ecdsa-sd-2023 or bbs-2023 proofValue, checked before
// decoding: 256 KiB is about 2,900 statement signatures, more than a credential of the
// 1 MiB document limit has statements worth disclosing one by one. More is ErrTooLarge.
const MaxSDProofValue = 256 << 10

// CBOR headers of the proof values (vc-di-ecdsa §3.5.2, §3.5.7): the bytes of a CBOR tag.
var (
	ecdsaSDBaseHeader    = [3]byte{0xd9, 0x5d, 0x00}
	ecdsaSDDerivedHeader = [3]byte{0xd9, 0x5d, 0x01}
)

const (
	p256SigSize    = 64
	p256KeySize    = 35 // Multikey: 0x80 0x24 and a compressed point
	hmacKeySize    = 32
	maxLabelNumber = 1 << 20 // c14n labels are numbered below the statement limit
)

// ecdsaSDBase holds the components of a base proof value.
type ecdsaSDBase struct {
	baseSignature     []byte
	publicKey         []byte
	hmacKey           []byte
	signatures        [][]byte
	mandatoryPointers []string
}

// ecdsaSDDerived holds the components of a derived proof value, the label map
// decompressed (canonical label such as "c14n0" -> signed label such as "u...").
type ecdsaSDDerived struct {
	baseSignature    []byte
	publicKey        []byte
	signatures       [][]byte
	labelMap         map[string]string
	mandatoryIndexes []int
}

// encode is serializeBaseProofValue (vc-di-ecdsa §3.5.2).
func (p *ecdsaSDBase) encode() string {
	w := cborWriter{b: append(make([]byte, 0, 256+len(p.signatures)*(p256SigSize+2)), ecdsaSDBaseHeader[:]...)}
	w.head(cborArray, 5)
	w.bytes(p.baseSignature)
	w.bytes(p.publicKey)
	w.bytes(p.hmacKey)
	w.head(cborArray, uint64(len(p.signatures)))
	for _, s := range p.signatures {
		w.bytes(s)
	}
	w.head(cborArray, uint64(len(p.mandatoryPointers)))
	for _, s := range p.mandatoryPointers {
		w.text(s)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(w.b)
}

// encode is serializeDerivedProofValue with compressLabelMap (vc-di-ecdsa §3.5.5,
// §3.5.7); the label map is written in ascending order of its keys.
func (p *ecdsaSDDerived) encode() (string, error) {
	type entry struct {
		n     int
		label []byte
	}
	entries := make([]entry, 0, len(p.labelMap))
	for k, v := range p.labelMap {
		n, ok := c14nNumber(k)
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(v, "u"))
		if !ok || err != nil || !strings.HasPrefix(v, "u") || len(b) != 32 {
			return "", fmt.Errorf("dataintegrity: label map entry %q -> %q cannot be compressed: %w", k, v, ErrInvalidProof)
		}
		entries = append(entries, entry{n, b})
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.n - b.n })
	w := cborWriter{b: append(make([]byte, 0, 256+len(p.signatures)*(p256SigSize+2)+len(entries)*36), ecdsaSDDerivedHeader[:]...)}
	w.head(cborArray, 5)
	w.bytes(p.baseSignature)
	w.bytes(p.publicKey)
	w.head(cborArray, uint64(len(p.signatures)))
	for _, s := range p.signatures {
		w.bytes(s)
	}
	w.head(cborMap, uint64(len(entries)))
	for _, e := range entries {
		w.head(cborUint, uint64(e.n))
		w.bytes(e.label)
	}
	w.head(cborArray, uint64(len(p.mandatoryIndexes)))
	for _, i := range p.mandatoryIndexes {
		w.head(cborUint, uint64(i))
	}
	return "u" + base64.RawURLEncoding.EncodeToString(w.b), nil
}

// c14nNumber returns n for a canonical label "c14n<n>" in its shortest decimal form.
func c14nNumber(label string) (int, bool) {
	digits, ok := strings.CutPrefix(label, "c14n")
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n >= maxLabelNumber || digits[0] == '+' {
		return 0, false
	}
	return n, true
}

// decodeSDProofValue checks and decodes the multibase base64url-no-pad text of an
// ecdsa-sd-2023 or bbs-2023 proofValue and returns its header and CBOR body.
func decodeSDProofValue(pv string) ([3]byte, []byte, error) {
	var hdr [3]byte
	if len(pv) > MaxSDProofValue {
		return hdr, nil, fmt.Errorf("dataintegrity: selective disclosure proofValue of %d characters, more than %d: %w", len(pv), MaxSDProofValue, ErrTooLarge)
	}
	text, ok := strings.CutPrefix(pv, "u")
	if !ok {
		return hdr, nil, invalid("selective disclosure proofValue is not base64url multibase (prefix u)")
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(text)
	if err != nil {
		return hdr, nil, invalid("selective disclosure proofValue is not base64url without padding")
	}
	if len(b) < 3 {
		return hdr, nil, invalid("selective disclosure proofValue has no header")
	}
	copy(hdr[:], b)
	return hdr, b[3:], nil
}

// parseECDSASDBase is parseBaseProofValue (vc-di-ecdsa §3.5.3), with every component
// checked for type and size.
func parseECDSASDBase(pv string) (*ecdsaSDBase, error) {
	hdr, body, err := decodeSDProofValue(pv)
	if err != nil {
		return nil, err
	}
	if hdr != ecdsaSDBaseHeader {
		return nil, invalid("ecdsa-sd-2023 proofValue header %x is not that of a base proof", hdr[:])
	}
	return decodeECDSASDBase(body)
}

func decodeECDSASDBase(body []byte) (*ecdsaSDBase, error) {
	r := cborReader{b: body}
	if r.array(5) != 5 {
		return nil, invalid("ecdsa-sd-2023 base proof is not a CBOR array of five components")
	}
	p := &ecdsaSDBase{
		baseSignature: r.bytes(p256SigSize),
		publicKey:     r.bytes(p256KeySize),
		hmacKey:       r.bytes(hmacKeySize),
	}
	n := r.array(len(body) / (p256SigSize + 2))
	for range n {
		p.signatures = append(p.signatures, r.bytes(p256SigSize))
	}
	n = r.array(MaxPointers)
	for range n {
		p.mandatoryPointers = append(p.mandatoryPointers, r.text())
	}
	if err := r.done(); err != nil {
		return nil, invalid("ecdsa-sd-2023 base proof: %v", err)
	}
	return p, nil
}

// parseECDSASDDerived is parseDerivedProofValue with decompressLabelMap (vc-di-ecdsa
// §3.5.6, §3.5.8). Beyond the specification's checks, label map keys must be distinct
// and its labels too, and mandatory indexes strictly ascending.
func parseECDSASDDerived(pv string) (*ecdsaSDDerived, error) {
	hdr, body, err := decodeSDProofValue(pv)
	if err != nil {
		return nil, err
	}
	switch hdr {
	case ecdsaSDDerivedHeader:
	case ecdsaSDBaseHeader:
		return nil, fmt.Errorf("dataintegrity: an ecdsa-sd-2023 base proof is for the holder, not for verifiers: %w", ErrBaseProofPresented)
	default:
		return nil, invalid("ecdsa-sd-2023 proofValue header %x is not that of a derived proof", hdr[:])
	}
	return decodeECDSASDDerived(body)
}

func decodeECDSASDDerived(body []byte) (*ecdsaSDDerived, error) {
	r := cborReader{b: body}
	if r.array(5) != 5 {
		return nil, invalid("ecdsa-sd-2023 derived proof is not a CBOR array of five components")
	}
	p := &ecdsaSDDerived{baseSignature: r.bytes(p256SigSize), publicKey: r.bytes(p256KeySize)}
	n := r.array(len(body) / (p256SigSize + 2))
	for range n {
		p.signatures = append(p.signatures, r.bytes(p256SigSize))
	}
	n = r.mapLen(len(body) / 36)
	p.labelMap = make(map[string]string, n)
	seen := make(map[string]bool, n)
	for range n {
		k := r.uint(maxLabelNumber - 1)
		v := r.bytes(32)
		if r.err != nil {
			break
		}
		key, label := "c14n"+strconv.FormatUint(k, 10), "u"+base64.RawURLEncoding.EncodeToString(v)
		if _, dup := p.labelMap[key]; dup || seen[label] {
			return nil, invalid("ecdsa-sd-2023 derived proof: label map with a repeated key or label")
		}
		p.labelMap[key], seen[label] = label, true
	}
	n = r.array(len(body))
	for range n {
		i := int(r.uint(maxLabelNumber))
		if r.err == nil && len(p.mandatoryIndexes) > 0 && i <= p.mandatoryIndexes[len(p.mandatoryIndexes)-1] {
			return nil, invalid("ecdsa-sd-2023 derived proof: mandatory indexes not in ascending order")
		}
		p.mandatoryIndexes = append(p.mandatoryIndexes, i)
	}
	if err := r.done(); err != nil {
		return nil, invalid("ecdsa-sd-2023 derived proof: %v", err)
	}
	return p, nil
}

// proofKey returns the P-256 public key of a proof-scoped Multikey (0x80 0x24 and a
// compressed point).
func proofKey(b []byte) (crypto.PublicKey, error) {
	if len(b) != p256KeySize || b[0] != 0x80 || b[1] != 0x24 {
		return nil, invalid("ecdsa-sd-2023 proof-scoped key is not a P-256 Multikey")
	}
	pub, err := keys.ParseMultikey("z" + base58Encode(b))
	if err != nil {
		return nil, invalid("ecdsa-sd-2023 proof-scoped key: %v", err)
	}
	return pub, nil
}

// multikeyBytes returns the Multikey bytes of a P-256 public key.
func multikeyBytes(pub crypto.PublicKey) ([]byte, error) {
	mk, err := keys.Multikey(pub)
	if err != nil {
		return nil, err
	}
	return base58Decode(mk[1:])
}

// sdSecrets fixes, for tests, what the issuer otherwise generates: the HMAC key and the
// proof-scoped key.
type sdSecrets struct {
	hmacKey  []byte
	proofKey keys.Signer
}

// sdProofHash returns SHA-256 of the RDFC-1.0 canonical form of a proof configuration.
func sdProofHash(ctx context.Context, config map[string]any, toRDF RDFFunc) ([]byte, error) {
	quads, err := toRDF(ctx, config)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: proof configuration to RDF: %w", err)
	}
	c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: canonicalizing the proof configuration: %w", err)
	}
	d := sha256.Sum256(c.NQuads())
	return d[:], nil
}

func hashLines(lines []string) []byte {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return h.Sum(nil)
}

func pick(lines []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, n := range idx {
		out[i] = lines[n]
	}
	return out
}

// sdSignData is serializeSignData (vc-di-ecdsa §3.5.1).
func sdSignData(proofHash, publicKey, mandatoryHash []byte) []byte {
	return slices.Concat(proofHash, publicKey, mandatoryHash)
}

// ecdsaSDBaseRun holds the intermediate values of Create Base Proof, for tests.
type ecdsaSDBaseRun struct {
	groups                   *sdGroups
	proofHash, mandatoryHash []byte
	mandatory, nonMandatory  []string
	proof                    *ecdsaSDBase
}

// createECDSASDBase runs the base proof transformation, hashing and serialization
// (vc-di-ecdsa §3.6.2-3.6.5) on an unsecured document and its proof configuration (the
// proof options with the document's @context).
func createECDSASDBase(ctx context.Context, s *suite, unsecured, config map[string]any, signer keys.Signer, opts *ProofOptions) (*ecdsaSDBaseRun, error) {
	pointers, err := parsePointers(opts.MandatoryPointers, ErrInvalidOptions)
	if err != nil {
		return nil, err
	}
	sec := opts.sdSecrets
	if sec == nil {
		sec = &sdSecrets{hmacKey: make([]byte, hmacKeySize)}
		_, _ = rand.Read(sec.hmacKey) // crypto/rand.Read never fails
		k, err := keys.Generate(keys.P256)
		if err != nil {
			return nil, fmt.Errorf("dataintegrity: proof-scoped key: %w", err)
		}
		sec.proofKey = k
	}
	run := &ecdsaSDBaseRun{}
	if run.proofHash, err = sdProofHash(ctx, config, opts.ToRDF); err != nil {
		return nil, err
	}
	run.groups, err = canonicalizeAndGroup(ctx, unsecured, opts.ToRDF, hmacLabels(sec.hmacKey),
		[]groupDef{{"mandatory", pointers, ErrInvalidOptions}})
	if err != nil {
		return nil, err
	}
	// The skolemized document must say what the document says (see skolemizer).
	plain, err := opts.ToRDF(ctx, unsecured)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: JSON-LD to RDF: %w", err)
	}
	if !sameDataset(plain, run.groups.quads) {
		return nil, fmt.Errorf("dataintegrity: ecdsa-sd-2023 cannot track the nodes of this document (a JSON literal or map container): %w", ErrUnsupportedProof)
	}
	g := run.groups.groups["mandatory"]
	run.mandatory = pick(run.groups.nquads, g.matching)
	run.nonMandatory = pick(run.groups.nquads, g.nonMatching)
	run.mandatoryHash = hashLines(run.mandatory)

	publicKey, err := multikeyBytes(sec.proofKey.Public())
	if err != nil || len(publicKey) != p256KeySize {
		return nil, fmt.Errorf("dataintegrity: the proof-scoped key is not P-256: %w", ErrInvalidKey)
	}
	p := &ecdsaSDBase{publicKey: publicKey, hmacKey: sec.hmacKey, mandatoryPointers: slices.Clone(opts.MandatoryPointers),
		signatures: make([][]byte, len(run.nonMandatory))}
	for i, l := range run.nonMandatory {
		if p.signatures[i], err = s.SignHash(sec.proofKey, []byte(l)); err != nil {
			return nil, err
		}
	}
	if p.baseSignature, err = s.SignHash(signer, sdSignData(run.proofHash, publicKey, run.mandatoryHash)); err != nil {
		return nil, err
	}
	run.proof = p
	return run, nil
}

// DeriveOptions configures Derive. ToRDF is required.
type DeriveOptions struct {
	// SelectivePointers are the JSON Pointers (RFC 6901) of what to disclose besides the
	// statements the issuer made mandatory, such as "/credentialSubject/ageOver18". Each
	// must name a member or element of the credential. Disclosing an object discloses
	// everything in it; disclosing a member of an object discloses that object's id and
	// type too. Empty discloses the mandatory statements only.
	SelectivePointers []string
	// ToRDF converts JSON-LD to RDF; see RDFFunc.
	ToRDF RDFFunc
	// PresentationHeader, for bbs-2023, is bound into the derived proof, such as a
	// verifier's nonce; the verifier reads it from the proof. Empty binds nothing; at most
	// 4096 bytes. ecdsa-sd-2023 has none and refuses it.
	PresentationHeader []byte
}

// ecdsaSDDisclosure holds the intermediate values of createDisclosureData, for tests.
type ecdsaSDDisclosure struct {
	base    *ecdsaSDBase
	groups  *sdGroups
	derived *ecdsaSDDerived
	reveal  map[string]any
	// signatureIndexes are the indexes, among the base proof's signatures, of those kept.
	signatureIndexes []int
}

// Derive turns a credential secured with an ecdsa-sd-2023 or bbs-2023 base proof into
// one that discloses only the mandatory statements and those that opts.SelectivePointers
// select, with a derived proof that a verifier checks with Verify (vc-di-ecdsa §3.6.6,
// vc-di-bbs §3.4.6 Add Derived Proof). The document must have exactly one proof, the base
// proof. Derive does not verify the base proof (see VerifyBase): for ecdsa-sd-2023 it
// fails on a base proof whose signatures do not match the document's statements; for
// bbs-2023 a base proof whose BBS signature does not match makes derived proofs that do
// not verify.
//
// ecdsa-sd-2023 derived proofs of one base proof are linkable: each carries the same base
// signature and proof-scoped key, and the HMAC labels of the revealed blank nodes, so
// verifiers that compare notes can tell they come from one credential. bbs-2023 derived
// proofs are fresh zero-knowledge proofs that share no bytes, with blank node labels
// shuffled so that only which nodes are revealed shows; the revealed statements
// themselves (an identifier, a rare value) can still link them.
//
// The output is the revealed document, with its members in JCS (RFC 8785) order and the
// base proof's members except proofValue. Errors wrap ErrInvalidOptions (options, a
// pointer that names nothing), ErrInvalidProof or ErrUnsupportedProof (the base proof),
// or the errors of opts.ToRDF and canonicalization.
func Derive(ctx context.Context, doc []byte, opts DeriveOptions) ([]byte, error) {
	if opts.ToRDF == nil {
		return nil, fmt.Errorf("dataintegrity: DeriveOptions.ToRDF is nil: %w", ErrInvalidOptions)
	}
	secured, err := decodeDocument(doc)
	if err != nil {
		return nil, err
	}
	var reveal map[string]any
	if onlyProofSuite(secured) == BBS2023 {
		d, err := deriveBBSFromBase(ctx, secured, &opts)
		if err != nil {
			return nil, err
		}
		reveal = d.reveal
	} else {
		if len(opts.PresentationHeader) > 0 {
			return nil, fmt.Errorf("dataintegrity: DeriveOptions.PresentationHeader with %s: %w", ECDSASD2023, ErrInvalidOptions)
		}
		d, err := deriveECDSASDObject(ctx, secured, &opts)
		if err != nil {
			return nil, err
		}
		reveal = d.reveal
	}
	out, err := jcs.Canonicalize(reveal)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: encoding the revealed document: %w", err)
	}
	return out, nil
}

// baseProofOf returns the one proof of a document and its ecdsa-sd-2023 base proof value.
func baseProofOf(secured map[string]any) (map[string]any, *ecdsaSDBase, error) {
	proofs, err := collectProofs(secured)
	if err != nil {
		return nil, nil, err
	}
	if len(proofs) != 1 {
		return nil, nil, fmt.Errorf("dataintegrity: a base proof must be the document's only proof, it has %d: %w", len(proofs), ErrUnsupportedProof)
	}
	obj, ok := proofs[0].(map[string]any)
	if !ok {
		return nil, nil, invalid("proof is a JSON %s, not an object", jsonKind(proofs[0]))
	}
	if obj["type"] != DataIntegrityProof || obj["cryptosuite"] != ECDSASD2023 {
		return nil, nil, fmt.Errorf("dataintegrity: the proof is not an ecdsa-sd-2023 DataIntegrityProof: %w", ErrUnsupportedProof)
	}
	pv, ok := obj["proofValue"].(string)
	if !ok {
		return nil, nil, invalid("proof without a string proofValue")
	}
	base, err := parseECDSASDBase(pv)
	if err != nil {
		return nil, nil, err
	}
	return obj, base, nil
}

// decodeDocument decodes a secured document, which must be a JSON object.
func decodeDocument(doc []byte) (map[string]any, error) {
	v, err := jsonx.Decode(doc, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: %w", err)
	}
	secured, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("dataintegrity: document is a JSON %s, not an object: %w", jsonKind(v), ErrMalformed)
	}
	return secured, nil
}

// onlyProofSuite returns the cryptosuite of a document's proof when it has one proof
// object with a string cryptosuite, and "" otherwise.
func onlyProofSuite(secured map[string]any) string {
	p, ok := secured["proof"].(map[string]any)
	if !ok {
		if set, isSet := secured["proof"].([]any); isSet && len(set) == 1 {
			p, ok = set[0].(map[string]any)
		}
	}
	if !ok {
		return ""
	}
	cs, _ := p["cryptosuite"].(string)
	return cs
}

func deriveECDSASD(ctx context.Context, doc []byte, opts *DeriveOptions) (*ecdsaSDDisclosure, error) {
	if opts.ToRDF == nil {
		return nil, fmt.Errorf("dataintegrity: DeriveOptions.ToRDF is nil: %w", ErrInvalidOptions)
	}
	secured, err := decodeDocument(doc)
	if err != nil {
		return nil, err
	}
	return deriveECDSASDObject(ctx, secured, opts)
}

func deriveECDSASDObject(ctx context.Context, secured map[string]any, opts *DeriveOptions) (*ecdsaSDDisclosure, error) {
	selective, err := parsePointers(opts.SelectivePointers, ErrInvalidOptions)
	if err != nil {
		return nil, err
	}
	proofObj, base, err := baseProofOf(secured)
	if err != nil {
		return nil, err
	}
	mandatory, err := parsePointers(base.mandatoryPointers, ErrInvalidProof)
	if err != nil {
		return nil, err
	}
	unsecured := withoutMember(secured, "proof")
	combined := slices.Concat(mandatory, selective)
	groups, err := canonicalizeAndGroup(ctx, unsecured, opts.ToRDF, hmacLabels(base.hmacKey), []groupDef{
		{"mandatory", mandatory, ErrInvalidProof},
		{"selective", selective, ErrInvalidOptions},
		{"combined", combined, ErrInvalidOptions},
	})
	if err != nil {
		return nil, err
	}
	gm, gs, gc := groups.groups["mandatory"], groups.groups["selective"], groups.groups["combined"]
	if len(base.signatures) != len(gm.nonMatching) {
		return nil, invalid("ecdsa-sd-2023 base proof has %d signatures for %d non-mandatory statements", len(base.signatures), len(gm.nonMatching))
	}
	if len(gc.matching) == 0 {
		return nil, fmt.Errorf("dataintegrity: nothing to disclose: %w", ErrInvalidOptions)
	}

	d := &ecdsaSDDisclosure{base: base, groups: groups,
		derived: &ecdsaSDDerived{baseSignature: base.baseSignature, publicKey: base.publicKey}}
	for rel, abs := range gc.matching {
		if gm.matches(abs) {
			d.derived.mandatoryIndexes = append(d.derived.mandatoryIndexes, rel)
		}
	}
	// The signatures of the selected non-mandatory statements, in statement order.
	for i, abs := range gm.nonMatching {
		if gs.matches(abs) {
			d.derived.signatures = append(d.derived.signatures, base.signatures[i])
			d.signatureIndexes = append(d.signatureIndexes, i)
		}
	}

	reveal, err := selectJSONLD(unsecured, combined)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: %v: %w", err, ErrInvalidOptions)
	}
	c, err := jsonld.Canonicalize(ctx, gc.deskolemized, jsonld.CanonOptions{})
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: canonicalizing the revealed statements: %w", err)
	}
	d.derived.labelMap = make(map[string]string, len(c.Issued))
	for in, c14n := range c.Issued {
		d.derived.labelMap[c14n] = groups.labelMap[in]
	}
	pv, err := d.derived.encode()
	if err != nil {
		return nil, err
	}
	newProof := maps.Clone(proofObj)
	newProof["proofValue"] = pv
	reveal["proof"] = newProof
	d.reveal = reveal
	return d, nil
}

func withoutMember(m map[string]any, name string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != name {
			out[k] = v
		}
	}
	return out
}

// ecdsaSDVerifyData holds the intermediate values of createVerifyData, for tests.
type ecdsaSDVerifyData struct {
	proofHash, mandatoryHash []byte
	nquads, nonMandatory     []string
	derived                  *ecdsaSDDerived
}

// createECDSASDVerifyData is createVerifyData (vc-di-ecdsa §3.5.9): the revealed
// document's statements relabelled with the proof's label map, split by the mandatory
// indexes. Every blank node must have a label, every label a blank node, and every
// mandatory index a statement; otherwise the document is not the one the proof was
// derived for, ErrInvalidSignature.
func createECDSASDVerifyData(ctx context.Context, unsecured, config map[string]any, dp *ecdsaSDDerived, toRDF RDFFunc) (*ecdsaSDVerifyData, error) {
	vd := &ecdsaSDVerifyData{derived: dp}
	var err error
	if vd.proofHash, err = sdProofHash(ctx, config, toRDF); err != nil {
		return nil, err
	}
	quads, err := toRDF(ctx, unsecured)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: JSON-LD to RDF: %w", err)
	}
	var blank int
	vd.nquads, _, err = canonicalizeQuads(ctx, quads, func(ids map[string]string) (map[string]string, error) {
		blank = len(ids)
		return labelMapLabels(dp.labelMap)(ids)
	})
	if err != nil {
		return nil, err
	}
	if blank != len(dp.labelMap) {
		return nil, fmt.Errorf("dataintegrity: ecdsa-sd-2023 label map has %d labels for %d blank nodes: %w", len(dp.labelMap), blank, ErrInvalidSignature)
	}
	var mandatory []string
	next := 0
	for i, l := range vd.nquads {
		if next < len(dp.mandatoryIndexes) && dp.mandatoryIndexes[next] == i {
			mandatory = append(mandatory, l)
			next++
		} else {
			vd.nonMandatory = append(vd.nonMandatory, l)
		}
	}
	if next != len(dp.mandatoryIndexes) {
		return nil, fmt.Errorf("dataintegrity: ecdsa-sd-2023 mandatory index %d beyond the %d statements: %w", dp.mandatoryIndexes[next], len(vd.nquads), ErrInvalidSignature)
	}
	vd.mandatoryHash = hashLines(mandatory)
	return vd, nil
}

// sdConfig is the proof configuration of an ecdsa-sd-2023 proof: the proof without
// proofValue, with the document's @context (vc-di-ecdsa §3.6.4).
func sdConfig(proofObj, unsecured map[string]any) map[string]any {
	config := withoutMember(proofObj, "proofValue")
	if c, ok := unsecured["@context"]; ok {
		config["@context"] = c
	} else {
		delete(config, "@context")
	}
	return config
}

// verifyECDSASD is Verify Derived Proof (vc-di-ecdsa §3.6.7) for the issuer's key pub:
// the base signature over the proof configuration, the proof-scoped key and the
// mandatory statements, then the signature of every other revealed statement.
func verifyECDSASD(ctx context.Context, s *suite, pub crypto.PublicKey, unsecured, proofObj map[string]any, dp *ecdsaSDDerived, toRDF RDFFunc) error {
	if toRDF == nil {
		return fmt.Errorf("dataintegrity: %s needs VerifyOptions.ToRDF, none configured: %w", s.name, ErrUnsupportedProof)
	}
	if _, err := s.Hash(pub); err != nil {
		return err
	}
	ephemeral, err := proofKey(dp.publicKey)
	if err != nil {
		return err
	}
	vd, err := createECDSASDVerifyData(ctx, unsecured, sdConfig(proofObj, unsecured), dp, toRDF)
	if err != nil {
		return err
	}
	if len(dp.signatures) != len(vd.nonMandatory) {
		return fmt.Errorf("dataintegrity: %d statement signatures for %d non-mandatory statements: %w", len(dp.signatures), len(vd.nonMandatory), ErrInvalidSignature)
	}
	if err := s.VerifyHash(pub, sdSignData(vd.proofHash, dp.publicKey, vd.mandatoryHash), dp.baseSignature); err != nil {
		return err
	}
	for i, sig := range dp.signatures {
		if err := s.VerifyHash(ephemeral, []byte(vd.nonMandatory[i]), sig); err != nil {
			return fmt.Errorf("dataintegrity: statement signature %d: %w", i, err)
		}
	}
	return nil
}

// verifyECDSASDBase checks a base proof for the holder: the base signature over the
// proof configuration, the proof-scoped key and the mandatory statements the proof's
// pointers select, and the signature of every other statement.
func verifyECDSASDBase(ctx context.Context, s *suite, pub crypto.PublicKey, unsecured, proofObj map[string]any, base *ecdsaSDBase, toRDF RDFFunc) error {
	if toRDF == nil {
		return fmt.Errorf("dataintegrity: %s needs VerifyOptions.ToRDF, none configured: %w", s.name, ErrUnsupportedProof)
	}
	if _, err := s.Hash(pub); err != nil {
		return err
	}
	ephemeral, err := proofKey(base.publicKey)
	if err != nil {
		return err
	}
	pointers, err := parsePointers(base.mandatoryPointers, ErrInvalidProof)
	if err != nil {
		return err
	}
	proofHash, err := sdProofHash(ctx, sdConfig(proofObj, unsecured), toRDF)
	if err != nil {
		return err
	}
	groups, err := canonicalizeAndGroup(ctx, unsecured, toRDF, hmacLabels(base.hmacKey), []groupDef{{"mandatory", pointers, ErrInvalidProof}})
	if err != nil {
		return err
	}
	g := groups.groups["mandatory"]
	if len(base.signatures) != len(g.nonMatching) {
		return fmt.Errorf("dataintegrity: %d statement signatures for %d non-mandatory statements: %w", len(base.signatures), len(g.nonMatching), ErrInvalidSignature)
	}
	mandatoryHash := hashLines(pick(groups.nquads, g.matching))
	if err := s.VerifyHash(pub, sdSignData(proofHash, base.publicKey, mandatoryHash), base.baseSignature); err != nil {
		return err
	}
	for i, n := range g.nonMatching {
		if err := s.VerifyHash(ephemeral, []byte(groups.nquads[n]), base.signatures[i]); err != nil {
			return fmt.Errorf("dataintegrity: statement signature %d: %w", i, err)
		}
	}
	return nil
}

// VerifyBase checks the ecdsa-sd-2023 or bbs-2023 base proof of a credential, as its
// holder may before keeping it or deriving from it. For ecdsa-sd-2023: the issuer's
// signature over the proof configuration, the proof-scoped key and the statements the
// proof's mandatory pointers select, and the proof-scoped signature of every other
// statement. For bbs-2023: the BBS header (the hashes of the proof configuration and of
// the mandatory statements) and the issuer's BBS signature over it and every other
// statement. The document must have exactly that
// one proof; opts applies as in Verify (purpose, time, allowed suites, key resolution),
// and opts.ToRDF is required.
//
// A base proof is never a verifier's evidence: Verify refuses it with
// ErrBaseProofPresented, and so must any verifier that calls VerifyBase.
func VerifyBase(ctx context.Context, doc []byte, opts VerifyOptions) (*Result, error) {
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
	if len(proofs) != 1 {
		return nil, fmt.Errorf("dataintegrity: a base proof must be the document's only proof, it has %d: %w", len(proofs), ErrUnsupportedProof)
	}
	const path = "/proof"
	p, err := parseProof(path, proofs[0])
	if err == nil && !p.isBase() {
		err = fmt.Errorf("dataintegrity: not an ecdsa-sd-2023 or bbs-2023 base proof: %w", ErrUnsupportedProof)
	}
	if err == nil {
		err = pol.check(p)
	}
	if err != nil {
		return nil, &ProofError{Path: path, Err: err}
	}
	pub, err := pol.Key(ctx, p.vm, p.purpose)
	if err == nil && pub == nil {
		err = fmt.Errorf("dataintegrity: no key for %s: %w", p.vm, ErrInvalidKey)
	}
	if err != nil {
		return nil, &ProofError{Path: path, Err: fmt.Errorf("dataintegrity: verification method %s: %w", p.vm, err)}
	}
	if p.bbsBase != nil {
		k, kerr := p.suite.bbsKey(pub)
		if kerr == nil {
			kerr = verifyBBSBase(ctx, k, withoutMember(secured, "proof"), p.obj, p.bbsBase, pol.ToRDF)
		}
		if kerr != nil {
			return nil, &ProofError{Path: path, Err: kerr}
		}
	} else if err := verifyECDSASDBase(ctx, p.suite, pub, withoutMember(secured, "proof"), p.obj, p.sdBase, pol.ToRDF); err != nil {
		return nil, &ProofError{Path: path, Err: err}
	}
	return &Result{Proofs: []VerifiedProof{{
		Type: p.typ, Cryptosuite: p.cryptosuite, VerificationMethod: p.vm, Key: pub,
		Purpose: p.purpose, ID: p.id, Created: p.created, Expires: p.expires,
	}}}, nil
}
