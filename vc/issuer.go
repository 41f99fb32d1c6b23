package vc

import (
	"bytes"
	"context"
	"crypto"
	"fmt"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc/dataintegrity"
	vcjose "github.com/credence-dev/credence/vc/jose"
	"github.com/credence-dev/credence/vc/status"
)

// IssuerOptions configures an Issuer. The zero value is safe.
type IssuerOptions struct {
	// ID is the issuer identifier written into credentials. If empty, the DID of keyID
	// (which must then be a DID URL).
	ID string
	// Clock, if nil, is time.Now; it dates the JWT iat claim.
	Clock func() time.Time
}

// Issuer signs credentials with one key. Build it with NewIssuer (a keys.Signer: every
// format) or NewBBSIssuer (a BBS key: bbs-2023 only); it is safe for concurrent use if its
// signer is.
type Issuer struct {
	signer keys.Signer    // nil for a BBS issuer
	bbs    keys.BBSSigner // set for a BBS issuer only
	keyID  string
	id     string
	clock  func() time.Time
}

// NewIssuer makes an Issuer that signs with signer, naming keyID (a DID URL such as
// did:key:z6Mk...#z6Mk..., or any kid the verifiers' KeySource knows) in each proof.
// signer may be any crypto.Signer wrapped by keys.SignerFor, such as a KMS key.
func NewIssuer(signer keys.Signer, keyID string, opts IssuerOptions) (*Issuer, error) {
	if signer == nil {
		return nil, fmt.Errorf("vc: NewIssuer without a signer: %w", ErrInvalidKey)
	}
	if _, err := keys.SignerFor(signer); err != nil {
		return nil, fmt.Errorf("vc: NewIssuer: %w", err)
	}
	i, err := newIssuer("NewIssuer", keyID, opts)
	if err != nil {
		return nil, err
	}
	i.signer = signer
	return i, nil
}

// NewBBSIssuer makes an Issuer that signs with a BBS key (BLS12-381 G2, such as a
// keys.BBSPrivateKey or a key held in a KMS), naming keyID (such as
// did:key:zUC7...#zUC7...) in each proof. A BBS key signs nothing but BBS, so the Issuer
// issues only FormatDataIntegrity with the bbs-2023 cryptosuite (the default for it):
// base proofs, from which the holder derives unlinkable disclosures
// (DeriveCredential, presentation.Holder.Derive). Other formats and suites are
// ErrAlgorithmKeyMismatch.
func NewBBSIssuer(signer keys.BBSSigner, keyID string, opts IssuerOptions) (*Issuer, error) {
	if signer == nil || signer.Public() == nil {
		return nil, fmt.Errorf("vc: NewBBSIssuer without a signer: %w", ErrInvalidKey)
	}
	if _, err := keys.TypeOf(signer.Public()); err != nil {
		return nil, fmt.Errorf("vc: NewBBSIssuer: %w", err)
	}
	i, err := newIssuer("NewBBSIssuer", keyID, opts)
	if err != nil {
		return nil, err
	}
	i.bbs = signer
	return i, nil
}

