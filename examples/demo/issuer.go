package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
	"github.com/credence-dev/credence/vc/status"
)

// Credential types (vct) of the two issuers.
const (
	vctID          = "urn:credence:demo:id:1"
	vctVaccination = "urn:credence:demo:vaccination:1"
)

// The health agency is identified by a URL whose key verifiers get out of band (and a
// border officer keeps cached), not by a DID.
const (
	healthID        = "https://health.demo.invalid"
	healthKeyID     = "health-2026"
	healthStatusURI = "https://health.demo.invalid/status/1"
	statusListSize  = 1 << 17
)

// Person is what the issuer portal knows of its user.
type Person struct {
	GivenName  string
	FamilyName string
	Birthdate  string // YYYY-MM-DD
}

// Issuance gets a credential of kind ("id" or "vaccination") for the person at the
// portal into the wallet, and says where the browser goes next. vciIssuance runs
// OpenID4VCI 1.0 between the portal and the wallet (the default); directIssuance signs
// with vc.Issuer and hands the credential over in the same process (--issuance direct).
type Issuance interface {
	Start(ctx context.Context, kind string, p Person) (next string, err error)
}

// checkPerson refuses what the portal would not issue.
func checkPerson(p Person) error {
	if _, err := time.Parse(time.DateOnly, p.Birthdate); err != nil || p.GivenName == "" || p.FamilyName == "" {
		return errors.New("a given name, a family name and a birth date (YYYY-MM-DD) are needed")
	}
	return nil
}

// disclosable lists the selectively disclosable claims of each kind.
var disclosable = map[string][]sdjwt.Path{
	"id": {{"given_name"}, {"family_name"}, {"birthdate"}, {"nationality"},
		{"age_equal_or_over"}, {"age_equal_or_over", "18"}, {"age_equal_or_over", "21"}, {"age_equal_or_over", "65"}},
	"vaccination": {{"given_name"}, {"family_name"}, {"birthdate"}, {"vaccine"}, {"vaccinated_on"}},
}

// validity of each kind.
var validity = map[string]time.Duration{"id": 365 * 24 * time.Hour, "vaccination": 10 * 365 * 24 * time.Hour}

// vctOf is the SD-JWT VC type of each kind.
var vctOf = map[string]string{"id": vctID, "vaccination": vctVaccination}

// claims are the claims of a credential of kind for p; a vaccination certificate
// takes the next index of the status list. The issuance is recorded.
func (p *issuerPortal) claims(kind string, person Person) (map[string]any, error) {
	if err := checkPerson(person); err != nil {
		return nil, err
	}
	birth, _ := time.Parse(time.DateOnly, person.Birthdate)
	now := p.clock()
	claims := map[string]any{"given_name": person.GivenName, "family_name": person.FamilyName, "birthdate": person.Birthdate}
	rec := issuedRecord{Kind: kind, Subject: person.GivenName, At: now}
	switch kind {
	case "id":
		age, _, err := sdjwt.AgeEqualOrOver(birth, now, 18, 21, 65)
		if err != nil {
			return nil, err
		}
		claims["age_equal_or_over"] = age
		claims["nationality"] = "Utopia"
	case "vaccination":
		claims["vaccine"] = "Yellow fever"
		claims["vaccinated_on"] = now.Format(time.DateOnly)
	default:
		return nil, fmt.Errorf("unknown credential %q", kind)
	}
	err := p.store.update(func(d *issuerData) error {
		if kind == "vaccination" {
			if d.Next >= statusListSize {
				return errors.New("the status list is full")
			}
			rec.StatusIndex = d.Next
			d.Next++
			claims["status"] = map[string]any{"status_list": map[string]any{"idx": rec.StatusIndex, "uri": healthStatusURI}}
		}
		d.Issued = append(d.Issued, rec)
		return nil
	})
	return claims, err
}

// signerOf is the vc.Issuer of each kind.
func (p *issuerPortal) signerOf(kind string) *vc.Issuer {
	if kind == "vaccination" {
		return p.vaxIssuer
	}
	return p.idIssuer
}

// directIssuance issues with the portal's vc.Issuers and stores the credential in the
// wallet, without a protocol between them.
type directIssuance struct{ a *app }

func (d directIssuance) Start(ctx context.Context, kind string, person Person) (string, error) {
	if _, ok := vctOf[kind]; !ok {
		return "", fmt.Errorf("unknown credential %q", kind)
	}
	holder, err := d.a.wallet.holderKey()
	if err != nil {
		return "", err
	}
	claims, err := d.a.issuer.claims(kind, person)
	if err != nil {
		return "", err
	}
	frame, err := sdjwt.PathFrame(disclosable[kind]...)
	if err != nil {
		return "", err
	}
	cred, err := d.a.issuer.signerOf(kind).IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{VCT: vctOf[kind], Holder: holder, Expiry: d.a.clock().Add(validity[kind])})
	if err != nil {
		return "", err
	}
	id, err := d.a.wallet.add(cred)
	if err != nil {
		return "", err
	}
	return "/wallet/?added=" + id, nil
}

// issuerData is the portal's file: its keys and its status list.
type issuerData struct {
	Ministry json.RawMessage `json:"ministry_key"` // private JWK
	Health   json.RawMessage `json:"health_key"`   // private JWK
	Next     int             `json:"next_status_index"`
	Revoked  []int           `json:"revoked,omitempty"`
	Issued   []issuedRecord  `json:"issued,omitempty"`
}

