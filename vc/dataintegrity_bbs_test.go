package vc_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// bbsParty is a did:key identity (zUC7...) with its BBS key.
type bbsParty struct {
	sk       *keys.BBSPrivateKey
	did, kid string
}

func newBBSParty(t testing.TB) bbsParty {
	t.Helper()
	sk, err := keys.GenerateBBSKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.Create(sk.Public())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "did:key:zUC7") {
		t.Fatalf("did:key of a BBS key is %s", id)
	}
	return bbsParty{sk: sk, did: id, kid: id + "#" + strings.TrimPrefix(id, "did:key:")}
}

func issueBBS(t testing.TB, iss bbsParty, subject string, mandatory ...string) []byte {
	t.Helper()
	i, err := vc.NewBBSIssuer(iss.sk, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	base, err := i.Issue(context.Background(), parseCredential(t, credentialJSON("", subject)), vc.FormatDataIntegrity,
		vc.IssueOptions{Cryptosuite: dataintegrity.BBS2023, MandatoryPointers: mandatory})
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// TestBBSCredential issues an over-18 credential with bbs-2023 (did:key zUC7 issuer)
// through the facade, derives a disclosure of the age claim alone and verifies it: the
// key comes from the did:key document, the base credential is refused, a tampered
// derived one too, and two derivations share no proof bytes.
func TestBBSCredential(t *testing.T) {
	ctx := context.Background()
	iss := newBBSParty(t)
	base := issueBBS(t, iss, "did:example:alice")
	v := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)})
	if _, err := v.VerifyCredential(ctx, base); !errors.Is(err, vc.ErrBaseProofPresented) {
		t.Fatalf("base credential: %v, want ErrBaseProofPresented", err)
	}

	derived, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{
		Disclose: []string{"/credentialSubject/ageOver18"}, PresentationHeader: []byte("verifier nonce"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.VerifyCredential(ctx, derived)
	if err != nil {
		t.Fatal(err)
	}
	subject := got.Claims()["credentialSubject"].(map[string]any)
	if subject["ageOver18"] != true || subject["name"] != nil {
		t.Errorf("disclosed subject %v", subject)
	}
	for _, m := range []string{"issuer", "validFrom", "validUntil"} {
		if got.Claims()[m] == nil {
			t.Errorf("%s is always mandatory, not disclosed", m)
		}
	}
	if got.Proof().Algorithm != dataintegrity.BBS2023 || got.Issuer() != iss.did || got.Proof().KeyID != iss.kid {
		t.Errorf("proof %+v, issuer %s", got.Proof(), got.Issuer())
	}
	if string(got.Proof().PresentationHeader) != "verifier nonce" {
		t.Errorf("presentation header %q, want the one the holder bound", got.Proof().PresentationHeader)
	}
	// A verifier limited to one JOSE algorithm still accepts bbs-2023.
	vEd := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did), Algorithms: []string{keys.EdDSA}})
	if _, err := vEd.VerifyCredential(ctx, derived); err != nil {
		t.Errorf("EdDSA-only verifier: %v", err)
	}

	var doc map[string]any
	if err := json.Unmarshal(derived, &doc); err != nil {
		t.Fatal(err)
	}
	doc["credentialSubject"].(map[string]any)["ageOver18"] = false
	tampered, _ := json.Marshal(doc)
	if _, err := v.VerifyCredential(ctx, tampered); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("tampered: %v, want ErrInvalidSignature", err)
	}
	// Another issuer's derived credential under this issuer's verification method.
	other := issueBBS(t, newBBSParty(t), "did:example:alice")
	otherDerived, err := vc.DeriveCredential(ctx, other, vc.DeriveOptions{Disclose: []string{"/credentialSubject/ageOver18"}})
	if err != nil {
		t.Fatal(err)
	}
	var od map[string]any
	if err := json.Unmarshal(otherDerived, &od); err != nil {
		t.Fatal(err)
	}
	od["issuer"] = iss.did
	od["proof"].(map[string]any)["verificationMethod"] = iss.kid
	forged, _ := json.Marshal(od)
	if _, err := v.VerifyCredential(ctx, forged); !errors.Is(err, vc.ErrInvalidSignature) {
		t.Errorf("another issuer's proof: %v, want ErrInvalidSignature", err)
	}

	again, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{Disclose: []string{"/credentialSubject/ageOver18"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyCredential(ctx, again); err != nil {
		t.Fatal(err)
	}
	p1, p2 := bbsProofBytes(t, derived), bbsProofBytes(t, again)
	if n := longestCommonRun(p1, p2); n >= 8 {
		t.Errorf("two derivations of one credential share a run of %d proof bytes", n)
	}
}

// bbsProofBytes returns the BBS proof of a derived credential: the first component of
// its proofValue (CBOR tag, an array of five, a byte string with a two-byte length). The
// other components (label map, indexes, presentation header) say what is disclosed and
// are the same for the same disclosure.
func bbsProofBytes(t testing.TB, cred []byte) []byte {
	t.Helper()
	var doc struct {
		Proof struct {
			ProofValue string `json:"proofValue"`
		} `json:"proof"`
	}
	if err := json.Unmarshal(cred, &doc); err != nil {
		t.Fatal(err)
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(doc.Proof.ProofValue, "u"))
	if err != nil || len(b) < 7 || b[3] != 0x85 || b[4] != 0x59 {
		t.Fatalf("proofValue %.40q: %v", doc.Proof.ProofValue, err)
	}
	n := int(b[5])<<8 | int(b[6])
	if len(b) < 7+n {
		t.Fatalf("proofValue of %d bytes, BBS proof of %d", len(b), n)
	}
	return b[7 : 7+n]
}

// longestCommonRun returns the length of the longest run of bytes a and b share.
func longestCommonRun(a, b []byte) int {
	best := 0
	prev := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			}
		}
		prev = cur
	}
	return best
}

