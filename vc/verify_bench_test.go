package vc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// The verify benchmarks compare vc+jwt verification with the raw signature check of
// the same bytes, in the same run: BENCHMARKS.md reports their ratios.

func benchToken(b *testing.B, kt keys.KeyType) (party, []byte) {
	iss, alice := newParty(b, kt), newParty(b, keys.P256)
	return iss, issue(b, iss, parseCredential(b, credentialJSON("", alice.did)), vc.FormatJWT)
}

func splitToken(b *testing.B, tok []byte) (signingInput, sig []byte) {
	i := strings.LastIndexByte(string(tok), '.')
	sig, err := base64.RawURLEncoding.DecodeString(string(tok[i+1:]))
	if err != nil {
		b.Fatal(err)
	}
	return tok[:i], sig
}

func BenchmarkVerifyCredential(b *testing.B) {
	for _, kt := range []keys.KeyType{keys.Ed25519, keys.P256} {
		iss, tok := benchToken(b, kt)
		in, sig := splitToken(b, tok)
		b.Run("raw/"+string(kt), func(b *testing.B) {
			b.ReportAllocs()
			switch pub := iss.signer.Public().(type) {
			case ed25519.PublicKey:
				for b.Loop() {
					if !ed25519.Verify(pub, in, sig) {
						b.Fatal("bad signature")
					}
				}
			case *ecdsa.PublicKey:
				r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
				for b.Loop() {
					h := sha256.Sum256(in)
					if !ecdsa.Verify(pub, h[:], r, s) {
						b.Fatal("bad signature")
					}
				}
			}
		})
		b.Run("vc+jwt/"+string(kt), func(b *testing.B) {
			v := verifier(b, vc.VerifierOptions{Trust: trustOnly(b, iss.did)})
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.VerifyCredential(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIssue(b *testing.B) {
	iss, alice := newParty(b, keys.Ed25519), newParty(b, keys.P256)
	c := parseCredential(b, credentialJSON("", alice.did))
	tok := issue(b, iss, c, vc.FormatJWT)
	in, _ := splitToken(b, tok)
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	b.Run("raw/ed25519", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ed25519.Sign(priv, in)
		}
	})
	b.Run("vc+jwt/ed25519", func(b *testing.B) {
		i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := i.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// noReplay accepts every nonce, so one presentation can be verified in a loop.
type noReplay struct{}

func (noReplay) Use(context.Context, string, time.Time) error { return nil }

func BenchmarkVerifyPresentation(b *testing.B) {
	iss, alice := newParty(b, keys.Ed25519), newParty(b, keys.Ed25519)
	cred := issue(b, iss, parseCredential(b, credentialJSON("", alice.did)), vc.FormatJWT)
	vp := present(b, alice, presentationOf(alice.did, cred), "nonce", "https://shop.example", now)
	v := verifier(b, vc.VerifierOptions{Trust: trustOnly(b, iss.did), Replay: noReplay{}})
	want := vc.Expect{Nonce: "nonce", Audience: "https://shop.example"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyPresentation(ctx, vp, want); err != nil {
			b.Fatal(err)
		}
	}
}
