package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/pex"
	"github.com/credence-dev/credence/pex/dcql"
	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

// vct is the SD-JWT VC type of the ministry's identity credential.
const vct = "https://ministry.example/identity"

// demo holds the parties and what they keep between steps.
type demo struct {
	reg                   *did.Registry
	ministry, alice, shop party
	issuer                *vc.Issuer // the ministry's P-256 key
	bbsIssuer             *vc.Issuer // the ministry's BBS key
	wallet                *presentation.Holder
	trust                 *vc.TrustList
	host                  *listHost
	held                  map[string][]byte // the wallet's credentials, by handle, as issued
	order                 []string          // handles in issuance order
}

// issue has the ministry issue the identity credential in format f, with a status
// entry at index idx (or none for an unlinkable variant), and gives it to the wallet.
func (d *demo) issue(ctx context.Context, f format, idx int) (issued, error) {
	now := time.Now().UTC()
	is := issued{Format: f.Name, Handle: f.Handle}
	if !f.Unlinkable {
		is.StatusIndex = &idx
	}
	var (
		data []byte
		err  error
	)
	switch f.Kind {
	case kindSDJWT:
		birth := time.Date(2001, 4, 12, 0, 0, 0, 0, time.UTC)
		age, ageFrame, aerr := sdjwt.AgeEqualOrOver(birth, now, 16, 18, 21, 65)
		if aerr != nil {
			return is, aerr
		}
		claims := map[string]any{
			"given_name": "Alice", "family_name": "Example", "birthdate": "2001-04-12",
			"address":           map[string]any{"street_address": "1 Main Street", "locality": "Springfield"},
			"age_equal_or_over": age,
			"status":            map[string]any{"status_list": map[string]any{"idx": idx, "uri": tokenListURL}},
		}
		frame, ferr := sdjwt.PathFrame(sdjwt.Path{"given_name"}, sdjwt.Path{"family_name"}, sdjwt.Path{"birthdate"}, sdjwt.Path{"address"})
		if ferr != nil {
			return is, ferr
		}
		frame.Members["age_equal_or_over"] = ageFrame
		data, err = d.issuer.IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{VCT: vct, Holder: d.alice.signer.Public(), Expiry: now.AddDate(1, 0, 0)})
		is.Secured = "dc+sd-jwt, a disclosure per claim and per age answer, bound to the wallet's key"
		is.Status = fmt.Sprintf("Token Status List, index %d", idx)
	default:
		validFrom, validUntil := now.Add(-time.Hour), now.AddDate(1, 0, 0)
		var statusEntry string
		if f.Unlinkable {
			// A day's validity on day boundaries, no id, no status entry: nothing in it
			// tells one presentation from another of any credential issued that day.
			validFrom = now.Truncate(24 * time.Hour)
			validUntil = validFrom.Add(24 * time.Hour)
		} else {
			statusEntry = fmt.Sprintf(`,
			"credentialStatus": {
				"id": "%s#%d", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
				"statusListIndex": "%d", "statusListCredential": "%s"
			}`, bitstringListURL, idx, idx, bitstringListURL)
		}
		id, subjectID := `"id": "urn:uuid:`+uuid()+`",`, `"id": "`+d.alice.DID+`",`
		if f.Unlinkable {
			id, subjectID = "", ""
		}
		cred, perr := vc.ParseCredential([]byte(`{
			"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
			` + id + `
			"type": ["VerifiableCredential", "IdentityCredential"],
			"issuer": "` + d.ministry.DID + `",
			"validFrom": "` + validFrom.Format(time.RFC3339) + `",
			"validUntil": "` + validUntil.Format(time.RFC3339) + `",
			"credentialSubject": {
				` + subjectID + `
				"name": "Alice Example",
				"birthDate": "2001-04-12",
				"address": {"streetAddress": "1 Main Street", "addressLocality": "Springfield"},
				"ageOver16": true, "ageOver18": true, "ageOver21": true, "ageOver65": false
			}` + statusEntry + `
		}`))
		if perr != nil {
			return is, fmt.Errorf("building the credential: %w", perr)
		}
		if f.Kind == kindJWT {
			data, err = d.issuer.Issue(ctx, cred, vc.FormatJWT, vc.IssueOptions{})
			is.Secured = "vc+jwt, one signature over every claim: no selective disclosure"
		} else {
			issuer, mandatory := d.issuer, []string{"/credentialSubject/id"}
			if f.Suite == "bbs-2023" {
				issuer = d.bbsIssuer
			}
			is.Secured = "a base proof for the wallet only; issuer, validity, status and subject id are mandatory"
			if f.Unlinkable {
				mandatory = nil
				is.Secured = "a base proof for the wallet only; no id, no subject id, no status entry, valid one day"
			}
			data, err = issuer.Issue(ctx, cred, vc.FormatDataIntegrity, vc.IssueOptions{Cryptosuite: f.Suite, MandatoryPointers: mandatory})
		}
		is.ValidUntil = validUntil.Format(time.RFC3339)
		is.Status = fmt.Sprintf("Bitstring Status List, index %d", idx)
		if f.Unlinkable {
			is.Status = "none: valid one day instead"
		}
	}
	if err != nil {
		return is, fmt.Errorf("issuing %s: %w", f.Name, err)
	}
	in, err := vc.Inspect(data)
	if err != nil {
		return is, fmt.Errorf("the wallet reading %s: %w", f.Name, err)
	}
	personal, _ := personalClaims(f, in.Claims)
	is.Claims = topNames(personal)
	d.held[f.Handle] = data
	d.order = append(d.order, f.Handle)
	return is, nil
}

