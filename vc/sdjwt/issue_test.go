package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/keys"
)

func vcClaims() map[string]any {
	return map[string]any{
		"vct": "https://credentials.example/identity", "iss": "https://issuer.example",
		"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1963-08-12",
		"address":       map[string]any{"street_address": "Heidestraße 17", "locality": "Köln", "country": "DE"},
		"nationalities": []any{"DE", "FR", "UK"},
		"status":        map[string]any{"status_list": map[string]any{"idx": 7, "uri": "https://issuer.example/status/1"}},
	}
}

func TestIssueErrors(t *testing.T) {
	f := newForge(t)
	ok := Frame{Members: map[string]Frame{"given_name": {Disclosable: true}}}
	for _, tc := range []struct {
		name   string
		signer keys.Signer
		claims func(map[string]any)
		frame  Frame
		o      IssueOptions
		want   error
	}{
		{name: "well-formed", frame: ok},
		{name: "nil signer", signer: nil, frame: ok, want: ErrInvalidKey},
		{name: "frame names an absent claim", frame: Frame{Members: map[string]Frame{"nickname": {Disclosable: true}}}, want: ErrInvalidOptions},
		{name: "element beyond the array", frame: Frame{Members: map[string]Frame{"nationalities": {Elements: map[int]Frame{3: {Disclosable: true}}}}}, want: ErrInvalidOptions},
		{name: "object frame on an array", frame: Frame{Members: map[string]Frame{"nationalities": {Members: map[string]Frame{"x": {Disclosable: true}}}}}, want: ErrInvalidOptions},
		{name: "array frame on an object", frame: Frame{Members: map[string]Frame{"address": {Items: &Frame{Disclosable: true}}}}, want: ErrInvalidOptions},
		{name: "frame below a scalar", frame: Frame{Members: map[string]Frame{"given_name": {Members: map[string]Frame{"x": {}}}}}, want: ErrInvalidOptions},
		{name: "decoys on a scalar", frame: Frame{Members: map[string]Frame{"given_name": {Decoys: 1}}}, want: ErrInvalidOptions},
		{name: "negative decoys", frame: Frame{Decoys: -1}, want: ErrInvalidOptions},
		{name: "payload disclosable", frame: Frame{Disclosable: true}, want: ErrInvalidOptions},
		{name: "reserved _sd in claims", claims: func(c map[string]any) { c["address"].(map[string]any)["_sd"] = []any{} }, want: ErrMalformed},
		{name: "reserved ... in claims", claims: func(c map[string]any) { c["x"] = []any{map[string]any{"...": "d"}} }, want: ErrMalformed},
		{name: "reserved _sd_alg in claims", claims: func(c map[string]any) { c["_sd_alg"] = SHA256 }, want: ErrMalformed},
		{name: "claims that do not encode", claims: func(c map[string]any) { c["f"] = func() {} }, want: ErrMalformed},
		{name: "VC without vct", claims: func(c map[string]any) { delete(c, "vct") }, want: ErrInvalidType},
		{name: "VC vct a number", claims: func(c map[string]any) { c["vct"] = 1 }, want: ErrMalformed},
		{name: "VC vct disclosable", frame: Frame{Members: map[string]Frame{"vct": {Disclosable: true}}}, want: ErrReservedClaimDisclosed},
		{name: "VC iss disclosable", frame: Frame{Members: map[string]Frame{"iss": {Disclosable: true}}}, want: ErrReservedClaimDisclosed},
		{name: "VC status member disclosable", frame: Frame{Members: map[string]Frame{"status": {Members: map[string]Frame{"status_list": {Disclosable: true}}}}}, want: ErrReservedClaimDisclosed},
		{name: "VC cnf disclosable", o: IssueOptions{HolderKeyID: "k"}, claims: func(c map[string]any) { c["cnf"] = map[string]any{"kid": "k"} }, want: ErrInvalidOptions},
		{name: "VC cnf from claims disclosable", claims: func(c map[string]any) { c["cnf"] = map[string]any{"kid": "k"} }, frame: Frame{Members: map[string]Frame{"cnf": {Members: map[string]Frame{"kid": {Disclosable: true}}}}}, want: ErrReservedClaimDisclosed},
		{name: "VC decoys inside status", frame: Frame{Members: map[string]Frame{"status": {Decoys: 2}}}, want: ErrReservedClaimDisclosed},
		{name: "VCDM without @context", o: IssueOptions{Kind: VCDMCredential}, want: ErrInvalidType},
		{name: "Generic without typ", o: IssueOptions{Kind: Generic}, want: ErrInvalidOptions},
		{name: "Generic with a reserved typ", o: IssueOptions{Kind: Generic, Type: "kb+jwt"}, want: ErrInvalidOptions},
		{name: "Type on a VC", o: IssueOptions{Type: "x+sd-jwt"}, want: ErrInvalidOptions},
		{name: "LegacyVCType on Generic", o: IssueOptions{Kind: Generic, Type: "x+sd-jwt", LegacyVCType: true}, want: ErrInvalidOptions},
		{name: "unknown kind", o: IssueOptions{Kind: 9}, want: ErrInvalidOptions},
		{name: "md5", o: IssueOptions{HashAlgorithm: "md5"}, want: ErrUnsupportedHashAlgorithm},
		{name: "iat twice", o: IssueOptions{IssuedAt: forgeNow}, claims: func(c map[string]any) { c["iat"] = 1 }, want: ErrInvalidOptions},
		{name: "iat before 1970", o: IssueOptions{IssuedAt: time.Unix(-5, 0)}, want: ErrInvalidOptions},
		{name: "Holder and HolderKeyID", o: IssueOptions{Holder: f.holder.Public(), HolderKeyID: "k"}, want: ErrInvalidOptions},
		{name: "Holder not a key", o: IssueOptions{Holder: "nope"}, want: ErrUnsupportedKeyType},
		{name: "cosigners in compact form", o: IssueOptions{Cosigners: []Cosigner{{Signer: f.other}}}, want: ErrInvalidOptions},
		{name: "nil cosigner", o: IssueOptions{Serialization: GeneralJSON, Cosigners: []Cosigner{{}}}, want: ErrInvalidKey},
		{name: "unknown serialization", o: IssueOptions{Serialization: 7}, want: ErrInvalidOptions},
		{name: "1001 disclosures", claims: func(c map[string]any) {
			list := make([]any, 1001)
			for i := range list {
				list[i] = i
			}
			c["many"] = list
		}, frame: Frame{Members: map[string]Frame{"many": {Items: &Frame{Disclosable: true}}}}, want: ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims := vcClaims()
			if tc.claims != nil {
				tc.claims(claims)
			}
			s := f.issuer
			if tc.name == "nil signer" {
				s = tc.signer
			}
			before := fmt.Sprint(claims)
			out, err := Issue(s, claims, tc.frame, tc.o)
			checkErr(t, err, tc.want)
			if err != nil && out != nil {
				t.Error("output with an error")
			}
			if tc.name != "claims that do not encode" && fmt.Sprint(claims) != before {
				t.Error("Issue changed the caller's claims")
			}
		})
	}
}

