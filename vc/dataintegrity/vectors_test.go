package dataintegrity

import (
	"context"
	"crypto"
	"encoding/hex"
	"errors"
	"path/filepath"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/vectors"
)

// suiteVector is one run of Add Proof in the W3C vectors, with every intermediate value.
type suiteVector struct {
	source, dir, suffix string
	signed              string // signed document file
	unsigned            string // the input document (in the TestVectors folder)
	keyPair             string
	suite               string // Suite.Name
	hash                crypto.Hash
	// reproduce is whether signing must give the vector's proofValue byte for byte:
	// Ed25519 is deterministic, and the ECDSA vectors use RFC 6979.
	reproduce bool
}

var suiteVectors = []suiteVector{
	{"w3c-vc-di-eddsa", "eddsa-jcs-2022", "JCS", "signedJCS.json", "unsigned.json", "keyPair.json", EdDSAJCS2022, crypto.SHA256, true},
	{"w3c-vc-di-eddsa", "eddsa-rdfc-2022", "DataInt", "signedDataInt.json", "unsigned.json", "keyPair.json", EdDSARDFC2022, crypto.SHA256, true},
	{"w3c-vc-di-eddsa", "eddsa-rdfc-2022/employ", "DataInt", "signedDataInt.json", "employmentAuth.json", "keyPair.json", EdDSARDFC2022, crypto.SHA256, true},
	{"w3c-vc-di-eddsa", "Ed25519Signature2020", "EdSig", "signedEdSig.json", "", "keyPair.json", Ed25519Signature2020, crypto.SHA256, false},
	{"w3c-vc-di-ecdsa", "ecdsa-jcs-2019-p256", "JCSECDSAP256", "signedJCSECDSAP256.json", "unsigned.json", "p256KeyPair.json", ECDSAJCS2019, crypto.SHA256, true},
	{"w3c-vc-di-ecdsa", "ecdsa-jcs-2019-p384", "JCSECDSAP384", "signedJCSECDSAP384.json", "unsigned.json", "p384KeyPair.json", ECDSAJCS2019, crypto.SHA384, true},
	{"w3c-vc-di-ecdsa", "ecdsa-rdfc-2019-p256", "ECDSAP256", "signedECDSAP256.json", "unsigned.json", "p256KeyPair.json", ECDSARDFC2019, crypto.SHA256, true},
	{"w3c-vc-di-ecdsa", "ecdsa-rdfc-2019-p256/employ", "ECDSAP256", "signedECDSAP256.json", "employmentAuth.json", "p256KeyPair.json", ECDSARDFC2019, crypto.SHA256, true},
	{"w3c-vc-di-ecdsa", "ecdsa-rdfc-2019-p384", "ECDSAP384", "signedECDSAP384.json", "unsigned.json", "p384KeyPair.json", ECDSARDFC2019, crypto.SHA384, true},
	{"w3c-vc-di-ecdsa", "ecdsa-rdfc-2019-p384/employ", "ECDSAP384", "signedECDSAP384.json", "employmentAuth.json", "p384KeyPair.json", ECDSARDFC2019, crypto.SHA384, true},
}

