// Command over18 runs the library's main job end to end in one process, with no
// network: an issuer (a ministry, a did:web served from the process over HTTPS on
// loopback), a holder (a wallet) and a verifier (a shop that must check "over 18").
//
// The ministry issues one identity credential (name, birth date, address, age answers)
// as an SD-JWT VC, with ecdsa-sd-2023 and bbs-2023 base proofs, as an unlinkable
// bbs-2023 variant (no id, no status entry, one day's validity) and, for comparison, as
// a vc+jwt, which cannot disclose selectively. The shop asks "over 18?" with DCQL and
// with PEX; the wallet matches, prints its (automatic) consent and presents minimal
// disclosure; the shop verifies and prints what it learned (the age answer's value,
// and only the names of anything else), what stayed hidden and what could still link
// presentations. Then the ministry revokes, and the next verification fails with
// ErrRevoked.
//
// Each step says what it expected; the program exits non-zero if any step gives an
// unexpected result, so it doubles as a test.
//
// Usage:
//
//	go run ./examples/over18 [--json]
package main

import (
	"cmp"
	"context"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/did/web"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
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
	Served    string `json:"servedAt,omitempty"` // where a did:web document is served
	BBSMethod string `json:"bbsVerificationMethod,omitempty"`

	signer keys.Signer
}

// issued is one credential the ministry issued to the wallet.
type issued struct {
	Format      string   `json:"format"`
	Handle      string   `json:"handle"` // the wallet's name for it
	Secured     string   `json:"secured"`
	Status      string   `json:"status"`
	StatusIndex *int     `json:"statusIndex,omitempty"` // none for the unlinkable variant
	ValidUntil  string   `json:"validUntil,omitempty"`
	Claims      []string `json:"claims"` // names of the claims about the person
}

// learned is one claim the shop saw; its value is shown only for the age answer.
type learned struct {
	Claim string `json:"claim"`
	Value *bool  `json:"value,omitempty"`
}

// request is one "over 18?" request, the wallet's answer and the shop's verdict.
type request struct {
	Language   string    `json:"language"` // DCQL or PEX
	Candidates []string  `json:"candidates"`
	Matched    string    `json:"matched"`
	Shared     []string  `json:"shared"` // what the wallet agreed to disclose
	Kept       []string  `json:"kept"`   // what it kept back
	Consent    string    `json:"consent"`
	Proof      string    `json:"proof"`
	Accepted   bool      `json:"accepted"`
	Over18     *bool     `json:"over18,omitempty"`
	Learned    []learned `json:"learned"`
	Hidden     []string  `json:"hidden"` // names only: hidden values never leave the wallet
	AlsoSeen   []string  `json:"alsoSeen"`
	Linkable   []string  `json:"linkable"`
	Error      string    `json:"error,omitempty"`
	Sentinel   string    `json:"sentinel,omitempty"`

	err error // the verifier's error, if it refused
}

// outcome is a check expected to be refused (or accepted) and what happened.
type outcome struct {
	Format   string `json:"format"`
	Step     string `json:"step"`
	Want     string `json:"want"` // the sentinel expected, or "accepted"
	Accepted bool   `json:"accepted"`
	Sentinel string `json:"sentinel,omitempty"`
	Error    string `json:"error,omitempty"`
	Note     string `json:"note,omitempty"`
	OK       bool   `json:"ok"`
}

// formatReport is everything the demo did with one format.
type formatReport struct {
	Format   string    `json:"format"`
	Issued   issued    `json:"issued"`
	Requests []request `json:"requests"`
	Note     string    `json:"note,omitempty"`
	// ProofsIdentical says, for a derived proof, whether two derivations with the same
	// disclosure gave the same proof value (then the proof itself links them).
	ProofsIdentical *bool `json:"proofsIdentical,omitempty"`
	OK              bool  `json:"ok"`
}

