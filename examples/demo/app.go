package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/presentation/openid4vp"
)

//go:embed templates.html style.css
var assets embed.FS

// app is the three sites and the wallet, in one process.
type app struct {
	base    string // http://127.0.0.1:PORT, the browser's side
	tlsBase string // https://127.0.0.1:PORT: the verifiers' response endpoints, the issuers' OpenID4VCI endpoints
	clock   func() time.Time
	log     *slog.Logger
	tmpl    *template.Template

	issuer       *issuerPortal
	issuance     Issuance
	issuanceName string
	wallet       *walletSide
	shop, login  *site
	border       *border

	responses *http.Server
	tlsLn     net.Listener
	client    *http.Client // reaches tlsBase only: it trusts that listener's certificate alone

	mu        sync.Mutex
	answered  map[string][]string // client_id -> states the wallet answered
	forgotten map[string]bool     // states whose sharing the holder revoked
}

type options struct {
	dataDir string
	direct  bool   // issue without OpenID4VCI
	base    string // the URL the browser-facing listener serves
	clock   func() time.Time
	log     *slog.Logger
}

// newApp builds the sites over the data directory and starts the TLS listener of the
// verifiers' response endpoints on loopback. Close stops it.
func newApp(o options) (*app, error) {
	if o.clock == nil {
		o.clock = time.Now
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"join": strings.Join, "dict": dict, "describe": describe}).ParseFS(assets, "templates.html")
	if err != nil {
		return nil, err
	}
	a := &app{base: strings.TrimSuffix(o.base, "/"), clock: o.clock, log: o.log, tmpl: tmpl, answered: map[string][]string{}, forgotten: map[string]bool{}}
	if a.issuer, err = newIssuerPortal(o.dataDir, o.clock); err != nil {
		return nil, err
	}
	if a.wallet, err = newWalletSide(o.dataDir, o.clock); err != nil {
		return nil, err
	}
	if a.border, err = newBorder(a.issuer, o.clock); err != nil {
		return nil, err
	}
	if err := a.startResponses(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	if o.direct {
		a.issuance, a.issuanceName = directIssuance{a}, "direct: the portal signs and hands the credential to the wallet in the same process"
	} else {
		vci, err := newVCIIssuance(a)
		if err != nil {
			a.Close()
			return nil, err
		}
		if a.wallet.iw, err = newIssuanceWallet(a); err != nil {
			a.Close()
			return nil, err
		}
		vci.mount(mux)
		a.issuance, a.issuanceName = vci, "OpenID4VCI 1.0, pre-authorized code flow: the portal offers, the wallet accepts, proves its key and receives"
	}
	if a.shop, err = newSite("Corner Shop", "shop", a); err != nil {
		a.Close()
		return nil, err
	}
	if a.login, err = newSite("Forum (login with wallet)", "login", a); err != nil {
		a.Close()
		return nil, err
	}
	mux.Handle("/shop/response", a.shop.v.ResponseHandler())
	mux.Handle("/login/response", a.login.v.ResponseHandler())
	a.responses.Handler = mux
	go a.responses.Serve(a.tlsLn)
	return a, nil
}

// startResponses listens on a loopback port with a certificate made for this run: the
// verifiers' response URIs must be https, and the wallet posts to them with a client
// that trusts this one certificate and nothing else.
func (a *app) startResponses() error {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := a.clock()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "credence demo verifiers"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	a.tlsBase = "https://" + ln.Addr().String()
	a.responses = &http.Server{ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)}
	tlsLn := tls.NewListener(ln, &tls.Config{MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: priv}}})
	a.tlsLn = tlsLn
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	a.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return nil
}

// Close stops the TLS listener.
func (a *app) Close() error {
	if a.responses == nil {
		return nil
	}
	a.tlsLn.Close()
	return a.responses.Close()
}

