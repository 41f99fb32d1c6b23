package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var screenshotDir = flag.String("screenshots", "", "write the consent and dashboard screenshots (demo-consent.png, demo-dashboard.png) to this directory")

// TestBrowser drives headless Chromium through the demo as a person would: get an
// identity card, open the shop's age-gated aisle, consent in the wallet (with the
// keyboard), get in; then log in to the forum with the wallet. It skips when chromium
// is not installed, unless CREDENCE_REQUIRE_BROWSER=1. On failure it keeps a
// screenshot of the page and says where.
func TestBrowser(t *testing.T) {
	path, ok := browserPath()
	if !ok {
		if os.Getenv("CREDENCE_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium is not installed and CREDENCE_REQUIRE_BROWSER=1 (apt-get install chromium)")
		}
		t.Skip("chromium is not installed (apt-get install chromium); set CREDENCE_REQUIRE_BROWSER=1 to make this a failure")
	}
	e := newEnv(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The profile is removed by hand: Chromium's helpers may still be writing to it
	// for a moment after it quits, which t.TempDir's cleanup would report.
	profile, err := os.MkdirTemp("", "credence-demo-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	b, err := startBrowser(ctx, path, profile)
	if err != nil {
		os.RemoveAll(profile)
		t.Fatal(err)
	}
	defer func() {
		b.close()
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	if err := b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 1000, "height": 800, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		t.Fatal(err)
	}
	shots := 0
	must := func(what string, err error) {
		t.Helper()
		if err == nil {
			return
		}
		dir, derr := os.MkdirTemp("", "credence-demo-browser-")
		if derr == nil {
			shots++
			p := filepath.Join(dir, "failure.png")
			if serr := b.screenshot(p); serr == nil {
				t.Logf("screenshot of the page: %s", p)
			}
		}
		t.Fatalf("%s: %v", what, err)
	}
	see := func(sel, want string) {
		t.Helper()
		_, err := b.waitText(sel, want)
		must("waiting for "+sel, err)
	}

	// Get credential.
	must("opening the issuer portal", b.navigate(e.srv.URL+"/issuer/"))
	must("waiting for the portal", b.waitFor("#get-id-button"))
	must("clicking Get your ID", b.click("#get-id-button"))
	see("h1", "Ministry of the Interior offers you a credential")
	must("clicking Accept", b.click("#accept-offer"))
	see("li.new", "Identity card")

	// Age gate -> consent -> access granted.
	must("opening the wine aisle", b.navigate(e.srv.URL+"/shop/wine"))
	must("waiting for the age gate", b.waitFor("#verify-age"))
	must("clicking verify", b.click("#verify-age"))
	see("h1", "Share with Corner Shop?")
	see("fieldset", "age_equal_or_over.18 (that you are 18 or older, not your birth date), given_name (your given name)")
	if *screenshotDir != "" {
		must("consent screenshot", b.screenshot(filepath.Join(*screenshotDir, "demo-consent.png")))
	}
	// Keyboard only: move to the second choice (age only) and approve with Enter.
	must("focusing the first choice", b.tabTo("#option-0"))
	must("choosing the second", b.press("ArrowDown", "ArrowDown", 40, ""))
	var second bool
	must("reading the choice", b.eval("document.querySelector('#option-1').checked", &second))
	if !second {
		must("choosing with the keyboard", errors.New("the arrow key did not select the second choice"))
	}
	must("tabbing to Share", b.tabTo("#approve"))
	must("pressing Enter", b.press("Enter", "Enter", 13, "\r"))
	see("#granted", "Access granted.")
	see("main", "The shop learned only: age_equal_or_over.18, cnf, exp, iat, iss, vct.")

	// Login with wallet.
	must("opening the forum", b.navigate(e.srv.URL+"/login/"))
	must("waiting for the login button", b.waitFor("#login-wallet"))
	must("clicking log in", b.click("#login-wallet"))
	see("#shares", "no personal claims")
	must("clicking Share", b.click("#approve"))
	see("#signed-in", "Signed in as account")

	// A vaccination certificate, shown to the border officer, who checks it offline.
	must("opening the issuer portal", b.navigate(e.srv.URL+"/issuer/"))
	must("waiting for the portal", b.waitFor("#get-vax-button"))
	must("clicking Get a vaccination certificate", b.click("#get-vax-button"))
	see("h1", "Health agency offers you a credential")
	must("clicking Accept", b.click("#accept-offer"))
	see("li.new", "Vaccination certificate")
	must("opening the border page", b.navigate(e.srv.URL+"/border/"))
	must("waiting for the challenge", b.waitFor("#challenge-code"))
	code, err := b.waitText("#challenge-code", "")
	must("reading the challenge", err)
	must("opening the wallet", b.navigate(e.srv.URL+"/wallet/"))
	must("waiting for the wallet", b.waitFor(`a[href^="/wallet/present/"]`))
	must("clicking Show to a border officer", b.click(`a[href^="/wallet/present/"]`))
	must("waiting for the challenge field", b.waitFor("#challenge"))
	must("focusing the challenge field", b.click("#challenge"))
	must("typing the challenge", b.call("Input.insertText", map[string]any{"text": strings.TrimSpace(code)}, nil))
	must("clicking Make the presentation", b.click("#make-presentation"))
	must("waiting for the presentation", b.waitFor("#token"))
	var token string
	must("reading the presentation", b.eval("document.querySelector('#token').value", &token))
	// Back at the officer's device, which still shows its challenge: paste and check.
	must("opening the border page", b.navigate(e.srv.URL+"/border/"))
	see("#challenge-code", strings.TrimSpace(code))
	must("focusing the text field", b.click("#border-token"))
	must("pasting the presentation", b.call("Input.insertText", map[string]any{"text": token}, nil))
	must("clicking Check", b.click("#check"))
	see("#valid", "Valid vaccination certificate")
	see("#valid", "Yellow fever")

	// The dashboard shows every sharing.
	must("opening the wallet", b.navigate(e.srv.URL+"/wallet/"))
	see("#sharing", "Forum (login with wallet)")
	see("#sharing", "Corner Shop")
	if *screenshotDir != "" {
		must("dashboard screenshot", b.screenshot(filepath.Join(*screenshotDir, "demo-dashboard.png")))
	}
}
