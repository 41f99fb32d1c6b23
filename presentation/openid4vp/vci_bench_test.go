package openid4vp

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
)

// reusableNonces is an IssuanceStore whose c_nonces never run out, so that one key
// proof can be checked again and again.
type reusableNonces struct{ *MemoryIssuanceStore }

func (reusableNonces) UseNonce(context.Context, string) error { return nil }

// benchCredential measures the credential endpoint (Issuer.Credential) issuing one
// credential of configuration cid: access token lookup, request parsing, the key
// proof check (one Ed25519 verify), the claims callback and the issuer's signature
// (one Ed25519 sign, plus the disclosures of an SD-JWT).
func benchCredential(b *testing.B, cid string) {
	ctx := context.Background()
	f := newVCIFixture(b, func(o *IssuerOptions) {
		o.Store = reusableNonces{NewMemoryIssuanceStore(0, clock)}
		o.TokenLifetime = 24 * time.Hour
	})
	tok := f.token(b, cid)
	holder := newParty(b, keys.Ed25519).signer
	body := credentialBody(cid, f.proofJWT(b, holder, f.nonce(b), nil))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.issuer.Credential(ctx, tok, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCredentialSDJWT issues one dc+sd-jwt with three disclosable claims.
func BenchmarkCredentialSDJWT(b *testing.B) { benchCredential(b, "pid") }

// BenchmarkCredentialJWTVC issues one jwt_vc_json (vc+jwt).
func BenchmarkCredentialJWTVC(b *testing.B) { benchCredential(b, "diploma") }

// BenchmarkRawEd25519Sign is the issuer's share of a credential request: one signature.
func BenchmarkRawEd25519Sign(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(nil)
	msg := make([]byte, 300)
	b.ReportAllocs()
	for b.Loop() {
		ed25519.Sign(priv, msg)
	}
}
