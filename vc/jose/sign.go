package jose

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
)

// SignOptions are the JWT claims a Sign function adds beside what the document says.
// The zero value adds none, and a vc+jwt then carries the caller's bytes unchanged.
//
// Only claims about the act of signing are offered: its time and lifetime and, for a
// presentation, the verifier's nonce and audience. iss, sub and jti would repeat issuer,
// credentialSubject.id and id (VC-JOSE-COSE asks implementers not to let such pairs
// conflict), and nbf is NOT RECOMMENDED there; a caller who wants them in a vc+jwt
// writes them into the document, where Parse checks iss against issuer. For the VCDM 1.1
// encoding the Sign11 functions derive them from the document.
type SignOptions struct {
	// IssuedAt becomes "iat": when the token was signed. Zero: no iat.
	IssuedAt time.Time
	// Expiry becomes "exp": when the signature stops being acceptable, independent of
	// validUntil. Zero: no exp. SignCredential11 refuses it, since there exp stands for
	// expirationDate: set that property instead.
	Expiry time.Time
	// Nonce becomes "nonce", binding a presentation to a verifier's request.
	// Presentations only; "" adds none.
	Nonce string
	// Audience becomes "aud", a single string naming the verifier. Presentations only;
	// "" adds none.
	Audience string
}

// SignCredential secures a VCDM 2.0 credential as a vc+jwt (VC-JOSE-COSE) with typ
// "vc+jwt", cty "vc" and, when kid is not empty, kid. The payload is credential exactly
// as given, after the checks Parse applies to a vc+jwt payload (so a token this function
// makes always parses), with iat and exp from o inserted as the first members. A
// credential that already has a claim o would add is ErrMalformed, as are o.Nonce and
// o.Audience; kid is required (ErrMissingKeyID) when the issuer is a DID. The algorithm is
// the signer's own.
func SignCredential(s keys.Signer, kid string, credential []byte, o SignOptions) ([]byte, error) {
	if o.Nonce != "" || o.Audience != "" {
		return nil, fmt.Errorf("jose: nonce and aud options on a credential: %w", ErrMalformed)
	}
	return sign20(s, kid, credential, o, false)
}

// SignPresentation secures a VCDM 2.0 presentation as a vp+jwt with typ "vp+jwt", cty
// "vp" and kid; o adds nonce, aud, iat and exp. The presentation's credentials must be
// EnvelopedVerifiableCredential objects (see Envelope); otherwise it is checked and
// kept as SignCredential keeps a credential.
func SignPresentation(s keys.Signer, kid string, presentation []byte, o SignOptions) ([]byte, error) {
	return sign20(s, kid, presentation, o, true)
}

func sign20(s keys.Signer, kid string, doc []byte, o SignOptions, presentation bool) ([]byte, error) {
	if len(doc) > DefaultMaxBytes {
		return nil, fmt.Errorf("jose: document of %d bytes exceeds %d: %w", len(doc), DefaultMaxBytes, ErrTooLarge)
	}
	d, err := checkDocument(doc, presentation)
	if err != nil {
		return nil, err
	}
	if kid == "" && strings.HasPrefix(d.party, "did:") {
		return nil, fmt.Errorf("jose: no kid for the DID %s: %w", d.party, ErrMissingKeyID)
	}
	var extra []byte
	add := func(name string, v []byte) error {
		if _, dup := d.claims.Set[name]; dup {
			return fmt.Errorf("jose: document already has a %s claim: %w", name, ErrMalformed)
		}
		if len(extra) > 0 {
			extra = append(extra, ',')
		}
		extra = append(extra, '"')
		extra = append(extra, name...)
		extra = append(extra, `":`...)
		extra = append(extra, v...)
		return nil
	}
	for _, c := range []struct {
		name string
		t    time.Time
	}{{"iat", o.IssuedAt}, {"exp", o.Expiry}} {
		if c.t.IsZero() {
			continue
		}
		n, err := numericDate(c.t)
		if err != nil {
			return nil, err
		}
		if err := add(c.name, []byte(n)); err != nil {
			return nil, err
		}
	}
	for _, c := range []struct{ name, v string }{{"nonce", o.Nonce}, {"aud", o.Audience}} {
		if c.v == "" {
			continue
		}
		if !utf8.ValidString(c.v) {
			return nil, fmt.Errorf("jose: %s is not valid UTF-8: %w", c.name, ErrMalformed)
		}
		q, _ := json.Marshal(c.v)
		if err := add(c.name, q); err != nil {
			return nil, err
		}
	}
	payload := doc
	if len(extra) > 0 {
		payload = splice(doc, extra)
	}
	so := ijose.SignOptions{Typ: typCredential, Cty: "vc", Kid: kid}
	if presentation {
		so.Typ, so.Cty = typPresentation, "vp"
	}
	return finish(s, payload, so)
}

// splice inserts members (`"name":value,...`) at the start of the JSON object doc,
// leaving every other byte as it was.
func splice(doc, members []byte) []byte {
	i := skipWS(doc, 0) // doc[i] is '{': checkDocument accepted it
	j := skipWS(doc, i+1)
	out := make([]byte, 0, len(doc)+len(members)+1)
	out = append(out, doc[:i+1]...)
	out = append(out, members...)
	if doc[j] != '}' {
		out = append(out, ',')
	}
	return append(out, doc[i+1:]...)
}

// SignCredential11 secures a VCDM 1.1 credential in the JWT encoding of VCDM 1.1 §6.3.1,
// typ "JWT": issuer (or issuer.id) becomes iss, issuanceDate nbf, expirationDate exp, id
// jti, and the id of the one credentialSubject sub; these properties are moved out of
// the vc claim, which holds the rest. o.IssuedAt adds iat; o.Expiry, o.Nonce and
// o.Audience are ErrMalformed. The credential needs @context, a type that includes
// VerifiableCredential and an issuer; dates must be RFC 3339 date-times after 1970.
func SignCredential11(s keys.Signer, kid string, credential []byte, o SignOptions) ([]byte, error) {
	return sign11(s, kid, credential, o, false)
}

// SignPresentation11 secures a VCDM 1.1 presentation in the JWT encoding: holder (or
// holder.id) becomes iss, id jti, and o adds nonce, aud, iat and exp; the rest is the vp
// claim. Credentials inside are kept as they are (typically VCDM 1.1 JWT strings).
func SignPresentation11(s keys.Signer, kid string, presentation []byte, o SignOptions) ([]byte, error) {
	return sign11(s, kid, presentation, o, true)
}

func sign11(s keys.Signer, kid string, doc []byte, o SignOptions, presentation bool) ([]byte, error) {
	claims, err := claims11(doc, presentation, o)
	if err != nil {
		return nil, err
	}
	payload, err := marshalJSON(claims)
	if err != nil {
		return nil, err
	}
	return finish(s, payload, ijose.SignOptions{Typ: typJWT, Kid: kid})
}

func finish(s keys.Signer, payload []byte, so ijose.SignOptions) ([]byte, error) {
	tok, err := ijose.Sign(s, payload, so)
	if err != nil {
		return nil, err
	}
	if len(tok) > DefaultMaxBytes {
		return nil, fmt.Errorf("jose: token of %d bytes exceeds %d: %w", len(tok), DefaultMaxBytes, ErrTooLarge)
	}
	return tok, nil
}
