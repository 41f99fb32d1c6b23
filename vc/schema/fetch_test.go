package schema

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPFetcher(t *testing.T) {
	schema := readTestdata(t, "schemas/email-2020-12.json")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/schemas/email.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/schema+json")
		w.Write(schema)
	}))
	defer srv.Close()
	cred := strings.ReplaceAll(string(readTestdata(t, "credentials/email-ok.json")), "https://example.com", srv.URL)

	if _, err := NewHTTPFetcher(nil, HTTPFetcherOptions{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("nil client: got %v, want ErrInvalidOptions", err)
	}
	tests := []struct {
		name string
		opts HTTPFetcherOptions
		cred string
		want error
	}{
		{"loopback allowed for the test", HTTPFetcherOptions{AllowLoopback: true}, cred, nil},
		{"loopback refused by default", HTTPFetcherOptions{}, cred, ErrForbiddenAddress},
		{"not found", HTTPFetcherOptions{AllowLoopback: true}, strings.ReplaceAll(cred, "/schemas/email.json", "/schemas/other.json"), ErrSchemaRetrieval},
		{"body over the limit", HTTPFetcherOptions{AllowLoopback: true, MaxBodyBytes: 100}, cred, ErrTooLarge},
		{"plain http refused", HTTPFetcherOptions{AllowLoopback: true}, strings.ReplaceAll(cred, "https://", "http://"), ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewHTTPFetcher(srv.Client(), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			v, err := NewValidator(Options{Fetch: f})
			if err != nil {
				t.Fatal(err)
			}
			err = v.Validate(t.Context(), []byte(tt.cred))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil && !errors.Is(err, ErrSchemaRetrieval) {
				t.Errorf("%v does not wrap ErrSchemaRetrieval", err)
			}
		})
	}
}