// ask runs one request of the shop for "over 18?" in language lang ("DCQL" or "PEX"),
// answered by the wallet with the credential of format f, and checks what the shop
// learned. v is the shop's verifier.
func (d *demo) ask(ctx context.Context, v *vc.Verifier, f format, lang string) (request, sent) {
	r := request{Language: lang, Hidden: []string{}}
	nonce, aud := rand.Text(), d.shop.DID

	// The wallet matches the request against everything it holds.
	var (
		paths [][]any
		match pex.Match
		query *dcql.Query
		def   *pex.Definition
		sub   *pex.Submission
		err   error
	)
	switch lang {
	case "DCQL":
		query, err = dcql.ParseQuery([]byte(dcqlQuery(f)))
		if err != nil {
			r.Error = err.Error()
			return r, sent{}
		}
		var views []dcql.Credential
		for _, h := range d.order {
			c, verr := presentation.DCQLCredential(h, d.held[h])
			if verr != nil {
				r.Error = verr.Error()
				return r, sent{}
			}
			views = append(views, c)
		}
		res, eerr := dcql.Evaluate(query, views)
		if eerr != nil {
			r.Error, r.Sentinel = eerr.Error(), sentinel(eerr)
			return r, sent{}
		}
		for _, m := range res.Queries[0].Matches {
			r.Candidates = append(r.Candidates, m.CredentialID)
			if m.CredentialID == f.Handle {
				r.Matched, paths = m.CredentialID, m.Disclose
			}
		}
	case "PEX":
		def, err = pex.ParseDefinition([]byte(pexDefinition(f)))
		if err != nil {
			r.Error = err.Error()
			return r, sent{}
		}
		var cands []pex.Candidate
		for _, h := range d.order {
			c, cerr := presentation.PEXCandidate(h, d.held[h])
			if cerr != nil {
				r.Error = cerr.Error()
				return r, sent{}
			}
			cands = append(cands, c)
		}
		res, eerr := pex.Evaluate(def, cands)
		if eerr != nil {
			r.Error, r.Sentinel = eerr.Error(), sentinel(eerr)
			return r, sent{}
		}
		for _, m := range res.Descriptors[0].Matches {
			r.Candidates = append(r.Candidates, m.CandidateID)
			if m.CandidateID == f.Handle {
				r.Matched, match, paths = f.Handle, m, m.Disclose
			}
		}
		// The submission names the credential the wallet chose: the first match, unless
		// the wallet (here, for each format in turn) chose another.
		if s := res.Selected; len(s) == 1 && s[0].Match.CandidateID == f.Handle {
			sub, _ = res.Submission("submission-" + rand.Text())
		} else {
			sub = &pex.Submission{ID: "submission-" + rand.Text(), DefinitionID: def.ID,
				DescriptorMap: []pex.DescriptorMapping{{ID: "age", Format: f.PEX, Path: "$.verifiableCredential[0]"}}}
		}
		if f.Unlinkable {
			sub.DescriptorMap[0].Path = "$" // the credential alone, no presentation around it
		}
	}
	if r.Matched == "" {
		r.Error = fmt.Sprintf("the wallet found no match in %s (candidates %v)", f.Handle, r.Candidates)
		return r, sent{}
	}
	held := d.held[f.Handle]
	for _, p := range paths {
		r.Shared = append(r.Shared, pathString(p))
	}
	in, err := vc.Inspect(held)
	if err != nil {
		r.Error = err.Error()
		return r, sent{}
	}
	heldPersonal, prefix := personalClaims(f, in.Claims)
	shared := map[string]any{}
	for _, p := range paths {
		setPath(shared, p)
	}
	sharedPersonal, _ := personalClaims(f, shared)
	r.Kept = hiddenNames(heldPersonal, sharedPersonal, prefix)
	if f.Kind == kindJWT {
		r.Shared, r.Kept = []string{"every claim (vc+jwt cannot hide any)"}, []string{}
	}
	// Consent: a real wallet asks the person; here it is approved and printed.
	r.Consent = fmt.Sprintf("share %s of %s with %s", strings.Join(r.Shared, ", "), f.Handle, d.shop.Name)
	if len(r.Kept) > 0 {
		r.Consent += fmt.Sprintf(", keep %d claims", len(r.Kept))
	}
	r.Consent += "? yes (auto-approved in this demo)"

	// The wallet presents, through the holder's DCQL or PEX response, which derives or
	// discloses what the match names.
	s := sent{format: f, want: vc.Expect{Nonce: nonce, Audience: aud}}
	if f.Kind == kindDerived {
		s.want = vc.Expect{Challenge: nonce, Domain: aud}
	}
	req := presentation.Request{Nonce: nonce, Audience: aud}
	switch {
	case f.Unlinkable:
		// No subject id, so no holder proof to sign: the wallet sends the derived
		// credential alone, its proof bound to the shop's nonce as presentation header.
		s.vp, err = vc.DeriveCredential(ctx, held, vc.DeriveOptions{Disclose: pointersOf(paths), PresentationHeader: []byte(nonce)})
	case lang == "DCQL":
		var token map[string][]json.RawMessage
		token, err = d.wallet.RespondDCQL(ctx, d.held, map[string][]dcql.Presentation{"over18": {{CredentialID: f.Handle, Disclose: paths}}}, req)
		if err == nil {
			s.vp, err = vpTokenEntry(token["over18"])
		}
	case lang == "PEX":
		var vps [][]byte
		vps, err = d.wallet.PresentPEX(ctx, d.held, []pex.Match{match}, false, req)
		if err == nil && len(vps) == 1 {
			s.vp = vps[0]
		}
	}
	switch {
	case f.Kind == kindSDJWT:
		r.Proof = "SD-JWT with the chosen disclosures and a key binding JWT over the nonce and audience"
	case f.Unlinkable:
		r.Proof = "derived " + f.Suite + " proof alone, the shop's nonce as its presentation header; no holder proof"
	case f.Kind == kindDerived:
		r.Proof = "derived " + f.Suite + " proof in a Data Integrity presentation signed by the wallet over the challenge and domain"
	case f.Kind == kindJWT:
		r.Proof = "the whole vc+jwt in a vp+jwt signed by the wallet over the nonce and audience"
	}
	if err != nil {
		r.Error = "presenting: " + err.Error()
		return r, sent{}
	}

	// The shop verifies the presentation, then that it answers its own request.
	var cred *vc.Verified
	if f.Unlinkable {
		cred, err = verifyBearer(ctx, v, s.vp, nonce)
	} else {
		var got *vc.VerifiedPresentation
		if got, err = v.VerifyPresentation(ctx, s.vp, s.want); err == nil {
			cred = got.Credentials()[0]
		}
	}
	if err != nil {
		r.Error, r.Sentinel, r.err = err.Error(), sentinel(err), err
		return r, s
	}
	claims := cred.Claims()
	switch lang {
	case "DCQL":
		view := dcql.Credential{ID: "presented", Format: f.DCQL, Claims: claims, Types: cred.Types(), Issuer: cred.Issuer(), HolderBound: !f.Unlinkable}
		view.VCT, _ = claims["vct"].(string)
		err = dcql.CheckResponse(query, map[string][]dcql.Credential{"over18": {view}})
	case "PEX":
		view := pex.Candidate{Format: f.PEX, Claims: claims, Issuer: cred.Issuer(), HolderBound: !f.Unlinkable,
			SelectiveDisclosure: f.Kind != kindJWT, Cryptosuite: f.Suite}
		if f.Suite != "" {
			view.ProofType = "DataIntegrityProof"
		}
		err = pex.Check(def, sub, []pex.Candidate{view})
	}
	if err != nil {
		r.Error, r.Sentinel = "the response does not answer the request: "+err.Error(), sentinel(err)
		return r, s
	}
	r.Accepted = true
	seen, _ := personalClaims(f, claims)
	if vals, serr := dcql.Select(claims, []any(f.Age)); serr == nil && len(vals) == 1 {
		if b, ok := vals[0].(bool); ok {
			r.Over18 = &b
		}
	}
	agePath := pathString(f.Age)
	for _, name := range leafNames(seen, prefix) {
		l := learned{Claim: name}
		if name == agePath {
			l.Value = r.Over18
		}
		r.Learned = append(r.Learned, l)
	}
	r.Hidden = hiddenNames(heldPersonal, seen, prefix)
	r.AlsoSeen = tokenFacts(f, claims)
	r.Linkable = linkable(f, claims)
	return r, s
}

