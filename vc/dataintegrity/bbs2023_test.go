package dataintegrity

import (
	"errors"
	"maps"
	"testing"

	"github.com/credence-dev/credence/keys"
)

// bbsFixture signs sdCredential with a fresh BBS key and returns the secured document.
func bbsFixture(t *testing.T, mandatory ...string) (*keys.BBSPrivateKey, map[string]any) {
	t.Helper()
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	mk, err := keys.Multikey(sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeObject(t, []byte(sdCredential))
	proof := map[string]any{
		"type": DataIntegrityProof, "cryptosuite": BBS2023, "created": "2025-01-01T00:00:00Z",
		"verificationMethod": "did:key:" + mk + "#" + mk, "proofPurpose": PurposeAssertionMethod,
	}
	run, err := createBBSBase(t.Context(), doc, sdConfig(proof, doc), sk, mandatory, nil, testToRDF)
	if err != nil {
		t.Fatal(err)
	}
	proof["proofValue"] = run.proof.encode()
	secured := maps.Clone(doc)
	secured["proof"] = proof
	return sk, secured
}

func verifyReveal(t *testing.T, pub *keys.BLS12381G2PublicKey, reveal map[string]any) error {
	t.Helper()
	proofObj := reveal["proof"].(map[string]any)
	_, dp, err := parseBBSProofValue(proofObj["proofValue"].(string))
	if err != nil {
		return err
	}
	if dp == nil {
		return ErrBaseProofPresented
	}
	return verifyBBS(t.Context(), pub, withoutMember(reveal, "proof"), proofObj, dp, testToRDF)
}

func TestBBS2023RoundTrip(t *testing.T) {
	sk, secured := bbsFixture(t, "/issuer", "/validUntil")
	for _, sel := range [][]string{
		nil,
		{"/credentialSubject/ageOver18"},
		{"/credentialSubject/children/1/school", "/credentialSubject/nationalities/0"},
		{"/credentialSubject"},
	} {
		d, err := deriveBBS(t.Context(), secured, sel, []byte("nonce"), sk.Public(), nil, testToRDF)
		if err != nil {
			t.Fatalf("%v: %v", sel, err)
		}
		if err := verifyReveal(t, sk.Public(), d.reveal); err != nil {
			t.Fatalf("%v: %v", sel, err)
		}
		if _, ok := d.reveal["credentialSubject"]; len(sel) > 0 && !ok {
			t.Fatalf("%v: nothing of the subject revealed", sel)
		}
	}
}

func TestBBS2023Refusals(t *testing.T) {
	sk, secured := bbsFixture(t, "/issuer")
	d, err := deriveBBS(t.Context(), secured, []string{"/credentialSubject/ageOver18"}, []byte("nonce"), sk.Public(), nil, testToRDF)
	if err != nil {
		t.Fatal(err)
	}
	other, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	tamper := func(f func(doc, proof map[string]any, dp *bbsDerived)) map[string]any {
		doc := deepCopy(d.reveal).(map[string]any)
		proof := doc["proof"].(map[string]any)
		_, dp, err := parseBBSProofValue(proof["proofValue"].(string))
		if err != nil {
			t.Fatal(err)
		}
		f(doc, proof, dp)
		pv, err := dp.encode()
		if err != nil {
			t.Fatal(err)
		}
		proof["proofValue"] = pv
		return doc
	}
	for _, tc := range []struct {
		name string
		doc  map[string]any
		pub  *keys.BLS12381G2PublicKey
		want error
	}{
		{"derived", d.reveal, sk.Public(), nil},
		{"base proof presented", secured, sk.Public(), ErrBaseProofPresented},
		{"other issuer key", d.reveal, other.Public(), ErrInvalidSignature},
		{"claim changed", tamper(func(doc, _ map[string]any, _ *bbsDerived) {
			doc["credentialSubject"].(map[string]any)["ageOver18"] = false
		}), sk.Public(), ErrInvalidSignature},
		{"presentation header changed", tamper(func(_, _ map[string]any, dp *bbsDerived) {
			dp.presentationHeader = []byte("other")
		}), sk.Public(), ErrInvalidSignature},
		{"selective index moved", tamper(func(_, _ map[string]any, dp *bbsDerived) {
			dp.selectiveIndexes[0]++
		}), sk.Public(), ErrInvalidSignature},
		{"mandatory index dropped", tamper(func(_, _ map[string]any, dp *bbsDerived) {
			dp.mandatoryIndexes = dp.mandatoryIndexes[1:]
		}), sk.Public(), ErrInvalidSignature},
		{"created changed", tamper(func(_, proof map[string]any, _ *bbsDerived) {
			proof["created"] = "2025-02-01T00:00:00Z"
		}), sk.Public(), ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := verifyReveal(t, tc.pub, tc.doc)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}

	if _, err := deriveBBS(t.Context(), d.reveal, nil, nil, sk.Public(), nil, testToRDF); !errors.Is(err, ErrUnsupportedProof) {
		t.Errorf("deriving from a derived proof: got %v, want ErrUnsupportedProof", err)
	}
	if _, err := deriveBBS(t.Context(), secured, nil, nil, other.Public(), nil, testToRDF); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("deriving with another key: got %v, want ErrInvalidKey", err)
	}
	if _, err := deriveBBS(t.Context(), secured, []string{"/credentialSubject/nothing"}, nil, sk.Public(), nil, testToRDF); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("pointer to nothing: got %v, want ErrInvalidOptions", err)
	}
	if _, err := createBBSBase(t.Context(), decodeObject(t, []byte(sdCredential)), map[string]any{}, nil, nil, nil, testToRDF); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("no signer: got %v, want ErrInvalidOptions", err)
	}
}
