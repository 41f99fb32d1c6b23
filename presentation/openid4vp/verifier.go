package openid4vp

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// VerifierOptions configure a Verifier. ClientID, ResponseURI and Credentials are
// required; the zero value of everything else is the safe default.
type VerifierOptions struct {
	// ClientID is the full client identifier with its prefix, for example
	// "x509_san_dns:shop.example", "decentralized_identifier:did:web:shop.example" or
	// "redirect_uri:https://shop.example/openid4vp/response". Presentations must name it
	// as their audience.
	ClientID string
	// ResponseURI is the https URL of ResponseHandler. With the redirect_uri prefix it
	// must equal the client identifier; with x509_san_dns its host must be the DNS name.
	ResponseURI string
	// RequestURI is the https URL prefix under which RequestHandler serves request
	// objects (the state is appended as the last path segment). Required for the
	// decentralized_identifier and x509_san_dns prefixes, whose requests are signed and
	// passed by reference; unused with redirect_uri, whose requests go by value.
	RequestURI string
	// RedirectURI, if set (an https URL of the verifier's own front end), is returned to
	// the wallet after each response, with a fresh response_code in its fragment
	// (OpenID4VP 1.0 §8.2, §13.3): the wallet sends the user's browser there, and the
	// front end reads the outcome with ResultFor, which requires the code — so a session
	// started by someone else cannot be completed in the user's browser (session
	// fixation). Same-device flows want it; cross-device ones poll Result.
	RedirectURI string
	// ByValue passes signed request objects in the invocation URL ("request") instead of
	// by reference; RequestURI is then not needed. QR codes get large.
	ByValue bool
	// Signer signs request objects; KeyID names its key (a DID URL of the client's DID
	// for decentralized_identifier) and X5C is its certificate chain (standard base64
	// DER, leaf first; x509_san_dns).
	Signer keys.Signer
	KeyID  string
	X5C    []string
	// ResponseMode is direct_post.jwt (the default: the response is encrypted to a key
	// made for the request) or direct_post.
	ResponseMode string
	// Enc is the content encryption of direct_post.jwt responses: A128GCM (default) or
	// A256GCM.
	Enc string
	// WalletURL is the wallet invocation URL the request parameters are appended to; if
	// empty, "openid4vp://".
	WalletURL string
	// Credentials is the policy presentations are verified under (trust, keys, status,
	// formats). Its Replay must be nil: a response is accepted once per request through
	// Sessions, which is what a verifier with several replicas shares.
	Credentials vc.VerifierOptions
	// Sessions keeps pending requests; if nil, a MemoryStore (one process only).
	Sessions SessionStore
	// Lifetime is how long a request can be answered; if 0, 5 minutes.
	Lifetime time.Duration
	// MaxResponseBytes bounds a response body; if 0, DefaultMaxResponseBytes.
	MaxResponseBytes int
	// Logger receives one line per response (state, outcome, never claim values); if
	// nil, nothing is logged.
	Logger *slog.Logger
	// Clock, if nil, is time.Now.
	Clock func() time.Time
}

// Verifier is the verifier side of OpenID4VP: it makes Authorization Requests, serves
// their request objects, and validates the responses. It is safe for concurrent use.
type Verifier struct {
	o        VerifierOptions
	prefix   string
	vc       *vc.Verifier
	sessions SessionStore
	clock    func() time.Time
}

// Result is what a Verifier learned from one accepted response: for each credential
// query id, the credentials presented, with only their verified and disclosed claims.
type Result struct {
	Credentials map[string][]Disclosed `json:"credentials"`
	// Error is the error code of an error response (such as access_denied); then
	// Credentials is empty and Verifier.Result returns an error.
	Error string `json:"error,omitempty"`
	// ResponseCode is the response_code sent to the wallet in the redirect URI, when
	// VerifierOptions.RedirectURI is set.
	ResponseCode string `json:"response_code,omitempty"`
}

// Disclosed is one verified credential of a response.
type Disclosed struct {
	Format string         `json:"format"` // the DCQL format identifier
	Issuer string         `json:"issuer"`
	Types  []string       `json:"types,omitempty"`
	Holder string         `json:"holder,omitempty"`
	Claims map[string]any `json:"claims"`
}

