package dataintegrity

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
)

// TestSignVerifyRoundTrip signs with every suite and key type and verifies the result.
func TestSignVerifyRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		suite string
		kt    keys.KeyType
	}{
		{EdDSAJCS2022, keys.Ed25519}, {EdDSARDFC2022, keys.Ed25519},
		{ECDSAJCS2019, keys.P256}, {ECDSAJCS2019, keys.P384},
		{ECDSARDFC2019, keys.P256}, {ECDSARDFC2019, keys.P384},
	} {
		t.Run(tc.suite+"/"+string(tc.kt), func(t *testing.T) {
			k := newTestKey(t, tc.kt, 7)
			out, err := Sign(ctx, []byte(testCredential), k.signer, ProofOptions{
				Cryptosuite: tc.suite, VerificationMethod: k.vm, ProofPurpose: PurposeAuthentication,
				Created: vectorNow.Add(-time.Minute), Expires: vectorNow.Add(time.Hour),
				Challenge: "abc", Domain: "https://verifier.example", Nonce: "n-1", Canonicalize: standInRDFC,
			})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Verify(ctx, out, VerifyOptions{Key: didKeyVM, Purpose: PurposeAuthentication,
				Challenge: "abc", Domain: "https://verifier.example", Now: fixedNow, Canonicalize: standInRDFC})
			if err != nil {
				t.Fatal(err)
			}
			p := res.Proofs[0]
			if p.Cryptosuite != tc.suite || p.VerificationMethod != k.vm || !p.Created.Equal(vectorNow.Add(-time.Minute)) ||
				!p.Expires.Equal(vectorNow.Add(time.Hour)) || !keys.Equal(p.Key, k.signer.Public()) {
				t.Errorf("result %+v", p)
			}
			want := 64
			if tc.kt == keys.P384 {
				want = 96
			}
			proof := decodeObject(t, out)["proof"].(map[string]any)
			if b, _ := base58Decode(proof["proofValue"].(string)[1:]); len(b) != want {
				t.Errorf("proofValue of %d bytes, want %d", len(b), want)
			}
		})
	}
}

// TestSignKeepsDocument: the output is the input as written with the proof added.
func TestSignKeepsDocument(t *testing.T) {
	ctx := context.Background()
	k := newTestKey(t, keys.Ed25519, 1)
	o := ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow}
	in := []byte(" {\n  \"z\": 1,\n  \"@context\": \"https://www.w3.org/ns/credentials/v2\",\n  \"a\": [1.50, \"<&>\"]\n}\n")
	out, err := Sign(ctx, in, k.signer, o)
	if err != nil {
		t.Fatal(err)
	}
	cut := bytes.Index(in, []byte("]")) + 1
	if !bytes.HasPrefix(out, in[:cut]) || !bytes.HasSuffix(out, in[cut:]) || !bytes.Contains(out, []byte(`,"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":"2025-06-01T00:00:00Z"`)) {
		t.Errorf("output does not keep the document:\n%s", out)
	}
	// A second proof makes a set and keeps the first proof's bytes.
	first := out[bytes.Index(out, []byte(`{"type"`)):bytes.LastIndex(out, []byte("\n}"))]
	out2, err := Sign(ctx, out, newTestKey(t, keys.Ed25519, 2).signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: newTestKey(t, keys.Ed25519, 2).vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out2, append(append([]byte(`"proof":[`), first...), ',')) {
		t.Errorf("proof set does not keep the first proof:\n%s", out2)
	}
	if res, err := Verify(ctx, out2, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow}); err != nil || len(res.Proofs) != 2 {
		t.Errorf("Verify: %v, %v", res, err)
	}
	// An empty object and an empty proof set.
	for _, doc := range []string{`{}`, `{"proof":[]}`, `{ "a" : 1 , "proof" : [ ] }`} {
		out, err := Sign(ctx, []byte(doc), k.signer, o)
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if _, err := Verify(ctx, out, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow}); err != nil {
			t.Errorf("%s: %s: %v", doc, out, err)
		}
	}
}

