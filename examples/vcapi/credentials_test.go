package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
)

// conformance.md: "serve one cryptosuite per base path"; did:key issuers z6Mk (Ed25519),
// zDna (P-256), z82L (P-384), zUC7 (BLS12-381 G2); proofValue base58btc "z" for eddsa and
// ecdsa rdfc and jcs, base64url "u" for ecdsa-sd-2023 and bbs-2023.
func TestOneBasePathPerSuite(t *testing.T) {
	s := newTestServer(t, false)
	prefix := map[keys.KeyType]string{keys.Ed25519: "did:key:z6Mk", keys.P256: "did:key:zDna", keys.P384: "did:key:z82L", keys.BLS12381G2: "did:key:zUC7"}
	seen := map[string]bool{}
	for _, bp := range s.paths {
		if seen[bp.Path] {
			t.Errorf("base path %s twice", bp.Path)
		}
		seen[bp.Path] = true
		t.Run(bp.name(), func(t *testing.T) {
			if bp.Unsupported != "" {
				for _, ep := range []string{"/credentials/issue", "/credentials/verify", "/credentials/derive", "/presentations/verify"} {
					r := s.post(t, bp.Path+ep, map[string]any{})
					if r.code != http.StatusNotImplemented || r.contentType != "application/json" || r.sentinel(t) != "ErrUnsupportedProof" {
						t.Errorf("%s: %d %s %s", ep, r.code, r.contentType, r.body)
					}
				}
				return
			}
			if !strings.HasPrefix(bp.id.DID, prefix[bp.KeyType]) {
				t.Errorf("issuer %s, want prefix %s", bp.id.DID, prefix[bp.KeyType])
			}
			got := s.issue(t, bp.Path, credential(bp.id.DID))
			if bp.Suite == "" {
				if got["type"] != "EnvelopedVerifiableCredential" {
					t.Errorf("vc+jwt path issued %v", got["type"])
				}
				return
			}
			proof, _ := got["proof"].(map[string]any)
			if proof["cryptosuite"] != bp.Suite || proof["type"] != dataintegrity.DataIntegrityProof {
				t.Errorf("proof %v, want cryptosuite %s", proof, bp.Suite)
			}
			base := "z"
			if bp.Derive {
				base = "u"
			}
			if pv, _ := proof["proofValue"].(string); !strings.HasPrefix(pv, base) {
				t.Errorf("proofValue %q is not multibase %q", pv, base)
			}
			if vm, _ := proof["verificationMethod"].(string); !strings.HasPrefix(vm, bp.id.DID+"#") {
				t.Errorf("verificationMethod %q is not a key of %s", vm, bp.id.DID)
			}
		})
	}
}

// conformance.md: "Success: 201 ... Over plain http: ... return the bare credential".
func TestIssueReturns201BareCredential(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-jcs-2022")
	r := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": credential(bp.id.DID)})
	if r.code != http.StatusCreated || r.contentType != "application/json" {
		t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
	}
	vc := r.json(t)
	if _, wrapped := vc["verifiableCredential"]; wrapped {
		t.Fatal("credential wrapped in verifiableCredential")
	}
	ctx, _ := vc["@context"].([]any)
	if len(ctx) == 0 || ctx[0] != "https://www.w3.org/ns/credentials/v2" || vc["proof"] == nil || vc["issuer"] != bp.id.DID {
		t.Fatalf("issued %s", r.body)
	}
}

// A credential without an issuer is issued by the path's DID (VC-API: the service names
// itself).
func TestIssueFillsMissingIssuer(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/ecdsa-jcs-2019/p256")
	c := credential(bp.id.DID)
	delete(c, "issuer")
	if got := s.issue(t, bp.Path, c); got["issuer"] != bp.id.DID {
		t.Fatalf("issuer %v, want %s", got["issuer"], bp.id.DID)
	}
}

