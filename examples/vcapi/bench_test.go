package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchCredential issues a credential (with its status entries) on base.
func benchCredential(b *testing.B, base string) (*server, []byte) {
	b.Helper()
	s, err := newServer(b.Context(), serverOptions{BaseURL: "http://localhost:1"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.close)
	var bp *basePath
	for _, p := range s.paths {
		if p.Path == base {
			bp = p
		}
	}
	c, _ := json.Marshal(map[string]any{"credential": credential(bp.id.DID)})
	req := httptest.NewRequest(http.MethodPost, base+"/credentials/issue", bytes.NewReader(c))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		b.Fatalf("issue: %d %s", rec.Code, rec.Body)
	}
	return s, rec.Body.Bytes()
}

// BenchmarkVerifyLibrary is the baseline: vc.Verifier.VerifyCredential on the credential
// the endpoint benchmark verifies, status check included.
func BenchmarkVerifyLibrary(b *testing.B) {
	for _, base := range []string{"/eddsa-jcs-2022", "/eddsa-rdfc-2022"} {
		b.Run(base[1:], func(b *testing.B) {
			s, vc := benchCredential(b, base)
			v, err := s.verifier()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.VerifyCredential(b.Context(), vc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyEndpoint is POST /credentials/verify through the handler: body reading,
// limits, a fresh verifier per request (so its status list is fetched every time) and
// the JSON answer.
func BenchmarkVerifyEndpoint(b *testing.B) {
	for _, base := range []string{"/eddsa-jcs-2022", "/eddsa-rdfc-2022"} {
		b.Run(base[1:], func(b *testing.B) {
			s, vc := benchCredential(b, base)
			body, _ := json.Marshal(map[string]any{"verifiableCredential": json.RawMessage(vc), "options": map[string]any{"checks": []any{"proof"}}})
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, base+"/credentials/verify", bytes.NewReader(body))
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("verify: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
