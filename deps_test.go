package credence_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/credence-dev/credence"

// Third-party modules, by the role DESIGN.md §7 gives them.
var (
	multiformats = []string{"github.com/multiformats/go-multibase", "github.com/multiformats/go-multicodec"}
	curves       = []string{"github.com/decred/dcrd/dcrec/secp256k1/v4", "filippo.io/nistec", "filippo.io/edwards25519"}
)

// rules lists, for every package of the module, the module packages and third-party
// modules its non-test code may import; the standard library is always allowed. A
// package without a rule fails the test, so a new package must say where it stands.
var rules = map[string][]string{
	"": nil, // the root package is documentation only

	"internal/errs":      nil,
	"internal/claimpath": nil,
	"internal/vectors":   nil,
	"internal/jsonx":     {"internal/errs"},
	"internal/jcs":       {"internal/errs"},
	"internal/netguard":  {"internal/errs"},
	// internal/bbs is the one home of the pairing libraries (DESIGN.md §7): circl for
	// the secret-dependent steps, gnark-crypto for verification.
	"internal/bbs": {"internal/errs", "github.com/cloudflare/circl", "github.com/consensys/gnark-crypto"},
	// internal/jose sits above keys: it signs with keys.Signer and verifies through
	// keys.Verify, so the key, not the token, fixes the algorithm.
	"internal/jose": {"internal/errs", "internal/jsonx", "keys"},

	// keys holds BLS12-381 G2 keys for BBS through internal/bbs, never a pairing library.
	"keys": join([]string{"internal/errs", "internal/jsonx", "internal/bbs"}, multiformats, curves),

	"did":           {"internal/errs", "internal/jsonx", "keys"},
	"did/key":       join([]string{"internal/errs", "did", "keys"}, multiformats),
	"did/jwk":       {"internal/errs", "internal/jsonx", "did", "keys"},
	"did/peer":      join([]string{"internal/errs", "internal/jsonx", "did", "keys"}, multiformats),
	"did/web":       {"internal/errs", "internal/netguard", "did"},
	"did/universal": {"internal/errs", "internal/jsonx", "internal/netguard", "did"},

	// vc is the facade: it wires the engines, and by default resolves the two offline
	// DID methods.
	"vc":           {"internal/errs", "internal/jsonx", "internal/netguard", "keys", "did", "did/key", "did/jwk", "vc/jose", "vc/sdjwt", "vc/dataintegrity", "vc/status", "vc/jsonld", "vc/schema", "internal/jose"},
	"presentation": {"did", "keys", "vc", "pex", "pex/dcql"},
	// presentation/openid4vp speaks OpenID4VP over HTTP through the network guard,
	// with our JOSE layer for request objects and encrypted responses.
	"presentation/openid4vp": {"internal/errs", "internal/jsonx", "internal/jose", "internal/netguard", "did", "did/key", "did/jwk", "keys", "vc", "vc/sdjwt", "pex/dcql", "presentation"},
	// presentation/openid4vp/redisstore is the one package that imports a Redis client.
	"presentation/openid4vp/redisstore": {"presentation/openid4vp", "vc", "github.com/redis/go-redis/v9"},
	"vc/jose":                           {"internal/errs", "internal/jsonx", "internal/jose", "keys"},
	"vc/sdjwt":                          {"internal/errs", "internal/jsonx", "internal/jose", "internal/claimpath", "internal/netguard", "keys"},
	"vc/status":                         {"internal/errs", "internal/jsonx", "internal/netguard"},
	// vc/schema evaluates JSON Schema (DESIGN.md §7); vc verifies schema credentials for it.
	"vc/schema": {"internal/errs", "internal/jsonx", "internal/netguard", "github.com/santhosh-tekuri/jsonschema/v6"},
	// vc/jsonld canonicalizes with its own RDFC-1.0 code; json-gold expands behind its
	// registry-only loader, and no other package may import it.
	"vc/jsonld": {"internal/errs", "internal/jsonx", "internal/jcs", "github.com/piprate/json-gold"},

	// vc/dataintegrity gets DID resolution and JSON-LD canonicalization from vc as callbacks;
	// vc/jsonld is the one engine DESIGN.md §2 lets it import.
	"vc/dataintegrity": {"internal/errs", "internal/jsonx", "internal/jcs", "keys", "did", "vc/jsonld"},

	// pex/dcql matches a format-neutral view of credentials: no format engine, no vc.
	"pex/dcql": {"internal/errs", "internal/jsonx", "internal/claimpath"},
	// pex evaluates RFC 9535 JSONPath and JSON Schema filters (DESIGN.md §7).
	"pex": {"internal/errs", "internal/jsonx", "github.com/theory/jsonpath", "github.com/santhosh-tekuri/jsonschema/v6"},

	// cmd/credence is a program (exported API only) that also reads YAML credentials.
	"cmd/credence": {"keys", "did", "did/key", "did/jwk", "did/peer", "did/web", "did/universal", "vc", "vc/sdjwt", "vc/status", "presentation", "pex", "pex/dcql", "go.yaml.in/yaml/v3"},
}

// programs may use the exported API only.
func programRule(pkg string) ([]string, bool) {
	if !strings.HasPrefix(pkg, "examples/") && !strings.HasPrefix(pkg, "cmd/") {
		return nil, false
	}
	var allowed []string
	for p := range rules {
		if p != "" && !strings.HasPrefix(p, "internal/") {
			allowed = append(allowed, p)
		}
	}
	return allowed, true
}

func join(parts ...[]string) []string { return slices.Concat(parts...) }

// TestImportRules enforces the dependency direction of DESIGN.md §2.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		pkg, imports, _ := strings.Cut(strings.TrimSpace(line), " ")
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		if rel == pkg {
			t.Errorf("%s: outside the module", pkg)
			continue
		}
		allowed, ok := rules[rel]
		if !ok {
			allowed, ok = programRule(rel)
		}
		if !ok {
			t.Errorf("%s: no import rule (add one to deps_test.go)", rel)
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if !permitted(imp, allowed) {
				t.Errorf("%s imports %s: not allowed by the rules of DESIGN.md §2", rel, imp)
			}
		}
	}
}

func permitted(imp string, allowed []string) bool {
	first, _, _ := strings.Cut(imp, "/")
	if !strings.Contains(first, ".") {
		return true // standard library
	}
	if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
		return slices.Contains(allowed, rel)
	}
	for _, mod := range allowed {
		if imp == mod || strings.HasPrefix(imp, mod+"/") {
			return true
		}
	}
	return false
}

// TestRulesSelfCheck makes sure the checker itself rejects what it must.
func TestRulesSelfCheck(t *testing.T) {
	for _, tc := range []struct {
		imp     string
		allowed []string
		want    bool
	}{
		{"crypto/ed25519", nil, true},
		{module + "/keys", []string{"keys"}, true},
		{module + "/vc", []string{"keys"}, false},
		{module + "/internal/jsonx", []string{"keys"}, false},
		{"github.com/piprate/json-gold/ld", []string{"keys"}, false},
		{"github.com/multiformats/go-multibase", multiformats, true},
		{"github.com/multiformats/go-multibase-evil", multiformats, false},
	} {
		if got := permitted(tc.imp, tc.allowed); got != tc.want {
			t.Errorf("permitted(%s) = %v, want %v", tc.imp, got, tc.want)
		}
	}
	if allowed, _ := programRule("examples/over18"); slices.ContainsFunc(allowed, func(s string) bool { return strings.HasPrefix(s, "internal/") }) {
		t.Error("programs may import internal packages")
	}
}
