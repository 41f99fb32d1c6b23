package main

import (
	"context"
	"crypto"
	"encoding/base64"
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

// Issuance hands a credential to a holder whose key is holder. The demo's
// implementation, directIssuance, signs with vc.Issuer and returns the credential to
// the wallet in the same process; an OpenID4VCI implementation would run the
// credential offer, token and credential requests between the portal and the wallet
// instead, behind the same interface.
type Issuance interface {
	Issue(ctx context.Context, kind string, p Person, holder crypto.PublicKey) ([]byte, error)
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

// directIssuance issues with the portal's vc.Issuers, without a protocol between
// portal and wallet.
type directIssuance struct{ p *issuerPortal }

func (d directIssuance) Issue(ctx context.Context, kind string, person Person, holder crypto.PublicKey) ([]byte, error) {
	p := d.p
	birth, err := time.Parse(time.DateOnly, person.Birthdate)
	if err != nil || person.GivenName == "" || person.FamilyName == "" {
		return nil, fmt.Errorf("a given name, a family name and a birth date (YYYY-MM-DD) are needed")
	}
	now := p.clock()
	claims := map[string]any{"given_name": person.GivenName, "family_name": person.FamilyName, "birthdate": person.Birthdate}
	frame, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"})
	if err != nil {
		return nil, err
	}
	switch kind {
	case "id":
		age, ageFrame, err := sdjwt.AgeEqualOrOver(birth, now, 18, 21, 65)
		if err != nil {
			return nil, err
		}
		claims["age_equal_or_over"] = age
		frame.Members["age_equal_or_over"] = ageFrame
		claims["nationality"] = "Utopia"
		nat, err := sdjwt.PathFrame(sdjwt.Path{"nationality"})
		if err != nil {
			return nil, err
		}
		frame.Members["nationality"] = nat.Members["nationality"]
		cred, err := p.idIssuer.IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{VCT: vctID, Holder: holder, Expiry: now.AddDate(1, 0, 0)})
		if err != nil {
			return nil, err
		}
		return cred, p.record(issuedRecord{Kind: kind, Subject: person.GivenName, At: now}, false)
	case "vaccination":
		var idx int
		if err := p.store.update(func(d *issuerData) error {
			idx = d.Next
			d.Next++
			return nil
		}); err != nil {
			return nil, err
		}
		claims["vaccine"] = "Yellow fever"
		claims["vaccinated_on"] = now.Format(time.DateOnly)
		claims["status"] = map[string]any{"status_list": map[string]any{"idx": idx, "uri": healthStatusURI}}
		vf, err := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"}, sdjwt.Path{"vaccine"}, sdjwt.Path{"vaccinated_on"})
		if err != nil {
			return nil, err
		}
		cred, err := p.vaxIssuer.IssueSDJWT(ctx, claims, vf, vc.SDJWTOptions{VCT: vctVaccination, Holder: holder, Expiry: now.AddDate(10, 0, 0)})
		if err != nil {
			return nil, err
		}
		return cred, p.record(issuedRecord{Kind: kind, Subject: person.GivenName, StatusIndex: idx, At: now}, true)
	}
	return nil, fmt.Errorf("unknown credential %q", kind)
}

func (p *issuerPortal) record(r issuedRecord, _ bool) error {
	return p.store.update(func(d *issuerData) error {
		d.Issued = append(d.Issued, r)
		return nil
	})
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
	return signJWT(p.health, healthKeyID, status.TokenTyp, payload)
}

// signJWT signs payload as a compact JWS with the key's alg, kid and typ.
func signJWT(s keys.Signer, kid, typ string, payload []byte) ([]byte, error) {
	hdr, err := json.Marshal(struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
		Typ string `json:"typ"`
	}{s.Algorithm(), kid, typ})
	if err != nil {
		return nil, err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(hdr) + "." + enc.EncodeToString(payload)
	sig, err := keys.Sign(s, []byte(input))
	if err != nil {
		return nil, err
	}
	return []byte(input + "." + enc.EncodeToString(sig)), nil
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
	holder, err := a.wallet.holderKey()
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	cred, err := a.issuance.Issue(r.Context(), kind, p, holder)
	if err != nil {
		a.fail(w, r, http.StatusBadRequest, err)
		return
	}
	id, err := a.wallet.add(cred)
	if err != nil {
		a.fail(w, r, http.StatusInternalServerError, err)
		return
	}
	http.Redirect(w, r, "/wallet/?added="+id, http.StatusSeeOther)
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
