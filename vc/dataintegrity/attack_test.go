package dataintegrity

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/keys"
)

// TestAttacks feeds Verify documents an attacker could send and checks the sentinel each
// is refused with. Every case has its own document and options; want nil means accept.
func TestAttacks(t *testing.T) {
	ctx := context.Background()
	ed := newTestKey(t, keys.Ed25519, 1)
	ed2 := newTestKey(t, keys.Ed25519, 2)
	p256 := newTestKey(t, keys.P256, 3)
	created := vectorNow.Add(-time.Hour)

	sign := func(doc []byte, k testKey, mod func(*ProofOptions)) []byte {
		t.Helper()
		o := ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod, Created: created, Canonicalize: standInRDFC}
		if mod != nil {
			mod(&o)
		}
		out, err := Sign(ctx, doc, k.signer, o)
		if err != nil {
			t.Fatalf("Sign: %v", err)
		}
		return out
	}
	cred := sign([]byte(testCredential), ed, nil)
	rdfcCred := sign([]byte(testCredential), ed, func(o *ProofOptions) { o.Cryptosuite = EdDSARDFC2022 })
	set := sign(cred, ed2, nil)
	pres := sign([]byte(testCredential), ed, func(o *ProofOptions) {
		o.ProofPurpose, o.Challenge, o.Domain = PurposeAuthentication, "c-8d1f", "verifier.example"
	})
	chain := sign(sign(sign([]byte(testCredential), ed, func(o *ProofOptions) { o.ID = "urn:proof:1" }), ed2,
		func(o *ProofOptions) { o.ID = "urn:proof:2"; o.PreviousProof = []string{"urn:proof:1"} }), ed,
		func(o *ProofOptions) { o.PreviousProof = []string{"urn:proof:2"} })

	base := VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow, Canonicalize: standInRDFC}
	presOpts := base
	presOpts.Purpose, presOpts.Challenge, presOpts.Domain = PurposeAuthentication, "c-8d1f", "verifier.example"
	keyReturning := func(pub crypto.PublicKey, err error) KeyFunc {
		return func(context.Context, string, string) (crypto.PublicKey, error) { return pub, err }
	}
	proofValue := func(n int) string { return "z" + base58Encode(make([]byte, n)) }
	deep := `{"proof":{"type":"DataIntegrityProof"},"x":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`

	for _, tc := range []struct {
		name string
		doc  []byte
		opts func(*VerifyOptions)
		want error
	}{
		{"valid credential", cred, nil, nil},
		{"valid rdfc credential", rdfcCred, nil, nil},
		{"valid proof set", set, nil, nil},
		{"valid presentation", pres, func(o *VerifyOptions) { *o = presOpts }, nil},
		{"valid chain", chain, nil, nil},

		{"tampered claim", setMember(t, cred, "credentialSubject/ageOver", 17), nil, ErrInvalidSignature},
		{"tampered issuer", setMember(t, cred, "issuer", "did:example:mallory"), nil, ErrInvalidSignature},
		{"claim added", setMember(t, cred, "credentialSubject/admin", true), nil, ErrInvalidSignature},
		{"claim removed", setMember(t, cred, "validFrom", nil), nil, ErrInvalidSignature},
		{"tampered proof member", setMember(t, cred, "proof/created", "2025-05-01T00:00:00Z"), nil, ErrInvalidSignature},
		{"proof member added", setMember(t, cred, "proof/nonce", "n"), nil, ErrInvalidSignature},
		{"flipped signature bit", setMember(t, cred, "proof/proofValue", flip(t, cred)), nil, ErrInvalidSignature},

		{"wrong purpose", cred, func(o *VerifyOptions) { *o = presOpts }, ErrProofPurpose},
		{"credential proof as presentation proof", setMember(t, cred, "proof/proofPurpose", "authentication"), nil, ErrProofPurpose},
		{"relabelled jcs as rdfc", setMember(t, cred, "proof/cryptosuite", EdDSARDFC2022), nil, ErrInvalidSignature},
		{"relabelled rdfc as jcs", setMember(t, rdfcCred, "proof/cryptosuite", EdDSAJCS2022), nil, ErrInvalidSignature},
		{"relabelled eddsa as ecdsa", setMember(t, cred, "proof/cryptosuite", ECDSAJCS2019), nil, ErrAlgorithmKeyMismatch},
		{"rdfc without canonicalizer", rdfcCred, func(o *VerifyOptions) { o.Canonicalize = nil }, ErrUnsupportedProof},
		{"suite not allowed", cred, func(o *VerifyOptions) { o.AllowedSuites = []string{ECDSAJCS2019} }, ErrAlgorithmNotAllowed},

		{"proof set with one bad proof", setMember(t, set, "proof/1/proofValue", flipAt(t, set, 1)), nil, ErrInvalidSignature},
		{"proof set with one unknown suite", setMember(t, set, "proof/1/cryptosuite", "eddsa-2099"), nil, ErrUnsupportedProof},
		{"proof set with one wrong purpose", setMember(t, set, "proof/1/proofPurpose", "capabilityInvocation"), nil, ErrProofPurpose},
		{"chain: previous proof tampered", setMember(t, chain, "proof/1/created", "2025-05-31T00:00:00Z"), nil, ErrInvalidSignature},
		{"chain: previous proof removed", removeProof(t, chain, 1), nil, ErrInvalidProof},
		{"chain: names itself", setMember(t, chain, "proof/1/previousProof", "urn:proof:2"), nil, ErrInvalidProof},
		{"duplicate proof ids", setMember(t, chain, "proof/1/id", "urn:proof:1"), nil, ErrInvalidProof},

		{"created in the future", sign([]byte(testCredential), ed, func(o *ProofOptions) { o.Created = vectorNow.Add(2 * time.Minute) }), nil, ErrIssuedInFuture},
		{"created within skew", sign([]byte(testCredential), ed, func(o *ProofOptions) { o.Created = vectorNow.Add(30 * time.Second) }), nil, nil},
		{"created beyond a larger skew", sign([]byte(testCredential), ed, func(o *ProofOptions) { o.Created = vectorNow.Add(2 * time.Minute) }), func(o *VerifyOptions) { o.Skew = 5 * time.Minute }, nil},
		{"expired", sign([]byte(testCredential), ed, func(o *ProofOptions) {
			o.Created = vectorNow.Add(-48 * time.Hour)
			o.Expires = vectorNow.Add(-time.Hour)
		}), nil, ErrExpired},
		{"expired within skew", sign([]byte(testCredential), ed, func(o *ProofOptions) { o.Expires = vectorNow.Add(-30 * time.Second) }), nil, nil},
		{"created not a dateTime", setMember(t, cred, "proof/created", "yesterday"), nil, ErrInvalidProof},
		{"created without seconds", setMember(t, cred, "proof/created", "2025-05-01T00:00Z"), nil, ErrInvalidProof},
		{"created as a number", setMember(t, cred, "proof/created", 1735689600), nil, ErrInvalidProof},
		{"expires before created", setMember(t, cred, "proof/expires", "2020-01-01T00:00:00Z"), nil, ErrInvalidProof},

		{"challenge mismatch", pres, func(o *VerifyOptions) { *o = presOpts; o.Challenge = "c-other" }, ErrChallengeMismatch},
		{"challenge missing", setMember(t, pres, "proof/challenge", nil), func(o *VerifyOptions) { *o = presOpts }, ErrChallengeMismatch},
		{"challenge prefix", pres, func(o *VerifyOptions) { *o = presOpts; o.Challenge = "c-8d1" }, ErrChallengeMismatch},
		{"domain mismatch", pres, func(o *VerifyOptions) { *o = presOpts; o.Domain = "evil.example" }, ErrDomainMismatch},
		{"domain missing", setMember(t, pres, "proof/domain", nil), func(o *VerifyOptions) { *o = presOpts }, ErrDomainMismatch},
		{"domain set with another", setMember(t, pres, "proof/domain", []any{"verifier.example", "evil.example"}), func(o *VerifyOptions) { *o = presOpts }, ErrDomainMismatch},
		{"domain as a number", setMember(t, pres, "proof/domain", 7), func(o *VerifyOptions) { *o = presOpts }, ErrInvalidProof},
		{"presentation without expected challenge", pres, func(o *VerifyOptions) { *o = presOpts; o.Challenge = "" }, ErrInvalidOptions},
		{"presentation without expected domain", pres, func(o *VerifyOptions) { *o = presOpts; o.Domain = "" }, ErrInvalidOptions},
		{"challenge checked for credentials when given", cred, func(o *VerifyOptions) { o.Challenge = "c" }, ErrChallengeMismatch},

		{"proofValue not multibase", setMember(t, cred, "proof/proofValue", "u"+strings.Repeat("A", 86)), nil, ErrInvalidProof},
		{"proofValue not base58", setMember(t, cred, "proof/proofValue", "z0OIl"+strings.Repeat("1", 80)), nil, ErrInvalidProof},
		{"proofValue too short", setMember(t, cred, "proof/proofValue", proofValue(63)), nil, ErrInvalidProof},
		{"proofValue of P-384 length for eddsa", setMember(t, cred, "proof/proofValue", proofValue(96)), nil, ErrInvalidProof},
		{"proofValue huge", setMember(t, cred, "proof/proofValue", "z"+strings.Repeat("2", 100_000)), nil, ErrInvalidProof},
		{"proofValue missing", setMember(t, cred, "proof/proofValue", nil), nil, ErrInvalidProof},
		{"proofValue an array", setMember(t, cred, "proof/proofValue", []any{"z1"}), nil, ErrInvalidProof},
		{"P-384 length for a P-256 key", setMember(t, setMember(t, cred, "proof/cryptosuite", ECDSAJCS2019), "proof/proofValue", proofValue(96)),
			func(o *VerifyOptions) { o.Key = keyReturning(p256.signer.Public(), nil) }, ErrInvalidProof},

		{"verificationMethod missing", setMember(t, cred, "proof/verificationMethod", nil), nil, ErrMissingKeyID},
		{"verificationMethod not a DID URL", setMember(t, cred, "proof/verificationMethod", "https://issuer.example/key-1"), nil, ErrInvalidDIDURL},
		{"verificationMethod an object", setMember(t, cred, "proof/verificationMethod", map[string]any{"id": ed.vm}), nil, ErrInvalidProof},
		{"key of the wrong type", cred, func(o *VerifyOptions) { o.Key = keyReturning(p256.signer.Public(), nil) }, ErrAlgorithmKeyMismatch},
		{"key of another signer", cred, func(o *VerifyOptions) { o.Key = keyReturning(ed2.signer.Public(), nil) }, ErrInvalidSignature},
		{"no key", cred, func(o *VerifyOptions) { o.Key = keyReturning(nil, nil) }, ErrInvalidKey},
		{"key resolution refused", cred, func(o *VerifyOptions) {
			o.Key = keyReturning(nil, fmt.Errorf("not under assertionMethod: %w", errs.ErrVerificationRelationship))
		}, errs.ErrVerificationRelationship},

		{"unknown cryptosuite", setMember(t, cred, "proof/cryptosuite", "eddsa-jcs-2099"), nil, ErrUnsupportedProof},
		{"bbs-2023 with a base58 proofValue", setMember(t, cred, "proof/cryptosuite", BBS2023), nil, ErrInvalidProof},
		{"unknown proof type", setMember(t, cred, "proof/type", "RsaSignature2018"), nil, ErrUnsupportedProof},
		{"proof type as an array", setMember(t, cred, "proof/type", []any{DataIntegrityProof}), nil, ErrInvalidProof},
		{"cryptosuite missing", setMember(t, cred, "proof/cryptosuite", nil), nil, ErrInvalidProof},
		{"legacy type with a cryptosuite", setMember(t, cred, "proof/type", Ed25519Signature2020), nil, ErrInvalidProof},
		{"purpose missing", setMember(t, cred, "proof/proofPurpose", nil), nil, ErrInvalidProof},

		{"jcs proof @context not a prefix", setMember(t, cred, "@context", []any{"https://www.w3.org/ns/credentials/v2"}), nil, ErrInvalidProof},
		{"jcs proof @context reordered", setMember(t, cred, "proof/@context", []any{"https://www.w3.org/ns/credentials/examples/v2", "https://www.w3.org/ns/credentials/v2"}), nil, ErrInvalidProof},
		{"jcs proof @context removed", setMember(t, cred, "proof/@context", nil), nil, ErrInvalidSignature},
		{"jcs document @context extended", setMember(t, cred, "@context", []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2", "https://w3id.org/extra/v1"}), nil, nil},

		{"no proof", []byte(testCredential), nil, ErrMissingProof},
		{"empty proof set", setMember(t, cred, "proof", []any{}), nil, ErrMissingProof},
		{"proof not an object", setMember(t, cred, "proof", "z3FXQ"), nil, ErrInvalidProof},
		{"proof null", []byte(`{"proof":null}`), nil, ErrInvalidProof},
		{"proof set of strings", setMember(t, cred, "proof", []any{"a"}), nil, ErrInvalidProof},
		{"too many proofs", setMember(t, cred, "proof", manyProofs(t, cred, MaxProofs+1)), nil, ErrTooLarge},
		{"document an array", []byte(`[` + string(cred) + `]`), nil, ErrMalformed},
		{"duplicate member", []byte(strings.Replace(string(cred), `"issuer"`, `"issuer":"did:example:mallory","issuer"`, 1)), nil, ErrMalformed},
		{"duplicate member in proof", []byte(strings.Replace(string(cred), `"proofPurpose"`, `"proofPurpose":"authentication","proofPurpose"`, 1)), nil, ErrMalformed},
		{"duplicate member by escape", []byte(strings.Replace(string(cred), `"issuer"`, `"issuer":"x","\u0069ssuer"`, 1)), nil, ErrMalformed},
		{"100k deep", []byte(deep), nil, ErrTooDeep},
		{"over 1 MiB", []byte(strings.Replace(string(cred), `"issuer"`, `"pad":"`+strings.Repeat("a", 1<<20)+`","issuer"`, 1)), nil, ErrTooLarge},
		{"trailing data", append(append([]byte{}, cred...), "{}"...), nil, ErrMalformed},
		{"invalid UTF-8", []byte(strings.Replace(string(cred), "Ada", "Ad\xff", 1)), nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := base
			if tc.opts != nil {
				tc.opts(&opts)
			}
			res, err := Verify(ctx, tc.doc, opts)
			if tc.want == nil {
				if err != nil || res == nil || len(res.Proofs) == 0 {
					t.Fatalf("got %v, %v, want success", res, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if res != nil {
				t.Errorf("result %+v with an error", res)
			}
		})
	}
}

// flip returns the proofValue of the (single) proof of doc with one bit changed.
func flip(t *testing.T, doc []byte) string {
	t.Helper()
	return flipValue(t, decodeObject(t, doc)["proof"].(map[string]any)["proofValue"].(string))
}

func flipAt(t *testing.T, doc []byte, i int) string {
	t.Helper()
	return flipValue(t, decodeProofs(t, doc)[i].(map[string]any)["proofValue"].(string))
}

func flipValue(t *testing.T, pv string) string {
	t.Helper()
	b, err := base58Decode(pv[1:])
	if err != nil {
		t.Fatal(err)
	}
	b[10] ^= 1
	return "z" + base58Encode(b)
}

func removeProof(t *testing.T, doc []byte, i int) []byte {
	t.Helper()
	ps := decodeProofs(t, doc)
	return setMember(t, doc, "proof", append(ps[:i:i], ps[i+1:]...))
}

func manyProofs(t *testing.T, doc []byte, n int) []any {
	t.Helper()
	p := decodeObject(t, doc)["proof"]
	out := make([]any, n)
	for i := range out {
		out[i] = p
	}
	return out
}

func TestUnsignedContexts(t *testing.T) {
	ctx := context.Background()
	ed := newTestKey(t, keys.Ed25519, 1)
	cred, err := Sign(ctx, []byte(testCredential), ed.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow})
	if err != nil {
		t.Fatal(err)
	}
	extended := setMember(t, cred, "@context", []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2", map[string]any{"admin": "https://evil.example/admin"}})
	for _, tc := range []struct {
		doc  []byte
		want int
	}{{cred, 0}, {extended, 1}} {
		res, err := Verify(ctx, tc.doc, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Proofs[0].UnsignedContexts; got != tc.want {
			t.Errorf("UnsignedContexts = %d, want %d", got, tc.want)
		}
	}
}

func TestProofErrorPath(t *testing.T) {
	ctx := context.Background()
	ed := newTestKey(t, keys.Ed25519, 1)
	o := ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow}
	one, err := Sign(ctx, []byte(testCredential), ed.signer, o)
	if err != nil {
		t.Fatal(err)
	}
	two, err := Sign(ctx, one, ed.signer, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc  []byte
		path string
	}{
		{setMember(t, one, "proof/proofPurpose", "x"), "/proof"},
		{setMember(t, two, "proof/1/proofValue", flipAt(t, two, 1)), "/proof/1"},
	} {
		_, err := Verify(ctx, tc.doc, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow})
		var pe *ProofError
		if !errors.As(err, &pe) || pe.Path != tc.path {
			t.Errorf("got %v, want a ProofError at %s", err, tc.path)
		}
	}
}

func TestVerifyOptions(t *testing.T) {
	ctx := context.Background()
	doc := []byte(`{"proof":{}}`)
	for _, tc := range []struct {
		name string
		opts VerifyOptions
	}{
		{"no key func", VerifyOptions{Purpose: PurposeAssertionMethod}},
		{"no purpose", VerifyOptions{Key: didKeyVM}},
		{"negative skew", VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Skew: -time.Second}},
		{"unknown allowed suite", VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, AllowedSuites: []string{"eddsa-jcs-2023"}}},
		{"authentication without challenge", VerifyOptions{Key: didKeyVM, Purpose: PurposeAuthentication, Domain: "d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(ctx, doc, tc.opts); !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("got %v, want ErrInvalidOptions", err)
			}
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	ed := newTestKey(t, keys.Ed25519, 1)
	cred, err := Sign(ctx, []byte(testCredential), ed.signer, ProofOptions{Cryptosuite: EdDSAJCS2022, VerificationMethod: ed.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(cctx, cred, VerifyOptions{Key: didKeyVM, Purpose: PurposeAssertionMethod, Now: fixedNow}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestDomainSet: a domain given as a set must be exactly the expected one (Data Integrity
// 1.0 §4.4 step 6: the same strings, a single string counting as a set of one).
func TestDomainSet(t *testing.T) {
	pol, err := (&VerifyOptions{Key: didKeyVM, Purpose: PurposeAuthentication, Challenge: "c", Domain: "a.example", Now: fixedNow}).policy()
	if err != nil {
		t.Fatal(err)
	}
	challenge := "c"
	for _, tc := range []struct {
		domains []string
		want    error
	}{
		{[]string{"a.example"}, nil},
		{[]string{"a.example", "a.example"}, nil},
		{[]string{"a.example", "b.example"}, ErrDomainMismatch},
		{[]string{"b.example"}, ErrDomainMismatch},
	} {
		p := &proof{suite: suiteByName(EdDSAJCS2022), purpose: PurposeAuthentication, challenge: &challenge, domains: tc.domains}
		if err := pol.check(p); !errors.Is(err, tc.want) {
			t.Errorf("%v: got %v, want %v", tc.domains, err, tc.want)
		}
	}
}
