package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/status"
)

// statusEntries returns the credentialStatus entries of an issued credential by purpose.
func statusEntries(t *testing.T, vc map[string]any) map[string]map[string]any {
	t.Helper()
	list, ok := vc["credentialStatus"].([]any)
	if !ok {
		t.Fatalf("credentialStatus %v", vc["credentialStatus"])
	}
	out := map[string]map[string]any{}
	for _, e := range list {
		m := e.(map[string]any)
		out[m["statusPurpose"].(string)] = m
	}
	return out
}

func (s *testServer) setStatus(t *testing.T, base, id, purpose string, on *bool) response {
	t.Helper()
	change := map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": purpose}
	if on != nil {
		change["status"] = *on
	}
	return s.post(t, base+"/credentials/status", map[string]any{"credentialId": id, "credentialStatus": change})
}

// conformance.md: "issued credentials carry a BitstringStatusListEntry whose
// statusListCredential is an https URL the suite can GET: the server must also serve its
// status list credentials (a self-signed certificate on localhost is accepted)".
func TestServesStatusListOverHTTPS(t *testing.T) {
	s := newTestServer(t, true)
	bp := s.path(t, "/eddsa-rdfc-2022")
	vc := s.issue(t, bp.Path, credential(bp.id.DID))
	entries := statusEntries(t, vc)
	for _, purpose := range []string{status.PurposeRevocation, status.PurposeSuspension} {
		e := entries[purpose]
		if e == nil || e["type"] != status.EntryTypeBitstring {
			t.Fatalf("no %s entry: %v", purpose, vc["credentialStatus"])
		}
		url, _ := e["statusListCredential"].(string)
		if !strings.HasPrefix(url, "https://") || !strings.HasPrefix(url, s.ts.URL+bp.Path+"/status/") {
			t.Fatalf("statusListCredential %q is not a list of this server", url)
		}
		r := s.get(t, url)
		if r.code != http.StatusOK || r.contentType != "application/json" {
			t.Fatalf("GET %s: %d %s", url, r.code, r.contentType)
		}
		slc := r.json(t)
		types, _ := slc["type"].([]any)
		subject, _ := slc["credentialSubject"].(map[string]any)
		if len(types) != 2 || types[1] != status.CredentialTypeBitstring || slc["id"] != url || slc["issuer"] != bp.id.DID ||
			subject["statusPurpose"] != purpose || slc["proof"] == nil {
			t.Fatalf("status list credential %s", r.body)
		}
		list, err := status.DecodeBitstringList(subject["encodedList"].(string), status.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if list.Len() < status.MinBitstringEntries {
			t.Fatalf("list of %d entries", list.Len())
		}
		// The status list credential is itself a credential of the path's issuer.
		if v := s.verify(t, bp.Path, slc); v.code != http.StatusOK {
			t.Fatalf("status list credential does not verify: %s", v.body)
		}
		// The Bitstring suite asks for publication after a change; lists are live already.
		if p := s.post(t, strings.TrimPrefix(url, s.ts.URL)+"/publish", map[string]any{}); p.code != http.StatusNoContent {
			t.Fatalf("publish: %d %s", p.code, p.body)
		}
	}
}

// conformance.md tags Revocation: POST /credentials/status revokes; the next verification
// (through the in-process fetcher, no network) fails with ErrRevoked, and the list served
// has the bit set. A revocation cannot be undone.
func TestStatusRevokeThenVerifyFails(t *testing.T) {
	s := newTestServer(t, true)
	bp := s.path(t, "/eddsa-rdfc-2022")
	vc := s.issue(t, bp.Path, credential(bp.id.DID))
	if r := s.verify(t, bp.Path, vc); r.code != http.StatusOK {
		t.Fatalf("fresh credential: %d %s", r.code, r.body)
	}
	if r := s.setStatus(t, bp.Path, vc["id"].(string), status.PurposeRevocation, nil); r.code != http.StatusOK {
		t.Fatalf("revoke: %d %s", r.code, r.body)
	}
	r := s.verify(t, bp.Path, vc)
	if r.code != http.StatusBadRequest || r.sentinel(t) != "ErrRevoked" {
		t.Fatalf("revoked credential: %d %s", r.code, r.body)
	}
	e := statusEntries(t, vc)[status.PurposeRevocation]
	slc := s.get(t, e["statusListCredential"].(string)).json(t)
	list, err := status.DecodeBitstringList(slc["credentialSubject"].(map[string]any)["encodedList"].(string), status.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i, _ := strconv.Atoi(e["statusListIndex"].(string))
	if v, err := list.Get(i); err != nil || v != 1 {
		t.Fatalf("bit %d of the served list is %d (%v)", i, v, err)
	}
	off := false
	if r := s.setStatus(t, bp.Path, vc["id"].(string), status.PurposeRevocation, &off); r.code != http.StatusBadRequest {
		t.Fatalf("undoing a revocation: %d %s", r.code, r.body)
	}
}

// conformance.md tags Suspension: a suspended credential fails with ErrSuspended and
// verifies again once the suspension is lifted.
func TestStatusSuspendThenLift(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/ecdsa-rdfc-2019/p384")
	vc := s.issue(t, bp.Path, credential(bp.id.DID))
	id := vc["id"].(string)
	if r := s.setStatus(t, bp.Path, id, status.PurposeSuspension, nil); r.code != http.StatusOK {
		t.Fatalf("suspend: %d %s", r.code, r.body)
	}
	if r := s.verify(t, bp.Path, vc); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrSuspended" {
		t.Fatalf("suspended: %d %s", r.code, r.body)
	}
	off := false
	if r := s.setStatus(t, bp.Path, id, status.PurposeSuspension, &off); r.code != http.StatusOK {
		t.Fatalf("lift: %d %s", r.code, r.body)
	}
	if r := s.verify(t, bp.Path, vc); r.code != http.StatusOK {
		t.Fatalf("after lifting: %d %s", r.code, r.body)
	}
}

// A status change names a credential issued here and a purpose the lists have.
func TestStatusUpdateRejectsUnknownCredentialAndPurpose(t *testing.T) {
	s := newTestServer(t, false)
	bp := s.path(t, "/eddsa-rdfc-2022")
	vc := s.issue(t, bp.Path, credential(bp.id.DID))
	if r := s.setStatus(t, bp.Path, "urn:uuid:never-issued", status.PurposeRevocation, nil); r.code != http.StatusNotFound {
		t.Errorf("unknown credential: %d %s", r.code, r.body)
	}
	if r := s.setStatus(t, bp.Path, vc["id"].(string), status.PurposeMessage, nil); r.code != http.StatusBadRequest {
		t.Errorf("message purpose: %d %s", r.code, r.body)
	}
	if r := s.post(t, bp.Path+"/credentials/status", map[string]any{"credentialId": vc["id"]}); r.code != http.StatusBadRequest {
		t.Errorf("no credentialStatus: %d %s", r.code, r.body)
	}
}

// conformance.md: verify checks status; a list that is not one of this server's is never
// fetched over the network: ErrStatusRetrieval.
func TestVerifyStatusOfForeignListFails(t *testing.T) {
	s := newTestServer(t, false)
	h := newHolder(t, keys.Ed25519)
	c := credential(h.did)
	c["credentialStatus"] = map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
		"statusListIndex": "7", "statusListCredential": "https://status.example.com/list/1"}
	vc := h.sign(t, c, dataintegrity.ProofOptions{ProofPurpose: dataintegrity.PurposeAssertionMethod})
	if r := s.verify(t, "/eddsa-rdfc-2022", vc); r.code != http.StatusBadRequest || r.sentinel(t) != "ErrStatusRetrieval" {
		t.Fatalf("got %d %s", r.code, r.body)
	}
}