// conformance.md: "most VCDM negative tests only call issue and expect 400 or 422 (never
// 401): non-URL id, null issuer, credentialStatus without type, credentialSchema without
// id, redefined protected terms".
func TestIssueRejectsDataModelViolations(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-jcs-2022")
	for _, tc := range []struct {
		name   string
		change func(c map[string]any)
		want   string
	}{
		{"non-URL id", func(c map[string]any) { c["id"] = "not a url" }, "ErrMalformed"},
		{"null issuer", func(c map[string]any) { c["issuer"] = nil }, "ErrMalformed"},
		{"issuer object with null id", func(c map[string]any) { c["issuer"] = map[string]any{"id": nil} }, "ErrMalformed"},
		{"no type", func(c map[string]any) { delete(c, "type") }, ""},
		{"credentialStatus without type", func(c map[string]any) {
			c["credentialStatus"] = map[string]any{"id": "https://example.com/status/1"}
		}, "ErrInvalidType"},
		{"credentialSchema without id", func(c map[string]any) {
			c["credentialSchema"] = map[string]any{"type": "JsonSchema"}
		}, "ErrMalformed"},
		{"redefined protected term", func(c map[string]any) {
			c["@context"] = []any{"https://www.w3.org/ns/credentials/v2", map[string]any{"VerifiableCredential": "https://example.com/vc"}}
		}, "ErrUnknownContext"},
		{"base context missing", func(c map[string]any) { c["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2"} }, ""},
		{"unmapped type", func(c map[string]any) {
			c["@context"] = []any{"https://www.w3.org/2018/credentials/v1"}
			c["type"] = []any{"VerifiableCredential", "NotDefinedAnywhere"}
			c["issuanceDate"] = "2024-01-01T00:00:00Z"
		}, "ErrInvalidType"},
		{"another issuer", func(c map[string]any) { c["issuer"] = "did:example:someone-else" }, "ErrIssuerMismatch"},
		{"malformed BitstringStatusListEntry anywhere", func(c map[string]any) {
			c["statusEntry"] = map[string]any{"type": "BitstringStatusListEntry", "statusListIndex": true, "statusListCredential": "https://example.com"}
		}, "ErrMalformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := credential(bp.id.DID)
			tc.change(c)
			r := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": c})
			if r.code != http.StatusBadRequest || r.contentType != "application/json" {
				t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
			}
			if got := r.sentinel(t); tc.want != "" && got != tc.want {
				t.Errorf("sentinel %q, want %q: %s", got, tc.want, r.body)
			}
		})
	}
}

// The VCDM suite's positive issue cases include inline @context objects and status types
// the server does not know (credential-status-ok.json): the JCS path signs them as given.
func TestIssueAcceptsInlineContextAndForeignStatus(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-jcs-2022")
	c := credential(bp.id.DID)
	c["@context"] = []any{"https://www.w3.org/ns/credentials/v2",
		map[string]any{"CredentialStatusList2017": "https://example.org/examples#CredentialStatusList2017"}}
	c["credentialStatus"] = map[string]any{"id": "did:example:status", "type": "CredentialStatusList2017"}
	got := s.issue(t, bp.Path, c)
	st, _ := got["credentialStatus"].(map[string]any)
	if st["type"] != "CredentialStatusList2017" {
		t.Fatalf("the caller's credentialStatus was replaced: %v", got["credentialStatus"])
	}
}

// conformance.md: "Success must be exactly 200 (body like {"verified": true, "results":
// {}, "problemDetails": []})" with a JSON content type.
func TestVerifySuccessIsExactly200(t *testing.T) {
	s := newTestServer(t, false)
	for _, base := range []string{"/eddsa-rdfc-2022", "/eddsa-jcs-2022", "/ecdsa-rdfc-2019/p256", "/ecdsa-rdfc-2019/p384", "/ecdsa-jcs-2019/p256", "/ecdsa-jcs-2019/p384", "/vc-jwt"} {
		t.Run(base, func(t *testing.T) {
			bp := s.path(t, base)
			vc := s.issue(t, base, credential(bp.id.DID))
			r := s.verify(t, base, vc)
			if r.code != http.StatusOK || r.contentType != "application/json" {
				t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
			}
			if got := string(bytes.TrimSpace(r.body)); got != `{"verified":true,"results":{},"problemDetails":[]}` {
				t.Fatalf("body %s", got)
			}
		})
	}
}

