package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// Queries of the two online verifiers (DCQL, OpenID4VP 1.0 §6).
const (
	// The shop needs age_equal_or_over.18 = true; it would like the first name too, to
	// greet its customer, and says so with two claim sets in its order of preference.
	shopQuery = `{"credentials":[{"id":"id","format":"dc+sd-jwt","meta":{"vct_values":["` + vctID + `"]},
		"claims":[{"id":"adult","path":["age_equal_or_over","18"],"values":[true]},{"id":"name","path":["given_name"]}],
		"claim_sets":[["adult","name"],["adult"]]}]}`
	// Login asks for the identity card without any of its claims: the site learns the
	// issuer, the type and the holder's key, and nothing about the person.
	loginQuery = `{"credentials":[{"id":"login","format":"dc+sd-jwt","meta":{"vct_values":["` + vctID + `"]}}]}`
)

// site is a verifier the demo runs, as the wallet knows it.
type site struct {
	Name     string
	ClientID string
	Return   string // where the wallet sends the user back
	v        *openid4vp.Verifier
	cookie   string
}

// newSite makes a verifier with a did:key client identifier whose request objects are
// signed and passed by value, and whose response URI is on the demo's TLS listener.
func newSite(name, path string, a *app) (*site, error) {
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return nil, err
	}
	id, err := key.Create(s.Public())
	if err != nil {
		return nil, err
	}
	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: a.issuer.ministryDID, Name: "Ministry of the Interior", Types: []string{vctID}})
	if err != nil {
		return nil, err
	}
	v, err := openid4vp.NewVerifier(openid4vp.VerifierOptions{
		ClientID:    openid4vp.PrefixDID + ":" + id,
		ResponseURI: a.tlsBase + "/" + path + "/response",
		Signer:      s, KeyID: id + "#" + strings.TrimPrefix(id, "did:key:"), ByValue: true,
		WalletURL:   a.base + "/wallet/authorize",
		Credentials: vc.VerifierOptions{Trust: trust, Clock: a.clock},
		Clock:       a.clock,
	})
	if err != nil {
		return nil, err
	}
	return &site{Name: name, ClientID: openid4vp.PrefixDID + ":" + id, Return: a.base + "/" + path + "/return", v: v, cookie: path + "_state"}, nil
}

// start makes a request and sends the browser to the wallet with it.
func (s *site) start(a *app, query string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req, err := s.v.NewRequest(r.Context(), []byte(query))
		if err != nil {
			a.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: req.State, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, req.URL, http.StatusSeeOther)
	}
}

// result is what this browser's request has proven, or an error (openid4vp.ErrPending
// while no response has arrived).
func (s *site) result(r *http.Request) (*openid4vp.Result, error) {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return nil, openid4vp.ErrNotFound
	}
	return s.v.Result(r.Context(), c.Value)
}

// Handlers of the shop, under /shop/.

func (a *app) shopHome(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, "shop", nil)
}

func (a *app) shopWine(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{}
	if res, err := a.shop.result(r); err == nil && !a.shopForgotten(r) {
		d := res.Credentials["id"][0]
		age, _ := d.Claims["age_equal_or_over"].(map[string]any)
		if age["18"] == true {
			data["Granted"] = true
			data["Name"], _ = d.Claims["given_name"].(string)
			data["Learned"] = claimNames(d.Claims)
		}
	}
	a.render(w, r, "wine", data)
}

