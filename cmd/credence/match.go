package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/credence-dev/credence/pex"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

const matchUsage = `usage: credence match (--pex FILE | --dcql FILE) [--json] DIR|FILE...

Evaluates a verifier's request against a wallet's credentials: a DIF Presentation
Exchange v2 presentation definition (--pex) or an OpenID4VP DCQL query (--dcql),
against every credential file of the folder DIR (hidden files aside), or the files
named. Each file may hold a credential in any supported format; a file that is not a
credential is listed as skipped. Nothing is verified: matching works on what the
credentials claim (see "credence inspect").

It prints, per input descriptor (PEX) or credential query (DCQL), which credentials
match and which claims presenting them would disclose (as JSON Pointers): for an SD-JWT
only the claims named, for the other formats the whole credential. Then the answer a
wallet would send: the presentation_submission (PEX), or the credentials per query
(DCQL). Exit code 0 when the request can be satisfied, 1 when it cannot (with the
reasons; with --json {"error": "ErrNoMatch", ...}). --verbose shows progress on stderr.

PEX paths apply to the credential as issued: $.vc.credentialSubject for a VCDM 1.1
JWT, $.credentialSubject for a VCDM 2.0 one, the claims for an SD-JWT VC. DCQL claims
paths start at the credential (the vc claim of a VCDM 1.1 JWT).`

// wallet is a folder's credentials as matching sees them.
type wallet struct {
	files   []string
	inspect map[string]*vc.Inspected
	raw     map[string][]byte
	skipped []skipped
}

type skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

func cmdMatch(_ context.Context, e *env, args []string) error {
	f := newFlags("match", matchUsage)
	pexFile := f.String("pex", "", "a presentation definition JSON `FILE`")
	dcqlFile := f.String("dcql", "", "a DCQL query JSON `FILE`")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	switch {
	case (*pexFile == "") == (*dcqlFile == ""):
		return usagef("give one of --pex FILE and --dcql FILE")
	case len(pos) == 0:
		return usagef("expected a folder of credentials (or credential files)")
	}
	var def *pex.Definition
	var query *dcql.Query
	if *pexFile != "" {
		data, err := readInput(e, *pexFile)
		if err != nil {
			return err
		}
		if def, err = pex.ParseDefinition(unwrapDefinition(data)); err != nil {
			return fmt.Errorf("reading the presentation definition in %s: %w", displayName(*pexFile), err)
		}
	} else {
		data, err := readInput(e, *dcqlFile)
		if err != nil {
			return err
		}
		if query, err = dcql.ParseQuery(unwrapQuery(data)); err != nil {
			return fmt.Errorf("reading the DCQL query in %s: %w", displayName(*dcqlFile), err)
		}
	}
	w, err := loadWallet(e, pos)
	if err != nil {
		return err
	}
	if def != nil {
		return matchPEX(e, def, w)
	}
	return matchDCQL(e, query, w)
}

// unwrapDefinition accepts {"presentation_definition": {...}} as well as the definition.
func unwrapDefinition(data []byte) []byte {
	return unwrap(data, "presentation_definition")
}

// unwrapQuery accepts {"dcql_query": {...}} as well as the query.
func unwrapQuery(data []byte) []byte {
	return unwrap(data, "dcql_query")
}

func unwrap(data []byte, member string) []byte {
	var env map[string]json.RawMessage
	if json.Unmarshal(data, &env) == nil && len(env) == 1 && env[member] != nil {
		return env[member]
	}
	return data
}

