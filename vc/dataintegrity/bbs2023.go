package dataintegrity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/jsonld"
)

// bbs-2023 (vc-di-bbs §3), baseline: no feature option. The issuer signs, with one BBS
// signature, the proof configuration hash and the hash of the mandatory statements as the
// BBS header and every other statement as a BBS message; blank nodes are relabelled with
// an HMAC whose key the holder receives, then shuffled to "b<n>" labels so that the
// labels do not reveal the HMAC ordering of undisclosed nodes. The holder derives a BBS
// proof that discloses the mandatory statements and those it selects, bound to a
// presentation header. Only a derived proof is for verifiers.
//
// BBS is draft-irtf-cfrg-bbs-signatures-06, ciphersuite BLS12-381-SHA-256, reached
// through the BLS12-381 G2 keys of package keys.

// CBOR headers of the baseline proof values (vc-di-bbs §3.3.2, §3.3.5).
var (
	bbsBaseHeader    = [3]byte{0xd9, 0x5d, 0x02}
	bbsDerivedHeader = [3]byte{0xd9, 0x5d, 0x03}
)

const (
	bbsSignatureSize = 80
	bbsHeaderSize    = 64 // proofHash || mandatoryHash
	bbsPublicKeySize = 96
	// bbsMaxPresentationHeader bounds the presentation header a derived proof carries.
	bbsMaxPresentationHeader = 4096
)

// bbsBase holds the components of a bbs-2023 base proof value.
type bbsBase struct {
	signature         []byte
	header            []byte
	publicKey         []byte
	hmacKey           []byte
	mandatoryPointers []string
}

// bbsDerived holds the components of a bbs-2023 derived proof value, the label map
// decompressed (canonical label such as "c14n0" -> signed label such as "b3").
type bbsDerived struct {
	proof              []byte
	labelMap           map[string]string
	mandatoryIndexes   []int
	selectiveIndexes   []int
	presentationHeader []byte
}

// encode is serializeBaseProofValue (vc-di-bbs §3.3.2).
func (p *bbsBase) encode() string {
	w := cborWriter{b: append(make([]byte, 0, 320), bbsBaseHeader[:]...)}
	w.head(cborArray, 5)
	w.bytes(p.signature)
	w.bytes(p.header)
	w.bytes(p.publicKey)
	w.bytes(p.hmacKey)
	w.head(cborArray, uint64(len(p.mandatoryPointers)))
	for _, s := range p.mandatoryPointers {
		w.text(s)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(w.b)
}

// decodeBBSBase is parseBaseProofValue (vc-di-bbs §3.3.3), every component checked for
// type and size.
func decodeBBSBase(body []byte) (*bbsBase, error) {
	r := cborReader{b: body}
	if r.array(5) != 5 {
		return nil, invalid("bbs-2023 base proof is not a CBOR array of five components")
	}
	p := &bbsBase{
		signature: r.bytes(bbsSignatureSize),
		header:    r.bytes(bbsHeaderSize),
		publicKey: r.bytes(bbsPublicKeySize),
		hmacKey:   r.bytes(hmacKeySize),
	}
	n := r.array(MaxPointers)
	for range n {
		p.mandatoryPointers = append(p.mandatoryPointers, r.text())
	}
	if err := r.done(); err != nil {
		return nil, invalid("bbs-2023 base proof: %v", err)
	}
	return p, nil
}

// bNumber returns n for a shuffled label "b<n>" in its shortest decimal form.
func bNumber(label string) (int, bool) {
	digits, ok := strings.CutPrefix(label, "b")
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n >= maxLabelNumber {
		return 0, false
	}
	return n, true
}

// encode is serializeDerivedProofValue with compressLabelMap (vc-di-bbs §3.3.5-3.3.6):
// the label map as CBOR unsigned integers, canonical number -> shuffled number, in
// ascending order of its keys.
func (p *bbsDerived) encode() (string, error) {
	type entry struct{ k, v int }
	entries := make([]entry, 0, len(p.labelMap))
	for k, v := range p.labelMap {
		kn, ok1 := c14nNumber(k)
		vn, ok2 := bNumber(v)
		if !ok1 || !ok2 {
			return "", fmt.Errorf("dataintegrity: label map entry %q -> %q cannot be compressed: %w", k, v, ErrInvalidProof)
		}
		entries = append(entries, entry{kn, vn})
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.k - b.k })
	w := cborWriter{b: append(make([]byte, 0, 64+len(p.proof)+8*len(entries)+4*(len(p.mandatoryIndexes)+len(p.selectiveIndexes))), bbsDerivedHeader[:]...)}
	w.head(cborArray, 5)
	w.bytes(p.proof)
	w.head(cborMap, uint64(len(entries)))
	for _, e := range entries {
		w.head(cborUint, uint64(e.k))
		w.head(cborUint, uint64(e.v))
	}
	for _, idx := range [][]int{p.mandatoryIndexes, p.selectiveIndexes} {
		w.head(cborArray, uint64(len(idx)))
		for _, i := range idx {
			w.head(cborUint, uint64(i))
		}
	}
	w.bytes(p.presentationHeader)
	return "u" + base64.RawURLEncoding.EncodeToString(w.b), nil
}