// shopForgotten reports whether the holder withdrew the proof this browser gave.
func (a *app) shopForgotten(r *http.Request) bool {
	c, err := r.Cookie(a.shop.cookie)
	if err != nil {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.forgotten[c.Value]
}

func claimNames(m map[string]any) []string {
	var out []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && k != "cnf" {
			for sk := range sub {
				out = append(out, k+"."+sk)
			}
			continue
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Handlers of the login site, under /login/.

func (a *app) loginHome(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{}
	if res, err := a.login.result(r); err == nil && !a.loginForgotten(r) {
		d := res.Credentials["login"][0]
		data["Account"] = pairwise(a.login.ClientID, d.Holder)
		data["Learned"] = claimNames(d.Claims)
	}
	a.render(w, r, "login", data)
}

func (a *app) loginForgotten(r *http.Request) bool {
	c, err := r.Cookie(a.login.cookie)
	if err != nil {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.forgotten[c.Value]
}

// pairwise derives the site's account identifier from the holder's key: a hash of the
// site's client identifier and the holder DID, so the account number itself means
// nothing elsewhere. The key it is derived from is the same at every site (see README).
func pairwise(clientID, holder string) string {
	h := sha256.Sum256([]byte(clientID + "\x00" + holder))
	return base64.RawURLEncoding.EncodeToString(h[:12])
}

// forget is the wallet's revocation of a sharing record reaching the demo's own sites:
// they drop what the withdrawn response proved. Real sites would need a protocol for
// this; OpenID4VP has none.
func (a *app) forget(clientID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, st := range a.answered[clientID] {
		a.forgotten[st] = true
	}
}

// Handlers of the border officer's offline verification page, under /border/.

// border verifies vaccination certificates offline: the health agency's key and its
// status list were cached while online; nothing is fetched.
type border struct {
	keys   *vc.StaticKeys
	trust  *vc.TrustList
	cache  *statusCache
	clock  func() time.Time
	mu     sync.Mutex
	nonces map[string]time.Time
	v      *vc.Verifier
}

// statusCache is a status.Fetcher over the lists downloaded while online.
type statusCache struct {
	mu      sync.Mutex
	lists   map[string][]byte
	fetched time.Time
}

func (c *statusCache) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.lists[url]
	if !ok {
		return nil, fmt.Errorf("status list %s is not in the offline cache: %w", url, vc.ErrStatusRetrieval)
	}
	return b, nil
}

func newBorder(p *issuerPortal, clock func() time.Time) (*border, error) {
	b := &border{keys: &vc.StaticKeys{}, cache: &statusCache{lists: map[string][]byte{}}, clock: clock, nonces: map[string]time.Time{}}
	if err := b.keys.Add(healthID, healthKeyID, p.health.Public()); err != nil {
		return nil, err
	}
	var err error
	if b.trust, err = vc.NewTrustList(vc.TrustedIssuer{ID: healthID, Name: "Health agency", Types: []string{vctVaccination}}); err != nil {
		return nil, err
	}
	return b, b.refresh(p)
}

// refresh stands for the moment the officer's device was online: it copies the health
// agency's current status list into the cache and starts a verifier on it.
func (b *border) refresh(p *issuerPortal) error {
	tok, err := p.statusToken()
	if err != nil {
		return err
	}
	v, err := vc.NewVerifier(vc.VerifierOptions{Keys: b.keys, Trust: b.trust, StatusFetcher: b.cache, Clock: b.clock})
	if err != nil {
		return err
	}
	b.cache.mu.Lock()
	b.cache.lists[healthStatusURI] = tok
	b.cache.fetched = b.clock()
	b.cache.mu.Unlock()
	b.mu.Lock()
	b.v = v
	b.mu.Unlock()
	return nil
}

// challenge returns the officer's current challenge: the one of this device (its
// cookie) while unused and unexpired, or a new one.
func (b *border) challenge(w http.ResponseWriter, r *http.Request) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	for k, exp := range b.nonces {
		if now.After(exp) {
			delete(b.nonces, k)
		}
	}
	if c, err := r.Cookie("border_challenge"); err == nil {
		if _, ok := b.nonces[c.Value]; ok {
			return c.Value
		}
	}
	if len(b.nonces) >= 1024 {
		clear(b.nonces)
	}
	n := randomID() + randomID()
	b.nonces[n] = now.Add(10 * time.Minute)
	http.SetCookie(w, &http.Cookie{Name: "border_challenge", Value: n, Path: "/border/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return n
}

func (a *app) borderHome(w http.ResponseWriter, r *http.Request) {
	a.border.cache.mu.Lock()
	fetched := a.border.cache.fetched.UTC().Format(timeFormat)
	a.border.cache.mu.Unlock()
	data := map[string]any{"Fetched": fetched}
	if r.Method == http.MethodPost {
		nonce := r.PostFormValue("challenge")
		a.border.mu.Lock()
		exp, ok := a.border.nonces[nonce]
		delete(a.border.nonces, nonce)
		v := a.border.v
		a.border.mu.Unlock()
		token := strings.TrimSpace(r.PostFormValue("token"))
		switch {
		case !ok || a.clock().After(exp):
			data["Error"] = "This challenge is unknown or expired: ask the traveller to present again with the new one."
		default:
			p, err := v.VerifyPresentation(r.Context(), []byte(token), vc.Expect{Nonce: nonce, Audience: borderAudience})
			if err != nil {
				data["Error"] = "Not valid: " + err.Error()
				if errors.Is(err, vc.ErrRevoked) {
					data["Error"] = "Not valid: the health agency revoked this certificate (cached status list of " + fetched + ")."
				}
				break
			}
			c := p.Credentials()[0]
			claims := c.Claims()
			var rows [][2]string
			for _, n := range []string{"given_name", "family_name", "birthdate", "vaccine", "vaccinated_on"} {
				if v, ok := claims[n]; ok {
					rows = append(rows, [2]string{n, fmt.Sprint(v)})
				}
			}
			data["Valid"] = true
			data["Issuer"] = c.Issuer()
			data["Rows"] = rows
		}
	}
	data["Challenge"] = a.border.challenge(w, r)
	a.render(w, r, "border", data)
}

func (a *app) borderRefresh(w http.ResponseWriter, r *http.Request) {
	if err := a.border.refresh(a.issuer); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	http.Redirect(w, r, "/border/", http.StatusSeeOther)
}

// site is the wallet's directory of the verifiers it knows by name.
func (a *app) site(clientID string) *site {
	for _, s := range []*site{a.shop, a.login} {
		if s.ClientID == clientID {
			return s
		}
	}
	return &site{Name: "Unknown site", ClientID: clientID}
}

// issuerName names an issuer for the wallet's screens.
func (a *app) issuerName(id string) string {
	switch id {
	case a.issuer.ministryDID:
		return "Ministry of the Interior"
	case healthID:
		return "Health agency"
	}
	return id
}

var _ status.Fetcher = (*statusCache)(nil)
