package sdjwt_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// TestInterop cross-checks the engine with the OpenWallet Foundation SD-JWT libraries
// through interop/sdjwt/sdjwt.mjs: our presentation verifies there, and theirs here.
// It runs only with CREDENCE_INTEROP=1 and after npm ci in interop/sdjwt.
func TestInterop(t *testing.T) {
	if os.Getenv("CREDENCE_INTEROP") != "1" {
		t.Skip("set CREDENCE_INTEROP=1 to run the interoperability checks")
	}
	dir := filepath.Join("..", "..", "interop", "sdjwt")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal("CREDENCE_INTEROP=1 but interop/sdjwt/node_modules is missing: run npm ci there")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("CREDENCE_INTEROP=1 but no node: %v", err)
	}
	issuer, err := keys.Generate(keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := keys.Generate(keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1735689600, 0)
	const nonce, aud = "n-0S6_WzA2Mj", "https://verifier.example"
	jwk := func(v []byte, err error) json.RawMessage {
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	run := func(t *testing.T, req map[string]any) map[string]any {
		t.Helper()
		in, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, "sdjwt.mjs")
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(in)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node: %v\n%s", err, stderr.String())
		}
		var res map[string]any
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("node answered %q: %v", out, err)
		}
		return res
	}
	pub := issuer.Public()
	v, err := sdjwt.NewVerifier(func(context.Context, sdjwt.KeyRequest) (crypto.PublicKey, error) { return pub, nil },
		sdjwt.VerifierOptions{Clock: func() time.Time { return now.Add(time.Second) }})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ours verified there", func(t *testing.T) {
		birthdate := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
		claims := map[string]any{
			"vct": "https://credentials.example/identity", "iss": "https://issuer.example",
			"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1990-05-17",
			"address":       map[string]any{"street_address": "Heidestraße 17", "locality": "Köln", "country": "DE"},
			"nationalities": []any{"DE", "FR"},
		}
		frame, _ := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"},
			sdjwt.Path{"address"}, sdjwt.Path{"address", "street_address"}, sdjwt.Path{"nationalities", nil})
		frame.Decoys = 2
		age, ageFrame, _ := sdjwt.AgeEqualOrOver(birthdate, now, 18, 21, 65)
		claims["age_equal_or_over"], frame.Members["age_equal_or_over"] = age, ageFrame
		issued, err := sdjwt.Issue(issuer, claims, frame, sdjwt.IssueOptions{Holder: holder.Public(), IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		pres, err := sdjwt.Present(issued, []sdjwt.Path{{"address", "street_address"}, {"nationalities", 1}, {"age_equal_or_over", "18"}},
			sdjwt.PresentOptions{Holder: holder, Nonce: nonce, Audience: aud, IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, map[string]any{"op": "verify", "token": string(pres), "issuerJwk": jwk(keys.JWK(pub)),
			"nonce": nonce, "aud": aud, "now": now.Unix() + 1})
		if res["ok"] != true {
			t.Fatalf("refused there: %v", res["error"])
		}
		ours, err := v.VerifyPresentation(context.Background(), pres, sdjwt.Expect{Nonce: nonce, Audience: aud})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(ours.Claims())
		var wantV any
		_ = json.Unmarshal(want, &wantV)
		if diff := cmp.Diff(wantV, res["claims"]); diff != "" {
			t.Errorf("claims there differ from ours (-ours +theirs):\n%s", diff)
		}
		// A wrong nonce is refused there too.
		if res := run(t, map[string]any{"op": "verify", "token": string(pres), "issuerJwk": jwk(keys.JWK(pub)),
			"nonce": "other", "aud": aud, "now": now.Unix() + 1}); res["ok"] == true {
			t.Error("wrong nonce accepted there")
		}
	})

	t.Run("theirs verified here", func(t *testing.T) {
		res := run(t, map[string]any{
			"op": "issue", "issuerJwk": jwk(keys.PrivateJWK(issuer)), "holderJwk": jwk(keys.PrivateJWK(holder)),
			"claims": map[string]any{"vct": "https://credentials.example/identity", "iss": "https://issuer.example",
				"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1990-05-17"},
			"disclose": []string{"given_name", "family_name", "birthdate"}, "present": []string{"given_name"},
			"nonce": nonce, "aud": aud, "now": now.Unix(),
		})
		if res["ok"] != true {
			t.Fatalf("issue there: %v", res["error"])
		}
		issued, _ := res["issued"].(string)
		pres, _ := res["presentation"].(string)
		if _, err := v.VerifyIssued(context.Background(), []byte(issued)); err != nil {
			t.Fatalf("their SD-JWT as issued: %v", err)
		}
		got, err := v.VerifyPresentation(context.Background(), []byte(pres), sdjwt.Expect{Nonce: nonce, Audience: aud})
		if err != nil {
			t.Fatalf("their presentation: %v", err)
		}
		claims := got.Claims()
		if claims["given_name"] != "Erika" || claims["family_name"] != nil || claims["birthdate"] != nil {
			t.Errorf("claims %v", claims)
		}
		in, err := sdjwt.Inspect([]byte(issued))
		if err != nil || len(in.Disclosures) != 3 {
			t.Fatalf("Inspect: %v, %d disclosures", err, len(in.Disclosures))
		}
	})
}
