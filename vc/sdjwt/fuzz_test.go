package sdjwt

import (
	"bytes"
	"context"
	"crypto"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// Seeds live in testdata/fuzz/<Target>/ and are replayed by go test.

// FuzzParse feeds anything to the SD-JWT parser and the verifier. Properties: no panic;
// every error wraps exactly one sentinel; an accepted compact SD-JWT splits back into
// the same bytes, and its disclosures' paths lead to claims that exist.
func FuzzParse(f *testing.F) {
	issuer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		f.Fatal(err)
	}
	pub := issuer.Public()
	v, err := NewVerifier(func(context.Context, KeyRequest) (crypto.PublicKey, error) { return pub, nil },
		VerifierOptions{Types: []string{genericTyp}, HashAlgorithms: []string{SHA256, SHA384, SHA512}, Clock: fixedClock(forgeNow)})
	if err != nil {
		f.Fatal(err)
	}
	addVectorSeeds(f, func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := Inspect(data)
		if err != nil {
			if sentinelOf(err) == nil {
				t.Fatalf("Inspect error without one sentinel: %v", err)
			}
		} else {
			checkInspected(t, data, in)
		}
		if _, err := v.VerifyIssued(context.Background(), data); err != nil && sentinelOf(err) == nil {
			t.Fatalf("VerifyIssued error without one sentinel: %v", err)
		}
		if _, err := v.VerifyPresentation(context.Background(), data, forgeExpect); err != nil && sentinelOf(err) == nil {
			t.Fatalf("VerifyPresentation error without one sentinel: %v", err)
		}
	})
}

func checkInspected(t *testing.T, data []byte, in *Inspected) {
	tok, err := split(data, defaultLimits)
	if err != nil {
		t.Fatalf("Inspect accepted what split refuses: %v", err)
	}
	if tok.ser == Compact {
		if again := compactForm(tok.jws, tok.discs, tok.kb); !bytes.Equal(again, data) {
			t.Fatalf("compact form does not round-trip")
		}
	}
	if len(in.Disclosures) != len(tok.discs) {
		t.Fatalf("%d disclosures inspected, %d sent", len(in.Disclosures), len(tok.discs))
	}
	for _, d := range in.Disclosures {
		if len(expand(in.Claims, d.Path, nil, nil)) != 1 {
			t.Fatalf("disclosure path %s leads nowhere", d.Path)
		}
	}
	for _, k := range []string{keySD, keySDAlg} {
		if _, ok := in.Claims[k]; ok {
			t.Fatalf("processed payload keeps %s", k)
		}
	}
}

// FuzzDisclosure feeds anything to the disclosure decoder. Properties: no panic; every
// error wraps exactly one sentinel; an accepted disclosure encodes its salt, name and
// value again to an equivalent disclosure.
func FuzzDisclosure(f *testing.F) {
	addVectorSeeds(f, func(data []byte) {
		if tok, err := split(data, defaultLimits); err == nil {
			for _, d := range tok.discs {
				f.Add(d)
			}
		}
	})
	f.Fuzz(func(t *testing.T, enc string) {
		d, err := decodeDisclosure(enc, DefaultMaxDepth)
		if err != nil {
			if sentinelOf(err) == nil {
				t.Fatalf("error without one sentinel: %v", err)
			}
			return
		}
		parts := []any{d.salt, d.value}
		if !d.element {
			parts = []any{d.salt, d.name, d.value}
		}
		data, err := marshal(parts)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		again, err := decodeDisclosure(b64.EncodeToString(data), DefaultMaxDepth)
		if err != nil {
			t.Fatalf("re-encoded disclosure refused: %v", err)
		}
		if again.salt != d.salt || again.name != d.name || again.element != d.element || !cmp.Equal(again.value, d.value) {
			t.Fatalf("round trip changed the disclosure")
		}
	})
}