// nopReplay is the vc.ReplayStore of a Verifier's presentations: every presentation of
// a response shares the request's nonce, and the session store makes the response
// count once.
type nopReplay struct{}

// Use accepts every nonce: the session store makes a response count once.
func (nopReplay) Use(context.Context, string, time.Time) error { return nil }

// NewVerifier checks o and makes a Verifier.
func NewVerifier(o VerifierOptions) (*Verifier, error) {
	prefix, id, ok := Prefix(o.ClientID)
	if !ok {
		return nil, fmt.Errorf("openid4vp: client_id %q has no supported client identifier prefix: %w", o.ClientID, ErrInvalidOptions)
	}
	if o.ResponseMode == "" {
		o.ResponseMode = ResponseModeDirectPostJWT
	}
	if o.ResponseMode != ResponseModeDirectPost && o.ResponseMode != ResponseModeDirectPostJWT {
		return nil, fmt.Errorf("openid4vp: response mode %q: %w", o.ResponseMode, ErrInvalidOptions)
	}
	if o.Enc == "" {
		o.Enc = ijose.EncA128GCM
	}
	if o.Enc != ijose.EncA128GCM && o.Enc != ijose.EncA256GCM {
		return nil, fmt.Errorf("openid4vp: enc %q: %w", o.Enc, ErrInvalidOptions)
	}
	ru, err := url.Parse(o.ResponseURI)
	if err != nil || ru.Scheme != "https" || ru.Host == "" {
		return nil, fmt.Errorf("openid4vp: ResponseURI %q is not an https URL: %w", o.ResponseURI, ErrInvalidOptions)
	}
	switch prefix {
	case PrefixRedirectURI:
		if id != o.ResponseURI {
			return nil, fmt.Errorf("openid4vp: with redirect_uri the client identifier must be the response URI: %w", ErrInvalidOptions)
		}
		if o.Signer != nil {
			return nil, fmt.Errorf("openid4vp: redirect_uri requests cannot be signed: %w", ErrInvalidOptions)
		}
	case PrefixDID, PrefixX509SANDNS:
		if o.Signer == nil || o.RequestURI == "" && !o.ByValue {
			return nil, fmt.Errorf("openid4vp: %s requests are signed: Signer, and RequestURI unless ByValue, are required: %w", prefix, ErrInvalidOptions)
		}
		if u, err := url.Parse(o.RequestURI); !o.ByValue && (err != nil || u.Scheme != "https" || u.Host == "") {
			return nil, fmt.Errorf("openid4vp: RequestURI %q is not an https URL: %w", o.RequestURI, ErrInvalidOptions)
		}
		if prefix == PrefixDID {
			u, err := did.ParseURL(o.KeyID)
			if err != nil || u.DID.String() != id {
				return nil, fmt.Errorf("openid4vp: KeyID %q is not a DID URL of %s: %w", o.KeyID, id, ErrInvalidOptions)
			}
		} else {
			if len(o.X5C) == 0 {
				return nil, fmt.Errorf("openid4vp: x509_san_dns needs the certificate chain X5C: %w", ErrInvalidOptions)
			}
			if ru.Hostname() != id {
				return nil, fmt.Errorf("openid4vp: the response URI's host must be %s: %w", id, ErrInvalidOptions)
			}
		}
	}
	if o.RedirectURI != "" {
		u, err := url.Parse(o.RedirectURI)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.Fragment != "" {
			return nil, fmt.Errorf("openid4vp: RedirectURI %q is not an https URL without a fragment: %w", o.RedirectURI, ErrInvalidOptions)
		}
	}
	if o.Credentials.Replay != nil {
		return nil, fmt.Errorf("openid4vp: Credentials.Replay must be nil; Sessions makes responses count once: %w", ErrInvalidOptions)
	}
	if o.Lifetime < 0 || o.MaxResponseBytes < 0 {
		return nil, fmt.Errorf("openid4vp: negative Lifetime or MaxResponseBytes: %w", ErrInvalidOptions)
	}
	if o.Lifetime == 0 {
		o.Lifetime = 5 * time.Minute
	}
	if o.MaxResponseBytes == 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	clock := o.Clock
	if clock == nil {
		clock = time.Now
	}
	co := o.Credentials
	co.Replay = nopReplay{}
	if co.Clock == nil {
		co.Clock = clock
	}
	cv, err := vc.NewVerifier(co)
	if err != nil {
		return nil, err
	}
	sessions := o.Sessions
	if sessions == nil {
		sessions = NewMemoryStore(0, clock)
	}
	return &Verifier{o: o, prefix: prefix, vc: cv, sessions: sessions, clock: clock}, nil
}

