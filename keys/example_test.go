package keys_test

import (
	"fmt"

	"github.com/credence-dev/credence/keys"
)

func ExampleParseMultikey() {
	pub, err := keys.ParseMultikey("zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv")
	if err != nil {
		fmt.Println(err)
		return
	}
	alg, _ := keys.Algorithm(pub)
	jwk, _ := keys.JWK(pub)
	fmt.Println(alg)
	fmt.Println(string(jwk))
	// Output:
	// ES256
	// {"crv":"P-256","kty":"EC","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns","y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"}
}

func ExampleSign() {
	signer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		fmt.Println(err)
		return
	}
	msg := []byte("over 18")
	sig, _ := keys.Sign(signer, msg)
	fmt.Println(keys.Verify(signer.Public(), keys.EdDSA, msg, sig))
	fmt.Println(keys.Verify(signer.Public(), keys.ES256, msg, sig) != nil)
	// Output:
	// <nil>
	// true
}
