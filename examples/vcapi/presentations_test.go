package main

import (
	"net/http"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
)

const (
	testChallenge = "u3Pf0tXK0nSLsMTq5d6lZuw"
	testDomain    = "github.com/w3c/vc-data-model-2.0-test-suite"
)

// presentation returns an unsigned VCDM 2.0 presentation.
func presentation(holder string, creds ...any) map[string]any {
	p := map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"},
		"type":     []any{"VerifiablePresentation"},
	}
	if holder != "" {
		p["holder"] = holder
	}
	if len(creds) > 0 {
		p["verifiableCredential"] = creds
	}
	return p
}

func (s *testServer) verifyVP(t *testing.T, vp any, challenge, domain string) response {
	t.Helper()
	return s.post(t, "/eddsa-jcs-2022/presentations/verify", map[string]any{
		"verifiablePresentation": vp, "options": map[string]any{"challenge": challenge, "domain": domain}})
}

// signVP signs vp as the VC Data Model suite does: eddsa-rdfc-2022, proof purpose
// authentication, bound to the challenge and domain.
func signVP(t *testing.T, h holder, vp map[string]any) map[string]any {
	t.Helper()
	return h.sign(t, vp, dataintegrity.ProofOptions{ProofPurpose: dataintegrity.PurposeAuthentication,
		Challenge: testChallenge, Domain: testDomain})
}

// conformance.md: "The VCDM suite signs presentations itself with eddsa-rdfc-2022 (proof
// purpose authentication)", with and without a holder, with credentials its own key
// issued; success is exactly 200.
func TestPresentationVerifySignedEdDSARDFC(t *testing.T) {
	s := newTestServer(t, false)
	h := newHolder(t, keys.Ed25519)
	own := h.sign(t, credential(h.did), dataintegrity.ProofOptions{ProofPurpose: dataintegrity.PurposeAssertionMethod})
	bp := s.path(t, "/eddsa-rdfc-2022")
	issued := s.issue(t, bp.Path, credential(bp.id.DID))
	for _, tc := range []struct {
		name string
		vp   map[string]any
	}{
		{"no holder, no credentials", presentation("")},
		{"holder", presentation(h.did, own)},
		{"holder object", func() map[string]any {
			p := presentation("", own, issued)
			p["holder"] = map[string]any{"id": h.did}
			return p
		}()},
		{"no holder, two credentials", presentation("", own, issued)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.verifyVP(t, signVP(t, h, tc.vp), testChallenge, testDomain)
			if r.code != http.StatusOK || r.contentType != "application/json" {
				t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
			}
		})
	}
}

// conformance.md: "POST /presentations/verify with {"verifiablePresentation": vp,
// "options": {"domain", "challenge"}}": a challenge or domain other than the proof's is
// refused with 400.
func TestPresentationVerifyChallengeMismatch(t *testing.T) {
	s := newTestServer(t, false)
	h := newHolder(t, keys.Ed25519)
	for _, vp := range []map[string]any{presentation(""), presentation(h.did)} {
		signed := signVP(t, h, vp)
		for _, tc := range []struct {
			name, challenge, domain, want string
		}{
			{"other challenge", "another-challenge", testDomain, "ErrChallengeMismatch"},
			{"no challenge", "", testDomain, "ErrChallengeMismatch"},
			{"other domain", testChallenge, "example.com", "ErrDomainMismatch"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := s.verifyVP(t, signed, tc.challenge, tc.domain)
				if r.code != http.StatusBadRequest || r.sentinel(t) != tc.want {
					t.Fatalf("got %d, want 400 %s: %s", r.code, tc.want, r.body)
				}
			})
		}
	}
}

// conformance.md: "Status codes as for verify": a tampered proof, a presentation that
// breaks the data model, and a malformed document are each 400 with a JSON problem.
func TestPresentationVerifyFailuresAre400(t *testing.T) {
	s := newTestServer(t, false)
	h := newHolder(t, keys.Ed25519)
	signed := signVP(t, h, presentation(""))
	for _, tc := range []struct {
		name string
		vp   func() any
	}{
		{"tampered proofValue", func() any {
			p := clone(t, signed)
			p["proof"].(map[string]any)["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"
			return p
		}},
		{"@context removed after signing", func() any { p := clone(t, signed); delete(p, "@context"); return p }},
		{"@context out of order", func() any {
			p := clone(t, signed)
			p["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2", "https://www.w3.org/ns/credentials/v2"}
			return p
		}},
		{"unknown @context URL", func() any {
			p := clone(t, signed)
			p["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://example.com"}
			return p
		}},
		{"no type", func() any { p := presentation(""); delete(p, "type"); return p }},
		{"nonconforming document", func() any { return map[string]any{"type": []any{"NonconformingDocument"}} }},
		{"signed by another key than the holder's", func() any {
			return signVP(t, newHolder(t, keys.Ed25519), presentation(h.did))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.verifyVP(t, tc.vp(), testChallenge, testDomain)
			if r.code != http.StatusBadRequest || r.contentType != "application/json" || r.json(t)["verified"] != false {
				t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
			}
		})
	}
}

// Unsigned presentations verify when every credential in them does; one bad credential,
// or none at all, is 400.
func TestPresentationVerifyUnsigned(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-rdfc-2022")
	issued := s.issue(t, bp.Path, credential(bp.id.DID))
	tampered := clone(t, issued)
	tampered["credentialSubject"].(map[string]any)["id"] = "did:example:mallory"
	for _, tc := range []struct {
		name string
		vp   map[string]any
		want int
	}{
		{"verified credential", presentation("", issued), http.StatusOK},
		{"tampered credential", presentation("", issued, tampered), http.StatusBadRequest},
		{"unsigned credential", presentation("", credential(bp.id.DID)), http.StatusBadRequest},
		{"no credentials", presentation(""), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := s.verifyVP(t, tc.vp, testChallenge, testDomain); r.code != tc.want {
				t.Fatalf("got %d, want %d: %s", r.code, tc.want, r.body)
			}
		})
	}
}
