package main

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

const verifyUsage = `usage: credence verify [--presentation (--nonce N --audience A | --challenge C --domain D)]
                       (--trust FILE | --trust-issuer ID ... | --accept-any-issuer) [flags] FILE|DIR|-

Verifies a credential (vc+jwt, VCDM 1.1 JWT, Data Integrity, SD-JWT VC, vc+sd-jwt) or,
with --presentation, a presentation (vp+jwt, VCDM 1.1 JWT, Data Integrity, SD-JWT with
a key binding JWT); the format is detected. It prints what was proven: the issuer, the
types, the validity period and the claims the signatures cover. Exit code 0 only when
everything verified, 1 otherwise; with --json a failure is printed as
{"error": "<sentinel such as ErrExpired>", "message": "..."} (error is null when no
sentinel applies).

Whom to trust must be said: --trust FILE (a trust list,
{"issuers": [{"id": "did:key:...", "types": ["IdentityCredential"]}]}), --trust-issuer
(repeatable, any credential type) or --accept-any-issuer (every issuer whose signature
verifies, which gives up the question of who may issue what). --trust and
--trust-issuer may be combined.

Issuer and holder DIDs resolve offline (did:key, did:jwk, did:peer, and the documents
given with --did-document); did:web only with --allow-network, and other methods only
through --resolver (with --allow-network) for the --resolver-method methods named. --at judges validity (and the age
of a presentation) at another instant: an audit of what was valid then.

A credential with a status (credentialStatus, or an SD-JWT status claim) is checked
against its status list, and fails closed when the list cannot be had: --status-list
URL=FILE (repeatable) supplies the list published at URL from a local FILE (a status
list credential as "credence status publish" prints it, or a Status List Token);
other lists are fetched only with --allow-network (HTTPS, public hosts); --skip-status
accepts the credential without checking its status.

Given a folder instead of a file, verify checks every file in it (hidden files and
subfolders aside) under the same options, prints one line per file and a summary
(with --json, one report with a "results" array), shows progress on stderr with
--verbose, and exits 1 if any file failed. With --presentation every file must be bound
to the one --nonce and --audience (or --challenge and --domain), and a nonce is accepted
once: a second presentation with it fails with ErrReplay.`

