package openid4vp

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/netguard"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
)

// WalletOptions configure a Wallet. The zero value accepts nothing it cannot
// authenticate and reaches no network.
type WalletOptions struct {
	// HTTPClient fetches request objects and posts responses, through the library's
	// network guard (https only, no private addresses, bounded). If nil, the Wallet
	// neither fetches nor posts: Respond returns the response for the caller to send.
	HTTPClient *http.Client
	// Resolver resolves the DIDs of decentralized_identifier verifiers; if nil,
	// did:key and did:jwk only.
	Resolver did.Resolver
	// Roots are the trust anchors of x509_san_dns verifiers; if nil, such requests are
	// refused.
	Roots *x509.CertPool
	// AllowRedirectURI accepts requests of the redirect_uri prefix, whose verifier is
	// not authenticated: anyone can write any response URI into one. Off by default.
	AllowRedirectURI bool
	// Algorithms allowed on request objects; if empty, EdDSA, ES256 and ES384.
	Algorithms []string
	// Clock, if nil, is time.Now.
	Clock func() time.Time

	netguard netguard.Options // tests only
}

// Wallet is the wallet side of OpenID4VP. It is safe for concurrent use.
type Wallet struct {
	o     WalletOptions
	keys  vc.KeySource
	guard *netguard.Guard
	clock func() time.Time
}

// NewWallet makes a Wallet.
func NewWallet(o WalletOptions) (*Wallet, error) {
	w := &Wallet{o: o, clock: o.Clock}
	if w.clock == nil {
		w.clock = time.Now
	}
	r := o.Resolver
	if r == nil {
		reg, err := vc.DefaultResolver()
		if err != nil {
			return nil, err
		}
		r = reg
	}
	dk, err := vc.NewDIDKeys(r)
	if err != nil {
		return nil, err
	}
	w.keys = dk
	if o.HTTPClient != nil {
		no := o.netguard
		no.MaxBodyBytes = MaxRequestBytes
		if w.guard, err = netguard.New(o.HTTPClient, no); err != nil {
			return nil, err
		}
	}
	if len(w.o.Algorithms) == 0 {
		w.o.Algorithms = []string{keys.EdDSA, keys.ES256, keys.ES384}
	}
	return w, nil
}

// IncomingRequest is an Authorization Request the Wallet parsed and authenticated.
type IncomingRequest struct {
	AuthorizationRequest
	// Verifier is the authenticated client identifier (with its prefix).
	Verifier string
	// Query is the parsed DCQL query.
	Query *dcql.Query
}

// ParseRequest reads a wallet invocation URL (openid4vp://?..., or any URL with the
// request in its query), fetches the request object of a request_uri, checks its
// signature against the verifier its client_id names, and checks the parameters.
func (w *Wallet) ParseRequest(ctx context.Context, invocation string) (*IncomingRequest, error) {
	if len(invocation) > MaxRequestBytes {
		return nil, fmt.Errorf("openid4vp: invocation of %d bytes: %w", len(invocation), ErrTooLarge)
	}
	u, err := url.Parse(invocation)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: invocation is not a URL: %w", ErrMalformed)
	}
	q := u.Query()
	clientID := q.Get("client_id")
	prefix, id, ok := Prefix(clientID)
	if !ok {
		return nil, fmt.Errorf("openid4vp: client_id %q has no client identifier prefix this wallet accepts: %w", clientID, ErrUntrustedVerifier)
	}
	var ar AuthorizationRequest
	switch {
	case q.Has("request_uri"):
		if q.Has("request") {
			return nil, fmt.Errorf("openid4vp: both request and request_uri: %w", ErrMalformed)
		}
		if m := q.Get("request_uri_method"); m != "" && m != "get" {
			return nil, fmt.Errorf("openid4vp: request_uri_method %q is not supported: %w", m, ErrMalformed)
		}
		obj, err := w.fetch(ctx, q.Get("request_uri"))
		if err != nil {
			return nil, err
		}
		if ar, err = w.verifyRequestObject(ctx, obj, prefix, id); err != nil {
			return nil, err
		}
		if ar.ClientID != clientID {
			return nil, fmt.Errorf("openid4vp: the request object's client_id differs from the invocation's: %w", ErrUntrustedVerifier)
		}
	case q.Has("request"):
		if ar, err = w.verifyRequestObject(ctx, []byte(q.Get("request")), prefix, id); err != nil {
			return nil, err
		}
		if ar.ClientID != clientID {
			return nil, fmt.Errorf("openid4vp: the request object's client_id differs from the invocation's: %w", ErrUntrustedVerifier)
		}
	default:
		if prefix != PrefixRedirectURI {
			return nil, fmt.Errorf("openid4vp: %s requests must be signed: %w", prefix, ErrUntrustedVerifier)
		}
		if !w.o.AllowRedirectURI {
			return nil, fmt.Errorf("openid4vp: redirect_uri verifiers are not authenticated and not allowed: %w", ErrUntrustedVerifier)
		}
		if ar, err = paramsRequest(q); err != nil {
			return nil, err
		}
		if ar.ResponseURI != id {
			return nil, fmt.Errorf("openid4vp: with redirect_uri the response URI must be the client identifier: %w", ErrUntrustedVerifier)
		}
	}
	if q.Has("transaction_data") || ar.hasTransactionData {
		return nil, fmt.Errorf("openid4vp: transaction_data is not supported: %w", ErrMalformed)
	}
	query, err := ar.check()
	if err != nil {
		return nil, err
	}
	if prefix == PrefixX509SANDNS {
		ru, _ := url.Parse(ar.ResponseURI)
		if ru.Hostname() != id {
			return nil, fmt.Errorf("openid4vp: response URI host %s is not the certified %s: %w", ru.Hostname(), id, ErrUntrustedVerifier)
		}
	}
	if w.guard != nil {
		if _, err := netguard.CheckURL(ar.ResponseURI, w.o.netguard); err != nil {
			return nil, fmt.Errorf("openid4vp: response URI: %w", err)
		}
	}
	return &IncomingRequest{AuthorizationRequest: ar, Verifier: clientID, Query: query}, nil
}