// newIssuer checks the key id and the issuer identifier of an Issuer.
func newIssuer(fn, keyID string, opts IssuerOptions) (*Issuer, error) {
	if keyID == "" {
		return nil, fmt.Errorf("vc: %s without a key id: %w", fn, ErrMissingKeyID)
	}
	id := opts.ID
	if id == "" {
		u, err := did.ParseURL(keyID)
		if err != nil {
			return nil, fmt.Errorf("vc: %s: key id %q is not a DID URL and IssuerOptions.ID is empty: %w", fn, keyID, ErrInvalidOptions)
		}
		id = u.DID.String()
	} else if strings.HasPrefix(keyID, "did:") {
		if u, err := did.ParseURL(keyID); err == nil && strings.HasPrefix(id, "did:") && u.DID.String() != id {
			return nil, fmt.Errorf("vc: %s: key %s does not belong to issuer %s: %w", fn, keyID, id, ErrIssuerMismatch)
		}
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Issuer{keyID: keyID, id: id, clock: clock}, nil
}

// ID returns the issuer identifier.
func (i *Issuer) ID() string { return i.id }

// IssueOptions are per-credential choices. The zero value is the default.
type IssueOptions struct {
	// Expiry, if not zero, adds a JWT exp claim. Prefer validUntil in the credential
	// (VCDM 2.0), which every format carries.
	Expiry time.Time
	// Cryptosuite is the Data Integrity suite for FormatDataIntegrity. If empty,
	// eddsa-jcs-2022 for Ed25519 keys, ecdsa-jcs-2019 for P-256 and P-384 keys and
	// bbs-2023 for the BBS key of NewBBSIssuer. "ecdsa-sd-2023" (P-256 keys) and
	// "bbs-2023" issue a base proof for the holder, who derives from it the credentials
	// verifiers see (DeriveCredential, presentation.Holder.Derive); bbs-2023 derivations
	// are unlinkable, ecdsa-sd-2023 ones are not.
	Cryptosuite string
	// MandatoryPointers, with Cryptosuite "ecdsa-sd-2023" or "bbs-2023", are the JSON
	// Pointers (RFC 6901) of what every derived credential must reveal, such as
	// "/credentialSubject/id".
	// The issuer, validity and status members (/issuer, /validFrom, /validUntil,
	// /issuanceDate, /expirationDate, /credentialStatus) are always mandatory when
	// present, so that a holder cannot hide them; everything else is selectively
	// disclosable. Other suites refuse them.
	MandatoryPointers []string
	// Disclose lists, for FormatSDJWT (vc+sd-jwt), the claims of the credential that are
	// selectively disclosable, such as {"credentialSubject", "birthDate"}. The VCDM
	// members a verifier needs (@context, type, issuer, validity, status) cannot be.
	Disclose []ClaimPath
	// Holder, for FormatSDJWT, binds the credential to the holder's key (cnf.jwk).
	Holder crypto.PublicKey
}

// Issue validates c and signs it in format f (FormatJWT: a vc+jwt of a VCDM 2.0
// credential; FormatJWT11: the VCDM 1.1 JWT encoding of a 1.1 credential). A credential
// without an issuer gets the Issuer's; one naming another issuer is ErrIssuerMismatch.
// c is not modified.
func (i *Issuer) Issue(ctx context.Context, c *Credential, f Format, opts IssueOptions) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("vc: Issue of a nil credential: %w", ErrMalformed)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cc := *c
	switch cc.Issuer.ID {
	case "":
		cc.Issuer = Party{ID: i.id, Extra: c.Issuer.Extra}
	case i.id:
	default:
		return nil, vErr(ReasonIssuer, "/issuer", fmt.Errorf("vc: credential names issuer %s, the signer is %s: %w", cc.Issuer.ID, i.id, ErrIssuerMismatch))
	}
	if err := cc.Validate(); err != nil {
		return nil, err
	}
	data, err := cc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	suite := opts.Cryptosuite
	if i.bbs != nil && suite == "" {
		suite = dataintegrity.BBS2023
	}
	if len(opts.MandatoryPointers) > 0 && (f != FormatDataIntegrity || !isSDSuite(suite)) {
		return nil, fmt.Errorf("vc: IssueOptions.MandatoryPointers need FormatDataIntegrity with ecdsa-sd-2023 or bbs-2023: %w", ErrInvalidOptions)
	}
	if i.bbs != nil {
		if f != FormatDataIntegrity || suite != dataintegrity.BBS2023 {
			return nil, fmt.Errorf("vc: a BBS key issues only %s with bbs-2023, not %s %s: %w", FormatDataIntegrity, f, suite, ErrAlgorithmKeyMismatch)
		}
		return signBBS(ctx, i.bbs, i.keyID, data, i.clock(), opts.MandatoryPointers)
	}
	if suite == dataintegrity.BBS2023 {
		return nil, fmt.Errorf("vc: bbs-2023 needs a BBS key (NewBBSIssuer): %w", ErrAlgorithmKeyMismatch)
	}
	o := vcjose.SignOptions{IssuedAt: i.clock(), Expiry: opts.Expiry}
	switch f {
	case FormatDataIntegrity:
		return signDI(ctx, i.signer, i.keyID, data, suite, dataintegrity.PurposeAssertionMethod, i.clock(), "", "", opts.MandatoryPointers)
	case FormatSDJWT:
		if cc.Version() != V2 {
			return nil, vErr(ReasonDataModel, "/@context", fmt.Errorf("vc: %s needs a VCDM 2.0 credential: %w", f, ErrUnsupportedFormat))
		}
		return issueVCSDJWT(i, data, opts)
	case FormatJWT:
		if cc.Version() != V2 {
			return nil, vErr(ReasonDataModel, "/@context", fmt.Errorf("vc: %s needs a VCDM 2.0 credential: %w", f, ErrUnsupportedFormat))
		}
		return vcjose.SignCredential(i.signer, i.keyID, data, o)
	case FormatJWT11:
		if cc.Version() != V1 {
			return nil, vErr(ReasonDataModel, "/@context", fmt.Errorf("vc: %s needs a VCDM 1.1 credential: %w", f, ErrUnsupportedFormat))
		}
		return vcjose.SignCredential11(i.signer, i.keyID, data, o)
	}
	return nil, fmt.Errorf("vc: issuing in format %q: %w", f, ErrUnsupportedFormat)
}

