package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/jsonld"
)

// testServer runs the server on a loopback httptest server, over https when tls is set.
type testServer struct {
	*server
	ts *httptest.Server
}

func newTestServer(t *testing.T, tls bool) *testServer {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	scheme := "http"
	if tls {
		scheme = "https"
	}
	base := scheme + "://" + ts.Listener.Addr().(*net.TCPAddr).String()
	s, err := newServer(t.Context(), serverOptions{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(func() {
		ts.Close()
		s.close()
	})
	return &testServer{server: s, ts: ts}
}

// path returns the base path state of p ("/eddsa-rdfc-2022").
func (s *testServer) path(t *testing.T, p string) *basePath {
	t.Helper()
	for _, bp := range s.paths {
		if bp.Path == p {
			return bp
		}
	}
	t.Fatalf("no base path %s", p)
	return nil
}

// response is what a request returned.
type response struct {
	code        int
	contentType string
	body        []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%v): %s", err, r.body)
	}
	return m
}

// sentinel returns the sentinel member of a problem body.
func (r response) sentinel(t *testing.T) string {
	t.Helper()
	s, _ := r.json(t)["sentinel"].(string)
	return s
}

func (s *testServer) post(t *testing.T, path string, body any) response {
	t.Helper()
	var data []byte
	switch b := body.(type) {
	case []byte:
		data = b
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	return s.do(t, http.MethodPost, s.ts.URL+path, bytes.NewReader(data))
}

func (s *testServer) get(t *testing.T, url string) response {
	t.Helper()
	return s.do(t, http.MethodGet, url, nil)
}

func (s *testServer) do(t *testing.T, method, url string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := s.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: data}
}

// credential returns a minimal VCDM 2.0 credential of issuer with a fresh id.
func credential(issuer string) map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:" + rand.Text(),
		"type":              []any{"VerifiableCredential"},
		"issuer":            issuer,
		"credentialSubject": map[string]any{"id": "did:example:alice"},
	}
}

// issue issues c at base and returns the secured credential.
func (s *testServer) issue(t *testing.T, base string, c map[string]any) map[string]any {
	t.Helper()
	r := s.post(t, base+"/credentials/issue", map[string]any{"credential": c, "options": map[string]any{}})
	if r.code != http.StatusCreated {
		t.Fatalf("issue at %s: %d %s", base, r.code, r.body)
	}
	return r.json(t)
}

// verify posts a credential to base's verify endpoint.
func (s *testServer) verify(t *testing.T, base string, vc any) response {
	t.Helper()
	return s.post(t, base+"/credentials/verify", map[string]any{
		"verifiableCredential": vc, "options": map[string]any{"checks": []any{"proof"}}})
}

// holder is a did:key outside the server, as the suites' own signers are.
type holder struct {
	did, vm string
	signer  keys.Signer
}

func newHolder(t *testing.T, kt keys.KeyType) holder {
	t.Helper()
	s, err := keys.Generate(kt)
	if err != nil {
		t.Fatal(err)
	}
	id, err := key.Create(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	return holder{did: id, vm: id + "#" + strings.TrimPrefix(id, "did:key:"), signer: s}
}

// sign adds a Data Integrity proof to doc with the holder's key.
func (h holder) sign(t *testing.T, doc any, o dataintegrity.ProofOptions) map[string]any {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if o.Cryptosuite == "" {
		o.Cryptosuite = dataintegrity.EdDSARDFC2022
	}
	if o.VerificationMethod == "" {
		o.VerificationMethod = h.vm
	}
	o.Canonicalize = canonicalizer(jsonld.DefaultContexts())
	out, err := dataintegrity.Sign(context.Background(), data, h.signer, o)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// clone deep-copies a JSON value.
func clone(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// canonicalizer gives dataintegrity the RDFC-1.0 canonical form of a document through
// the library's JSON-LD processor, with embedded contexts only.
func canonicalizer(c *jsonld.Contexts) dataintegrity.Canonicalizer {
	return func(ctx context.Context, doc map[string]any, h crypto.Hash) ([]byte, error) {
		data, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("JSON-LD document: %v", err)
		}
		quads, err := jsonld.ToRDF(ctx, data, c, jsonld.Options{})
		if err != nil {
			return nil, err
		}
		canon, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{Hash: h})
		if err != nil {
			return nil, err
		}
		return canon.NQuads(), nil
	}
}
