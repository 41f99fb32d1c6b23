package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

// The examples of RFC 9901 (../shared/vectors/ietf-sd-jwt) and of
// draft-ietf-oauth-sd-jwt-vc (../shared/vectors/ietf-sd-jwt-vc), read in place. Each
// example is checked as far as its files go: every disclosure's digest and contents;
// the SD-JWT as issued verified with the issuer key; the presentation verified, its
// key binding JWT with the vector's own time, and the processed payload equal to
// verified_contents.json; the issuance reproduced from user_claims.json with the
// example's salts and decoys, to the same payload and disclosures; the presentation
// reproduced from the issuance with the holder's choice, to the same disclosures and
// sd_hash.

const vectorNonce = "1234567890"

// genericTyp is the typ of the RFC's examples that are not SD-JWT VCs.
const genericTyp = "example+sd-jwt"

type vectorDisclosure struct {
	Label      string          `json:"label"`
	SHA256     string          `json:"sha256"`
	Disclosure string          `json:"disclosure"`
	Contents   json.RawMessage `json:"contents"`
}

type vectorSuite struct {
	name     string
	dir      string // examples/
	issuer   keys.Signer
	holder   keys.Signer
	byKid    map[string]crypto.PublicKey
	audience string
	// holderPaths are the holder_disclosed_claims of each example's specification.yml,
	// as paths.
	holderPaths map[string][]Path
}

type vectorCounts struct {
	disclosures, issued, presented, kbBound, payloads, reissued, represented, jsonForms int
}

func loadSuite(t *testing.T, name string) *vectorSuite {
	root := vectors.Dir(t, name)
	settings := string(vectors.Read(t, name, "example-specs/settings.yml"))
	ks := yamlKeys(t, settings)
	ik := ks["issuer_keys/0"]
	if ik == nil {
		ik = ks["issuer_key/0"]
	}
	if ik == nil || ks["holder_key/0"] == nil {
		t.Fatalf("%s: no issuer or holder key in settings.yml", name)
	}
	s := &vectorSuite{
		name:   name,
		dir:    filepath.Join(root, "examples"),
		issuer: ecSigner(t, ik),
		holder: ecSigner(t, ks["holder_key/0"]),
	}
	s.byKid = map[string]crypto.PublicKey{"": s.issuer.Public()}
	m := regexp.MustCompile(`verifier:\s*"([^"]+)"`).FindStringSubmatch(settings)
	if m == nil {
		t.Fatalf("%s: no verifier identifier in settings.yml", name)
	}
	s.audience = m[1]
	if name == "ietf-sd-jwt" {
		gen := yamlKeys(t, string(vectors.Read(t, name, "example-specs/json_serialization_general/specification.yml")))
		for _, k := range []string{"issuer_keys/0", "issuer_keys/1"} {
			s.byKid[gen[k]["kid"]] = ecSigner(t, gen[k]).Public()
		}
		s.holderPaths = map[string][]Path{
			"simple":                       {{"given_name"}, {"family_name"}, {"address"}, {"nationalities", 0}},
			"arf-pid":                      {{"nationalities", 0}, {"age_equal_or_over", "18"}},
			"jsonld":                       {{"credentialSubject", "type"}, {"credentialSubject", "dateOfVaccination"}, {"credentialSubject", "order"}, {"credentialSubject", "vaccine", "type"}, {"credentialSubject", "vaccine", "atcCode"}, {"credentialSubject", "vaccine", "medicinalProductName"}},
			"json_serialization_flattened": {{"given_name"}, {"family_name"}},
		}
	} else {
		s.holderPaths = map[string][]Path{
			"01":     {{"address"}, {"is_over_65"}},
			"03-pid": {{"nationalities", 0}, {"age_equal_or_over", "18"}},
		}
	}
	return s
}

// keyFunc resolves the vector keys by kid; a kid it does not know is the issuer key.
func (s *vectorSuite) keyFunc() KeyFunc {
	return func(_ context.Context, r KeyRequest) (crypto.PublicKey, error) {
		if k, ok := s.byKid[r.KeyID]; ok {
			return k, nil
		}
		return s.byKid[""], nil
	}
}

