package dataintegrity

import (
	"testing"

	"github.com/credence-dev/credence/keys"
)

// bbsBench is a derived bbs-2023 credential of sdCredential with its parts, for the
// benchmarks.
type bbsBench struct {
	sk      *keys.BBSPrivateKey
	secured map[string]any
	reveal  map[string]any
	dp      *bbsDerived
	// header and messages of the BBS proof, for the raw ProofVerify baseline.
	header   []byte
	messages [][]byte
}

func newBBSBench(b *testing.B) *bbsBench {
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	mk, _ := keys.Multikey(sk.Public())
	doc := decodeObject(b, []byte(sdCredential))
	proof := map[string]any{
		"type": DataIntegrityProof, "cryptosuite": BBS2023, "created": "2025-01-01T00:00:00Z",
		"verificationMethod": "did:key:" + mk + "#" + mk, "proofPurpose": PurposeAssertionMethod,
	}
	run, err := createBBSBase(b.Context(), doc, sdConfig(proof, doc), sk, []string{"/issuer"}, nil, testToRDF)
	if err != nil {
		b.Fatal(err)
	}
	proof["proofValue"] = run.proof.encode()
	secured := withoutMember(doc, "proof")
	secured["proof"] = proof
	d, err := deriveBBS(b.Context(), secured, []string{"/credentialSubject/ageOver18"}, []byte("nonce"), sk.Public(), nil, testToRDF)
	if err != nil {
		b.Fatal(err)
	}
	vd, err := createECDSASDVerifyData(b.Context(), withoutMember(d.reveal, "proof"), sdConfig(d.reveal["proof"].(map[string]any), d.reveal),
		&ecdsaSDDerived{labelMap: d.derived.labelMap, mandatoryIndexes: d.derived.mandatoryIndexes}, testToRDF)
	if err != nil {
		b.Fatal(err)
	}
	return &bbsBench{sk: sk, secured: secured, reveal: d.reveal, dp: d.derived,
		header: append(vd.proofHash, vd.mandatoryHash...), messages: lineBytes(vd.nonMandatory)}
}

// BenchmarkBBS2023Verify verifies a derived bbs-2023 proof that discloses one claim
// besides the mandatory issuer: JSON-LD to RDF, canonicalization, hashing and the BBS
// proof check. BenchmarkBBS2023RawProofVerify is the BBS proof check alone, the ratio's
// denominator.
func BenchmarkBBS2023Verify(b *testing.B) {
	s := newBBSBench(b)
	pub := s.sk.Public()
	unsecured := withoutMember(s.reveal, "proof")
	proofObj := s.reveal["proof"].(map[string]any)
	b.ReportAllocs()
	for b.Loop() {
		if err := verifyBBS(b.Context(), pub, unsecured, proofObj, s.dp, testToRDF); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBBS2023RawProofVerify(b *testing.B) {
	s := newBBSBench(b)
	pub := s.sk.Public()
	b.ReportAllocs()
	for b.Loop() {
		if err := pub.VerifyBBSProof(s.dp.proof, s.header, s.dp.presentationHeader, s.messages, s.dp.selectiveIndexes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBBS2023Derive derives a proof that discloses one claim from a base proof.
func BenchmarkBBS2023Derive(b *testing.B) {
	s := newBBSBench(b)
	pub := s.sk.Public()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := deriveBBS(b.Context(), s.secured, []string{"/credentialSubject/ageOver18"}, []byte("nonce"), pub, nil, testToRDF); err != nil {
			b.Fatal(err)
		}
	}
}
