// Command verifier is a small HTTP verifier: it accepts credentials and presentations
// (POST /verify) from the issuers of a trust list, checks their status lists over HTTPS,
// and binds presentations to a nonce it handed out (POST /challenge).
//
// Usage:
//
//	go run ./examples/verifier --trust trust.json --id https://verifier.example [--addr 127.0.0.1:8081]
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

const (
	maxBody   = 1 << 20 // a presentation is at most 1 MiB
	nonceLife = 5 * time.Minute
	maxNonces = 10_000 // outstanding challenges at once
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8081", "address to listen on")
	trustFile := fs.String("trust", "", `trust list file, {"issuers": [{"id": "did:...", "types": [...]}]} (required)`)
	id := fs.String("id", "", "this verifier's identifier: the audience (and domain) presentations must name (required)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: verifier --trust FILE --id ID [--addr HOST:PORT]\n\n"+
			"An HTTP verifier: POST /challenge hands out a nonce, POST /verify checks a credential or\n"+
			"a presentation against the trust list, status lists included.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *trustFile == "" || *id == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	data, err := os.ReadFile(*trustFile)
	if err != nil {
		log.Error("reading the trust list", "err", err)
		return 1
	}
	trust, err := vc.ParseTrustList(data)
	if err != nil {
		log.Error("reading the trust list", "err", err)
		return 1
	}
	// Status lists are fetched with this client, through the library's network guard:
	// https only, public addresses only, bounded bodies and time.
	s, err := newServer(config{id: *id, trust: trust, client: &http.Client{Timeout: 10 * time.Second}, log: log})
	if err != nil {
		log.Error("starting", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listening", "err", err)
		return 1
	}
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	log.Info("verifier listening", "addr", ln.Addr().String(), "id", *id)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Error("serving", "err", err)
		return 1
	}
	return 0
}

type config struct {
	id     string
	trust  vc.IssuerTrust
	client *http.Client
	// fetch is the policy of the status list fetcher; the zero value is the production one.
	fetch status.HTTPFetcherOptions
	log   *slog.Logger
	clock func() time.Time // nil: time.Now
}

type server struct {
	id  string
	v   *vc.Verifier
	log *slog.Logger
	now func() time.Time

	mu     sync.Mutex
	nonces map[string]time.Time // nonce -> expiry, for challenges not yet answered
}

func newServer(c config) (*server, error) {
	fetcher, err := status.NewHTTPFetcher(c.client, c.fetch)
	if err != nil {
		return nil, err
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{Trust: c.trust, StatusFetcher: fetcher, Clock: c.clock})
	if err != nil {
		return nil, err
	}
	s := &server{id: c.id, v: v, log: c.log, now: c.clock, nonces: map[string]time.Time{}}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /challenge", s.handleChallenge)
	mux.HandleFunc("POST /verify", s.handleVerify)
	return mux
}

// handleChallenge hands out a fresh nonce for one presentation.
func (s *server) handleChallenge(w http.ResponseWriter, _ *http.Request) {
	nonce := rand.Text()
	now := s.now()
	s.mu.Lock()
	for n, exp := range s.nonces {
		if now.After(exp) {
			delete(s.nonces, n)
		}
	}
	full := len(s.nonces) >= maxNonces
	if !full {
		s.nonces[nonce] = now.Add(nonceLife)
	}
	s.mu.Unlock()
	if full {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "too many open challenges"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"nonce": nonce, "audience": s.id, "expiresIn": int(nonceLife.Seconds())})
}

// takeNonce consumes a nonce this server handed out and that has not expired.
func (s *server) takeNonce(n string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.nonces[n]
	delete(s.nonces, n)
	return ok && !s.now().After(exp)
}

type verifyRequest struct {
	Credential   json.RawMessage `json:"credential"`   // a JSON string (compact JWT, SD-JWT) or object
	Presentation json.RawMessage `json:"presentation"` // likewise
	Nonce        string          `json:"nonce"`        // the nonce of POST /challenge, for a presentation
}

type credentialResult struct {
	Format string         `json:"format"`
	Issuer string         `json:"issuer"`
	Types  []string       `json:"types,omitempty"`
	Claims map[string]any `json:"claims"`
}

type verifyResponse struct {
	Verified    bool               `json:"verified"`
	Holder      string             `json:"holder,omitempty"`
	Credentials []credentialResult `json:"credentials,omitempty"`
	Reason      string             `json:"reason,omitempty"` // the step that failed: trust, status, time, ...
	Message     string             `json:"message,omitempty"`
}

func (s *server) handleVerify(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil ||
		(req.Credential == nil) == (req.Presentation == nil) {
		writeJSON(w, http.StatusBadRequest, verifyResponse{Message: `the body must be {"credential": ...} or {"presentation": ..., "nonce": ...}`})
		return
	}
	var res verifyResponse
	var err error
	if req.Credential != nil {
		var c *vc.Verified
		if c, err = s.v.VerifyCredential(r.Context(), unquote(req.Credential)); err == nil {
			res.Credentials = []credentialResult{result(c)}
		}
	} else if !s.takeNonce(req.Nonce) {
		s.log.Warn("refused: unknown, used or expired nonce")
		writeJSON(w, http.StatusUnprocessableEntity, verifyResponse{Reason: "presentation", Message: "unknown, used or expired nonce: ask POST /challenge"})
		return
	} else {
		want := vc.Expect{Nonce: req.Nonce, Audience: s.id, Challenge: req.Nonce, Domain: s.id}
		var vp *vc.VerifiedPresentation
		if vp, err = s.v.VerifyPresentation(r.Context(), unquote(req.Presentation), want); err == nil {
			res.Holder = vp.Holder()
			for _, c := range vp.Credentials() {
				res.Credentials = append(res.Credentials, result(c))
			}
		}
	}
	if err != nil {
		res = verifyResponse{Message: err.Error()}
		var ve *vc.VerifyError
		if errors.As(err, &ve) {
			res.Reason = string(ve.Reason)
		}
		s.log.Info("refused", "reason", res.Reason, "err", err)
		writeJSON(w, http.StatusUnprocessableEntity, res)
		return
	}
	res.Verified = true
	for _, c := range res.Credentials {
		// What was proven, without the values.
		s.log.Info("verified", "issuer", c.Issuer, "format", c.Format, "types", c.Types)
	}
	writeJSON(w, http.StatusOK, res)
}

func result(c *vc.Verified) credentialResult {
	return credentialResult{Format: string(c.Format()), Issuer: c.Issuer(), Types: c.Types(), Claims: c.Claims()}
}

// unquote returns the string a JSON string holds (a compact token), or the JSON itself.
func unquote(raw json.RawMessage) []byte {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
