package dataintegrity

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/vc/jsonld"
)

// testContexts are the embedded contexts, processed once as the facade does per verifier.
var testContexts = jsonld.DefaultContexts()

// testToRDF is the RDFFunc the facade wires, with the embedded contexts.
func testToRDF(ctx context.Context, doc map[string]any) ([]jsonld.Quad, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return jsonld.ToRDF(ctx, b, testContexts, jsonld.Options{})
}

// sdVector is one ecdsa-sd-2023 run of the W3C vectors: base proof, derived proof and
// verification of one credential.
type sdVector struct {
	dir                            string // under TestVectors/ecdsa-sd-2023
	unsigned, mandatory, selective string // input files in TestVectors
}

var sdVectors = []sdVector{
	{"prc", "prCredUnsigned.json", "prCredMandatory.json", "prCredSelective.json"},
	{"employ", "employmentAuth.json", "employMandatory.json", "employSelective.json"},
}

// sdSteps counts the vector files of a run that were checked and matched.
type sdSteps struct {
	t      *testing.T
	passed []string
}

func (s *sdSteps) pass(file string) { s.passed = append(s.passed, file) }

// check reports a mismatch of one step's value; it passes the step when there is none.
func (s *sdSteps) check(file string, got, want any) {
	s.t.Helper()
	// Compared as JSON values, so that numbers and pairs read either way agree.
	got, want = jsonValue(s.t, mustJSON(s.t, got)), jsonValue(s.t, mustJSON(s.t, want))
	if d := cmp.Diff(want, got); d != "" {
		s.t.Errorf("%s (-want +got):\n%s", file, d)
		return
	}
	s.pass(file)
}

func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// mapEntries reads the {"dataType":"Map","value":[[k,v],...]} form of the vectors.
func mapEntries(t testing.TB, v any) [][2]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || m["dataType"] != "Map" {
		t.Fatalf("not a serialized Map: %v", v)
	}
	var out [][2]any
	for _, e := range m["value"].([]any) {
		kv := e.([]any)
		out = append(out, [2]any{kv[0], kv[1]})
	}
	return out
}

// indexMap returns the serialized Map form of the statements at idx.
func indexMap(lines []string, idx []int) [][2]any {
	var out [][2]any
	for _, i := range idx {
		out = append(out, [2]any{float64(i), lines[i]})
	}
	return out
}

func hexList(bs [][]byte) []any {
	out := make([]any, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}

func anyList[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		switch v := any(x).(type) {
		case int:
			out[i] = float64(v)
		default:
			out[i] = v
		}
	}
	return out
}

func multibaseKey(b []byte) string { return "z" + base58Encode(b) }

// masked returns N-Quads lines with every blank node label replaced, sorted: the
// vectors' skolem labels are random, ours too.
func masked(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		f := strings.Fields(l)
		for j, w := range f {
			if strings.HasPrefix(w, "_:") {
				f[j] = "_:x"
			}
		}
		out[i] = strings.Join(f, " ")
	}
	sort.Strings(out)
	return out
}

func quadLines(qs []jsonld.Quad) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.String() + "\n"
	}
	return out
}