// TestIssueRoundTrip issues each kind in each serialization and hash, and checks
// what the verifier and the holder see.
func TestIssueRoundTrip(t *testing.T) {
	f := newForge(t)
	frame, err := PathFrame(Path{"given_name"}, Path{"family_name"}, Path{"birthdate"}, Path{"address"},
		Path{"address", "street_address"}, Path{"address", "locality"}, Path{"nationalities", nil})
	if err != nil {
		t.Fatal(err)
	}
	frame.Decoys = 3
	nat := frame.Members["nationalities"]
	nat.Decoys = 2
	frame.Members["nationalities"] = nat
	addr := frame.Members["address"]
	addr.Decoys = 1
	frame.Members["address"] = addr
	v := f.verifier(VerifierOptions{Types: []string{"example+sd-jwt"}, HashAlgorithms: []string{SHA256, SHA384, SHA512}, AllowLegacyVCType: true})
	for _, kind := range []Kind{VC, VCDMCredential, VCDMPresentation, Generic} {
		for _, ser := range []Serialization{Compact, FlattenedJSON, GeneralJSON} {
			for _, h := range []string{SHA256, SHA384, SHA512} {
				for _, legacy := range []bool{false, true} {
					if legacy && kind != VC {
						continue
					}
					t.Run(fmt.Sprintf("%v/%v/%s/legacy=%v", kind, ser, h, legacy), func(t *testing.T) {
						claims := vcClaims()
						o := IssueOptions{Kind: kind, HashAlgorithm: h, Serialization: ser, Holder: f.holder.Public(),
							IssuedAt: f.now.Add(-time.Hour), Expiry: f.now.Add(time.Hour), NotBefore: f.now.Add(-time.Minute), KeyID: "k1", LegacyVCType: legacy}
						switch kind {
						case VCDMCredential, VCDMPresentation:
							claims["@context"] = []any{"https://www.w3.org/ns/credentials/v2"}
							delete(claims, "vct")
							claims["issuer"] = "https://issuer.example"
							if kind == VCDMPresentation {
								delete(claims, "issuer")
								claims["holder"] = map[string]any{"id": "https://issuer.example"}
							}
						case Generic:
							o.Type = "example+sd-jwt"
						}
						if ser == GeneralJSON {
							o.Cosigners = []Cosigner{{Signer: f.issuer, KeyID: "k2"}}
						}
						issued, err := Issue(f.issuer, claims, frame, o)
						if err != nil {
							t.Fatal(err)
						}
						checkDigests(t, issued, 3, 1, 2)
						res, err := v.VerifyIssued(context.Background(), issued)
						if err != nil {
							t.Fatal(err)
						}
						want := normalJSON(t, claims).(map[string]any)
						want["iat"] = json.Number(fmt.Sprint(f.now.Add(-time.Hour).Unix()))
						want["exp"] = json.Number(fmt.Sprint(f.now.Add(time.Hour).Unix()))
						want["nbf"] = json.Number(fmt.Sprint(f.now.Add(-time.Minute).Unix()))
						got := res.Claims()
						delete(got, "cnf")
						if diff := cmp.Diff(want, got); diff != "" {
							t.Fatalf("claims (-want +got):\n%s", diff)
						}
						if res.Kind() != kind || res.Serialization() != ser || res.HashAlgorithm() != h || res.Issuer() != "https://issuer.example" {
							t.Errorf("kind %v ser %v hash %s issuer %q", res.Kind(), res.Serialization(), res.HashAlgorithm(), res.Issuer())
						}
						if res.Header().Kid != "k1" || !res.IssuedAt().Equal(f.now.Add(-time.Hour)) || !res.Expiry().Equal(f.now.Add(time.Hour)) || !res.NotBefore().Equal(f.now.Add(-time.Minute)) {
							t.Errorf("header %+v, times %v %v %v", res.Header(), res.IssuedAt(), res.NotBefore(), res.Expiry())
						}
						if cnf, ok := res.Confirmation(); !ok || !keys.Equal(cnf.Key, f.holder.Public()) || !strings.Contains(string(cnf.Raw), `"jwk"`) {
							t.Errorf("cnf %+v", cnf)
						}
						if kind == VC && (res.VCT() != "https://credentials.example/identity" || !strings.Contains(string(res.Status()), `"idx":7`)) {
							t.Errorf("vct %q, status %s", res.VCT(), res.Status())
						}
						if _, ok := res.KeyBinding(); ok {
							t.Error("key binding on an SD-JWT as issued")
						}
						if len(res.Disclosed()) != 9 {
							t.Errorf("disclosed %v", res.Disclosed())
						}
						// The holder discloses the locality and one nationality, nothing else.
						pres, err := Present(issued, []Path{{"address", "locality"}, {"nationalities", 2}}, PresentOptions{Holder: f.holder, Nonce: forgeExpect.Nonce, Audience: forgeExpect.Audience, IssuedAt: f.now})
						if err != nil {
							t.Fatal(err)
						}
						pr, err := v.VerifyPresentation(context.Background(), pres, forgeExpect)
						if err != nil {
							t.Fatal(err)
						}
						seen := pr.Claims()
						if _, ok := seen["given_name"]; ok {
							t.Error("given_name disclosed")
						}
						if diff := cmp.Diff(map[string]any{"locality": "Köln", "country": "DE"}, seen["address"]); diff != "" {
							t.Errorf("address (-want +got):\n%s", diff)
						}
						if diff := cmp.Diff([]any{"UK"}, seen["nationalities"]); diff != "" {
							t.Errorf("nationalities (-want +got):\n%s", diff)
						}
						kb, ok := pr.KeyBinding()
						if !ok || kb.Nonce != forgeExpect.Nonce || !keys.Equal(kb.Key, f.holder.Public()) {
							t.Errorf("key binding %+v", kb)
						}
						got2 := pr.Disclosed()
						want2 := []Path{{"address"}, {"address", "locality"}, {"nationalities", 0}}
						if diff := cmp.Diff(want2, got2); diff != "" {
							t.Errorf("disclosed (-want +got):\n%s", diff)
						}
					})
				}
			}
		}
	}
}