// sameProofs derives the credential of f twice with the same disclosure and says whether
// the two proof values are the same.
func (d *demo) sameProofs(ctx context.Context, f format) (bool, error) {
	var values [2]any
	for i := range values {
		derived, err := vc.DeriveCredential(ctx, d.held[f.Handle], vc.DeriveOptions{Disclose: pointersOf([][]any{f.Age})})
		if err != nil {
			return false, fmt.Errorf("deriving %s: %w", f.Name, err)
		}
		in, err := vc.Inspect(derived)
		if err != nil {
			return false, err
		}
		if p, ok := in.Claims["proof"].(map[string]any); ok {
			values[i] = p["proofValue"]
		}
	}
	return values[0] != nil && values[0] == values[1], nil
}

// verifyBearer verifies a derived bbs-2023 credential shown on its own, and that its
// proof is bound to this request: its presentation header must be the shop's nonce.
func verifyBearer(ctx context.Context, v *vc.Verifier, data []byte, nonce string) (*vc.Verified, error) {
	cred, err := v.VerifyCredential(ctx, data)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(cred.Proof().PresentationHeader, []byte(nonce)) != 1 {
		return nil, fmt.Errorf("the proof is bound to another request's nonce: %w", vc.ErrNonceMismatch)
	}
	return cred, nil
}

