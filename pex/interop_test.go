package pex_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/pex"
)

// Reasons for the disagreements with the Sphereon library, each naming the part of PEX
// v2.1.1 (https://identity.foundation/presentation-exchange/spec/v2.1.1/) that this
// package follows. interop/pex/README.md explains each.
const (
	disagreeOptional = "the library's definition schema forbids a field's optional member; " +
		"PEX v2.1.1 Input Descriptor Object, fields, defines optional"
	disagreeDCSDJWT = "the library's format schema does not know dc+sd-jwt; PEX v2.1.1 Presentation Definition, " +
		"format, takes claim format designations, and dc+sd-jwt is the SD-JWT VC one (OpenID4VP 1.0 Appendix B.3)"
	disagreeFormat = "the library lets a jwt_vc credential answer a descriptor of a definition whose format names only ldp_vc; " +
		"PEX v2.1.1 Presentation Definition, format, limits every descriptor to those formats"
	disagreeLimit = "the library matches a credential that cannot disclose selectively under limit_disclosure required; " +
		"PEX v2.1.1 Input Descriptor Object, constraints, limit_disclosure: required means only the listed fields are submitted"
	disagreePredicate = "the library answers predicate required with a credential whose proof cannot give a boolean in place of the value; " +
		"PEX v2.1.1 Predicate Feature: the returned value MUST be the boolean result of the filter"
	disagreeRelation = "the library reads field_id as a property name of credentialSubject and fails preferred directives; " +
		"PEX v2.1.1 Relational Constraint Feature: field_id names field objects by id, and preferred is only a SHOULD"
	disagreeJWTVCJSON = "the library gives a JWT credential the format jwt_vc, never jwt_vc_json; the DIF claim format registry " +
		"(and OpenID4VP 1.0 Appendix B.1) name a W3C VC secured as a JWT jwt_vc_json"
	disagreeAlgs = "the library does not check a designation's sd-jwt_alg_values or proof_type lists (and takes di_vc credentials " +
		"for ldp_vc); the DIF claim format registry defines them as the algorithms and proof types the verifier accepts"
	disagreeDIVC    = "the library does not know the di_vc format; the DIF claim format registry defines it for Data Integrity credentials"
	disagreePattern = "policy, not a spec disagreement: a look-ahead pattern is refused (ErrUnsafePattern, RE2 only, DESIGN §5); " +
		"the library runs it"
	disagreePath = "the library accepts a script expression; PEX v2.1.1 fields path is JSONPath, " +
		"whose standard (RFC 9535) has no script expressions (ErrUnsupportedPath)"
	disagreeRemote = "policy: a filter with a remote $ref is refused (ErrRemoteReference, DESIGN §5); " +
		"the library fetches nothing and matches nothing"
)

// interopDisagreements lists every unit on which the Sphereon library
// (@sphereon/pex, interop/pex) and this package differ, with the reason this package is
// right. A unit is "<case>" (is the whole definition satisfied) or "<case>/<descriptor>"
// (which credentials match that descriptor alone).
var interopDisagreements = map[string]string{
	"format/any_ldp":            disagreeFormat,
	"format_algorithms":         disagreeJWTVCJSON,
	"format_algorithms/jwt":     disagreeJWTVCJSON,
	"format_algorithms/sd":      disagreeAlgs,
	"format_algorithms/ldp":     disagreeAlgs,
	"format_algorithms/di":      disagreeDIVC,
	"intent_to_retain":          disagreeOptional,
	"intent_to_retain/license":  disagreeOptional,
	"is_holder":                 disagreeRelation,
	"is_holder/ticket":          disagreeRelation,
	"limit_disclosure/required": disagreeLimit,
	"optional_field":            disagreeOptional,
	"optional_field/pid":        disagreeOptional,
	"predicate_required/adult":  disagreePredicate,
	"predicate_unmet":           disagreePredicate,
	"predicate_unmet/adult":     disagreePredicate,
	"remote_reference":          disagreeRemote,
	"remote_reference/a":        disagreeRemote,
	"same_subject":              disagreeRelation,
	"same_subject_preferred":    disagreeRelation,
	"submission_check":          disagreeDCSDJWT,
	"submission_check/pid":      disagreeDCSDJWT,
	"unsafe_pattern":            disagreePattern,
	"unsafe_pattern/a":          disagreePattern,
	"unsupported_path":          disagreePath,
	"unsupported_path/a":        disagreePath,
}