type report struct {
	Parties    []party        `json:"parties"`
	Formats    []formatReport `json:"formats"`
	Guards     []outcome      `json:"guards"`
	Revocation []outcome      `json:"revocation"`
	Problems   []string       `json:"problems,omitempty"`
	ElapsedMS  int64          `json:"elapsedMs"`
	OK         bool           `json:"ok"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("over18", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a machine-readable report instead of text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: over18 [--json]")
		fmt.Fprintln(stderr, "\nRuns the over-18 flow offline: identities, issuance in several formats, DCQL and")
		fmt.Fprintln(stderr, "PEX requests, consent, minimal disclosure, verification and revocation.")
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
	start := time.Now()
	rep, err := flow(context.Background())
	if err != nil {
		fmt.Fprintf(stderr, "over18: %v\n", err)
		return 1
	}
	rep.ElapsedMS = time.Since(start).Milliseconds()
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
	host := newDIDHost()
	defer host.close()
	reg, err := registry(host.srv.Client())
	if err != nil {
		return nil, err
	}
	rep := &report{OK: true}
	ministryDID := func(pub crypto.PublicKey) (string, error) { return host.add("key-1", pub) }

	// 1. Identities. The ministry is a did:web, its document served over HTTPS from this
	// process; it signs with P-256, which every format here accepts (ES256 for JOSE,
	// ecdsa-sd-2023 for Data Integrity).
	for _, a := range []struct {
		role, name string
		kt         keys.KeyType
		create     func(crypto.PublicKey) (string, error)
		rel        did.Relationship
	}{
		{"issuer", "Ministry of the Interior", keys.P256, ministryDID, did.AssertionMethod},
		{"holder", "Alice's wallet", keys.P256, jwk.Create, did.Authentication},
		{"verifier", "Corner Shop", keys.Ed25519, key.Create, did.Authentication},
	} {
		p, err := identity(ctx, reg, a.role, a.name, a.kt, a.create, a.rel)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(p.DID, "did:web:") {
			p.Served = host.srv.URL + "/.well-known/did.json (in this process, loopback)"
		}
		rep.Parties = append(rep.Parties, p)
	}
	d := &demo{reg: reg, ministry: rep.Parties[0], alice: rep.Parties[1], shop: rep.Parties[2], held: map[string][]byte{}}
	if d.issuer, err = vc.NewIssuer(d.ministry.signer, d.ministry.Method, vc.IssuerOptions{}); err != nil {
		return nil, err
	}
	// The ministry's BBS key, listed in the same DID document, signs bbs-2023 only.
	bbsKey, err := keys.GenerateBBSKey(nil)
	if err != nil {
		return nil, err
	}
	if _, err := host.add("bbs-1", bbsKey.Public()); err != nil {
		return nil, err
	}
	bbsMethod := host.did + "#bbs-1"
	if err := checkKey(ctx, reg, bbsMethod, bbsKey.Public()); err != nil {
		return nil, err
	}
	rep.Parties[0].BBSMethod = bbsMethod
	if d.bbsIssuer, err = vc.NewBBSIssuer(bbsKey, bbsMethod, vc.IssuerOptions{}); err != nil {
		return nil, err
	}
	if d.wallet, err = presentation.NewHolder(d.alice.signer, d.alice.Method, presentation.HolderOptions{}); err != nil {
		return nil, err
	}

	// 2. The ministry publishes its status lists (the shop fetches them from an
	// in-memory host: no network) and issues the credential in every format.
	d.host = &listHost{lists: map[string][]byte{}}
	bits, err := status.NewBitstringList(status.MinBitstringEntries, 1)
	if err != nil {
		return nil, err
	}
	tokens, err := status.NewTokenList(1024, 1)
	if err != nil {
		return nil, err
	}
	if err := d.host.publish(ctx, d.issuer, d.ministry, bits, tokens); err != nil {
		return nil, err
	}
	fs := formats()
	for i, f := range fs {
		is, err := d.issue(ctx, f, 40+i)
		if err != nil {
			return nil, err
		}
		rep.Formats = append(rep.Formats, formatReport{Format: f.Name, Issued: is, OK: true})
	}

	// 3. The shop trusts the ministry for identity credentials, and asks "over 18?"
	// with DCQL and with PEX; the wallet answers from whichever credential matches.
	if d.trust, err = vc.NewTrustList(vc.TrustedIssuer{ID: d.ministry.DID, Types: []string{"IdentityCredential", vct}}); err != nil {
		return nil, err
	}
	shop, err := d.verifier()
	if err != nil {
		return nil, err
	}
	var first []sent
	for i, f := range fs {
		fr := &rep.Formats[i]
		for _, lang := range []string{"DCQL", "PEX"} {
			r, s := d.ask(ctx, shop, f, lang)
			if problem := expectDisclosure(f, r); problem != "" {
				fr.OK, rep.OK = false, false
				rep.Problems = append(rep.Problems, f.Name+" "+lang+": "+problem)
			}
			fr.Requests = append(fr.Requests, r)
			if lang == "DCQL" && s.vp != nil {
				first = append(first, s)
			}
		}
		switch {
		case f.Kind == kindJWT:
			fr.Note = "for comparison: the shop learns every claim, the birth date included"
		case f.Unlinkable:
			fr.Note = "no id, no subject id, no status entry, one day's validity: two presentations look alike; " +
				"but nothing binds it to the holder, and it cannot be revoked"
		}
		if f.Kind == kindDerived {
			same, err := d.sameProofs(ctx, f)
			if err != nil {
				return nil, err
			}
			fr.ProofsIdentical = &same
			note := "two derivations with the same disclosure carry different proofs: each is a fresh zero-knowledge proof"
			if same {
				note = "two derivations with the same disclosure carry the same proof value: the proof itself links them"
			}
			fr.Note = strings.TrimPrefix(fr.Note+"; "+note, "; ")
			if same && f.Suite == "bbs-2023" {
				fr.OK, rep.OK = false, false
				rep.Problems = append(rep.Problems, f.Name+": two bbs-2023 derivations are identical")
			}
		}
	}

	// 4. What the shop must refuse.
	for _, s := range first {
		if s.format.Unlinkable {
			// The proof is bound to the request's nonce by its presentation header: shown
			// for another request it is refused. It has no holder proof, so whoever holds a
			// copy can still answer the request it was made for.
			_, err := verifyBearer(ctx, shop, s.vp, "another-request-nonce")
			o := expectRefused(s.format.Name, "the same credential for another request", "ErrNonceMismatch", err)
			o.Note = "bound to one request by its presentation header; no holder proof, so a copy answers that request only"
			rep.Guards = append(rep.Guards, o)
			continue
		}
		_, err := shop.VerifyPresentation(ctx, s.vp, s.want)
		rep.Guards = append(rep.Guards, expectRefused(s.format.Name, "the same presentation again", "ErrReplay", err))
	}
	for _, f := range fs {
		if f.Kind != kindDerived || f.Unlinkable {
			continue
		}
		// The wallet will not put a base proof in a presentation; sent on its own, the
		// shop refuses it too.
		base, ch := d.held[f.Handle], rand.Text()
		_, err := d.wallet.Present(ctx, [][]byte{base}, presentation.Request{Format: vc.FormatDataIntegrity, Challenge: ch, Domain: d.shop.DID})
		rep.Guards = append(rep.Guards, expectRefused(f.Name, "wallet: present the base proof", "ErrBaseProofPresented", err))
		_, err = shop.VerifyCredential(ctx, base)
		rep.Guards = append(rep.Guards, expectRefused(f.Name, "shop: the base proof, sent as is", "ErrBaseProofPresented", err))
	}
	if sd, ok := d.held[handleOf(fs, kindSDJWT)]; ok {
		n := rand.Text()
		vp, err := d.wallet.Disclose(ctx, sd, []vc.ClaimPath{sdjwtAge}, presentation.Request{Nonce: n, Audience: "did:example:another-shop"})
		if err != nil {
			return nil, err
		}
		_, err = shop.VerifyPresentation(ctx, vp, vc.Expect{Nonce: n, Audience: d.shop.DID})
		rep.Guards = append(rep.Guards, expectRefused("SD-JWT VC", "made for another verifier", "ErrAudienceMismatch", err))
	}

	// 5. The ministry revokes every credential it issued to Alice; the shop's next
	// check (a fresh verifier, so no cached list) fails, saying why.
	for _, f := range fs {
		if f.Unlinkable {
			continue // no status entry to set
		}
		if f.Kind == kindSDJWT {
			err = tokens.Set(*rep.Formats[indexOf(fs, f)].Issued.StatusIndex, status.TokenInvalid)
		} else {
			err = bits.Set(*rep.Formats[indexOf(fs, f)].Issued.StatusIndex, 1)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.host.publish(ctx, d.issuer, d.ministry, bits, tokens); err != nil {
		return nil, err
	}
	later, err := d.verifier()
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		r, _ := d.ask(ctx, later, f, "DCQL")
		o := expectRefused(f.Name, "after the ministry revokes it", "ErrRevoked", r.err)
		if r.err == nil && !r.Accepted { // refused before verification: not the revocation
			o.Error, o.OK = r.Error, false
		}
		if f.Unlinkable {
			// It cannot be revoked; it stops being valid at the end of its day.
			o.Want, o.OK = "accepted", r.Accepted
			o.Note = "no status entry, so nothing to revoke: it expires " + rep.Formats[indexOf(fs, f)].Issued.ValidUntil
		}
		rep.Revocation = append(rep.Revocation, o)
	}
	for _, o := range append(slices.Clone(rep.Guards), rep.Revocation...) {
		if !o.OK {
			rep.OK = false
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s, %s: want %s, got %s", o.Format, o.Step, o.Want, cmp.Or(o.Sentinel, o.Error, "accepted")))
		}
	}
	return rep, nil
}

// verifier is the shop's verifier: the ministry trusted, status lists from the host.
func (d *demo) verifier() (*vc.Verifier, error) {
	return vc.NewVerifier(vc.VerifierOptions{Resolver: d.reg, Trust: d.trust, StatusFetcher: d.host})
}

// expectDisclosure says what is wrong with a verified answer, or "" if nothing: it must
// be accepted, say 18 or over, and, for a selective disclosure format, show the shop
// the age answer and no other claim about the person.
func expectDisclosure(f format, r request) string {
	switch {
	case !r.Accepted:
		return "refused: " + r.Error
	case r.Over18 == nil || !*r.Over18:
		return "the verified claims do not say 18 or over"
	case f.Kind == kindJWT:
		return ""
	}
	if len(r.Learned) != 1 || r.Learned[0].Claim != pathString(f.Age) {
		names := make([]string, len(r.Learned))
		for i, l := range r.Learned {
			names[i] = l.Claim
		}
		return "the shop learned more than the age answer: " + strings.Join(names, ", ")
	}
	return ""
}

// expectRefused records a step that must fail with the sentinel named want.
func expectRefused(format, step, want string, err error) outcome {
	o := outcome{Format: format, Step: step, Want: want, Accepted: err == nil}
	if err != nil {
		o.Error, o.Sentinel = err.Error(), sentinel(err)
	}
	o.OK = o.Sentinel == want
	return o
}

func handleOf(fs []format, k kind) string {
	for _, f := range fs {
		if f.Kind == k {
			return f.Handle
		}
	}
	return ""
}

func indexOf(fs []format, f format) int {
	return slices.IndexFunc(fs, func(g format) bool { return g.Handle == f.Handle })
}

// registry resolves did:key and did:jwk offline, and did:web through client, which
// reaches only the ministry's in-process host.
func registry(client *http.Client) (*did.Registry, error) {
	keyResolver, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	webResolver, err := web.New(client, web.Options{AllowLoopback: true})
	if err != nil {
		return nil, err
	}
	reg := did.NewRegistry() // resolves only what is registered
	if err := reg.Register("key", keyResolver); err != nil {
		return nil, err
	}
	if err := reg.Register("jwk", jwk.New()); err != nil {
		return nil, err
	}
	if err := reg.Register("web", webResolver); err != nil {
		return nil, err
	}
	return reg, nil
}

// checkKey checks that the verification method vm resolves to pub under assertionMethod.
func checkKey(ctx context.Context, reg *did.Registry, vm string, pub crypto.PublicKey) error {
	m, err := reg.Dereference(ctx, vm, did.AssertionMethod)
	if err != nil {
		return fmt.Errorf("dereferencing %s: %w", vm, err)
	}
	got, err := m.PublicKey()
	if err != nil {
		return fmt.Errorf("the key of %s: %w", vm, err)
	}
	if !keys.Equal(got, pub) {
		return fmt.Errorf("%s resolves to another key", vm)
	}
	return nil
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
	fmt.Fprintln(w, "Over 18, step by step (no network: everything runs in this process)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "1. Identities: each party makes a key and a DID; the DID resolves back to")
	fmt.Fprintln(w, "   that key, authorised for what the party signs.")
	for _, p := range rep.Parties {
		fmt.Fprintf(w, "\n   %-9s %s\n", p.Role, p.Name)
		fmt.Fprintf(w, "   %-9s %s\n", "did", short(p.DID))
		if p.Served != "" {
			fmt.Fprintf(w, "   %-9s %s\n", "served", p.Served)
		}
		fmt.Fprintf(w, "   %-9s %s (%s), listed under %s\n", "key", p.KeyType, p.Algorithm, p.Purpose)
		if p.BBSMethod != "" {
			fmt.Fprintf(w, "   %-9s bls12381g2 (BBS, bbs-2023 only) #%s, listed under %s\n", "key", strings.SplitN(p.BBSMethod, "#", 2)[1], p.Purpose)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "2. The ministry issues Alice her identity credential (name, birth date, address,")
	fmt.Fprintln(w, "   age answers) in each form below, with an entry in a revocation list unless noted:")
	for _, f := range rep.Formats {
		fmt.Fprintln(w)
		wrap(w, fmt.Sprintf("   %-20s ", f.Format), f.Issued.Secured)
		fmt.Fprintf(w, "   %-20s %s\n", "status", f.Issued.Status)
		fmt.Fprintf(w, "   %-20s %s\n", "claims", strings.Join(f.Issued.Claims, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "3. The shop asks \"over 18?\" with DCQL and with PEX, once per format. The wallet")
	fmt.Fprintln(w, "   matches the request against all it holds, asks Alice's consent, and presents")
	fmt.Fprintln(w, "   only what was asked, bound to the shop's nonce; the shop verifies the presentation")
	fmt.Fprintln(w, "   and checks that it answers its request. Hidden values are never shown here.")
	for _, f := range rep.Formats {
		fmt.Fprintf(w, "\n   %s\n", f.Format)
		for _, r := range f.Requests {
			verdict := "accepted"
			if !r.Accepted {
				verdict = "REFUSED"
			}
			wrap(w, fmt.Sprintf("     %-10s ", r.Language), fmt.Sprintf("matched %s (candidates: %s); %s", cmp.Or(r.Matched, "nothing"), strings.Join(r.Candidates, ", "), verdict))
			wrap(w, fmt.Sprintf("     %-10s ", "consent"), r.Consent)
			if r.Error != "" {
				wrap(w, fmt.Sprintf("     %-10s ", "reason"), strings.TrimSpace(r.Sentinel+" "+r.Error))
			}
		}
		r := f.Requests[0]
		if len(f.Requests) > 1 && !sameView(f.Requests[0], f.Requests[1]) {
			fmt.Fprintf(w, "     %-10s DCQL and PEX answers differ (see --json)\n", "note")
		}
		if r.Accepted {
			wrap(w, fmt.Sprintf("     %-10s ", "presented"), r.Proof)
			wrap(w, fmt.Sprintf("     %-10s ", "learned"), learnedText(r.Learned))
			wrap(w, fmt.Sprintf("     %-10s ", "hidden"), cmp.Or(strings.Join(r.Hidden, ", "), "nothing"))
			wrap(w, fmt.Sprintf("     %-10s ", "also sees"), strings.Join(r.AlsoSeen, ", "))
			wrap(w, fmt.Sprintf("     %-10s ", "linkable"), strings.Join(r.Linkable, "; "))
		}
		if f.Note != "" {
			wrap(w, fmt.Sprintf("     %-10s ", "note"), f.Note)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "4. What the shop refuses:")
	for _, o := range rep.Guards {
		printOutcome(w, o)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "5. The ministry revokes Alice's credentials; the shop's next check fails (a credential")
	fmt.Fprintln(w, "   without a status entry has nothing to revoke):")
	for _, o := range rep.Revocation {
		printOutcome(w, o)
	}
	fmt.Fprintln(w)
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "   UNEXPECTED: %s\n", p)
	}
	if rep.OK {
		fmt.Fprintf(w, "Every step gave the expected result (%d ms).\n", rep.ElapsedMS)
	} else {
		fmt.Fprintln(w, "UNEXPECTED RESULT: see above.")
	}
}

func printOutcome(w io.Writer, o outcome) {
	verdict := "refused"
	if o.Accepted {
		verdict = "accepted"
	}
	if o.Sentinel != "" {
		verdict += " " + o.Sentinel
	}
	mark := "as expected"
	if !o.OK {
		mark = "UNEXPECTED, wanted " + o.Want
	}
	fmt.Fprintf(w, "   %-20s %-33s %s, %s\n", o.Format, o.Step, verdict, mark)
	if o.Error != "" {
		wrap(w, strings.Repeat(" ", 24)+"reason: ", o.Error)
	}
	if o.Note != "" {
		wrap(w, strings.Repeat(" ", 24)+"note:   ", o.Note)
	}
}

// wrap prints text after lead, broken at spaces to keep lines under 100 columns, the
// continuation lines indented as far as lead.
func wrap(w io.Writer, lead, text string) {
	const width = 100
	line, pad := lead, strings.Repeat(" ", len(lead))
	for i, word := range strings.Fields(text) {
		if i > 0 && len(line)+1+len(word) > width {
			fmt.Fprintln(w, line)
			line = pad + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	fmt.Fprintln(w, line)
}

// learnedText writes the claims the shop learned, with the age answer's value.
func learnedText(ls []learned) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.Claim
		if l.Value != nil {
			parts[i] += fmt.Sprintf(" = %v", *l.Value)
		}
	}
	return cmp.Or(strings.Join(parts, ", "), "nothing")
}

// sameView says whether two answers showed the shop the same claims.
func sameView(a, b request) bool {
	return slices.Equal(a.Hidden, b.Hidden) && slices.EqualFunc(a.Learned, b.Learned, func(x, y learned) bool { return x.Claim == y.Claim })
}

// short keeps long DIDs readable on a terminal.
func short(s string) string {
	if len(s) <= 72 {
		return s
	}
	return s[:40] + "..." + s[len(s)-20:]
}

// Where the ministry publishes its status lists.
const (
	bitstringListURL = "https://status.ministry.example/revocation/1"
	tokenListURL     = "https://status.ministry.example/token-lists/1"
)

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

// publish signs both lists as the ministry and serves them: the Bitstring Status List
// as a vc+jwt status list credential, the Token Status List as a statuslist+jwt.
func (h *listHost) publish(ctx context.Context, issuer *vc.Issuer, ministry party, bits *status.BitstringList, tokens *status.TokenList) error {
	now := time.Now()
	raw, err := bits.Credential(status.BitstringCredentialOptions{ID: bitstringListURL, Issuer: issuer.ID(),
		Purpose: []string{status.PurposeRevocation}, ValidFrom: now.Add(-time.Minute), ValidUntil: now.Add(time.Hour)})
	if err != nil {
		return err
	}
	c, err := vc.ParseCredential(raw)
	if err != nil {
		return err
	}
	bitsTok, err := issuer.Issue(ctx, c, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		return err
	}
	payload, err := tokens.Payload(status.TokenPayloadOptions{Subject: tokenListURL, Issuer: issuer.ID(),
		IssuedAt: now.Add(-time.Minute), Expiry: now.Add(time.Hour), TTL: time.Hour})
	if err != nil {
		return err
	}
	tokenTok, err := signJWT(ministry.signer, ministry.Method, status.TokenTyp, payload)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.lists[bitstringListURL] = bitsTok
	h.lists[tokenListURL] = tokenTok
	h.mu.Unlock()
	return nil
}

// signJWT signs payload as a compact JWS with the key's algorithm, kid and typ.
func signJWT(s keys.Signer, kid, typ string, payload []byte) ([]byte, error) {
	hdr, err := json.Marshal(map[string]string{"alg": s.Algorithm(), "kid": kid, "typ": typ})
	if err != nil {
		return nil, err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload)
	sig, err := keys.Sign(s, []byte(input))
	if err != nil {
		return nil, err
	}
	return []byte(input + "." + enc.EncodeToString(sig)), nil
}