// TestSuiteVectors reproduces every intermediate value of the W3C suite vectors
// (canonical document and proof configuration, their hashes, the hash data, the
// signature and its multibase form), signs the input document to the vector's signed
// document, verifies that document, and refuses it with one claim changed. RDFC suites
// get the vectors' canonical N-Quads through a stand-in Canonicalizer.
func TestSuiteVectors(t *testing.T) {
	ctx := context.Background()
	counts := map[string][2]int{} // source → verified, reproduced
	for _, sv := range suiteVectors {
		t.Run(sv.dir, func(t *testing.T) {
			base := vectors.Dir(t, sv.source)
			dir := filepath.Join(base, "TestVectors", sv.dir)
			file := func(prefix, ext string) string { return filepath.Join(dir, prefix+sv.suffix+ext) }
			signedDoc := readFile(t, filepath.Join(dir, sv.signed))
			secured := decodeObject(t, signedDoc)
			unsecured := withoutProof(secured)
			if sv.unsigned != "" {
				want := readObject(t, filepath.Join(base, "TestVectors", sv.unsigned))
				if canonical(t, unsecured) != canonical(t, want) {
					t.Fatalf("signed document without proof is not %s", sv.unsigned)
				}
			}
			config := readObject(t, file("proofConfig", ".json"))
			canonDoc := readFile(t, file("canonDoc", ".txt"))
			canonConfig := readFile(t, file("proofCanon", ".txt"))
			s := suiteByName(sv.suite)
			canon := newFixedCanon(sv.hash)
			if s.rdfc {
				canon.add(t, unsecured, canonDoc)
				canon.add(t, config, canonConfig)
			}

			// Transformation and proof configuration.
			gotDoc, err := s.Canonicalize(ctx, unsecured, sv.hash, canon.canonicalize)
			if err != nil || string(gotDoc) != string(canonDoc) {
				t.Fatalf("canonical document:\n got %s, %v\nwant %s", gotDoc, err, canonDoc)
			}
			gotConfig, err := s.Canonicalize(ctx, config, sv.hash, canon.canonicalize)
			if err != nil || string(gotConfig) != string(canonConfig) {
				t.Fatalf("canonical proof configuration:\n got %s, %v\nwant %s", gotConfig, err, canonConfig)
			}

			// Hashing.
			keyPair := readObject(t, filepath.Join(base, "TestVectors", sv.keyPair))
			pub, err := didKeyVM(ctx, config["verificationMethod"].(string), "assertionMethod")
			if err != nil {
				t.Fatal(err)
			}
			if h, err := s.Hash(pub); err != nil || h != sv.hash {
				t.Fatalf("Hash = %v, %v, want %v", h, err, sv.hash)
			}
			if got := hex.EncodeToString(appendDigest(nil, sv.hash, gotDoc)); got != readText(t, file("docHash", ".txt")) {
				t.Errorf("document hash %s", got)
			}
			if got := hex.EncodeToString(appendDigest(nil, sv.hash, gotConfig)); got != readText(t, file("proofHash", ".txt")) {
				t.Errorf("proof configuration hash %s", got)
			}
			hashData := s.HashData(sv.hash, gotConfig, gotDoc)
			if got := hex.EncodeToString(hashData); got != readText(t, file("combinedHash", ".txt")) {
				t.Fatalf("hash data %s", got)
			}

			// Proof serialization and verification.
			sig, err := hex.DecodeString(readText(t, file("sigHex", ".txt")))
			if err != nil {
				t.Fatal(err)
			}
			proofValue := readText(t, file("sigBTC58", ".txt"))
			if got := "z" + base58Encode(sig); got != proofValue {
				t.Errorf("multibase of the signature %s, want %s", got, proofValue)
			}
			if pv := secured["proof"].(map[string]any)["proofValue"]; pv != proofValue {
				t.Errorf("signed document's proofValue %v, want %s", pv, proofValue)
			}
			if err := s.VerifyHash(pub, hashData, sig); err != nil {
				t.Fatalf("VerifyHash: %v", err)
			}
			sk := secretKey(t, keyPairSecret(keyPair))
			if !s.verifyOnly {
				got, err := s.SignHash(signer(t, sk), hashData)
				if err != nil {
					t.Fatal(err)
				}
				if sv.reproduce && hex.EncodeToString(got) != hex.EncodeToString(sig) {
					t.Errorf("SignHash: %x, want %x", got, sig)
				}
			}

			// Add Proof end to end: the vector's input and proof options give its signed
			// document.
			reproduced := false
			if !s.verifyOnly {
				created, _ := parseDateTime(config["created"].(string))
				out, err := Sign(ctx, mustJSON(t, unsecured), signer(t, sk), ProofOptions{
					Cryptosuite:        sv.suite,
					VerificationMethod: config["verificationMethod"].(string),
					ProofPurpose:       config["proofPurpose"].(string),
					Created:            created,
					Canonicalize:       canon.canonicalize,
				})
				if err != nil {
					t.Fatalf("Sign: %v", err)
				}
				if sv.reproduce && !sameJSON(t, out, signedDoc) {
					t.Errorf("Sign:\n got %s\nwant %s", out, signedDoc)
				}
				reproduced = sameJSON(t, out, signedDoc)
			}

			// Verify Proof.
			opts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: canon.canonicalize}
			res, err := Verify(ctx, signedDoc, opts)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			p := res.Proofs[0]
			wantCreated, _ := parseDateTime(config["created"].(string))
			if len(res.Proofs) != 1 || p.VerificationMethod != config["verificationMethod"] || p.Type != s.proofType ||
				(p.Cryptosuite != sv.suite && s.proofType == DataIntegrityProof) || !p.Created.Equal(wantCreated) {
				t.Errorf("Verify: %+v", res.Proofs)
			}
			if canon.miss != 0 {
				t.Errorf("the canonicalizer was asked for %d documents the vectors do not give", canon.miss)
			}

			// Tampering with any claim breaks the signature.
			tampered := setMember(t, signedDoc, "credentialSubject/id", "did:example:someone-else")
			if _, err := Verify(ctx, tampered, opts); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("tampered: %v, want ErrInvalidSignature", err)
			}
			c := counts[sv.source]
			c[0]++
			if reproduced {
				c[1]++
			}
			counts[sv.source] = c
		})
	}
	for src, c := range counts {
		t.Logf("%s: %d signed documents verified with every intermediate value, %d reproduced by Sign", src, c[0], c[1])
	}
}

