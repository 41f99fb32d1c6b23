// Command over18 runs the library's main job end to end on one machine, with no network:
// an issuer (a ministry), a holder (a wallet) and a verifier (a shop that must check "over
// 18"). Each step prints what it did; the program exits non-zero if any step gives an
// unexpected result, so it doubles as a test.
//
// Usage:
//
//	go run ./examples/over18 [--json]
package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
	"github.com/credence-dev/credence/vc/status"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// party is one actor of the demo and what resolving its DID showed.
type party struct {
	Role      string `json:"role"`
	Name      string `json:"name"`
	DID       string `json:"did"`
	KeyType   string `json:"keyType"`
	Algorithm string `json:"algorithm"`
	Method    string `json:"verificationMethod"`
	Purpose   string `json:"purpose"`

	signer keys.Signer
}

// check is one verification the verifier ran and what it learned or why it refused.
type check struct {
	Format   string   `json:"format"`
	Step     string   `json:"step"`
	Accepted bool     `json:"accepted"`
	Over18   *bool    `json:"over18,omitempty"`
	Learned  []string `json:"learned,omitempty"` // claim names the verifier saw, never values
	Hidden   []string `json:"hidden"`            // claim names that stayed with the holder
	Error    string   `json:"error,omitempty"`
	Note     string   `json:"note,omitempty"`
}

