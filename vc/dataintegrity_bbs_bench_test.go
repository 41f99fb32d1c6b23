package vc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/jsonld"
)

// bbsBenchCase is an issued bbs-2023 credential, a derivation of it disclosing the age
// claim, and a raw BBS proof of the same shape: as many signed messages as the base proof
// signs, as many disclosed as the derived proof discloses.
type bbsBenchCase struct {
	v                *vc.Verifier
	base, derived    []byte
	pub              *keys.BLS12381G2PublicKey
	rawProof, header []byte
	rawSig           []byte
	rawMessages      [][]byte
	rawDisclosed     [][]byte
	rawIndexes       []int
}

func newBBSBenchCase(b *testing.B) *bbsBenchCase {
	ctx := context.Background()
	iss := newBBSParty(b)
	base := issueBBS(b, iss, "did:example:alice")
	derived, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/ageOver18"}})
	if err != nil {
		b.Fatal(err)
	}
	v := verifier(b, vc.VerifierOptions{Trust: trustOnly(b, iss.did)})
	if _, err := v.VerifyCredential(ctx, derived); err != nil {
		b.Fatal(err)
	}

	// The shape of the BBS proof: the credential's statements less the mandatory ones are
	// the signed messages; the derived proof's selective indexes are the disclosed ones.
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		b.Fatal(err)
	}
	delete(doc, "proof")
	unsecured, _ := json.Marshal(doc)
	quads, err := jsonld.ToRDF(ctx, unsecured, jsonld.DefaultContexts(), jsonld.Options{})
	if err != nil {
		b.Fatal(err)
	}
	mandatory, selective := derivedIndexCounts(b, derived)
	signed := len(quads) - mandatory
	messages := make([][]byte, signed)
	for i := range messages {
		messages[i] = fmt.Appendf(nil, "_:b%d <https://www.w3.org/2018/credentials#statement> \"value %d\" .\n", i, i)
	}
	header := make([]byte, 64)
	sig, err := iss.sk.SignBBS(ctx, header, messages)
	if err != nil {
		b.Fatal(err)
	}
	c := &bbsBenchCase{v: v, base: base, derived: derived, pub: iss.sk.Public(), header: header, rawSig: sig, rawMessages: messages}
	for i := range selective {
		c.rawIndexes = append(c.rawIndexes, i)
		c.rawDisclosed = append(c.rawDisclosed, messages[i])
	}
	if c.rawProof, err = c.pub.DeriveBBSProof(sig, header, nil, messages, c.rawIndexes, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("bbs-2023 credential: %d statements, %d mandatory, %d signed messages, %d disclosed", len(quads), mandatory, signed, selective)
	return c
}

// derivedIndexCounts reads the mandatory and selective index counts of a derived
// bbs-2023 proofValue (CBOR: tag, [proof, label map, mandatory, selective, header]).
func derivedIndexCounts(b *testing.B, cred []byte) (int, int) {
	var doc struct {
		Proof struct {
			ProofValue string `json:"proofValue"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(cred, &doc); err != nil {
		b.Fatal(err)
	}
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(doc.Proof.ProofValue, "u"))
	if err != nil || len(data) < 4 || data[3] != 0x85 {
		b.Fatalf("proofValue: %v", err)
	}
	r := cborHeads{b: data[4:]}
	r.skipBytes()             // BBS proof
	for range r.head(5) * 2 { // label map of unsigned integers
		r.head(0)
	}
	var counts [2]int
	for i := range counts {
		counts[i] = r.head(4)
		for range counts[i] {
			r.head(0)
		}
	}
	if r.bad {
		b.Fatal("derived proofValue is not the expected CBOR")
	}
	return counts[0], counts[1]
}

// cborHeads reads the heads of the few CBOR items a derived proofValue holds.
type cborHeads struct {
	b   []byte
	bad bool
}

// head reads a head of the given major type and returns its argument.
func (r *cborHeads) head(major byte) int {
	if len(r.b) == 0 || r.b[0]>>5 != major {
		r.bad = true
		return 0
	}
	info := r.b[0] & 0x1f
	r.b = r.b[1:]
	if info < 24 {
		return int(info)
	}
	n := 1 << (info - 24)
	if info > 27 || len(r.b) < n {
		r.bad = true
		return 0
	}
	v := 0
	for _, c := range r.b[:n] {
		v = v<<8 | int(c)
	}
	r.b = r.b[n:]
	return v
}

func (r *cborHeads) skipBytes() {
	n := r.head(2)
	if n > len(r.b) {
		r.bad = true
		return
	}
	r.b = r.b[n:]
}

// BenchmarkBBSDeriveCredential derives a bbs-2023 credential disclosing the age claim
// through vc.DeriveCredential: JSON-LD to RDF, HMAC relabelling, selection,
// canonicalization and the BBS ProofGen.
func BenchmarkBBSDeriveCredential(b *testing.B) {
	c := newBBSBenchCase(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := vc.DeriveCredential(ctx, c.base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/ageOver18"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBBSVerifyCredential verifies the derived credential through vc.Verifier: data
// model, trust, did:key resolution, JSON-LD to RDF, canonicalization, hashing and the
// BBS ProofVerify.
func BenchmarkBBSVerifyCredential(b *testing.B) {
	c := newBBSBenchCase(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.v.VerifyCredential(ctx, c.derived); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBBSRawProofVerify is the BBS ProofVerify alone, on a proof of the same shape:
// the denominator of the facade ratios.
func BenchmarkBBSRawProofVerify(b *testing.B) {
	c := newBBSBenchCase(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.pub.VerifyBBSProof(c.rawProof, c.header, nil, c.rawDisclosed, c.rawIndexes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBBSRawProofGen is the BBS ProofGen alone, on a proof of the same shape: the
// denominator of the derive ratio.
func BenchmarkBBSRawProofGen(b *testing.B) {
	c := newBBSBenchCase(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.pub.DeriveBBSProof(c.rawSig, c.header, nil, c.rawMessages, c.rawIndexes, nil); err != nil {
			b.Fatal(err)
		}
	}
}