// loadWallet reads the credentials of the folders and files in args.
func loadWallet(e *env, args []string) (*wallet, error) {
	var paths []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			names, err := listFiles(a)
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				paths = append(paths, filepath.Join(a, n))
			}
			continue
		}
		paths = append(paths, a)
	}
	w := &wallet{inspect: map[string]*vc.Inspected{}, raw: map[string][]byte{}}
	for i, p := range paths {
		if _, dup := w.raw[p]; dup {
			continue
		}
		data, err := readInput(e, p)
		if err != nil {
			return nil, err
		}
		in, err := vc.Inspect(data)
		switch {
		case err != nil:
			w.skipped = append(w.skipped, skipped{p, oneLine(err.Error())})
		case in.Presentation != nil:
			w.skipped = append(w.skipped, skipped{p, "a presentation, not a credential"})
		default:
			w.files = append(w.files, p)
			w.inspect[p], w.raw[p] = in, data
		}
		if (i+1)%100 == 0 || i+1 == len(paths) {
			e.log.Info("progress", "read", i+1, "of", len(paths), "credentials", len(w.files))
		}
	}
	return w, nil
}

// selective reports whether in can disclose only some of its claims.
func selective(in *vc.Inspected) bool {
	return in.Format == vc.FormatSDJWTVC || in.Format == vc.FormatSDJWT
}

// pexFormats lists the claim format designations of PEX v2 for a credential's format,
// the usual one first.
func pexFormats(f vc.Format) []string {
	switch f {
	case vc.FormatJWT:
		return []string{"jwt_vc_json", "jwt_vc", "vc+jwt"}
	case vc.FormatJWT11:
		return []string{"jwt_vc_json", "jwt_vc"}
	case vc.FormatDataIntegrity:
		return []string{"ldp_vc", "di_vc"}
	case vc.FormatSDJWTVC:
		return []string{"dc+sd-jwt", "vc+sd-jwt"}
	case vc.FormatSDJWT:
		return []string{"vc+sd-jwt"}
	}
	return []string{string(f)}
}

// pexFormat picks the designation for f that def asks for (anywhere), or the usual one.
func pexFormat(def *pex.Definition, f vc.Format) string {
	names := pexFormats(f)
	for _, n := range names {
		if _, ok := def.Format[n]; ok {
			return n
		}
		for _, d := range def.InputDescriptors {
			if _, ok := d.Format[n]; ok {
				return n
			}
		}
	}
	return names[0]
}

// pexClaims is the credential as issued, as PEX paths see it: the JWT claims of a VCDM
// 1.1 JWT (so $.vc.credentialSubject), the document otherwise.
func pexClaims(in *vc.Inspected, raw []byte) map[string]any {
	if in.Format != vc.FormatJWT11 {
		return in.Claims
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) == 3 {
		if payload, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(payload))
			dec.UseNumber()
			if dec.Decode(&m) == nil {
				return m
			}
		}
	}
	return map[string]any{"vc": in.Claims}
}

type pexMatchReport struct {
	Credential      string   `json:"credential"`
	Format          string   `json:"format"`
	Disclose        []string `json:"disclose"`
	Optional        []string `json:"optional,omitempty"`
	Limited         bool     `json:"limited"`
	WholeCredential bool     `json:"wholeCredential"`
}

type rejectReport struct {
	Credential string `json:"credential,omitempty"`
	Reason     string `json:"reason"`
	Path       string `json:"path,omitempty"`
}

