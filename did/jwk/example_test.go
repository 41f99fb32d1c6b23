package jwk_test

import (
	"context"
	"fmt"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/keys"
)

func Example() {
	reg := did.NewRegistry()
	if err := reg.Register("jwk", jwk.New()); err != nil {
		panic(err)
	}
	// The P-256 example of the did:jwk specification.
	const id = "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
	vm, err := reg.Dereference(context.Background(), id+"#0", did.AssertionMethod)
	if err != nil {
		panic(err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		panic(err)
	}
	alg, err := keys.Algorithm(pub)
	if err != nil {
		panic(err)
	}
	fmt.Println(vm.Type, alg)
	// Output:
	// JsonWebKey2020 ES256
}

func ExampleCreate() {
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		panic(err)
	}
	id, err := jwk.Create(signer.Public())
	if err != nil {
		panic(err)
	}
	res, err := jwk.New().Resolve(context.Background(), id)
	if err != nil {
		panic(err)
	}
	// "use":"sig" keeps an Ed25519 key out of keyAgreement.
	fmt.Println(len(res.Document.Authentication), len(res.Document.KeyAgreement))
	// Output:
	// 1 0
}