// TestBBSIssuerOptions: a BBS issuer issues only bbs-2023, and the other issuers never do.
func TestBBSIssuerOptions(t *testing.T) {
	ctx := context.Background()
	iss, ed := newBBSParty(t), newParty(t, keys.Ed25519)
	bi, err := vc.NewBBSIssuer(iss.sk, iss.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ei, err := vc.NewIssuer(ed.signer, ed.kid, vc.IssuerOptions{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	// The default suite of a BBS issuer is bbs-2023.
	base, err := bi.Issue(ctx, parseCredential(t, credentialJSON("", "did:example:alice")), vc.FormatDataIntegrity, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(base, []byte(`"cryptosuite":"bbs-2023"`)) {
		t.Errorf("default suite: %s", base)
	}
	for _, tc := range []struct {
		name string
		iss  *vc.Issuer
		f    vc.Format
		opts vc.IssueOptions
		want error
	}{
		{"BBS key, JWT", bi, vc.FormatJWT, vc.IssueOptions{}, vc.ErrAlgorithmKeyMismatch},
		{"BBS key, SD-JWT", bi, vc.FormatSDJWT, vc.IssueOptions{}, vc.ErrAlgorithmKeyMismatch},
		{"BBS key, ecdsa-sd-2023", bi, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: dataintegrity.ECDSASD2023}, vc.ErrAlgorithmKeyMismatch},
		{"Ed25519 key, bbs-2023", ei, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: dataintegrity.BBS2023}, vc.ErrAlgorithmKeyMismatch},
		{"pointers with eddsa-jcs-2022", bi, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: dataintegrity.EdDSAJCS2022, MandatoryPointers: []string{"/issuer"}}, vc.ErrInvalidOptions},
		{"pointer naming nothing", bi, vc.FormatDataIntegrity, vc.IssueOptions{MandatoryPointers: []string{"/credentialSubject/height"}}, vc.ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.iss.Issue(ctx, parseCredential(t, credentialJSON("", "did:example:alice")), tc.f, tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := bi.IssueSDJWT(ctx, map[string]any{"a": 1}, sdjwt.Frame{}, vc.SDJWTOptions{VCT: "https://example.com/t"}); err == nil {
		t.Error("a BBS issuer issued an SD-JWT VC")
	}
	if _, err := vc.NewBBSIssuer(nil, iss.kid, vc.IssuerOptions{}); !errors.Is(err, vc.ErrInvalidKey) {
		t.Errorf("nil BBS signer: %v", err)
	}
	if _, err := vc.NewBBSIssuer(iss.sk, "", vc.IssuerOptions{}); !errors.Is(err, vc.ErrMissingKeyID) {
		t.Errorf("no key id: %v", err)
	}
	if _, err := vc.NewBBSIssuer(iss.sk, iss.kid, vc.IssuerOptions{ID: "did:example:other"}); !errors.Is(err, vc.ErrIssuerMismatch) {
		t.Errorf("key of another DID: %v", err)
	}
	if _, err := vc.SignPresentation(ctx, ed.signer, ed.kid, &vc.Presentation{Context: []any{"https://www.w3.org/ns/credentials/v2"}, Type: []string{"VerifiablePresentation"}, Holder: vc.Party{ID: ed.did}},
		vc.FormatDataIntegrity, vc.PresentationOptions{Challenge: "c", Domain: "d", Cryptosuite: dataintegrity.BBS2023}); !errors.Is(err, vc.ErrUnsupportedProof) {
		t.Errorf("bbs-2023 presentation proof: %v, want ErrUnsupportedProof", err)
	}
	if _, err := vc.DeriveCredential(ctx, base, vc.DeriveOptions{PresentationHeader: make([]byte, 4097)}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Errorf("presentation header too long: %v, want ErrInvalidOptions", err)
	}
}
