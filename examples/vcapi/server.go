package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/dataintegrity"
	"github.com/credence-dev/credence/vc/jsonld"
)

// Request limits. A request body holds one credential or presentation (at most
// vc.Limits' 1 MiB, checked again by the library) and its options.
const (
	maxBodyBytes = 2 << 20
	maxDepth     = 64
)

// serverOptions configure newServer. BaseURL is required; without Keys every issuer gets
// a fresh key, without Logger nothing is logged.
type serverOptions struct {
	// BaseURL is the public URL of the server, without a final slash: status list
	// credentials are named under it. Required.
	BaseURL string
	// Keys are the configured issuer keys (private JWKs) per base path; paths without
	// one get a fresh key.
	Keys map[string]json.RawMessage
	// Logger receives the structured log; nil discards it.
	Logger *slog.Logger
}

// basePath is the state of one profile: its issuer and status lists.
type basePath struct {
	profile
	id    *identity    // nil for an unsupported profile
	lists *statusLists // nil unless the profile issues status entries
	sign  signFunc     // how this path signs its status list credentials
	srv   *server
	log   *slog.Logger // the server's logger with the path attached
}

// server is the VC-API server: one basePath per profile, one DID registry and key
// source, and the host of its status lists. It is safe for concurrent use.
type server struct {
	log      *slog.Logger
	baseURL  string
	paths    []*basePath
	registry *did.Registry
	keys     vc.KeySource
	contexts *jsonld.Contexts
	host     *listHost
	stateDir string
	mux      *http.ServeMux
	current  atomic.Pointer[vc.Verifier] // see verifier
}

// newServer builds the server: an issuer per base path, its status lists published.
// Call close when done.
func newServer(ctx context.Context, opts serverOptions) (*server, error) {
	if opts.BaseURL == "" || strings.HasSuffix(opts.BaseURL, "/") {
		return nil, fmt.Errorf("base URL %q: must be set and not end in a slash", opts.BaseURL)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := did.NewRegistry()
	kr, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	if err := reg.Register("key", kr); err != nil {
		return nil, err
	}
	if err := reg.Register("jwk", jwk.New()); err != nil {
		return nil, err
	}
	dk, err := vc.NewDIDKeys(reg)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vcapi-status-")
	if err != nil {
		return nil, err
	}
	s := &server{log: log, baseURL: opts.BaseURL, registry: reg, keys: dk, contexts: jsonld.DefaultContexts(),
		host: &listHost{lists: map[string]*publishedList{}}, stateDir: dir, mux: http.NewServeMux()}
	for _, p := range profiles() {
		bp := &basePath{profile: p, srv: s, log: log.With(slog.String("base", p.Path))}
		if p.Unsupported == "" {
			if bp.id, err = newIdentity(p, opts.Keys[p.Path]); err != nil {
				s.close()
				return nil, err
			}
			bp.sign = bp.signer()
		}
		if p.Status {
			bp.lists, err = newStatusLists(ctx, s.baseURL+p.Path, dir, p.name(), bp.id.DID, bp.sign)
			if err != nil {
				s.close()
				return nil, err
			}
			s.host.lists[bp.lists.revocation.url] = bp.lists.revocation
			s.host.lists[bp.lists.suspension.url] = bp.lists.suspension
		}
		s.paths = append(s.paths, bp)
		bp.routes(s.mux)
	}
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "no such endpoint", fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, vc.ErrNotFound), false)
	})
	return s, nil
}

// close removes the allocation files.
func (s *server) close() {
	for _, bp := range s.paths {
		if bp.lists != nil {
			if err := bp.lists.close(); err != nil {
				s.log.Warn("closing a status allocator", slog.String("error", err.Error()))
			}
		}
	}
	if err := os.RemoveAll(s.stateDir); err != nil {
		s.log.Warn("removing the state directory", slog.String("error", err.Error()))
	}
}

// secure secures an unsigned credential as the path issues: with the profile's Data
// Integrity suite (an ecdsa-sd-2023 base proof with the mandatory pointers), or as vc+jwt
// in an EnvelopedVerifiableCredential.
func (bp *basePath) secure(ctx context.Context, unsigned []byte, suite string, mandatory []string) ([]byte, error) {
	c, err := vc.ParseCredential(unsigned)
	if err != nil {
		return nil, err
	}
	out, err := bp.id.issuer.Issue(ctx, c, bp.Format, vc.IssueOptions{Cryptosuite: suite, MandatoryPointers: mandatory})
	if err != nil {
		return nil, err
	}
	if bp.Format == vc.FormatJWT {
		return vc.EnvelopeCredential(out)
	}
	return out, nil
}

// signer returns how the path secures its status list credentials: as its credentials,
// except on the selective disclosure path, whose base proofs are for holders only and
// which therefore signs its lists with ecdsa-rdfc-2019 and the same key.
func (bp *basePath) signer() signFunc {
	suite := bp.Suite
	if bp.Derive {
		suite = dataintegrity.ECDSARDFC2019
	}
	return func(ctx context.Context, unsigned []byte) ([]byte, error) {
		return bp.secure(ctx, unsigned, suite, nil)
	}
}