// decodeBBSDerived is parseDerivedProofValue with decompressLabelMap (vc-di-bbs §3.3.6,
// §3.3.7). Beyond the specification's checks, label map keys and labels must be
// distinct, and both index lists strictly ascending.
func decodeBBSDerived(body []byte) (*bbsDerived, error) {
	r := cborReader{b: body}
	if r.array(5) != 5 {
		return nil, invalid("bbs-2023 derived proof is not a CBOR array of five components (a feature option is not supported)")
	}
	p := &bbsDerived{proof: r.bytes(-1)}
	n := r.mapLen(len(body))
	p.labelMap = make(map[string]string, n)
	seen := make(map[string]bool, n)
	for range n {
		k := r.uint(maxLabelNumber - 1)
		v := r.uint(maxLabelNumber - 1)
		if r.err != nil {
			break
		}
		key, label := "c14n"+strconv.FormatUint(k, 10), "b"+strconv.FormatUint(v, 10)
		if _, dup := p.labelMap[key]; dup || seen[label] {
			return nil, invalid("bbs-2023 derived proof: label map with a repeated key or label")
		}
		p.labelMap[key], seen[label] = label, true
	}
	for _, dst := range []*[]int{&p.mandatoryIndexes, &p.selectiveIndexes} {
		n = r.array(len(body))
		for range n {
			i := int(r.uint(maxLabelNumber))
			if r.err == nil && len(*dst) > 0 && i <= (*dst)[len(*dst)-1] {
				return nil, invalid("bbs-2023 derived proof: indexes not in ascending order")
			}
			*dst = append(*dst, i)
		}
	}
	p.presentationHeader = r.bytes(-1)
	if err := r.done(); err != nil {
		return nil, invalid("bbs-2023 derived proof: %v", err)
	}
	if len(p.presentationHeader) > bbsMaxPresentationHeader {
		return nil, invalid("bbs-2023 presentation header of %d bytes, more than %d", len(p.presentationHeader), bbsMaxPresentationHeader)
	}
	return p, nil
}

// parseBBSProofValue decodes a bbs-2023 proofValue: a base proof or a derived one.
func parseBBSProofValue(pv string) (*bbsBase, *bbsDerived, error) {
	hdr, body, err := decodeSDProofValue(pv)
	if err != nil {
		return nil, nil, err
	}
	switch hdr {
	case bbsBaseHeader:
		b, err := decodeBBSBase(body)
		return b, nil, err
	case bbsDerivedHeader:
		d, err := decodeBBSDerived(body)
		return nil, d, err
	}
	return nil, nil, fmt.Errorf("dataintegrity: bbs-2023 proofValue header %x (a feature option or another suite): %w", hdr[:], ErrUnsupportedProof)
}

// bbsBaseRun holds the intermediate values of Create Base Proof, for tests.
type bbsBaseRun struct {
	groups                   *sdGroups
	proofHash, mandatoryHash []byte
	mandatory, nonMandatory  []string
	proof                    *bbsBase
}

