package pex_test

import (
	"errors"
	"testing"

	"github.com/credence-dev/credence/pex"
)

// FuzzParseDefinition checks that ParseDefinition fails only with its sentinels and that
// an accepted definition evaluates without failing unexpectedly.
func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(loanDefinition))
	f.Add([]byte(`{"id": "d", "input_descriptors": [{"id": "a", "constraints": {"fields": [{"path": ["$..a[?@.b > 1]"], "filter": {"type": "object"}}]}}]}`))
	cand := []pex.Candidate{
		{ID: "x", Format: "ldp_vc", Claims: map[string]any{"a": []any{map[string]any{"b": 2.0}}, "credentialSubject": map[string]any{"account": "DE1", "employer": "E", "salary": 50000.0}}},
		{ID: "y", Format: "vc+sd-jwt", SelectiveDisclosure: true, Claims: map[string]any{"credentialSubject": map[string]any{"account": "DE2"}}},
	}
	sentinels := []error{pex.ErrMalformed, pex.ErrTooLarge, pex.ErrTooDeep, pex.ErrUnsupportedPath, pex.ErrUnsupportedSchema, pex.ErrRemoteReference, pex.ErrUnsafePattern}
	f.Fuzz(func(t *testing.T, data []byte) {
		def, err := pex.ParseDefinition(data)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error is no sentinel: %v", err)
		}
		res, err := pex.Evaluate(def, cand)
		if err != nil {
			if !errors.Is(err, pex.ErrNoMatch) {
				t.Fatalf("Evaluate: %v", err)
			}
			return
		}
		sub, order := res.Submission("s")
		var presented []pex.Candidate
		for _, id := range order {
			for _, c := range cand {
				if c.ID == id {
					presented = append(presented, c)
				}
			}
		}
		if err := pex.Check(def, sub, presented); err != nil {
			t.Fatalf("Check of the wallet's submission: %v", err)
		}
	})
}