// conformance.md: "Failure must be 400 (the ECDSA suite accepts only 400 ...); a 200 with
// verified: false fails the test. Responses must carry a JSON content type".
func TestVerifyFailureIs400JSON(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-rdfc-2022")
	issued := s.issue(t, bp.Path, credential(bp.id.DID))
	for _, tc := range []struct {
		name string
		vc   func() any
		want string
	}{
		{"tampered claim", func() any {
			c := clone(t, issued)
			c["credentialSubject"].(map[string]any)["id"] = "did:example:mallory"
			return c
		}, "ErrInvalidSignature"},
		{"proof null", func() any { c := clone(t, issued); c["proof"] = nil; return c }, ""},
		{"no proof", func() any { c := clone(t, issued); delete(c, "proof"); return c }, "ErrMissingProof"},
		{"credential as a string", func() any { data, _ := json.Marshal(issued); return string(data) }, "ErrMalformed"},
		{"nonconforming document", func() any { return map[string]any{"type": []any{"NonconformingDocument"}} }, ""},
		{"proof type changed", func() any {
			c := clone(t, issued)
			c["proof"].(map[string]any)["type"] = "UnknownProof"
			return c
		}, ""},
		{"cryptosuite changed", func() any {
			c := clone(t, issued)
			c["proof"].(map[string]any)["cryptosuite"] = "unknown-suite"
			return c
		}, ""},
		{"undefined term added", func() any {
			c := clone(t, issued)
			c["credentialSubject"].(map[string]any)["undefinedTerm"] = "IfDroppedWillVerify"
			return c
		}, ""},
		{"proof purpose changed", func() any {
			c := clone(t, issued)
			c["proof"].(map[string]any)["proofPurpose"] = "authentication"
			return c
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.verify(t, bp.Path, tc.vc())
			if r.code != http.StatusBadRequest || r.contentType != "application/json" {
				t.Fatalf("got %d %s: %s", r.code, r.contentType, r.body)
			}
			m := r.json(t)
			if m["verified"] != false || m["sentinel"] == "" {
				t.Errorf("problem body %s", r.body)
			}
			if pd, _ := m["problemDetails"].([]any); len(pd) != 1 {
				t.Errorf("problemDetails %v", m["problemDetails"])
			}
			if got := r.sentinel(t); tc.want != "" && got != tc.want {
				t.Errorf("sentinel %q, want %q: %s", got, tc.want, r.body)
			}
		})
	}
}

// conformance.md: "Proof sets and chains (previousProof) are tested by the EdDSA verifier
// tests". The suite signs with its own key: the credential's issuer is that key's DID.
func TestVerifyProofSetsAndChains(t *testing.T) {
	s := newTestServer(t, false)
	signer := newHolder(t, keys.Ed25519)
	c := credential(signer.did)
	o := dataintegrity.ProofOptions{ProofPurpose: dataintegrity.PurposeAssertionMethod}
	first := o
	first.ID = "urn:uuid:test:first:proof"
	one := signer.sign(t, c, first)

	second := o
	second.PreviousProof = []string{first.ID}
	chain := signer.sign(t, one, second)
	set := signer.sign(t, signer.sign(t, c, o), o)

	missing := clone(t, chain)
	missing["proof"].([]any)[1].(map[string]any)["previousProof"] = "urn:uuid:test:missing:proof"
	badFirst := clone(t, chain)
	badFirst["proof"].([]any)[0].(map[string]any)["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"
	badInSet := clone(t, set)
	badInSet["proof"].([]any)[1].(map[string]any)["proofValue"] = "z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh"

	for _, tc := range []struct {
		name string
		vc   map[string]any
		want int
	}{
		{"chain, previousProof string", chain, http.StatusOK},
		{"proof set", set, http.StatusOK},
		{"previousProof names no proof", missing, http.StatusBadRequest},
		{"previous proof does not verify", badFirst, http.StatusBadRequest},
		{"one bad proof in a set", badInSet, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := s.verify(t, "/eddsa-rdfc-2022", tc.vc); r.code != tc.want {
				t.Fatalf("got %d, want %d: %s", r.code, tc.want, r.body)
			}
		})
	}
}

