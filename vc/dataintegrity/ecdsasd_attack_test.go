package dataintegrity

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
)

// sdCredential is our own ecdsa-sd-2023 test credential: a nested object, an array and
// claims of several types.
const sdCredential = `{
	"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
	"type": ["VerifiableCredential", "ExampleAgeCredential"],
	"issuer": "did:example:ministry",
	"validFrom": "2025-01-01T00:00:00Z",
	"validUntil": "2030-01-01T00:00:00Z",
	"credentialSubject": {
		"id": "did:example:alice",
		"name": "Alice",
		"birthDate": "2001-04-12",
		"ageOver18": true,
		"address": {"streetAddress": "1 Main St", "addressLocality": "Utopia"},
		"nationalities": ["AR", "UT"],
		"children": [
			{"name": "Bob", "birthDate": "2020-01-01"},
			{"id": "did:example:carol", "name": "Carol", "school": {"id": "https://school.example", "name": "Utopia School"}}
		]
	}
}`

// sdParty is an issuer key with its did:key verification method.
type sdParty struct {
	signer keys.Signer
	vm     string
}

func newSDParty(t testing.TB, kt keys.KeyType) sdParty {
	t.Helper()
	s, err := keys.Generate(kt)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := keys.Multikey(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return sdParty{s, "did:key:" + mk + "#" + mk}
}

func signSD(t testing.TB, p sdParty, doc string, mandatory ...string) []byte {
	t.Helper()
	out, err := Sign(context.Background(), []byte(doc), p.signer, ProofOptions{
		Cryptosuite: ECDSASD2023, VerificationMethod: p.vm, ProofPurpose: PurposeAssertionMethod,
		Created: vectorNow.Add(-24 * 3600e9), MandatoryPointers: mandatory, ToRDF: testToRDF,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func deriveSD(t testing.TB, base []byte, pointers ...string) []byte {
	t.Helper()
	out, err := Derive(context.Background(), base, DeriveOptions{SelectivePointers: pointers, ToRDF: testToRDF})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withProofValue returns doc with its proof's proofValue replaced.
func withProofValue(t testing.TB, doc []byte, pv string) []byte {
	t.Helper()
	m := decodeObject(t, doc)
	p := maps.Clone(m["proof"].(map[string]any))
	p["proofValue"] = pv
	m["proof"] = p
	return mustJSON(t, m)
}

// withDerived decodes the derived proof of doc, lets edit change it, and encodes it back.
func withDerived(t testing.TB, doc []byte, edit func(*ecdsaSDDerived)) []byte {
	t.Helper()
	pv := decodeObject(t, doc)["proof"].(map[string]any)["proofValue"].(string)
	dp, err := parseECDSASDDerived(pv)
	if err != nil {
		t.Fatal(err)
	}
	edit(dp)
	out, err := dp.encode()
	if err != nil {
		t.Fatal(err)
	}
	return withProofValue(t, doc, out)
}

// rawProofValue returns the multibase text of header and body bytes.
func rawProofValue(b ...[]byte) string {
	var all []byte
	for _, x := range b {
		all = append(all, x...)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(all)
}

func TestECDSASDRoundTrip(t *testing.T) {
	ctx := context.Background()
	iss := newSDParty(t, keys.P256)
	base := signSD(t, iss, sdCredential, "/issuer", "/validUntil")
	opts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF}
	if _, err := VerifyBase(ctx, base, opts); err != nil {
		t.Fatalf("VerifyBase: %v", err)
	}
	for _, pointers := range [][]string{
		nil,
		{"/credentialSubject/ageOver18"},
		{"/credentialSubject/address/addressLocality", "/credentialSubject/nationalities/1"},
		{"/credentialSubject"},
		{"/credentialSubject/nationalities", "/validFrom", "/credentialSubject/name"},
		{"/credentialSubject/children/1/name", "/credentialSubject/children/0"},
		{"/credentialSubject/children/1/name", "/credentialSubject/children/1/school/name", "/credentialSubject/address"},
		{"/credentialSubject/children"},
	} {
		derived := deriveSD(t, base, pointers...)
		res, err := Verify(ctx, derived, opts)
		if err != nil {
			t.Fatalf("%v: Verify: %v\n%s", pointers, err, derived)
		}
		if res.Proofs[0].Cryptosuite != ECDSASD2023 || res.Proofs[0].VerificationMethod != iss.vm {
			t.Errorf("%v: %+v", pointers, res.Proofs[0])
		}
		doc := decodeObject(t, derived)
		if doc["issuer"] != "did:example:ministry" || doc["validUntil"] == nil {
			t.Errorf("%v: mandatory members missing: %s", pointers, derived)
		}
		if len(pointers) == 1 && pointers[0] == "/credentialSubject/ageOver18" {
			cs := doc["credentialSubject"].(map[string]any)
			if len(cs) != 2 || cs["ageOver18"] != true || cs["id"] != "did:example:alice" {
				t.Errorf("disclosed subject %v", cs)
			}
		}
	}
}

// TestECDSASDAttacks: every change to a derived credential or its proof is refused with
// the named sentinel.
func TestECDSASDAttacks(t *testing.T) {
	ctx := context.Background()
	iss := newSDParty(t, keys.P256)
	base := signSD(t, iss, sdCredential, "/issuer", "/validUntil")
	derived := deriveSD(t, base, "/credentialSubject/ageOver18", "/credentialSubject/address")
	other := signSD(t, iss, strings.Replace(sdCredential, `"Utopia"`, `"Dystopia"`, 1), "/issuer", "/validUntil")
	otherDerived := deriveSD(t, other, "/credentialSubject/ageOver18", "/credentialSubject/address")
	opts := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF}
	if _, err := Verify(ctx, derived, opts); err != nil {
		t.Fatalf("derived credential: %v", err)
	}
	pv := decodeObject(t, derived)["proof"].(map[string]any)["proofValue"].(string)
	body, _ := base64.RawURLEncoding.DecodeString(pv[1:])
	p384 := newSDParty(t, keys.P384)

	for _, tc := range []struct {
		name string
		doc  []byte
		opts *VerifyOptions
		want error
	}{
		{"tampered disclosed value", setMember(t, derived, "credentialSubject/address/addressLocality", "Dystopia"), nil, ErrInvalidSignature},
		{"tampered mandatory value", setMember(t, derived, "validUntil", "2099-01-01T00:00:00Z"), nil, ErrInvalidSignature},
		{"disclosed statement removed", setMember(t, derived, "credentialSubject/address/streetAddress", nil), nil, ErrInvalidSignature},
		{"disclosed object removed", setMember(t, derived, "credentialSubject/address", nil), nil, ErrInvalidSignature},
		{"statement added", setMember(t, derived, "credentialSubject/name", "Alice"), nil, ErrInvalidSignature},
		{"mandatory statement not disclosed", setMember(t, derived, "validUntil", nil), nil, ErrInvalidSignature},
		{"base proof presented", base, nil, ErrBaseProofPresented},
		{"proof from another credential", withProofValue(t, derived, decodeObject(t, otherDerived)["proof"].(map[string]any)["proofValue"].(string)), nil, ErrInvalidSignature},
		{"proof configuration changed", setMember(t, derived, "proof/created", "2024-01-01T00:00:00Z"), nil, ErrInvalidSignature},
		{"cryptosuite relabelled", setMember(t, derived, "proof/cryptosuite", ECDSARDFC2019), nil, ErrInvalidProof},
		{"signature removed", withDerived(t, derived, func(d *ecdsaSDDerived) { d.signatures = d.signatures[1:] }), nil, ErrInvalidSignature},
		{"signatures reordered", withDerived(t, derived, func(d *ecdsaSDDerived) {
			d.signatures[0], d.signatures[1] = d.signatures[1], d.signatures[0]
		}), nil, ErrInvalidSignature},
		{"statement made mandatory", withDerived(t, derived, func(d *ecdsaSDDerived) {
			for i := 0; ; i++ {
				if !slices.Contains(d.mandatoryIndexes, i) {
					d.mandatoryIndexes = append(d.mandatoryIndexes, i)
					slices.Sort(d.mandatoryIndexes)
					d.signatures = d.signatures[1:]
					return
				}
			}
		}), nil, ErrInvalidSignature},
		{"mandatory index out of range", withDerived(t, derived, func(d *ecdsaSDDerived) { d.mandatoryIndexes = append(d.mandatoryIndexes, 500) }), nil, ErrInvalidSignature},
		{"mandatory indexes unordered", withDerived(t, derived, func(d *ecdsaSDDerived) { d.mandatoryIndexes = append(d.mandatoryIndexes, 0) }), nil, ErrInvalidProof},
		{"labels swapped", withDerived(t, derived, func(d *ecdsaSDDerived) {
			d.labelMap["c14n0"], d.labelMap["c14n1"] = d.labelMap["c14n1"], d.labelMap["c14n0"]
		}), nil, ErrInvalidSignature},
		{"label missing", withDerived(t, derived, func(d *ecdsaSDDerived) { delete(d.labelMap, "c14n0") }), nil, ErrInvalidSignature},
		{"extra label", withDerived(t, derived, func(d *ecdsaSDDerived) {
			d.labelMap["c14n9"] = "u" + base64.RawURLEncoding.EncodeToString(make([]byte, 32))
		}), nil, ErrInvalidSignature},
		{"repeated label", withDerived(t, derived, func(d *ecdsaSDDerived) { d.labelMap["c14n1"] = d.labelMap["c14n0"] }), nil, ErrInvalidProof},
		{"proof-scoped key replaced", withDerived(t, derived, func(d *ecdsaSDDerived) {
			k, _ := multikeyBytes(newSDParty(t, keys.P256).signer.Public())
			d.publicKey = k
		}), nil, ErrInvalidSignature},
		{"proof-scoped key not on the curve", withDerived(t, derived, func(d *ecdsaSDDerived) {
			d.publicKey = append([]byte{0x80, 0x24, 0x02}, bytes.Repeat([]byte{0xff}, 32)...)
		}), nil, ErrInvalidProof},
		{"base signature of another key", withDerived(t, derived, func(d *ecdsaSDDerived) {
			sig, _ := keys.Sign(newSDParty(t, keys.P256).signer, []byte("x"))
			d.baseSignature = sig
		}), nil, ErrInvalidSignature},
		{"malformed CBOR: truncated", withProofValue(t, derived, rawProofValue(body[:len(body)-1])), nil, ErrInvalidProof},
		{"malformed CBOR: trailing byte", withProofValue(t, derived, rawProofValue(body, []byte{0})), nil, ErrInvalidProof},
		{"malformed CBOR: indefinite array", withProofValue(t, derived, rawProofValue(ecdsaSDDerivedHeader[:], []byte{0x9f}, body[4:])), nil, ErrInvalidProof},
		{"malformed CBOR: four components", withProofValue(t, derived, rawProofValue(ecdsaSDDerivedHeader[:], []byte{0x84}, body[4:])), nil, ErrInvalidProof},
		{"malformed CBOR: long form length", withProofValue(t, derived, rawProofValue(ecdsaSDDerivedHeader[:], []byte{0x85, 0x59, 0x00, 0x40}, body[6:])), nil, ErrInvalidProof},
		{"malformed CBOR: empty", withProofValue(t, derived, "u"), nil, ErrInvalidProof},
		{"not base64url", withProofValue(t, derived, "u+/+/"), nil, ErrInvalidProof},
		{"base58 proof value", withProofValue(t, derived, "z3yMi"), nil, ErrInvalidProof},
		{"oversized proof value", withProofValue(t, derived, "u"+strings.Repeat("A", MaxSDProofValue)), nil, ErrTooLarge},
		{"wrong CBOR tag", withProofValue(t, derived, rawProofValue([]byte{0xd9, 0x5d, 0x02}, body[3:])), nil, ErrInvalidProof},
		{"bbs tag", withProofValue(t, derived, rawProofValue([]byte{0xd9, 0x5d, 0x03}, body[3:])), nil, ErrInvalidProof},
		{"derived body under the base tag", withProofValue(t, derived, rawProofValue(ecdsaSDBaseHeader[:], body[3:])), nil, ErrInvalidProof},
		{"no RDF conversion", derived, &VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow}, ErrUnsupportedProof},
		{"suite not allowed", derived, &VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF, AllowedSuites: []string{ECDSARDFC2019}}, ErrAlgorithmNotAllowed},
		{"P-384 issuer key", derived, &VerifyOptions{Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF,
			Key: func(context.Context, string, string) (crypto.PublicKey, error) { return p384.signer.Public(), nil }}, ErrAlgorithmKeyMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := opts
			if tc.opts != nil {
				o = *tc.opts
			}
			res, err := Verify(ctx, tc.doc, o)
			if !errors.Is(err, tc.want) || res != nil {
				t.Errorf("got %v, %v, want %v", res, err, tc.want)
			}
		})
	}

	// The holder side refuses what it cannot derive from.
	for _, tc := range []struct {
		name     string
		doc      []byte
		pointers []string
		want     error
	}{
		{"derived credential", derived, nil, ErrInvalidProof},
		{"pointer naming nothing", base, []string{"/credentialSubject/height"}, ErrInvalidOptions},
		{"index beyond the array", base, []string{"/credentialSubject/nationalities/2"}, ErrInvalidOptions},
		{"bad escape", base, []string{"/credentialSubject/~2"}, ErrInvalidOptions},
		{"relative pointer", base, []string{"credentialSubject"}, ErrInvalidOptions},
		{"tampered base document", setMember(t, base, "credentialSubject/name", "Eve"), []string{"/credentialSubject/name"}, nil},
		{"too many pointers", base, make([]string, MaxPointers+1), ErrTooLarge},
	} {
		t.Run("derive/"+tc.name, func(t *testing.T) {
			out, err := Derive(ctx, tc.doc, DeriveOptions{SelectivePointers: tc.pointers, ToRDF: testToRDF})
			if tc.want == nil {
				// Derive does not verify; the derived proof of a tampered base fails.
				if err != nil {
					t.Fatal(err)
				}
				if _, err := Verify(ctx, out, opts); !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("Verify of a derivation of a tampered base: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || out != nil {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := VerifyBase(ctx, setMember(t, base, "credentialSubject/name", "Eve"), opts); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("VerifyBase of a tampered base: %v", err)
	}
	if _, err := VerifyBase(ctx, derived, opts); !errors.Is(err, ErrUnsupportedProof) {
		t.Errorf("VerifyBase of a derived proof: %v", err)
	}

	// The issuer side.
	for _, tc := range []struct {
		name   string
		signer keys.Signer
		opts   func(*ProofOptions)
		want   error
	}{
		{"P-384 key", p384.signer, func(o *ProofOptions) {}, ErrAlgorithmKeyMismatch},
		{"no ToRDF", iss.signer, func(o *ProofOptions) { o.ToRDF = nil }, ErrInvalidOptions},
		{"pointer naming nothing", iss.signer, func(o *ProofOptions) { o.MandatoryPointers = []string{"/nothing"} }, ErrInvalidOptions},
		{"previous proof", iss.signer, func(o *ProofOptions) { o.PreviousProof = []string{"urn:x"} }, ErrInvalidOptions},
		{"pointers with another suite", iss.signer, func(o *ProofOptions) { o.Cryptosuite = ECDSAJCS2019 }, ErrInvalidOptions},
	} {
		t.Run("sign/"+tc.name, func(t *testing.T) {
			o := ProofOptions{Cryptosuite: ECDSASD2023, VerificationMethod: iss.vm, ProofPurpose: PurposeAssertionMethod,
				MandatoryPointers: []string{"/issuer"}, ToRDF: testToRDF}
			tc.opts(&o)
			if _, err := Sign(ctx, []byte(sdCredential), tc.signer, o); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	// A base proof on a document with a proof already.
	o := ProofOptions{Cryptosuite: ECDSASD2023, VerificationMethod: iss.vm, ProofPurpose: PurposeAssertionMethod, ToRDF: testToRDF}
	if _, err := Sign(ctx, base, iss.signer, o); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("base proof on a secured document: %v", err)
	}
}

// TestSkolemizationRefused: documents whose nodes selective disclosure cannot follow are
// refused when the base proof is made, not when a verifier fails on it.
func TestSkolemizationRefused(t *testing.T) {
	iss := newSDParty(t, keys.P256)
	list := strings.Replace(sdCredential, `"name": "Alice",`, `"name": {"@list": ["Alice", "A."]},`, 1)
	_, err := Sign(context.Background(), []byte(list), iss.signer, ProofOptions{
		Cryptosuite: ECDSASD2023, VerificationMethod: iss.vm, ProofPurpose: PurposeAssertionMethod, ToRDF: testToRDF,
	})
	if !errors.Is(err, ErrUnsupportedProof) {
		t.Errorf("RDF list: %v, want ErrUnsupportedProof", err)
	}
}