// keyPairSecret returns the secret key of a vector key pair: the eddsa files call it
// privateKeyMultibase, the ecdsa ones secretKeyMultibase.
func keyPairSecret(kp map[string]any) string {
	if s, ok := kp["privateKeyMultibase"].(string); ok {
		return s
	}
	return kp["secretKeyMultibase"].(string)
}

// TestProofSetChain signs and verifies the proof set and the proof chain of the W3C
// vc-di-eddsa vectors (eddsa-rdfc-2022, four keys): each step of Add Proof Set/Chain must
// give the vector's signed document, and every signed document must verify.
func TestProofSetChain(t *testing.T) {
	ctx := context.Background()
	base := vectors.Dir(t, "w3c-vc-di-eddsa")
	dir := filepath.Join(base, "TestVectors", "proof-set-chain")
	ours := filepath.Join("testdata", "rdfc", "proof-set-chain")
	unsigned := readObject(t, filepath.Join(dir, "unsigned.json"))
	withCtx := func(name string) map[string]any {
		m := readObject(t, filepath.Join(dir, name))
		m["@context"] = unsigned["@context"]
		return m
	}
	canon := newFixedCanon(crypto.SHA256)
	canon.add(t, unsigned, readFile(t, filepath.Join(base, "TestVectors", "eddsa-rdfc-2022", "canonDocDataInt.txt")))
	canon.add(t, withCtx("proofSetConfig1.json"), readFile(t, filepath.Join(ours, "proofSet1-config.nq")))
	canon.add(t, withCtx("proofSetConfig2.json"), readFile(t, filepath.Join(ours, "proofSet2-config.nq")))
	canon.add(t, withCtx("proofChainConfig1.json"), readFile(t, filepath.Join(ours, "proofChain1-config.nq")))
	canon.add(t, withCtx("proofChainConfig2.json"), readFile(t, filepath.Join(ours, "proofChain2-config.nq")))
	canon.add(t, readObject(t, filepath.Join(dir, "proofChainTempDoc1.json")), readFile(t, filepath.Join(ours, "proofChain1-doc.nq")))
	canon.add(t, readObject(t, filepath.Join(dir, "proofChainTempDoc2.json")), readFile(t, filepath.Join(ours, "proofChain2-doc.nq")))

	pairs := readObject(t, filepath.Join(dir, "multiKeyPairs.json"))
	doc := readFile(t, filepath.Join(dir, "unsigned.json"))
	steps := []struct{ config, keyPair, signed string }{
		{"proofSetConfig1.json", "keyPair1", "signedProofSet1.json"},
		{"proofSetConfig2.json", "keyPair2", "signedProofSet2.json"},
		{"proofChainConfig1.json", "keyPair3", "signedProofChain1.json"},
		{"proofChainConfig2.json", "keyPair4", "signedProofChain2.json"},
	}
	verified := 0
	for _, st := range steps {
		config := readObject(t, filepath.Join(dir, st.config))
		var prev []string
		switch p := config["previousProof"].(type) {
		case string:
			prev = []string{p}
		case []any:
			for _, id := range p {
				prev = append(prev, id.(string))
			}
		}
		id, _ := config["id"].(string)
		created, _ := parseDateTime(config["created"].(string))
		kp := pairs[st.keyPair].(map[string]any)
		out, err := Sign(ctx, doc, signer(t, secretKey(t, kp["privateKeyMultibase"].(string))), ProofOptions{
			Cryptosuite: EdDSARDFC2022, VerificationMethod: config["verificationMethod"].(string),
			ProofPurpose: config["proofPurpose"].(string), Created: created, ID: id, PreviousProof: prev,
			Canonicalize: canon.canonicalize,
		})
		if err != nil {
			t.Fatalf("%s: Sign: %v", st.config, err)
		}
		want := readFile(t, filepath.Join(dir, st.signed))
		if !sameJSON(t, out, want) {
			t.Fatalf("%s: Sign:\n got %s\nwant %s", st.config, out, want)
		}
		res, err := Verify(ctx, want, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: canon.canonicalize})
		if err != nil {
			t.Fatalf("%s: Verify: %v", st.signed, err)
		}
		if n := len(decodeProofs(t, want)); len(res.Proofs) != n {
			t.Fatalf("%s: %d proofs verified, want %d", st.signed, len(res.Proofs), n)
		}
		verified++
		doc = out
	}
	if canon.miss != 0 {
		t.Errorf("the canonicalizer was asked for %d documents the vectors do not give", canon.miss)
	}
	t.Logf("w3c-vc-di-eddsa proof-set-chain: %d signed documents reproduced by Sign and verified (%d canonicalizations)", verified, canon.calls)
}