// checkDigests counts the digests of the Issuer-signed payload: top-level _sd holds 3
// disclosures plus top decoys, address 2 plus addrDecoys, nationalities 3 plus its.
func checkDigests(t *testing.T, issued []byte, top, addrDecoys, natDecoys int) {
	t.Helper()
	tok, err := split(issued, defaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	_, p, _ := strings.Cut(string(tok.jws), ".")
	p, _, _ = strings.Cut(p, ".")
	raw, err := b64.DecodeString(p)
	if err != nil {
		t.Fatal(err)
	}
	payload := decodeJSON(t, raw).(map[string]any)
	sd := payload["_sd"].([]any)
	if len(sd) != 4+top { // given_name, family_name, birthdate, address
		t.Errorf("%d top-level digests, want %d", len(sd), 4+top)
	}
	if !slices.IsSortedFunc(sd, func(a, b any) int { return strings.Compare(a.(string), b.(string)) }) {
		t.Error("_sd not sorted")
	}
	if n := len(payload["nationalities"].([]any)); n != 3+natDecoys {
		t.Errorf("%d nationality elements, want %d", n, 3+natDecoys)
	}
	if _, plain := payload["address"]; plain {
		t.Error("address in plain text")
	}
	for _, d := range tok.discs {
		dc, err := decodeDisclosure(d, DefaultMaxDepth)
		if err != nil {
			t.Fatal(err)
		}
		salt, err := b64.DecodeString(dc.salt)
		if err != nil || len(salt) != saltBytes {
			t.Errorf("salt %q is not 128 random bits in base64url", dc.salt)
		}
		if dc.name == "address" {
			if n := len(dc.value.(map[string]any)["_sd"].([]any)); n != 2+addrDecoys {
				t.Errorf("%d address digests, want %d", n, 2+addrDecoys)
			}
		}
	}
}

func TestSaltsUnique(t *testing.T) {
	f := newForge(t)
	frame, _ := PathFrame(Path{"given_name"}, Path{"family_name"}, Path{"nationalities", nil})
	seen := map[string]bool{}
	for range 20 {
		issued, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := split(issued, defaultLimits)
		for _, d := range tok.discs {
			dc, _ := decodeDisclosure(d, DefaultMaxDepth)
			if seen[dc.salt] {
				t.Fatalf("salt %q repeated", dc.salt)
			}
			seen[dc.salt] = true
		}
	}
}

func TestPresentErrors(t *testing.T) {
	f := newForge(t)
	frame, _ := PathFrame(Path{"given_name"}, Path{"address"}, Path{"address", "locality"})
	issued, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{Holder: f.holder.Public()})
	if err != nil {
		t.Fatal(err)
	}
	noCnf, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kidCnf, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{HolderKeyID: "did:example:holder#1"})
	if err != nil {
		t.Fatal(err)
	}
	kb := PresentOptions{Holder: f.holder, Nonce: "n", Audience: "a"}
	pres, err := Present(issued, nil, kb)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		issued []byte
		paths  []Path
		o      PresentOptions
		want   error
	}{
		{name: "nothing disclosed", issued: issued, o: kb},
		{name: "without key binding", issued: issued, paths: []Path{{"given_name"}}},
		{name: "plain claim chosen", issued: issued, paths: []Path{{"vct"}}, o: kb},
		{name: "cnf by kid", issued: kidCnf, o: kb},
		{name: "absent claim", issued: issued, paths: []Path{{"nickname"}}, o: kb, want: ErrNoMatch},
		{name: "index on an object", issued: issued, paths: []Path{{"address", 0}}, o: kb, want: ErrNoMatch},
		{name: "index beyond the array", issued: issued, paths: []Path{{"nationalities", 9}}, o: kb, want: ErrNoMatch},
		{name: "bad path component", issued: issued, paths: []Path{{"address", 1.5}}, o: kb, want: ErrInvalidOptions},
		{name: "empty path", issued: issued, paths: []Path{{}}, o: kb, want: ErrInvalidOptions},
		{name: "holder key not cnf", issued: issued, o: PresentOptions{Holder: f.other, Nonce: "n", Audience: "a"}, want: ErrHolderBinding},
		{name: "no cnf", issued: noCnf, o: kb, want: ErrHolderBinding},
		{name: "no nonce", issued: issued, o: PresentOptions{Holder: f.holder, Audience: "a"}, want: ErrInvalidOptions},
		{name: "nonce without a holder key", issued: issued, o: PresentOptions{Nonce: "n"}, want: ErrInvalidOptions},
		{name: "already a presentation", issued: pres, o: kb, want: ErrInvalidType},
		{name: "not an SD-JWT", issued: []byte("not a token"), o: kb, want: ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Present(tc.issued, tc.paths, tc.o)
			checkErr(t, err, tc.want)
			if err != nil && out != nil {
				t.Error("output with an error")
			}
		})
	}
}

