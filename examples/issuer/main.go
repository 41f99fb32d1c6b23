// Command issuer is a small HTTP credential issuer with a Bitstring Status List: it signs
// the credentials it is given (POST /issue), each with a fresh status list entry, serves
// its signed status list credential (GET /status/1), and revokes credentials by their
// index (POST /revoke). /issue and /revoke need the operator's bearer token.
//
// Usage:
//
//	go run ./examples/issuer --key issuer.jwk --token-file token --state ./state \
//	    --public-url https://issuer.example [--addr 127.0.0.1:8080]
package main

import (
	"context"
	"crypto/subtle"
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
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

const (
	listPath    = "/status/1"
	maxBody     = 1 << 20         // a credential is at most 1 MiB
	listValid   = 24 * time.Hour  // validity of each signed status list credential
	listTTL     = 5 * time.Minute // how long verifiers may cache it
	republishAt = listValid / 2   // sign a fresh one when the last is this old
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("issuer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	keyFile := fs.String("key", "", "the issuer's private JWK file (required)")
	tokenFile := fs.String("token-file", "", "file holding the bearer token /issue and /revoke require (required)")
	stateDir := fs.String("state", "issuer-state", "folder for the status list and its allocated indices")
	publicURL := fs.String("public-url", "", "the https URL this server is reached at (default http://ADDR)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: issuer --key FILE --token-file FILE [--state DIR] [--public-url URL] [--addr HOST:PORT]\n\n"+
			"An HTTP issuer: POST /issue signs a credential with a status list entry, GET /status/1\n"+
			"serves the signed status list, POST /revoke revokes by index.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if *keyFile == "" || *tokenFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *publicURL == "" {
		*publicURL = "http://" + *addr
	}
	s, err := newServer(config{keyFile: *keyFile, tokenFile: *tokenFile, stateDir: *stateDir,
		listURL: strings.TrimSuffix(*publicURL, "/") + listPath, log: log})
	if err != nil {
		log.Error("starting", "err", err)
		return 1
	}
	defer s.close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listening", "err", err)
		return 1
	}
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	log.Info("issuer listening", "addr", ln.Addr().String(), "issuer", s.issuer.ID(), "statusList", s.listURL)
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Error("serving", "err", err)
		return 1
	}
	return 0
}

type config struct {
	keyFile, tokenFile, stateDir, listURL string
	log                                   *slog.Logger
	clock                                 func() time.Time // nil: time.Now
}

// server is the issuer's state: its key, its status list and the signed list last
// published. mu guards the list and the published bytes.
type server struct {
	issuer   *vc.Issuer
	token    []byte
	listURL  string
	listFile string
	alloc    *status.FileAllocator
	log      *slog.Logger
	clock    func() time.Time

	mu        sync.Mutex
	list      *status.BitstringList
	published []byte
	signedAt  time.Time
}

func newServer(c config) (*server, error) {
	keyJSON, err := os.ReadFile(c.keyFile)
	if err != nil {
		return nil, err
	}
	signer, err := keys.ParsePrivateJWK(keyJSON)
	if err != nil {
		return nil, fmt.Errorf("reading the key: %w", err)
	}
	token, err := os.ReadFile(c.tokenFile)
	if err != nil {
		return nil, err
	}
	if token = []byte(strings.TrimSpace(string(token))); len(token) < 16 {
		return nil, errors.New("the bearer token must be at least 16 characters")
	}
	id, err := key.Create(signer.Public())
	if err != nil {
		return nil, err
	}
	// A did:key has one verification method, whose fragment is the key itself.
	issuer, err := vc.NewIssuer(signer, id+"#"+strings.TrimPrefix(id, "did:key:"), vc.IssuerOptions{Clock: c.clock})
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.stateDir, 0o700); err != nil {
		return nil, err
	}
	s := &server{issuer: issuer, token: token, listURL: c.listURL, log: c.log, clock: c.clock,
		listFile: filepath.Join(c.stateDir, "status-list.txt")}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.list, err = loadList(s.listFile); err != nil {
		return nil, err
	}
	if s.alloc, err = status.NewFileAllocator(filepath.Join(c.stateDir, "indices"), s.list.Len()); err != nil {
		return nil, err
	}
	return s, nil
}

// loadList reads the encoded list kept in file, or makes a new one of the smallest size
// the specification allows.
func loadList(file string) (*status.BitstringList, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return status.NewBitstringList(status.MinBitstringEntries, 1)
	}
	if err != nil {
		return nil, err
	}
	return status.DecodeBitstringList(strings.TrimSpace(string(data)), status.DecodeOptions{})
}

// saveList writes the list through a temporary file, so a crash leaves a whole list.
func (s *server) saveList() error {
	enc, err := s.list.Encode()
	if err != nil {
		return err
	}
	tmp := s.listFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(enc+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.listFile)
}

func (s *server) close() { s.alloc.Close() }

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /issue", s.authorized(s.handleIssue))
	mux.HandleFunc("POST /revoke", s.authorized(s.handleRevoke))
	mux.HandleFunc("GET "+listPath, s.handleStatusList)
	return mux
}