// Request is an Authorization Request the Verifier made.
type Request struct {
	// State identifies the request; the response carries it, and Result takes it.
	State string
	// URL invokes the wallet: show it as a QR code (cross device) or redirect to it.
	URL string
	// Parameters are the request's parameters.
	Parameters AuthorizationRequest
}

func random() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return b64.EncodeToString(b[:]), nil
}

// NewRequest makes an Authorization Request for the DCQL query (its JSON, checked
// here) and stores its session.
func (v *Verifier) NewRequest(ctx context.Context, query []byte) (*Request, error) {
	if _, err := dcql.ParseQuery(query); err != nil {
		return nil, fmt.Errorf("openid4vp: dcql query: %w", err)
	}
	state, err := random()
	if err != nil {
		return nil, err
	}
	nonce, err := random()
	if err != nil {
		return nil, err
	}
	now := v.clock()
	ar := AuthorizationRequest{
		ClientID: v.o.ClientID, ResponseType: ResponseTypeVPToken, ResponseMode: v.o.ResponseMode,
		ResponseURI: v.o.ResponseURI, Nonce: nonce, State: state, DCQLQuery: json.RawMessage(query),
		ClientMetadata: &ClientMetadata{VPFormats: map[string]any{
			"dc+sd-jwt":   map[string]any{"sd-jwt_alg_values": []string{"EdDSA", "ES256", "ES384"}, "kb-jwt_alg_values": []string{"EdDSA", "ES256", "ES384"}},
			"jwt_vc_json": map[string]any{"alg_values": []string{"EdDSA", "ES256", "ES384"}},
			"ldp_vc":      map[string]any{"proof_type_values": []string{"DataIntegrityProof"}, "cryptosuite_values": []string{"eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019"}},
		}},
	}
	s := &Session{State: state, Nonce: nonce, Expires: now.Add(v.o.Lifetime)}
	if v.o.ResponseMode == ResponseModeDirectPostJWT {
		k, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		raw := k.PublicKey().Bytes()
		ar.ClientMetadata.JWKS = &JWKSet{Keys: []JWK{{Kty: "EC", Crv: "P-256", X: b64.EncodeToString(raw[1:33]), Y: b64.EncodeToString(raw[33:]), Kid: state, Use: "enc", Alg: ijose.AlgECDHES}}}
		if v.o.Enc != ijose.EncA128GCM {
			ar.ClientMetadata.EncValues = []string{v.o.Enc}
		}
		s.DecryptionKey = k.Bytes()
	}
	params, err := json.Marshal(ar)
	if err != nil {
		return nil, err
	}
	s.Request = params
	q := url.Values{"client_id": {v.o.ClientID}}
	if v.prefix == PrefixRedirectURI {
		var m map[string]any
		if err := json.Unmarshal(params, &m); err != nil {
			return nil, err
		}
		for k, val := range m {
			switch t := val.(type) {
			case string:
				q.Set(k, t)
			default:
				b, _ := json.Marshal(t)
				q.Set(k, string(b))
			}
		}
	} else {
		claims := map[string]any{}
		if err := json.Unmarshal(params, &claims); err != nil {
			return nil, err
		}
		claims["aud"] = "https://self-issued.me/v2"
		claims["iat"] = now.Unix()
		claims["exp"] = now.Add(v.o.Lifetime).Unix()
		payload, err := json.Marshal(claims)
		if err != nil {
			return nil, err
		}
		obj, err := ijose.Sign(v.o.Signer, payload, ijose.SignOptions{Typ: RequestObjectTyp, Kid: v.o.KeyID, X5C: v.o.X5C})
		if err != nil {
			return nil, fmt.Errorf("openid4vp: signing the request object: %w", err)
		}
		if v.o.ByValue {
			q.Set("request", string(obj))
		} else {
			s.RequestObject = obj
			q.Set("request_uri", strings.TrimSuffix(v.o.RequestURI, "/")+"/"+state)
		}
	}
	if err := v.sessions.Put(ctx, s); err != nil {
		return nil, err
	}
	base := v.o.WalletURL
	if base == "" {
		base = "openid4vp://"
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return &Request{State: state, URL: base + sep + q.Encode(), Parameters: ar}, nil
}

// RequestHandler serves the request objects of pending requests: GET on
// RequestURI/<state>.
func (v *Verifier) RequestHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeError(w, http.StatusMethodNotAllowed, "invalid_request", "GET only")
			return
		}
		state := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		s, err := v.sessions.Get(r.Context(), state)
		if err != nil || s.Done || len(s.RequestObject) == 0 {
			writeError(w, http.StatusNotFound, "invalid_request", "no such request")
			return
		}
		w.Header().Set("Content-Type", RequestObjectMediaType)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(s.RequestObject)
	})
}