func (s *vectorSuite) verifier(t *testing.T, now time.Time, allowNoKB bool) *Verifier {
	t.Helper()
	v, err := NewVerifier(s.keyFunc(), VerifierOptions{Types: []string{genericTyp}, Clock: fixedClock(now), AllowMissingKeyBinding: allowNoKB})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (s *vectorSuite) read(t *testing.T, ex, file string) ([]byte, bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, ex, file))
	if os.IsNotExist(err) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.TrimSpace(string(data))), true
}

func TestVectors(t *testing.T) {
	for _, name := range []string{"ietf-sd-jwt", "ietf-sd-jwt-vc"} {
		t.Run(name, func(t *testing.T) {
			s := loadSuite(t, name)
			entries, err := os.ReadDir(s.dir)
			if err != nil {
				t.Fatal(err)
			}
			var c vectorCounts
			examples := 0
			for _, e := range entries {
				if !e.IsDir() {
					continue
				}
				examples++
				t.Run(e.Name(), func(t *testing.T) { s.run(t, e.Name(), &c) })
			}
			t.Logf("%s: %d examples; %d pass disclosures (digest and contents), %d pass SD-JWTs as issued, %d pass presentations, "+
				"%d pass key binding JWTs (sd_hash as the vector's), %d pass Issuer-signed payloads, %d pass issuances reproduced, "+
				"%d pass presentations reproduced, %d pass JSON serializations",
				name, examples, c.disclosures, c.issued, c.presented, c.kbBound, c.payloads, c.reissued, c.represented, c.jsonForms)
			want := map[string]vectorCounts{
				"ietf-sd-jwt":    {disclosures: 85, issued: 4, presented: 7, kbBound: 5, payloads: 3, reissued: 9, represented: 4, jsonForms: 3},
				"ietf-sd-jwt-vc": {disclosures: 37, issued: 2, presented: 3, kbBound: 2, payloads: 2, reissued: 2, represented: 2},
			}[name]
			if c != want {
				t.Errorf("counts %+v, want %+v", c, want)
			}
		})
	}
}

func (s *vectorSuite) run(t *testing.T, ex string, c *vectorCounts) {
	var discs []vectorDisclosure
	if data, ok := s.read(t, ex, "disclosures.json"); ok {
		if err := json.Unmarshal(data, &discs); err != nil {
			t.Fatal(err)
		}
		for _, d := range discs {
			if s.checkDisclosure(t, d) {
				c.disclosures++
			}
		}
	}
	var kbIAT time.Time
	if data, ok := s.read(t, ex, "kb_jwt_payload.json"); ok {
		var kb struct {
			IAT int64 `json:"iat"`
		}
		if err := json.Unmarshal(data, &kb); err != nil {
			t.Fatal(err)
		}
		kbIAT = time.Unix(kb.IAT, 0)
	}
	// The JSON serialization examples have KB-JWTs too, issued at the same time as the
	// others of the RFC.
	if kbIAT.IsZero() && s.name == "ietf-sd-jwt" {
		kbIAT = time.Unix(1748536865, 0)
	}
	if kbIAT.IsZero() {
		kbIAT = time.Unix(1787325881, 0)
	}
	issued, hasIssued := s.read(t, ex, "sd_jwt_issuance.txt")
	if !hasIssued {
		issued, hasIssued = s.read(t, ex, "sd_jwt_issuance.json")
	}
	payloadFile, hasPayload := s.read(t, ex, "sd_jwt_payload.json")
	var issuedRes *Verified
	if hasIssued {
		issuedRes = s.checkIssued(t, ex, issued, kbIAT, c)
		if hasPayload && s.checkPayload(t, issued, payloadFile) {
			c.payloads++
		}
	}
	for _, f := range []string{"sd_jwt_presentation.txt", "sd_jwt_presentation.json"} {
		if pres, ok := s.read(t, ex, f); ok {
			s.checkPresentation(t, ex, pres, kbIAT, c)
		}
	}
	if hasPayload {
		s.reissue(t, ex, payloadFile, discs, issued, c)
	}
	if hasIssued && s.holderPaths[ex] != nil {
		s.represent(t, ex, issued, issuedRes, kbIAT, c)
	}
	if part, ok := s.read(t, ex, "sd_jwt_jws_part.txt"); ok {
		jws, _, _ := strings.Cut(string(issued), "~")
		if string(part) != jws {
			t.Error("sd_jwt_jws_part.txt is not the JWS of the issuance")
		}
	}
}

