package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/credence-dev/credence/vc"
)

// Values the credentials hold that no output may show: a verifier never learns them
// from a selective disclosure, and the demo never prints claim values but the age answer.
var secrets = []string{"2001-04-12", "1 Main Street", "Springfield", "Alice Example"}

func TestRunText(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	text := out.String()
	for _, want := range []string{"issuer", "holder", "verifier", "did:web:127.0.0.1", "did:key:z", "did:jwk:", "assertionMethod",
		"SD-JWT VC", "ecdsa-sd-2023", "bbs-2023", "bbs-2023 unlinkable", "vc+jwt", "DCQL", "PEX", "auto-approved", "learned", "hidden",
		"age_equal_or_over.18 = true", "credentialSubject.ageOver18 = true", "ErrRevoked", "Every step gave the expected result"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("output shows the claim value %q", s)
		}
	}
}

func TestRunJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, s := range secrets {
		if strings.Contains(out.String(), s) {
			t.Errorf("--json shows the claim value %q", s)
		}
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || len(rep.Parties) != 3 || len(rep.Problems) != 0 {
		t.Fatalf("report: ok %v, %d parties, problems %v", rep.OK, len(rep.Parties), rep.Problems)
	}
	if rep.ElapsedMS >= 5000 {
		t.Errorf("the flow took %d ms; it must stay under 5 s", rep.ElapsedMS)
	}
	var names []string
	for _, f := range rep.Formats {
		names = append(names, f.Format)
		if len(f.Requests) != 2 || f.Requests[0].Language != "DCQL" || f.Requests[1].Language != "PEX" {
			t.Fatalf("%s: requests %+v", f.Format, f.Requests)
		}
		for _, r := range f.Requests {
			if !r.Accepted || r.Over18 == nil || !*r.Over18 || r.Consent == "" {
				t.Errorf("%s %s: %+v", f.Format, r.Language, r)
			}
			var learnedBirth, learnedAge bool
			for _, l := range r.Learned {
				if strings.Contains(strings.ToLower(l.Claim), "birth") {
					learnedBirth = true
				}
				if l.Claim == "age_equal_or_over.18" || l.Claim == "credentialSubject.ageOver18" {
					learnedAge = l.Value != nil && *l.Value
				}
			}
			if !learnedAge {
				t.Errorf("%s %s: the age answer is not among what the verifier learned: %+v", f.Format, r.Language, r.Learned)
			}
			if f.Format == "vc+jwt" {
				// The comparison: no selective disclosure, so the birth date goes too.
				if !learnedBirth || len(r.Hidden) != 0 {
					t.Errorf("vc+jwt %s: learned %+v, hidden %v", r.Language, r.Learned, r.Hidden)
				}
				continue
			}
			if learnedBirth || len(r.Learned) != 1 {
				t.Errorf("%s %s: the verifier learned %+v", f.Format, r.Language, r.Learned)
			}
			if !slices.ContainsFunc(r.Hidden, func(h string) bool { return strings.Contains(strings.ToLower(h), "birth") }) {
				t.Errorf("%s %s: the birth date is not listed as hidden: %v", f.Format, r.Language, r.Hidden)
			}
			if len(r.Linkable) == 0 {
				t.Errorf("%s %s: no correlation notes", f.Format, r.Language)
			}
		}
	}
	for _, want := range []string{"SD-JWT VC", "ecdsa-sd-2023", "bbs-2023", "bbs-2023 unlinkable", "vc+jwt"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s in %v", want, names)
		}
	}
	for _, f := range rep.Formats {
		link := strings.Join(f.Requests[0].Linkable, "; ")
		switch f.Format {
		case "bbs-2023":
			// What could still correlate: the credential id and the status entry.
			if !strings.Contains(link, "credential id") || !strings.Contains(link, "status entry") {
				t.Errorf("bbs-2023 correlation notes: %s", link)
			}
			if f.ProofsIdentical == nil || *f.ProofsIdentical {
				t.Errorf("bbs-2023: two derivations gave the same proof")
			}
		case "bbs-2023 unlinkable":
			if strings.Contains(link, "id (") || strings.Contains(link, "holder") || strings.Contains(link, "status entry") || f.Issued.ValidUntil == "" {
				t.Errorf("bbs-2023 unlinkable: %s, valid until %q", link, f.Issued.ValidUntil)
			}
		case "ecdsa-sd-2023":
			if f.ProofsIdentical == nil || !*f.ProofsIdentical {
				t.Errorf("ecdsa-sd-2023: two derivations did not give the same proof")
			}
		}
	}
	if len(rep.Revocation) != len(rep.Formats) {
		t.Fatalf("%d revocation checks for %d formats", len(rep.Revocation), len(rep.Formats))
	}
	for _, o := range rep.Revocation {
		if o.Format == "bbs-2023 unlinkable" {
			// Nothing to revoke: it stays valid until the end of its day.
			if !o.Accepted || !o.OK {
				t.Errorf("unlinkable credential after revocation: %+v", o)
			}
			continue
		}
		if o.Accepted || o.Sentinel != "ErrRevoked" || !o.OK {
			t.Errorf("after revocation: %+v", o)
		}
	}
	wantGuards := map[string]bool{"ErrReplay": false, "ErrBaseProofPresented": false, "ErrAudienceMismatch": false}
	for _, o := range rep.Guards {
		if !o.OK || o.Accepted != (o.Want == "accepted") {
			t.Errorf("guard: %+v", o)
		}
		if o.Sentinel != "" {
			wantGuards[o.Sentinel] = true
		}
	}
	for s, seen := range wantGuards {
		if !seen {
			t.Errorf("no guard refused with %s", s)
		}
	}
}

func TestRunBadArgs(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--nope"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run([]string{"extra"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run([]string{"--help"}, &out, &errOut); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
}

// The checks that decide the exit code flag what they must.
func TestExpectations(t *testing.T) {
	yes, no := true, false
	sd := formats()[0]
	for _, tc := range []struct {
		name string
		f    format
		r    request
		bad  bool
	}{
		{"age only", sd, request{Accepted: true, Over18: &yes, Learned: []learned{{Claim: "age_equal_or_over.18", Value: &yes}}}, false},
		{"refused", sd, request{Error: "no"}, true},
		{"under 18", sd, request{Accepted: true, Over18: &no, Learned: []learned{{Claim: "age_equal_or_over.18", Value: &no}}}, true},
		{"birth date learned", sd, request{Accepted: true, Over18: &yes, Learned: []learned{{Claim: "age_equal_or_over.18", Value: &yes}, {Claim: "birthdate"}}}, true},
	} {
		if got := expectDisclosure(tc.f, tc.r) != ""; got != tc.bad {
			t.Errorf("%s: flagged %v, want %v", tc.name, got, tc.bad)
		}
	}
	if o := expectRefused("x", "step", "ErrRevoked", nil); o.OK {
		t.Errorf("an accepted revoked credential passed: %+v", o)
	}
	if o := expectRefused("x", "step", "ErrRevoked", fmt.Errorf("wrapped: %w", vc.ErrRevoked)); !o.OK || o.Sentinel != "ErrRevoked" {
		t.Errorf("ErrRevoked not recognised: %+v", o)
	}
	if o := expectRefused("x", "step", "ErrRevoked", vc.ErrExpired); o.OK {
		t.Errorf("another refusal passed for ErrRevoked: %+v", o)
	}
}
