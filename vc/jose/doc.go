// Package jose secures verifiable credentials and presentations with JOSE: the vc+jwt
// and vp+jwt media types of "Securing Verifiable Credentials using JOSE and COSE"
// (VC-JOSE-COSE), for VCDM 2.0, and the JWT encoding of VCDM 1.1 §6.3.1.
//
// The package works on JSON bytes, not on a data model: the vc package hands it a
// credential or presentation and a [keys.Signer] and gets a compact token back; on the
// way in it gets a [Parsed] token, resolves the key of [Parsed.Issuer] (using
// [Header.Kid]), calls [Parsed.Verify], and only then reads [Parsed.Document].
//
//	tok, err := jose.SignCredential(signer, "did:example:issuer#key-1", credential, jose.SignOptions{IssuedAt: now})
//	...
//	p, err := jose.Parse(tok, jose.ParseOptions{Kinds: []jose.Kind{jose.CredentialJWT}})
//	if err != nil {
//		return err // errors.Is(err, jose.ErrIssuerMismatch), ErrInvalidType, ...
//	}
//	pub := resolve(p.Issuer, p.Header.Kid) // the caller's key resolution
//	if err := p.Verify(pub, nil); err != nil {
//		return err
//	}
//	use(p.Document)
//
// Inside a VCDM 2.0 presentation, a secured credential travels as an
// EnvelopedVerifiableCredential: [Envelope] makes one, [Unenvelope] takes the token out.
//
// SD-JWT (vc+sd-jwt, dc+sd-jwt) belongs to package vc/sdjwt; COSE is not supported.
// [Parse] refuses both with ErrUnsupportedFormat.
//
// # Security
//
// [Parse] checks structure and policy and verifies nothing; a [Parsed] value is untrusted
// until [Parsed.Verify] succeeds with a key the caller chose. The key fixes the
// algorithm: a header alg that is not the key's own fails, whatever the token says, and
// the default allow-list is EdDSA, ES256 and ES384 ("none" and HMAC never pass).
//
// The token is limited to 1 MiB before anything is decoded, and header and payload are
// strict JSON (duplicate members, bad UTF-8, more than 64 levels and trailing data fail),
// so this package and the facade cannot read different members from the same bytes.
// Headers that carry their own key (jwk, jku, x5u; x5c unless allowed) and crit are
// refused. typ must be exactly vc+jwt or vp+jwt, or absent or JWT for VCDM 1.1, so a
// presentation cannot be passed off as a credential or the reverse, and the payload's own
// type must agree. An iss that differs from the credential's issuer (the presentation's
// holder) is ErrIssuerMismatch, in the payload and in the header alike; verifying the key
// against Issuer is the caller's part. Registered claims must have the JSON types of RFC
// 7519 even where other implementations accept a string iat.
//
// Time claims are not checked by Parse: call [Claims.CheckTime] with the verifier's clock.
package jose