func cmdVerify(ctx context.Context, e *env, args []string) error {
	f := newFlags("verify", verifyUsage)
	isVP := f.Bool("presentation", false, "verify a presentation")
	nonce := f.String("nonce", "", "the nonce the presentation must carry")
	audience := f.String("audience", "", "the audience the presentation must name (your identifier)")
	challenge := f.String("challenge", "", "the challenge a Data Integrity presentation must carry")
	domain := f.String("domain", "", "the domain a Data Integrity presentation must carry")
	trustFile := f.String("trust", "", "a trust list JSON `FILE`")
	var trustIssuers, docs, algs multi
	f.Var(&trustIssuers, "trust-issuer", "trust this issuer `ID` (repeatable)")
	anyIssuer := f.Bool("accept-any-issuer", false, "accept every issuer whose signature verifies")
	at := f.String("at", "", "judge validity at this RFC 3339 `TIME` instead of now")
	skipStatus := f.Bool("skip-status", false, "accept a credentialStatus without checking it")
	f.Var(&docs, "did-document", "a DID document `FILE` to resolve locally (repeatable)")
	net := addNetFlags(f, "did:web resolution and status list fetches")
	var lists multi
	f.Var(&lists, "status-list", "serve the status list at `URL=FILE` from FILE (repeatable)")
	f.Var(&algs, "alg", "allow this `ALGORITHM` (repeatable; default EdDSA, ES256, ES384; ES256K must be named)")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one file or folder (or -), got %d arguments", len(pos))
	}
	if err := net.check(); err != nil {
		return err
	}
	want := vc.Expect{Nonce: *nonce, Audience: *audience, Challenge: *challenge, Domain: *domain}
	jwtBound := want.Nonce != "" && want.Audience != ""
	diBound := want.Challenge != "" && want.Domain != ""
	switch {
	case *isVP && !jwtBound && !diBound:
		return usagef("--presentation needs --nonce and --audience, or --challenge and --domain")
	case !*isVP && want != (vc.Expect{}):
		return usagef("--nonce, --audience, --challenge and --domain are for --presentation")
	case *anyIssuer && (*trustFile != "" || len(trustIssuers) > 0):
		return usagef("--accept-any-issuer contradicts --trust and --trust-issuer")
	case !*anyIssuer && *trustFile == "" && len(trustIssuers) == 0:
		return usagef("say whom to trust: --trust FILE, --trust-issuer ID or --accept-any-issuer")
	case *skipStatus && len(lists) > 0:
		return usagef("--skip-status contradicts --status-list")
	}
	opts := vc.VerifierOptions{AcceptAnyIssuer: *anyIssuer, SkipStatus: *skipStatus, Algorithms: algs}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usagef("--at: %v", err)
		}
		opts.Clock = func() time.Time { return t }
	}
	if !*anyIssuer {
		if opts.Trust, err = loadTrust(e, *trustFile, trustIssuers); err != nil {
			return err
		}
	}
	reg, err := registryFromFiles(e, docs, net)
	if err != nil {
		return err
	}
	opts.Resolver = reg
	if !*skipStatus {
		if opts.StatusFetcher, err = statusFetcher(e, lists, *net.allow); err != nil {
			return err
		}
	}
	v, err := vc.NewVerifier(opts)
	if err != nil {
		return err
	}
	if st, err := os.Stat(pos[0]); err == nil && st.IsDir() {
		return verifyDir(ctx, e, v, pos[0], *isVP, want)
	}
	data, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	if *isVP {
		vp, err := v.VerifyPresentation(ctx, data, want)
		if err != nil {
			return err
		}
		e.log.Info("verified presentation", "presentation", vp)
		out, err := presentationReport(vp)
		if err != nil {
			return err
		}
		if *f.json {
			return writeJSON(e.stdout, out)
		}
		printPresentation(e.stdout, out)
		return nil
	}
	cred, err := v.VerifyCredential(ctx, data)
	if err != nil {
		return err
	}
	e.log.Info("verified credential", "credential", cred)
	out, err := credentialReport(cred)
	if err != nil {
		return err
	}
	if *f.json {
		return writeJSON(e.stdout, struct {
			Verified bool   `json:"verified"`
			Kind     string `json:"kind"`
			*credReport
		}{true, "credential", out})
	}
	fmt.Fprintln(e.stdout, "VERIFIED credential")
	printCredential(e.stdout, out, "")
	return nil
}

// fileResult is what verify reports on one file of a folder.
type fileResult struct {
	File     string  `json:"file"`
	Verified bool    `json:"verified"`
	Error    *string `json:"error,omitempty"`
	Message  string  `json:"message,omitempty"`
	*credReport
	Presentation *presReport `json:"presentation,omitempty"`
}

