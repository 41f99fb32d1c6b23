package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/presentation"
	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/sdjwt"
)

const issueUsage = `usage: credence issue --key FILE [--kid KID] --format jwt|jwt11|di|sd-jwt [flags] credential.json|credential.yaml|-

Signs a credential (JSON, or YAML) and prints it secured:

  jwt     a VCDM 2.0 credential as a vc+jwt (VC-JOSE-COSE)
  jwt11   a VCDM 1.1 credential in the VCDM 1.1 JWT encoding
  di      a VCDM 2.0 credential with a Data Integrity proof (eddsa-jcs-2022 for Ed25519
          keys, ecdsa-jcs-2019 for P-256 and P-384)
  sd-jwt  an SD-JWT VC (dc+sd-jwt): the input is a JSON object of claims, --vct is
          required, and each --disclose PATH makes the claim at PATH selectively
          disclosable; --holder-jwk binds the credential to the holder's key (cnf)

--status LIST_FILE gives the credential a fresh index of a status list made with
"credence status create": a credentialStatus entry (BitstringStatusListEntry) for the
VCDM formats, a status claim (Token Status List, "status create --token") for sd-jwt.
The list must be published, signed by the same issuer, at the URL it was created for.

The input is YAML when --input yaml says so, or the file name ends in .yaml or .yml,
or it does not start with "{". YAML is converted to JSON strictly: one document, no
anchors, aliases, merge keys or custom tags, no repeated keys, at most 1 MiB and 64
levels. Timestamps stay the strings they were written as; quote any other value that
must stay a string ("1.0", "yes"); a key is always the member name written (18: true
is the member "18").

A credential without an issuer gets the DID of --kid. --kid defaults to the did:key
verification method of the key.

Paths (--disclose) are JSON Pointers (RFC 6901) into the claims: /given_name,
/address/street_address, /nationalities/0; "~1" stands for "/" and "~0" for "~" in a
name. A segment is an array index when the value it applies to is an array, otherwise
a member name (so /age_equal_or_over/18 names the member "18"); "*" applied to an array
stands for every element (/nationalities/*).`

