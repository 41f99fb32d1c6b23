package dcql_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/credence-dev/credence/pex/dcql"
)

// FuzzParseQuery checks that ParseQuery fails only with its sentinels, and that any query
// it accepts obeys the rules it enforces and evaluates without failing unexpectedly.
func FuzzParseQuery(f *testing.F) {
	files, _ := filepath.Glob("testdata/cases/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var tc struct {
			Query json.RawMessage `json:"query"`
		}
		if err := json.Unmarshal(data, &tc); err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(tc.Query))
	}
	cred := dcql.Credential{ID: "c", Format: "dc+sd-jwt", VCT: "https://example.com/pid", HolderBound: true,
		Claims: map[string]any{"given_name": "Erika", "list": []any{map[string]any{"x": "1"}}, "a": map[string]any{"b": true}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := dcql.ParseQuery(data)
		if err != nil {
			if q != nil {
				t.Fatal("query with an error")
			}
			if !errors.Is(err, dcql.ErrMalformed) && !errors.Is(err, dcql.ErrTooLarge) && !errors.Is(err, dcql.ErrTooDeep) {
				t.Fatalf("error is no sentinel: %v", err)
			}
			return
		}
		ids := map[string]bool{}
		for _, cq := range q.Credentials {
			if cq.ID == "" || ids[cq.ID] || cq.Format == "" {
				t.Fatalf("accepted credential query %q (format %q)", cq.ID, cq.Format)
			}
			ids[cq.ID] = true
			if cq.ClaimSets != nil {
				for _, cl := range cq.Claims {
					if cl.ID == "" {
						t.Fatal("claim without id beside claim_sets")
					}
				}
			}
			for _, cl := range cq.Claims {
				if len(cl.Path) == 0 {
					t.Fatal("empty path accepted")
				}
			}
		}
		for _, cs := range q.CredentialSets {
			for _, opt := range cs.Options {
				for _, id := range opt {
					if !ids[id] {
						t.Fatalf("credential set names unknown %q", id)
					}
				}
			}
		}
		creds := []dcql.Credential{cred}
		for i, cq := range q.Credentials {
			c := cred
			c.ID = strconv.Itoa(i)
			c.Format, c.VCT = cq.Format, "x"
			if len(cq.Meta.VCTValues) > 0 {
				c.VCT = cq.Meta.VCTValues[0]
			}
			if len(cq.Meta.TypeValues) > 0 {
				c.Types = cq.Meta.TypeValues[0]
			}
			creds = append(creds, c)
		}
		res, err := dcql.Evaluate(q, creds)
		if err != nil {
			if !errors.Is(err, dcql.ErrNoMatch) || res != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			return
		}
		presented := map[string][]dcql.Credential{}
		for id, ps := range res.Response() {
			for _, p := range ps {
				for _, c := range creds {
					if c.ID == p.CredentialID {
						presented[id] = append(presented[id], c)
						break
					}
				}
			}
		}
		if err := dcql.CheckResponse(q, presented); err != nil {
			t.Fatalf("the wallet's response fails the verifier's check: %v", err)
		}
	})
}
