package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
)

// vciIssuance runs OpenID4VCI 1.0 with the Pre-Authorized Code Flow: each of the
// portal's two organisations is an openid4vp.Issuer whose endpoints (metadata, token,
// nonce, credential) live on the demo's TLS listener; "Get your ID" makes a Credential
// Offer and sends the browser to the wallet's offer page with it.
type vciIssuance struct {
	a       *app
	issuers map[string]*openid4vp.Issuer // by kind; the configuration id is the kind
	paths   map[string]string            // by kind: the identifier's path

	mu     sync.Mutex
	people map[string]pendingPerson // by offer id
}

type pendingPerson struct {
	p       Person
	expires time.Time
}

func newVCIIssuance(a *app) (*vciIssuance, error) {
	v := &vciIssuance{a: a, issuers: map[string]*openid4vp.Issuer{}, paths: map[string]string{"id": "/ministry", "vaccination": "/health"}, people: map[string]pendingPerson{}}
	names := map[string][2]string{"id": {"Ministry of the Interior", "Identity card"}, "vaccination": {"Health agency", "Vaccination certificate"}}
	for kind, path := range v.paths {
		var claims []openid4vp.ClaimDescription
		for _, p := range disclosable[kind] {
			claims = append(claims, openid4vp.ClaimDescription{Path: []any(p), Disclosable: true, Display: []openid4vp.ClaimDisplay{{Name: claimName(p), Locale: "en"}}})
		}
		iss, err := openid4vp.NewIssuer(openid4vp.IssuerOptions{
			Identifier: a.tlsBase + path,
			Issuer:     a.issuer.signerOf(kind),
			Configurations: map[string]openid4vp.CredentialConfiguration{kind: {
				Format: openid4vp.FormatSDJWTVC, VCT: vctOf[kind], Claims: claims, Validity: validity[kind],
				Display: []openid4vp.CredentialDisplay{{Name: names[kind][1], Locale: "en"}},
			}},
			Claims:  v.claims,
			Display: []openid4vp.IssuerDisplay{{Name: names[kind][0], Locale: "en"}},
			Logger:  a.log,
			Clock:   a.clock,
		})
		if err != nil {
			return nil, err
		}
		v.issuers[kind] = iss
	}
	return v, nil
}

// mount adds the issuers' endpoints to the TLS listener's mux.
func (v *vciIssuance) mount(mux *http.ServeMux) {
	for kind, iss := range v.issuers {
		p := v.paths[kind]
		mux.Handle("GET "+openid4vp.WellKnownIssuer+p, iss.MetadataHandler())
		mux.Handle("GET "+openid4vp.WellKnownAuthorizationServer+p, iss.AuthorizationServerMetadataHandler())
		mux.Handle("POST "+p+"/token", iss.TokenHandler())
		mux.Handle("POST "+p+"/nonce", iss.NonceHandler())
		mux.Handle("POST "+p+"/credential", iss.CredentialHandler())
	}
}

// Start makes an offer for the person and sends the browser to the wallet with it.
// The offer goes by value; its pre-authorized code is the only secret in it, and it
// works once.
func (v *vciIssuance) Start(ctx context.Context, kind string, p Person) (string, error) {
	iss, ok := v.issuers[kind]
	if !ok {
		return "", fmt.Errorf("unknown credential %q", kind)
	}
	id := randomID()
	now := v.a.clock()
	v.mu.Lock()
	for k, pp := range v.people {
		if now.After(pp.expires) {
			delete(v.people, k)
		}
	}
	if len(v.people) >= 256 {
		v.mu.Unlock()
		return "", errors.New("too many offers waiting")
	}
	v.people[id] = pendingPerson{p: p, expires: now.Add(10 * time.Minute)}
	v.mu.Unlock()
	offer, err := iss.NewOffer(ctx, openid4vp.OfferOptions{OfferID: id, ConfigurationIDs: []string{kind}})
	if err != nil {
		return "", err
	}
	u, err := url.Parse(offer.URL)
	if err != nil {
		return "", err
	}
	return v.a.base + "/wallet/offer?" + u.RawQuery, nil
}

// claims is the issuers' ClaimsFunc: the claims of the person the offer was made for,
// once.
func (v *vciIssuance) claims(_ context.Context, req openid4vp.ClaimsRequest) (map[string]any, error) {
	v.mu.Lock()
	pp, ok := v.people[req.OfferID]
	delete(v.people, req.OfferID)
	v.mu.Unlock()
	if !ok || v.a.clock().After(pp.expires) {
		return nil, errors.New("no such offer")
	}
	return v.a.issuer.claims(req.ConfigurationID, pp.p)
}

