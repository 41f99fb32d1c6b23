// Command credence issues, presents, verifies and inspects verifiable credentials from the
// command line: keys, DIDs, vc+jwt, VCDM 1.1 JWTs, Data Integrity and SD-JWT VCs, status
// lists, and matching of Presentation Exchange definitions and DCQL queries.
//
// Usage:
//
//	credence <command> [flags] [arguments]
//
// Run "credence --help" for the commands and "credence <command> --help" for each one.
// Exit codes: 0 success, 1 the operation or verification failed, 2 usage error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"
)

// maxInput bounds what is read from a file or stdin; the library applies its own, lower,
// limits to credentials (1 MiB by default).
const maxInput = 4 << 20

const usageText = `credence: issue, present, verify and inspect verifiable credentials

Usage:

  credence <command> [flags] [arguments]

Commands:

  keys generate    make a signing key (private JWK) and show its public key and DIDs
  did create       print the did:key or did:jwk of a key
  did resolve      resolve a DID and print the resolution result
  issue            sign a credential (vc+jwt, VCDM 1.1 JWT, Data Integrity, SD-JWT VC)
  present          make a presentation of credentials for a verifier
  verify           verify a credential or a presentation
  inspect          decode a credential or presentation WITHOUT verifying it
  match            which credentials of a folder answer a PEX definition or DCQL query
  status create    make a status list (Bitstring Status List or Token Status List)
  status allocate  take a fresh index of a status list for a new credential
  status set       set a credential's status (revoke or suspend it)
  status clear     clear a credential's status
  status publish   sign the status list credential (or Status List Token) to serve
  status check     check a credential's status against a status list file

Run "credence <command> --help" for the flags of a command. Flags may come before or
after the arguments; "-" as a file name means standard input. Every command takes
--json (machine-readable output) and --verbose (progress on stderr).

Exit codes:

  0  success (for verify: everything verified)
  1  the operation or the verification failed
  2  usage error (unknown command or flag, missing or contradictory flags)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a command runs with.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	// json, once a command has parsed its flags, says that a failure is also reported on
	// stdout as a JSON object.
	json bool
}

// command is one subcommand.
type command struct {
	name string
	run  func(ctx context.Context, e *env, args []string) error
}

var commands = []command{
	{"keys generate", cmdKeysGenerate},
	{"did create", cmdDIDCreate},
	{"did resolve", cmdDIDResolve},
	{"issue", cmdIssue},
	{"present", cmdPresent},
	{"verify", cmdVerify},
	{"inspect", cmdInspect},
	{"match", cmdMatch},
	{"status create", cmdStatusCreate},
	{"status allocate", cmdStatusAllocate},
	{"status set", cmdStatusSet},
	{"status clear", cmdStatusClear},
	{"status publish", cmdStatusPublish},
	{"status check", cmdStatusCheck},
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// reportedError is a failure whose details the command has already printed (a batch
// with some failures): exit code 1, one line on stderr, and no JSON error object on
// stdout, which already holds the command's report.
type reportedError struct{ msg string }

func (r *reportedError) Error() string { return r.msg }

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, log: slog.New(slog.DiscardHandler)}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usageText)
		return 0
	}
	var cmd *command
	rest := args[1:]
	for i := range commands {
		group, sub, ok := strings.Cut(commands[i].name, " ")
		if !ok && args[0] == group {
			cmd = &commands[i]
			break
		}
		if ok && args[0] == group && len(args) > 1 && args[1] == sub {
			cmd, rest = &commands[i], args[2:]
			break
		}
	}
	if cmd == nil {
		return groupUsage(args, stdout, stderr)
	}
	err := cmd.run(ctx, e, rest)
	var ue *usageError
	var re *reportedError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &re):
		fmt.Fprintf(stderr, "credence %s: %s\n", cmd.name, oneLine(re.msg))
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "credence %s: %s (see \"credence %s --help\")\n", cmd.name, oneLine(ue.msg), cmd.name)
		return 2
	default:
		if e.json {
			writeJSON(stdout, errorReport(err))
		}
		fmt.Fprintf(stderr, "credence %s: %s\n", cmd.name, oneLine(err.Error()))
		return 1
	}
}

// groupUsage answers a command line that names no command: help for a group such as
// "credence keys --help", or a usage error.
func groupUsage(args []string, stdout, stderr io.Writer) int {
	var subs []string
	for _, c := range commands {
		if group, sub, ok := strings.Cut(c.name, " "); ok && group == args[0] {
			subs = append(subs, sub)
		}
	}
	if len(subs) == 0 {
		fmt.Fprintf(stderr, "credence: unknown command %q (see \"credence --help\")\n", args[0])
		return 2
	}
	msg := fmt.Sprintf("usage: credence %s <%s> [flags]\n", args[0], strings.Join(subs, "|"))
	if len(args) > 1 && isHelp(args[1]) {
		fmt.Fprint(stdout, msg)
		return 0
	}
	if len(args) > 1 {
		fmt.Fprintf(stderr, "credence %s: unknown command %q; %s", args[0], args[1], msg)
	} else {
		fmt.Fprintf(stderr, "credence %s: missing command; %s", args[0], msg)
	}
	return 2
}

func isHelp(s string) bool {
	return s == "-h" || s == "-help" || s == "--help" || s == "help"
}

// errorReport is the JSON form of a failure: the sentinel it wraps (null when none) and
// the message.
func errorReport(err error) errReport {
	var name *string
	if n := sentinelName(err); n != "" {
		name = &n
	}
	return errReport{name, oneLine(err.Error())}
}

// errReport is the JSON form of a failure.
type errReport struct {
	Error   *string `json:"error"`
	Message string  `json:"message"`
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flags is a command's flag set with the flags every command has.
type flags struct {
	*flag.FlagSet
	name    string
	usage   string
	json    *bool
	verbose *bool
}

func newFlags(name, usage string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := &flags{FlagSet: fs, name: name, usage: usage}
	f.json = fs.Bool("json", false, "machine-readable output (and errors as JSON on stdout)")
	f.verbose = fs.Bool("verbose", false, "progress on stderr")
	return f
}

// parse parses args, with flags allowed between the positional arguments, and sets up e.
// It returns the positional arguments; --help is flag.ErrHelp after printing the usage.
func (f *flags) parse(e *env, args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage(e.stdout)
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	e.json = *f.json
	if *f.verbose {
		e.log = slog.New(slog.NewTextHandler(e.stderr, nil))
	}
	return pos, nil
}

func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nFlags:\n\n", f.usage)
	f.SetOutput(w)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
	fmt.Fprint(w, "\nExit codes: 0 success, 1 failure, 2 usage error.\n")
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// readInput reads a file, or stdin for "-", within maxInput.
func readInput(e *env, name string) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = e.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", displayName(name), err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", displayName(name), maxInput)
	}
	e.log.Info("read input", "from", displayName(name), "bytes", len(data))
	return bytes.TrimSpace(data), nil
}

func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeLine prints a token or document followed by a newline.
func writeLine(w io.Writer, data []byte) error {
	if _, err := w.Write(data); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// wholeSeconds is the clock of what the tool signs: JWT iat claims in whole seconds, the
// form every JWT library reads (RFC 7519 allows fractions, but not all verifiers do).
func wholeSeconds() time.Time { return time.Now().Truncate(time.Second) }
