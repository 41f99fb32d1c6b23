package peer_test

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/peer"
)

func ExampleCreate2() {
	sig, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	enc, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	id, err := peer.Create2([]peer.Key{
		{Relationship: did.Authentication, PublicKey: sig},
		{Relationship: did.KeyAgreement, PublicKey: enc.PublicKey()},
	}, []did.Service{{
		Type:            []string{"DIDCommMessaging"},
		ServiceEndpoint: json.RawMessage(`{"uri":"https://example.com/didcomm","accept":["didcomm/v2"]}`),
	}})
	if err != nil {
		panic(err)
	}
	res, err := peer.New(peer.Options{}).Resolve(context.Background(), id)
	if err != nil {
		panic(err)
	}
	doc := res.Document
	fmt.Println(doc.Authentication[0].ID, doc.KeyAgreement[0].ID, doc.Service[0].ID, doc.Service[0].Type[0])
	// Output:
	// #key-1 #key-2 #service DIDCommMessaging
}

func ExampleResolver_ResolveShort() {
	long, short, err := peer.Create4([]byte(`{
		"verificationMethod": [{"id": "#k", "type": "Multikey",
			"publicKeyMultibase": "z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"}],
		"authentication": ["#k"]
	}`))
	if err != nil {
		panic(err)
	}
	// The long form travels once; afterwards the peer uses the short form, which
	// resolves from the long form it kept.
	res, err := peer.New(peer.Options{}).ResolveShort(context.Background(), short, long)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Document.ID == short, res.Document.AlsoKnownAs[0] == long)
	// Output:
	// true true
}