func TestSignContextPolicy(t *testing.T) {
	ctx := context.Background()
	k := newTestKey(t, keys.Ed25519, 1)
	v11 := `{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiableCredential"],"issuer":"did:example:i"}`
	for _, tc := range []struct {
		name, doc string
		policy    ContextPolicy
		want      any
	}{
		{"VCDM 1.1 gets the data integrity context", v11, ContextAddIfMissing, []any{"https://www.w3.org/2018/credentials/v1", DataIntegrityContext}},
		{"a single context string", `{"@context":"https://www.w3.org/2018/credentials/v1"}`, ContextAddIfMissing, []any{"https://www.w3.org/2018/credentials/v1", DataIntegrityContext}},
		{"kept when asked", v11, ContextKeep, []any{"https://www.w3.org/2018/credentials/v1"}},
		{"VCDM 2.0 unchanged", testCredential, ContextAddIfMissing, []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"}},
		{"plain JSON unchanged", `{"a":1}`, ContextAddIfMissing, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, suite := range []string{EdDSAJCS2022, EdDSARDFC2022} {
				out, err := Sign(ctx, []byte(tc.doc), k.signer, ProofOptions{Cryptosuite: suite, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod,
					Created: vectorNow, Context: tc.policy, Canonicalize: standInRDFC})
				if err != nil {
					t.Fatal(err)
				}
				m := decodeObject(t, out)
				if canonical(t, m["@context"]) != canonical(t, tc.want) {
					t.Errorf("%s: @context %v, want %v", suite, m["@context"], tc.want)
				}
				pc, has := m["proof"].(map[string]any)["@context"]
				if wantProofCtx := suite == EdDSAJCS2022 && tc.want != nil; has != wantProofCtx || (has && canonical(t, pc) != canonical(t, tc.want)) {
					t.Errorf("%s: proof @context %v", suite, pc)
				}
				if _, err := Verify(ctx, out, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: standInRDFC}); err != nil {
					t.Errorf("%s: Verify: %v", suite, err)
				}
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	ctx := context.Background()
	ed := newTestKey(t, keys.Ed25519, 1)
	p256 := newTestKey(t, keys.P256, 1)
	good := ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow}
	signed, err := Sign(ctx, []byte(testCredential), ed.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ProofPurpose: PurposeAssertionMethod, ID: "urn:p:1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		doc    string
		signer keys.Signer
		mod    func(*ProofOptions)
		want   error
	}{
		{"unknown suite", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = "eddsa-2099" }, ErrUnsupportedProof},
		{"selective disclosure without ToRDF", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = ECDSASD2023 }, ErrInvalidOptions},
		{"bbs-2023 with a keys.Signer", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = BBS2023; o.ToRDF = testToRDF }, ErrAlgorithmKeyMismatch},
		{"legacy type", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = Ed25519Signature2020 }, ErrUnsupportedProof},
		{"rdfc without canonicalizer", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = EdDSARDFC2022 }, ErrInvalidOptions},
		{"no verification method", testCredential, ed.signer, func(o *ProofOptions) { o.VerificationMethod = "" }, ErrInvalidOptions},
		{"verification method not a DID URL", testCredential, ed.signer, func(o *ProofOptions) { o.VerificationMethod = "key-1" }, ErrInvalidOptions},
		{"no purpose", testCredential, ed.signer, func(o *ProofOptions) { o.ProofPurpose = "" }, ErrInvalidOptions},
		{"expires before created", testCredential, ed.signer, func(o *ProofOptions) { o.Expires = vectorNow.Add(-time.Second) }, ErrInvalidOptions},
		{"bad context policy", testCredential, ed.signer, func(o *ProofOptions) { o.Context = 9 }, ErrInvalidOptions},
		{"P-256 key for eddsa", testCredential, p256.signer, nil, ErrAlgorithmKeyMismatch},
		{"Ed25519 key for ecdsa", testCredential, ed.signer, func(o *ProofOptions) { o.Cryptosuite = ECDSAJCS2019 }, ErrAlgorithmKeyMismatch},
		{"nil signer", testCredential, nil, nil, ErrInvalidKey},
		{"previous proof missing", string(signed), ed.signer, func(o *ProofOptions) { o.PreviousProof = []string{"urn:p:2"} }, ErrInvalidOptions},
		{"previous proof is itself", string(signed), ed.signer, func(o *ProofOptions) { o.ID = "urn:p:3"; o.PreviousProof = []string{"urn:p:3"} }, ErrInvalidOptions},
		{"duplicate proof id", string(signed), ed.signer, func(o *ProofOptions) { o.ID = "urn:p:1" }, ErrInvalidOptions},
		{"document not an object", `[]`, ed.signer, nil, ErrMalformed},
		{"document not JSON", `{"a":}`, ed.signer, nil, ErrMalformed},
		{"proof not an object", `{"proof":1}`, ed.signer, nil, ErrInvalidProof},
		{"proof set with a string", `{"proof":["x"]}`, ed.signer, nil, ErrInvalidProof},
		{"number out of range", `{"n":1e400}`, ed.signer, nil, ErrMalformed},
		{"too many proofs", string(setMember(t, signed, "proof", manyProofs(t, signed, MaxProofs))), ed.signer, nil, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := good
			if tc.mod != nil {
				tc.mod(&o)
			}
			out, err := Sign(ctx, []byte(tc.doc), tc.signer, o)
			if !errors.Is(err, tc.want) || out != nil {
				t.Errorf("got %.60s, %v, want %v", out, err, tc.want)
			}
		})
	}
}

func TestDateTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2023-02-24T23:36:38Z", time.Date(2023, 2, 24, 23, 36, 38, 0, time.UTC), true},
		{"2023-02-24T23:36:38", time.Date(2023, 2, 24, 23, 36, 38, 0, time.UTC), true},
		{"2023-02-24T23:36:38.5Z", time.Date(2023, 2, 24, 23, 36, 38, 5e8, time.UTC), true},
		{"2023-02-24T23:36:38.123456789123+02:00", time.Date(2023, 2, 24, 21, 36, 38, 123456789, time.UTC), true},
		{"2023-02-24T23:36:38-14:00", time.Date(2023, 2, 25, 13, 36, 38, 0, time.UTC), true},
		{"2024-02-29T00:00:00Z", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"2023-02-29T00:00:00Z", time.Time{}, false},
		{"2023-02-24T24:00:00Z", time.Time{}, false},
		{"2023-02-24T23:36:60Z", time.Time{}, false},
		{"2023-02-24T23:36:38+14:01", time.Time{}, false},
		{"2023-02-24T23:36:38+0200", time.Time{}, false},
		{"2023-02-24T23:36:38.Z", time.Time{}, false},
		{"2023-02-24 23:36:38Z", time.Time{}, false},
		{"2023-02-24t23:36:38z", time.Time{}, false},
		{"0000-01-01T00:00:00Z", time.Time{}, false},
		{"-2023-02-24T23:36:38Z", time.Time{}, false},
		{"12023-02-24T23:36:38Z", time.Time{}, false},
		{"2023-2-24T23:36:38Z", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, err := parseDateTime(tc.in)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseDateTime(%q) = %v, %v", tc.in, got, err)
		}
	}
	if got := formatDateTime(time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600))); got != "2025-01-02T02:04:05Z" {
		t.Errorf("formatDateTime: %s", got)
	}
}

func TestBase58(t *testing.T) {
	for _, tc := range []struct {
		raw []byte
		enc string
	}{
		{nil, ""},
		{[]byte{0}, "1"},
		{[]byte{0, 0, 1}, "112"},
		{[]byte("hello world"), "StV1DL6CwTryKyV"},
		{[]byte{0xff, 0xff}, "LUv"},
	} {
		if got := base58Encode(tc.raw); got != tc.enc {
			t.Errorf("encode %x = %s, want %s", tc.raw, got, tc.enc)
		}
		got, err := base58Decode(tc.enc)
		if err != nil || !bytes.Equal(got, tc.raw) && len(tc.raw)+len(got) > 0 {
			t.Errorf("decode %s = %x, %v", tc.enc, got, err)
		}
	}
	for _, bad := range []string{"0", "O", "I", "l", "+", "z\x00"} {
		if _, err := base58Decode(bad); err == nil {
			t.Errorf("decode %q: no error", bad)
		}
	}
	long := strings.Repeat("z", 200)
	b, err := base58Decode(long)
	if err != nil || base58Encode(b) != long {
		t.Errorf("long round trip: %v", err)
	}
}
