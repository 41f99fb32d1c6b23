package sdjwt

import (
	"crypto"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
)

// Header is the protected header of the Issuer-signed JWT.
type Header struct {
	Alg string   // "alg"; already checked against the allow-list
	Typ string   // "typ"
	Cty string   // "cty"; "" when absent
	Kid string   // "kid"; for the JSON serialization possibly from the unprotected header
	X5C []string // "x5c" (standard base64 DER), only when the verifier allows it
}

func headerOf(h *ijose.Header, kid string) Header {
	return Header{Alg: h.Alg, Typ: h.Typ, Cty: h.Cty, Kid: kid, X5C: slices.Clone(h.X5C)}
}

// Confirmation is the cnf claim (RFC 7800): the holder's key.
type Confirmation struct {
	Key   crypto.PublicKey // the cnf jwk, parsed; nil when cnf has none
	KeyID string           // the cnf kid, for the caller to resolve; "" when absent
	Raw   json.RawMessage  // the cnf claim as JSON, for other confirmation methods

	claim map[string]any // the decoded claim behind Raw, until Raw is needed
}

// KeyBinding is a verified key binding JWT.
type KeyBinding struct {
	IssuedAt  time.Time        // its iat
	Nonce     string           // its nonce, equal to the expected one
	Audience  string           // its aud, equal to the expected one
	Algorithm string           // its alg
	Key       crypto.PublicKey // the holder key that verified it
}

// Verified is an SD-JWT that passed verification. Only a [Verifier] makes one. It holds
// the claims the issuer signed in plain text and those the holder disclosed, nothing
// else: undisclosed claims, salts and digests are gone.
type Verified struct {
	kind      Kind
	header    Header
	ser       Serialization
	hash      string
	claims    map[string]any
	issuer    string
	vct       string
	issuerKey crypto.PublicKey
	iat       time.Time
	nbf       time.Time
	exp       time.Time
	cnf       *Confirmation
	status    any           // the status claim as decoded; marshaled on demand
	disclosed [][]component // where each disclosure went
	kb        *KeyBinding
	shape     *shape        // with a TypeMetadataPolicy
	typeMeta  *TypeMetadata // the effective type metadata checked, if any

	hashAlg hashAlg
}

// TypeMetadata returns the effective type metadata the credential was checked against,
// or nil when the Verifier has no TypeMetadataPolicy (or the policy is Optional and the
// type has none). Wallets use its display metadata to render the credential.
func (v *Verified) TypeMetadata() *TypeMetadata { return v.typeMeta }

// Kind returns the kind of the SD-JWT.
func (v *Verified) Kind() Kind { return v.kind }

// Header returns the protected header of the Issuer-signed JWT.
func (v *Verified) Header() Header {
	h := v.header
	h.X5C = slices.Clone(h.X5C)
	return h
}

// Serialization returns the serialization the SD-JWT came in.
func (v *Verified) Serialization() Serialization { return v.ser }

// HashAlgorithm returns the _sd_alg of the SD-JWT (SHA256 when it named none).
func (v *Verified) HashAlgorithm() string { return v.hash }

// Claims returns a copy of the processed payload (RFC 9901 §7.1): the claims signed in
// plain text and the disclosed ones in their place, without _sd, ... or _sd_alg.
// Numbers are json.Number.
func (v *Verified) Claims() map[string]any { return copyValue(v.claims).(map[string]any) }

// Issuer returns the iss claim, or for vc+sd-jwt (vp+sd-jwt) without iss the VCDM
// issuer (holder); "" when there is none.
func (v *Verified) Issuer() string { return v.issuer }

// VCT returns the vct claim of an SD-JWT VC; "" for other kinds.
func (v *Verified) VCT() string { return v.vct }

// IssuerKey returns the key that verified the Issuer-signed JWT.
func (v *Verified) IssuerKey() crypto.PublicKey { return v.issuerKey }

// IssuedAt returns the iat claim; the zero time when absent.
func (v *Verified) IssuedAt() time.Time { return v.iat }

// NotBefore returns the nbf claim; the zero time when absent.
func (v *Verified) NotBefore() time.Time { return v.nbf }

// Expiry returns the exp claim; the zero time when absent.
func (v *Verified) Expiry() time.Time { return v.exp }

// Confirmation returns the cnf claim, and false when there is none. A cnf kid is
// returned as it is, for the caller to resolve.
func (v *Verified) Confirmation() (Confirmation, bool) {
	if v.cnf == nil {
		return Confirmation{}, false
	}
	c := *v.cnf
	c.Raw, _ = marshal(c.claim) // a decoded JSON value always encodes
	c.claim = nil
	return c, true
}

// Status returns the status claim as JSON (a Token Status List reference, for the
// caller to check), or nil when there is none. This package does not check it.
func (v *Verified) Status() json.RawMessage {
	if v.status == nil {
		return nil
	}
	data, err := marshal(v.status)
	if err != nil {
		return nil // a decoded JSON value always encodes
	}
	return data
}

// Disclosed returns the paths of the claims that came from disclosures, in the order
// the disclosures were presented. Paths point into Claims: an array index counts the
// elements the verifier sees, not those the holder kept back.
func (v *Verified) Disclosed() []Path {
	out := make([]Path, len(v.disclosed))
	for i, at := range v.disclosed {
		out[i] = pathOfComponents(at)
	}
	return out
}

// KeyBinding returns the verified key binding JWT, and false when the SD-JWT had none
// (VerifyIssued, or VerifyPresentation with AllowMissingKeyBinding).
func (v *Verified) KeyBinding() (KeyBinding, bool) {
	if v.kb == nil {
		return KeyBinding{}, false
	}
	return *v.kb, true
}

// LogValue logs the kind, issuer and type, and the number of claims, never a claim
// value.
func (v *Verified) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", v.kind.String()),
		slog.String("issuer", v.issuer),
		slog.String("vct", v.vct),
		slog.Int("claims", len(v.claims)),
		slog.Int("disclosed", len(v.disclosed)),
		slog.Bool("key_binding", v.kb != nil),
	)
}

// copyValue deep-copies a decoded JSON value.
func copyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = copyValue(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = copyValue(e)
		}
		return a
	}
	return v
}