// TestPresentSelection checks what each choice discloses: the parents on the way and
// everything inside.
func TestPresentSelection(t *testing.T) {
	f := newForge(t)
	claims := vcClaims()
	claims["degrees"] = []any{map[string]any{"type": "BSc", "year": 2001}, map[string]any{"type": "MSc", "year": 2003}}
	frame, _ := PathFrame(Path{"address"}, Path{"address", "street_address"}, Path{"address", "locality"},
		Path{"nationalities", nil}, Path{"degrees", nil}, Path{"degrees", nil, "year"})
	issued, err := Issue(f.issuer, claims, frame, IssueOptions{Holder: f.holder.Public()})
	if err != nil {
		t.Fatal(err)
	}
	v := f.verifier(VerifierOptions{AllowMissingKeyBinding: true})
	for _, tc := range []struct {
		name  string
		paths []Path
		want  map[string]any // the claims besides vct, iss, status and cnf
	}{
		{"nothing", nil, map[string]any{"nationalities": []any{}, "degrees": []any{}}},
		{"a nested claim brings its parent", []Path{{"address", "locality"}},
			map[string]any{"address": map[string]any{"locality": "Köln", "country": "DE"}, "nationalities": []any{}, "degrees": []any{}}},
		{"a parent brings what it holds", []Path{{"address"}},
			map[string]any{"address": map[string]any{"street_address": "Heidestraße 17", "locality": "Köln", "country": "DE"}, "nationalities": []any{}, "degrees": []any{}}},
		{"array elements by index", []Path{{"nationalities", 0}, {"nationalities", 2}},
			map[string]any{"nationalities": []any{"DE", "UK"}, "degrees": []any{}}},
		{"every element", []Path{{"nationalities", nil}},
			map[string]any{"nationalities": []any{"DE", "FR", "UK"}, "degrees": []any{}}},
		{"a member of every element", []Path{{"degrees", nil, "type"}},
			map[string]any{"nationalities": []any{}, "degrees": []any{map[string]any{"type": "BSc"}, map[string]any{"type": "MSc"}}}},
		{"a disclosable member of one element", []Path{{"degrees", 1, "year"}},
			map[string]any{"nationalities": []any{}, "degrees": []any{map[string]any{"type": "MSc", "year": json.Number("2003")}}}},
		{"index as json.Number", []Path{{"nationalities", json.Number("1")}},
			map[string]any{"nationalities": []any{"FR"}, "degrees": []any{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pres, err := Present(issued, tc.paths, PresentOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.VerifyPresentation(context.Background(), pres, forgeExpect)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Claims()
			for _, k := range []string{"vct", "iss", "status", "cnf", "given_name", "family_name", "birthdate"} {
				delete(got, k)
			}
			if diff := cmp.Diff(normalJSON(t, tc.want), any(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewVerifierOptions(t *testing.T) {
	keyFunc := func(context.Context, KeyRequest) (crypto.PublicKey, error) { return nil, nil }
	for _, tc := range []struct {
		name string
		f    KeyFunc
		o    VerifierOptions
		want error
	}{
		{name: "zero options", f: keyFunc},
		{name: "no key function", want: ErrInvalidOptions},
		{name: "unknown kind", f: keyFunc, o: VerifierOptions{Kinds: []Kind{0}}, want: ErrInvalidOptions},
		{name: "Generic without Types", f: keyFunc, o: VerifierOptions{Kinds: []Kind{Generic}}, want: ErrInvalidOptions},
		{name: "Types without Generic", f: keyFunc, o: VerifierOptions{Kinds: []Kind{VC}, Types: []string{"x+sd-jwt"}}, want: ErrInvalidOptions},
		{name: "Types naming dc+sd-jwt", f: keyFunc, o: VerifierOptions{Types: []string{"dc+sd-jwt"}}, want: ErrInvalidOptions},
		{name: "Types naming kb+jwt", f: keyFunc, o: VerifierOptions{Types: []string{"kb+jwt"}}, want: ErrInvalidOptions},
		{name: "empty Type", f: keyFunc, o: VerifierOptions{Types: []string{""}}, want: ErrInvalidOptions},
		{name: "legacy without VC", f: keyFunc, o: VerifierOptions{Kinds: []Kind{VCDMCredential}, AllowLegacyVCType: true}, want: ErrInvalidOptions},
		{name: "algorithm none", f: keyFunc, o: VerifierOptions{Algorithms: []string{"none"}}, want: ErrInvalidOptions},
		{name: "algorithm HS256", f: keyFunc, o: VerifierOptions{Algorithms: []string{"HS256"}}, want: ErrInvalidOptions},
		{name: "hash md5", f: keyFunc, o: VerifierOptions{HashAlgorithms: []string{"md5"}}, want: ErrInvalidOptions},
		{name: "negative skew", f: keyFunc, o: VerifierOptions{ClockSkew: -time.Second}, want: ErrInvalidOptions},
		{name: "negative limit", f: keyFunc, o: VerifierOptions{MaxDisclosures: -1}, want: ErrInvalidOptions},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := NewVerifier(tc.f, tc.o)
			checkErr(t, err, tc.want)
			if err != nil && v != nil {
				t.Error("verifier with an error")
			}
		})
	}
}

// TestVerifierPolicy covers the per-call and per-verifier rules the attack table does
// not: lowered limits, kinds not accepted, the holder key function, the key function's
// errors, and the expected values being required.
func TestVerifierPolicy(t *testing.T) {
	f := newForge(t)
	frame, _ := PathFrame(Path{"given_name"}, Path{"family_name"}, Path{"nationalities", nil})
	issued, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{Holder: f.holder.Public()})
	if err != nil {
		t.Fatal(err)
	}
	byKid, err := Issue(f.issuer, vcClaims(), frame, IssueOptions{HolderKeyID: "did:example:holder#1"})
	if err != nil {
		t.Fatal(err)
	}
	kb := PresentOptions{Holder: f.holder, Nonce: forgeExpect.Nonce, Audience: forgeExpect.Audience, IssuedAt: f.now}
	pres, _ := Present(issued, []Path{{"given_name"}}, kb)
	presKid, _ := Present(byKid, []Path{{"given_name"}}, kb)
	holderKeys := func(_ context.Context, r KeyRequest) (crypto.PublicKey, error) {
		if !r.Holder || r.KeyID != "did:example:holder#1" || r.Issuer != "https://issuer.example" {
			return nil, fmt.Errorf("unexpected request %+v: %w", r, ErrUntrustedKeySource)
		}
		return f.holder.Public(), nil
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		present bool
		want    Expect
		o       VerifierOptions
		keyErr  bool
		err     error
	}{
		{name: "presentation", data: pres, present: true, want: forgeExpect},
		{name: "no nonce expected", data: pres, present: true, want: Expect{Audience: forgeExpect.Audience}, err: ErrInvalidOptions},
		{name: "no audience expected", data: pres, present: true, want: Expect{Nonce: forgeExpect.Nonce}, err: ErrInvalidOptions},
		{name: "cnf by kid with a holder key function", data: presKid, present: true, want: forgeExpect, o: VerifierOptions{HolderKey: holderKeys}},
		{name: "cnf by kid as issued", data: byKid},
		{name: "VC not accepted", data: issued, o: VerifierOptions{Kinds: []Kind{VCDMCredential}}, err: ErrInvalidType},
		{name: "too many disclosures for a lowered limit", data: issued, o: VerifierOptions{MaxDisclosures: 2}, err: ErrTooLarge},
		{name: "too large for a lowered limit", data: issued, o: VerifierOptions{MaxBytes: 100}, err: ErrTooLarge},
		{name: "too deep for a lowered limit", data: issued, o: VerifierOptions{MaxDepth: 2}, err: ErrTooDeep},
		{name: "ES256 only", data: issued, o: VerifierOptions{Algorithms: []string{keys.ES256}}, err: ErrAlgorithmNotAllowed},
		{name: "key function fails", data: issued, keyErr: true, err: ErrUntrustedKeySource},
		{name: "stale with a shorter age", data: pres, present: true, want: forgeExpect, o: VerifierOptions{KeyBindingMaxAge: time.Second, Clock: fixedClock(f.now.Add(2 * time.Second))}, err: ErrStale},
		{name: "future with a smaller skew", data: pres, present: true, want: forgeExpect, o: VerifierOptions{KeyBindingSkew: time.Second, Clock: fixedClock(f.now.Add(-2 * time.Second))}, err: ErrIssuedInFuture},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.o.Clock == nil {
				tc.o.Clock = fixedClock(f.now)
			}
			pub := f.issuer.Public()
			keyFunc := func(_ context.Context, r KeyRequest) (crypto.PublicKey, error) {
				if tc.keyErr {
					return nil, fmt.Errorf("no: %w", ErrUntrustedKeySource)
				}
				return pub, nil
			}
			v, err := NewVerifier(keyFunc, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			var res *Verified
			if tc.present {
				res, err = v.VerifyPresentation(context.Background(), tc.data, tc.want)
			} else {
				res, err = v.VerifyIssued(context.Background(), tc.data)
			}
			checkErr(t, err, tc.err)
			if err != nil && res != nil {
				t.Error("result with an error")
			}
			if tc.name == "cnf by kid as issued" {
				cnf, ok := res.Confirmation()
				if !ok || cnf.KeyID != "did:example:holder#1" || cnf.Key != nil {
					t.Errorf("cnf %+v", cnf)
				}
			}
		})
	}
}

func TestAge(t *testing.T) {
	birth := time.Date(2004, 2, 29, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want map[string]any
	}{
		{time.Date(2022, 2, 28, 23, 0, 0, 0, time.UTC), map[string]any{"16": true, "18": false, "21": false}},
		{time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), map[string]any{"16": true, "18": true, "21": false}},
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), map[string]any{"16": true, "18": true, "21": true}},
	} {
		got, frame, err := AgeEqualOrOver(birth, tc.at, 16, 18, 21)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("at %s (-want +got):\n%s", tc.at, diff)
		}
		if !frame.Disclosable || len(frame.Members) != 3 || !frame.Members["18"].Disclosable {
			t.Errorf("frame %+v", frame)
		}
		over, frames, err := AgeOver(birth, tc.at, 18, 21)
		if err != nil {
			t.Fatal(err)
		}
		if over["age_over_18"] != tc.want["18"] || over["age_over_21"] != tc.want["21"] || !frames["age_over_18"].Disclosable {
			t.Errorf("AgeOver %v %v", over, frames)
		}
	}
	for _, bad := range [][]int{nil, {0}, {151}, {18, 18}} {
		_, _, err := AgeEqualOrOver(birth, time.Now(), bad...)
		checkErr(t, err, ErrInvalidOptions)
	}
	_, _, err := AgeOver(birth, birth.AddDate(0, 0, -1), 18)
	checkErr(t, err, ErrInvalidOptions)

	// The over-18 answer travels alone.
	f := newForge(t)
	claims := map[string]any{"vct": "https://credentials.example/pid", "birthdate": "2004-02-29"}
	over, frames, _ := AgeOver(birth, f.now, 18, 21)
	frame := Frame{Members: frames}
	frame = frame.with(Path{"birthdate"})
	for k, v := range over {
		claims[k] = v
	}
	issued, err := Issue(f.issuer, claims, frame, IssueOptions{Holder: f.holder.Public()})
	if err != nil {
		t.Fatal(err)
	}
	pres, err := Present(issued, []Path{{"age_over_18"}}, PresentOptions{Holder: f.holder, Nonce: forgeExpect.Nonce, Audience: forgeExpect.Audience, IssuedAt: f.now})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.verifier(VerifierOptions{}).VerifyPresentation(context.Background(), pres, forgeExpect)
	if err != nil {
		t.Fatal(err)
	}
	got := res.Claims()
	if got["age_over_18"] != true || got["birthdate"] != nil || got["age_over_21"] != nil {
		t.Errorf("claims %v", got)
	}
}