// ResponseHandler receives Authorization Responses (direct_post and direct_post.jwt)
// and validates them; the outcome is read with Result.
func (v *Verifier) ResponseHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "invalid_request", "POST only")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(v.o.MaxResponseBytes)))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, "invalid_request", "response too large")
			return
		}
		state, code, err := v.handleResponse(r.Context(), body)
		if v.o.Logger != nil {
			v.o.Logger.LogAttrs(r.Context(), slog.LevelInfo, "openid4vp response", slog.String("state", state), slog.Any("error", err))
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if code == "" {
			w.Write([]byte("{}"))
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"redirect_uri": v.o.RedirectURI + "#response_code=" + code})
	})
}

func writeError(w http.ResponseWriter, code int, e, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": e, "error_description": desc})
}

// HandleResponse validates one response body (application/x-www-form-urlencoded, as
// posted to the response URI) and records its outcome; it returns the state it was for.
// ResponseHandler calls it; it is exported for transports other than net/http.
func (v *Verifier) HandleResponse(ctx context.Context, body []byte) (string, error) {
	state, _, err := v.handleResponse(ctx, body)
	return state, err
}

// handleResponse is HandleResponse, also returning the response_code made for the
// redirect URI ("" without VerifierOptions.RedirectURI).
func (v *Verifier) handleResponse(ctx context.Context, body []byte) (string, string, error) {
	state, res, err := v.handle(ctx, body)
	if err != nil {
		return state, "", err
	}
	if err := v.sessions.Complete(ctx, state, res); err != nil {
		return state, "", err
	}
	return state, res.ResponseCode, nil
}

// handle validates a response body and returns the outcome to record.
func (v *Verifier) handle(ctx context.Context, body []byte) (string, *Result, error) {
	if len(body) > v.o.MaxResponseBytes {
		return "", nil, fmt.Errorf("openid4vp: response of %d bytes: %w", len(body), ErrTooLarge)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil, fmt.Errorf("openid4vp: response is not form-encoded: %w", ErrMalformed)
	}
	var s *Session
	var vpToken, state string
	if enc := form.Get("response"); enc != "" {
		s, vpToken, state, err = v.decryptResponse(ctx, []byte(enc))
		if err != nil {
			return state, nil, err
		}
	} else {
		state, vpToken = form.Get("state"), form.Get("vp_token")
		if s, err = v.sessions.Get(ctx, state); err != nil {
			return state, nil, err
		}
		if e := form.Get("error"); e != "" && vpToken == "" {
			// An error response (§8.5), which a wallet may send unencrypted: it ends the
			// request, and Result reports it.
			if s.Done {
				return state, nil, fmt.Errorf("openid4vp: request %s already answered: %w", state, ErrReplay)
			}
			if !urlSafe(e) || len(e) > 64 {
				return state, nil, fmt.Errorf("openid4vp: malformed error code: %w", ErrMalformed)
			}
			res, err := v.newResult(&Result{Error: e})
			return state, res, err
		}
		if v.o.ResponseMode == ResponseModeDirectPostJWT {
			return state, nil, fmt.Errorf("openid4vp: unencrypted response where direct_post.jwt was asked for: %w", ErrMalformed)
		}
	}
	if s.Done {
		return state, nil, fmt.Errorf("openid4vp: request %s already answered: %w", state, ErrReplay)
	}
	res, err := v.validate(ctx, s, []byte(vpToken))
	if err != nil {
		return state, nil, err
	}
	res, err = v.newResult(res)
	return state, res, err
}