// createBBSBase runs the base proof transformation, hashing, signing and serialization
// of bbs-2023 (vc-di-bbs §3.4.2-3.4.5) on an unsecured document and its proof
// configuration (the proof options with the document's @context). hmacKey nil draws a
// fresh key.
func createBBSBase(ctx context.Context, unsecured, config map[string]any, signer keys.BBSSigner, mandatoryPointers []string, hmacKey []byte, toRDF RDFFunc) (*bbsBaseRun, error) {
	if signer == nil || toRDF == nil {
		return nil, fmt.Errorf("dataintegrity: bbs-2023 needs a BBS signer and ToRDF: %w", ErrInvalidOptions)
	}
	pointers, err := parsePointers(mandatoryPointers, ErrInvalidOptions)
	if err != nil {
		return nil, err
	}
	if hmacKey == nil {
		hmacKey = make([]byte, hmacKeySize)
		_, _ = rand.Read(hmacKey) // crypto/rand.Read never fails
	}
	run := &bbsBaseRun{}
	if run.proofHash, err = sdProofHash(ctx, config, toRDF); err != nil {
		return nil, err
	}
	run.groups, err = canonicalizeAndGroup(ctx, unsecured, toRDF, hmacShuffledLabels(hmacKey),
		[]groupDef{{"mandatory", pointers, ErrInvalidOptions}})
	if err != nil {
		return nil, err
	}
	plain, err := toRDF(ctx, unsecured)
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: JSON-LD to RDF: %w", err)
	}
	if !sameDataset(plain, run.groups.quads) {
		return nil, fmt.Errorf("dataintegrity: bbs-2023 cannot track the nodes of this document (a JSON literal or map container): %w", ErrUnsupportedProof)
	}
	g := run.groups.groups["mandatory"]
	run.mandatory = pick(run.groups.nquads, g.matching)
	run.nonMandatory = pick(run.groups.nquads, g.nonMatching)
	run.mandatoryHash = hashLines(run.mandatory)

	header := slices.Concat(run.proofHash, run.mandatoryHash)
	sig, err := signer.SignBBS(ctx, header, lineBytes(run.nonMandatory))
	if err != nil {
		return nil, fmt.Errorf("dataintegrity: bbs-2023 signature: %w", err)
	}
	run.proof = &bbsBase{signature: sig, header: header, publicKey: signer.Public().Bytes(),
		hmacKey: hmacKey, mandatoryPointers: slices.Clone(mandatoryPointers)}
	return run, nil
}

func lineBytes(lines []string) [][]byte {
	out := make([][]byte, len(lines))
	for i, l := range lines {
		out[i] = []byte(l)
	}
	return out
}

// bbsDisclosure holds the intermediate values of createDisclosureData, for tests.
type bbsDisclosure struct {
	groups  *sdGroups
	derived *bbsDerived
	reveal  map[string]any
}

