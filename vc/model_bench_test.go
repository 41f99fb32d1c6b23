package vc

import (
	"testing"
)

// benchCredential is a realistic VC DM 2.0 credential of about 2 KB: an inline context,
// an issuer object with names in two languages, a validity period, a subject with nested
// claims, a status entry, a schema and a Data Integrity proof.
const benchCredential = `{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
    {"DriverLicenseCredential": "https://example.org/vocab#DriverLicenseCredential"}
  ],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "DriverLicenseCredential"],
  "issuer": {
    "id": "did:example:department-of-motor-vehicles",
    "name": [
      {"@value": "Department of Motor Vehicles", "@language": "en"},
      {"@value": "Département des véhicules automobiles", "@language": "fr"}
    ],
    "description": "Issues driving licences"
  },
  "name": "Driver licence",
  "validFrom": "2024-03-01T08:00:00.000Z",
  "validUntil": "2029-02-28T23:59:59Z",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "givenName": "Alex",
    "familyName": "Doe",
    "birthDate": "1990-05-17",
    "ageOver18": true,
    "address": {
      "streetAddress": "123 Main Street",
      "addressLocality": "Springfield",
      "postalCode": "12345",
      "addressCountry": "US"
    },
    "licence": {
      "number": "D123-4567-8901",
      "classes": ["A", "B", "C1"],
      "restrictions": [{"code": "01", "description": "corrective lenses"}],
      "issued": "2024-03-01",
      "points": 0
    }
  },
  "credentialStatus": {
    "id": "https://dmv.example/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://dmv.example/status/3"
  },
  "credentialSchema": {
    "id": "https://dmv.example/schemas/driver-licence.json",
    "type": "JsonSchema"
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2024-03-01T08:00:00Z",
    "verificationMethod": "did:example:department-of-motor-vehicles#key-1",
    "proofPurpose": "assertionMethod",
    "proofValue": "z2bGHeiV3VcNxRD4AHTVYh4pc9jDqn3M1hLAdz6CefuHw8HZfLgnKPVrQgD5hRpsX7RCqqnTRxknWRp5jV5Cr2GyD"
  }
}`

func BenchmarkParseCredential(b *testing.B) {
	data := []byte(benchCredential)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCredential(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	c, err := ParseCredential([]byte(benchCredential))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalCredential(b *testing.B) {
	c, err := ParseCredential([]byte(benchCredential))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