type report struct {
	Parties []party `json:"parties"`
	Checks  []check `json:"checks"`
	OK      bool    `json:"ok"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("over18", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a machine-readable report instead of text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: over18 [--json]")
		fmt.Fprintln(stderr, "\nRuns the over-18 flow offline: identities, issuance, presentation, verification.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "over18: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	rep, err := flow(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "over18: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "over18: %v\n", err)
			return 1
		}
	} else {
		printText(stdout, rep)
	}
	if !rep.OK {
		return 1
	}
	return 0
}

// flow runs every step and reports; an error means a step could not run at all.
func flow(ctx context.Context) (*report, error) {
	reg, err := registry()
	if err != nil {
		return nil, err
	}
	rep := &report{OK: true}

	// 1. Identities.
	for _, a := range []struct {
		role, name string
		kt         keys.KeyType
		create     func(crypto.PublicKey) (string, error)
		rel        did.Relationship
	}{
		{"issuer", "Ministry of the Interior", keys.Ed25519, key.Create, did.AssertionMethod},
		{"holder", "Alice's wallet", keys.P256, jwk.Create, did.Authentication},
		{"verifier", "Corner Shop", keys.Ed25519, key.Create, did.Authentication},
	} {
		p, err := identity(ctx, reg, a.role, a.name, a.kt, a.create, a.rel)
		if err != nil {
			return nil, err
		}
		rep.Parties = append(rep.Parties, p)
	}
	ministry, alice, shop := rep.Parties[0], rep.Parties[1], rep.Parties[2]

	// 2. Issuance: the ministry signs Alice's identity credential as a vc+jwt.
	cred, err := vc.ParseCredential([]byte(`{
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"type": ["VerifiableCredential", "IdentityCredential"],
		"validFrom": "` + time.Now().UTC().Add(-time.Hour).Format(time.RFC3339) + `",
		"validUntil": "` + time.Now().UTC().AddDate(1, 0, 0).Format(time.RFC3339) + `",
		"credentialSubject": {
			"id": "` + alice.DID + `",
			"name": "Alice Example",
			"birthDate": "2001-04-12",
			"address": {"street": "1 Main Street", "locality": "Springfield"},
			"ageOver18": true
		},
		"credentialStatus": {
			"id": "` + statusListURL + `#42",
			"type": "BitstringStatusListEntry",
			"statusPurpose": "revocation",
			"statusListIndex": "42",
			"statusListCredential": "` + statusListURL + `"
		}
	}`))
	if err != nil {
		return nil, fmt.Errorf("building the credential: %w", err)
	}
	issuer, err := vc.NewIssuer(ministry.signer, ministry.Method, vc.IssuerOptions{})
	if err != nil {
		return nil, err
	}
	token, err := issuer.Issue(ctx, cred, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		return nil, fmt.Errorf("issuing: %w", err)
	}

	// 3. The shop's request and its policy: only the ministry, only for identity credentials.
	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: ministry.DID, Types: []string{"IdentityCredential"}})
	if err != nil {
		return nil, err
	}
	// The ministry publishes its revocation list; the shop fetches it from there (here an
	// in-memory host: no network).
	host := &listHost{lists: map[string][]byte{}}
	revocations, err := status.NewBitstringList(status.MinBitstringEntries, 1)
	if err != nil {
		return nil, err
	}
	if err := host.publish(ctx, issuer, revocations); err != nil {
		return nil, err
	}
	verifier, err := vc.NewVerifier(vc.VerifierOptions{Resolver: reg, Trust: trust, StatusFetcher: host})
	if err != nil {
		return nil, err
	}
	want := vc.Expect{Nonce: rand.Text(), Audience: shop.DID}

	// 4. The wallet presents, bound to the shop's nonce and audience.
	wallet, err := presentation.NewHolder(alice.signer, alice.Method, presentation.HolderOptions{})
	if err != nil {
		return nil, err
	}
	vp, err := wallet.Present(ctx, [][]byte{token}, presentation.Request{Nonce: want.Nonce, Audience: want.Audience})
	if err != nil {
		return nil, fmt.Errorf("presenting: %w", err)
	}

	// 5. The shop verifies.
	got, err := verifier.VerifyPresentation(ctx, vp, want)
	c := check{Format: "vc+jwt in vp+jwt", Step: "verify the presentation", Accepted: err == nil,
		Note: "vc+jwt has no selective disclosure: the verifier sees every claim of the credential"}
	if err != nil {
		c.Error = err.Error()
		rep.OK = false
	} else {
		subject, _ := got.Credentials()[0].Claims()["credentialSubject"].(map[string]any)
		if over, ok := subject["ageOver18"].(bool); ok {
			c.Over18 = &over
		}
		for name := range subject {
			c.Learned = append(c.Learned, "credentialSubject."+name)
		}
		slices.Sort(c.Learned)
		c.Hidden = []string{}
		if c.Over18 == nil || !*c.Over18 || got.Holder() != alice.DID {
			rep.OK = false
			c.Error = "the verified claims do not say over 18 for this holder"
		}
	}
	rep.Checks = append(rep.Checks, c)

	// 6. The same presentation again: a replay, which must be refused.
	_, err = verifier.VerifyPresentation(ctx, vp, want)
	c = check{Format: "vc+jwt in vp+jwt", Step: "replay the same presentation", Accepted: err == nil, Hidden: []string{}}
	switch {
	case errors.Is(err, vc.ErrReplay):
		c.Error = err.Error()
		c.Note = "refused as expected"
	case err == nil:
		rep.OK = false
		c.Note = "a replayed presentation was accepted"
	default:
		rep.OK = false
		c.Error = err.Error()
	}
	rep.Checks = append(rep.Checks, c)

	// 7. A presentation made for another shop is refused here.
	other, err := wallet.Present(ctx, [][]byte{token}, presentation.Request{Nonce: want.Nonce, Audience: "did:example:another-shop"})
	if err != nil {
		return nil, err
	}
	_, err = verifier.VerifyPresentation(ctx, other, want)
	c = check{Format: "vc+jwt in vp+jwt", Step: "a presentation made for another verifier", Accepted: err == nil, Hidden: []string{}}
	if errors.Is(err, vc.ErrAudienceMismatch) {
		c.Error = err.Error()
		c.Note = "refused as expected"
	} else {
		rep.OK = false
		c.Note = "expected an audience mismatch"
	}
	rep.Checks = append(rep.Checks, c)

	// 8. The ministry revokes the credential; the shop's next check fails.
	if err := revocations.Set(42, 1); err != nil {
		return nil, err
	}
	if err := host.publish(ctx, issuer, revocations); err != nil {
		return nil, err
	}
	later, err := vc.NewVerifier(vc.VerifierOptions{Resolver: reg, Trust: trust, StatusFetcher: host}) // a fresh cache
	if err != nil {
		return nil, err
	}
	want2 := vc.Expect{Nonce: rand.Text(), Audience: want.Audience}
	again, err := wallet.Present(ctx, [][]byte{token}, presentation.Request{Nonce: want2.Nonce, Audience: want2.Audience})
	if err != nil {
		return nil, err
	}
	_, err = later.VerifyPresentation(ctx, again, want2)
	c = check{Format: "vc+jwt in vp+jwt", Step: "after the ministry revokes it", Accepted: err == nil, Hidden: []string{}}
	if errors.Is(err, vc.ErrRevoked) {
		c.Error = err.Error()
		c.Note = "refused as expected: the status list says revoked"
	} else {
		rep.OK = false
		c.Note = fmt.Sprintf("expected ErrRevoked, got %v", err)
	}
	rep.Checks = append(rep.Checks, c)

	// 9. The same promise with selective disclosure: the ministry issues an SD-JWT VC in
	// which every personal claim, and each age answer, is disclosable on its own, bound to
	// the wallet's key; the wallet discloses only age_equal_or_over.18.
	if err := sdjwtFlow(ctx, rep, ministry, alice, shop, issuer, wallet); err != nil {
		return nil, err
	}
	return rep, nil
}

func sdjwtFlow(ctx context.Context, rep *report, ministry, alice, shop party, issuer *vc.Issuer, wallet *presentation.Holder) error {
	birth := time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC)
	age, ageFrame, err := sdjwt.AgeEqualOrOver(birth, time.Now(), 16, 18, 21, 65)
	if err != nil {
		return err
	}
	claims := map[string]any{
		"given_name": "Alice", "family_name": "Example", "birthdate": "2001-04-12",
		"address":           map[string]any{"street_address": "1 Main Street", "locality": "Springfield"},
		"age_equal_or_over": age,
	}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"}, sdjwt.Path{"address"})
	if err != nil {
		return err
	}
	frame.Members["age_equal_or_over"] = ageFrame
	token, err := issuer.IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{
		VCT: "https://ministry.example/identity", Holder: alice.signer.Public(), Expiry: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		return fmt.Errorf("issuing the SD-JWT VC: %w", err)
	}
	sdTrust, err := vc.NewTrustList(vc.TrustedIssuer{ID: ministry.DID, Types: []string{"https://ministry.example/identity"}})
	if err != nil {
		return err
	}
	sdVerifier, err := vc.NewVerifier(vc.VerifierOptions{Trust: sdTrust})
	if err != nil {
		return err
	}
	want := vc.Expect{Nonce: rand.Text(), Audience: shop.DID}
	vp, err := wallet.Disclose(ctx, token, []vc.ClaimPath{{"age_equal_or_over", "18"}}, presentation.Request{Nonce: want.Nonce, Audience: want.Audience})
	if err != nil {
		return fmt.Errorf("disclosing: %w", err)
	}
	got, err := sdVerifier.VerifyPresentation(ctx, vp, want)
	c := check{Format: "SD-JWT VC (dc+sd-jwt)", Step: "verify the selective disclosure", Accepted: err == nil,
		Hidden: []string{"given_name", "family_name", "birthdate", "address", "age_equal_or_over.16", "age_equal_or_over.21", "age_equal_or_over.65"}}
	if err != nil {
		c.Error = err.Error()
		rep.OK = false
		rep.Checks = append(rep.Checks, c)
		return nil
	}
	seen := got.Credentials()[0].Claims()
	if a, ok := seen["age_equal_or_over"].(map[string]any); ok {
		if over, ok := a["18"].(bool); ok {
			c.Over18 = &over
		}
		for k := range a {
			c.Learned = append(c.Learned, "age_equal_or_over."+k)
		}
	}
	for k := range seen {
		if k != "age_equal_or_over" {
			c.Learned = append(c.Learned, k)
		}
	}
	slices.Sort(c.Learned)
	for _, h := range []string{"given_name", "family_name", "birthdate", "address"} {
		if _, ok := seen[h]; ok {
			rep.OK = false
			c.Error = "the verifier saw " + h
		}
	}
	if c.Over18 == nil || !*c.Over18 {
		rep.OK = false
		c.Error = "the disclosed claims do not say over 18"
	}
	c.Note = "the verifier learns the age answer and the token's own facts (issuer, type, validity, holder key), nothing else"
	rep.Checks = append(rep.Checks, c)
	return nil
}

func registry() (*did.Registry, error) {
	keyResolver, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	reg := did.NewRegistry() // resolves only what is registered: did:key and did:jwk here
	if err := reg.Register("key", keyResolver); err != nil {
		return nil, err
	}
	if err := reg.Register("jwk", jwk.New()); err != nil {
		return nil, err
	}
	return reg, nil
}

// identity makes a key, turns it into a DID and checks that the DID resolves, offline,
// to that key, authorised for what the party will sign.
func identity(ctx context.Context, reg *did.Registry, role, name string, kt keys.KeyType,
	create func(crypto.PublicKey) (string, error), rel did.Relationship) (party, error) {
	signer, err := keys.Generate(kt)
	if err != nil {
		return party{}, fmt.Errorf("%s key: %w", role, err)
	}
	id, err := create(signer.Public())
	if err != nil {
		return party{}, fmt.Errorf("%s DID: %w", role, err)
	}
	res, err := reg.Resolve(ctx, id)
	if err != nil {
		return party{}, fmt.Errorf("resolving the %s: %w", role, err)
	}
	methods, err := res.Document.Methods(rel)
	if err != nil || len(methods) == 0 {
		return party{}, fmt.Errorf("the %s's document has no %s key: %v", role, rel, err)
	}
	vm, err := reg.Dereference(ctx, methods[0].ID, rel)
	if err != nil {
		return party{}, fmt.Errorf("dereferencing the %s's key: %w", role, err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return party{}, fmt.Errorf("the %s's key: %w", role, err)
	}
	if !keys.Equal(pub, signer.Public()) {
		return party{}, fmt.Errorf("the %s's DID resolves to another key", role)
	}
	alg, err := keys.Algorithm(pub)
	if err != nil {
		return party{}, err
	}
	return party{Role: role, Name: name, DID: id, KeyType: string(kt), Algorithm: alg,
		Method: vm.ID, Purpose: string(rel), signer: signer}, nil
}

func printText(w io.Writer, rep *report) {
	fmt.Fprintln(w, "Over 18, step by step (offline)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "1. Identities: each party makes a key and a DID; the DID resolves back to")
	fmt.Fprintln(w, "   that key, authorised for what the party signs.")
	for _, p := range rep.Parties {
		fmt.Fprintf(w, "\n   %-9s %s\n", p.Role, p.Name)
		fmt.Fprintf(w, "   %-9s %s\n", "did", short(p.DID))
		fmt.Fprintf(w, "   %-9s %s (%s), listed under %s\n", "key", p.KeyType, p.Algorithm, p.Purpose)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "2. The ministry issues Alice an identity credential with her name, birth date,")
	fmt.Fprintln(w, "   address and age answers. The wallet presents it to the shop bound to the shop's")
	fmt.Fprintln(w, "   nonce and identifier; the shop trusts only the ministry. First as vc+jwt (no")
	fmt.Fprintln(w, "   selective disclosure, and revocable through a status list), then as an SD-JWT VC")
	fmt.Fprintln(w, "   disclosing only \"18 or over\".")
	fmt.Fprintln(w)
	for i, c := range rep.Checks {
		verdict := "accepted"
		if !c.Accepted {
			verdict = "refused"
		}
		fmt.Fprintf(w, "   %c) %-42s %s  [%s]\n", 'a'+i, c.Step, verdict, c.Format)
		if c.Over18 != nil {
			fmt.Fprintf(w, "      %-13s %v\n", "over 18:", *c.Over18)
		}
		if len(c.Learned) > 0 {
			fmt.Fprintf(w, "      %-13s %s\n", "learned:", strings.Join(c.Learned, ", "))
			hidden := "nothing"
			if len(c.Hidden) > 0 {
				hidden = strings.Join(c.Hidden, ", ")
			}
			fmt.Fprintf(w, "      %-13s %s\n", "hidden:", hidden)
		}
		if c.Error != "" && !c.Accepted {
			fmt.Fprintf(w, "      %-13s %s\n", "reason:", c.Error)
		}
		if c.Note != "" {
			fmt.Fprintf(w, "      %-13s %s\n", "note:", c.Note)
		}
	}
	fmt.Fprintln(w)
	if rep.OK {
		fmt.Fprintln(w, "Every step gave the expected result.")
	} else {
		fmt.Fprintln(w, "UNEXPECTED RESULT: see above.")
	}
}

// short keeps long DIDs readable on a terminal.
func short(s string) string {
	if len(s) <= 72 {
		return s
	}
	return s[:40] + "..." + s[len(s)-20:]
}

// statusListURL is where the ministry publishes its revocation list.
const statusListURL = "https://status.ministry.example/revocation/1"

// listHost is the static host of the ministry's status lists, in memory.
type listHost struct {
	mu    sync.Mutex
	lists map[string][]byte
}

// Fetch implements status.Fetcher.
func (h *listHost) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	b, ok := h.lists[url]
	if !ok {
		return nil, fmt.Errorf("no list at %s: %w", url, vc.ErrStatusRetrieval)
	}
	return b, nil
}

// publish signs the list as the ministry's status list credential and serves it.
func (h *listHost) publish(ctx context.Context, issuer *vc.Issuer, list *status.BitstringList) error {
	raw, err := list.Credential(status.BitstringCredentialOptions{ID: statusListURL, Issuer: issuer.ID(),
		Purpose: []string{status.PurposeRevocation}, ValidFrom: time.Now().Add(-time.Minute), ValidUntil: time.Now().Add(time.Hour)})
	if err != nil {
		return err
	}
	c, err := vc.ParseCredential(raw)
	if err != nil {
		return err
	}
	tok, err := issuer.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.lists[statusListURL] = tok
	h.mu.Unlock()
	return nil
}