func decodeProofs(t testing.TB, doc []byte) []any {
	switch p := decodeObject(t, doc)["proof"].(type) {
	case []any:
		return p
	case map[string]any:
		return []any{p}
	}
	t.Fatal("no proof")
	return nil
}

// TestSelectiveDisclosureRefused: without an RDFFunc a derived ecdsa-sd-2023 proof cannot
// be checked and is refused as unsupported; a base proof is refused as such whatever the
// options.
func TestSelectiveDisclosureRefused(t *testing.T) {
	base := vectors.Dir(t, "w3c-vc-di-ecdsa")
	files, err := filepath.Glob(filepath.Join(base, "TestVectors", "ecdsa-sd-2023", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, f := range files {
		doc := readFile(t, f)
		v, err := jsonx.Decode(doc, jsonx.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if m, ok := v.(map[string]any); !ok || m["proof"] == nil {
			continue // intermediate values, not secured documents
		}
		want := ErrUnsupportedProof
		if filepath.Base(f) == "addSignedSDBase.json" {
			want = ErrBaseProofPresented
		}
		_, err = Verify(context.Background(), doc, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow})
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", f, err, want)
		}
		refused++
	}
	if refused != 4 {
		t.Errorf("refused %d ecdsa-sd-2023 documents, want 4 (base and derived, employ and prc)", refused)
	}
	t.Logf("w3c-vc-di-ecdsa ecdsa-sd-2023 without ToRDF: %d documents refused (base proofs ErrBaseProofPresented, derived ErrUnsupportedProof)", refused)
}