func TestFrameWith(t *testing.T) {
	base := Frame{Members: map[string]Frame{"a": {Disclosable: true}}}
	f, err := base.With(Path{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(base.Members["a"].Members) != 0 {
		t.Error("With changed the frame it was called on")
	}
	if !f.Members["a"].Disclosable || !f.Members["a"].Members["b"].Disclosable {
		t.Errorf("frame %+v", f)
	}
	if _, err := base.With(Path{true}); err == nil {
		t.Error("accepted a bool path component")
	}
	p, _ := PathFrame(Path{"x", nil, 2, "y"})
	if !p.Members["x"].Items.Elements[2].Members["y"].Disclosable {
		t.Errorf("frame %+v", p)
	}
	if got := (Path{"a/b", "c~d", 3, nil}).String(); got != "/a~1b/c~0d/3/*" {
		t.Errorf("String %q", got)
	}
}

// TestKeyRequest checks what the KeyFunc is told: issuer, kid, x5c (only when allowed),
// kind and alg.
func TestKeyRequest(t *testing.T) {
	f := newForge(t)
	hdr := `{"alg":"EdDSA","typ":"dc+sd-jwt","kid":"https://issuer.example#k1","x5c":["MIIBAA=="]}`
	signing := raw64(hdr) + "." + raw64(`{"vct":"https://credentials.example/id","iss":"https://issuer.example"}`)
	sig, err := keys.Sign(f.issuer, []byte(signing))
	if err != nil {
		t.Fatal(err)
	}
	tok := []byte(signing + "." + b64.EncodeToString(sig) + "~")
	var got KeyRequest
	pub := f.issuer.Public()
	keyFunc := func(_ context.Context, r KeyRequest) (crypto.PublicKey, error) { got = r; return pub, nil }
	v, err := NewVerifier(keyFunc, VerifierOptions{Clock: fixedClock(f.now)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.VerifyIssued(context.Background(), tok)
	checkErr(t, err, ErrUntrustedKeySource)
	v, err = NewVerifier(keyFunc, VerifierOptions{Clock: fixedClock(f.now), AllowX5C: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyIssued(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	want := KeyRequest{Issuer: "https://issuer.example", KeyID: "https://issuer.example#k1", X5C: []string{"MIIBAA=="}, Kind: VC, Algorithm: keys.EdDSA,
		Types: []string{"https://credentials.example/id"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KeyRequest (-want +got):\n%s", diff)
	}
}
