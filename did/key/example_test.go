package key_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/key"
)

func ExampleCreate() {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	id, err := key.Create(pub)
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(id, "did:key:z6Mk")) // the multicodec of Ed25519 keys

	r, err := key.New(key.Options{})
	if err != nil {
		panic(err)
	}
	reg := did.NewRegistry()
	if err := reg.Register("key", r); err != nil {
		panic(err)
	}
	res, err := reg.Resolve(context.Background(), id)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Document.VerificationMethod[0].Type)
	// Output:
	// true
	// Multikey
}

func ExampleResolver_Resolve() {
	r, err := key.New(key.Options{EnableEncryptionKeyDerivation: true})
	if err != nil {
		panic(err)
	}
	res, err := r.Resolve(context.Background(), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	if err != nil {
		panic(err)
	}
	methods, err := res.Document.Methods(did.KeyAgreement)
	if err != nil {
		panic(err)
	}
	fmt.Println(methods[0].PublicKeyMultibase)
	// Output:
	// z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p
}
