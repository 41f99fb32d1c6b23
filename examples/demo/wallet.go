package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/vc"
)

// walletData is the wallet's file: the holder's key, the credentials as issued, and
// the record of what was shared with whom (claim names only, never values).
type walletData struct {
	HolderKey   json.RawMessage    `json:"holder_key,omitempty"` // private JWK
	Credentials []storedCredential `json:"credentials,omitempty"`
	Shares      []shareRecord      `json:"shares,omitempty"`
}

type storedCredential struct {
	ID     string    `json:"id"`
	VCT    string    `json:"vct"`
	Issuer string    `json:"issuer"`
	Added  time.Time `json:"added"`
	Raw    string    `json:"credential"`
}

type shareRecord struct {
	ID         string     `json:"id"`
	Site       string     `json:"site"`
	ClientID   string     `json:"client_id"`
	Credential string     `json:"credential"` // its label
	Claims     []string   `json:"claims"`     // names (paths), never values
	At         time.Time  `json:"at"`
	Revoked    *time.Time `json:"revoked,omitempty"`
}

// walletSide is the holder's wallet: an openid4vp.Wallet without an HTTP client (it
// fetches nothing and posts nothing itself), the file store, and the requests waiting
// for the user's decision.
type walletSide struct {
	store *fileStore[walletData]
	ow    *openid4vp.Wallet
	iw    *openid4vp.IssuanceWallet // nil with direct issuance
	clock func() time.Time

	mu      sync.Mutex
	pending map[string]*pendingRequest
}

// pendingRequest is a parsed, authenticated request on the consent screen.
type pendingRequest struct {
	in      *openid4vp.IncomingRequest
	options []consentOption
	expires time.Time
}

// consentOption is one way to answer: a claim set the user can choose, with exactly
// what it shares.
type consentOption struct {
	Index   int
	QueryID string
	Set     []string // claim ids of the chosen claim set; nil without claim sets
	Shares  []openid4vp.Share
}

func newWalletSide(dir string, clock func() time.Time) (*walletSide, error) {
	st, err := openStore[walletData](filepath.Join(dir, "wallet.json"))
	if err != nil {
		return nil, err
	}
	ow, err := openid4vp.NewWallet(openid4vp.WalletOptions{Clock: clock})
	if err != nil {
		return nil, err
	}
	return &walletSide{store: st, ow: ow, clock: clock, pending: map[string]*pendingRequest{}}, nil
}

func randomID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// signer returns the holder's key, making one on first use.
func (wl *walletSide) signer() (keys.Signer, error) {
	var s keys.Signer
	err := wl.store.update(func(d *walletData) error {
		var err error
		s, err = loadOrMakeKey(&d.HolderKey)
		return err
	})
	return s, err
}

func (wl *walletSide) holderKey() (crypto.PublicKey, error) {
	s, err := wl.signer()
	if err != nil {
		return nil, err
	}
	return s.Public(), nil
}

func (wl *walletSide) holder() (*presentation.Holder, error) {
	s, err := wl.signer()
	if err != nil {
		return nil, err
	}
	id, err := key.Create(s.Public())
	if err != nil {
		return nil, err
	}
	return presentation.NewHolder(s, id+"#"+strings.TrimPrefix(id, "did:key:"), presentation.HolderOptions{})
}

// add stores a credential as issued, after reading (not verifying) it for display.
func (wl *walletSide) add(cred []byte) (string, error) {
	in, err := vc.Inspect(cred)
	if err != nil {
		return "", err
	}
	vct, _ := in.Claims["vct"].(string)
	c := storedCredential{ID: randomID(), VCT: vct, Issuer: in.Issuer, Added: wl.clock(), Raw: string(cred)}
	return c.ID, wl.store.update(func(d *walletData) error {
		d.Credentials = append(d.Credentials, c)
		return nil
	})
}

func (wl *walletSide) held() map[string][]byte {
	held := map[string][]byte{}
	wl.store.view(func(d *walletData) {
		for _, c := range d.Credentials {
			held[c.ID] = []byte(c.Raw)
		}
	})
	return held
}

func (wl *walletSide) credential(id string) (storedCredential, bool) {
	var c storedCredential
	var ok bool
	wl.store.view(func(d *walletData) {
		i := slices.IndexFunc(d.Credentials, func(c storedCredential) bool { return c.ID == id })
		if ok = i >= 0; ok {
			c = d.Credentials[i]
		}
	})
	return c, ok
}

