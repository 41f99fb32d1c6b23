// Package sdjwt issues, presents and verifies Selective Disclosure JWTs (RFC 9901):
// SD-JWT VCs (draft-ietf-oauth-sd-jwt-vc, typ dc+sd-jwt), VCDM 2.0 credentials and
// presentations secured with SD-JWT (VC-JOSE-COSE vc+sd-jwt and vp+sd-jwt), and SD-JWTs
// of an application's own type.
//
// An issuer signs a payload in which each selectively disclosable claim is replaced by
// the digest of a disclosure, a small salted JSON array of the claim's name and value.
// The holder receives the signed payload with every disclosure; to present, it sends the
// signed payload with only the disclosures it chooses and, bound to the verifier's nonce
// and audience, a key binding JWT signed with the key the issuer put in cnf. The
// verifier checks the issuer's signature, finds each disclosure's digest in the payload,
// and sees the claims the issuer left in plain text and those disclosed: nothing else.
//
// [Issue] makes an SD-JWT from claims and a [Frame] saying what is disclosable;
// [Present] selects claims by [Path] and adds the key binding JWT; a [Verifier] checks an
// SD-JWT as issued ([Verifier.VerifyIssued]) or a presentation
// ([Verifier.VerifyPresentation]) and returns a [Verified]. [Inspect] reads one without
// verifying, for wallets. [AgeEqualOrOver] and [AgeOver] build the claims and frames of
// age answers.
//
//	frame, _ := sdjwt.PathFrame(sdjwt.Path{"birthdate"})
//	age, ageFrame, _ := sdjwt.AgeEqualOrOver(birthdate, now, 18, 21)
//	claims["age_equal_or_over"], frame.Members["age_equal_or_over"] = age, ageFrame
//	issued, err := sdjwt.Issue(issuerKey, claims, frame, sdjwt.IssueOptions{Holder: holderKey.Public()})
//
//	// holder
//	pres, err := sdjwt.Present(issued, []sdjwt.Path{{"age_equal_or_over", "18"}},
//		sdjwt.PresentOptions{Holder: holderKey, Nonce: nonce, Audience: verifierID})
//
//	// verifier
//	v, err := sdjwt.NewVerifier(issuerKeys, sdjwt.VerifierOptions{})
//	res, err := v.VerifyPresentation(ctx, pres, sdjwt.Expect{Nonce: nonce, Audience: verifierID})
//	over18 := res.Claims()["age_equal_or_over"].(map[string]any)["18"] // true; no birthdate
//
// The package knows nothing of trust: the [KeyFunc] given to [NewVerifier] decides
// which key belongs to the issuer (from the issuer, kid and x5c it is shown), and the
// status claim is returned raw ([Verified.Status]) for the caller to check.
//
// # Serializations
//
// Compact (<JWT>~<disclosure>~...~<KB-JWT>) is the default. The JWS JSON serializations
// of RFC 9901 §8 are read and written too: flattened, and general with several
// signatures over the one payload. The disclosures and the key binding JWT travel in the
// first signature's unprotected header, which may also hold a kid and nothing else; a
// later signature's unprotected header holds at most its kid. Every signature must
// verify with the key the KeyFunc returns for its kid and the same issuer: a signature
// the verifier cannot check fails the SD-JWT, as a proof set passes only when every
// proof does. sd_hash covers the compact form of the first signature, as RFC 9901 §8.1
// says.
//
// # Security
//
// What the verifier learns: the claims the issuer signed in plain text, those disclosed,
// and the shape of the payload: which objects have hidden members and how many digests
// each holds, where arrays have hidden elements, the issuer, the holder's key in cnf and
// the status list entry. Those last two, like any unique claim, identify the holder
// across presentations; issue one credential per verifier or use short-lived batches
// where that matters. Undisclosed claims, their names and their salts are not learned
// from an SD-JWT.
//
// Salts: each disclosure has its own salt of 128 bits from crypto/rand, so a digest
// cannot be matched against guessed values (RFC 9901 §9.3). Salts never appear in
// errors or logs; [Verified] and [Inspected] log only counts.
//
// Decoys: [Frame.Decoys] adds digests of random values to an object's _sd or among an
// array's elements, so that the number of digests does not give away the number of
// claims (RFC 9901 §4.2.5). Digests are sorted, and array decoys placed at random.
//
// An SD-JWT as issued is not a presentation. It proves nothing about who sends it:
// anyone who saw it can replay it. [Verifier.VerifyPresentation] requires the key binding
// JWT unless [VerifierOptions.AllowMissingKeyBinding] gives that up explicitly, and
// checks its typ (kb+jwt), its signature by the cnf key, its iat (at most 300 s old,
// 60 s ahead), its aud (one string, the expected one), its nonce (compared in constant
// time) and its sd_hash over exactly the SD-JWT sent. [Verifier.VerifyIssued] refuses an
// SD-JWT that carries a key binding JWT, so a key binding check is never skipped by
// calling the wrong method.
//
// Verification applies every rule of RFC 9901 §7.1: the issuer's signature with the
// key the caller resolved (the key fixes the algorithm; EdDSA, ES256 and ES384 by
// default, never none); _sd_alg within policy (SHA-256 by default); every digest unique;
// every disclosure referenced exactly once, directly or through another; no disclosure
// named _sd, ... or _sd_alg, or overwriting a claim at its level; an array element's
// disclosure only where an array element's digest is, and an object property's only in
// _sd. An SD-JWT VC must carry vct and keep iss, nbf, exp, cnf, vct, vct#integrity,
// aka_vcts and status (and all inside them) in plain text; the issuer refuses to make
// them disclosable. Registered claims must have their RFC 7519 types: a string iat is
// malformed. Input is bounded before it is decoded: 1 MiB, 1,000 disclosures, 64 levels
// of nesting counted across disclosures, 8 signatures.
package sdjwt
