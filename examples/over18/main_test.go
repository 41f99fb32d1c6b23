package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunText(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"issuer", "holder", "verifier", "did:key:z6Mk", "did:jwk:", "assertionMethod", "over 18:", "refused", "Every step gave the expected result."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"--json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK || len(rep.Parties) != 3 || len(rep.Checks) != 5 {
		t.Fatalf("report: %+v", rep)
	}
	if c := rep.Checks[0]; !c.Accepted || c.Over18 == nil || !*c.Over18 {
		t.Fatalf("first check: %+v", c)
	}
	if rep.Checks[1].Accepted || rep.Checks[2].Accepted {
		t.Fatalf("replay or foreign audience accepted: %+v", rep.Checks)
	}
	if rep.Checks[3].Accepted || !strings.Contains(rep.Checks[3].Error, "revoked") {
		t.Fatalf("revoked credential: %+v", rep.Checks[3])
	}
	sd := rep.Checks[4]
	if !sd.Accepted || sd.Over18 == nil || !*sd.Over18 {
		t.Fatalf("SD-JWT check: %+v", sd)
	}
	for _, l := range sd.Learned {
		for _, h := range []string{"birthdate", "given_name", "family_name", "address"} {
			if l == h {
				t.Fatalf("the SD-JWT verifier learned %s", h)
			}
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