// paramsRequest reads an unsigned request from URL parameters.
func paramsRequest(q url.Values) (AuthorizationRequest, error) {
	ar := AuthorizationRequest{
		ClientID: q.Get("client_id"), ResponseType: q.Get("response_type"), ResponseMode: q.Get("response_mode"),
		ResponseURI: q.Get("response_uri"), Nonce: q.Get("nonce"), State: q.Get("state"), DCQLQuery: json.RawMessage(q.Get("dcql_query")),
	}
	if cm := q.Get("client_metadata"); cm != "" {
		ar.ClientMetadata = new(ClientMetadata)
		if err := decodeStrict([]byte(cm), ar.ClientMetadata); err != nil {
			return ar, fmt.Errorf("openid4vp: client_metadata: %w", err)
		}
	}
	return ar, nil
}

func (w *Wallet) fetch(ctx context.Context, uri string) ([]byte, error) {
	if w.guard == nil {
		return nil, fmt.Errorf("openid4vp: a request_uri needs WalletOptions.HTTPClient: %w", ErrInvalidOptions)
	}
	res, err := w.guard.Get(ctx, uri, RequestObjectMediaType)
	if err != nil {
		return nil, fmt.Errorf("openid4vp: request_uri: %w", err)
	}
	return bytes.TrimSpace(res.Body), nil
}

// verifyRequestObject checks a signed request object against the client identifier
// prefix: decentralized_identifier (a key of the DID, named by kid) or x509_san_dns (a
// chain to the wallet's roots whose leaf names the DNS name).
func (w *Wallet) verifyRequestObject(ctx context.Context, obj []byte, prefix, id string) (AuthorizationRequest, error) {
	var ar AuthorizationRequest
	if prefix == PrefixRedirectURI {
		return ar, fmt.Errorf("openid4vp: redirect_uri requests cannot be signed: %w", ErrUntrustedVerifier)
	}
	tok, err := ijose.Parse(obj, ijose.Policy{Types: []string{RequestObjectTyp}, Algorithms: w.o.Algorithms, AllowX5C: prefix == PrefixX509SANDNS, MaxBytes: MaxRequestBytes})
	if err != nil {
		return ar, fmt.Errorf("openid4vp: request object: %w", err)
	}
	var pub any
	switch prefix {
	case PrefixDID:
		u, err := did.ParseURL(tok.Header.Kid)
		if err != nil || u.DID.String() != id {
			return ar, fmt.Errorf("openid4vp: request object kid %q is not a key of %s: %w", tok.Header.Kid, id, ErrUntrustedVerifier)
		}
		if pub, err = w.keys.Key(ctx, vc.KeyRequest{Issuer: id, KeyID: tok.Header.Kid, Relationship: did.Authentication}); err != nil {
			return ar, fmt.Errorf("openid4vp: verifier key: %w: %w", ErrUntrustedVerifier, err)
		}
	case PrefixX509SANDNS:
		chain, err := certChain(tok.Header.X5C)
		if err != nil {
			return ar, err
		}
		if err := verifyChain(chain, w.o.Roots, id, x509.VerifyOptions{CurrentTime: w.clock()}); err != nil {
			return ar, err
		}
		pub = chain[0].PublicKey
	}
	if err := tok.Verify(pub, w.o.Algorithms); err != nil {
		return ar, fmt.Errorf("openid4vp: request object: %w", err)
	}
	var claims struct {
		AuthorizationRequest
		TransactionData json.RawMessage `json:"transaction_data"`
		Exp             *int64          `json:"exp"`
	}
	if err := decodeStrict(tok.Payload, &claims); err != nil {
		return ar, fmt.Errorf("openid4vp: request object payload: %w", err)
	}
	if claims.Exp != nil && w.clock().Unix() > *claims.Exp {
		return ar, fmt.Errorf("openid4vp: request object expired: %w", vc.ErrExpired)
	}
	ar = claims.AuthorizationRequest
	ar.hasTransactionData = len(claims.TransactionData) > 0
	return ar, nil
}