// plan runs the protocol's matching and returns what would be shared, without sharing:
// Respond stops at the consent function, which declines.
func (wl *walletSide) plan(ctx context.Context, in *openid4vp.IncomingRequest) ([]openid4vp.Share, error) {
	h, err := wl.holder()
	if err != nil {
		return nil, err
	}
	var got []openid4vp.Share
	_, err = wl.ow.Respond(ctx, in, h, wl.held(), func(_ context.Context, _ string, s []openid4vp.Share) (bool, error) {
		got = s
		return false, nil
	})
	if errors.Is(err, openid4vp.ErrConsentDenied) {
		return got, nil
	}
	if err == nil {
		return nil, errors.New("the wallet answered without consent")
	}
	return nil, err
}

// narrow returns in with the claim sets of query qid reduced to set, the user's
// choice; the verifier checks the response against its own, unnarrowed query.
func narrow(in *openid4vp.IncomingRequest, qid string, set []string) *openid4vp.IncomingRequest {
	if set == nil {
		return in
	}
	q := *in.Query
	q.Credentials = slices.Clone(q.Credentials)
	for i := range q.Credentials {
		if q.Credentials[i].ID == qid {
			q.Credentials[i].ClaimSets = [][]string{set}
		}
	}
	out := *in
	out.Query = &q
	return &out
}

// options lists the answers the user can choose between: one per claim set of the
// first credential query that offers several (the verifier's preference first), or
// the single answer of a query without alternatives.
func (wl *walletSide) options(ctx context.Context, in *openid4vp.IncomingRequest) ([]consentOption, error) {
	var cq *dcql.CredentialQuery
	for i := range in.Query.Credentials {
		if len(in.Query.Credentials[i].ClaimSets) > 1 {
			cq = &in.Query.Credentials[i]
			break
		}
	}
	if cq == nil {
		shares, err := wl.plan(ctx, in)
		if err != nil {
			return nil, err
		}
		return []consentOption{{Shares: shares}}, nil
	}
	var opts []consentOption
	var firstErr error
	for _, set := range cq.ClaimSets {
		shares, err := wl.plan(ctx, narrow(in, cq.ID, set))
		if err != nil {
			firstErr = cmpOr(firstErr, err)
			continue
		}
		opts = append(opts, consentOption{Index: len(opts), QueryID: cq.ID, Set: set, Shares: shares})
	}
	if len(opts) == 0 {
		return nil, firstErr
	}
	return opts, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// claimName renders a claims path as a dotted name.
func claimName(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		if p == nil {
			parts[i] = "*"
		} else {
			parts[i] = fmt.Sprint(p)
		}
	}
	return strings.Join(parts, ".")
}

// claimHelp says in words what a claim tells the site.
var claimHelp = map[string]string{
	"age_equal_or_over.18": "that you are 18 or older, not your birth date",
	"age_equal_or_over.21": "that you are 21 or older, not your birth date",
	"given_name":           "your given name",
	"family_name":          "your family name",
	"birthdate":            "your birth date",
	"nationality":          "your nationality",
	"vaccine":              "the vaccine",
	"vaccinated_on":        "the date of vaccination",
}

// describe renders claim names with what they tell.
func describe(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if h, ok := claimHelp[n]; ok {
			out[i] = n + " (" + h + ")"
		}
	}
	return strings.Join(out, ", ")
}

func credentialLabel(vct string) string {
	switch vct {
	case vctID:
		return "Identity card"
	case vctVaccination:
		return "Vaccination certificate"
	}
	return vct
}

// Handlers of the wallet, under /wallet/.

type shareView struct {
	Credential string
	Claims     []string
	Whole      bool
}

type optionView struct {
	Index   int
	Checked bool
	Shares  []shareView
}

func (a *app) shareViews(shares []openid4vp.Share) []shareView {
	var out []shareView
	for _, s := range shares {
		c, _ := a.wallet.credential(s.CredentialID)
		v := shareView{Credential: credentialLabel(c.VCT), Whole: s.Whole}
		for _, p := range s.Claims {
			v.Claims = append(v.Claims, claimName(p))
		}
		out = append(out, v)
	}
	return out
}

