// Command wallet is a file-based credential wallet. It keeps the holder's key and
// credentials in a folder, shows before every presentation exactly which claims go to
// which verifier and asks for consent, and keeps a log of what was shared with whom and
// when, without the values.
//
// Usage:
//
//	wallet [--dir DIR] init
//	wallet [--dir DIR] add [--name NAME] FILE|-
//	wallet [--dir DIR] list
//	wallet [--dir DIR] present --verifier ID --nonce N [--disclose PATH ...] [--yes] NAME...
//	wallet [--dir DIR] log
//	wallet [--dir DIR] delete NAME
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

const usage = `usage: wallet [--dir DIR] <command> [flags]

  init                       make the holder key and print its DID
  add [--name NAME] FILE|-   store a credential (any format; it is not verified)
  list                       list the stored credentials
  present --verifier ID --nonce N [--disclose PATH ...] [--yes] NAME...
                             show what would be shared, ask, then print the presentation
  log                        what was shared with whom, and when (no values)
  delete NAME                remove a credential

DIR defaults to ./wallet. --disclose takes JSON Pointers into an SD-JWT's claims, such as
/age_equal_or_over/18; other formats disclose the whole credential.
`

const maxCredential = 1 << 20

// namePattern keeps credential names to plain file names.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// wallet is the folder: DIR/holder.jwk, DIR/credentials/NAME, DIR/log.jsonl.
type wallet struct {
	dir string
	now func() time.Time
}

func (w *wallet) keyFile() string          { return filepath.Join(w.dir, "holder.jwk") }
func (w *wallet) credFile(n string) string { return filepath.Join(w.dir, "credentials", n) }
func (w *wallet) logFile() string          { return filepath.Join(w.dir, "log.jsonl") }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wallet", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("dir", "wallet", "the wallet folder")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprint(stderr, usage)
		return 2
	}
	w := &wallet{dir: *dir, now: time.Now}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	var err error
	switch cmd {
	case "init":
		err = w.init(stdout)
	case "add":
		err = w.add(rest, stdin, stdout)
	case "list":
		err = w.list(stdout)
	case "present":
		err = w.present(ctx, rest, stdin, stdout, stderr)
	case "log":
		err = w.printLog(stdout)
	case "delete":
		err = w.delete(rest, stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "wallet %s: %s\n", cmd, ue.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "wallet %s: %s\n", cmd, strings.Join(strings.Fields(err.Error()), " "))
		return 1
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func (w *wallet) init(stdout io.Writer) error {
	if err := os.MkdirAll(filepath.Join(w.dir, "credentials"), 0o700); err != nil {
		return err
	}
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return err
	}
	priv, err := keys.PrivateJWK(s)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(w.keyFile(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%w (a wallet is initialised once)", err)
	}
	if _, err := f.Write(priv); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	pub, err := keys.JWK(s.Public())
	if err != nil {
		return err
	}
	id, err := key.Create(s.Public())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "holder DID: %s\nholder key: %s\n", id, pub)
	return nil
}

// holder loads the holder's key and its did:key verification method.
func (w *wallet) holder() (*presentation.Holder, error) {
	data, err := os.ReadFile(w.keyFile())
	if err != nil {
		return nil, fmt.Errorf("%w (run \"wallet init\" first)", err)
	}
	s, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, err
	}
	id, err := key.Create(s.Public())
	if err != nil {
		return nil, err
	}
	return presentation.NewHolder(s, id+"#"+strings.TrimPrefix(id, "did:key:"), presentation.HolderOptions{})
}

