package bbs_test

import (
	"context"
	"fmt"

	"github.com/credence-dev/credence/internal/bbs"
)

// A signer signs three messages; the holder discloses the first and the last; the
// verifier checks the proof against the signer's public key.
func Example() {
	ctx := context.Background()
	var s bbs.Suite
	sk, err := s.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	header := []byte("credential v1")
	messages := [][]byte{[]byte("name: Alice"), []byte("birthdate: 2000-01-01"), []byte("over18: true")}
	sig, err := sk.Sign(ctx, header, messages)
	if err != nil {
		panic(err)
	}
	fmt.Println("signature bytes:", len(sig), "verifies:", s.Verify(sk.PublicKey(), sig, header, messages) == nil)

	nonce := []byte("verifier nonce")
	disclosed := []int{0, 2}
	proof, err := s.ProofGen(sk.PublicKey(), sig, header, nonce, messages, disclosed, nil)
	if err != nil {
		panic(err)
	}
	err = s.ProofVerify(sk.PublicKey(), proof, header, nonce, [][]byte{messages[0], messages[2]}, disclosed)
	fmt.Println("proof bytes:", len(proof), "verifies:", err == nil)
	fmt.Println(sk)
	// Output:
	// signature bytes: 80 verifies: true
	// proof bytes: 304 verifies: true
	// bbs.SecretKey(redacted)
}
