package presentation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/pex"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

func TestPresentPEX(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.P256), newParty(t, keys.P256)
	held := wallet(t, iss, alice)
	// An ecdsa-sd-2023 credential whose holder can derive disclosures.
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
		`"type":["VerifiableCredential","AgeCredential"],"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"` + alice.did + `","ageOver18":true,"birthDate":"2001-04-12"}}`))
	if err != nil {
		t.Fatal(err)
	}
	sd, err := i.Issue(ctx, c, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: "ecdsa-sd-2023", MandatoryPointers: []string{"/credentialSubject/id"}})
	if err != nil {
		t.Fatal(err)
	}
	held["age-di"] = sd
	var cands []pex.Candidate
	for _, id := range []string{"diploma", "id", "job", "age-di"} {
		c, err := presentation.PEXCandidate(id, held[id])
		if err != nil {
			t.Fatal(err)
		}
		cands = append(cands, c)
	}
	def, err := pex.ParseDefinition([]byte(`{"id":"over18","input_descriptors":[
		{"id":"sdjwt","format":{"dc+sd-jwt":{}},"constraints":{"limit_disclosure":"required",
		  "fields":[{"path":["$.age_equal_or_over['18']"],"filter":{"type":"boolean","const":true}}]}},
		{"id":"di","format":{"ldp_vc":{}},"constraints":{"limit_disclosure":"required",
		  "fields":[{"path":["$.credentialSubject.ageOver18"],"filter":{"type":"boolean","const":true}}]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := pex.Evaluate(def, cands)
	if err != nil {
		t.Fatal(err)
	}
	var matches []pex.Match
	for _, s := range res.Selected {
		matches = append(matches, s.Match)
	}
	if len(matches) != 2 || matches[0].CandidateID != "id" || matches[1].CandidateID != "age-di" {
		t.Fatalf("matches %+v", matches)
	}
	h, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	req := presentation.Request{Nonce: "n-pex", Audience: "https://shop.example"}
	vps, err := h.PresentPEX(ctx, held, matches, false, req)
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
	expect := []vc.Expect{{Nonce: req.Nonce, Audience: req.Audience}, {Challenge: req.Nonce, Domain: req.Audience}}
	for k, vp := range vps {
		v, err := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		p, err := v.VerifyPresentation(ctx, vp, expect[k])
		if err != nil {
			t.Fatalf("presentation %d: %v", k, err)
		}
		claims := p.Credentials()[0].Claims()
		switch k {
		case 0:
			if fmt.Sprint(claims["age_equal_or_over"]) != "map[18:true]" || claims["birthdate"] != nil {
				t.Fatalf("SD-JWT: the verifier learned %v", claims)
			}
		case 1:
			subject := claims["credentialSubject"].(map[string]any)
			if subject["ageOver18"] != true || subject["birthDate"] != nil {
				t.Fatalf("ecdsa-sd-2023: the verifier learned %v", subject)
			}
		}
	}
	// The same derivation answers a DCQL query.
	dc, err := presentation.DCQLCredential("age-di", sd)
	if err != nil {
		t.Fatal(err)
	}
	q, err := dcql.ParseQuery([]byte(`{"credentials":[{"id":"age","format":"ldp_vc","meta":{"type_values":[["AgeCredential"]]},"claims":[{"path":["credentialSubject","ageOver18"]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	dres, err := dcql.Evaluate(q, []dcql.Credential{dc})
	if err != nil {
		t.Fatal(err)
	}
	token, err := h.RespondDCQL(ctx, held, dres.Response(), presentation.Request{Nonce: "n-dcql-di", Audience: req.Audience})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
	p, err := v.VerifyPresentation(ctx, token["age"][0], vc.Expect{Challenge: "n-dcql-di", Domain: req.Audience})
	if err != nil {
		t.Fatal(err)
	}
	if subject := p.Credentials()[0].Claims()["credentialSubject"].(map[string]any); subject["ageOver18"] != true || subject["birthDate"] != nil {
		t.Fatalf("DCQL ecdsa-sd-2023: the verifier learned %v", subject)
	}
	// A base proof never leaves the wallet.
	if _, err := h.Present(ctx, [][]byte{sd}, presentation.Request{Challenge: "c", Domain: "d", Format: vc.FormatDataIntegrity}); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Fatalf("presenting a base proof: %v", err)
	}
	// A whole credential cannot answer a limited match.
	limited := pex.Match{CandidateID: "diploma", Disclose: [][]any{{"credentialSubject", "degree"}}, Limited: true}
	if _, err := h.PresentPEX(ctx, held, []pex.Match{limited}, false, req); !errors.Is(err, vc.ErrUnsupportedFormat) {
		t.Fatalf("limited vc+jwt: %v", err)
	}
	if _, err := h.PresentPEX(ctx, held, []pex.Match{{CandidateID: "id", Predicates: [][]any{{"birthdate"}}}}, false, req); !errors.Is(err, vc.ErrUnsupportedProof) {
		t.Fatalf("predicate: %v", err)
	}
	if _, err := h.PresentPEX(ctx, held, []pex.Match{{CandidateID: "nope"}}, false, req); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("unknown credential: %v", err)
	}
}