// decryptResponse opens a direct_post.jwt response: the JWE's kid names the request.
func (v *Verifier) decryptResponse(ctx context.Context, jwe []byte) (*Session, string, string, error) {
	kid, err := jweKid(jwe)
	if err != nil {
		return nil, "", "", err
	}
	s, err := v.sessions.Get(ctx, kid)
	if err != nil {
		return nil, "", kid, err
	}
	if s.Done || len(s.DecryptionKey) == 0 {
		return nil, "", kid, fmt.Errorf("openid4vp: request %s already answered or not encrypted: %w", kid, ErrReplay)
	}
	priv, err := ecdh.P256().NewPrivateKey(s.DecryptionKey)
	if err != nil {
		return nil, "", kid, err
	}
	d, err := ijose.Decrypt(priv, jwe, ijose.DecryptOptions{Encs: []string{v.o.Enc}, MaxBytes: v.o.MaxResponseBytes})
	if err != nil {
		return nil, "", kid, fmt.Errorf("openid4vp: encrypted response: %w", err)
	}
	var payload struct {
		VPToken json.RawMessage `json:"vp_token"`
		State   string          `json:"state"`
	}
	if err := decodeStrict(d.Plaintext, &payload); err != nil {
		return nil, "", kid, fmt.Errorf("openid4vp: encrypted response payload: %w", err)
	}
	if payload.State != s.State {
		return nil, "", kid, fmt.Errorf("openid4vp: encrypted response for another request: %w", ErrMalformed)
	}
	return s, string(payload.VPToken), s.State, nil
}

// newResult gives r a response_code when the verifier redirects the wallet.
func (v *Verifier) newResult(r *Result) (*Result, error) {
	if v.o.RedirectURI != "" {
		code, err := random()
		if err != nil {
			return nil, err
		}
		r.ResponseCode = code
	}
	return r, nil
}

// jweKid reads the kid of a compact JWE's protected header without decrypting.
func jweKid(jwe []byte) (string, error) {
	head, _, ok := strings.Cut(string(jwe), ".")
	if !ok || len(head) > 4096 {
		return "", fmt.Errorf("openid4vp: response is not a compact JWE: %w", ErrMalformed)
	}
	hj, err := b64.DecodeString(head)
	if err != nil {
		return "", fmt.Errorf("openid4vp: JWE header is not base64url: %w", ErrMalformed)
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if err := decodeStrict(hj, &h); err != nil || h.Kid == "" {
		return "", fmt.Errorf("openid4vp: JWE header without kid: %w", ErrMalformed)
	}
	return h.Kid, nil
}

// validate checks a vp_token against the session's request (OpenID4VP 1.0 §8.6).
func (v *Verifier) validate(ctx context.Context, s *Session, vpToken []byte) (*Result, error) {
	var ar AuthorizationRequest
	if err := json.Unmarshal(s.Request, &ar); err != nil {
		return nil, err
	}
	q, err := dcql.ParseQuery(ar.DCQLQuery)
	if err != nil {
		return nil, err
	}
	if len(vpToken) == 0 {
		return nil, fmt.Errorf("openid4vp: response without vp_token: %w", ErrMalformed)
	}
	var token map[string][]json.RawMessage
	if err := decodeStrict(vpToken, &token); err != nil {
		return nil, fmt.Errorf("openid4vp: vp_token: %w", err)
	}
	queries := map[string]dcql.CredentialQuery{}
	for _, cq := range q.Credentials {
		queries[cq.ID] = cq
	}
	res := &Result{Credentials: map[string][]Disclosed{}}
	presented := map[string][]dcql.Credential{}
	for qid, list := range token {
		cq, ok := queries[qid]
		if !ok {
			return nil, fmt.Errorf("openid4vp: vp_token answers %q, which the query does not ask: %w", qid, ErrMalformed)
		}
		if len(list) == 0 || len(list) > 1 && !cq.Multiple {
			return nil, fmt.Errorf("openid4vp: vp_token holds %d presentations for %q: %w", len(list), qid, ErrMalformed)
		}
		for i, raw := range list {
			d, c, err := v.verifyOne(ctx, raw, s.Nonce)
			if err != nil {
				return nil, fmt.Errorf("openid4vp: %s[%d]: %w", qid, i, err)
			}
			res.Credentials[qid] = append(res.Credentials[qid], d)
			presented[qid] = append(presented[qid], c)
		}
	}
	if err := dcql.CheckResponse(q, presented); err != nil {
		return nil, fmt.Errorf("openid4vp: the response does not satisfy the query: %w", err)
	}
	return res, nil
}

// verifyOne verifies one presentation of a vp_token: a JSON string (SD-JWT+KB, vp+jwt)
// or object (a Data Integrity presentation), bound to the nonce and this client_id.
func (v *Verifier) verifyOne(ctx context.Context, raw json.RawMessage, nonce string) (Disclosed, dcql.Credential, error) {
	var data []byte
	want := vc.Expect{Nonce: nonce, Audience: v.o.ClientID}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		data = []byte(str)
	} else {
		data = raw
		want = vc.Expect{Challenge: nonce, Domain: v.o.ClientID}
	}
	p, err := v.vc.VerifyPresentation(ctx, data, want)
	if err != nil {
		return Disclosed{}, dcql.Credential{}, err
	}
	creds := p.Credentials()
	if len(creds) != 1 {
		return Disclosed{}, dcql.Credential{}, fmt.Errorf("a presentation carries %d credentials, want one per presentation: %w", len(creds), ErrMalformed)
	}
	c := creds[0]
	format := dcqlFormat(c.Format())
	claims := c.Claims()
	d := Disclosed{Format: format, Issuer: c.Issuer(), Types: c.Types(), Holder: p.Holder(), Claims: claims}
	view := dcql.Credential{Format: format, Claims: claims, Issuer: c.Issuer(), Types: c.Types(), HolderBound: true}
	if format == presentation.DCQLFormatSDJWTVC {
		view.VCT, _ = claims["vct"].(string)
		view.Types = nil
	}
	return d, view, nil
}

