package vc

import (
	"crypto"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// ProofInfo describes the proof that verified.
type ProofInfo struct {
	KeyID     string     // the JOSE kid (or verification method) that verified
	Algorithm string     // the JOSE alg (or cryptosuite)
	Created   *time.Time // iat (or proof created), if present
	// PresentationHeader is what a bbs-2023 derived proof is bound to (the holder puts
	// the verifier's nonce there when no presentation carries the credential), or nil.
	// A verifier that accepts such credentials on their own compares it with its nonce.
	PresentationHeader []byte
}

// Verified is a credential that passed VerifyCredential (or VerifyPresentation). Only a
// Verifier makes one; its accessors return copies, so it is safe to share.
type Verified struct {
	format    Format
	issuer    string
	types     []string
	subjects  []string
	doc       []byte         // the signed credential JSON, or
	claimsMap map[string]any // the processed payload of an SD-JWT (disclosed and plain claims only)
	validFrom *time.Time
	validTo   *time.Time
	proof     ProofInfo
	cnf       crypto.PublicKey
	holderKey crypto.PublicKey // the key of an SD-JWT's key binding JWT, when presented
	dropProof bool             // doc carries its Data Integrity proof, which is not a claim
	typeMeta  *TypeMetadata    // the SD-JWT VC type metadata checked, if any
}

// TypeMetadata returns the effective type metadata an SD-JWT VC was checked against
// (see VerifierOptions.TypeMetadata), or nil. Wallets and verifiers use its display
// metadata to show the credential.
func (v *Verified) TypeMetadata() *TypeMetadata { return v.typeMeta }

// Format returns the format the credential was secured in.
func (v *Verified) Format() Format { return v.format }

// Issuer returns the verified issuer.
func (v *Verified) Issuer() string { return v.issuer }

// Types returns the credential's types.
func (v *Verified) Types() []string { return slices.Clone(v.types) }

// Subjects returns the ids of the credential's subjects that have one.
func (v *Verified) Subjects() []string { return slices.Clone(v.subjects) }

// Claims returns what the issuer's signature covers, decoded as JSON (numbers as
// json.Number): every member of a vc+jwt; for an SD-JWT, the claims the issuer signed in
// plain text and those the holder disclosed, never an undisclosed claim, a digest or a
// salt. Each call returns a fresh copy.
func (v *Verified) Claims() map[string]any {
	if v.doc == nil {
		m, _ := deepCopy(v.claimsMap).(map[string]any)
		return m
	}
	m, err := jsonx.Decode(v.doc, jsonx.Limits{MaxBytes: len(v.doc) + 1})
	if err != nil {
		return nil // unreachable: the document was decoded when it was verified
	}
	obj, _ := m.(map[string]any)
	if v.dropProof {
		delete(obj, "proof")
	}
	return obj
}

// ValidFrom returns validFrom (or the 1.1 issuanceDate), if present.
func (v *Verified) ValidFrom() *time.Time { return copyTime(v.validFrom) }

// ValidUntil returns validUntil (or the 1.1 expirationDate), if present.
func (v *Verified) ValidUntil() *time.Time { return copyTime(v.validTo) }

// Proof describes the proof that verified.
func (v *Verified) Proof() ProofInfo {
	p := v.proof
	p.Created = copyTime(p.Created)
	p.PresentationHeader = slices.Clone(p.PresentationHeader)
	return p
}

// Holder returns the confirmation key the issuer bound the credential to ("cnf"), or
// nil when it names none.
func (v *Verified) Holder() crypto.PublicKey { return v.cnf }

// boundTo reports whether the presenter (holder id and the key that signed the
// presentation) is the one the credential is about.
func (v *Verified) boundTo(holder string, key crypto.PublicKey) bool {
	if v.cnf != nil {
		return keys.Equal(v.cnf, key)
	}
	return slices.Contains(v.subjects, holder)
}

// LogValue implements slog.LogValuer: format, issuer, types and the names of the claims,
// never their values.
func (v *Verified) LogValue() slog.Value {
	var names []string
	for k := range v.Claims() {
		names = append(names, k)
	}
	sort.Strings(names)
	return slog.GroupValue(
		slog.String("format", string(v.format)),
		slog.String("issuer", v.issuer),
		slog.Any("types", v.types),
		slog.Any("members", names),
	)
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// VerifiedPresentation is a presentation that passed VerifyPresentation: the holder's
// proof, bound to the verifier's nonce and audience, and every credential inside.
type VerifiedPresentation struct {
	format      Format
	holder      string
	holderKey   crypto.PublicKey
	credentials []*Verified
	proof       ProofInfo
}

// Format returns the presentation's format.
func (p *VerifiedPresentation) Format() Format { return p.format }

// Holder returns the holder's identifier (a DID).
func (p *VerifiedPresentation) Holder() string { return p.holder }

// HolderKey returns the key that signed the presentation.
func (p *VerifiedPresentation) HolderKey() crypto.PublicKey { return p.holderKey }

// Credentials returns the verified credentials, in the order presented.
func (p *VerifiedPresentation) Credentials() []*Verified { return slices.Clone(p.credentials) }

// Proof describes the holder's proof.
func (p *VerifiedPresentation) Proof() ProofInfo {
	pi := p.proof
	pi.Created = copyTime(pi.Created)
	return pi
}

// LogValue implements slog.LogValuer without claim values.
func (p *VerifiedPresentation) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("format", string(p.format)), slog.String("holder", p.holder)}
	for i, c := range p.credentials {
		attrs = append(attrs, slog.Any("credential"+strconv.Itoa(i), c))
	}
	return slog.GroupValue(attrs...)
}