func matchPEX(e *env, def *pex.Definition, w *wallet) error {
	var cands []pex.Candidate
	for _, p := range w.files {
		in := w.inspect[p]
		cands = append(cands, pex.Candidate{ID: p, Format: pexFormat(def, in.Format), Claims: pexClaims(in, w.raw[p]),
			SelectiveDisclosure: selective(in)})
	}
	res, err := pex.Evaluate(def, cands)
	if err != nil {
		return noMatch(e, err, w)
	}
	type descReport struct {
		ID       string           `json:"id"`
		Name     string           `json:"name,omitempty"`
		Purpose  string           `json:"purpose,omitempty"`
		Matches  []pexMatchReport `json:"matches"`
		Rejected []rejectReport   `json:"rejected,omitempty"`
	}
	var descs []descReport
	for i, d := range res.Descriptors {
		id := def.InputDescriptors[i]
		dr := descReport{ID: d.ID, Name: id.Name, Purpose: id.Purpose, Matches: []pexMatchReport{}}
		for _, m := range d.Matches {
			dr.Matches = append(dr.Matches, pexMatch(w, m))
		}
		for _, r := range d.Rejected {
			dr.Rejected = append(dr.Rejected, rejectReport{Credential: r.CandidateID, Reason: r.Reason})
		}
		descs = append(descs, dr)
	}
	sub, order := res.Submission("submission-" + def.ID)
	selected := []pexMatchReport{}
	for _, s := range res.Selected {
		selected = append(selected, pexMatch(w, s.Match))
	}
	if e.json {
		return writeJSON(e.stdout, struct {
			Satisfied   bool             `json:"satisfied"`
			Definition  string           `json:"definition"`
			Descriptors []descReport     `json:"descriptors"`
			Selected    []pexMatchReport `json:"selected"`
			Submission  *pex.Submission  `json:"presentation_submission"`
			Present     []string         `json:"present"`
			Skipped     []skipped        `json:"skipped,omitempty"`
		}{true, def.ID, descs, selected, sub, order, w.skipped})
	}
	out := e.stdout
	fmt.Fprintf(out, "presentation definition %s: satisfied by %d of %d credentials\n", def.ID, len(order), len(w.files))
	for _, d := range descs {
		fmt.Fprintf(out, "\ninput descriptor %s%s\n", d.ID, label(d.Name, d.Purpose))
		for _, m := range d.Matches {
			fmt.Fprintf(out, "  MATCH  %s (%s)\n", m.Credential, m.Format)
			printDisclosure(out, m.WholeCredential, m.Disclose, m.Optional)
		}
		for _, r := range d.Rejected {
			fmt.Fprintf(out, "  no     %s: %s\n", r.Credential, r.Reason)
		}
	}
	fmt.Fprintln(out, "\nto present:")
	for _, s := range res.Selected {
		fmt.Fprintf(out, "  %s <- %s\n", s.DescriptorID, s.Match.CandidateID)
	}
	printSkipped(out, w.skipped)
	return nil
}

func pexMatch(w *wallet, m pex.Match) pexMatchReport {
	in := w.inspect[m.CandidateID]
	return pexMatchReport{Credential: m.CandidateID, Format: m.Format, Disclose: pointers(m.Disclose),
		Optional: pointers(m.Optional), Limited: m.Limited, WholeCredential: !m.Limited || !selective(in)}
}

func label(name, purpose string) string {
	var parts []string
	for _, p := range []string{name, purpose} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ": ") + ")"
}

func printDisclosure(out io.Writer, whole bool, disclose, optional []string) {
	switch {
	case whole:
		fmt.Fprintf(out, "         discloses the whole credential (the request reads %s)\n", orNothing(disclose))
	default:
		fmt.Fprintf(out, "         discloses only %s\n", orNothing(disclose))
	}
	if len(optional) > 0 {
		fmt.Fprintf(out, "         may add %s\n", strings.Join(optional, ", "))
	}
}

func orNothing(ps []string) string {
	if len(ps) == 0 {
		return "nothing"
	}
	return strings.Join(ps, ", ")
}

func printSkipped(out io.Writer, sk []skipped) {
	for _, s := range sk {
		fmt.Fprintf(out, "skipped %s: %s\n", s.File, s.Reason)
	}
}

func pointers(paths [][]any) []string {
	out := []string{}
	for _, p := range paths {
		out = append(out, pointer(p))
	}
	return out
}

// noMatch reports a request that cannot be satisfied: the reasons go into the error,
// which the JSON output names ErrNoMatch.
func noMatch(e *env, err error, w *wallet) error {
	for _, s := range w.skipped {
		e.log.Info("skipped", "file", s.File, "reason", s.Reason)
	}
	var pe *pex.NoMatchError
	var de *dcql.NoMatchError
	var reasons []string
	switch {
	case errors.As(err, &pe):
		reasons = pe.Reasons
	case errors.As(err, &de):
		reasons = de.Reasons
	default:
		return err
	}
	return fmt.Errorf("no match among %d credentials: %s: %w", len(w.files), strings.Join(reasons, "; "), vc.ErrNoMatch)
}

