// Package bbs implements BBS signatures as specified by draft-irtf-cfrg-bbs-signatures-06,
// ciphersuite BLS12-381-SHA-256, with the BBS Signatures Interface of the draft (api_id
// "BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_H2G_HM2S_"): a signer signs a header and an ordered
// list of messages; a holder derives from the signature a zero-knowledge proof that
// discloses only some of the messages; a verifier checks the proof against the public key.
//
// A [Suite] is the ciphersuite; its zero value is ready to use. The generators of
// create_generators are computed once per program, in immutable tables shared by every
// Suite:
//
//	var s bbs.Suite
//	sk, err := s.GenerateKey(nil)
//	sig, err := sk.Sign(ctx, header, messages)
//	err = s.Verify(sk.PublicKey(), sig, header, messages)
//	proof, err := s.ProofGen(sk.PublicKey(), sig, header, ph, messages, []int{0, 2}, nil)
//	err = s.ProofVerify(sk.PublicKey(), proof, header, ph, [][]byte{messages[0], messages[2]}, []int{0, 2})
//
// # Security
//
// Two pairing libraries share the work. Every step that involves a secret (the secret
// key in Sign and SkToPk; the signature, the undisclosed messages and the blinding scalars
// in ProofGen) runs on github.com/cloudflare/circl, whose field and group arithmetic is
// constant time. Verify and ProofVerify handle only public values and run on
// github.com/consensys/gnark-crypto, measured 2-4 times faster at pairings and
// multi-scalar multiplication but not constant time. Verify is public only when the
// messages are: a holder who checks a signature over messages it will keep secret leaks
// at most timing of its own machine.
//
// Every point read from an encoding is checked to be in its subgroup and not the
// identity, every scalar to be in 1..r-1, before it is used. Errors never carry secret
// values, and SecretKey never prints.
//
// Not covered: the blind, pseudonym and other extensions of BBS, and the SHAKE-256
// ciphersuite.
package bbs
