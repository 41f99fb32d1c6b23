package main

import "testing"

// TestRoundTripSelectiveDisclosureDI issues an ecdsa-sd-2023 and a bbs-2023 base proof,
// checks that the base credential is refused to a verifier, derives a presentation
// disclosing only the age claim, and verifies it.
func TestRoundTripSelectiveDisclosureDI(t *testing.T) {
	dir := t.TempDir()
	holder := newIdentity(t, dir, "holder", "p256")
	write(t, dir, "cred.json", credential(holder.did))
	for _, tt := range []struct {
		suite, keyType string
	}{
		{"ecdsa-sd-2023", "p256"},
		{"bbs-2023", "bls12381g2"},
	} {
		t.Run(tt.suite, func(t *testing.T) {
			iss := newIdentity(t, dir, "issuer-"+tt.suite, tt.keyType)
			token := ok(t, dir, "", "issue", "--key", iss.file, "--kid", iss.kid, "--format", "di", "--cryptosuite", tt.suite,
				"--mandatory", "/credentialSubject/id", "cred.json")
			cred := write(t, dir, tt.suite+".cred", token)
			fails(t, dir, "", "ErrBaseProofPresented", "verify", "--trust-issuer", iss.did, cred)
			bind := []string{"--challenge", "challenge-" + tt.suite, "--domain", "verifier.example"}
			fails(t, dir, "", "ErrBaseProofPresented", append(append([]string{"present", "--key", holder.file, "--kid", holder.kid}, bind...), cred)...)
			args := append(append([]string{"present", "--key", holder.file, "--kid", holder.kid}, bind...), "--disclose", "/credentialSubject/ageOver18", cred)
			vp := write(t, dir, tt.suite+".vp", ok(t, dir, "", args...))
			res := decode[verified](t, ok(t, dir, "", append(append([]string{"verify", "--presentation", "--trust-issuer", iss.did, "--json"}, bind...), vp)...))
			if !res.Verified || len(res.Credentials) != 1 || res.Holder != holder.did {
				t.Fatalf("verify presentation: %+v", res)
			}
			subject, _ := res.Credentials[0].Claims["credentialSubject"].(map[string]any)
			if subject["ageOver18"] != true || subject["name"] != nil {
				t.Errorf("the verifier learned %v", subject)
			}
		})
	}
}