func cmdIssue(ctx context.Context, e *env, args []string) error {
	f := newFlags("issue", issueUsage)
	keyFile := f.String("key", "", "the issuer's private JWK `FILE`")
	kid := f.String("kid", "", "the key id to sign with (a DID URL); if empty, the key's did:key method")
	format := f.String("format", "jwt", "jwt, jwt11, di or sd-jwt")
	var disclose multi
	f.Var(&disclose, "disclose", "sd-jwt: a JSON Pointer `PATH` to make selectively disclosable (repeatable)")
	vct := f.String("vct", "", "sd-jwt: the credential type (vct), required")
	holderJWK := f.String("holder-jwk", "", "sd-jwt: the holder's JWK `FILE` to bind the credential to (cnf)")
	expires := f.String("expires", "", "an RFC 3339 `TIME` written as the JWT exp claim")
	suite := f.String("cryptosuite", "", "di: the cryptosuite (default: the JCS suite of the key; bbs-2023 for a BBS key)")
	var mandatory multi
	f.Var(&mandatory, "mandatory", "di with ecdsa-sd-2023 or bbs-2023: a JSON Pointer `PATH` every derived credential must reveal (repeatable)")
	input := f.String("input", "", "the input's syntax: json or yaml (default: from the file name or content)")
	statusFile := f.String("status", "", "give the credential an index of the status list in `LIST_FILE`")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one credential file (or -), got %d arguments", len(pos))
	}
	var exp time.Time
	if *expires != "" {
		if exp, err = time.Parse(time.RFC3339, *expires); err != nil {
			return usagef("--expires: %v", err)
		}
	}
	sd := *format == "sd-jwt"
	switch {
	case *format != "jwt" && *format != "jwt11" && *format != "di" && !sd:
		return usagef("--format must be jwt, jwt11, di or sd-jwt, not %q", *format)
	case !sd && (len(disclose) > 0 || *vct != "" || *holderJWK != ""):
		return usagef("--disclose, --vct and --holder-jwk are for --format sd-jwt")
	case sd && *vct == "":
		return usagef("--format sd-jwt needs --vct")
	case *suite != "" && *format != "di":
		return usagef("--cryptosuite is for --format di")
	case len(mandatory) > 0 && *format != "di":
		return usagef("--mandatory is for --format di with a selective disclosure cryptosuite")
	}
	var issuer *vc.Issuer
	if bbsKey, isBBS, err := loadBBSKey(e, *keyFile); isBBS || err != nil {
		if err != nil {
			return err
		}
		if *format != "di" {
			return usagef("a BBS key issues only --format di (bbs-2023)")
		}
		if *kid == "" {
			if _, *kid, err = keyDID(ctx, bbsKey.Public(), "key"); err != nil {
				return err
			}
		}
		if issuer, err = vc.NewBBSIssuer(bbsKey, *kid, vc.IssuerOptions{Clock: wholeSeconds}); err != nil {
			return err
		}
	} else {
		signer, err := loadKey(e, *keyFile)
		if err != nil {
			return err
		}
		if *kid == "" {
			if _, *kid, err = keyDID(ctx, signer.Public(), "key"); err != nil {
				return err
			}
		}
		if issuer, err = vc.NewIssuer(signer, *kid, vc.IssuerOptions{Clock: wholeSeconds}); err != nil {
			return err
		}
	}
	data, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	yamlIn, err := isYAML(*input, pos[0], data)
	if err != nil {
		return err
	}
	if yamlIn {
		if data, err = yamlToJSON(data); err != nil {
			return fmt.Errorf("reading %s: %w", displayName(pos[0]), err)
		}
		e.log.Info("converted YAML to JSON", "bytes", len(data))
	}
	var out []byte
	if sd {
		out, err = issueSDJWT(ctx, e, issuer, data, disclose, *vct, *holderJWK, exp, *statusFile)
	} else {
		var c *vc.Credential
		if c, err = vc.ParseCredential(data); err != nil {
			return err
		}
		if *statusFile != "" {
			if err := addStatus(ctx, e, c, *statusFile); err != nil {
				return err
			}
		}
		out, err = issuer.Issue(ctx, c, vc.Format(*format), vc.IssueOptions{Expiry: exp, Cryptosuite: *suite, MandatoryPointers: mandatory})
	}
	if err != nil {
		return err
	}
	e.log.Info("issued", "format", *format, "issuer", issuer.ID(), "kid", *kid)
	return writeLine(e.stdout, out)
}

// addStatus gives c an entry of the status list in listFile.
func addStatus(ctx context.Context, e *env, c *vc.Credential, listFile string) error {
	if len(c.Status) > 0 {
		return usagef("--status: the credential already has a credentialStatus")
	}
	entry, err := statusEntryFor(ctx, e, listFile, false)
	if err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(entry, &members); err != nil {
		return err
	}
	var st vc.Status
	if err := json.Unmarshal(members["id"], &st.ID); err != nil {
		return err
	}
	if err := json.Unmarshal(members["type"], &st.Type); err != nil {
		return err
	}
	delete(members, "id")
	delete(members, "type")
	st.Extra = members
	c.Status = []vc.Status{st}
	return nil
}

