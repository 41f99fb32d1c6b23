package main

import (
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// kind says how a format is secured, and so how the wallet presents it.
type kind int

const (
	kindSDJWT   kind = iota // SD-JWT VC: disclosures and a key binding JWT
	kindDerived             // Data Integrity selective disclosure: a derived proof in a DI presentation
	kindJWT                 // vc+jwt: the whole credential in a vp+jwt
)

// format is one way the ministry secures the identity credential. Adding a format is
// one entry in formats (and, for a new Data Integrity suite, its issuer key in flow).
type format struct {
	Name       string       // shown to people
	Handle     string       // the wallet's handle for the credential
	DCQL       string       // DCQL credential format identifier
	PEX        string       // PEX claim format designation
	Suite      string       // Data Integrity cryptosuite, if any
	Kind       kind         // how it is presented
	Age        vc.ClaimPath // where the "18 or over" answer is
	Unlinkable bool         // issued without id or status entry, valid for a day
}

// sdjwtAge and diAge are the over-18 answers as each family of formats writes them.
var (
	sdjwtAge = vc.ClaimPath{"age_equal_or_over", "18"}
	diAge    = vc.ClaimPath{"credentialSubject", "ageOver18"}
)

// formats lists what the ministry issues, in the order the demo runs them.
func formats() []format {
	return []format{
		{Name: "SD-JWT VC", Handle: "id-sd-jwt", DCQL: dcql.FormatSDJWTVC, PEX: "dc+sd-jwt", Kind: kindSDJWT, Age: sdjwtAge},
		{Name: "ecdsa-sd-2023", Handle: "id-ecdsa-sd", DCQL: presentation.DCQLFormatLDPVC, PEX: "ldp_vc", Suite: "ecdsa-sd-2023", Kind: kindDerived, Age: diAge},
		{Name: "bbs-2023", Handle: "id-bbs", DCQL: presentation.DCQLFormatLDPVC, PEX: "ldp_vc", Suite: "bbs-2023", Kind: kindDerived, Age: diAge},
		{Name: "bbs-2023 unlinkable", Handle: "id-bbs-unlinkable", DCQL: presentation.DCQLFormatLDPVC, PEX: "ldp_vc", Suite: "bbs-2023", Kind: kindDerived, Age: diAge, Unlinkable: true},
		{Name: "vc+jwt", Handle: "id-vc-jwt", DCQL: presentation.DCQLFormatJWTVC, PEX: "jwt_vc_json", Kind: kindJWT, Age: diAge},
	}
}
