package dcql_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/pex/dcql"
)

const source = "openid4vp-dcql"

func vectorQuery(t *testing.T, name string) *dcql.Query {
	t.Helper()
	q, err := dcql.ParseQuery(vectors.Read(t, source, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return q
}

func vectorJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	v, err := jsonx.Decode(vectors.Read(t, source, name), jsonx.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v.(map[string]any)
}

// TestVectorQueriesParse parses every DCQL query of the specification's examples.
func TestVectorQueriesParse(t *testing.T) {
	dir := vectors.Dir(t, source)
	var files []string
	for _, pattern := range []string{"1.0/examples/query_lang/*.json", "1.0/examples/request/dcql_*.json"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) != 9 {
		t.Fatalf("found %d DCQL queries, want 9", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dcql.ParseQuery(data); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Logf("%d DCQL queries parsed", len(files))
}

// TestVectorClaimsPathPointer runs the claims path pointer example of §7.
func TestVectorClaimsPathPointer(t *testing.T) {
	doc := vectorJSON(t, "claims_path_pointer_example.json")
	cases := doc["cases"].([]any)
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range cases {
		c := c.(map[string]any)
		path := c["path"].([]any)
		got, err := dcql.Select(doc["credential"], path)
		if err != nil {
			t.Errorf("%v: %v", path, err)
			continue
		}
		if d := cmp.Diff(c["expected_selected"], got); d != "" {
			t.Errorf("%v (-want +got):\n%s", path, d)
		}
	}
	t.Logf("%d claims path pointer cases", len(cases))
}

// TestVectorEvaluate evaluates the specification's example queries against its example
// credentials, and against variants of them built here.
func TestVectorEvaluate(t *testing.T) {
	jwtVC := vectorJSON(t, "1.0/examples/credentials/jwt_vc.json")
	ldpVC := vectorJSON(t, "1.0/examples/credentials/ldp_vc.json")
	sdVC := vectorJSON(t, "1.0/examples/credentials/sd_jwt_vc_unsecured.json")
	sdSecured := vectorJSON(t, "1.0/examples/credentials/sd_jwt_vc.json")

	types := func(doc map[string]any) []string {
		var out []string
		for _, x := range doc["type"].([]any) {
			out = append(out, x.(string))
		}
		return out
	}
	vcClaims := jwtVC["vc"].(map[string]any) // VCDM 1.1 JWT: paths start inside the vc claim
	jwtCred := dcql.Credential{ID: "jwt", Format: dcql.FormatJWTVC, Claims: vcClaims, Types: types(vcClaims), Issuer: jwtVC["iss"].(string), HolderBound: true}
	ldpCred := dcql.Credential{ID: "ldp", Format: dcql.FormatLDPVC, Claims: ldpVC, Types: types(ldpVC), HolderBound: true}
	sdCred := func(id string, extra map[string]any) dcql.Credential {
		claims := map[string]any{}
		for k, v := range sdVC {
			claims[k] = v
		}
		for k, v := range extra {
			claims[k] = v
		}
		return dcql.Credential{ID: id, Format: dcql.FormatSDJWTVC, Claims: claims, VCT: claims["vct"].(string), HolderBound: true}
	}
	withAddress := sdCred("with_address", map[string]any{"address": map[string]any{"street_address": "Sandanger 25"}})
	securedOnly := dcql.Credential{ID: "secured", Format: dcql.FormatSDJWTVC, Claims: sdSecured, VCT: sdSecured["vct"].(string), HolderBound: true}

	type want struct {
		response map[string][]dcql.Presentation
		sets     []int
		err      error
	}
	tests := []struct {
		query string
		creds []dcql.Credential
		want  want
	}{
		{"request/dcql_jwt_vc.json", []dcql.Credential{ldpCred, jwtCred}, want{response: map[string][]dcql.Presentation{
			"example_jwt_vc": {{CredentialID: "jwt", Disclose: [][]any{{"credentialSubject", "family_name"}, {"credentialSubject", "given_name"}}}},
		}}},
		{"request/dcql_ldp_vc.json", []dcql.Credential{jwtCred, ldpCred}, want{response: map[string][]dcql.Presentation{
			"example_ldp_vc": {{CredentialID: "ldp", Disclose: [][]any{
				{"credentialSubject", "family_name"}, {"credentialSubject", "given_name"}, {"credentialSubject", "birthdate"},
				{"credentialSubject", "address", "street_address"}, {"credentialSubject", "address", "locality"},
				{"credentialSubject", "address", "postal_code"}, {"credentialSubject", "address", "country"},
			}}},
		}}},
		// The example SD-JWT VC has no address: the wallet cannot deliver every claim.
		{"query_lang/simple.json", []dcql.Credential{sdCred("plain", nil), securedOnly}, want{err: dcql.ErrNoMatch}},
		{"query_lang/simple.json", []dcql.Credential{sdCred("plain", nil), withAddress}, want{response: map[string][]dcql.Presentation{
			"my_credential": {{CredentialID: "with_address", Disclose: [][]any{{"family_name"}, {"given_name"}, {"address", "street_address"}}}},
		}}},
		{"query_lang/value_matching_simple.json", []dcql.Credential{
			sdCred("wrong_postal_code", map[string]any{"address": map[string]any{"street_address": "x"}, "postal_code": "90212"}),
			sdCred("right", map[string]any{"address": map[string]any{"street_address": "x"}, "postal_code": "90211"}),
		}, want{response: map[string][]dcql.Presentation{
			"my_credential": {{CredentialID: "right", Disclose: [][]any{{"family_name"}, {"given_name"}, {"address", "street_address"}, {"postal_code"}}}},
		}}},
		{"query_lang/value_matching_simple.json", []dcql.Credential{
			sdCred("no_postal_code", map[string]any{"address": map[string]any{"street_address": "x"}}),
		}, want{err: dcql.ErrNoMatch}},
		{"query_lang/credentials_alternatives.json", []dcql.Credential{withAddress}, want{sets: []int{0, -1}, response: map[string][]dcql.Presentation{
			"pid": {{CredentialID: "with_address", Disclose: [][]any{{"given_name"}, {"family_name"}, {"address", "street_address"}}}},
		}}},
		{"query_lang/credentials_alternatives.json", []dcql.Credential{sdCred("plain", nil)}, want{err: dcql.ErrNoMatch}},
		{"query_lang/claims_alternatives.json", []dcql.Credential{
			sdCred("second_set", map[string]any{"postal_code": "90210", "date_of_birth": "1940-01-01"}),
		}, want{response: map[string][]dcql.Presentation{
			"pid": {{CredentialID: "second_set", Disclose: [][]any{{"family_name"}, {"postal_code"}, {"date_of_birth"}}}},
		}}},
		{"query_lang/claims_alternatives.json", []dcql.Credential{sdCred("plain", nil)}, want{err: dcql.ErrNoMatch}},
		{"query_lang/simple_mdoc.json", []dcql.Credential{withAddress}, want{err: dcql.ErrNoMatch}},
		{"query_lang/complex_mdoc.json", []dcql.Credential{withAddress}, want{err: dcql.ErrNoMatch}},
		{"query_lang/multi_credentials.json", []dcql.Credential{withAddress}, want{err: dcql.ErrNoMatch}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q := vectorQuery(t, "1.0/examples/"+tc.query)
			res, err := dcql.Evaluate(q, tc.creds)
			if !errors.Is(err, tc.want.err) || (err == nil) != (tc.want.err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want.err)
			}
			if err != nil {
				return
			}
			if d := cmp.Diff(tc.want.response, res.Response()); d != "" {
				t.Errorf("response (-want +got):\n%s", d)
			}
			if tc.want.sets != nil {
				var got []int
				for _, s := range res.Sets {
					got = append(got, s.Chosen)
				}
				if d := cmp.Diff(tc.want.sets, got); d != "" {
					t.Errorf("sets (-want +got):\n%s", d)
				}
			}
		})
	}
}