// conformance.md: "Five ECDSA tests send spec vectors whose issuer is not the controller of
// the signing key ... we bind issuer to key by default".
func TestVerifyBindsIssuerToKey(t *testing.T) {
	s := newTestServer(t, false)
	signer := newHolder(t, keys.P256)
	c := credential("did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj")
	vc := signer.sign(t, c, dataintegrity.ProofOptions{Cryptosuite: dataintegrity.ECDSARDFC2019, ProofPurpose: dataintegrity.PurposeAssertionMethod})
	r := s.verify(t, "/ecdsa-rdfc-2019/p256", vc)
	if r.code != http.StatusBadRequest || r.sentinel(t) != "ErrIssuerMismatch" {
		t.Fatalf("got %d: %s", r.code, r.body)
	}
}

// conformance.md: "ecdsa-sd-2023 and bbs-2023 issuers accept options.mandatoryPointers";
// "POST /credentials/derive with {"verifiableCredential": vc, "options":
// {"selectivePointers": [...]}} returns a derived credential". The base proof is for the
// holder only; the derived credential verifies, reveals only what was selected and the
// mandatory members, and its status is checked.
func TestSelectiveDisclosureIssueDeriveVerify(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/ecdsa-sd-2023")
	c := credential(bp.id.DID)
	c["credentialSubject"] = map[string]any{"id": "did:example:alice", "name": "Alice", "description": "hidden"}
	r := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": c,
		"options": map[string]any{"mandatoryPointers": []any{"/credentialSubject/name"}}})
	if r.code != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.code, r.body)
	}
	base := r.json(t)
	if v := s.verify(t, bp.Path, base); v.code != http.StatusBadRequest || v.sentinel(t) != "ErrBaseProofPresented" {
		t.Fatalf("base proof given to the verifier: %d %s", v.code, v.body)
	}
	d := s.post(t, bp.Path+"/credentials/derive", map[string]any{"verifiableCredential": base,
		"options": map[string]any{"selectivePointers": []any{"/credentialSubject/id"}}})
	if d.code != http.StatusCreated || d.contentType != "application/json" {
		t.Fatalf("derive: %d %s", d.code, d.body)
	}
	derived := d.json(t)
	subject, _ := derived["credentialSubject"].(map[string]any)
	if subject["id"] != "did:example:alice" || subject["name"] != "Alice" || subject["description"] != nil {
		t.Fatalf("derived subject %v", subject)
	}
	if pv, _ := derived["proof"].(map[string]any)["proofValue"].(string); !strings.HasPrefix(pv, "u") {
		t.Fatalf("derived proofValue %q", pv)
	}
	if v := s.verify(t, bp.Path, derived); v.code != http.StatusOK {
		t.Fatalf("derived credential: %d %s", v.code, v.body)
	}
	if u := s.setStatus(t, bp.Path, c["id"].(string), "revocation", nil); u.code != http.StatusOK {
		t.Fatalf("revoke: %d %s", u.code, u.body)
	}
	if v := s.verify(t, bp.Path, derived); v.code != http.StatusBadRequest || v.sentinel(t) != "ErrRevoked" {
		t.Fatalf("revoked derived credential: %d %s", v.code, v.body)
	}
	bad := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": credential(bp.id.DID),
		"options": map[string]any{"mandatoryPointers": []any{"/credentialSubject/invalidPointer"}}})
	if bad.code != http.StatusBadRequest {
		t.Fatalf("mandatory pointer naming nothing: %d %s", bad.code, bad.body)
	}
}

