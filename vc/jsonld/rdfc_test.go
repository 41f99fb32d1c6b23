package jsonld_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/vc/jsonld"
)

// Test types of the W3C rdf-canon manifest.
const (
	evalTest     = "rdfc:RDFC10EvalTest"
	mapTest      = "rdfc:RDFC10MapTest"
	negativeTest = "rdfc:RDFC10NegativeEvalTest"
)

type suiteTest struct {
	ID, Type, Name, Action, Result, HashAlgorithm string

	input  []jsonld.Quad
	hash   crypto.Hash
	result []byte
}

// loadSuite reads the manifest of the W3C RDFC-1.0 test suite and every input it names.
func loadSuite(t testing.TB) []suiteTest {
	t.Helper()
	dir := vectors.Dir(t, "w3c-rdf-canon")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.jsonld"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Entries []suiteTest }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if len(m.Entries) == 0 {
		t.Fatal("manifest lists no tests")
	}
	for i := range m.Entries {
		e := &m.Entries[i]
		in, err := os.ReadFile(filepath.Join(dir, e.Action))
		if err != nil {
			t.Fatal(err)
		}
		if e.input, err = jsonld.ParseNQuads(in, jsonld.NQuadsLimits{}); err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		switch e.HashAlgorithm {
		case "", "SHA256":
			e.hash = crypto.SHA256
		case "SHA384":
			e.hash = crypto.SHA384
		default:
			t.Fatalf("%s: hash algorithm %q", e.ID, e.HashAlgorithm)
		}
		if e.Result != "" {
			if e.result, err = os.ReadFile(filepath.Join(dir, e.Result)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return m.Entries
}

// check runs one eval or map test and returns the canonicalization error, or an error
// that wraps nothing when the result is wrong.
func (e *suiteTest) check(quads []jsonld.Quad, factor int) error {
	c, err := jsonld.Canonicalize(context.Background(), quads, jsonld.CanonOptions{Hash: e.hash, WorkFactor: factor})
	if err != nil {
		return err
	}
	switch e.Type {
	case evalTest:
		if got := c.NQuads(); !bytes.Equal(got, e.result) {
			return fmt.Errorf("got\n%s\nwant\n%s", got, e.result)
		}
	case mapTest:
		var want map[string]string
		if err := json.Unmarshal(e.result, &want); err != nil {
			return fmt.Errorf("expected map: %v", err)
		}
		if !maps.Equal(c.Issued, want) {
			return fmt.Errorf("issued %v, want %v", c.Issued, want)
		}
	}
	return nil
}

// TestW3CSuite runs every test of the W3C RDFC-1.0 suite at work factor 3, where all eval
// and map tests pass and the poison test is refused.
func TestW3CSuite(t *testing.T) {
	suite := loadSuite(t)
	evals, maps, negative := 0, 0, 0
	for _, e := range suite {
		t.Run(e.ID[1:], func(t *testing.T) {
			switch e.Type {
			case evalTest, mapTest:
				if err := e.check(e.input, 3); err != nil {
					t.Fatalf("%s: %v", e.Name, err)
				}
				if e.Type == evalTest {
					evals++
				} else {
					maps++
				}
			case negativeTest:
				for factor := 1; factor <= 3; factor++ {
					start := time.Now()
					_, err := jsonld.Canonicalize(context.Background(), e.input, jsonld.CanonOptions{Hash: e.hash, WorkFactor: factor})
					elapsed := time.Since(start)
					if !errors.Is(err, errs.ErrCanonicalizationLimit) {
						t.Fatalf("factor %d: got %v, want %v", factor, err, errs.ErrCanonicalizationLimit)
					}
					// Within 1s in a normal build; timeScale allows for the race detector.
					if limit := timeScale * time.Second; elapsed > limit {
						t.Errorf("factor %d: refused after %v, want within %v", factor, elapsed, limit)
					}
					t.Logf("factor %d: refused in %v", factor, elapsed)
				}
				negative++
			default:
				t.Fatalf("unknown test type %q", e.Type)
			}
		})
	}
	if evals != 64 || maps != 21 || negative != 1 {
		t.Errorf("%d eval pass, %d map pass, %d negative; want 64, 21, 1", evals, maps, negative)
	}
	t.Logf("%d eval pass, %d map pass, negative ok", evals, maps)
}

// TestW3CSuiteLowFactors runs the suite at work factors 1 and 2: tests either pass or hit
// the limit, never give a wrong result. At factor 1, 18 eval tests need more work.
func TestW3CSuiteLowFactors(t *testing.T) {
	suite := loadSuite(t)
	for factor := 1; factor <= 2; factor++ {
		pass, limited := map[string]int{}, map[string]int{}
		for _, e := range suite {
			if e.Type == negativeTest {
				continue
			}
			switch err := e.check(e.input, factor); {
			case err == nil:
				pass[e.Type]++
			case errors.Is(err, errs.ErrCanonicalizationLimit):
				limited[e.Type]++
			default:
				t.Errorf("factor %d: %s: %v", factor, e.ID, err)
			}
		}
		t.Logf("factor %d: %d eval pass, %d exceed the limit; %d map pass, %d exceed the limit",
			factor, pass[evalTest], limited[evalTest], pass[mapTest], limited[mapTest])
		if factor == 1 && limited[evalTest] != 18 {
			t.Errorf("factor 1: %d eval tests exceed the limit, want 18", limited[evalTest])
		}
	}
}

// TestW3CSuiteRelabelled canonicalizes every eval and map input again with its quads
// shuffled and its blank nodes renamed: the result must not change (the issued map, keyed
// by input label, is compared after renaming back).
func TestW3CSuiteRelabelled(t *testing.T) {
	suite := loadSuite(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, e := range suite {
		if e.Type == negativeTest {
			continue
		}
		for round := range 3 {
			quads, rename := relabel(e.input, rng)
			if e.Type == mapTest {
				// Ties between automorphic blank nodes are broken by input order, so only
				// the canonical form is order-independent; check the map for the same order.
				quads = renameOnly(e.input, rename)
			}
			c, err := jsonld.Canonicalize(context.Background(), quads, jsonld.CanonOptions{Hash: e.hash, WorkFactor: 3})
			if err != nil {
				t.Errorf("%s round %d: %v", e.ID, round, err)
				continue
			}
			switch e.Type {
			case evalTest:
				if got := c.NQuads(); !bytes.Equal(got, e.result) {
					t.Errorf("%s round %d: got\n%s\nwant\n%s", e.ID, round, got, e.result)
				}
			case mapTest:
				var want map[string]string
				if err := json.Unmarshal(e.result, &want); err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for from, to := range rename {
					got[from] = c.Issued[to]
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s round %d: issued %v, want %v", e.ID, round, got, want)
				}
			}
		}
	}
}

// relabel returns quads shuffled, with every blank node given a new random label, and the
// renaming.
func relabel(quads []jsonld.Quad, rng *rand.Rand) ([]jsonld.Quad, map[string]string) {
	rename := map[string]string{}
	for _, q := range quads {
		for _, t := range []jsonld.Term{q.Subject, q.Object, q.Graph} {
			if t.Kind == jsonld.TermBlankNode && rename[t.Value] == "" {
				rename[t.Value] = fmt.Sprintf("n%x", rng.Uint64())
			}
		}
	}
	out := renameOnly(quads, rename)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, rename
}

func renameOnly(quads []jsonld.Quad, rename map[string]string) []jsonld.Quad {
	out := make([]jsonld.Quad, len(quads))
	for i, q := range quads {
		for _, t := range []*jsonld.Term{&q.Subject, &q.Object, &q.Graph} {
			if t.Kind == jsonld.TermBlankNode {
				t.Value = rename[t.Value]
			}
		}
		out[i] = q
	}
	return out
}