// sent is a presentation as it went to the shop, kept for the replay check.
type sent struct {
	format format
	vp     []byte
	want   vc.Expect
}

// dcqlQuery is the shop's DCQL query (OpenID4VP 1.0 §6) for "18 or over" in format f.
func dcqlQuery(f format) string {
	meta := `{"type_values": [["IdentityCredential"]]}`
	if f.Kind == kindSDJWT {
		meta = `{"vct_values": ["` + vct + `"]}`
	}
	path, _ := json.Marshal([]any(f.Age))
	binding := ""
	if f.Unlinkable {
		binding = `"require_cryptographic_holder_binding": false,`
	}
	return `{"credentials": [{"id": "over18", "format": "` + f.DCQL + `", "meta": ` + meta + `, ` + binding + `
		"claims": [{"path": ` + string(path) + `, "values": [true]}]}]}`
}

// pexDefinition is the shop's presentation definition (PEX v2) for "18 or over" in
// format f, with limit_disclosure required where the format can disclose selectively.
func pexDefinition(f format) string {
	designation := `{}`
	if f.Suite != "" {
		designation = `{"proof_type": ["DataIntegrityProof"], "cryptosuite": ["` + f.Suite + `"]}`
	}
	limit := `"limit_disclosure": "required",`
	if f.Kind == kindJWT {
		limit = ""
	}
	path := "$.credentialSubject.ageOver18"
	if f.Kind == kindSDJWT {
		path = "$.age_equal_or_over['18']"
	}
	return `{"id": "over-18", "purpose": "age check for an age-restricted sale",
		"input_descriptors": [{"id": "age", "format": {"` + f.PEX + `": ` + designation + `},
		"constraints": {` + limit + `
			"fields": [{"path": ["` + path + `"], "filter": {"type": "boolean", "const": true}}]}}]}`
}

