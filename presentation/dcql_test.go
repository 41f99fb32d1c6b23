package presentation_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// wallet issues alice an SD-JWT VC identity credential with age predicates, a vc+jwt
// diploma and a Data Integrity employment credential.
func wallet(t *testing.T, iss, alice party) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	i, err := vc.NewIssuer(iss.signer, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	age, ageFrame, err := sdjwt.AgeEqualOrOver(time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC), now, 18, 21)
	if err != nil {
		t.Fatal(err)
	}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"birthdate"})
	if err != nil {
		t.Fatal(err)
	}
	frame.Members["age_equal_or_over"] = ageFrame
	id, err := i.IssueSDJWT(ctx, map[string]any{"given_name": "Alice", "birthdate": "2001-04-12", "age_equal_or_over": age}, frame,
		vc.SDJWTOptions{VCT: "urn:example:id:1", Holder: alice.signer.Public()})
	if err != nil {
		t.Fatal(err)
	}
	doc := func(typ, claims string) *vc.Credential {
		c, err := vc.ParseCredential([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],` +
			`"type":["VerifiableCredential","` + typ + `"],"validFrom":"2026-01-01T00:00:00Z","credentialSubject":{"id":"` + alice.did + `",` + claims + `}}`))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	diploma, err := i.Issue(ctx, doc("DiplomaCredential", `"degree":"BSc"`), vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	job, err := i.Issue(ctx, doc("EmploymentCredential", `"employer":"Example Corp"`), vc.FormatDataIntegrity, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"id": id, "diploma": diploma, "job": job}
}

func TestRespondDCQL(t *testing.T) {
	ctx := context.Background()
	iss, alice := newParty(t, keys.Ed25519), newParty(t, keys.P256)
	held := wallet(t, iss, alice)
	var creds []dcql.Credential
	for _, id := range []string{"diploma", "id", "job"} {
		c, err := presentation.DCQLCredential(id, held[id])
		if err != nil {
			t.Fatal(err)
		}
		creds = append(creds, c)
	}
	q, err := dcql.ParseQuery([]byte(`{"credentials":[
		{"id":"age","format":"dc+sd-jwt","meta":{"vct_values":["urn:example:id:1"]},"claims":[{"path":["age_equal_or_over","18"]}]},
		{"id":"degree","format":"jwt_vc_json","meta":{"type_values":[["DiplomaCredential"]]},"claims":[{"path":["credentialSubject","degree"]}]},
		{"id":"job","format":"ldp_vc","meta":{"type_values":[["EmploymentCredential"]]},"claims":[{"path":["credentialSubject","employer"]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := dcql.Evaluate(q, creds)
	if err != nil {
		t.Fatal(err)
	}
	h, err := presentation.NewHolder(alice.signer, alice.kid, presentation.HolderOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	req := presentation.Request{Nonce: "n-dcql", Audience: "https://shop.example"}
	token, err := h.RespondDCQL(ctx, held, res.Response(), req)
	if err != nil {
		t.Fatal(err)
	}
	tl, _ := vc.NewTrustList(vc.TrustedIssuer{ID: iss.did})
	learned := map[string]any{}
	for qid, list := range token {
		// The presentations of one vp_token share the request's nonce, which a Verifier
		// accepts once: an OpenID4VP verifier checks the response as a whole.
		v, err := vc.NewVerifier(vc.VerifierOptions{Trust: tl, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Fatalf("%s: %d presentations", qid, len(list))
		}
		var data []byte
		var s string
		if json.Unmarshal(list[0], &s) == nil {
			data = []byte(s)
		} else {
			data = list[0]
		}
		want := vc.Expect{Nonce: req.Nonce, Audience: req.Audience}
		if qid == "job" {
			want = vc.Expect{Challenge: req.Nonce, Domain: req.Audience}
		}
		p, err := v.VerifyPresentation(ctx, data, want)
		if err != nil {
			t.Fatalf("%s: %v", qid, err)
		}
		learned[qid] = p.Credentials()[0].Claims()
	}
	id := learned["age"].(map[string]any)
	if _, ok := id["birthdate"]; ok {
		t.Error("the birth date was disclosed")
	}
	if _, ok := id["given_name"]; ok {
		t.Error("the name was disclosed")
	}
	if fmt.Sprint(id["age_equal_or_over"]) != "map[18:true]" {
		t.Errorf("age_equal_or_over = %v", id["age_equal_or_over"])
	}
	if _, err := h.RespondDCQL(ctx, held, map[string][]dcql.Presentation{"x": {{CredentialID: "missing"}}}, req); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Errorf("unknown credential: %v", err)
	}
	if _, err := h.RespondDCQL(ctx, held, res.Response(), presentation.Request{Nonce: "n"}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Errorf("no audience: %v", err)
	}
	if _, err := presentation.DCQLCredential("bad", []byte("{}")); err == nil {
		t.Error("an unsecured document became a credential view")
	}
}
