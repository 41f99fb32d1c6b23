package jwk

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// JSON-LD contexts of the resolved documents (did:jwk § To create the DID Document).
const (
	contextDIDV1 = "https://www.w3.org/ns/did/v1"
	contextJWS   = "https://w3id.org/security/suites/jws-2020/v1"
)

// ContentType is the media type reported in the resolution metadata: a JSON-LD DID
// document.
const ContentType = "application/did+ld+json"

// MaxLength bounds the DIDs that Resolve reads. Longer input is rejected before it is
// decoded. It is [did.MaxURLLength]: a did:jwk of an in-policy key is under 300 bytes.
const MaxLength = did.MaxURLLength

const prefix = "did:jwk:"

// b64 is base64url without padding, rejecting non-zero trailing bits, so that one JWK
// has one spelling of its DID.
var b64 = base64.RawURLEncoding.Strict()

// Resolver resolves did:jwk DIDs. It does no I/O. It has no state and is safe for
// concurrent use.
type Resolver struct{}

var _ did.Resolver = (*Resolver)(nil)

// New returns a Resolver.
func New() *Resolver { return &Resolver{} }

// Create returns the did:jwk DID of pub: "did:jwk:" and the base64url encoding (no
// padding) of the key's public JWK, with the members RFC 7638 requires in lexicographic
// order. Following the did:jwk specification's advice that a JWK have the "use" its curve
// allows, an Ed25519 key gets "use":"sig" (no keyAgreement) and an X25519 key
// "use":"enc" (keyAgreement only); P-256, P-384 and secp256k1 keys, which can both sign
// and agree keys, get no "use".
//
// pub is an ed25519.PublicKey, an *ecdh.PublicKey on X25519, an *ecdsa.PublicKey on P-256
// or P-384, or a *keys.Secp256k1PublicKey; other keys give an error wrapping
// keys.ErrUnsupportedKeyType or keys.ErrInvalidKey.
func Create(pub crypto.PublicKey) (string, error) {
	data, err := keys.JWK(pub)
	if err != nil {
		return "", fmt.Errorf("jwk: %w", err)
	}
	kt, _ := keys.TypeOf(pub) // keys.JWK checked the key
	use := map[keys.KeyType]string{keys.Ed25519: "sig", keys.X25519: "enc"}[kt]
	if use != "" {
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return "", fmt.Errorf("jwk: %w", err)
		}
		m["use"] = use
		// encoding/json sorts map keys, which keeps the lexicographic order.
		if data, err = json.Marshal(m); err != nil {
			return "", fmt.Errorf("jwk: %w", err)
		}
	}
	return prefix + b64.EncodeToString(data), nil
}

// Resolve expands a did:jwk DID into its DID document (did:jwk § Read):
//
//   - the input must be a DID, not a DID URL: a fragment, path or query is invalidDid;
//   - the method-specific id must be base64url without padding ([A-Za-z0-9_-]+) and at
//     most [MaxLength] bytes with the prefix, checked before decoding; it must decode to
//     one strict JSON object (UTF-8, no duplicate members, no trailing data);
//   - the JWK must be a public key accepted by keys.ParseJWKInfo (Ed25519, X25519, P-256,
//     P-384, secp256k1, points on their curve); private members are invalidPublicKey
//     wrapping keys.ErrPrivateKeyMaterial, RSA, "oct" and other curves are
//     unsupportedPublicKeyType wrapping keys.ErrUnsupportedKeyType, and an "alg" or "use"
//     that contradicts the key is invalidPublicKey.
//
// The document has one JsonWebKey2020 method, "<did>#0", whose publicKeyJwk is the
// decoded JWK exactly, custom members included. A JWK with "use":"sig" is listed under
// every relationship except keyAgreement, one with "use":"enc" under keyAgreement only,
// and one without "use" under all five, as the specification says.
//
// Failures are *did.ResolutionError values with a nil Resolution. ctx is not used.
func (r *Resolver) Resolve(_ context.Context, id string) (*did.Resolution, error) {
	doc, err := document(id)
	if err != nil {
		return nil, err
	}
	return &did.Resolution{
		Document:           doc,
		ResolutionMetadata: did.ResolutionMetadata{ContentType: ContentType},
	}, nil
}

func document(id string) (*did.Document, error) {
	if len(id) > MaxLength {
		return nil, did.NewResolutionError(did.CodeInvalidDID, short(id),
			fmt.Errorf("jwk: DID of %d bytes, more than %d: %w: %w", len(id), MaxLength, did.ErrInvalidDID, did.ErrTooLarge))
	}
	enc, ok := strings.CutPrefix(id, prefix)
	if !ok {
		if m, ok := did.MethodOf(id); ok && m != "jwk" {
			return nil, did.NewResolutionError(did.CodeMethodNotSupported, id,
				fmt.Errorf("jwk: method %s: %w", strconv.Quote(short(m)), did.ErrMethodNotSupported))
		}
		return nil, invalid(id, `not a "did:jwk:" DID`, nil)
	}
	if enc == "" {
		return nil, invalid(id, "empty method-specific id", nil)
	}
	for i := 0; i < len(enc); i++ {
		if !isBase64URL(enc[i]) {
			return nil, invalid(id, fmt.Sprintf("character %q at offset %d is not base64url", enc[i], len(prefix)+i), nil)
		}
	}
	data, err := b64.DecodeString(enc)
	if err != nil {
		return nil, invalid(id, "method-specific id is not base64url", nil)
	}
	_, info, err := keys.ParseJWKInfo(data)
	switch {
	case err == nil:
	case errors.Is(err, keys.ErrUnsupportedKeyType):
		return nil, did.NewResolutionError(did.CodeUnsupportedPublicKeyType, id, fmt.Errorf("jwk: %w", err))
	case errors.Is(err, keys.ErrMalformed), errors.Is(err, keys.ErrTooDeep), errors.Is(err, keys.ErrTooLarge):
		return nil, invalid(id, "JWK", err)
	default: // ErrInvalidKey, ErrPrivateKeyMaterial, ErrAlgorithmKeyMismatch
		return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("jwk: %w", err))
	}
	vm := did.VerificationMethod{
		ID:           id + "#0",
		Type:         "JsonWebKey2020",
		Controller:   id,
		PublicKeyJwk: json.RawMessage(data),
	}
	doc := &did.Document{
		Context:            []any{contextDIDV1, contextJWS},
		ID:                 id,
		VerificationMethod: []did.VerificationMethod{vm},
	}
	ref := func() []did.MethodRef { return []did.MethodRef{{ID: vm.ID}} }
	if info.Use != "enc" {
		doc.AssertionMethod = ref()
		doc.Authentication = ref()
		doc.CapabilityInvocation = ref()
		doc.CapabilityDelegation = ref()
	}
	if info.Use != "sig" {
		doc.KeyAgreement = ref()
	}
	return doc, nil
}

func invalid(id, why string, err error) error {
	if err != nil {
		return did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("jwk: %s: %w: %w", why, did.ErrInvalidDID, err))
	}
	return did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("jwk: %s: %w", why, did.ErrInvalidDID))
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// short shortens s for an error, so that hostile input cannot make errors large.
func short(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