// deriveBBS is Add Derived Proof of bbs-2023 (vc-di-bbs §3.4.6) for a document whose one
// proof is a bbs-2023 base proof: it discloses the mandatory statements and those the
// selective pointers select, with a BBS proof bound to ph. rnd supplies the BBS blinding
// (nil is crypto/rand). The base proof's public key must be pub; nil takes it from the
// base proof.
func deriveBBS(ctx context.Context, secured map[string]any, selectivePointers []string, ph []byte, pub *keys.BLS12381G2PublicKey, rnd io.Reader, toRDF RDFFunc) (*bbsDisclosure, error) {
	if toRDF == nil {
		return nil, fmt.Errorf("dataintegrity: bbs-2023 derive needs ToRDF: %w", ErrInvalidOptions)
	}
	if len(ph) > bbsMaxPresentationHeader {
		return nil, fmt.Errorf("dataintegrity: presentation header of %d bytes, more than %d: %w", len(ph), bbsMaxPresentationHeader, ErrInvalidOptions)
	}
	selective, err := parsePointers(selectivePointers, ErrInvalidOptions)
	if err != nil {
		return nil, err
	}
	proofs, err := collectProofs(secured)
	if err != nil {
		return nil, err
	}
	if len(proofs) != 1 {
		return nil, fmt.Errorf("dataintegrity: a base proof must be the document's only proof, it has %d: %w", len(proofs), ErrUnsupportedProof)
	}
	proofObj, ok := proofs[0].(map[string]any)
	if !ok || proofObj["type"] != DataIntegrityProof || proofObj["cryptosuite"] != BBS2023 {
		return nil, fmt.Errorf("dataintegrity: the proof is not a bbs-2023 DataIntegrityProof: %w", ErrUnsupportedProof)
	}
	pv, ok := proofObj["proofValue"].(string)
	if !ok {
		return nil, invalid("proof without a string proofValue")
	}
	base, derived, err := parseBBSProofValue(pv)
	if err != nil {
		return nil, err
	}
	if base == nil || derived != nil {
		return nil, fmt.Errorf("dataintegrity: a derived bbs-2023 proof cannot be derived again: %w", ErrUnsupportedProof)
	}
	if pub == nil {
		if pub, err = keys.ParseBLS12381G2PublicKey(base.publicKey); err != nil {
			return nil, invalid("bbs-2023 base proof public key: %v", err)
		}
	} else if string(base.publicKey) != string(pub.Bytes()) {
		return nil, fmt.Errorf("dataintegrity: the base proof names another public key: %w", ErrInvalidKey)
	}
	mandatory, err := parsePointers(base.mandatoryPointers, ErrInvalidProof)
	if err != nil {
		return nil, err
	}
	unsecured := withoutMember(secured, "proof")
	combined := slices.Concat(mandatory, selective)
	groups, err := canonicalizeAndGroup(ctx, unsecured, toRDF, hmacShuffledLabels(base.hmacKey), []groupDef{
		{"mandatory", mandatory, ErrInvalidProof},
		{"selective", selective, ErrInvalidOptions},
		{"combined", combined, ErrInvalidOptions},
	})
	if err != nil {
		return nil, err
	}
	gm, gs, gc := groups.groups["mandatory"], groups.groups["selective"], groups.groups["combined"]
	if len(gc.matching) == 0 {
		return nil, fmt.Errorf("dataintegrity: nothing to disclose: %w", ErrInvalidOptions)
	}
	d := &bbsDisclosure{groups: groups, derived: &bbsDerived{presentationHeader: slices.Clone(ph)}}
	for rel, abs := range gc.matching {
		if gm.matches(abs) {
			d.derived.mandatoryIndexes = append(d.derived.mandatoryIndexes, rel)
		}
	}
	// The selected statements among the BBS messages (the non-mandatory statements).
	for rel, abs := range gm.nonMatching {
		if gs.matches(abs) {
			d.derived.selectiveIndexes = append(d.derived.selectiveIndexes, rel)
		}
	}
	messages := lineBytes(pick(groups.nquads, gm.nonMatching))
	if d.derived.proof, err = pub.DeriveBBSProof(base.signature, base.header, ph, messages, d.derived.selectiveIndexes, rnd); err != nil {
		return nil, fmt.Errorf("dataintegrity: bbs-2023 proof: %w", err)
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
	pv, err = d.derived.encode()
	if err != nil {
		return nil, err
	}
	newProof := maps.Clone(proofObj)
	newProof["proofValue"] = pv
	reveal["proof"] = newProof
	d.reveal = reveal
	return d, nil
}

// verifyBBS is Verify Derived Proof of bbs-2023 (vc-di-bbs §3.4.7) for the issuer's key
// pub: the revealed statements relabelled with the proof's label map and split by its
// mandatory indexes; the BBS header from the proof configuration and the mandatory
// statements; the BBS proof over the other revealed statements at the selective indexes.
func verifyBBS(ctx context.Context, pub *keys.BLS12381G2PublicKey, unsecured, proofObj map[string]any, dp *bbsDerived, toRDF RDFFunc) error {
	if toRDF == nil {
		return fmt.Errorf("dataintegrity: %s needs VerifyOptions.ToRDF, none configured: %w", BBS2023, ErrUnsupportedProof)
	}
	vd, err := createECDSASDVerifyData(ctx, unsecured, sdConfig(proofObj, unsecured),
		&ecdsaSDDerived{labelMap: dp.labelMap, mandatoryIndexes: dp.mandatoryIndexes}, toRDF)
	if err != nil {
		return err
	}
	if len(dp.selectiveIndexes) != len(vd.nonMandatory) {
		return fmt.Errorf("dataintegrity: %d selective indexes for %d revealed non-mandatory statements: %w", len(dp.selectiveIndexes), len(vd.nonMandatory), ErrInvalidSignature)
	}
	header := slices.Concat(vd.proofHash, vd.mandatoryHash)
	if err := pub.VerifyBBSProof(dp.proof, header, dp.presentationHeader, lineBytes(vd.nonMandatory), dp.selectiveIndexes); err != nil {
		return bbsFailure(err)
	}
	return nil
}

// bbsFailure is the error of a BBS check that failed, wrapping one sentinel: ErrTooLarge
// past the BBS message limit, ErrInvalidProof for a BBS proof or signature that does not
// decode, ErrInvalidSignature for one that does not verify. The BBS error is kept as
// text only, since it wraps sentinels of its own.
func bbsFailure(err error) error {
	switch {
	case errors.Is(err, ErrTooLarge):
		return fmt.Errorf("dataintegrity: bbs-2023: %v: %w", err, ErrTooLarge)
	case errors.Is(err, ErrMalformed):
		return invalid("bbs-2023: %v", err)
	}
	return fmt.Errorf("dataintegrity: bbs-2023: %v: %w", err, ErrInvalidSignature)
}

// deriveBBSFromBase is Derive for a document with a bbs-2023 base proof, the issuer's key
// taken from the base proof.
func deriveBBSFromBase(ctx context.Context, secured map[string]any, opts *DeriveOptions) (*bbsDisclosure, error) {
	return deriveBBS(ctx, secured, opts.SelectivePointers, opts.PresentationHeader, nil, nil, opts.ToRDF)
}

// verifyBBSBase checks a bbs-2023 base proof for the holder: the proof names pub, its
// BBS header is the hash of the proof configuration and of the statements its mandatory
// pointers select, and its BBS signature covers that header and every other statement.
func verifyBBSBase(ctx context.Context, pub *keys.BLS12381G2PublicKey, unsecured, proofObj map[string]any, base *bbsBase, toRDF RDFFunc) error {
	if toRDF == nil {
		return fmt.Errorf("dataintegrity: %s needs VerifyOptions.ToRDF, none configured: %w", BBS2023, ErrUnsupportedProof)
	}
	if string(base.publicKey) != string(pub.Bytes()) {
		return fmt.Errorf("dataintegrity: the bbs-2023 base proof names another public key than its verification method: %w", ErrInvalidSignature)
	}
	pointers, err := parsePointers(base.mandatoryPointers, ErrInvalidProof)
	if err != nil {
		return err
	}
	proofHash, err := sdProofHash(ctx, sdConfig(proofObj, unsecured), toRDF)
	if err != nil {
		return err
	}
	groups, err := canonicalizeAndGroup(ctx, unsecured, toRDF, hmacShuffledLabels(base.hmacKey), []groupDef{{"mandatory", pointers, ErrInvalidProof}})
	if err != nil {
		return err
	}
	g := groups.groups["mandatory"]
	header := slices.Concat(proofHash, hashLines(pick(groups.nquads, g.matching)))
	if subtle.ConstantTimeCompare(header, base.header) != 1 {
		return fmt.Errorf("dataintegrity: bbs-2023 base proof header is not that of the document: %w", ErrInvalidSignature)
	}
	if err := pub.VerifyBBS(base.signature, header, lineBytes(pick(groups.nquads, g.nonMatching))); err != nil {
		return bbsFailure(err)
	}
	return nil
}