// Share is what one credential of a response gives one verifier: exactly the claim
// paths the verifier learns (an SD-JWT's plain claims and a JWT or Data Integrity
// credential's whole content go too: Whole says so).
type Share struct {
	QueryID      string
	CredentialID string
	Format       string
	Claims       [][]any
	// Whole is set when the credential cannot hide claims: the verifier sees all of it.
	Whole bool
}

// ConsentFunc asks the user whether to share shares with verifier; it returns true to
// go ahead. It must not return before the user decided.
type ConsentFunc func(ctx context.Context, verifier string, shares []Share) (bool, error)

// Response is a prepared Authorization Response.
type Response struct {
	// URI is where it goes (the request's response_uri).
	URI string
	// Body is the application/x-www-form-urlencoded body.
	Body []byte
	// Shares are what it discloses, as the user approved it.
	Shares []Share
	// RedirectURI is where the verifier asked the wallet to send the user's browser
	// after the response was posted (an https URL on a public host), or "".
	RedirectURI string
}

// Plan returns what Respond would share for req from held, without asking, signing or
// sending anything: a wallet that asks its user in a separate step (a web page) shows
// this, then calls Respond with a ConsentFunc that agrees to exactly these shares. It is
// ErrNoMatch when nothing satisfies the request.
func (w *Wallet) Plan(_ context.Context, req *IncomingRequest, held map[string][]byte) ([]Share, error) {
	if req == nil {
		return nil, fmt.Errorf("openid4vp: Plan needs a request: %w", ErrInvalidOptions)
	}
	shares, _, err := w.plan(req, held)
	return shares, err
}