// FuzzFrame issues claims under a frame built from paths, presents a subset, and
// verifies both. Properties: no panic; errors wrap exactly one sentinel; whatever is
// issued verifies to the claims it was issued from; a presentation verifies and holds
// exactly the disclosures of the chosen paths (their parents and contents), and the
// chosen claims with their issued values.
//
// Input: claims as JSON, the paths one per line ("/a/#0/b": member a, element 0,
// member b; "*" every element), and a bit mask choosing the paths to present.
func FuzzFrame(f *testing.F) {
	issuer, err := keys.Generate(keys.Ed25519)
	if err != nil {
		f.Fatal(err)
	}
	holder, err := keys.Generate(keys.Ed25519)
	if err != nil {
		f.Fatal(err)
	}
	pub := issuer.Public()
	v, err := NewVerifier(func(context.Context, KeyRequest) (crypto.PublicKey, error) { return pub, nil },
		VerifierOptions{Types: []string{genericTyp}, Clock: fixedClock(forgeNow)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, claimsJSON []byte, pathSpec string, mask uint64) {
		raw, err := jsonx.Decode(claimsJSON, jsonx.Limits{MaxBytes: 64 << 10, MaxDepth: 16})
		if err != nil {
			return
		}
		claims, ok := raw.(map[string]any)
		if !ok {
			return
		}
		paths := parseSpec(pathSpec)
		if len(paths) > 64 {
			return
		}
		frame, err := PathFrame(paths...)
		if err != nil {
			if sentinelOf(err) == nil {
				t.Fatalf("PathFrame error without one sentinel: %v", err)
			}
			return
		}
		issued, err := Issue(issuer, claims, frame, IssueOptions{Kind: Generic, Type: genericTyp, Holder: holder.Public()})
		if err != nil {
			if sentinelOf(err) == nil {
				t.Fatalf("Issue error without one sentinel: %v", err)
			}
			return
		}
		res, err := v.VerifyIssued(context.Background(), issued)
		if err != nil {
			t.Fatalf("issued SD-JWT does not verify: %v", err)
		}
		got := res.Claims()
		delete(got, "cnf")
		if diff := cmp.Diff(claims, got); diff != "" {
			t.Fatalf("verified claims differ from the issued ones (-issued +verified):\n%s", diff)
		}
		in, err := Inspect(issued)
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		var chosen []Path
		for i, p := range paths {
			if mask&(1<<uint(i)) != 0 && len(expand(in.Claims, p, nil, nil)) > 0 {
				chosen = append(chosen, p)
			}
		}
		pres, err := Present(issued, chosen, PresentOptions{Holder: holder, Nonce: forgeExpect.Nonce, Audience: forgeExpect.Audience, IssuedAt: forgeNow})
		if err != nil {
			t.Fatalf("Present: %v", err)
		}
		pr, err := v.VerifyPresentation(context.Background(), pres, forgeExpect)
		if err != nil {
			t.Fatalf("presentation does not verify: %v", err)
		}
		var targets []Path
		for _, p := range chosen {
			targets = append(targets, expand(in.Claims, p, nil, nil)...)
		}
		var want []string
		for _, d := range in.Disclosures {
			if slices.ContainsFunc(targets, func(p Path) bool { return matches(d.Path, p) }) {
				want = append(want, d.Encoded)
			}
		}
		tok, err := split(pres, defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(slices.Sorted(slices.Values(tok.discs)), slices.Sorted(slices.Values(want))) {
			t.Fatalf("presented %d disclosures, want %d", len(tok.discs), len(want))
		}
		seen := pr.Claims()
		for _, p := range targets {
			if slices.ContainsFunc(p, func(c any) bool { _, isIndex := c.(int); return isIndex }) {
				continue // indices shift when other elements stay hidden
			}
			w := expand(in.Claims, p, nil, nil)
			g := expand(seen, p, nil, nil)
			if len(w) != 1 || len(g) != 1 {
				t.Fatalf("chosen claim %s missing from the presentation", p)
			}
			if !cmp.Equal(valueAt(in.Claims, p), valueAt(seen, p)) {
				t.Fatalf("chosen claim %s differs", p)
			}
		}
	})
}

// parseSpec reads FuzzFrame's paths.
func parseSpec(spec string) []Path {
	var out []Path
	for line := range strings.Lines(spec) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "/") {
			continue
		}
		var p Path
		for _, c := range strings.Split(line[1:], "/") {
			switch {
			case c == "*":
				p = append(p, nil)
			case strings.HasPrefix(c, "#"):
				n, err := strconv.Atoi(c[1:])
				if err != nil || n < 0 || n > 1000 {
					return nil
				}
				p = append(p, n)
			default:
				p = append(p, c)
			}
		}
		out = append(out, p)
	}
	return out
}

// valueAt returns the value at a concrete path.
func valueAt(v any, p Path) any {
	for _, c := range p {
		switch k := c.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

// TestFuzzSeeds writes nothing: it checks that every seed corpus exists and is not
// empty, so that go test replays them.
func TestFuzzSeeds(t *testing.T) {
	for _, target := range []string{"FuzzParse", "FuzzDisclosure", "FuzzFrame"} {
		entries, err := readDirNames("testdata/fuzz/" + target)
		if err != nil || len(entries) == 0 {
			t.Errorf("no seeds for %s: %v", target, err)
		}
	}
}

func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// addVectorSeeds adds the published SD-JWTs as seeds when the vectors are there; they
// are read in place, never copied into testdata.
func addVectorSeeds(f *testing.F, add func(data []byte)) {
	root, err := vectorsRoot()
	if err != nil {
		return
	}
	for _, suite := range []string{"ietf-sd-jwt", "ietf-sd-jwt-vc"} {
		files, _ := filepath.Glob(filepath.Join(root, suite, "examples", "*", "sd_jwt_*.*"))
		for _, name := range files {
			if strings.HasSuffix(name, "payload.json") {
				continue
			}
			if data, err := os.ReadFile(name); err == nil {
				add(bytes.TrimSpace(data))
			}
		}
	}
}

// vectorsRoot finds ../shared/vectors as internal/vectors does, without failing.
func vectorsRoot() (string, error) {
	if d := os.Getenv("CREDENCE_VECTORS"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "vectors"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