// pointersOf turns claims paths into the JSON Pointers (RFC 6901) of a derivation.
func pointersOf(paths [][]any) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		var b strings.Builder
		for _, c := range p {
			b.WriteString("/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(fmt.Sprint(c)))
		}
		out[i] = b.String()
	}
	return out
}

// vpTokenEntry is the one presentation of a vp_token entry: a JSON string for SD-JWT
// and JWT presentations, an object for Data Integrity ones.
func vpTokenEntry(entry []json.RawMessage) ([]byte, error) {
	if len(entry) != 1 {
		return nil, fmt.Errorf("%d presentations for one credential query, want 1", len(entry))
	}
	var s string
	if json.Unmarshal(entry[0], &s) == nil {
		return []byte(s), nil
	}
	return entry[0], nil
}

// registered are the SD-JWT VC claims about the token rather than the person.
var registered = []string{"iss", "vct", "vct#integrity", "iat", "exp", "nbf", "cnf", "status", "sub", "_sd_alg", "_sd"}

// personalClaims returns the claims about the person in a credential's claims, and the
// path prefix they sit under: the payload minus the token's own claims for an SD-JWT VC,
// credentialSubject minus its id otherwise.
func personalClaims(f format, claims map[string]any) (map[string]any, string) {
	out := map[string]any{}
	if f.Kind == kindSDJWT {
		for k, v := range claims {
			if !slices.Contains(registered, k) {
				out[k] = v
			}
		}
		return out, ""
	}
	subject, _ := claims["credentialSubject"].(map[string]any)
	for k, v := range subject {
		if k != "id" {
			out[k] = v
		}
	}
	return out, "credentialSubject."
}

// tokenFacts names what the shop sees besides the person's claims: the credential's own
// members (issuer, type, validity, status, holder binding).
func tokenFacts(f format, claims map[string]any) []string {
	var out []string
	for k := range claims {
		switch {
		case f.Kind == kindSDJWT && slices.Contains(registered, k) && !strings.HasPrefix(k, "_sd"):
			out = append(out, k)
		case f.Kind != kindSDJWT && k != "credentialSubject" && k != "@context" && k != "proof":
			out = append(out, k)
		}
	}
	if s, ok := claims["credentialSubject"].(map[string]any); ok && s["id"] != nil {
		out = append(out, "credentialSubject.id")
	}
	slices.Sort(out)
	return out
}

// linkable names what lets two verifiers (or one, twice) tell that two presentations
// come from the same credential.
func linkable(f format, claims map[string]any) []string {
	var out []string
	if claims["id"] != nil {
		out = append(out, "credential id (id)")
	}
	if s, ok := claims["credentialStatus"].(map[string]any); ok {
		out = append(out, fmt.Sprintf("status entry (statusListIndex %v of one list)", s["statusListIndex"]))
	}
	if s, ok := claims["status"].(map[string]any); ok {
		if l, ok := s["status_list"].(map[string]any); ok {
			out = append(out, fmt.Sprintf("status entry (status_list.idx %v)", l["idx"]))
		}
	}
	if s, ok := claims["credentialSubject"].(map[string]any); ok && s["id"] != nil {
		out = append(out, "holder DID (credentialSubject.id)")
	}
	if claims["cnf"] != nil {
		out = append(out, "holder key (cnf)")
	}
	switch {
	case f.Kind == kindSDJWT:
		out = append(out, "issuer signature and disclosure digests (the same in every presentation)")
	case f.Suite == "ecdsa-sd-2023":
		out = append(out, "base signature and proof-scoped key (shared by every derived proof)")
	case f.Suite == "bbs-2023" && len(out) == 0:
		out = append(out, "nothing of its own: issuer, type and a day's validity are shared by every credential issued that day")
	case f.Kind == kindJWT:
		out = append(out, "the whole signed credential")
	}
	return out
}