func (s *vectorSuite) checkDisclosure(t *testing.T, vd vectorDisclosure) bool {
	t.Helper()
	if got := hashAlgs[0].sum([]byte(vd.Disclosure)); got != vd.SHA256 {
		t.Errorf("%s: digest %s, vector %s", vd.Label, got, vd.SHA256)
		return false
	}
	d, err := decodeDisclosure(vd.Disclosure, DefaultMaxDepth)
	if err != nil {
		t.Errorf("%s: %v", vd.Label, err)
		return false
	}
	got := []any{d.salt, d.value}
	if !d.element {
		got = []any{d.salt, d.name, d.value}
	}
	if diff := diffJSON(t, got, decodeJSON(t, vd.Contents)); diff != "" {
		t.Errorf("%s: contents (-want +got):\n%s", vd.Label, diff)
		return false
	}
	return true
}

func (s *vectorSuite) checkIssued(t *testing.T, ex string, issued []byte, now time.Time, c *vectorCounts) *Verified {
	t.Helper()
	res, err := s.verifier(t, now, false).VerifyIssued(context.Background(), issued)
	if err != nil {
		t.Errorf("as issued: %v", err)
		return nil
	}
	in, err := Inspect(issued)
	if err != nil {
		t.Errorf("Inspect: %v", err)
		return nil
	}
	if diff := cmp.Diff(in.Claims, res.Claims()); diff != "" {
		t.Errorf("Inspect and VerifyIssued differ (-inspect +verified):\n%s", diff)
	}
	if len(res.Disclosed()) != len(in.Disclosures) {
		t.Errorf("%d disclosed, %d disclosures", len(res.Disclosed()), len(in.Disclosures))
	}
	if user, ok := s.read(t, ex, "user_claims.json"); ok {
		want := decodeJSON(t, user).(map[string]any)
		for _, k := range []string{"iss", "iat", "exp", "cnf"} {
			if v, ok := res.claims[k]; ok {
				if _, ok := want[k]; !ok {
					want[k] = v
				}
			}
		}
		if diff := diffJSON(t, res.Claims(), want); diff != "" {
			t.Errorf("claims as issued are not user_claims.json (-want +got):\n%s", diff)
			return nil
		}
	}
	if res.Serialization() != Compact {
		c.jsonForms++
	}
	c.issued++
	return res
}

func (s *vectorSuite) checkPayload(t *testing.T, issued, payloadFile []byte) bool {
	t.Helper()
	tok, err := split(issued, defaultLimits)
	if err != nil {
		t.Error(err)
		return false
	}
	_, p, _ := strings.Cut(string(tok.jws), ".")
	p, _, _ = strings.Cut(p, ".")
	raw, err := b64.DecodeString(p)
	if err != nil {
		t.Error(err)
		return false
	}
	if diff := cmp.Diff(decodeJSON(t, payloadFile), decodeJSON(t, raw)); diff != "" {
		t.Errorf("Issuer-signed payload is not sd_jwt_payload.json (-want +got):\n%s", diff)
		return false
	}
	return true
}