// routes registers the endpoints of the path.
func (bp *basePath) routes(mux *http.ServeMux) {
	if bp.Unsupported != "" {
		mux.HandleFunc(bp.Path+"/", bp.unsupported)
		return
	}
	mux.HandleFunc("POST "+bp.Path+"/credentials/issue", bp.issue)
	mux.HandleFunc("POST "+bp.Path+"/credentials/verify", bp.verifyCredential)
	mux.HandleFunc("POST "+bp.Path+"/credentials/derive", bp.derive)
	mux.HandleFunc("POST "+bp.Path+"/presentations/verify", bp.verifyPresentation)
	if bp.lists != nil {
		mux.HandleFunc("POST "+bp.Path+"/credentials/status", bp.updateStatus)
		mux.HandleFunc("GET "+bp.Path+"/status/{purpose}", bp.getStatusList)
		mux.HandleFunc("POST "+bp.Path+"/status/{purpose}/publish", bp.publish)
	}
}

// ServeHTTP implements http.Handler: body limit, panic guard and an access log line.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("handler panic", slog.String("path", r.URL.Path), slog.Any("panic", v))
			if !rec.wrote {
				writeJSON(rec, http.StatusInternalServerError, problem{Type: "about:blank", Title: "internal error", Status: 500})
			}
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.code), slog.Duration("duration", time.Since(start)))
	}()
	s.mux.ServeHTTP(rec, r)
}

// statusRecorder remembers the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// fail answers with a problem for err (see problem.go).
func (s *server) fail(w http.ResponseWriter, r *http.Request, code int, title string, err error, verify bool) {
	writeProblem(w, r, s.log, code, title, err, verify)
}

// index lists the base paths and their issuers.
func (s *server) index(w http.ResponseWriter, _ *http.Request) {
	type entry struct {
		Path        string   `json:"path"`
		Issuer      string   `json:"issuer,omitempty"`
		Tags        []string `json:"tags"`
		Unsupported string   `json:"unsupported,omitempty"`
	}
	var out []entry
	for _, bp := range s.paths {
		e := entry{Path: bp.Path, Tags: bp.Tags, Unsupported: bp.Unsupported}
		if bp.id != nil {
			e.Issuer = bp.id.DID
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, map[string]any{"basePaths": out})
}

// verifier returns the verifier for a request. One is shared until a status list
// changes (statusChanged drops it), so that DID keys and status lists are cached between
// requests, yet a verification that starts after a status change answered sees the
// change.
//
// Policy, as a VC-API verification service: any issuer whose signature verifies with a
// key of its own DID is accepted (the caller decides whom to trust); the holder of a
// presentation need not be a subject of its credentials, and challenges are not
// remembered (the caller that chose the challenge checks its reuse).
func (s *server) verifier() (*vc.Verifier, error) {
	if v := s.current.Load(); v != nil {
		return v, nil
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{
		Keys: s.keys, AcceptAnyIssuer: true, SkipHolderBinding: true, Replay: callerTracksChallenges{},
		StatusFetcher: s.host, Contexts: s.contexts,
	})
	if err != nil {
		return nil, err
	}
	// The new verifier has cached nothing yet, so storing it is safe whenever this runs;
	// the next statusChanged drops it with whatever it has cached.
	s.current.CompareAndSwap(nil, v)
	return v, nil
}

// statusChanged drops the shared verifier and the status lists it has cached. Called
// after a list is republished, before the change is answered.
func (s *server) statusChanged() { s.current.Store(nil) }

// callerTracksChallenges is a vc.ReplayStore that remembers nothing: the VC-API caller
// chose the challenge and is the one who knows whether it was used before.
type callerTracksChallenges struct{}

// Use implements vc.ReplayStore.
func (callerTracksChallenges) Use(context.Context, string, time.Time) error { return nil }

// decodeBody reads a JSON request body into v after checking its size and depth. v's
// credential and presentation members are json.RawMessage, parsed strictly later.
func decodeBody(r *http.Request, v any) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fmt.Errorf("request body over %d bytes: %w", mbe.Limit, vc.ErrTooLarge)
		}
		return fmt.Errorf("reading the request body: %v: %w", err, vc.ErrMalformed)
	}
	if err := checkDepth(data, maxDepth+2); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %v: %w", err, vc.ErrMalformed)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("request body: data after the JSON value: %w", vc.ErrMalformed)
	}
	return nil
}

// checkDepth refuses JSON nested deeper than max before anything decodes it into values.
// It only counts brackets outside strings; whether the JSON is valid is the decoder's
// business.
func checkDepth(data []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			if depth++; depth > max {
				return fmt.Errorf("request body nested more than %d levels: %w", max, vc.ErrTooDeep)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	b := bytes.TrimLeft(raw, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}