// verifyDir verifies every file of dir, reports each and a summary, and fails when any
// file failed.
func verifyDir(ctx context.Context, e *env, v *vc.Verifier, dir string, isVP bool, want vc.Expect) error {
	files, err := listFiles(dir)
	if err != nil {
		return err
	}
	results := []fileResult{}
	failed := 0
	for i, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := fileResult{File: name}
		err := func() error {
			data, err := readInput(e, filepath.Join(dir, name))
			if err != nil {
				return err
			}
			if isVP {
				vp, err := v.VerifyPresentation(ctx, data, want)
				if err != nil {
					return err
				}
				r.Presentation, err = presentationReport(vp)
				return err
			}
			cred, err := v.VerifyCredential(ctx, data)
			if err != nil {
				return err
			}
			r.credReport, err = credentialReport(cred)
			return err
		}()
		if err != nil {
			failed++
			rep := errorReport(err)
			r.Error, r.Message = rep.Error, rep.Message
		} else {
			r.Verified = true
		}
		results = append(results, r)
		e.log.Info("progress", "done", i+1, "of", len(files), "file", name, "verified", r.Verified)
	}
	if e.json {
		if err := writeJSON(e.stdout, struct {
			Verified bool         `json:"verified"`
			Total    int          `json:"total"`
			Failed   int          `json:"failed"`
			Results  []fileResult `json:"results"`
		}{failed == 0, len(results), failed, results}); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			if r.Verified {
				what := "presentation"
				if r.credReport != nil {
					what = r.credReport.Format + " from " + r.credReport.Issuer
				}
				fmt.Fprintf(e.stdout, "VERIFIED  %s  (%s)\n", r.File, what)
				continue
			}
			name := "error"
			if r.Error != nil {
				name = *r.Error
			}
			fmt.Fprintf(e.stdout, "FAILED    %s  %s: %s\n", r.File, name, r.Message)
		}
		fmt.Fprintf(e.stdout, "%d verified, %d failed, %d in all\n", len(results)-failed, failed, len(results))
	}
	if failed > 0 {
		return &reportedError{msg: fmt.Sprintf("%d of %d files failed to verify", failed, len(results))}
	}
	return nil
}

// listFiles returns the names of the regular, not hidden, files of dir, sorted.
func listFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			continue
		}
		names = append(names, d.Name())
	}
	return names, nil
}

// statusFetcher serves the status lists of --status-list from their files and, with
// network, fetches the others over HTTPS; without either it is nil (no list can be had).
func statusFetcher(e *env, specs []string, network bool) (status.Fetcher, error) {
	l := &localLists{lists: map[string][]byte{}}
	for _, spec := range specs {
		i := strings.LastIndex(spec, "=")
		if i <= 0 || i == len(spec)-1 {
			return nil, usagef("--status-list %q: want URL=FILE", spec)
		}
		u, file := spec[:i], spec[i+1:]
		if p, err := url.Parse(u); err != nil || !p.IsAbs() || p.Host == "" {
			return nil, usagef("--status-list %q: %q is not an absolute URL", spec, u)
		}
		if _, dup := l.lists[u]; dup {
			return nil, usagef("--status-list: two files for %s", u)
		}
		data, err := readInput(e, file)
		if err != nil {
			return nil, err
		}
		l.lists[u] = data
		e.log.Info("local status list", "url", u, "file", displayName(file))
	}
	if network {
		f, err := status.NewHTTPFetcher(&http.Client{Timeout: webTimeout}, status.HTTPFetcherOptions{})
		if err != nil {
			return nil, err
		}
		l.next = f
	}
	if len(l.lists) == 0 && l.next == nil {
		return nil, nil
	}
	return l, nil
}

// localLists is a status.Fetcher of status lists held in local files; it passes other
// URLs to next, if any.
type localLists struct {
	lists map[string][]byte
	next  status.Fetcher
}

// Fetch implements status.Fetcher.
func (l *localLists) Fetch(ctx context.Context, u, accept string) ([]byte, error) {
	if data, ok := l.lists[u]; ok {
		return slices.Clone(data), nil
	}
	if l.next != nil {
		return l.next.Fetch(ctx, u, accept)
	}
	return nil, fmt.Errorf("no --status-list file for %s (and no --allow-network)", u)
}

// trustAny accepts an issuer that any of its members accepts.
type trustAny []vc.IssuerTrust

func (t trustAny) TrustIssuer(ctx context.Context, issuer string, types []string) error {
	var err error
	for _, m := range t {
		if err = m.TrustIssuer(ctx, issuer, types); err == nil {
			return nil
		}
	}
	return err
}

