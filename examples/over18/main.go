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
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
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
}

type report struct {
	Parties []party `json:"parties"`
	OK      bool    `json:"ok"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("over18", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a machine-readable report instead of text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: over18 [--json]")
		fmt.Fprintln(stderr, "\nRuns the over-18 flow offline: issuer, holder and verifier identities are created and resolved.")
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
		return 0
	}
	printText(stdout, rep)
	return 0
}

// flow creates the three identities and checks that each resolves, offline, to a key
// authorised for what that party will do.
func flow(ctx context.Context) (*report, error) {
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

	actors := []struct {
		role, name string
		kt         keys.KeyType
		create     func(crypto.PublicKey) (string, error)
		rel        did.Relationship
	}{
		{"issuer", "Ministry of the Interior", keys.Ed25519, key.Create, did.AssertionMethod},
		{"holder", "Alice's wallet", keys.P256, jwk.Create, did.Authentication},
		{"verifier", "Corner Shop", keys.Ed25519, key.Create, did.Authentication},
	}
	rep := &report{OK: true}
	for _, a := range actors {
		signer, err := keys.Generate(a.kt)
		if err != nil {
			return nil, fmt.Errorf("%s key: %w", a.role, err)
		}
		id, err := a.create(signer.Public())
		if err != nil {
			return nil, fmt.Errorf("%s DID: %w", a.role, err)
		}
		res, err := reg.Resolve(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("resolving the %s: %w", a.role, err)
		}
		methods, err := res.Document.Methods(a.rel)
		if err != nil || len(methods) == 0 {
			return nil, fmt.Errorf("the %s's document has no %s key: %v", a.role, a.rel, err)
		}
		vm, err := reg.Dereference(ctx, methods[0].ID, a.rel)
		if err != nil {
			return nil, fmt.Errorf("dereferencing the %s's key: %w", a.role, err)
		}
		pub, err := vm.PublicKey()
		if err != nil {
			return nil, fmt.Errorf("the %s's key: %w", a.role, err)
		}
		if !keys.Equal(pub, signer.Public()) {
			return nil, fmt.Errorf("the %s's DID resolves to another key", a.role)
		}
		alg, err := keys.Algorithm(pub)
		if err != nil {
			return nil, err
		}
		rep.Parties = append(rep.Parties, party{
			Role: a.role, Name: a.name, DID: id, KeyType: string(a.kt), Algorithm: alg,
			Method: vm.ID, Purpose: string(a.rel),
		})
	}
	return rep, nil
}

func printText(w io.Writer, rep *report) {
	fmt.Fprintln(w, "Over 18, step by step (offline)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "1. Identities: each party makes a key, turns it into a DID, and the DID")
	fmt.Fprintln(w, "   resolves back to that key, authorised for what the party will sign.")
	for _, p := range rep.Parties {
		fmt.Fprintf(w, "\n   %-9s %s\n", p.Role, p.Name)
		fmt.Fprintf(w, "   %-9s %s\n", "did", short(p.DID))
		fmt.Fprintf(w, "   %-9s %s (%s), listed under %s\n", "key", p.KeyType, p.Algorithm, p.Purpose)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Resolved offline through a registry of did:key and did:jwk only.")
}

// short keeps long DIDs readable on a terminal.
func short(s string) string {
	if len(s) <= 72 {
		return s
	}
	return s[:40] + "..." + s[len(s)-20:]
}