// authorized lets through requests with the operator's bearer token only.
func (s *server) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), s.token) != 1 {
			s.log.Warn("refused: no valid bearer token", "path", r.URL.Path, "remote", r.RemoteAddr)
			writeError(w, http.StatusUnauthorized, "a valid bearer token is required")
			return
		}
		h(w, r)
	}
}

type issueRequest struct {
	Credential json.RawMessage `json:"credential"` // a VCDM 2.0 credential without issuer or status
	Format     string          `json:"format"`     // "jwt" (default) or "di"
}

type issueResponse struct {
	Credential  json.RawMessage `json:"credential"` // a JSON string (vc+jwt) or object (Data Integrity)
	StatusIndex int             `json:"statusIndex"`
}

func (s *server) handleIssue(w http.ResponseWriter, r *http.Request) {
	var req issueRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil || req.Credential == nil {
		writeError(w, http.StatusBadRequest, "the body must be {\"credential\": {...}, \"format\": \"jwt\"|\"di\"}")
		return
	}
	if req.Format == "" {
		req.Format = string(vc.FormatJWT)
	}
	if req.Format != string(vc.FormatJWT) && req.Format != string(vc.FormatDataIntegrity) {
		writeError(w, http.StatusBadRequest, "format must be jwt or di")
		return
	}
	c, err := vc.ParseCredential(req.Credential)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(c.Status) > 0 {
		writeError(w, http.StatusBadRequest, "the credential must not have a credentialStatus: the issuer gives it one")
		return
	}
	c.Issuer = vc.Party{} // the issuer is this server
	idx, err := s.alloc.Allocate(r.Context())
	if err != nil {
		s.log.Error("allocating a status index", "err", err)
		writeError(w, http.StatusServiceUnavailable, "no status list index available")
		return
	}
	entry, err := json.Marshal(status.BitstringEntry{Type: status.EntryTypeBitstring, Purpose: status.PurposeRevocation,
		Index: idx, ListCredential: s.listURL, ID: fmt.Sprintf("%s#%d", s.listURL, idx)})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "building the status entry")
		return
	}
	var extra map[string]json.RawMessage
	if err := json.Unmarshal(entry, &extra); err != nil {
		writeError(w, http.StatusInternalServerError, "building the status entry")
		return
	}
	st := vc.Status{ID: fmt.Sprintf("%s#%d", s.listURL, idx), Type: status.EntryTypeBitstring, Extra: extra}
	delete(st.Extra, "id")
	delete(st.Extra, "type")
	c.Status = []vc.Status{st}
	out, err := s.issuer.Issue(r.Context(), c, vc.Format(req.Format), vc.IssueOptions{})
	if err != nil {
		// The index stays allocated and unused: an index is never handed out twice.
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	if req.Format == string(vc.FormatJWT) {
		out, _ = json.Marshal(string(out))
	}
	// Claim values are never logged: types and the index say enough for an audit.
	s.log.Info("issued", "format", req.Format, "types", c.Type, "statusIndex", idx)
	writeJSON(w, http.StatusOK, issueResponse{Credential: out, StatusIndex: idx})
}

func (s *server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Index *int `json:"index"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&req); err != nil || req.Index == nil {
		writeError(w, http.StatusBadRequest, "the body must be {\"index\": N}")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.list.Set(*req.Index, 1); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.saveList(); err != nil {
		s.log.Error("saving the status list", "err", err)
		writeError(w, http.StatusInternalServerError, "the status list could not be saved")
		return
	}
	s.published = nil // sign a new list at the next request
	s.log.Info("revoked", "statusIndex", *req.Index)
	writeJSON(w, http.StatusOK, map[string]any{"revoked": *req.Index})
}

// handleStatusList serves the signed status list credential, signing a new one when the
// list changed or the last one is half through its validity.
func (s *server) handleStatusList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.clock()
	if s.published == nil || now.Sub(s.signedAt) > republishAt {
		doc, err := s.list.Credential(status.BitstringCredentialOptions{ID: s.listURL, Issuer: s.issuer.ID(),
			Purpose: []string{status.PurposeRevocation}, ValidFrom: now.Truncate(time.Second),
			ValidUntil: now.Add(listValid).Truncate(time.Second), TTL: listTTL})
		var c *vc.Credential
		if err == nil {
			c, err = vc.ParseCredential(doc)
		}
		var signed []byte
		if err == nil {
			signed, err = s.issuer.Issue(r.Context(), c, vc.FormatJWT, vc.IssueOptions{})
		}
		if err != nil {
			s.mu.Unlock()
			s.log.Error("signing the status list", "err", err)
			writeError(w, http.StatusInternalServerError, "the status list could not be signed")
			return
		}
		s.published, s.signedAt = signed, now
		s.log.Info("signed the status list", "url", s.listURL)
	}
	body := s.published
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/vc+jwt")
	w.Header().Set("Cache-Control", fmt.Sprintf("max-age=%d", int(listTTL.Seconds())))
	w.Write(body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
