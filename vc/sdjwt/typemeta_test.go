package sdjwt

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/netguard"
)

const (
	tmIdentity = "https://credentials.example/identity"
	tmBase     = "https://credentials.example/base"
)

func sri256(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func sri512(doc string) string {
	sum := sha512.Sum512([]byte(doc))
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// The base and child documents of the extension example of SD-JWT VC §6.7.4.
const (
	tmBaseDoc = `{"vct":"https://credentials.example/base","display":[{"locale":"en","name":"Base"}],
	 "claims":[{"path":["name"],"display":[{"label":"Full Name","locale":"en"}]},
	           {"path":["address","city"],"display":[{"label":"City","locale":"en"}],"mandatory":true}]}`
	tmChildDocFmt = `{"vct":"https://credentials.example/identity","name":"Identity","extends":"https://credentials.example/base",
	 "extends#integrity":"%s",
	 "claims":[{"path":["address","city"],"display":[{"label":"Town","locale":"en"}],"sd":"always"},
	           {"path":["nationalities"],"display":[{"label":"Nationalities","locale":"en"}]}]}`
)

func tmChildDoc() string { return strings.Replace(tmChildDocFmt, "%s", sri256(tmBaseDoc), 1) }

func TestResolveTypeMetadataExtends(t *testing.T) {
	child := tmChildDoc()
	fetch := StaticTypeMetadata(map[string][]byte{tmIdentity: []byte(child), tmBase: []byte(tmBaseDoc)})
	m, err := ResolveTypeMetadata(context.Background(), tmIdentity, sri256(child), TypeMetadataPolicy{Fetch: fetch})
	if err != nil {
		t.Fatal(err)
	}
	want := &TypeMetadata{
		VCT: tmIdentity, Name: "Identity", Extends: []string{tmBase},
		Display: []map[string]any{{"locale": "en", "name": "Base"}},
		Claims: []ClaimMetadata{
			{Path: Path{"name"}, Display: []ClaimDisplay{{Locale: "en", Label: "Full Name"}}},
			{Path: Path{"address", "city"}, Display: []ClaimDisplay{{Locale: "en", Label: "Town"}}, Mandatory: true, SD: SDAlways},
			{Path: Path{"nationalities"}, Display: []ClaimDisplay{{Locale: "en", Label: "Nationalities"}}},
		},
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("effective metadata (-want +got):\n%s", diff)
	}
}

func TestResolveTypeMetadataErrors(t *testing.T) {
	child := tmChildDoc()
	docs := func(kv ...string) TypeMetadataFetcher {
		m := map[string][]byte{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = []byte(kv[i+1])
		}
		return StaticTypeMetadata(m)
	}
	loopA := `{"vct":"https://credentials.example/a","extends":"https://credentials.example/b"}`
	loopB := `{"vct":"https://credentials.example/b","extends":"https://credentials.example/a"}`
	for _, tc := range []struct {
		name      string
		vct       string
		integrity string
		p         TypeMetadataPolicy
		err       error // besides ErrTypeMetadata
		ok        bool
	}{
		{name: "no integrity", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc)}, ok: true},
		{name: "integrity mismatch", vct: tmIdentity, integrity: sri256(child + " "), p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc)}},
		{name: "only unsupported hash", vct: tmIdentity, integrity: "md5-" + base64.StdEncoding.EncodeToString(make([]byte, 16)), p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc)}},
		{name: "strongest hash decides: sha512 good, sha256 bad", vct: tmIdentity, integrity: sri256("x") + " " + sri512(child), p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc)}, ok: true},
		{name: "strongest hash decides: sha256 good, sha512 bad", vct: tmIdentity, integrity: sri256(child) + " " + sri512("x"), p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc)}},
		{name: "extends#integrity mismatch", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc+" ")}},
		{name: "document of another type", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, tmBaseDoc)}},
		{name: "circular extends", vct: "https://credentials.example/a", p: TypeMetadataPolicy{Fetch: docs("https://credentials.example/a", loopA, "https://credentials.example/b", loopB)}},
		{name: "one extends within MaxExtends 1", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc), MaxExtends: 1}, ok: true},
		{name: "missing type", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs()}, err: errs.ErrNotFound},
		{name: "missing type, optional", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(), Optional: true}, ok: true},
		{name: "missing extended type, optional", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child), Optional: true}, err: errs.ErrNotFound},
		{name: "too large", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, child, tmBase, tmBaseDoc), MaxBytes: 100}, err: ErrTooLarge},
		{name: "not JSON", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":`)}},
		{name: "no vct", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{}`)}},
		{name: "path not an array", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":"name"}]}`)}},
		{name: "negative index", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":["a",-1]}]}`)}},
		{name: "unknown sd", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":["a"],"sd":"sometimes"}]}`)}},
		{name: "display without label", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":["a"],"display":[{"locale":"en"}]}]}`)}},
		{name: "duplicate svg_id", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":["a"],"svg_id":"x"},{"path":["b"],"svg_id":"x"}]}`)}},
		{name: "bad svg_id", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(tmIdentity, `{"vct":"`+tmIdentity+`","claims":[{"path":["a"],"svg_id":"1x"}]}`)}},
		{name: "child changes sd always to never", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(
			tmIdentity, `{"vct":"`+tmIdentity+`","extends":"`+tmBase+`","claims":[{"path":["a"],"sd":"never"}]}`,
			tmBase, `{"vct":"`+tmBase+`","claims":[{"path":["a"],"sd":"always"}]}`)}},
		{name: "child makes a mandatory claim optional", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(
			tmIdentity, `{"vct":"`+tmIdentity+`","extends":"`+tmBase+`","claims":[{"path":["a"],"mandatory":false}]}`,
			tmBase, `{"vct":"`+tmBase+`","claims":[{"path":["a"],"mandatory":true}]}`)}},
		{name: "child narrows sd allowed to never", vct: tmIdentity, p: TypeMetadataPolicy{Fetch: docs(
			tmIdentity, `{"vct":"`+tmIdentity+`","extends":"`+tmBase+`","claims":[{"path":["a"],"sd":"never","mandatory":true}]}`,
			tmBase, `{"vct":"`+tmBase+`","claims":[{"path":["a"],"sd":"allowed"}]}`)}, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveTypeMetadata(context.Background(), tc.vct, tc.integrity, tc.p)
			if tc.ok {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrTypeMetadata) {
				t.Fatalf("error %v, want ErrTypeMetadata", err)
			}
			if tc.err != nil && !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want it to wrap %v", err, tc.err)
			}
		})
	}
	if _, err := ResolveTypeMetadata(context.Background(), tmIdentity, "", TypeMetadataPolicy{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("without a fetcher: %v, want ErrInvalidOptions", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ResolveTypeMetadata(ctx, tmIdentity, "", TypeMetadataPolicy{Fetch: docs(tmIdentity, child)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	if _, err := ResolveTypeMetadata(context.Background(), "https://credentials.example/a", "", TypeMetadataPolicy{
		Fetch: docs("https://credentials.example/a", loopA, "https://credentials.example/b", `{"vct":"https://credentials.example/b","extends":"https://credentials.example/c"}`,
			"https://credentials.example/c", `{"vct":"https://credentials.example/c"}`), MaxExtends: 1}); !errors.Is(err, ErrTypeMetadata) {
		t.Errorf("a chain of 2 with MaxExtends 1: %v, want ErrTypeMetadata", err)
	}
}

// TestVerifierTypeMetadata checks claim metadata against issued credentials and
// presentations through the Verifier.
func TestVerifierTypeMetadata(t *testing.T) {
	f := newForge(t)
	frame, err := PathFrame(Path{"given_name"}, Path{"family_name"}, Path{"birthdate"}, Path{"address", "locality"}, Path{"nationalities", 0})
	if err != nil {
		t.Fatal(err)
	}
	issued, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{Holder: f.holder.Public(), IssuedAt: f.now})
	if err != nil {
		t.Fatal(err)
	}
	kb := PresentOptions{Holder: f.holder, Nonce: forgeExpect.Nonce, Audience: forgeExpect.Audience, IssuedAt: f.now}
	pres, err := Present(issued, []Path{{"given_name"}}, kb)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Issue(f.issuer, map[string]any{"vct": tmIdentity, "iss": "https://issuer.example", "given_name": "Erika"}, Frame{}, IssueOptions{IssuedAt: f.now})
	if err != nil {
		t.Fatal(err)
	}
	meta := func(claims string) TypeMetadataFetcher {
		return StaticTypeMetadata(map[string][]byte{tmIdentity: []byte(`{"vct":"` + tmIdentity + `","claims":[` + claims + `]}`)})
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		claims string
		ok     bool
	}{
		{name: "sd always on disclosed claims", data: issued, claims: `{"path":["given_name"],"sd":"always"},{"path":["address","locality"],"sd":"always"}`, ok: true},
		{name: "sd never on plain claims", data: issued, claims: `{"path":["iss"],"sd":"never"},{"path":["address","country"],"sd":"never"}`, ok: true},
		{name: "sd always on a plain claim", data: issued, claims: `{"path":["address","country"],"sd":"always"}`},
		{name: "sd never on a disclosed claim", data: issued, claims: `{"path":["birthdate"],"sd":"never"}`},
		{name: "sd always on a claim inside a disclosed object", data: issued, claims: `{"path":["address"],"sd":"always"}`},
		{name: "mandatory present", data: issued, claims: `{"path":["address","country"],"mandatory":true}`, ok: true},
		{name: "mandatory absent where no digest could hide it", data: issued, claims: `{"path":["nationalities",7],"mandatory":true},{"path":["address","zip"],"mandatory":true}`},
		{name: "mandatory absent from a plain credential", data: plain, claims: `{"path":["birthdate"],"mandatory":true}`},
		{name: "mandatory not disclosed in a presentation", data: pres, claims: `{"path":["birthdate"],"mandatory":true},{"path":["address","locality"],"mandatory":true}`, ok: true},
		{name: "mandatory absent in a presentation where no digest could hide it", data: pres, claims: `{"path":["nationalities",5],"mandatory":true}`},
		{name: "sd always on an undisclosed array element", data: pres, claims: `{"path":["nationalities",0],"sd":"always"}`, ok: true},
		{name: "sd never on an undisclosed array element", data: pres, claims: `{"path":["nationalities",0],"sd":"never"}`},
		{name: "issued index past an undisclosed element", data: pres, claims: `{"path":["nationalities",1],"sd":"never"},{"path":["nationalities",2],"sd":"never"}`, ok: true},
		{name: "wildcard counts undisclosed elements", data: pres, claims: `{"path":["nationalities",null],"sd":"never"}`},
		{name: "wildcard over disclosed elements", data: issued, claims: `{"path":["nationalities",null],"sd":"allowed"}`, ok: true},
		{name: "path through a string", data: issued, claims: `{"path":["given_name","x"]}`},
		{name: "null over an object", data: issued, claims: `{"path":["address",null]}`},
		{name: "index into an object", data: issued, claims: `{"path":["address",0]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := f.verifier(VerifierOptions{TypeMetadata: &TypeMetadataPolicy{Fetch: meta(tc.claims)}})
			var res *Verified
			var err error
			if bytesHaveKB(tc.data) {
				res, err = v.VerifyPresentation(context.Background(), tc.data, forgeExpect)
			} else {
				res, err = v.VerifyIssued(context.Background(), tc.data)
			}
			if !tc.ok {
				checkErr(t, err, ErrTypeMetadata)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.TypeMetadata() == nil || res.TypeMetadata().VCT != tmIdentity {
				t.Errorf("TypeMetadata() = %+v", res.TypeMetadata())
			}
		})
	}
	// Without a policy nothing is fetched and CheckTypeMetadata cannot run.
	res, err := f.verifier(VerifierOptions{}).VerifyIssued(context.Background(), issued)
	if err != nil {
		t.Fatal(err)
	}
	if res.TypeMetadata() != nil {
		t.Error("TypeMetadata() without a policy")
	}
	checkErr(t, CheckTypeMetadata(res, &TypeMetadata{}), ErrInvalidOptions)
	if _, err := NewVerifier(func(context.Context, KeyRequest) (crypto.PublicKey, error) { return nil, nil }, VerifierOptions{TypeMetadata: &TypeMetadataPolicy{}}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("policy without a fetcher: %v", err)
	}
	// Optional: a type without metadata verifies, unchecked.
	v := f.verifier(VerifierOptions{TypeMetadata: &TypeMetadataPolicy{Fetch: StaticTypeMetadata(nil), Optional: true}})
	if res, err := v.VerifyIssued(context.Background(), issued); err != nil || res.TypeMetadata() != nil {
		t.Errorf("optional, no metadata: %v, %+v", err, res)
	}
	v = f.verifier(VerifierOptions{TypeMetadata: &TypeMetadataPolicy{Fetch: StaticTypeMetadata(nil)}})
	if _, err := v.VerifyIssued(context.Background(), issued); !errors.Is(err, ErrTypeMetadata) || !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("required, no metadata: %v", err)
	}
}

func bytesHaveKB(data []byte) bool { return !strings.HasSuffix(string(data), "~") }

func TestHTTPTypeMetadataFetcher(t *testing.T) {
	doc := `{"vct":"x"}`
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/types/identity" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(doc))
	}))
	defer srv.Close()
	fetch, err := newHTTPTypeMetadataFetcher(srv.Client(), netguard.Options{AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := fetch(context.Background(), srv.URL+"/types/identity")
	if err != nil || string(got) != doc {
		t.Fatalf("fetch: %q, %v", got, err)
	}
	if _, err := fetch(context.Background(), srv.URL+"/types/other"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("404: %v, want ErrNotFound", err)
	}
	if _, err := fetch(context.Background(), "urn:eudi:pid:1"); err == nil {
		t.Error("a URN was fetched")
	}
	public, err := NewHTTPTypeMetadataFetcher(srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := public(context.Background(), srv.URL+"/types/identity"); !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Errorf("loopback without the test option: %v, want ErrForbiddenAddress", err)
	}
	if _, err := public(context.Background(), "http://credentials.example/identity"); !errors.Is(err, errs.ErrInsecureURL) {
		t.Errorf("http: %v, want ErrInsecureURL", err)
	}
	if _, err := NewHTTPTypeMetadataFetcher(nil); err == nil {
		t.Error("nil client accepted")
	}
}