func loadTrust(e *env, file string, issuers []string) (vc.IssuerTrust, error) {
	var t trustAny
	if file != "" {
		data, err := readInput(e, file)
		if err != nil {
			return nil, err
		}
		list, err := vc.ParseTrustList(data)
		if err != nil {
			return nil, fmt.Errorf("reading the trust list in %s: %w", displayName(file), err)
		}
		t = append(t, list)
	}
	if len(issuers) > 0 {
		var entries []vc.TrustedIssuer
		for _, id := range issuers {
			entries = append(entries, vc.TrustedIssuer{ID: id})
		}
		list, err := vc.NewTrustList(entries...)
		if err != nil {
			return nil, usagef("--trust-issuer: %v", err)
		}
		t = append(t, list)
	}
	if len(t) == 1 {
		return t[0], nil
	}
	return t, nil
}

// credReport is what verify prints about one credential.
type credReport struct {
	Format     string          `json:"format"`
	Issuer     string          `json:"issuer"`
	Types      []string        `json:"types,omitempty"`
	Subjects   []string        `json:"subjects,omitempty"`
	ValidFrom  *time.Time      `json:"validFrom,omitempty"`
	ValidUntil *time.Time      `json:"validUntil,omitempty"`
	HolderKey  json.RawMessage `json:"holderKey,omitempty"`
	Proof      proofReport     `json:"proof"`
	Claims     map[string]any  `json:"claims"`
}

type proofReport struct {
	KeyID     string     `json:"keyId,omitempty"`
	Algorithm string     `json:"algorithm,omitempty"`
	Created   *time.Time `json:"created,omitempty"`
}

type presReport struct {
	Verified    bool          `json:"verified"`
	Kind        string        `json:"kind"`
	Format      string        `json:"format"`
	Holder      string        `json:"holder"`
	Proof       proofReport   `json:"proof"`
	Credentials []*credReport `json:"credentials"`
}

func credentialReport(c *vc.Verified) (*credReport, error) {
	r := &credReport{Format: string(c.Format()), Issuer: c.Issuer(), Types: c.Types(), Subjects: c.Subjects(),
		ValidFrom: c.ValidFrom(), ValidUntil: c.ValidUntil(), Proof: proof(c.Proof()), Claims: c.Claims()}
	var err error
	if r.HolderKey, err = jwkOf(c.Holder()); err != nil {
		return nil, err
	}
	return r, nil
}

func presentationReport(p *vc.VerifiedPresentation) (*presReport, error) {
	r := &presReport{Verified: true, Kind: "presentation", Format: string(p.Format()), Holder: p.Holder(),
		Proof: proof(p.Proof()), Credentials: []*credReport{}}
	for _, c := range p.Credentials() {
		cr, err := credentialReport(c)
		if err != nil {
			return nil, err
		}
		r.Credentials = append(r.Credentials, cr)
	}
	return r, nil
}

func proof(p vc.ProofInfo) proofReport {
	return proofReport{KeyID: p.KeyID, Algorithm: p.Algorithm, Created: p.Created}
}

func jwkOf(pub crypto.PublicKey) (json.RawMessage, error) {
	if pub == nil {
		return nil, nil
	}
	j, err := keys.JWK(pub)
	if err != nil {
		return nil, err
	}
	return j, nil
}

func printPresentation(w io.Writer, r *presReport) {
	fmt.Fprintln(w, "VERIFIED presentation")
	fmt.Fprintf(w, "format:      %s\n", r.Format)
	if r.Holder != "" {
		fmt.Fprintf(w, "holder:      %s\n", r.Holder)
	}
	printProof(w, r.Proof, "")
	for i, c := range r.Credentials {
		fmt.Fprintf(w, "\ncredential %d of %d\n", i+1, len(r.Credentials))
		printCredential(w, c, "  ")
	}
}

