// Package presentation is the holder's side: a [Holder] presents credentials it holds to
// a verifier, bound to the verifier's nonce and audience, so that the presentation
// cannot be replayed elsewhere.
//
//	h, err := presentation.NewHolder(walletKey, walletKID, presentation.HolderOptions{})
//	vp, err := h.Present(ctx, [][]byte{credential}, presentation.Request{
//		Nonce:    nonceFromVerifier,
//		Audience: verifierID,
//	})
//
// The verifier checks vp with vc.Verifier.VerifyPresentation.
//
// # Security
//
// A presentation discloses every claim of every credential it carries when they are
// vc+jwt credentials: choose what to present. Selective disclosure formats (SD-JWT,
// ecdsa-sd-2023, bbs-2023) disclose less. A holder key that is the same across
// presentations, and any credential id, lets verifiers that compare notes link them.
package presentation
