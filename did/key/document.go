package key

import (
	"crypto"
	"crypto/ecdh"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
)

// build makes the DID document of the DID id whose key is pub, encoded as mb. agreement,
// if not nil, is the X25519 key derived from an Ed25519 pub.
//
// The shape follows the current did:key specification and its example document:
// one verification method, listed under authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation. An X25519 key is listed under
// keyAgreement only, since it cannot sign. A derived X25519 key is embedded in
// keyAgreement, as the specification's example prints it, so verificationMethod keeps a
// single entry.
//
// P-256, P-384 and secp256k1 keys get no keyAgreement entry: the specification's Encryption
// Method Creation Algorithm accepts only X25519 keys, and its Derive Encryption Key
// Algorithm derives one only from Ed25519.
func (r *Resolver) build(id, mb string, pub crypto.PublicKey, agreement *ecdh.PublicKey) (*did.Document, error) {
	vm, err := r.method(id, mb, pub)
	if err != nil {
		return nil, err
	}
	ref := []did.MethodRef{{ID: vm.ID}}
	doc := &did.Document{
		Context:            r.context(),
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
	if agreement != nil {
		xmb, err := keys.Multikey(agreement)
		if err != nil {
			return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("key: derived key: %w", err))
		}
		ka, err := r.method(id, xmb, agreement)
		if err != nil {
			return nil, err
		}
		doc.KeyAgreement = []did.MethodRef{{Embedded: &ka}}
	}
	return doc, nil
}

// method makes the verification method of pub (multibase mb) in the document of id.
func (r *Resolver) method(id, mb string, pub crypto.PublicKey) (did.VerificationMethod, error) {
	vm := did.VerificationMethod{ID: id + "#" + mb, Type: r.format, Controller: id}
	if r.format == FormatMultikey {
		vm.PublicKeyMultibase = mb
		return vm, nil
	}
	jwk, err := keys.JWK(pub)
	if err != nil {
		return did.VerificationMethod{}, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("key: %w", err))
	}
	vm.PublicKeyJwk = json.RawMessage(jwk)
	return vm, nil
}

func (r *Resolver) context() []any {
	if r.format == FormatJsonWebKey2020 {
		return []any{contextDIDV1, contextJWS}
	}
	return []any{contextDIDV11}
}