func printCredential(w io.Writer, c *credReport, indent string) {
	fmt.Fprintf(w, "%sformat:      %s\n", indent, c.Format)
	fmt.Fprintf(w, "%sissuer:      %s\n", indent, c.Issuer)
	if len(c.Types) > 0 {
		fmt.Fprintf(w, "%stypes:       %s\n", indent, strings.Join(c.Types, ", "))
	}
	if len(c.Subjects) > 0 {
		fmt.Fprintf(w, "%ssubjects:    %s\n", indent, strings.Join(c.Subjects, ", "))
	}
	if c.ValidFrom != nil {
		fmt.Fprintf(w, "%svalid from:  %s\n", indent, c.ValidFrom.Format(time.RFC3339))
	}
	if c.ValidUntil != nil {
		fmt.Fprintf(w, "%svalid until: %s\n", indent, c.ValidUntil.Format(time.RFC3339))
	}
	if c.HolderKey != nil {
		fmt.Fprintf(w, "%sholder key:  %s\n", indent, c.HolderKey)
	}
	printProof(w, c.Proof, indent)
	printClaims(w, c.Claims, indent)
}

func printProof(w io.Writer, p proofReport, indent string) {
	if p.KeyID != "" {
		fmt.Fprintf(w, "%skey id:      %s\n", indent, p.KeyID)
	}
	if p.Algorithm != "" {
		fmt.Fprintf(w, "%salgorithm:   %s\n", indent, p.Algorithm)
	}
	if p.Created != nil {
		fmt.Fprintf(w, "%screated:     %s\n", indent, p.Created.Format(time.RFC3339))
	}
}

func printClaims(w io.Writer, claims map[string]any, indent string) {
	b, err := json.MarshalIndent(claims, indent+"  ", "  ")
	if err != nil {
		fmt.Fprintf(w, "%sclaims:      (cannot be printed: %v)\n", indent, err)
		return
	}
	fmt.Fprintf(w, "%sclaims:\n%s  %s\n", indent, indent, b)
}

const inspectUsage = `usage: credence inspect [--json] FILE|-

Decodes a credential or presentation in any supported format WITHOUT verifying it: no
signature, trust, time or status check. Everything printed is what the document
claims, UNVERIFIED; use "credence verify" to learn what is true. For an SD-JWT, the
claims of every disclosure present are applied, and the disclosable claims are listed
as JSON Pointers.`

func cmdInspect(_ context.Context, e *env, args []string) error {
	f := newFlags("inspect", inspectUsage)
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one file (or -), got %d arguments", len(pos))
	}
	data, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	in, err := vc.Inspect(data)
	if err != nil {
		return err
	}
	kind := "credential"
	if in.Presentation != nil {
		kind = "presentation"
	}
	var disclosable []string
	for _, p := range in.Disclosable {
		disclosable = append(disclosable, pointer(p))
	}
	slices.Sort(disclosable)
	if *f.json {
		return writeJSON(e.stdout, struct {
			Verified    bool           `json:"verified"`
			Kind        string         `json:"kind"`
			Format      string         `json:"format"`
			Issuer      string         `json:"issuer,omitempty"`
			KeyID       string         `json:"keyId,omitempty"`
			Disclosable []string       `json:"disclosable,omitempty"`
			Claims      map[string]any `json:"claims"`
		}{false, kind, string(in.Format), in.Issuer, in.KeyID, disclosable, in.Claims})
	}
	w := e.stdout
	fmt.Fprintf(w, "UNVERIFIED %s: nothing below has been checked\n", kind)
	fmt.Fprintf(w, "format:      %s\n", in.Format)
	who := "issuer"
	if in.Presentation != nil {
		who = "holder"
	}
	if in.Issuer != "" {
		fmt.Fprintf(w, "%-12s %s (claimed)\n", who+":", in.Issuer)
	}
	if in.KeyID != "" {
		fmt.Fprintf(w, "key id:      %s (claimed)\n", in.KeyID)
	}
	if len(disclosable) > 0 {
		fmt.Fprintf(w, "disclosable: %s\n", strings.Join(disclosable, ", "))
	}
	printClaims(w, in.Claims, "")
	return nil
}
