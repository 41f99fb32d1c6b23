package pex_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
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
		Predicates          bool            `json:"predicates"`
		HolderBound         bool            `json:"holder_bound"`
		Issuer              string          `json:"issuer"`
		Subjects            []string        `json:"subjects"`
		Algorithm           string          `json:"alg"`
		ProofType           string          `json:"proof_type"`
		Cryptosuite         string          `json:"cryptosuite"`
	} `json:"candidates"`
	WantError string `json:"want_error"` // sentinel name from ParseDefinition or Evaluate; "" for success
	// WantSelected lists the answered descriptors: descriptor id -> candidate id and paths.
	WantSelected map[string]wantSelection `json:"want_selected"`
	// WantMatches lists, per descriptor id, the ids of all matching candidates.
	WantMatches map[string][]string `json:"want_matches"`
	// WantSubmission is the presentation_submission Result.Submission builds (id "s"),
	// or, with WantSubmissionVP set, Result.NestedSubmission for that presentation format.
	WantSubmission   json.RawMessage `json:"want_submission"`
	WantSubmissionVP string          `json:"want_submission_vp"`
	// Checks are received submissions with the presented candidates (by id, in order) and
	// the error Check must return ("" for none).
	Checks []struct {
		Name       string          `json:"name"`
		Submission json.RawMessage `json:"submission"`
		Presented  []string        `json:"presented"`
		// Presentations, instead of Presented, gives several presentations for
		// CheckPresentations.
		Presentations []struct {
			Format      string   `json:"format"`
			Credentials []string `json:"credentials"`
		} `json:"presentations"`
		// Replace overrides claims of presented candidates by id, as the holder shows them
		// (such as a predicate's boolean).
		Replace   map[string]json.RawMessage `json:"replace"`
		WantError string                     `json:"want_error"`
	} `json:"checks"`
}

// wantSelection is the expected Selection of one descriptor; members absent from the
// case file are expected empty.
type wantSelection struct {
	Candidate     string   `json:"candidate"`
	Disclose      [][]any  `json:"disclose"`
	Limited       bool     `json:"limited"`
	Optional      [][]any  `json:"optional,omitempty"`
	Predicates    [][]any  `json:"predicates,omitempty"`
	Framed        [][]any  `json:"framed,omitempty"`
	HolderBinding bool     `json:"holder_binding,omitempty"`
	Retain        [][]any  `json:"retain,omitempty"`
	Pointers      []string `json:"pointers,omitempty"`
}