func (a *app) walletHome(w http.ResponseWriter, r *http.Request) {
	type credView struct {
		ID, Label, Issuer, Added string
		New, Vaccination         bool
	}
	type shareRow struct {
		shareRecord
		When, RevokedAt string
	}
	var creds []credView
	var shares []shareRow
	added := r.URL.Query().Get("added")
	a.wallet.store.view(func(d *walletData) {
		for _, c := range d.Credentials {
			creds = append(creds, credView{ID: c.ID, Label: credentialLabel(c.VCT), Issuer: a.issuerName(c.Issuer), Added: c.Added.UTC().Format(timeFormat), New: c.ID == added, Vaccination: c.VCT == vctVaccination})
		}
		for i := len(d.Shares) - 1; i >= 0; i-- {
			s := d.Shares[i]
			row := shareRow{shareRecord: s, When: s.At.UTC().Format(timeFormat)}
			if s.Revoked != nil {
				row.RevokedAt = s.Revoked.UTC().Format(timeFormat)
			}
			shares = append(shares, row)
		}
	})
	a.render(w, r, "wallet", map[string]any{"Credentials": creds, "Shares": shares})
}

const timeFormat = "2006-01-02 15:04:05 UTC"

func (a *app) walletAuthorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	in, err := a.wallet.ow.ParseRequest(ctx, "openid4vp://?"+r.URL.RawQuery)
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, fmt.Errorf("the wallet refused this request: %w", err))
		return
	}
	opts, err := a.wallet.options(ctx, in)
	if err != nil {
		if errors.Is(err, openid4vp.ErrNoMatch) {
			err = fmt.Errorf("no credential in this wallet answers the request (get one at the issuer portal): %w", err)
		}
		a.fail(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	id := randomID()
	a.wallet.mu.Lock()
	now := a.clock()
	for k, p := range a.wallet.pending {
		if now.After(p.expires) {
			delete(a.wallet.pending, k)
		}
	}
	if len(a.wallet.pending) >= 64 {
		a.wallet.mu.Unlock()
		a.fail(w, r, http.StatusServiceUnavailable, errors.New("too many requests waiting for a decision"))
		return
	}
	a.wallet.pending[id] = &pendingRequest{in: in, options: opts, expires: now.Add(5 * time.Minute)}
	a.wallet.mu.Unlock()

	site := a.site(in.Verifier)
	var views []optionView
	for _, o := range opts {
		views = append(views, optionView{Index: o.Index, Checked: o.Index == 0, Shares: a.shareViews(o.Shares)})
	}
	a.render(w, r, "consent", map[string]any{"Pending": id, "Site": site, "ClientID": in.Verifier, "Options": views})
}

func (a *app) walletDecide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a.wallet.mu.Lock()
	p, ok := a.wallet.pending[r.PostFormValue("pending")]
	delete(a.wallet.pending, r.PostFormValue("pending"))
	a.wallet.mu.Unlock()
	if !ok || a.clock().After(p.expires) {
		a.fail(w, r, http.StatusNotFound, errors.New("this request is no longer waiting for a decision"))
		return
	}
	site := a.site(p.in.Verifier)
	if r.PostFormValue("decision") != "approve" {
		a.render(w, r, "denied", map[string]any{"Site": site})
		return
	}
	var opt *consentOption
	for i := range p.options {
		if fmt.Sprint(p.options[i].Index) == cmpOrStr(r.PostFormValue("option"), "0") {
			opt = &p.options[i]
		}
	}
	if opt == nil {
		a.fail(w, r, http.StatusBadRequest, errors.New("no such choice"))
		return
	}
	h, err := a.wallet.holder()
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	// Respond asks consent again, with what it is about to share: it must be exactly
	// what the user saw and approved.
	resp, err := a.wallet.ow.Respond(ctx, narrow(p.in, opt.QueryID, opt.Set), h, a.wallet.held(), func(_ context.Context, _ string, s []openid4vp.Share) (bool, error) {
		return reflect.DeepEqual(s, opt.Shares), nil
	})
	if err != nil {
		a.fail(w, r, http.StatusBadGateway, fmt.Errorf("the response could not be made: %w", err))
		return
	}
	if err := a.deliver(ctx, resp); err != nil {
		a.fail(w, r, http.StatusBadGateway, err)
		return
	}
	a.noteAnswered(p.in.Verifier, p.in.State)
	if err := a.wallet.record(site.Name, p.in.Verifier, a.shareViews(resp.Shares)); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	if site.Return != "" {
		http.Redirect(w, r, site.Return, http.StatusSeeOther)
		return
	}
	a.render(w, r, "shared", map[string]any{"Site": site})
}

func cmpOrStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// record notes one sharing per credential: which claim names went to which site.
func (wl *walletSide) record(site, clientID string, shares []shareView) error {
	now := wl.clock()
	return wl.store.update(func(d *walletData) error {
		for _, s := range shares {
			claims := s.Claims
			if s.Whole {
				claims = append(slices.Clone(claims), "(the whole credential)")
			}
			d.Shares = append(d.Shares, shareRecord{ID: randomID(), Site: site, ClientID: clientID, Credential: s.Credential, Claims: claims, At: now})
		}
		return nil
	})
}

func (a *app) walletRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("share")
	var rec shareRecord
	found := false
	err := a.wallet.store.update(func(d *walletData) error {
		for i := range d.Shares {
			if d.Shares[i].ID == id && d.Shares[i].Revoked == nil {
				now := a.clock()
				d.Shares[i].Revoked = &now
				rec, found = d.Shares[i], true
			}
		}
		return nil
	})
	if err == nil && !found {
		err = errors.New("no such sharing record")
	}
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, err)
		return
	}
	a.forget(rec.ClientID)
	http.Redirect(w, r, "/wallet/", http.StatusSeeOther)
}

func (a *app) walletDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("credential")
	found := false
	err := a.wallet.store.update(func(d *walletData) error {
		n := len(d.Credentials)
		d.Credentials = slices.DeleteFunc(d.Credentials, func(c storedCredential) bool { return c.ID == id })
		found = len(d.Credentials) < n
		return nil
	})
	if err == nil && !found {
		err = errors.New("no such credential")
	}
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, err)
		return
	}
	http.Redirect(w, r, "/wallet/", http.StatusSeeOther)
}

func (a *app) walletErase(w http.ResponseWriter, r *http.Request) {
	if err := a.wallet.store.erase(); err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	a.wallet.mu.Lock()
	clear(a.wallet.pending)
	a.wallet.mu.Unlock()
	http.Redirect(w, r, "/wallet/", http.StatusSeeOther)
}

// borderAudience is the audience of presentations shown to a border officer: there
// is no request to take a client identifier from.
const borderAudience = "border-control"

func (a *app) walletPresent(w http.ResponseWriter, r *http.Request) {
	c, ok := a.wallet.credential(r.PathValue("id"))
	if !ok {
		a.fail(w, r, http.StatusNotFound, errors.New("no such credential"))
		return
	}
	in, err := vc.Inspect([]byte(c.Raw))
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	type claimBox struct {
		Name    string
		Checked bool
	}
	var boxes []claimBox
	for _, p := range in.Disclosable {
		if len(p) == 1 {
			n := claimName(p)
			boxes = append(boxes, claimBox{n, n != "birthdate"})
		}
	}
	data := map[string]any{"ID": c.ID, "Label": credentialLabel(c.VCT), "Claims": boxes}
	if r.Method == http.MethodPost {
		nonce := strings.TrimSpace(r.PostFormValue("challenge"))
		var paths []vc.ClaimPath
		var names []string
		for _, b := range boxes {
			if slices.Contains(r.PostForm["claim"], b.Name) {
				paths = append(paths, vc.ClaimPath{b.Name})
				names = append(names, b.Name)
			}
		}
		h, err := a.wallet.holder()
		if err != nil {
			a.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		tok, err := h.Disclose(r.Context(), []byte(c.Raw), paths, presentation.Request{Nonce: nonce, Audience: borderAudience})
		if err != nil {
			a.fail(w, r, http.StatusBadRequest, fmt.Errorf("the presentation could not be made: %w", err))
			return
		}
		if err := a.wallet.record("Border control (offline)", borderAudience, []shareView{{Credential: credentialLabel(c.VCT), Claims: names}}); err != nil {
			a.fail(w, r, http.StatusInternalServerError, err)
			return
		}
		data["Token"] = string(tok)
	}
	a.render(w, r, "present", data)
}