func strs(t testing.TB, v any) []string {
	t.Helper()
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// TestECDSASDVectors runs every ecdsa-sd-2023 step of the W3C vc-di-ecdsa vectors read in
// place: the base proof (canonical form, HMAC relabelling, mandatory grouping, hashes,
// the RFC 6979 signatures and the CBOR proof value, byte for byte), the derived proof
// (recovered base data, groups, adjusted indexes, filtered signatures, label map,
// revealed document and proof value, byte for byte) and verification (decoded proof
// value, relabelled statements, verify data, and Verify itself).
func TestECDSASDVectors(t *testing.T) {
	ctx := context.Background()
	base := vectors.Dir(t, "w3c-vc-di-ecdsa")
	root := filepath.Join(base, "TestVectors")
	material := readObject(t, filepath.Join(root, "ecdsa-sd-2023", "SDKeyMaterial.json"))
	hmacKey, err := hex.DecodeString(material["hmacKeyString"].(string))
	if err != nil {
		t.Fatal(err)
	}
	issuerKey := signer(t, secretKey(t, material["baseKeyPair"].(map[string]any)["secretKeyMultibase"].(string)))
	proofKeySigner := signer(t, secretKey(t, material["proofKeyPair"].(map[string]any)["secretKeyMultibase"].(string)))
	s := suiteByName(ECDSASD2023)
	total, files := 0, 0

	for _, sv := range sdVectors {
		t.Run(sv.dir, func(t *testing.T) {
			st := &sdSteps{t: t}
			dir := filepath.Join(root, "ecdsa-sd-2023", sv.dir)
			file := func(name string) []byte { return readFile(t, filepath.Join(dir, name)) }
			entries, err := filepath.Glob(filepath.Join(dir, "*"))
			if err != nil || len(entries) == 0 {
				t.Fatalf("no vector files in %s", dir)
			}
			files += len(entries)
			defer func() {
				if len(st.passed) != len(entries) {
					t.Errorf("%d of %d files matched", len(st.passed), len(entries))
				}
			}()

			signedBase := file("addSignedSDBase.json")
			secured := decodeObject(t, signedBase)
			unsecured := withoutProof(secured)
			// The input credential: prc's unsigned file differs from what was signed in
			// its description (a known inconsistency of the vectors), so the signed
			// document without its proof is the input.
			input := readObject(t, filepath.Join(root, sv.unsigned))
			if d := cmp.Diff(input, unsecured); d != "" && sv.dir != "prc" {
				t.Errorf("%s is not the signed document without proof:\n%s", sv.unsigned, d)
			} else if sv.dir == "prc" {
				delete(input, "description")
				if d := cmp.Diff(input, withoutMember(unsecured, "description")); d != "" {
					t.Errorf("%s differs from the signed document beyond its description:\n%s", sv.unsigned, d)
				}
			}
			mandatoryPointers := strs(t, jsonValue(t, readFile(t, filepath.Join(root, sv.mandatory))))
			selectivePointers := strs(t, jsonValue(t, readFile(t, filepath.Join(root, sv.selective))))

			// Base proof: proof configuration.
			config := readObject(t, filepath.Join(dir, "addProofConfig.json"))
			quads, err := testToRDF(ctx, config)
			if err != nil {
				t.Fatal(err)
			}
			c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
			if err != nil {
				t.Fatal(err)
			}
			st.check("addProofConfigCanon.txt", string(c.NQuads()), string(file("addProofConfigCanon.txt")))

			// Canonical form, before and after HMAC relabelling.
			docQuads, err := testToRDF(ctx, unsecured)
			if err != nil {
				t.Fatal(err)
			}
			identity := func(ids map[string]string) (map[string]string, error) { return maps.Clone(ids), nil }
			canon, _, err := canonicalizeQuads(ctx, docQuads, identity)
			if err != nil {
				t.Fatal(err)
			}
			st.check("addBaseDocCanon.json", anyList(canon), jsonValue(t, file("addBaseDocCanon.json")))

			pointers, err := parsePointers(mandatoryPointers, ErrInvalidOptions)
			if err != nil {
				t.Fatal(err)
			}
			var pv []any
			for i, p := range pointers {
				sel := map[string]any{}
				if err := selectPaths(unsecured, p, sel); err != nil {
					t.Fatal(err)
				}
				var at any = sel
				for _, step := range p {
					at, _ = child(densify(at), step)
				}
				pv = append(pv, map[string]any{"pointer": mandatoryPointers[i], "value": at})
			}
			st.check("addPointerValues.json", jsonValue(t, mustJSON(t, pv)), jsonValue(t, file("addPointerValues.json")))

			opts := ProofOptions{
				Cryptosuite: ECDSASD2023, VerificationMethod: config["verificationMethod"].(string),
				ProofPurpose: config["proofPurpose"].(string), MandatoryPointers: mandatoryPointers,
				ToRDF: testToRDF, sdSecrets: &sdSecrets{hmacKey: hmacKey, proofKey: proofKeySigner},
			}
			run, err := createECDSASDBase(ctx, s, unsecured, config, issuerKey, &opts)
			if err != nil {
				t.Fatalf("base proof: %v", err)
			}
			st.check("addBaseDocHMACCanon.json", anyList(run.groups.nquads), jsonValue(t, file("addBaseDocHMACCanon.json")))
			transform := readObject(t, filepath.Join(dir, "addBaseTransform.json"))
			g := run.groups.groups["mandatory"]
			st.check("addBaseTransform.json", []any{
				anyList(mandatoryPointers), indexMap(run.groups.nquads, g.matching), indexMap(run.groups.nquads, g.nonMatching),
				strings.ToUpper(hex.EncodeToString(hmacKey)),
			}, []any{
				transform["mandatoryPointers"], mapEntries(t, transform["mandatory"]), mapEntries(t, transform["nonMandatory"]),
				transform["hmacKeyString"],
			})
			hashes := readObject(t, filepath.Join(dir, "addHashData.json"))
			st.check("addHashData.json", []any{hex.EncodeToString(run.proofHash), hex.EncodeToString(run.mandatoryHash)},
				[]any{hashes["proofHash"], hashes["mandatoryHash"]})
			raw := readObject(t, filepath.Join(dir, "addRawBaseSignatureInfo.json"))
			st.check("addRawBaseSignatureInfo.json", []any{
				hex.EncodeToString(run.proof.baseSignature), multibaseKey(run.proof.publicKey),
				hexList(run.proof.signatures), anyList(run.proof.mandatoryPointers),
			}, []any{raw["baseSignature"], raw["publicKey"], raw["signatures"], raw["mandatoryPointers"]})

			// Add Proof end to end gives the signed base document, proofValue byte for byte.
			created, _ := parseDateTime(config["created"].(string))
			opts.Created = created
			out, err := Sign(ctx, mustJSON(t, unsecured), issuerKey, opts)
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			gotPV := decodeObject(t, out)["proof"].(map[string]any)["proofValue"]
			wantPV := secured["proof"].(map[string]any)["proofValue"]
			if sameJSON(t, out, signedBase) && gotPV == wantPV {
				st.pass("addSignedSDBase.json")
			} else {
				t.Errorf("Sign:\n got %s\nwant %s", out, signedBase)
			}
			// addProofConfig.json is the base proof without proofValue, with the @context.
			st.check("addProofConfig.json", sdConfig(decodeObject(t, out)["proof"].(map[string]any), unsecured), config)
			vopts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF}
			if _, err := VerifyBase(ctx, signedBase, vopts); err != nil {
				t.Errorf("VerifyBase: %v", err)
			}
			if _, err := Verify(ctx, signedBase, vopts); !errors.Is(err, ErrBaseProofPresented) {
				t.Errorf("Verify of the base proof: %v, want ErrBaseProofPresented", err)
			}

			// Derived proof.
			recovered := readObject(t, filepath.Join(dir, "derivedRecoveredBaseData.json"))
			bp, err := parseECDSASDBase(wantPV.(string))
			if err != nil {
				t.Fatal(err)
			}
			st.check("derivedRecoveredBaseData.json", []any{
				hex.EncodeToString(bp.baseSignature), multibaseKey(bp.publicKey), hex.EncodeToString(bp.hmacKey),
				hexList(bp.signatures), anyList(bp.mandatoryPointers),
			}, []any{recovered["baseSignature"], recovered["proofPublicKey"], recovered["hmacKey"], recovered["signatures"], recovered["mandatoryPointers"]})

			d, err := deriveECDSASD(ctx, signedBase, &DeriveOptions{SelectivePointers: selectivePointers, ToRDF: testToRDF})
			if err != nil {
				t.Fatalf("derive: %v", err)
			}
			all := readObject(t, filepath.Join(dir, "derivedAllGroupData.json"))["groups"].(map[string]any)
			var got, want []any
			for _, name := range []string{"mandatory", "selective", "combined"} {
				gg, wg := d.groups.groups[name], all[name].(map[string]any)
				got = append(got, indexMap(d.groups.nquads, gg.matching), indexMap(d.groups.nquads, gg.nonMatching), masked(quadLines(gg.deskolemized)))
				want = append(want, mapEntries(t, wg["matching"]), mapEntries(t, wg["nonMatching"]), masked(strs(t, wg["deskolemizedNQuads"])))
			}
			st.check("derivedAllGroupData.json", got, want)
			gi := readObject(t, filepath.Join(dir, "derivedGroupIndexes.json"))
			gc, gm, gs := d.groups.groups["combined"], d.groups.groups["mandatory"], d.groups.groups["selective"]
			st.check("derivedGroupIndexes.json",
				[]any{anyList(gc.matching), anyList(gm.matching), anyList(gm.nonMatching), anyList(gs.matching)},
				[]any{gi["combinedIndexes"], gi["mandatoryIndexes"], gi["nonMandatoryIndexes"], gi["selectiveIndexes"]})
			st.check("derivedAdjMandatoryIndexes.json", anyList(d.derived.mandatoryIndexes),
				readObject(t, filepath.Join(dir, "derivedAdjMandatoryIndexes.json"))["adjMandatoryIndexes"])
			adj := readObject(t, filepath.Join(dir, "derivedAdjSignatures.json"))
			st.check("derivedAdjSignatures.json", []any{anyList(d.signatureIndexes), hexList(d.derived.signatures)},
				[]any{adj["adjSignatureIndexes"], adj["filteredSignatures"]})
			dd := readObject(t, filepath.Join(dir, "derivedDisclosureData.json"))
			var labels [][2]any
			for _, k := range slices.Sorted(maps.Keys(d.derived.labelMap)) {
				labels = append(labels, [2]any{k, d.derived.labelMap[k]})
			}
			st.check("derivedDisclosureData.json", []any{
				hex.EncodeToString(d.derived.baseSignature), multibaseKey(d.derived.publicKey), hexList(d.derived.signatures),
				labels, anyList(d.derived.mandatoryIndexes),
			}, []any{dd["baseSignature"], dd["publicKey"], dd["signatures"], mapEntries(t, dd["labelMap"]), dd["mandatoryIndexes"]})
			st.check("derivedUnsignedReveal.json", withoutMember(d.reveal, "proof"), readObject(t, filepath.Join(dir, "derivedUnsignedReveal.json")))

			revealed := file("derivedRevealDocument.json")
			derivedDoc, err := Derive(ctx, signedBase, DeriveOptions{SelectivePointers: selectivePointers, ToRDF: testToRDF})
			if err != nil {
				t.Fatalf("Derive: %v", err)
			}
			wantDerivedPV := decodeObject(t, revealed)["proof"].(map[string]any)["proofValue"]
			if sameJSON(t, derivedDoc, revealed) && decodeObject(t, derivedDoc)["proof"].(map[string]any)["proofValue"] == wantDerivedPV {
				st.pass("derivedRevealDocument.json")
			} else {
				t.Errorf("Derive:\n got %s\nwant %s", derivedDoc, revealed)
			}

			// Verification.
			dp, err := parseECDSASDDerived(wantDerivedPV.(string))
			if err != nil {
				t.Fatal(err)
			}
			vdp := readObject(t, filepath.Join(dir, "verifyDerivedProofValue.json"))
			var dlabels []any
			for _, k := range slices.Sorted(maps.Keys(dp.labelMap)) {
				dlabels = append(dlabels, []any{k, dp.labelMap[k]})
			}
			st.check("verifyDerivedProofValue.json", []any{
				hex.EncodeToString(dp.baseSignature), multibaseKey(dp.publicKey), hexList(dp.signatures), dlabels, anyList(dp.mandatoryIndexes),
			}, []any{vdp["baseSignature"], vdp["publicKey"], vdp["signatures"], vdp["labelMap"], vdp["mandatoryIndexes"]})
			revealedObj := decodeObject(t, revealed)
			ru := withoutProof(revealedObj)
			vd, err := createECDSASDVerifyData(ctx, ru, sdConfig(revealedObj["proof"].(map[string]any), ru), dp, testToRDF)
			if err != nil {
				t.Fatal(err)
			}
			st.check("verifyNQuads.json", anyList(vd.nquads), jsonValue(t, file("verifyNQuads.json")))
			cvd := readObject(t, filepath.Join(dir, "verifyCreateVerifyData.json"))
			st.check("verifyCreateVerifyData.json", []any{
				hex.EncodeToString(dp.baseSignature), hex.EncodeToString(vd.proofHash), multibaseKey(dp.publicKey),
				hexList(dp.signatures), anyList(vd.nonMandatory), hex.EncodeToString(vd.mandatoryHash),
			}, []any{cvd["baseSignature"], cvd["proofHash"], cvd["publicKey"], cvd["signatures"], cvd["nonMandatory"], cvd["mandatoryHash"]})
			res, err := Verify(ctx, revealed, vopts)
			if err != nil || len(res.Proofs) != 1 || res.Proofs[0].Cryptosuite != ECDSASD2023 {
				t.Errorf("Verify of the derived document: %v", err)
			}
			if _, err := Verify(ctx, derivedDoc, vopts); err != nil {
				t.Errorf("Verify of our derived document: %v", err)
			}
			if res, err := Verify(ctx, setMember(t, revealed, "credentialSubject/birthCountry", "Utopia"), vopts); !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("tampered derived document: %v, %v, want ErrInvalidSignature", res, err)
			}
			// derivedUnsignedReveal is the revealed document without its proof.
			if !sameJSON(t, mustJSON(t, ru), file("derivedUnsignedReveal.json")) {
				t.Errorf("derivedRevealDocument.json without proof is not derivedUnsignedReveal.json")
			}
			total += len(st.passed)
			t.Logf("%s: %d steps matched: %s", sv.dir, len(st.passed), strings.Join(st.passed, ", "))
		})
	}
	t.Logf("w3c-vc-di-ecdsa ecdsa-sd-2023: %d of %d vector files matched (2 runs of 20 files; SDKeyMaterial.json and the six input files are read as inputs)", total, files)
}