type issuedRecord struct {
	Kind        string    `json:"kind"`
	Subject     string    `json:"subject"`
	StatusIndex int       `json:"status_index,omitempty"`
	At          time.Time `json:"at"`
}

// issuerPortal is the ministry (identity cards, did:key) and the health agency
// (vaccination certificates, a URL issuer with a Token Status List).
type issuerPortal struct {
	store       *fileStore[issuerData]
	ministry    keys.Signer
	ministryDID string
	ministryKID string
	health      keys.Signer
	idIssuer    *vc.Issuer
	vaxIssuer   *vc.Issuer
	clock       func() time.Time
}

func loadOrMakeKey(raw *json.RawMessage) (keys.Signer, error) {
	if len(*raw) > 0 {
		return keys.ParsePrivateJWK(*raw)
	}
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return nil, err
	}
	b, err := keys.PrivateJWK(s)
	if err != nil {
		return nil, err
	}
	*raw = b
	return s, nil
}

func newIssuerPortal(dir string, clock func() time.Time) (*issuerPortal, error) {
	st, err := openStore[issuerData](filepath.Join(dir, "issuer.json"))
	if err != nil {
		return nil, err
	}
	p := &issuerPortal{store: st, clock: clock}
	if err := st.update(func(d *issuerData) error {
		var err error
		if p.ministry, err = loadOrMakeKey(&d.Ministry); err != nil {
			return err
		}
		p.health, err = loadOrMakeKey(&d.Health)
		return err
	}); err != nil {
		return nil, err
	}
	if p.ministryDID, err = key.Create(p.ministry.Public()); err != nil {
		return nil, err
	}
	p.ministryKID = p.ministryDID + "#" + p.ministryDID[len("did:key:"):]
	if p.idIssuer, err = vc.NewIssuer(p.ministry, p.ministryKID, vc.IssuerOptions{Clock: clock}); err != nil {
		return nil, err
	}
	if p.vaxIssuer, err = vc.NewIssuer(p.health, healthKeyID, vc.IssuerOptions{ID: healthID, Clock: clock}); err != nil {
		return nil, err
	}
	return p, nil
}

// revoke marks status index idx revoked in the health agency's list.
func (p *issuerPortal) revoke(idx int) error {
	return p.store.update(func(d *issuerData) error {
		if idx < 0 || idx >= d.Next {
			return errors.New("no such credential")
		}
		if !slices.Contains(d.Revoked, idx) {
			d.Revoked = append(d.Revoked, idx)
		}
		return nil
	})
}

// statusToken is the health agency's current Status List Token (typ statuslist+jwt).
func (p *issuerPortal) statusToken() ([]byte, error) {
	var revoked []int
	p.store.view(func(d *issuerData) { revoked = slices.Clone(d.Revoked) })
	l, err := status.NewTokenList(statusListSize, 1)
	if err != nil {
		return nil, err
	}
	for _, i := range revoked {
		if err := l.Set(i, status.TokenStatus(1)); err != nil {
			return nil, err
		}
	}
	now := p.clock()
	payload, err := l.Payload(status.TokenPayloadOptions{Subject: healthStatusURI, Issuer: healthID, IssuedAt: now, Expiry: now.Add(30 * 24 * time.Hour), TTL: 24 * time.Hour})
	if err != nil {
		return nil, err
	}
	signer, err := vc.NewIssuer(p.health, healthKeyID, vc.IssuerOptions{ID: healthID, Clock: p.clock})
	if err != nil {
		return nil, err
	}
	return signer.SignStatusListToken(context.Background(), payload)
}

// Handlers of the issuer portal, under /issuer/.

func (a *app) issuerHome(w http.ResponseWriter, r *http.Request) {
	var issued []issuedRecord
	var revoked []int
	a.issuer.store.view(func(d *issuerData) {
		issued = slices.Clone(d.Issued)
		revoked = slices.Clone(d.Revoked)
	})
	type row struct {
		issuedRecord
		Revoked bool
	}
	var rows []row
	for _, rec := range issued {
		rows = append(rows, row{rec, rec.Kind == "vaccination" && slices.Contains(revoked, rec.StatusIndex)})
	}
	a.render(w, r, "issuer", map[string]any{"Issued": rows, "Person": defaultPerson, "Protocol": a.issuanceName})
}

var defaultPerson = Person{GivenName: "Alice", FamilyName: "Example", Birthdate: "2001-04-12"}

func (a *app) issuerIssue(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	p := Person{GivenName: r.PostFormValue("given_name"), FamilyName: r.PostFormValue("family_name"), Birthdate: r.PostFormValue("birthdate")}
	if _, ok := vctOf[kind]; !ok {
		a.fail(w, r, http.StatusBadRequest, fmt.Errorf("unknown credential %q", kind))
		return
	}
	if err := checkPerson(p); err != nil {
		a.fail(w, r, http.StatusBadRequest, err)
		return
	}
	next, err := a.issuance.Start(r.Context(), kind, p)
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (a *app) issuerRevoke(w http.ResponseWriter, r *http.Request) {
	idx, err := strconv.Atoi(r.PostFormValue("index"))
	if err == nil {
		err = a.issuer.revoke(idx)
	}
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, err)
		return
	}
	http.Redirect(w, r, "/issuer/", http.StatusSeeOther)
}