type dcqlMatchReport struct {
	Credential      string   `json:"credential"`
	Format          string   `json:"format"`
	ClaimSet        int      `json:"claimSet"`
	Disclose        []string `json:"disclose"`
	AlwaysVisible   []string `json:"alwaysVisible,omitempty"`
	WholeCredential bool     `json:"wholeCredential"`
}

func matchDCQL(e *env, q *dcql.Query, w *wallet) error {
	var creds []dcql.Credential
	formats := map[string]string{}
	for _, p := range w.files {
		c, err := presentation.DCQLCredential(p, w.raw[p])
		if err != nil {
			w.skipped = append(w.skipped, skipped{p, oneLine(err.Error())})
			continue
		}
		creds, formats[p] = append(creds, c), c.Format
	}
	res, err := dcql.Evaluate(q, creds)
	if err != nil {
		return noMatch(e, err, w)
	}
	type queryReport struct {
		ID       string            `json:"id"`
		Format   string            `json:"format"`
		Matches  []dcqlMatchReport `json:"matches"`
		Rejected []rejectReport    `json:"rejected,omitempty"`
	}
	var queries []queryReport
	for i, qr := range res.Queries {
		rep := queryReport{ID: qr.ID, Format: q.Credentials[i].Format, Matches: []dcqlMatchReport{}}
		for _, m := range qr.Matches {
			rep.Matches = append(rep.Matches, dcqlMatch(w, formats, m.CredentialID, m.ClaimSet, m.Disclose, m.AlwaysVisible))
		}
		for _, r := range qr.Rejected {
			rr := rejectReport{Credential: r.CredentialID, Reason: r.Reason}
			if r.Path != nil {
				rr.Path = pointer(r.Path)
			}
			rep.Rejected = append(rep.Rejected, rr)
		}
		queries = append(queries, rep)
	}
	response := map[string][]dcqlMatchReport{}
	var ids []string
	for id, ps := range res.Response() {
		ids = append(ids, id)
		for _, p := range ps {
			response[id] = append(response[id], dcqlMatch(w, formats, p.CredentialID, -1, p.Disclose, nil))
		}
	}
	slices.Sort(ids)
	if e.json {
		return writeJSON(e.stdout, struct {
			Satisfied bool                         `json:"satisfied"`
			Queries   []queryReport                `json:"queries"`
			Response  map[string][]dcqlMatchReport `json:"response"`
			Skipped   []skipped                    `json:"skipped,omitempty"`
		}{true, queries, response, w.skipped})
	}
	out := e.stdout
	fmt.Fprintf(out, "DCQL query: satisfied (%d credential queries, %d credentials)\n", len(queries), len(creds))
	for _, qr := range queries {
		fmt.Fprintf(out, "\ncredential query %s (%s)\n", qr.ID, qr.Format)
		for _, m := range qr.Matches {
			fmt.Fprintf(out, "  MATCH  %s\n", m.Credential)
			printDisclosure(out, m.WholeCredential, m.Disclose, nil)
			if len(m.AlwaysVisible) > 0 {
				fmt.Fprintf(out, "         visible in any case: %s\n", strings.Join(m.AlwaysVisible, ", "))
			}
		}
		for _, r := range qr.Rejected {
			at := ""
			if r.Path != "" {
				at = " at " + r.Path
			}
			fmt.Fprintf(out, "  no     %s: %s%s\n", r.Credential, r.Reason, at)
		}
	}
	fmt.Fprintln(out, "\nto present:")
	for _, id := range ids {
		for _, m := range response[id] {
			fmt.Fprintf(out, "  %s <- %s\n", id, m.Credential)
		}
	}
	printSkipped(out, w.skipped)
	return nil
}

func dcqlMatch(w *wallet, formats map[string]string, id string, set int, disclose, visible [][]any) dcqlMatchReport {
	in := w.inspect[id]
	return dcqlMatchReport{Credential: id, Format: formats[id], ClaimSet: set, Disclose: pointers(disclose),
		AlwaysVisible: pointers(visible), WholeCredential: !selective(in)}
}
