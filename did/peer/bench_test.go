package peer

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/credence-dev/credence/did"
)

func BenchmarkResolve(b *testing.B) {
	ed, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	x, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	id0, err := Create0(ed)
	if err != nil {
		b.Fatal(err)
	}
	service := did.Service{Type: []string{"DIDCommMessaging"},
		ServiceEndpoint: json.RawMessage(`{"uri":"https://example.com/didcomm","accept":["didcomm/v2"],"routingKeys":[]}`)}
	id2, err := Create2([]Key{{did.Authentication, ed}, {did.KeyAgreement, x.PublicKey()}}, []did.Service{service})
	if err != nil {
		b.Fatal(err)
	}
	id4, _, err := Create4([]byte(`{"@context":["https://www.w3.org/ns/did/v1"],"verificationMethod":[{"id":"#k","type":"Multikey","publicKeyMultibase":"z6Mkj3PUd1WjvaDhNZhhhXQdz5UnZXmS7ehtx8bsPpD47kKc"}],"authentication":["#k"],"service":[{"id":"#dm","type":"DIDCommMessaging","serviceEndpoint":"https://example.com/didcomm"}]}`))
	if err != nil {
		b.Fatal(err)
	}
	r := New(Options{})
	for _, c := range []struct{ name, id string }{{"numalgo0", id0}, {"numalgo2", id2}, {"numalgo4", id4}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Resolve(b.Context(), c.id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
