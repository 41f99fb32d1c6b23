// Command demo runs three small web sites and a wallet in one process, on loopback:
// an issuer portal, a wallet (consent screen and sharing dashboard), and verifiers (a
// shop with an age gate, a "login with wallet" page, and a border officer's offline
// verification page). The wallet and the verifiers speak OpenID4VP 1.0.
//
// Usage:
//
//	go run ./examples/demo [--addr 127.0.0.1:8080] [--data DIR] [--issuance openid4vci|direct]
//
// It prints the URL to open. The wallet's and the issuer's data are JSON files in DIR
// (by default credence-demo in the user's cache directory), kept across restarts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run serves until ctx ends; ready, if not nil, receives the URL once listening.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on (port 0 picks one)")
	data := fs.String("data", "", "data directory (default: credence-demo in the user cache directory)")
	issuance := fs.String("issuance", "openid4vci", "how the portal issues: openid4vci, or direct (signed and handed to the wallet in-process)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *issuance != "openid4vci" && *issuance != "direct" {
		fmt.Fprintf(stderr, "demo: --issuance %q: openid4vci or direct\n", *issuance)
		return 2
	}
	dir := *data
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir = filepath.Join(cache, "credence-demo")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(stderr, "demo: --addr %q is not a loopback address: the demo serves this machine only\n", *addr)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	base := "http://" + ln.Addr().String()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := newApp(options{dataDir: dir, base: base, log: log, direct: *issuance == "direct"})
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	defer a.Close()
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	fmt.Fprintf(stdout, "credence demo: open %s/ (data in %s)\n", base, dir)
	if ready != nil {
		ready <- base
	}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	return 0
}
