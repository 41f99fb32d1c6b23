// Package peer resolves and creates did:peer DIDs (DIF Peer DID Method Specification):
// DIDs that peers exchange directly, whose documents are computed from the DID itself.
//
// Three numalgos are supported:
//
//   - 0, one key, equivalent to did:key: [Create0];
//   - 2, several keys with purpose codes and services: [Create2];
//   - 4, a whole input document with a long and a short form: [Create4]. A long form
//     resolves on its own; a short form only with the long form seen before, through
//     [Resolver.ResolveShort] or an [Options.LongForms] store.
//
// Numalgo 1 and 3 are refused with [ErrUnsupportedNumalgo]: they name a document that
// only an earlier exchange can supply.
//
//	id, err := peer.Create2([]peer.Key{
//		{Relationship: did.Authentication, PublicKey: signer.Public()},
//		{Relationship: did.KeyAgreement, PublicKey: x25519.PublicKey()},
//	}, nil)
//	reg := did.NewRegistry()
//	reg.Register("peer", peer.New(peer.Options{}))
//	res, err := reg.Resolve(ctx, id)
//
// # Security
//
// A DID is untrusted input: it is limited to [MaxLength] bytes before anything is decoded,
// services and numalgo 4 documents are strict JSON (duplicate members refused, depth
// bounded), and the numalgo 4 hash is checked before the document is decoded, also when a
// [LongFormStore] supplies the long form. Keys follow did:key's rules (Ed25519, X25519,
// P-256, P-384, secp256k1; lengths and curve points checked; private-key multicodecs
// refused), and a numalgo 2 key must suit its purpose: X25519 only for key agreement,
// Ed25519 never for it. Every resolved document passes did.Document.Validate.
//
// Nothing in a did:peer DID proves that its keys belong to whoever sent it: like did:key,
// it is self-certifying only in that the DID commits to the keys.
package peer