// conformance.md: the bbs-2023 path issues with options.mandatoryPointers and derives
// with options.selectivePointers. The base proof is for the holder only; every derived
// credential verifies and reveals only what was selected and the mandatory members; two
// derivations of one credential carry different proofs; a changed one is refused.
func TestBBSIssueDeriveVerify(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/bbs-2023")
	c := credential(bp.id.DID)
	c["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"}
	c["credentialSubject"] = map[string]any{"id": "did:example:alice", "name": "Alice", "description": "hidden", "ageOver18": true}
	r := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": c,
		"options": map[string]any{"mandatoryPointers": []any{"/credentialSubject/name"}}})
	if r.code != http.StatusCreated {
		t.Fatalf("issue: %d %s", r.code, r.body)
	}
	base := r.json(t)
	if cs, _ := base["proof"].(map[string]any)["cryptosuite"].(string); cs != dataintegrity.BBS2023 || base["credentialStatus"] != nil {
		t.Fatalf("issued %s", r.body)
	}
	if v := s.verify(t, bp.Path, base); v.code != http.StatusBadRequest || v.sentinel(t) != "ErrBaseProofPresented" {
		t.Fatalf("base proof given to the verifier: %d %s", v.code, v.body)
	}
	var proofs []string
	for range 2 {
		d := s.post(t, bp.Path+"/credentials/derive", map[string]any{"verifiableCredential": base,
			"options": map[string]any{"selectivePointers": []any{"/credentialSubject/ageOver18"}}})
		if d.code != http.StatusCreated || d.contentType != "application/json" {
			t.Fatalf("derive: %d %s", d.code, d.body)
		}
		derived := d.json(t)
		subject, _ := derived["credentialSubject"].(map[string]any)
		if subject["ageOver18"] != true || subject["name"] != "Alice" || subject["description"] != nil {
			t.Fatalf("derived subject %v", subject)
		}
		pv, _ := derived["proof"].(map[string]any)["proofValue"].(string)
		if !strings.HasPrefix(pv, "u") {
			t.Fatalf("derived proofValue %q", pv)
		}
		proofs = append(proofs, pv)
		if v := s.verify(t, bp.Path, derived); v.code != http.StatusOK {
			t.Fatalf("derived credential: %d %s", v.code, v.body)
		}
		// Any verifier path verifies it: the suite is told by the proof.
		if v := s.verify(t, "/ecdsa-sd-2023", derived); v.code != http.StatusOK {
			t.Fatalf("derived credential at another path: %d %s", v.code, v.body)
		}
		subject["ageOver18"] = false
		if v := s.verify(t, bp.Path, derived); v.code != http.StatusBadRequest || v.sentinel(t) != "ErrInvalidSignature" {
			t.Fatalf("changed derived credential: %d %s", v.code, v.body)
		}
	}
	if proofs[0] == proofs[1] {
		t.Error("two derivations carry the same proof")
	}
	bad := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": credential(bp.id.DID),
		"options": map[string]any{"mandatoryPointers": []any{"/credentialSubject/invalidPointer"}}})
	if bad.code != http.StatusBadRequest {
		t.Fatalf("mandatory pointer naming nothing: %d %s", bad.code, bad.body)
	}
	if d := s.post(t, bp.Path+"/credentials/derive", map[string]any{"verifiableCredential": base,
		"options": map[string]any{"selectivePointers": []any{"/credentialSubject/height"}}}); d.code != http.StatusBadRequest {
		t.Fatalf("selective pointer naming nothing: %d %s", d.code, d.body)
	}
}

// Suites without selective disclosure answer 400 to a derivation, and refuse mandatory
// pointers.
func TestDeriveRefusedWithoutSelectiveDisclosure(t *testing.T) {
	s := newTestServer(t, false)
	body := map[string]any{"verifiableCredential": map[string]any{}, "options": map[string]any{"selectivePointers": []any{"/credentialSubject"}}}
	if r := s.post(t, "/bbs-2023/credentials/derive", body); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrMissingProof" {
		t.Errorf("bbs-2023 derive of nothing: %d %s", r.code, r.body)
	}
	if r := s.post(t, "/eddsa-rdfc-2022/credentials/derive", body); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrUnsupportedProof" {
		t.Errorf("eddsa derive: %d %s", r.code, r.body)
	}
	if r := s.post(t, "/eddsa-rdfc-2022/credentials/issue", map[string]any{"credential": credential(s.path(t, "/eddsa-rdfc-2022").id.DID),
		"options": map[string]any{"mandatoryPointers": []any{"/issuer"}}}); r.code != http.StatusBadRequest {
		t.Errorf("mandatoryPointers on eddsa: %d %s", r.code, r.body)
	}
}

