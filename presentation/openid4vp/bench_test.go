package openid4vp

import (
	"context"
	"crypto/ed25519"
	"testing"
)

// reusable is a SessionStore that never marks a session answered, so that one response
// can be validated again and again.
type reusable struct{ *MemoryStore }

func (reusable) Complete(context.Context, string, *Result) error { return nil }

// BenchmarkHandleResponse validates one direct_post.jwt response carrying one SD-JWT VC
// presentation with key binding: decryption, both signatures, disclosures, nonce and
// audience, and the DCQL check.
func BenchmarkHandleResponse(b *testing.B) {
	ctx := context.Background()
	f := newFixture(b)
	roots, signer, x5c := testCA(b, "verifier.example")
	v := x509Verifier(b, f, signer, x5c, VerifierOptions{Sessions: reusable{NewMemoryStore(0, clock)}})
	req, err := v.NewRequest(ctx, []byte(ageQuery))
	if err != nil {
		b.Fatal(err)
	}
	w, _ := NewWallet(WalletOptions{Roots: roots, Clock: clock})
	in, err := w.ParseRequest(ctx, req.URL)
	if err != nil {
		b.Fatal(err)
	}
	var s []Share
	resp, err := w.Respond(ctx, in, f.holder, f.held, approve(&s))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.HandleResponse(ctx, resp.Body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawEd25519Verify is the unit of the ratios in BENCHMARKS.md.
func BenchmarkRawEd25519Verify(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	msg := make([]byte, 300)
	sig := ed25519.Sign(priv, msg)
	b.ReportAllocs()
	for b.Loop() {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("bad signature")
		}
	}
}
