// Command vcapi is a VC-API server shaped for the W3C conformance suites (VC Data Model
// 2.0, Data Integrity EdDSA and ECDSA, Bitstring Status List): one base path per
// cryptosuite, each with its own did:key issuer, answering
//
//	POST <base>/credentials/issue       201, the secured credential
//	POST <base>/credentials/verify      200 {"verified":true,...} or 400 with a problem
//	POST <base>/presentations/verify    200 or 400
//	POST <base>/credentials/derive      selective disclosure suites only
//	POST <base>/credentials/status      revoke or suspend an issued credential
//	GET  <base>/status/{revocation,suspension}   the signed status list credentials
//
// On start it prints the issuer of every base path and a ready localConfig.cjs.
//
// Usage:
//
//	go run ./examples/vcapi [--addr localhost:8080] [--self-signed | --tls-cert F --tls-key F]
//	                        [--config FILE] [--base-url URL] [--local-config FILE] [--ecdsa-curve P-384]
//	                        [--log-format json]
//	go run ./examples/vcapi --generate-config FILE
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// flags are the command line.
type flags struct {
	addr, config, generate, baseURL, localConfig string
	tlsCert, tlsKey, logFormat, curve            string
	selfSigned                                   bool
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	var f flags
	fs := flag.NewFlagSet("vcapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "localhost:8080", "address to listen on")
	fs.StringVar(&f.config, "config", "", "configuration file with the issuer keys (see --generate-config); without it, keys are generated at start")
	fs.StringVar(&f.generate, "generate-config", "", "write a configuration file with fresh issuer keys to `FILE` and exit")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve https with this certificate (PEM `FILE`)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "private key of --tls-cert (PEM `FILE`)")
	fs.BoolVar(&f.selfSigned, "self-signed", false, "serve https with a self-signed certificate for localhost, generated at start")
	fs.StringVar(&f.baseURL, "base-url", "", "public base `URL` of the server, used in status list URLs (default: from --addr and the scheme)")
	fs.StringVar(&f.localConfig, "local-config", "", "also write the localConfig.cjs for the W3C suites to `FILE`")
	fs.StringVar(&f.curve, "ecdsa-curve", "P-256", "curve of the ECDSA issuers the localConfig.cjs lists: P-256 or P-384 (both are served)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: vcapi [flags]")
		fmt.Fprintln(stderr, "\nA VC-API server for the W3C conformance suites: one base path per cryptosuite.")
		fmt.Fprintln(stderr, "It prints the issuer DIDs and a localConfig.cjs on start; see examples/vcapi/README.md.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if f.selfSigned && f.tlsCert != "" {
		return nil, errors.New("--self-signed and --tls-cert exclude each other")
	}
	if f.curve != "P-256" && f.curve != "P-384" {
		return nil, fmt.Errorf("--ecdsa-curve %q: P-256 or P-384", f.curve)
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		return nil, fmt.Errorf("--log-format %q: text or json", f.logFormat)
	}
	return &f, nil
}

// run is the program; it returns the exit code. It serves until ctx is done, then shuts
// down cleanly. ready, if not nil, receives the address listened on.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) int {
	f, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "vcapi: %v\n", err)
		return 2
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if f.logFormat == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)
	if f.generate != "" {
		if err := writeNewConfig(f.generate); err != nil {
			fmt.Fprintf(stderr, "vcapi: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s (it holds private keys)\n", f.generate)
		return 0
	}
	if err := serve(ctx, f, log, stdout, ready); err != nil {
		log.Error("vcapi stopped", slog.String("error", err.Error()))
		return 1
	}
	return 0
}

// serve listens, builds the server and serves until ctx is done.
func serve(ctx context.Context, f *flags, log *slog.Logger, stdout io.Writer, ready func(string)) error {
	cfg := &fileConfig{}
	if f.config != "" {
		var err error
		if cfg, err = loadConfig(f.config); err != nil {
			return err
		}
	}
	var tlsConfig *tls.Config
	switch {
	case f.selfSigned:
		cert, err := selfSignedCertificate()
		if err != nil {
			return err
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	case f.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
		if err != nil {
			return err
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	base := f.baseURL
	if base == "" {
		base = cfg.BaseURL
	}
	if base == "" {
		base = defaultBaseURL(ln.Addr().(*net.TCPAddr), tlsConfig != nil)
	}
	base = strings.TrimSuffix(base, "/")
	s, err := newServer(ctx, serverOptions{BaseURL: base, Keys: cfg.Keys, Logger: log})
	if err != nil {
		return err
	}
	defer s.close()
	for _, bp := range s.paths {
		if bp.id != nil {
			log.Info("issuer", slog.String("base", base+bp.Path), slog.String("did", bp.id.DID), slog.Any("tags", bp.Tags))
		} else {
			log.Info("not implemented", slog.String("base", base+bp.Path), slog.String("reason", bp.Unsupported))
		}
	}
	lc, err := s.localConfig(f.curve)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(lc); err != nil {
		return err
	}
	if f.localConfig != "" {
		if err := os.WriteFile(f.localConfig, lc, 0o644); err != nil {
			return err
		}
	}
	hs := &http.Server{
		Handler:           s,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	log.Info("listening", slog.String("addr", ln.Addr().String()), slog.String("baseURL", base))
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultBaseURL names the listener as the suites reach it: localhost for loopback and
// unspecified addresses.
func defaultBaseURL(a *net.TCPAddr, https bool) string {
	scheme := "http"
	if https {
		scheme = "https"
	}
	host := a.IP.String()
	if a.IP.IsLoopback() || a.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, fmt.Sprint(a.Port)))
}