func dcqlFormat(f vc.Format) string {
	switch f {
	case vc.FormatSDJWTVC:
		return presentation.DCQLFormatSDJWTVC
	case vc.FormatSDJWT:
		return presentation.DCQLFormatVCSDJWT
	case vc.FormatDataIntegrity:
		return presentation.DCQLFormatLDPVC
	}
	return presentation.DCQLFormatJWTVC
}

// ResultFor is Result for the front end that the wallet redirected the user to: code is
// the response_code of the redirect URI's fragment, and must be the one made for this
// request's response (else ErrNotFound, as for an unknown request), so that only the
// browser the wallet answered in learns the outcome.
func (v *Verifier) ResultFor(ctx context.Context, state, code string) (*Result, error) {
	s, err := v.sessions.Get(ctx, state)
	if err != nil {
		return nil, err
	}
	if !s.Done || s.Result == nil {
		return nil, fmt.Errorf("openid4vp: request %s: %w", state, ErrPending)
	}
	if s.Result.ResponseCode == "" || subtle.ConstantTimeCompare([]byte(code), []byte(s.Result.ResponseCode)) != 1 {
		return nil, fmt.Errorf("openid4vp: request %s: no response with that response_code: %w", state, ErrNotFound)
	}
	return v.Result(ctx, state)
}

// Result returns the outcome of the request state: what was learned, ErrPending while
// no valid response has arrived, ErrConsentDenied or ErrNoMatch when the wallet answered
// with an error, or ErrNotFound for an unknown or expired request.
func (v *Verifier) Result(ctx context.Context, state string) (*Result, error) {
	s, err := v.sessions.Get(ctx, state)
	if err != nil {
		return nil, err
	}
	if !s.Done || s.Result == nil {
		return nil, fmt.Errorf("openid4vp: request %s: %w", state, ErrPending)
	}
	switch s.Result.Error {
	case "":
		return s.Result, nil
	case "access_denied":
		return nil, fmt.Errorf("openid4vp: request %s: the user declined: %w", state, ErrConsentDenied)
	}
	return nil, fmt.Errorf("openid4vp: request %s: the wallet answered %q: %w", state, s.Result.Error, ErrNoMatch)
}