func issueSDJWT(ctx context.Context, e *env, issuer *vc.Issuer, data []byte, disclose []string, vct, holderFile string, exp time.Time, statusFile string) ([]byte, error) {
	var claims map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil || dec.More() || claims == nil {
		return nil, fmt.Errorf("the claims must be one JSON object: %w", vc.ErrMalformed)
	}
	var paths []sdjwt.Path
	for _, p := range disclose {
		path, err := parsePath(p, claims)
		if err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	frame, err := sdjwt.PathFrame(paths...)
	if err != nil {
		return nil, err
	}
	var holder crypto.PublicKey
	if holderFile != "" {
		if holder, err = loadPublicKey(e, holderFile); err != nil {
			return nil, err
		}
	}
	if statusFile != "" {
		if _, has := claims["status"]; has {
			return nil, usagef("--status: the claims already have a status")
		}
		entry, err := statusEntryFor(ctx, e, statusFile, true)
		if err != nil {
			return nil, err
		}
		var ref map[string]any
		dec := json.NewDecoder(bytes.NewReader(entry))
		dec.UseNumber()
		if err := dec.Decode(&ref); err != nil {
			return nil, err
		}
		claims["status"] = ref
	}
	return issuer.IssueSDJWT(ctx, claims, frame, vc.SDJWTOptions{VCT: vct, Holder: holder, Expiry: exp})
}

// parsePath reads a JSON Pointer into doc as a claim path: a segment is an array index
// when it applies to an array (or "*", every element), a member name otherwise. The
// claim must exist in doc.
func parsePath(p string, doc any) (sdjwt.Path, error) {
	if !strings.HasPrefix(p, "/") {
		return nil, usagef("path %q is not a JSON Pointer (it must start with /)", p)
	}
	var path sdjwt.Path
	cur := doc
	for _, seg := range strings.Split(p[1:], "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg]
			if !ok {
				return nil, fmt.Errorf("path %s: no claim %q: %w", p, seg, vc.ErrNotFound)
			}
			path, cur = append(path, seg), next
		case []any:
			if seg == "*" {
				path = append(path, nil)
				if len(v) == 0 {
					return nil, fmt.Errorf("path %s: empty array: %w", p, vc.ErrNotFound)
				}
				cur = v[0]
				continue
			}
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || strconv.Itoa(i) != seg {
				return nil, usagef("path %s: %q is not an array index", p, seg)
			}
			if i >= len(v) {
				return nil, fmt.Errorf("path %s: index %d beyond the array: %w", p, i, vc.ErrNotFound)
			}
			path, cur = append(path, i), v[i]
		default:
			return nil, fmt.Errorf("path %s: %q goes inside a value that is neither object nor array: %w", p, seg, vc.ErrNotFound)
		}
	}
	return path, nil
}

// pointer writes a claim path as a JSON Pointer, "*" for every element.
func pointer(p sdjwt.Path) string {
	var b strings.Builder
	for _, c := range p {
		b.WriteByte('/')
		switch v := c.(type) {
		case nil:
			b.WriteByte('*')
		case string:
			b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(v))
		default:
			fmt.Fprint(&b, v)
		}
	}
	return b.String()
}

const presentUsage = `usage: credence present --key FILE [--kid KID] (--nonce N --audience A | --challenge C --domain D) [flags] CREDENTIAL_FILE...

Makes a presentation of the credentials (as issued) signed by the holder's key, bound
to the verifier's nonce and audience (vp+jwt, VCDM 1.1 JWT) or challenge and domain
(Data Integrity), and prints it.

--format defaults to the format of the first credential: jwt11 for VCDM 1.1 JWT
credentials, di for Data Integrity ones, jwt otherwise. One SD-JWT credential is
presented with a key binding JWT, revealing only the claims named by --disclose (JSON
Pointers as in "credence issue --help"); the key must be the credential's cnf key. One
Data Integrity credential with an ecdsa-sd-2023 or bbs-2023 base proof is derived to
reveal only the --disclose paths (and what its issuer made mandatory), and the derived
credential is presented; a base proof is never presented.

--kid defaults to the did:key verification method of the key; the holder is the DID of
--kid and must be the subject of each credential.`

