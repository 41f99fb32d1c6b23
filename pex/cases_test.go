package pex_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/pex"
)

// caseFile is one of testdata/cases/*.json.
type caseFile struct {
	Definition json.RawMessage `json:"definition"`
	Candidates []struct {
		ID                  string          `json:"id"`
		Format              string          `json:"format"`
		Claims              json.RawMessage `json:"claims"`
		SelectiveDisclosure bool            `json:"selective_disclosure"`
	} `json:"candidates"`
	WantError string `json:"want_error"` // sentinel name from ParseDefinition or Evaluate; "" for success
	// WantSelected lists the answered descriptors: descriptor id -> candidate id and paths.
	WantSelected map[string]struct {
		Candidate string  `json:"candidate"`
		Disclose  [][]any `json:"disclose"`
		Limited   bool    `json:"limited"`
	} `json:"want_selected"`
}

var sentinels = map[string]error{
	"ErrMalformed":         pex.ErrMalformed,
	"ErrNoMatch":           pex.ErrNoMatch,
	"ErrRemoteReference":   pex.ErrRemoteReference,
	"ErrUnsupportedPath":   pex.ErrUnsupportedPath,
	"ErrUnsupportedSchema": pex.ErrUnsupportedSchema,
	"ErrTooLarge":          pex.ErrTooLarge,
	"ErrTooDeep":           pex.ErrTooDeep,
}

func TestCases(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var tc caseFile
			if err := json.Unmarshal(data, &tc); err != nil {
				t.Fatal(err)
			}
			var want error
			if tc.WantError != "" {
				if want = sentinels[tc.WantError]; want == nil {
					t.Fatalf("unknown sentinel %q", tc.WantError)
				}
			}
			def, err := pex.ParseDefinition(tc.Definition)
			if err != nil {
				if want == nil || !errors.Is(err, want) {
					t.Fatalf("ParseDefinition: got %v, want %v", err, want)
				}
				return
			}
			var cands []pex.Candidate
			for _, c := range tc.Candidates {
				v, err := jsonx.Decode(c.Claims, jsonx.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				cands = append(cands, pex.Candidate{ID: c.ID, Format: c.Format, Claims: v.(map[string]any), SelectiveDisclosure: c.SelectiveDisclosure})
			}
			res, err := pex.Evaluate(def, cands)
			if !errors.Is(err, want) || (err == nil) != (want == nil) {
				t.Fatalf("Evaluate: got %v, want %v", err, want)
			}
			if err != nil {
				return
			}
			got := map[string]any{}
			for _, s := range res.Selected {
				got[s.DescriptorID] = map[string]any{"candidate": s.Match.CandidateID, "disclose": s.Match.Disclose, "limited": s.Match.Limited}
			}
			if d := cmp.Diff(normalize(t, tc.WantSelected), normalize(t, got)); d != "" {
				t.Errorf("selected (-want +got):\n%s", d)
			}
			sub, order := res.Submission("s")
			var presented []pex.Candidate
			for _, id := range order {
				presented = append(presented, cands[slices.IndexFunc(cands, func(c pex.Candidate) bool { return c.ID == id })])
			}
			if err := pex.Check(def, sub, presented); err != nil {
				t.Errorf("Check of the wallet's submission: %v", err)
			}
		})
	}
}

func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