type interopCred struct {
	ID                  string         `json:"id"`
	Format              string         `json:"format"`
	Claims              map[string]any `json:"claims"`
	SelectiveDisclosure bool           `json:"selective_disclosure"`
	HolderBound         bool           `json:"holder_bound"`
	Algorithm           string         `json:"alg,omitempty"`
	ProofType           string         `json:"proof_type,omitempty"`
	Cryptosuite         string         `json:"cryptosuite,omitempty"`
}

type interopUnit struct {
	Name        string         `json:"name"`
	Definition  map[string]any `json:"definition"`
	Credentials []interopCred  `json:"credentials"`
	cands       []pex.Candidate
}

// interopVerdict is one side's answer on a unit: rejected (the definition is refused),
// or satisfied and the matching credentials.
type interopVerdict struct {
	Rejected  bool
	Satisfied bool
	Matches   []string
}

// TestInterop compares Evaluate with the Sphereon Presentation Exchange library on the
// definitions and credentials of testdata/cases: whether each definition is satisfied,
// and which credentials match each descriptor on its own. Every difference must be one
// of interopDisagreements, and each of those must still occur. It runs only with
// CREDENCE_INTEROP=1 and after npm ci in interop/pex.
func TestInterop(t *testing.T) {
	if os.Getenv("CREDENCE_INTEROP") != "1" {
		t.Skip("set CREDENCE_INTEROP=1 to run the interoperability checks")
	}
	dir := filepath.Join("..", "interop", "pex")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal("CREDENCE_INTEROP=1 but interop/pex/node_modules is missing: run npm ci there")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("CREDENCE_INTEROP=1 but no node: %v", err)
	}
	units := interopUnits(t)
	in, err := json.Marshal(map[string]any{"units": units})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "pex.mjs")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var theirs map[string]struct {
		Satisfied bool     `json:"satisfied"`
		Matches   []string `json:"matches"`
		Error     string   `json:"error"`
		Reasons   []string `json:"reasons"`
	}
	if err := json.Unmarshal(out, &theirs); err != nil {
		t.Fatalf("node answered %q: %v", out, err)
	}
	agree, differ := 0, 0
	for _, u := range units {
		ours := evaluateUnit(t, u)
		th, ok := theirs[u.Name]
		if !ok {
			t.Fatalf("%s: no answer from the library", u.Name)
		}
		their := interopVerdict{Rejected: th.Error != "", Satisfied: th.Satisfied && th.Error == "", Matches: th.Matches}
		if their.Rejected {
			their.Matches = nil
		}
		if their.Matches == nil {
			their.Matches = []string{}
		}
		lone := strings.Contains(u.Name, "/")
		same := ours.Rejected == their.Rejected && (lone && slices.Equal(ours.Matches, their.Matches) || !lone && ours.Satisfied == their.Satisfied)
		reason, documented := interopDisagreements[u.Name]
		switch {
		case same && documented:
			t.Errorf("%s: documented as a disagreement (%s) but both agree: %+v", u.Name, reason, ours)
		case !same && !documented:
			t.Errorf("%s: ours %+v, library %+v (error %q, reasons %q)", u.Name, ours, their, th.Error, th.Reasons)
		case same:
			agree++
		default:
			differ++
			t.Logf("%s: documented disagreement: %s (ours %+v, library %+v)", u.Name, reason, ours, their)
		}
	}
	if differ != len(interopDisagreements) {
		t.Errorf("%d documented disagreements occurred, %d are listed", differ, len(interopDisagreements))
	}
	t.Logf("%d units (definitions and lone descriptors): %d agree, %d documented disagreements", len(units), agree, differ)
}

