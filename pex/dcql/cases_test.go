package dcql_test

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
	"github.com/credence-dev/credence/pex/dcql"
)

// caseFile is one of testdata/cases/*.json.
type caseFile struct {
	Query       json.RawMessage `json:"query"`
	Credentials []caseCred      `json:"credentials"`
	// TrustAll approves every trusted_authorities constraint; otherwise none is approved.
	TrustAll bool `json:"trust_all"`
	// WantError names the sentinel Evaluate (or ParseQuery) must return, "" for success.
	WantError string `json:"want_error"`
	// WantResponse is Result.Response, with paths as JSON.
	WantResponse map[string][]casePresentation `json:"want_response"`
	// WantMatches lists, per credential query id, the ids of the matching credentials.
	WantMatches map[string][]string `json:"want_matches"`
	// WantAlwaysVisible lists, per query id and credential id, the paths reported as not
	// selectively disclosable.
	WantAlwaysVisible map[string]map[string][][]any `json:"want_always_visible"`
	// WantQueryRejected lists query ids rejected as a whole (such as mso_mdoc).
	WantQueryRejected []string `json:"want_query_rejected"`
	// WantSets is the chosen option of each credential set (-1 for none).
	WantSets []int `json:"want_sets"`
	// WantClaimSet is the claim set chosen per query id and credential id.
	WantClaimSet map[string]map[string]int `json:"want_claim_set"`
}

type caseCred struct {
	ID          string          `json:"id"`
	Format      string          `json:"format"`
	Claims      json.RawMessage `json:"claims"`
	VCT         string          `json:"vct"`
	Types       []string        `json:"types"`
	Issuer      string          `json:"issuer"`
	Disclosable [][]any         `json:"disclosable"`
	HolderBound bool            `json:"holder_bound"`
	X5C         [][]byte        `json:"x5c"` // base64 DER certificates
}

type casePresentation struct {
	CredentialID string  `json:"credential"`
	Disclose     [][]any `json:"disclose"`
}

var sentinels = map[string]error{
	"ErrNoMatch":         dcql.ErrNoMatch,
	"ErrMalformed":       dcql.ErrMalformed,
	"ErrTooLarge":        dcql.ErrTooLarge,
	"ErrTooDeep":         dcql.ErrTooDeep,
	"ErrUnsupportedPath": dcql.ErrUnsupportedPath,
}

func (c caseCred) credential(t *testing.T) dcql.Credential {
	t.Helper()
	cred := dcql.Credential{ID: c.ID, Format: c.Format, VCT: c.VCT, Types: c.Types, Issuer: c.Issuer, HolderBound: c.HolderBound, Disclosable: c.Disclosable, X5C: c.X5C}
	if c.Claims != nil {
		v, err := jsonx.Decode(c.Claims, jsonx.Limits{})
		if err != nil {
			t.Fatalf("credential %s claims: %v", c.ID, err)
		}
		cred.Claims = v.(map[string]any)
	}
	return cred
}

// normalize turns v into its plain JSON form, so that ints and json.Numbers compare.
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
			q, err := dcql.ParseQuery(tc.Query)
			if err != nil {
				if want == nil || !errors.Is(err, want) {
					t.Fatalf("ParseQuery: got %v, want %v", err, want)
				}
				return
			}
			creds := make([]dcql.Credential, len(tc.Credentials))
			for i, c := range tc.Credentials {
				creds[i] = c.credential(t)
			}
			var opts dcql.Options
			if tc.TrustAll {
				opts.TrustedAuthority = func([]dcql.TrustedAuthority, *dcql.Credential) bool { return true }
			}
			res, err := dcql.EvaluateOptions(q, creds, opts)
			if !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("Evaluate: got %v, want %v", err, want)
			}
			if err != nil {
				var nm *dcql.NoMatchError
				if errors.Is(err, dcql.ErrNoMatch) && (!errors.As(err, &nm) || len(nm.Reasons) == 0) {
					t.Errorf("no-match error without reasons: %v", err)
				}
				if res != nil {
					t.Error("result with an error")
				}
				return
			}
			checkResult(t, &tc, res)
			// What the wallet would present satisfies the query on the verifier's side.
			presented := map[string][]dcql.Credential{}
			for id, ps := range res.Response() {
				for _, p := range ps {
					i := slices.IndexFunc(creds, func(c dcql.Credential) bool { return c.ID == p.CredentialID })
					presented[id] = append(presented[id], creds[i])
				}
			}
			if err := dcql.CheckResponse(q, presented); err != nil {
				t.Errorf("CheckResponse of the wallet's own response: %v", err)
			}
		})
	}
}

func checkResult(t *testing.T, tc *caseFile, res *dcql.Result) {
	t.Helper()
	if tc.WantResponse != nil {
		got := map[string][]casePresentation{}
		for id, ps := range res.Response() {
			for _, p := range ps {
				got[id] = append(got[id], casePresentation{CredentialID: p.CredentialID, Disclose: p.Disclose})
			}
		}
		if d := cmp.Diff(normalize(t, tc.WantResponse), normalize(t, got)); d != "" {
			t.Errorf("response (-want +got):\n%s", d)
		}
	}
	if tc.WantMatches != nil {
		got := map[string][]string{}
		for _, qr := range res.Queries {
			for _, m := range qr.Matches {
				got[qr.ID] = append(got[qr.ID], m.CredentialID)
			}
		}
		if d := cmp.Diff(tc.WantMatches, got); d != "" {
			t.Errorf("matches (-want +got):\n%s", d)
		}
	}
	if tc.WantAlwaysVisible != nil {
		got := map[string]map[string][][]any{}
		for _, qr := range res.Queries {
			for _, m := range qr.Matches {
				if m.AlwaysVisible != nil {
					if got[qr.ID] == nil {
						got[qr.ID] = map[string][][]any{}
					}
					got[qr.ID][m.CredentialID] = m.AlwaysVisible
				}
			}
		}
		if d := cmp.Diff(normalize(t, tc.WantAlwaysVisible), normalize(t, got)); d != "" {
			t.Errorf("always visible (-want +got):\n%s", d)
		}
	}
	if tc.WantQueryRejected != nil {
		var got []string
		for _, qr := range res.Queries {
			for _, rj := range qr.Rejected {
				if rj.CredentialID == "" && rj.Reason != "" {
					got = append(got, qr.ID)
				}
			}
		}
		if d := cmp.Diff(tc.WantQueryRejected, got); d != "" {
			t.Errorf("queries rejected as a whole (-want +got):\n%s", d)
		}
	}
	if tc.WantSets != nil {
		var got []int
		for _, s := range res.Sets {
			got = append(got, s.Chosen)
		}
		if d := cmp.Diff(tc.WantSets, got); d != "" {
			t.Errorf("chosen credential set options (-want +got):\n%s", d)
		}
	}
	for qid, byCred := range tc.WantClaimSet {
		for cid, want := range byCred {
			got := -2
			for _, qr := range res.Queries {
				for _, m := range qr.Matches {
					if qr.ID == qid && m.CredentialID == cid {
						got = m.ClaimSet
					}
				}
			}
			if got != want {
				t.Errorf("claim set of %s/%s: got %d, want %d", qid, cid, got, want)
			}
		}
	}
}
