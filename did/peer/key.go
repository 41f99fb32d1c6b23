package peer

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
	"github.com/multiformats/go-multicodec"
)

// keyLengths is the did:key specification's table of key lengths per multicodec: the key
// types numalgo 0 and 2 accept, the same as did:key's.
var keyLengths = map[multicodec.Code]int{
	multicodec.Secp256k1Pub: 33,
	multicodec.X25519Pub:    32,
	multicodec.Ed25519Pub:   32,
	multicodec.P256Pub:      33,
	multicodec.P384Pub:      49,
}

// parseKey decodes the Multikey value mb of the DID id with the checks and error codes of
// the did:key specification.
func parseKey(id, mb string) (crypto.PublicKey, error) {
	if !strings.HasPrefix(mb, "z") || len(mb) == 1 || !isBase58(mb[1:]) {
		return nil, invalid(id, "key is not a base58btc multibase value")
	}
	code, raw, err := keys.DecodeMultikey(mb)
	switch {
	case errors.Is(err, keys.ErrPrivateKeyMaterial):
		return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("peer: %w", err))
	case err != nil:
		return nil, invalidErr(id, "key", err)
	}
	want, ok := keyLengths[code]
	if !ok {
		return nil, did.NewResolutionError(did.CodeUnsupportedPublicKeyType, id,
			fmt.Errorf("peer: multicodec %v: %w", code, keys.ErrUnsupportedKeyType))
	}
	if len(raw) != want {
		return nil, did.NewResolutionError(did.CodeInvalidPublicKeyLength, id,
			fmt.Errorf("peer: %v key of %d bytes, want %d: %w", code, len(raw), want, keys.ErrInvalidKey))
	}
	pub, err := keys.ParseMultikey(mb)
	if err == nil {
		if ed, ok := pub.(ed25519.PublicKey); ok {
			// An Ed25519 key must decode to a point on the curve.
			_, err = keys.X25519FromEd25519(ed)
		}
	}
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("peer: %w", err))
	}
	return pub, nil
}

// resolve0 makes the document of did:peer:0<mb>: the did:key document of the key, with
// the did:peer DID as id (peer DID method §Method 0).
func resolve0(id, mb string, derive bool) (*did.Document, error) {
	pub, err := parseKey(id, mb)
	if err != nil {
		return nil, err
	}
	vm := did.VerificationMethod{ID: id + "#" + mb, Type: "Multikey", Controller: id, PublicKeyMultibase: mb}
	ref := []did.MethodRef{{ID: vm.ID}}
	doc := &did.Document{
		Context:            []any{contextDIDV11},
		ID:                 id,
		VerificationMethod: []did.VerificationMethod{vm},
	}
	if _, ok := pub.(*ecdh.PublicKey); ok {
		doc.KeyAgreement = ref
		return doc, nil
	}
	doc.Authentication = ref
	doc.AssertionMethod = slices.Clone(ref)
	doc.CapabilityInvocation = slices.Clone(ref)
	doc.CapabilityDelegation = slices.Clone(ref)
	if ed, ok := pub.(ed25519.PublicKey); ok && derive {
		x, err := keys.X25519FromEd25519(ed)
		if err != nil {
			return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("peer: %w", err))
		}
		xmb, err := keys.Multikey(x)
		if err != nil {
			return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("peer: derived key: %w", err))
		}
		doc.KeyAgreement = []did.MethodRef{{Embedded: &did.VerificationMethod{
			ID: id + "#" + xmb, Type: "Multikey", Controller: id, PublicKeyMultibase: xmb,
		}}}
	}
	return doc, nil
}

// Create0 returns the did:peer:0 DID of pub: "did:peer:0" and the key's Multikey value,
// the same key encoding as did:key. pub is an ed25519.PublicKey, an *ecdh.PublicKey on
// X25519, an *ecdsa.PublicKey on P-256 or P-384, or a *keys.Secp256k1PublicKey.
func Create0(pub crypto.PublicKey) (string, error) {
	mb, err := keys.Multikey(pub)
	if err != nil {
		return "", fmt.Errorf("peer: %w", err)
	}
	return prefix + "0" + mb, nil
}