func (w *wallet) add(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "the name to store it under (default: from the file name)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return usageError{"usage: wallet add [--name NAME] FILE|-"}
	}
	var r io.Reader = stdin
	if file := fs.Arg(0); file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
		if *name == "" {
			*name = filepath.Base(file)
		}
	}
	if !namePattern.MatchString(*name) {
		return usageError{"--name must be a plain file name (letters, digits, . _ -)"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxCredential+1))
	if err != nil {
		return err
	}
	data = bytes.TrimSpace(data)
	in, err := vc.Inspect(data)
	if err != nil {
		return fmt.Errorf("not a credential: %w", err)
	}
	if in.Presentation != nil {
		return errors.New("that is a presentation, not a credential")
	}
	if err := os.MkdirAll(filepath.Join(w.dir, "credentials"), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(w.credFile(*name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "stored %s: %s from %s (not verified)\n", *name, in.Format, in.Issuer)
	return nil
}

func (w *wallet) load(name string) ([]byte, *vc.Inspected, error) {
	if !namePattern.MatchString(name) {
		return nil, nil, usageError{fmt.Sprintf("%q is not a credential name", name)}
	}
	data, err := os.ReadFile(w.credFile(name))
	if err != nil {
		return nil, nil, err
	}
	in, err := vc.Inspect(data)
	return data, in, err
}

func (w *wallet) names() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(w.dir, "credentials"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && namePattern.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func (w *wallet) list(stdout io.Writer) error {
	names, err := w.names()
	if err != nil {
		return err
	}
	for _, n := range names {
		_, in, err := w.load(n)
		if err != nil {
			fmt.Fprintf(stdout, "%s: unreadable: %v\n", n, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: %s from %s\n", n, in.Format, in.Issuer)
		var sd []string
		for _, p := range in.Disclosable {
			sd = append(sd, pointer(p))
		}
		if len(sd) > 0 {
			slices.Sort(sd)
			fmt.Fprintf(stdout, "  selectively disclosable: %s\n", strings.Join(sd, ", "))
		}
	}
	return nil
}

func (w *wallet) delete(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return usageError{"usage: wallet delete NAME"}
	}
	if !namePattern.MatchString(args[0]) {
		return usageError{fmt.Sprintf("%q is not a credential name", args[0])}
	}
	if err := os.Remove(w.credFile(args[0])); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %s\n", args[0])
	return nil
}

// shared is one credential of a presentation as the log keeps it: what and from whom,
// and the names of the claims the verifier sees, never their values.
type shared struct {
	Name   string   `json:"name"`
	Format string   `json:"format"`
	Issuer string   `json:"issuer"`
	Claims []string `json:"claims"`
}

// logEntry is one line of the log.
type logEntry struct {
	Time        time.Time `json:"time"`
	Verifier    string    `json:"verifier"`
	Credentials []shared  `json:"credentials"`
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func (w *wallet) present(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("present", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verifier := fs.String("verifier", "", "the verifier's identifier (the audience; the domain for Data Integrity)")
	nonce := fs.String("nonce", "", "the verifier's nonce (the challenge for Data Integrity)")
	var disclose multi
	fs.Var(&disclose, "disclose", "SD-JWT: a JSON Pointer of a claim to reveal (repeatable)")
	yes := fs.Bool("yes", false, "share without asking")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 || *verifier == "" || *nonce == "" {
		return usageError{"usage: wallet present --verifier ID --nonce N [--disclose PATH ...] [--yes] NAME..."}
	}
	h, err := w.holder()
	if err != nil {
		return err
	}
	var creds [][]byte
	var ins []*vc.Inspected
	for _, n := range fs.Args() {
		data, in, err := w.load(n)
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		creds, ins = append(creds, data), append(ins, in)
	}
	sd := ins[0].Format == vc.FormatSDJWTVC || ins[0].Format == vc.FormatSDJWT
	if sd && len(creds) > 1 {
		return usageError{"an SD-JWT credential is presented alone"}
	}
	if !sd && len(disclose) > 0 {
		return usageError{"--disclose is for one SD-JWT credential; other formats disclose everything"}
	}
	// Build the presentation first, then read back what it discloses: what is shown is
	// exactly what would be sent.
	var vp []byte
	var sharing []shared
	if sd {
		paths := []vc.ClaimPath{}
		for _, p := range disclose {
			path, err := parsePointer(p, ins[0].Claims)
			if err != nil {
				return err
			}
			paths = append(paths, path)
		}
		if vp, err = h.Disclose(ctx, creds[0], paths, presentation.Request{Nonce: *nonce, Audience: *verifier}); err != nil {
			return err
		}
		seen, err := vc.Inspect(vp)
		if err != nil {
			return err
		}
		sharing = []shared{{Name: fs.Arg(0), Format: string(ins[0].Format), Issuer: ins[0].Issuer, Claims: leaves(seen.Claims)}}
	} else {
		req := presentation.Request{Nonce: *nonce, Audience: *verifier}
		switch ins[0].Format {
		case vc.FormatJWT11:
			req.Format = vc.FormatJWT11
		case vc.FormatDataIntegrity:
			req = presentation.Request{Challenge: *nonce, Domain: *verifier, Format: vc.FormatDataIntegrity}
		}
		if vp, err = h.Present(ctx, creds, req); err != nil {
			return err
		}
		for i, in := range ins {
			sharing = append(sharing, shared{Name: fs.Arg(i), Format: string(in.Format), Issuer: in.Issuer, Claims: leaves(in.Claims)})
		}
	}
	fmt.Fprintf(stderr, "The verifier %s would receive:\n", *verifier)
	for _, s := range sharing {
		fmt.Fprintf(stderr, "  from %s (%s, issued by %s):\n", s.Name, s.Format, s.Issuer)
		for _, c := range s.Claims {
			fmt.Fprintf(stderr, "    %s\n", c)
		}
	}
	fmt.Fprintf(stderr, "and proof that you hold the key these credentials are bound to.\n")
	if !*yes {
		fmt.Fprintf(stderr, "Share with %s? [y/N] ", *verifier)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return errors.New("not shared: no consent")
		}
	}
	if err := w.appendLog(logEntry{Time: w.now().UTC(), Verifier: *verifier, Credentials: sharing}); err != nil {
		return fmt.Errorf("not shared: the log could not be written: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%s\n", vp)
	return err
}

func (w *wallet) appendLog(e logEntry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(w.logFile(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (w *wallet) printLog(stdout io.Writer) error {
	data, err := os.ReadFile(w.logFile())
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stdout, "nothing shared yet")
		return nil
	}
	if err != nil {
		return err
	}
	for line := range strings.Lines(string(data)) {
		var e logEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return fmt.Errorf("the log is damaged: %w", err)
		}
		for _, s := range e.Credentials {
			fmt.Fprintf(stdout, "%s  to %s  %s (%s from %s): %s\n", e.Time.Format(time.RFC3339), e.Verifier,
				s.Name, s.Format, s.Issuer, strings.Join(s.Claims, ", "))
		}
	}
	return nil
}

// leaves lists the JSON Pointers of every value in claims that is not an object or a
// non-empty array: the claims, as names, that a verifier sees.
func leaves(claims map[string]any) []string {
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch t := v.(type) {
		case map[string]any:
			if len(t) == 0 {
				out = append(out, prefix)
			}
			for k, e := range t {
				walk(prefix+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), e)
			}
		case []any:
			if len(t) == 0 {
				out = append(out, prefix)
			}
			for i, e := range t {
				walk(prefix+"/"+strconv.Itoa(i), e)
			}
		default:
			out = append(out, prefix)
		}
	}
	walk("", claims)
	slices.Sort(out)
	return out
}

// parsePointer reads a JSON Pointer into claims as a claim path: a segment is an array
// index when it applies to an array, a member name otherwise. The claim must exist.
func parsePointer(p string, claims map[string]any) (vc.ClaimPath, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, usageError{fmt.Sprintf("--disclose %q: a JSON Pointer starts with /", p)}
	}
	var path vc.ClaimPath
	var cur any = claims
	for _, seg := range strings.Split(p[1:], "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg]
			if !ok {
				return nil, fmt.Errorf("--disclose %s: the credential has no claim %q", p, seg)
			}
			path, cur = append(path, seg), next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("--disclose %s: %q is not an index of the array", p, seg)
			}
			path, cur = append(path, i), v[i]
		default:
			return nil, fmt.Errorf("--disclose %s: %q goes inside a plain value", p, seg)
		}
	}
	return path, nil
}

// pointer writes a claim path as a JSON Pointer.
func pointer(p vc.ClaimPath) string {
	var b strings.Builder
	for _, c := range p {
		b.WriteByte('/')
		switch v := c.(type) {
		case nil:
			b.WriteByte('*')
		case string:
			b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}