// newIssuanceWallet is the wallet's OpenID4VCI side. It reaches the issuers through
// the library's network guard over the demo's client, which trusts only the demo's
// own certificate; AllowLoopback, the guard's option for local examples, admits
// 127.0.0.1. Credentials are verified (issuer trust, signature, key binding) before
// they are stored; their status is not checked on arrival (the Health agency's list
// is served nowhere, and a certificate just issued carries the status its issuer
// gave it).
func newIssuanceWallet(a *app) (*openid4vp.IssuanceWallet, error) {
	kr, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	reg := did.NewRegistry()
	if err := reg.Register("key", kr); err != nil {
		return nil, err
	}
	dk, err := vc.NewDIDKeys(reg)
	if err != nil {
		return nil, err
	}
	static := &vc.StaticKeys{}
	if err := static.Add(healthID, healthKeyID, a.issuer.health.Public()); err != nil {
		return nil, err
	}
	trust, err := vc.NewTrustList(
		vc.TrustedIssuer{ID: a.issuer.ministryDID, Name: "Ministry of the Interior", Types: []string{vctID}},
		vc.TrustedIssuer{ID: healthID, Name: "Health agency", Types: []string{vctVaccination}})
	if err != nil {
		return nil, err
	}
	cv, err := vc.NewVerifier(vc.VerifierOptions{Trust: trust, Keys: vc.KeyChain{static, dk}, SkipStatus: true, Clock: a.clock})
	if err != nil {
		return nil, err
	}
	return openid4vp.NewIssuanceWallet(openid4vp.IssuanceWalletOptions{HTTPClient: a.client, Credentials: cv, AllowLoopback: true, Clock: a.clock})
}

// Handlers of the wallet's offer page, under /wallet/offer.

func (a *app) walletOffer(w http.ResponseWriter, r *http.Request) {
	if a.wallet.iw == nil {
		a.fail(w, r, http.StatusNotFound, errors.New("this wallet does not take credential offers"))
		return
	}
	ctx := r.Context()
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		raw = r.PostFormValue("offer")
	}
	offer, err := a.wallet.iw.ParseOffer(ctx, "openid-credential-offer://?"+raw)
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, fmt.Errorf("the wallet refused this offer: %w", err))
		return
	}
	if r.Method == http.MethodGet {
		md, err := a.wallet.iw.Metadata(ctx, offer.CredentialIssuer)
		if err != nil {
			a.fail(w, r, http.StatusBadGateway, fmt.Errorf("the issuer's metadata: %w", err))
			return
		}
		issuer := offer.CredentialIssuer
		if len(md.Display) > 0 && md.Display[0].Name != "" {
			issuer = md.Display[0].Name
		}
		type credView struct {
			Name   string
			Claims []string
		}
		var creds []credView
		for _, id := range offer.ConfigurationIDs {
			c := credView{Name: id}
			if cfg := md.Configurations[id]; cfg != nil && cfg.Metadata != nil {
				if len(cfg.Metadata.Display) > 0 {
					c.Name = cfg.Metadata.Display[0].Name
				}
				for _, cd := range cfg.Metadata.Claims {
					c.Claims = append(c.Claims, claimName(cd.Path))
				}
			}
			creds = append(creds, c)
		}
		a.render(w, r, "offer", map[string]any{"Issuer": issuer, "Identifier": offer.CredentialIssuer, "Credentials": creds, "Offer": raw})
		return
	}
	if r.PostFormValue("decision") != "accept" {
		a.render(w, r, "declined", nil)
		return
	}
	s, err := a.wallet.signer()
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	got, err := a.wallet.iw.Receive(ctx, offer, openid4vp.ReceiveOptions{Holder: s})
	if err != nil {
		a.fail(w, r, http.StatusBadGateway, fmt.Errorf("the credential could not be received: %w", err))
		return
	}
	var ids []string
	for _, c := range got {
		id, err := a.wallet.add(c.Credential)
		if err != nil {
			a.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		ids = append(ids, id)
	}
	http.Redirect(w, r, "/wallet/?added="+strings.Join(ids, ","), http.StatusSeeOther)
}