func (s *vectorSuite) checkPresentation(t *testing.T, ex string, pres []byte, kbIAT time.Time, c *vectorCounts) {
	t.Helper()
	tok, err := split(pres, defaultLimits)
	if err != nil {
		t.Errorf("presentation: %v", err)
		return
	}
	withKB := tok.kb != nil
	v := s.verifier(t, kbIAT.Add(5*time.Second), !withKB)
	res, err := v.VerifyPresentation(context.Background(), pres, Expect{Nonce: vectorNonce, Audience: s.audience})
	if err != nil {
		t.Errorf("presentation: %v", err)
		return
	}
	if want, ok := s.read(t, ex, "verified_contents.json"); ok {
		if diff := cmp.Diff(decodeJSON(t, want), any(res.Claims())); diff != "" {
			t.Errorf("processed payload is not verified_contents.json (-want +got):\n%s", diff)
			return
		}
	} else if ex == "json_serialization_flattened" || ex == "json_serialization_general" {
		got := res.Claims()
		if got["given_name"] != "John" || got["family_name"] != "Doe" || got["sub"] != nil || got["birthdate"] != nil {
			t.Errorf("processed payload %v", got)
			return
		}
	}
	if withKB {
		kb, ok := res.KeyBinding()
		if !ok || !kb.IssuedAt.Equal(kbIAT) || kb.Nonce != vectorNonce || kb.Audience != s.audience {
			t.Errorf("key binding %+v", kb)
			return
		}
		if want, ok := s.read(t, ex, "kb_jwt_payload.json"); ok {
			got := kbPayload(t, string(tok.kb))
			if diff := cmp.Diff(decodeJSON(t, want), got); diff != "" {
				t.Errorf("key binding payload (-want +got):\n%s", diff)
				return
			}
		}
		c.kbBound++
	} else {
		// Without key binding, the policy default refuses it.
		if _, err := s.verifier(t, kbIAT, false).VerifyPresentation(context.Background(), pres, Expect{Nonce: vectorNonce, Audience: s.audience}); err == nil {
			t.Error("presentation without KB-JWT accepted by default")
		}
	}
	if res.Serialization() != Compact {
		c.jsonForms++
	}
	c.presented++
}

func kbPayload(t *testing.T, kb string) any {
	t.Helper()
	parts := strings.Split(kb, ".")
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, raw)
}