// leafNames lists the paths of the scalar values in m, sorted.
func leafNames(m map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			out = append(out, leafNames(sub, prefix+k+".")...)
			continue
		}
		out = append(out, prefix+k)
	}
	slices.Sort(out)
	return out
}

// hiddenNames lists what of held is not in seen: a top-level claim by its name when
// none of it was seen, otherwise the members that were not.
func hiddenNames(held, seen map[string]any, prefix string) []string {
	out := []string{}
	for k, v := range held {
		s, ok := seen[k]
		if !ok {
			out = append(out, prefix+k)
			continue
		}
		hm, isMap := v.(map[string]any)
		sm, _ := s.(map[string]any)
		if !isMap {
			continue
		}
		for _, leaf := range leafNames(hm, prefix+k+".") {
			rest := strings.TrimPrefix(leaf, prefix+k+".")
			if !hasPath(sm, strings.Split(rest, ".")) {
				out = append(out, leaf)
			}
		}
	}
	slices.Sort(out)
	return out
}

// setPath marks the claims path p in m, for comparing names with hiddenNames.
func setPath(m map[string]any, p []any) {
	for i, c := range p {
		k := fmt.Sprint(c)
		if i == len(p)-1 {
			m[k] = true
			return
		}
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
}

func hasPath(m map[string]any, path []string) bool {
	var v any = m
	for _, p := range path {
		o, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = o[p]; !ok {
			return false
		}
	}
	return true
}

// topNames lists the top-level names of m, sorted.
func topNames(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// pathString writes a claims path with dots: age_equal_or_over.18.
func pathString(p []any) string {
	parts := make([]string, len(p))
	for i, c := range p {
		parts[i] = fmt.Sprint(c)
	}
	return strings.Join(parts, ".")
}

// sentinels are the error kinds the demo names in its output.
var sentinels = []struct {
	name string
	err  error
}{
	{"ErrRevoked", vc.ErrRevoked}, {"ErrSuspended", vc.ErrSuspended}, {"ErrReplay", vc.ErrReplay},
	{"ErrAudienceMismatch", vc.ErrAudienceMismatch}, {"ErrNonceMismatch", vc.ErrNonceMismatch},
	{"ErrChallengeMismatch", vc.ErrChallengeMismatch}, {"ErrDomainMismatch", vc.ErrDomainMismatch},
	{"ErrBaseProofPresented", vc.ErrBaseProofPresented}, {"ErrHolderBinding", vc.ErrHolderBinding},
	{"ErrStatusRetrieval", vc.ErrStatusRetrieval}, {"ErrStatusVerification", vc.ErrStatusVerification},
	{"ErrUntrustedIssuer", vc.ErrUntrustedIssuer}, {"ErrInvalidSignature", vc.ErrInvalidSignature},
	{"ErrInvalidProof", vc.ErrInvalidProof}, {"ErrExpired", vc.ErrExpired}, {"ErrNoMatch", vc.ErrNoMatch},
	{"ErrUnsupportedProof", vc.ErrUnsupportedProof}, {"ErrUnsupportedFormat", vc.ErrUnsupportedFormat},
	{"ErrInvalidOptions", vc.ErrInvalidOptions}, {"ErrMalformed", vc.ErrMalformed},
}

// sentinel names the error kind of err, or "" if it is none of sentinels.
func sentinel(err error) string {
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return ""
}

// uuid returns a random version 4 UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
