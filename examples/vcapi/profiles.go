package main

import (
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/dataintegrity"
)

// A profile is one base path of the server: one securing mechanism (a Data Integrity
// cryptosuite, or vc+jwt) with one issuer key. The W3C suites give every endpoint of a
// configuration entry all its tags, so each cryptosuite (and, for ECDSA, each curve)
// gets its own base path and its own issuer.
type profile struct {
	// Path is the base path, such as "/eddsa-rdfc-2022" or "/ecdsa-rdfc-2019/p384".
	Path string
	// Suite is the Data Integrity cryptosuite; "" for vc+jwt.
	Suite string
	// Format is how issued credentials are secured.
	Format vc.Format
	// KeyType is the issuer's key; "" when the profile has no issuer yet.
	KeyType keys.KeyType
	// Tags are the suites' tags for the endpoints of this path.
	Tags []string
	// Curves is supportedEcdsaKeyTypes for ECDSA paths.
	Curves []string
	// Status says whether issued credentials get Bitstring Status List entries.
	Status bool
	// Derive says whether the path derives selective disclosures (/credentials/derive).
	Derive bool
	// Unsupported names why every endpoint of the path answers 501, when it does.
	Unsupported string
}

// profiles lists the base paths the server answers, in the order it prints them.
func profiles() []profile {
	return []profile{
		{Path: "/eddsa-rdfc-2022", Suite: dataintegrity.EdDSARDFC2022, Format: vc.FormatDataIntegrity, KeyType: keys.Ed25519,
			Tags: []string{"eddsa-rdfc-2022", "BitstringStatusList", "Revocation", "Suspension"}, Status: true},
		// The VC Data Model 2.0 suite runs on the JCS path: several of its positive cases
		// carry inline @context objects, which RDFC signing refuses (see README).
		{Path: "/eddsa-jcs-2022", Suite: dataintegrity.EdDSAJCS2022, Format: vc.FormatDataIntegrity, KeyType: keys.Ed25519,
			Tags: []string{"eddsa-jcs-2022", "vc2.0"}, Status: true},
		{Path: "/ecdsa-rdfc-2019/p256", Suite: dataintegrity.ECDSARDFC2019, Format: vc.FormatDataIntegrity, KeyType: keys.P256,
			Tags: []string{"ecdsa-rdfc-2019"}, Curves: []string{"P-256"}, Status: true},
		{Path: "/ecdsa-rdfc-2019/p384", Suite: dataintegrity.ECDSARDFC2019, Format: vc.FormatDataIntegrity, KeyType: keys.P384,
			Tags: []string{"ecdsa-rdfc-2019"}, Curves: []string{"P-384"}, Status: true},
		{Path: "/ecdsa-jcs-2019/p256", Suite: dataintegrity.ECDSAJCS2019, Format: vc.FormatDataIntegrity, KeyType: keys.P256,
			Tags: []string{"ecdsa-jcs-2019"}, Curves: []string{"P-256"}, Status: true},
		{Path: "/ecdsa-jcs-2019/p384", Suite: dataintegrity.ECDSAJCS2019, Format: vc.FormatDataIntegrity, KeyType: keys.P384,
			Tags: []string{"ecdsa-jcs-2019"}, Curves: []string{"P-384"}, Status: true},
		{Path: "/ecdsa-sd-2023", Suite: dataintegrity.ECDSASD2023, Format: vc.FormatDataIntegrity, KeyType: keys.P256,
			Tags: []string{"ecdsa-sd-2023"}, Curves: []string{"P-256"}, Status: true, Derive: true},
		// A BBS key signs only bbs-2023 base proofs, which are for holders: the path has no
		// status lists, whose credentials verifiers must check as they are.
		{Path: "/bbs-2023", Suite: dataintegrity.BBS2023, Format: vc.FormatDataIntegrity, KeyType: keys.BLS12381G2,
			Tags: []string{"bbs-2023"}, Derive: true},
		{Path: "/vc-jwt", Format: vc.FormatJWT, KeyType: keys.P256, Tags: []string{"EnvelopingProof"}},
	}
}

// name is how logs and the status list URLs name the profile: its path without the
// leading slash, other slashes as dashes ("ecdsa-rdfc-2019-p384").
func (p profile) name() string {
	b := []byte(p.Path[1:])
	for i, c := range b {
		if c == '/' {
			b[i] = '-'
		}
	}
	return string(b)
}