// reissue issues the example again from its user claims, with its salts and decoys,
// and compares the Issuer-signed payload and the disclosures.
func (s *vectorSuite) reissue(t *testing.T, ex string, payloadFile []byte, discs []vectorDisclosure, issued []byte, c *vectorCounts) {
	t.Helper()
	userEx := ex
	if strings.HasPrefix(ex, "address_only_") {
		userEx = "address_only_flat" // the section's one input claims set
	}
	user, ok := s.read(t, userEx, "user_claims.json")
	if !ok {
		return
	}
	if ex == "address_only_structured_one_open" {
		// The same digests as address_only_structured, without country's.
		data, _ := s.read(t, "address_only_structured", "disclosures.json")
		if err := json.Unmarshal(data, &discs); err != nil {
			t.Fatal(err)
		}
	}
	payload := decodeJSON(t, payloadFile).(map[string]any)
	enc := make([]string, len(discs))
	for i, d := range discs {
		enc[i] = d.Disclosure
	}
	// The spec prints some disclosures inline rather than in the list (simple's
	// given_name); the issuance has them all.
	if len(issued) > 0 {
		tok, err := split(issued, defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range tok.discs {
			if !slices.Contains(enc, d) {
				enc = append(enc, d)
			}
		}
	}
	used := referenced(t, payload, enc)
	// Where each claim sits, from the example's own payload and disclosures.
	p, err := newProcessor(used, hashAlgs[0], DefaultMaxDepth, nil)
	if err != nil {
		t.Fatal(err)
	}
	work := copyValue(payload).(map[string]any)
	delete(work, keySDAlg)
	if _, err := p.run(work); err != nil {
		t.Fatalf("processing sd_jwt_payload.json: %v", err)
	}
	var paths []Path
	saltAt := map[string]string{}
	bySalt := map[string]disclosure{}
	for _, d := range p.discs {
		paths = append(paths, d.path())
		saltAt[d.path().String()] = d.salt
		bySalt[d.salt] = d
	}
	frame, err := PathFrame(paths...)
	if err != nil {
		t.Fatal(err)
	}
	decoys := map[string][]string{}
	findDecoys(t, payload, p.byDigest, p.discs, nil, decoys)
	for at, list := range decoys {
		frame = withDecoys(frame, pathOf(at), len(list))
	}
	if ex == "simple" {
		hand := Frame{Members: map[string]Frame{
			"given_name": {Disclosable: true}, "family_name": {Disclosable: true}, "email": {Disclosable: true},
			"phone_number": {Disclosable: true}, "phone_number_verified": {Disclosable: true}, "address": {Disclosable: true},
			"birthdate": {Disclosable: true}, "updated_at": {Disclosable: true},
			"nationalities": {Elements: map[int]Frame{0: {Disclosable: true}, 1: {Disclosable: true}}},
		}}
		if diff := cmp.Diff(hand, frame); diff != "" {
			t.Errorf("frame of specification.yml differs from the derived one (-spec +derived):\n%s", diff)
		}
	}
	claims := decodeJSON(t, user).(map[string]any)
	// A claim whose disclosure is published nowhere (simple_structured's sub) cannot be
	// issued again with its salt: drop it, and its digest stands as one more decoy.
	for k := range claims {
		if _, plain := payload[k]; plain {
			continue
		}
		if !slices.ContainsFunc(paths, func(p Path) bool { return p[0] == k }) {
			delete(claims, k)
		}
	}
	if want, ok := s.read(t, ex, "decoy_digests.json"); ok {
		var list []string
		if err := json.Unmarshal(want, &list); err != nil {
			t.Fatal(err)
		}
		var found []string
		for _, l := range decoys {
			found = append(found, l...)
		}
		for _, d := range list {
			if !slices.Contains(found, d) {
				t.Errorf("decoy %s of decoy_digests.json not found", d)
			}
		}
	}
	for _, k := range []string{"iss", "iat", "exp", "cnf", "vct"} {
		if v, ok := payload[k]; ok {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	o := IssueOptions{Kind: Generic, Type: genericTyp}
	if len(issued) > 0 {
		if typ, _ := peekIssuedTyp(t, issued); typ == TypVC {
			o = IssueOptions{}
		}
	}
	var mismatch []string
	o.hooks = &issueHooks{
		salt: func(p Path) string { return saltAt[p.String()] },
		decoy: func(p Path) string {
			list := decoys[p.String()]
			d := list[0]
			decoys[p.String()] = list[1:]
			return d
		},
		encode: func(salt string, name *string, value any) string {
			d, ok := bySalt[salt]
			if !ok {
				mismatch = append(mismatch, "no disclosure with salt "+salt)
				return ""
			}
			vd, _ := decodeDisclosure(d.encoded, DefaultMaxDepth)
			if (name == nil) != vd.element || name != nil && *name != vd.name || diffJSON(t, value, vd.value) != "" {
				mismatch = append(mismatch, "disclosure with salt "+salt+" differs: "+diffJSON(t, value, vd.value))
			}
			return d.encoded
		},
	}
	out, err := Issue(s.issuer, claims, frame, o)
	if err != nil {
		t.Errorf("issue: %v", err)
		return
	}
	if len(mismatch) > 0 {
		t.Errorf("issue: %v", mismatch)
		return
	}
	if s.checkPayload(t, out, payloadFile) {
		tok, _ := split(out, defaultLimits)
		got, want := slices.Sorted(slices.Values(tok.discs)), slices.Sorted(slices.Values(used))
		if !slices.Equal(got, want) {
			t.Errorf("disclosures %v, want %v", got, want)
			return
		}
		c.reissued++
	}
}

// referenced returns the disclosures whose digest the payload or another of them holds.
func referenced(t *testing.T, payload map[string]any, enc []string) []string {
	t.Helper()
	text := string(mustJSON(t, payload))
	var out []string
	for changed := true; changed; {
		changed = false
		for _, e := range enc {
			if slices.Contains(out, e) {
				continue
			}
			if strings.Contains(text, hashAlgs[0].sum([]byte(e))) {
				raw, _ := b64.DecodeString(e)
				text += string(raw)
				out = append(out, e)
				changed = true
			}
		}
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// findDecoys collects the digests without a disclosure, by where they sit.
func findDecoys(t *testing.T, v any, byDigest map[string]int, discs []disclosure, at Path, out map[string][]string) {
	switch x := v.(type) {
	case map[string]any:
		if list, ok := x[keySD].([]any); ok {
			for _, e := range list {
				i, ok := byDigest[e.(string)]
				if !ok {
					out[at.String()] = append(out[at.String()], e.(string))
					continue
				}
				d, _ := decodeDisclosure(discs[i].encoded, DefaultMaxDepth)
				findDecoys(t, d.value, byDigest, discs, appendPath(at, d.name), out)
			}
		}
		for k, e := range x {
			if k != keySD {
				findDecoys(t, e, byDigest, discs, appendPath(at, k), out)
			}
		}
	case []any:
		n := 0
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				if dig, ok := m[keyArray].(string); ok {
					i, ok := byDigest[dig]
					if !ok {
						t.Fatalf("array decoy at %s: the issuer places those at random", at)
					}
					d, _ := decodeDisclosure(discs[i].encoded, DefaultMaxDepth)
					findDecoys(t, d.value, byDigest, discs, appendPath(at, n), out)
					n++
					continue
				}
			}
			findDecoys(t, e, byDigest, discs, appendPath(at, n), out)
			n++
		}
	}
}

// pathOf reverses Path.String for paths of member names without "/" or "~" and
// indices.
func pathOf(s string) Path {
	if s == "" {
		return nil
	}
	var p Path
	for _, c := range strings.Split(strings.TrimPrefix(s, "/"), "/") {
		p = append(p, c)
	}
	return p
}

func withDecoys(f Frame, at Path, n int) Frame {
	if len(at) == 0 {
		f.Decoys = n
		return f
	}
	name := at[0].(string)
	m := map[string]Frame{}
	for k, v := range f.Members {
		m[k] = v
	}
	m[name] = withDecoys(m[name], at[1:], n)
	f.Members = m
	return f
}

func peekIssuedTyp(t *testing.T, issued []byte) (string, error) {
	tok, err := split(issued, defaultLimits)
	if err != nil {
		return "", err
	}
	return peekTyp(string(tok.jws))
}

// represent makes the example's presentation again from the issuance and the holder's
// choice: the same disclosures in the same order, hence the same sd_hash.
func (s *vectorSuite) represent(t *testing.T, ex string, issued []byte, issuedRes *Verified, kbIAT time.Time, c *vectorCounts) {
	t.Helper()
	presFile := "sd_jwt_presentation.txt"
	if strings.HasPrefix(ex, "json_") {
		presFile = "sd_jwt_presentation.json"
	}
	want, ok := s.read(t, ex, presFile)
	if !ok {
		t.Fatalf("no presentation")
	}
	wantTok, err := split(want, defaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	o := PresentOptions{}
	if wantTok.kb != nil {
		o = PresentOptions{Holder: s.holder, Nonce: vectorNonce, Audience: s.audience, IssuedAt: kbIAT}
	}
	out, err := Present(issued, s.holderPaths[ex], o)
	if err != nil {
		t.Errorf("Present: %v", err)
		return
	}
	tok, err := split(out, defaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tok.discs, wantTok.discs) {
		t.Errorf("presented disclosures %v, vector %v", tok.discs, wantTok.discs)
		return
	}
	if tok.ser != wantTok.ser {
		t.Errorf("serialization %v, vector %v", tok.ser, wantTok.ser)
	}
	v := s.verifier(t, kbIAT.Add(time.Second), wantTok.kb == nil)
	if _, err := v.VerifyPresentation(context.Background(), out, Expect{Nonce: vectorNonce, Audience: s.audience}); err != nil {
		t.Errorf("our presentation: %v", err)
		return
	}
	if wantTok.kb != nil {
		got, want := kbPayload(t, string(tok.kb)).(map[string]any), kbPayload(t, string(wantTok.kb)).(map[string]any)
		if got["sd_hash"] != want["sd_hash"] {
			t.Errorf("sd_hash %v, vector %v", got["sd_hash"], want["sd_hash"])
			return
		}
	}
	c.represented++
}