// deliver posts a prepared Authorization Response to its response URI, which must be
// one of the demo's own verifiers: the wallet has no HTTP client of its own (its
// network guard would rightly refuse loopback), so this is the one place the demo
// sends a response, and it sends nowhere else.
func (a *app) deliver(ctx context.Context, resp *openid4vp.Response) error {
	if !strings.HasPrefix(resp.URI, a.tlsBase+"/") {
		return fmt.Errorf("the response URI %s is not one of this demo's verifiers: not sent", resp.URI)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, resp.URI, bytes.NewReader(resp.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("posting the response: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the verifier refused the response (%d): %s", res.StatusCode, body)
	}
	return nil
}

func (a *app) noteAnswered(clientID, state string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	states := append(a.answered[clientID], state)
	if len(states) > 1024 {
		for _, st := range states[:len(states)-1024] {
			delete(a.forgotten, st)
		}
		states = states[len(states)-1024:]
	}
	a.answered[clientID] = states
}

// ServeHTTP routes the browser's requests.
func (a *app) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.routes().ServeHTTP(w, r)
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { a.render(w, r, "home", nil) })
	mux.HandleFunc("GET /style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		b, _ := assets.ReadFile("style.css")
		w.Write(b)
	})
	mux.HandleFunc("GET /issuer/{$}", a.issuerHome)
	mux.HandleFunc("POST /issuer/issue/{kind}", a.issuerIssue)
	mux.HandleFunc("POST /issuer/revoke", a.issuerRevoke)

	mux.HandleFunc("GET /wallet/{$}", a.walletHome)
	mux.HandleFunc("GET /wallet/authorize", a.walletAuthorize)
	mux.HandleFunc("POST /wallet/authorize", a.walletDecide)
	mux.HandleFunc("POST /wallet/revoke", a.walletRevoke)
	mux.HandleFunc("POST /wallet/delete", a.walletDelete)
	mux.HandleFunc("POST /wallet/erase", a.walletErase)
	mux.HandleFunc("GET /wallet/offer", a.walletOffer)
	mux.HandleFunc("POST /wallet/offer", a.walletOffer)
	mux.HandleFunc("GET /wallet/present/{id}", a.walletPresent)
	mux.HandleFunc("POST /wallet/present/{id}", a.walletPresent)

	mux.HandleFunc("GET /shop/{$}", a.shopHome)
	mux.HandleFunc("GET /shop/wine", a.shopWine)
	mux.HandleFunc("POST /shop/verify", a.shop.start(a, shopQuery))
	mux.HandleFunc("GET /shop/return", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/shop/wine", http.StatusSeeOther) })

	mux.HandleFunc("GET /login/{$}", a.loginHome)
	mux.HandleFunc("POST /login/start", a.login.start(a, loginQuery))
	mux.HandleFunc("GET /login/return", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/login/", http.StatusSeeOther) })

	mux.HandleFunc("GET /border/{$}", a.borderHome)
	mux.HandleFunc("POST /border/{$}", a.borderHome)
	mux.HandleFunc("POST /border/refresh", a.borderRefresh)
	// Forms post only from the demo's own pages: a page of another origin cannot make
	// the wallet share, withdraw or delete.
	return securityHeaders(http.NewCrossOriginProtection().Handler(mux))
}

// securityHeaders: no scripts, no framing, no referrers carrying request parameters.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// siteOf names the site a path belongs to, for the page header.
func siteOf(path string) string {
	for _, s := range []string{"issuer", "wallet", "shop", "login", "border"} {
		if strings.HasPrefix(path, "/"+s+"/") {
			return s
		}
	}
	return ""
}

func (a *app) render(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	a.renderStatus(w, r, http.StatusOK, name, data)
}

func (a *app) renderStatus(w http.ResponseWriter, r *http.Request, code int, name string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["Section"] = siteOf(r.URL.Path)
	var buf bytes.Buffer
	if err := a.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		a.log.Error("template", "name", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// fail shows an error page. Errors of the library never carry claim values.
func (a *app) fail(w http.ResponseWriter, r *http.Request, code int, err error) {
	a.log.Info("request failed", "path", r.URL.Path, "status", code, "error", err)
	msg := err.Error()
	if code >= 500 && !errors.Is(err, openid4vp.ErrRejected) && code != http.StatusBadGateway {
		msg = "Something went wrong on our side."
	}
	a.renderStatus(w, r, code, "error", map[string]any{"Message": msg})
}

// dict makes the map a template passes to the page header.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}