var sentinels = map[string]error{
	"ErrMalformed":         pex.ErrMalformed,
	"ErrNoMatch":           pex.ErrNoMatch,
	"ErrRemoteReference":   pex.ErrRemoteReference,
	"ErrUnsupportedPath":   pex.ErrUnsupportedPath,
	"ErrUnsupportedSchema": pex.ErrUnsupportedSchema,
	"ErrTooLarge":          pex.ErrTooLarge,
	"ErrTooDeep":           pex.ErrTooDeep,
	"ErrUnsafePattern":     pex.ErrUnsafePattern,
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
			byID := map[string]pex.Candidate{}
			for _, c := range tc.Candidates {
				cand := pex.Candidate{ID: c.ID, Format: c.Format, Claims: decodeClaims(t, c.Claims), SelectiveDisclosure: c.SelectiveDisclosure,
					Predicates: c.Predicates, HolderBound: c.HolderBound, Issuer: c.Issuer, Subjects: c.Subjects,
					Algorithm: c.Algorithm, ProofType: c.ProofType, Cryptosuite: c.Cryptosuite}
				cands = append(cands, cand)
				byID[c.ID] = cand
			}
			res, err := pex.Evaluate(def, cands)
			if !errors.Is(err, want) || (err == nil) != (want == nil) {
				t.Fatalf("Evaluate: got %v, want %v", err, want)
			}
			if err != nil {
				return
			}
			got := map[string]wantSelection{}
			for _, s := range res.Selected {
				m := s.Match
				w := wantSelection{Candidate: m.CandidateID, Disclose: m.Disclose, Limited: m.Limited, Optional: m.Optional,
					Predicates: m.Predicates, Framed: m.Framed, HolderBinding: m.HolderBinding, Retain: m.Retain}
				if m.Framed != nil || tc.WantSelected[s.DescriptorID].Pointers != nil {
					w.Pointers = m.Pointers(false)
				}
				got[s.DescriptorID] = w
			}
			if d := cmp.Diff(normalize(t, tc.WantSelected), normalize(t, got)); d != "" {
				t.Errorf("selected (-want +got):\n%s", d)
			}
			if tc.WantMatches != nil {
				gotMatches := map[string][]string{}
				for _, dr := range res.Descriptors {
					for _, m := range dr.Matches {
						gotMatches[dr.ID] = append(gotMatches[dr.ID], m.CandidateID)
					}
				}
				if d := cmp.Diff(tc.WantMatches, gotMatches); d != "" {
					t.Errorf("matches (-want +got):\n%s", d)
				}
			}
			sub, order := res.Submission("s")
			if tc.WantSubmissionVP != "" {
				sub, order = res.NestedSubmission("s", tc.WantSubmissionVP)
			}
			if tc.WantSubmission != nil {
				var w any
				if err := json.Unmarshal(tc.WantSubmission, &w); err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(w, normalize(t, sub)); d != "" {
					t.Errorf("submission (-want +got):\n%s", d)
				}
			}
			var presented []pex.Candidate
			for _, id := range order {
				c := byID[id]
				// The holder presents a predicate's boolean in place of the value.
				for _, s := range res.Selected {
					if s.Match.CandidateID == id {
						for _, p := range s.Match.Predicates {
							c.Claims = replaceAt(t, c.Claims, p, true)
						}
					}
				}
				presented = append(presented, c)
			}
			if tc.WantSubmissionVP != "" {
				err = pex.CheckPresentations(def, sub, []pex.Presentation{{Format: tc.WantSubmissionVP, Credentials: presented}})
			} else {
				err = pex.Check(def, sub, presented)
			}
			if err != nil {
				t.Errorf("Check of the wallet's submission: %v", err)
			}
			for _, ck := range tc.Checks {
				t.Run(ck.Name, func(t *testing.T) {
					sub, err := pex.ParseSubmission(ck.Submission)
					if err != nil {
						t.Fatal(err)
					}
					pick := func(ids []string) []pex.Candidate {
						var out []pex.Candidate
						for _, id := range ids {
							c, ok := byID[id]
							if !ok {
								t.Fatalf("no candidate %q", id)
							}
							if r, ok := ck.Replace[id]; ok {
								c.Claims = decodeClaims(t, r)
							}
							out = append(out, c)
						}
						return out
					}
					if ck.Presentations != nil {
						var vps []pex.Presentation
						for _, p := range ck.Presentations {
							vps = append(vps, pex.Presentation{Format: p.Format, Credentials: pick(p.Credentials)})
						}
						err = pex.CheckPresentations(def, sub, vps)
					} else {
						err = pex.Check(def, sub, pick(ck.Presented))
					}
					var want error
					if ck.WantError != "" {
						if want = sentinels[ck.WantError]; want == nil {
							t.Fatalf("unknown sentinel %q", ck.WantError)
						}
					}
					if !errors.Is(err, want) || (err == nil) != (want == nil) {
						t.Fatalf("Check: got %v, want %v", err, want)
					}
				})
			}
		})
	}
}

func decodeClaims(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	v, err := jsonx.Decode(raw, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatal("claims are not an object")
	}
	return m
}

// replaceAt returns a deep copy of claims with the value at path set to v.
func replaceAt(t *testing.T, claims map[string]any, path []any, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	out := decodeClaims(t, b)
	var cur any = out
	for i, c := range path {
		last := i == len(path)-1
		switch c := c.(type) {
		case string:
			m := cur.(map[string]any)
			if last {
				m[c] = v
			}
			cur = m[c]
		case int:
			a := cur.([]any)
			if last {
				a[c] = v
			}
			cur = a[c]
		}
	}
	return out
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
