package status

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Types of the status list credentials.
const (
	CredentialTypeBitstring = "BitstringStatusListCredential"
	SubjectTypeBitstring    = "BitstringStatusList"
	CredentialType2021      = "StatusList2021Credential"
	SubjectType2021         = "StatusList2021"
)

// BitstringMediaTypes is the Accept header a Checker sends for a status list credential:
// the VCDM 2.0 media types, secured or not, and plain JSON last.
const BitstringMediaTypes = "application/vc, application/vc+jwt, application/vc+ld+json;q=0.9, application/ld+json;q=0.8, application/json;q=0.5"

// BitstringCredentialOptions describe the status list credential that
// BitstringList.Credential builds.
type BitstringCredentialOptions struct {
	ID         string        // id, required: the URL entries name in statusListCredential
	Issuer     string        // issuer, required: the issuer of the credentials the list covers
	Purpose    []string      // statusPurpose, at least one
	ValidFrom  time.Time     // validFrom; zero omits it
	ValidUntil time.Time     // validUntil; zero omits it
	TTL        time.Duration // credentialSubject.ttl, in milliseconds in JSON; zero omits it
}

// Credential returns the unsigned VCDM 2.0 status list credential for l (§2.2): type
// BitstringStatusListCredential, credentialSubject of type BitstringStatusList with
// statusPurpose and encodedList, for the caller to secure. Missing id, issuer or purpose,
// or validUntil before validFrom, is ErrInvalidOptions.
func (l *BitstringList) Credential(opts BitstringCredentialOptions) ([]byte, error) {
	if opts.ID == "" || opts.Issuer == "" || len(opts.Purpose) == 0 || slices.Contains(opts.Purpose, "") {
		return nil, fmt.Errorf("status: status list credential: %w: id, issuer and purpose are required", ErrInvalidOptions)
	}
	if err := absURL(opts.ID, "id"); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	if !opts.ValidFrom.IsZero() && !opts.ValidUntil.IsZero() && !opts.ValidUntil.After(opts.ValidFrom) {
		return nil, fmt.Errorf("status: status list credential: %w: validUntil not after validFrom", ErrInvalidOptions)
	}
	if opts.TTL < 0 {
		return nil, fmt.Errorf("status: status list credential: %w: negative ttl", ErrInvalidOptions)
	}
	enc, err := l.Encode()
	if err != nil {
		return nil, err
	}
	subject := map[string]any{
		"id":          opts.ID + "#list",
		"type":        SubjectTypeBitstring,
		"encodedList": enc,
	}
	if len(opts.Purpose) == 1 {
		subject["statusPurpose"] = opts.Purpose[0]
	} else {
		subject["statusPurpose"] = opts.Purpose
	}
	if opts.TTL > 0 {
		subject["ttl"] = opts.TTL.Milliseconds()
	}
	c := map[string]any{
		"@context":          []string{"https://www.w3.org/ns/credentials/v2"},
		"id":                opts.ID,
		"type":              []string{"VerifiableCredential", CredentialTypeBitstring},
		"issuer":            opts.Issuer,
		"credentialSubject": subject,
	}
	if !opts.ValidFrom.IsZero() {
		c["validFrom"] = opts.ValidFrom.UTC().Format(time.RFC3339)
	}
	if !opts.ValidUntil.IsZero() {
		c["validUntil"] = opts.ValidUntil.UTC().Format(time.RFC3339)
	}
	return json.Marshal(c)
}

// listCredential is a status list credential as the Checker keeps it.
type listCredential struct {
	legacy     bool // StatusList2021
	id         string
	issuer     string
	purposes   []string
	validFrom  time.Time
	validUntil time.Time
	ttl        time.Duration
	hasTTL     bool
	bits       []byte
}

// parseListCredential reads a verified status list credential document (VCDM 2.0, or
// VCDM 1.1 for StatusList2021) and decodes its list, without the minimum-length check,
// which depends on the entry's statusSize.
func parseListCredential(doc []byte, legacy bool, maxBytes int) (*listCredential, error) {
	m, err := decodeObject(doc, "status list credential")
	if err != nil {
		return nil, err
	}
	lc := &listCredential{legacy: legacy}
	credType, subjType := CredentialTypeBitstring, SubjectTypeBitstring
	if legacy {
		credType, subjType = CredentialType2021, SubjectType2021
	}
	tv, ok := m["type"]
	if !ok {
		return nil, fmt.Errorf("status: status list credential: %w: no type", ErrMalformed)
	}
	types, err := stringsOf(tv, "type")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(types, credType) {
		return nil, fmt.Errorf("status: status list credential: %w: type is not %s", ErrStatusVerification, credType)
	}
	if lc.id, _, err = optString(m, "id"); err != nil {
		return nil, err
	}
	switch iv := m["issuer"].(type) {
	case string:
		if iv == "" {
			return nil, fmt.Errorf("status: status list credential: %w: empty issuer", ErrMalformed)
		}
		lc.issuer = iv
	case map[string]any:
		if lc.issuer, err = reqString(iv, "id"); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("status: status list credential: %w: no issuer", ErrMalformed)
	}
	from, until := "validFrom", "validUntil"
	if legacy {
		from, until = "issuanceDate", "expirationDate"
	}
	if lc.validFrom, err = dateTime(m, from); err != nil {
		return nil, err
	}
	if lc.validUntil, err = dateTime(m, until); err != nil {
		return nil, err
	}
	var subj map[string]any
	switch sv := m["credentialSubject"].(type) {
	case map[string]any:
		subj = sv
	case []any:
		if len(sv) == 1 {
			subj, _ = sv[0].(map[string]any)
		}
	}
	if subj == nil {
		return nil, fmt.Errorf("status: status list credential: %w: credentialSubject is not one object", ErrMalformed)
	}
	st, ok := subj["type"]
	if !ok {
		return nil, fmt.Errorf("status: credentialSubject: %w: no type", ErrMalformed)
	}
	stypes, err := stringsOf(st, "credentialSubject.type")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(stypes, subjType) {
		return nil, fmt.Errorf("status: credentialSubject: %w: type is not %s", ErrStatusVerification, subjType)
	}
	pv, ok := subj["statusPurpose"]
	if !ok {
		return nil, fmt.Errorf("status: credentialSubject: %w: no statusPurpose", ErrMalformed)
	}
	if lc.purposes, err = stringsOf(pv, "statusPurpose"); err != nil {
		return nil, err
	}
	if v, ok := subj["ttl"]; ok && !legacy {
		n, err := integer(v, "ttl", ErrMalformed)
		if err != nil || n > 1<<40 {
			return nil, fmt.Errorf("status: credentialSubject.ttl: %w: not a non-negative integer", ErrMalformed)
		}
		lc.ttl, lc.hasTTL = time.Duration(n)*time.Millisecond, true
	}
	enc, err := reqString(subj, "encodedList")
	if err != nil {
		return nil, err
	}
	l, err := decodeBitstring(enc, DecodeOptions{MinEntries: -1, MaxBytes: maxBytes}, legacy)
	if err != nil {
		return nil, err
	}
	lc.bits = l.bits
	return lc, nil
}