// plan evaluates the request's DCQL query against held.
func (w *Wallet) plan(req *IncomingRequest, held map[string][]byte) ([]Share, map[string][]dcql.Presentation, error) {
	creds := make([]dcql.Credential, 0, len(held))
	ids := make([]string, 0, len(held))
	for id := range held {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	formats := map[string]string{}
	for _, id := range ids {
		c, err := presentation.DCQLCredential(id, held[id])
		if err != nil {
			continue // a credential the wallet cannot read cannot match
		}
		formats[id] = c.Format
		creds = append(creds, c)
	}
	res, err := dcql.Evaluate(req.Query, creds)
	if err != nil {
		return nil, nil, err
	}
	chosen := res.Response()
	if len(chosen) == 0 {
		return nil, nil, fmt.Errorf("openid4vp: no credential satisfies the request: %w", ErrNoMatch)
	}
	var shares []Share
	qids := make([]string, 0, len(chosen))
	for qid := range chosen {
		qids = append(qids, qid)
	}
	slices.Sort(qids)
	for _, qid := range qids {
		for _, p := range chosen[qid] {
			f := formats[p.CredentialID]
			shares = append(shares, Share{QueryID: qid, CredentialID: p.CredentialID, Format: f, Claims: p.Disclose,
				Whole: f != presentation.DCQLFormatSDJWTVC && f != presentation.DCQLFormatVCSDJWT})
		}
	}
	return shares, chosen, nil
}

// Decline answers req with an error response (OpenID4VP 1.0 §8.5): code is
// "access_denied" (the user said no; the default when empty) or another OAuth error
// code. It is sent unencrypted, as the specification allows for errors, and posted
// when the Wallet has an HTTPClient; the verifier's Result then reports the refusal.
func (w *Wallet) Decline(ctx context.Context, req *IncomingRequest, code string) (*Response, error) {
	if req == nil {
		return nil, fmt.Errorf("openid4vp: Decline needs a request: %w", ErrInvalidOptions)
	}
	if code == "" {
		code = "access_denied"
	}
	if !urlSafe(code) {
		return nil, fmt.Errorf("openid4vp: error code %q: %w", code, ErrInvalidOptions)
	}
	form := url.Values{"error": {code}}
	if req.State != "" {
		form.Set("state", req.State)
	}
	out := &Response{URI: req.ResponseURI, Body: []byte(form.Encode())}
	if w.guard != nil {
		if err := w.post(ctx, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Respond answers req with the holder's credentials held (handle -> credential as
// issued): it evaluates the DCQL query, asks consent with exactly what would be shared
// (ErrConsentDenied if refused, ErrNoMatch if the wallet cannot satisfy the query),
// builds the vp_token with minimal disclosure bound to the request's nonce and client
// identifier, encrypts it for direct_post.jwt, and posts it when the Wallet has an
// HTTPClient.
func (w *Wallet) Respond(ctx context.Context, req *IncomingRequest, h *presentation.Holder, held map[string][]byte, consent ConsentFunc) (*Response, error) {
	if req == nil || h == nil || consent == nil {
		return nil, fmt.Errorf("openid4vp: Respond needs a request, a holder and a consent function: %w", ErrInvalidOptions)
	}
	shares, chosen, err := w.plan(req, held)
	if err != nil {
		return nil, err
	}
	ok, err := consent(ctx, req.Verifier, shares)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("openid4vp: %w", ErrConsentDenied)
	}
	token, err := h.RespondDCQL(ctx, held, chosen, presentation.Request{Nonce: req.Nonce, Audience: req.ClientID})
	if err != nil {
		return nil, err
	}
	vpToken, err := json.Marshal(token)
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	if req.ResponseMode == ResponseModeDirectPostJWT {
		k, err := req.encryptionKey()
		if err != nil {
			return nil, err
		}
		pub, err := ecdhKey(k)
		if err != nil {
			return nil, err
		}
		enc := ijose.EncA128GCM
		if req.ClientMetadata != nil && len(req.ClientMetadata.EncValues) > 0 {
			enc = ""
			for _, e := range req.ClientMetadata.EncValues {
				if e == ijose.EncA128GCM || e == ijose.EncA256GCM {
					enc = e
					break
				}
			}
			if enc == "" {
				return nil, fmt.Errorf("openid4vp: none of the verifier's enc values is supported: %w", vc.ErrAlgorithmNotAllowed)
			}
		}
		payload, err := json.Marshal(map[string]any{"vp_token": json.RawMessage(vpToken), "state": req.State})
		if err != nil {
			return nil, err
		}
		jwe, err := ijose.Encrypt(pub, payload, ijose.EncryptOptions{Enc: enc, Kid: k.Kid})
		if err != nil {
			return nil, err
		}
		form.Set("response", string(jwe))
	} else {
		form.Set("vp_token", string(vpToken))
		if req.State != "" {
			form.Set("state", req.State)
		}
	}
	out := &Response{URI: req.ResponseURI, Body: []byte(form.Encode()), Shares: shares}
	if w.guard != nil {
		if err := w.post(ctx, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

func ecdhKey(k *JWK) (*ecdh.PublicKey, error) {
	x, err1 := b64.DecodeString(k.X)
	y, err2 := b64.DecodeString(k.Y)
	if err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
		return nil, fmt.Errorf("openid4vp: verifier encryption key: %w", vc.ErrInvalidKey)
	}
	pub, err := ecdh.P256().NewPublicKey(append(append([]byte{4}, x...), y...))
	if err != nil {
		return nil, fmt.Errorf("openid4vp: verifier encryption key is not on P-256: %w", vc.ErrInvalidKey)
	}
	return pub, nil
}

// post sends the response to its URI through the guard.
func (w *Wallet) post(ctx context.Context, r *Response) error {
	if _, err := netguard.CheckURL(r.URI, w.o.netguard); err != nil {
		return fmt.Errorf("openid4vp: response URI: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URI, strings.NewReader(string(r.Body)))
	if err != nil {
		return fmt.Errorf("openid4vp: response URI: %v: %w", err, vc.ErrInvalidURL)
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.guard.Client().Do(hr)
	if err != nil {
		return fmt.Errorf("openid4vp: posting the response: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("openid4vp: the verifier answered %d: %w", resp.StatusCode, ErrRejected)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	if err != nil {
		return fmt.Errorf("openid4vp: reading the verifier's answer: %w", err)
	}
	var answer struct {
		RedirectURI string `json:"redirect_uri"`
	}
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &answer) != nil || answer.RedirectURI == "" {
		return nil // no redirect: the flow ends here (§8.2)
	}
	if _, err := netguard.CheckURL(answer.RedirectURI, w.o.netguard); err != nil {
		return fmt.Errorf("openid4vp: the verifier's redirect_uri: %w", err)
	}
	r.RedirectURI = answer.RedirectURI
	return nil
}