// interopUnits builds, from every case, one unit for the whole definition and one per
// descriptor alone (without group, same_subject or submission requirements).
func interopUnits(t *testing.T) []interopUnit {
	t.Helper()
	files, err := filepath.Glob("testdata/cases/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	var units []interopUnit
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tc struct {
			Definition map[string]any `json:"definition"`
			Candidates []struct {
				interopCred
				Predicates bool     `json:"predicates"`
				Issuer     string   `json:"issuer"`
				Subjects   []string `json:"subjects"`
			} `json:"candidates"`
		}
		if err := json.Unmarshal(data, &tc); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		creds := []interopCred{}
		var cands []pex.Candidate
		for _, c := range tc.Candidates {
			c.Claims = interopClaims(t, c.ID, c.Format, c.Claims)
			creds = append(creds, c.interopCred)
			cands = append(cands, pex.Candidate{ID: c.ID, Format: c.Format, Claims: c.Claims, SelectiveDisclosure: c.SelectiveDisclosure,
				Predicates: c.Predicates, HolderBound: c.HolderBound, Issuer: c.Issuer, Subjects: c.Subjects,
				Algorithm: c.Algorithm, ProofType: c.ProofType, Cryptosuite: c.Cryptosuite})
		}
		units = append(units, interopUnit{Name: name, Definition: tc.Definition, Credentials: creds, cands: cands})
		descs, _ := tc.Definition["input_descriptors"].([]any)
		for _, d := range descs {
			desc := clone(t, d).(map[string]any)
			delete(desc, "group")
			if cons, ok := desc["constraints"].(map[string]any); ok {
				delete(cons, "same_subject")
			}
			lone := clone(t, tc.Definition).(map[string]any)
			delete(lone, "submission_requirements")
			lone["input_descriptors"] = []any{desc}
			units = append(units, interopUnit{Name: name + "/" + desc["id"].(string), Definition: lone, Credentials: creds, cands: cands})
		}
	}
	return units
}

// evaluateUnit is our verdict on a unit.
func evaluateUnit(t *testing.T, u interopUnit) interopVerdict {
	t.Helper()
	data, err := json.Marshal(u.Definition)
	if err != nil {
		t.Fatal(err)
	}
	def, err := pex.ParseDefinition(data)
	if err != nil {
		return interopVerdict{Rejected: true, Matches: []string{}}
	}
	res, err := pex.Evaluate(def, u.cands)
	switch {
	case errors.Is(err, pex.ErrNoMatch):
		return interopVerdict{Matches: []string{}}
	case err != nil:
		t.Fatalf("%s: %v", u.Name, err)
	}
	v := interopVerdict{Satisfied: true, Matches: []string{}}
	for _, m := range res.Descriptors[0].Matches {
		v.Matches = append(v.Matches, m.CandidateID)
	}
	return v
}

// interopClaims completes a case's claims with the members the library needs to take
// the credential for one of its format (context, type, issuer, dates, subject) and an
// identifier (id or jti) that tells equal credentials apart, keeping those present.
// Both sides evaluate the completed claims.
func interopClaims(t *testing.T, id, format string, claims map[string]any) map[string]any {
	t.Helper()
	c := clone(t, claims).(map[string]any)
	fill := func(m map[string]any, k string, v any) {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	vcBase := func(m map[string]any) {
		fill(m, "@context", []any{"https://www.w3.org/2018/credentials/v1"})
		fill(m, "type", []any{"VerifiableCredential"})
		fill(m, "credentialSubject", map[string]any{})
	}
	switch format {
	case "jwt_vc", "jwt_vc_json":
		fill(c, "iss", "did:example:issuer")
		fill(c, "jti", "urn:credence:interop:"+id)
		fill(c, "nbf", json.Number("1700000000"))
		fill(c, "vc", map[string]any{})
		if vc, ok := c["vc"].(map[string]any); ok {
			vcBase(vc)
		}
	case "vc+sd-jwt", "dc+sd-jwt":
		fill(c, "iss", "https://issuer.example")
		fill(c, "jti", "urn:credence:interop:"+id)
		fill(c, "vct", "https://credentials.example/identity")
		fill(c, "iat", json.Number("1700000000"))
	default:
		vcBase(c)
		fill(c, "id", "urn:credence:interop:"+id)
		fill(c, "issuer", "did:example:issuer")
		fill(c, "issuanceDate", "2024-01-01T00:00:00Z")
	}
	return c
}

// clone deep-copies decoded JSON, numbers as json.Number.
func clone(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonx.Decode(b, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
