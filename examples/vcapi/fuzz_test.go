package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// fuzzEndpoints are the POST endpoints FuzzEndpoints sends bodies to.
var fuzzEndpoints = []string{
	"/eddsa-jcs-2022/credentials/issue",
	"/eddsa-rdfc-2022/credentials/issue",
	"/ecdsa-sd-2023/credentials/issue",
	"/eddsa-rdfc-2022/credentials/verify",
	"/eddsa-jcs-2022/presentations/verify",
	"/ecdsa-sd-2023/credentials/derive",
	"/eddsa-rdfc-2022/credentials/status",
}

// FuzzEndpoints sends arbitrary bodies to the request parsers and handlers. Properties:
// no panic (the handlers run without the server's recover), a status from the documented
// set, a JSON body, and every refusal names a library sentinel.
func FuzzEndpoints(f *testing.F) {
	s, err := newServer(context.Background(), serverOptions{BaseURL: "http://localhost:1"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(s.close)
	allowed := []int{http.StatusOK, http.StatusCreated, http.StatusBadRequest, http.StatusNotFound,
		http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		path := fuzzEndpoints[int(which)%len(fuzzEndpoints)]
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, path, bytes.NewReader(body))
		rec := httptest.NewRecorder()
		req.Body = http.MaxBytesReader(rec, req.Body, maxBodyBytes)
		s.mux.ServeHTTP(rec, req)
		if !slices.Contains(allowed, rec.Code) {
			t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("%s: content type %q", path, ct)
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s: body is not JSON: %v", path, err)
		}
		if rec.Code >= 400 && rec.Code != http.StatusServiceUnavailable {
			if name, _ := m["sentinel"].(string); name == "" {
				t.Fatalf("%s: %d without a sentinel: %s", path, rec.Code, rec.Body)
			}
		}
	})
}