// PresentationOptions bind a presentation to one verifier's request: Nonce and Audience
// for JWT and SD-JWT presentations, Challenge and Domain for Data Integrity ones.
type PresentationOptions struct {
	Nonce     string    // the verifier's nonce
	Audience  string    // the verifier's identifier
	Challenge string    // Data Integrity: the verifier's challenge
	Domain    string    // Data Integrity: the verifier's domain
	IssuedAt  time.Time // if zero, now
	Expiry    time.Time // optional exp claim (JWT)
	// Cryptosuite is the Data Integrity suite; if empty, the JCS suite of the key.
	Cryptosuite string
	// Disclose lists, for a vp+sd-jwt, the members of the presentation to make
	// selectively disclosable (for example {"holder"} or {"verifiableCredential", 0});
	// nothing is by default. Other formats refuse it.
	Disclose []ClaimPath
}

// SignPresentation signs p as its holder in format f (FormatJWT: vp+jwt; FormatJWT11:
// the VCDM 1.1 JWT encoding; FormatSDJWT: vp+sd-jwt), bound to o.Nonce and o.Audience,
// or (FormatDataIntegrity) to o.Challenge and o.Domain. keyID must name a key the
// holder's DID lists under authentication. It is the low-level step behind
// presentation.Holder.
func SignPresentation(ctx context.Context, s keys.Signer, keyID string, p *Presentation, f Format, o PresentationOptions) ([]byte, error) {
	if p == nil || s == nil {
		return nil, fmt.Errorf("vc: SignPresentation needs a presentation and a signer: %w", ErrMalformed)
	}
	if f == FormatDataIntegrity {
		if o.Challenge == "" || o.Domain == "" {
			return nil, fmt.Errorf("vc: a Data Integrity presentation must be bound to a challenge and a domain: %w", ErrInvalidOptions)
		}
	} else if o.Nonce == "" || o.Audience == "" {
		return nil, fmt.Errorf("vc: a presentation must be bound to a nonce and an audience: %w", ErrInvalidOptions)
	}
	if len(o.Disclose) > 0 && f != FormatSDJWT {
		return nil, fmt.Errorf("vc: selectively disclosable members in a %s presentation: %w", f, ErrInvalidOptions)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	data, err := p.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if o.IssuedAt.IsZero() {
		o.IssuedAt = time.Now()
	}
	so := vcjose.SignOptions{Nonce: o.Nonce, Audience: o.Audience, IssuedAt: o.IssuedAt, Expiry: o.Expiry}
	switch f {
	case FormatDataIntegrity:
		return signDI(ctx, s, keyID, data, o.Cryptosuite, dataintegrity.PurposeAuthentication, o.IssuedAt, o.Challenge, o.Domain, nil)
	case FormatJWT:
		return vcjose.SignPresentation(s, keyID, data, so)
	case FormatJWT11:
		return vcjose.SignPresentation11(s, keyID, data, so)
	case FormatSDJWT:
		return signVPSDJWT(s, keyID, data, o)
	}
	return nil, fmt.Errorf("vc: presenting in format %q: %w", f, ErrUnsupportedFormat)
}

// SignStatusListToken signs payload (a Status List Token's claims, such as
// status.TokenList.Payload makes) as a compact JWS of typ statuslist+jwt with the
// issuer's key and key id, for publishing at the list's URI.
func (i *Issuer) SignStatusListToken(ctx context.Context, payload []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if i.signer == nil {
		return nil, fmt.Errorf("vc: a BBS issuer cannot sign a Status List Token: %w", ErrAlgorithmKeyMismatch)
	}
	return ijose.Sign(i.signer, payload, ijose.SignOptions{Typ: status.TokenTyp, Kid: i.keyID})
}

// EnvelopeCredential wraps a compact vc+jwt (or vc+sd-jwt, told by its "~") as an
// EnvelopedVerifiableCredential, the form a VCDM 2.0 presentation carries it in.
func EnvelopeCredential(token []byte) ([]byte, error) {
	if bytes.IndexByte(token, '~') >= 0 {
		return vcjose.Envelope(vcjose.MediaTypeCredentialSDJWT, token)
	}
	return vcjose.Envelope(vcjose.MediaTypeCredential, token)
}
