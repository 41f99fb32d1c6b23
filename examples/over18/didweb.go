package main

import (
	"crypto"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/credence-dev/credence/keys"
)

// didHost serves the ministry's DID document as did:web does, from an HTTPS server
// inside this process on the loopback interface: the verifier resolves the ministry's
// keys the way it would on the web, without leaving the machine.
type didHost struct {
	srv *httptest.Server
	did string

	mu  sync.Mutex
	doc []byte
	vms []map[string]any // verification methods, all under assertionMethod
}

func newDIDHost() *didHost {
	h := &didHost{}
	h.srv = httptest.NewTLSServer(http.HandlerFunc(h.serve))
	u, _ := url.Parse(h.srv.URL)
	h.did = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	return h
}

func (h *didHost) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	doc := h.doc
	h.mu.Unlock()
	if r.URL.Path != "/.well-known/did.json" || doc == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/did+json")
	_, _ = w.Write(doc)
}

// add lists pub in the document as the verification method #name, for
// assertionMethod, and returns the DID.
func (h *didHost) add(name string, pub crypto.PublicKey) (string, error) {
	mk, err := keys.Multikey(pub)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.vms = append(h.vms, map[string]any{"id": h.did + "#" + name, "type": "Multikey", "controller": h.did, "publicKeyMultibase": mk})
	ids := make([]string, len(h.vms))
	for i, vm := range h.vms {
		ids[i] = vm["id"].(string)
	}
	doc, err := json.Marshal(map[string]any{
		"@context":           []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":                 h.did,
		"verificationMethod": h.vms,
		"assertionMethod":    ids,
	})
	if err != nil {
		return "", fmt.Errorf("the ministry's DID document: %w", err)
	}
	h.doc = doc
	return h.did, nil
}

func (h *didHost) close() { h.srv.Close() }
