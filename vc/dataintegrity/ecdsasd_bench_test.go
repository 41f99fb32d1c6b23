package dataintegrity

import (
	"context"
	"crypto"
	"testing"

	"github.com/credence-dev/credence/keys"
)

// ecdsa-sd-2023 on benchCredential (21 statements, 6 of them mandatory): the issuer
// makes /issuer and the validity mandatory, the holder discloses the degree (5 more
// statements). Compare with BenchmarkP256Verify, one raw ES256 signature check:
// verifying the derived proof checks the base signature and the 5 statement signatures,
// after JSON-LD expansion and RDFC-1.0.

var benchMandatory = []string{"/issuer", "/validFrom", "/validUntil"}

func benchSDSetup(b *testing.B) (sdParty, []byte, []byte, VerifyOptions) {
	k := newSDParty(b, keys.P256)
	base, err := Sign(context.Background(), []byte(benchCredential), k.signer, ProofOptions{
		Cryptosuite: ECDSASD2023, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod, Created: vectorNow,
		MandatoryPointers: benchMandatory, ToRDF: testToRDF,
	})
	if err != nil {
		b.Fatal(err)
	}
	derived := deriveSD(b, base, "/credentialSubject/degree")
	pub := k.signer.Public()
	key := func(context.Context, string, string) (crypto.PublicKey, error) { return pub, nil }
	return k, base, derived, VerifyOptions{Key: key, Purpose: PurposeAssertionMethod, Now: fixedNow, ToRDF: testToRDF}
}

// BenchmarkSignECDSASD2023 issues a base proof: canonicalization, HMAC relabelling, one
// proof-scoped signature per non-mandatory statement and the base signature.
func BenchmarkSignECDSASD2023(b *testing.B) {
	k, _, _, _ := benchSDSetup(b)
	ctx := context.Background()
	opts := ProofOptions{Cryptosuite: ECDSASD2023, VerificationMethod: k.vm, ProofPurpose: PurposeAssertionMethod,
		Created: vectorNow, MandatoryPointers: benchMandatory, ToRDF: testToRDF}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(ctx, []byte(benchCredential), k.signer, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeriveECDSASD2023 derives a disclosure of the degree from the base proof.
func BenchmarkDeriveECDSASD2023(b *testing.B) {
	_, base, _, _ := benchSDSetup(b)
	ctx := context.Background()
	opts := DeriveOptions{SelectivePointers: []string{"/credentialSubject/degree"}, ToRDF: testToRDF}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Derive(ctx, base, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyECDSASD2023 verifies the derived credential.
func BenchmarkVerifyECDSASD2023(b *testing.B) {
	_, _, derived, opts := benchSDSetup(b)
	ctx := context.Background()
	b.SetBytes(int64(len(derived)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(ctx, derived, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkP256Verify is the raw signature check: one ES256 verification of a short
// message.
func BenchmarkP256Verify(b *testing.B) {
	k := newSDParty(b, keys.P256)
	msg := []byte("_:u3Lv2QpFgo-YAegc1cQQKWJFW2sEjQF6FfuZ0VEoMKHg <https://schema.org/name> \"Jayden Doe\" .\n")
	sig, err := keys.Sign(k.signer, msg)
	if err != nil {
		b.Fatal(err)
	}
	pub := k.signer.Public()
	b.ReportAllocs()
	for b.Loop() {
		if err := keys.Verify(pub, keys.ES256, msg, sig); err != nil {
			b.Fatal(err)
		}
	}
}