func cmdPresent(ctx context.Context, e *env, args []string) error {
	f := newFlags("present", presentUsage)
	keyFile := f.String("key", "", "the holder's private JWK `FILE`")
	kid := f.String("kid", "", "the key id to sign with (a DID URL); if empty, the key's did:key method")
	nonce := f.String("nonce", "", "the verifier's nonce (JWT and SD-JWT presentations)")
	audience := f.String("audience", "", "the verifier's identifier (JWT and SD-JWT presentations)")
	challenge := f.String("challenge", "", "the verifier's challenge (Data Integrity presentations)")
	domain := f.String("domain", "", "the verifier's domain (Data Integrity presentations)")
	format := f.String("format", "", "jwt, jwt11 or di (default: from the first credential)")
	var disclose multi
	f.Var(&disclose, "disclose", "SD-JWT: a JSON Pointer `PATH` of a claim to reveal (repeatable)")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("expected at least one credential file")
	}
	switch *format {
	case "", "jwt", "jwt11", "di":
	default:
		return usagef("--format must be jwt, jwt11 or di, not %q", *format)
	}
	var creds [][]byte
	var formats []vc.Format
	for _, name := range pos {
		data, err := readInput(e, name)
		if err != nil {
			return err
		}
		in, err := vc.Inspect(data)
		if err != nil {
			return fmt.Errorf("reading the credential in %s: %w", displayName(name), err)
		}
		if in.Presentation != nil {
			return fmt.Errorf("%s holds a presentation, not a credential: %w", displayName(name), vc.ErrInvalidType)
		}
		creds, formats = append(creds, data), append(formats, in.Format)
	}
	sd := formats[0] == vc.FormatSDJWTVC || formats[0] == vc.FormatSDJWT
	switch {
	case sd && len(creds) > 1:
		return usagef("an SD-JWT credential is presented alone")
	case sd && *format != "":
		return usagef("--format does not apply to an SD-JWT credential")
	case !sd && len(disclose) > 0 && (len(creds) > 1 || formats[0] != vc.FormatDataIntegrity):
		return usagef("--disclose applies to one SD-JWT credential, or one Data Integrity credential with a selective disclosure base proof")
	}
	vpFormat := vc.Format(*format)
	if vpFormat == "" && !sd {
		vpFormat = vc.FormatJWT
		if formats[0] == vc.FormatJWT11 || formats[0] == vc.FormatDataIntegrity {
			vpFormat = formats[0]
		}
	}
	if vpFormat == vc.FormatDataIntegrity {
		if *challenge == "" || *domain == "" {
			return usagef("a Data Integrity presentation needs --challenge and --domain")
		}
	} else if *nonce == "" || *audience == "" {
		return usagef("this presentation needs --nonce and --audience")
	}
	signer, err := loadKey(e, *keyFile)
	if err != nil {
		return err
	}
	if *kid == "" {
		if _, *kid, err = keyDID(ctx, signer.Public(), "key"); err != nil {
			return err
		}
	}
	holder, err := presentation.NewHolder(signer, *kid, presentation.HolderOptions{Clock: wholeSeconds})
	if err != nil {
		return err
	}
	req := presentation.Request{Nonce: *nonce, Audience: *audience, Challenge: *challenge, Domain: *domain, Format: vpFormat}
	var vp []byte
	switch {
	case sd:
		vp, err = discloseSDJWT(ctx, holder, creds[0], disclose, req)
	case len(disclose) > 0:
		// An ecdsa-sd-2023 or bbs-2023 base proof: derive what the pointers reveal (and
		// what the issuer made mandatory), then present the derived credential.
		derived, derr := holder.Derive(ctx, creds[0], disclose)
		if derr != nil {
			return derr
		}
		vp, err = holder.Present(ctx, [][]byte{derived}, req)
	default:
		vp, err = holder.Present(ctx, creds, req)
	}
	if err != nil {
		return err
	}
	e.log.Info("presented", "holder", holder.ID(), "credentials", len(creds), "format", string(vpFormat))
	return writeLine(e.stdout, vp)
}

func discloseSDJWT(ctx context.Context, h *presentation.Holder, cred []byte, disclose []string, req presentation.Request) ([]byte, error) {
	in, err := vc.Inspect(cred)
	if err != nil {
		return nil, err
	}
	paths := []vc.ClaimPath{}
	for _, p := range disclose {
		path, err := parsePath(p, in.Claims)
		if err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	req.Format = ""
	return h.Disclose(ctx, cred, paths, req)
}
