// Package dataintegrity signs and verifies W3C Data Integrity proofs (Verifiable
// Credential Data Integrity 1.0) with the EdDSA (vc-di-eddsa) and ECDSA (vc-di-ecdsa)
// cryptosuites: eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019, the
// selective disclosure suite ecdsa-sd-2023, and, verify-only, the VCDM 1.1 proof type
// Ed25519Signature2020.
//
// It is the engine behind package vc, which wires it to DID resolution and JSON-LD; it
// does not know what a credential is. [Sign] adds a proof to a JSON document and [Verify]
// checks every proof of one:
//
//	secured, err := dataintegrity.Sign(ctx, unsigned, signer, dataintegrity.ProofOptions{
//		Cryptosuite:        dataintegrity.EdDSAJCS2022,
//		VerificationMethod: "did:key:z6Mk...#z6Mk...",
//		ProofPurpose:       dataintegrity.PurposeAssertionMethod,
//	})
//
//	res, err := dataintegrity.Verify(ctx, secured, dataintegrity.VerifyOptions{
//		Key:     resolve, // DID URL and purpose -> public key
//		Purpose: dataintegrity.PurposeAssertionMethod,
//	})
//
// The JCS suites canonicalize with RFC 8785 and need nothing else. The RDFC suites hash
// RDFC-1.0 canonical N-Quads, which only a JSON-LD processor can produce: the caller passes
// one as a [Canonicalizer] (VerifyOptions.Canonicalize, ProofOptions.Canonicalize); without
// it their proofs are [ErrUnsupportedProof].
//
// # Selective disclosure (ecdsa-sd-2023)
//
// The issuer signs a base proof with [Sign] (Cryptosuite ECDSASD2023, P-256 keys,
// ProofOptions.MandatoryPointers naming what every disclosure must reveal); the holder
// checks it with [VerifyBase] and turns it with [Derive] into a derived proof that reveals
// only the mandatory statements and those its JSON Pointers select; [Verify] checks
// derived proofs and refuses a base proof with [ErrBaseProofPresented], since it carries
// the HMAC key and the signature of every statement. These need the RDF statements
// themselves, not only their canonical form: the caller passes an [RDFFunc]
// (ProofOptions.ToRDF, DeriveOptions.ToRDF, VerifyOptions.ToRDF). A derived proof is
// verified in full: the base signature over the proof configuration, the proof-scoped key
// and the mandatory statements, and one signature per other revealed statement; every
// blank node must have exactly one label of the proof. Proof values are strict CBOR of at
// most MaxSDProofValue characters.
//
// # Unlinkable selective disclosure (bbs-2023)
//
// bbs-2023 (vc-di-bbs, baseline: no holder binding, no pseudonyms) works the same way with
// a BBS key (keys.BBSSigner, BLS12-381 G2 public keys, Multikey "zUC7..."): the issuer
// signs with [SignBBS], the holder checks with [VerifyBase] and derives with [Derive]
// (DeriveOptions.PresentationHeader binds a verifier's nonce into the proof), and
// [Verify] checks derived proofs against a *keys.BLS12381G2PublicKey and refuses base
// proofs with [ErrBaseProofPresented]. A derived proof is a fresh zero-knowledge proof
// of the BBS signature, so two derived proofs of one base proof share no bytes; the
// proof values of the feature options are [ErrUnsupportedProof].
//
// Proof sets and proof chains (Data Integrity 1.0 §2.1.1-2.1.2) are supported both ways:
// signing a document that has a proof makes a set, ProofOptions.PreviousProof makes a
// chain, and Verify checks every proof of a set and, for a chained proof, the document
// together with the proofs it names.
//
// # Security
//
//   - All or nothing: Verify succeeds only when every proof of the document verifies; a
//     proof set with one bad, unknown or unexpected proof is an error, never a partial
//     result.
//   - The verifier decides: the expected proofPurpose is an argument (assertionMethod for
//     credentials, authentication for presentations) and a proof with another is
//     ErrProofPurpose; for authentication the expected challenge and domain are required
//     and compared in constant time. The key returned by VerifyOptions.Key fixes the
//     algorithm: an eddsa proof needs an Ed25519 key, an ecdsa proof a P-256 key (SHA-256)
//     or P-384 key (SHA-384), a bbs-2023 proof a BLS12-381 G2 key; anything else is
//     ErrAlgorithmKeyMismatch, and the proofValue
//     must have exactly that key's signature length. The cryptosuite is inside the signed
//     proof configuration, so relabelling a proof breaks its signature.
//   - Checking the key's relationship is the caller's part: VerifyOptions.Key receives the
//     verification method and the purpose and must return a key only if the DID document
//     authorises it for that purpose. That the key belongs to the issuer or holder is
//     also checked outside this package.
//   - Untrusted input is bounded before use: strict JSON (1 MiB, 64 levels, duplicate
//     names rejected at every depth), at most MaxProofs proofs, proofValue length checked
//     before base58 decoding, every proof checked before any key is resolved.
//   - Time comes from VerifyOptions.Now: created after now plus the skew (60 s by default)
//     is ErrIssuedInFuture, expires before now minus the skew is ErrExpired.
//   - JCS proofs sign the document with the @context the proof lists, which need only be a
//     prefix of the document's (the specifications allow contexts added after signing).
//     VerifiedProof.UnsignedContexts counts the entries a proof does not cover; JSON
//     claims are all signed, but a JSON-LD reading of a document with unsigned contexts
//     is not.
//   - RDFC proofs are only as safe as the Canonicalizer: it must load embedded contexts
//     only, expand in safe mode and bound its work (RDFC-1.0 poison datasets); this
//     package passes it the context so that it can stop.
//   - ECDSA signatures by Sign are randomized unless the signer is deterministic (RFC
//     6979, as the specification recommends and the W3C vectors use).
//
// No network access: the package reads nothing but its arguments; keys and canonical forms
// come from the caller's callbacks.
package dataintegrity