// The JOSE path issues an EnvelopedVerifiableCredential (EnvelopingProof tag) that its
// verifier accepts, and refuses the envelope once broken.
func TestIssueEnvelopedVCJWT(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/vc-jwt")
	got := s.issue(t, bp.Path, credential(bp.id.DID))
	id, _ := got["id"].(string)
	if got["type"] != "EnvelopedVerifiableCredential" || !strings.HasPrefix(id, "data:application/vc+jwt,ey") {
		t.Fatalf("issued %v", got)
	}
	if r := s.verify(t, bp.Path, got); r.code != http.StatusOK {
		t.Fatalf("verify: %d %s", r.code, r.body)
	}
	// The VC Data Model suite's negative cases for enveloped credentials (§4.13.1).
	for name, change := range map[string]func(m map[string]any){
		"empty @context":       func(m map[string]any) { m["@context"] = []any{} },
		"examples @context":    func(m map[string]any) { m["@context"] = "https://www.w3.org/ns/credentials/examples/v2" },
		"id not a data: URL":   func(m map[string]any) { m["id"] = id[strings.LastIndex(id, ",")+1:] },
		"no type":              func(m map[string]any) { delete(m, "type") },
		"VerifiableCredential": func(m map[string]any) { m["type"] = "VerifiableCredential" },
	} {
		bad := clone(t, got)
		change(bad)
		if r := s.verify(t, bp.Path, bad); r.code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, r.code, r.body)
		}
	}
}

// Limits: a body over the limit is refused before it is parsed, JSON nested too deeply
// before it is decoded, and every answer (404 included) is JSON.
func TestRequestLimits(t *testing.T) {
	s := newTestServer(t, false)
	big := `{"credential": "` + strings.Repeat("a", maxBodyBytes) + `"}`
	if r := s.post(t, "/eddsa-jcs-2022/credentials/issue", big); r.code != http.StatusRequestEntityTooLarge || r.sentinel(t) != "ErrTooLarge" {
		t.Errorf("large body: %d %s", r.code, r.body)
	}
	deep := `{"credential": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	if r := s.post(t, "/eddsa-jcs-2022/credentials/issue", deep); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrTooDeep" {
		t.Errorf("deep body: %d %s", r.code, r.body)
	}
	if r := s.post(t, "/eddsa-jcs-2022/credentials/issue", `{"credential": {}} trailing`); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrMalformed" {
		t.Errorf("trailing data: %d %s", r.code, r.body)
	}
	if r := s.get(t, s.ts.URL+"/nowhere"); r.code != http.StatusNotFound || r.contentType != "application/json" {
		t.Errorf("404: %d %s %s", r.code, r.contentType, r.body)
	}
}

// The Data Integrity suites issue and verify VCDM 1.1 credentials too (supports.vc lists
// 1.1): they get no status entries, whose terms only the 2.0 context defines, and the
// JSON-LD rules still hold on the RDFC paths.
func TestIssueVCDM11OnEveryDIPath(t *testing.T) {
	s := newTestServer(t, false)
	for _, bp := range s.paths {
		if bp.id == nil || bp.Suite == "" { // Data Integrity paths only
			continue
		}
		t.Run(bp.name(), func(t *testing.T) {
			c := credential(bp.id.DID)
			c["@context"] = []any{"https://www.w3.org/2018/credentials/v1"}
			c["issuanceDate"] = "2024-01-01T00:00:00Z"
			got := s.issue(t, bp.Path, c)
			if _, ok := got["credentialStatus"]; ok {
				t.Fatalf("1.1 credential got a status: %v", got["credentialStatus"])
			}
			want := http.StatusOK
			if bp.Derive {
				want = http.StatusBadRequest // a base proof is for the holder
			}
			if r := s.verify(t, bp.Path, got); r.code != want {
				t.Fatalf("verify: %d %s", r.code, r.body)
			}
			if bp.Suite == dataintegrity.EdDSARDFC2022 || bp.Suite == dataintegrity.ECDSARDFC2019 {
				c["credentialSubject"].(map[string]any)["undefinedTerm"] = "dropped by JSON-LD"
				if r := s.post(t, bp.Path+"/credentials/issue", map[string]any{"credential": c}); r.code != http.StatusBadRequest {
					t.Fatalf("undefined term: %d %s", r.code, r.body)
				}
			}
		})
	}
}
