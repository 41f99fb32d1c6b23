// Package vc is the entry point for issuing and verifying verifiable credentials and
// presentations, whatever their securing format: it holds the data model, and it is the
// facade that picks the engine (JOSE, SD-JWT, Data Integrity) for each format.
//
// # Issuing and verifying
//
// An [Issuer] signs with a keys.Signer (any crypto.Signer, so KMS and HSM keys work):
//
//	issuer, err := vc.NewIssuer(signer, "did:key:z6Mk...#z6Mk...", vc.IssuerOptions{})
//	token, err := issuer.Issue(ctx, credential, vc.FormatJWT, vc.IssueOptions{})
//
// A [Verifier] holds the policy, built once and safe for concurrent use; what changes per
// request (nonce, audience) is an argument:
//
//	trust, err := vc.NewTrustList(vc.TrustedIssuer{ID: "did:web:ministry.example"})
//	v, err := vc.NewVerifier(vc.VerifierOptions{Resolver: reg, Trust: trust})
//	cred, err := v.VerifyCredential(ctx, token)
//	vp, err := v.VerifyPresentation(ctx, data, vc.Expect{Nonce: n, Audience: myID})
//
// The result is a [Verified] (or [VerifiedPresentation]) that only a Verifier can make,
// holding only what a verified signature covers. [Inspect] reads a credential without
// verifying it, into a different type, for wallets and matching.
//
// Formats: vc+jwt and vp+jwt (VC-JOSE-COSE), with credentials enveloped in presentations,
// and the VCDM 1.1 JWT encoding ([FormatJWT], [FormatJWT11]); SD-JWT VC (dc+sd-jwt) and
// VC-JOSE-COSE vc+sd-jwt and vp+sd-jwt ([FormatSDJWTVC], [FormatSDJWT]), with key binding
// and optional SD-JWT VC type metadata; Data Integrity with eddsa-jcs-2022,
// ecdsa-jcs-2019, eddsa-rdfc-2022, ecdsa-rdfc-2019 and the selective disclosure suites
// ecdsa-sd-2023 and bbs-2023 (issued by a [NewBBSIssuer]), whose base proofs a holder
// derives from ([DeriveCredential]) and a verifier refuses (ErrBaseProofPresented)
// ([FormatDataIntegrity]; Ed25519Signature2020 verify-only). bbs-2023's holder binding
// and pseudonym features are refused with ErrUnsupportedProof, COSE with
// ErrUnsupportedFormat.
//
// # Security
//
// The zero VerifierOptions trusts no issuer: every credential fails with
// ErrUntrustedIssuer until Trust names whom to accept (AcceptAnyIssuer says so
// explicitly). The issuer is checked against the trust list before its key is resolved;
// the key comes from the issuer's DID under assertionMethod (a presentation's from the
// holder's DID under authentication) or from a KeySource the caller chose, and the key,
// never the token header, fixes the algorithm. Every presentation must be bound to what
// the verifier chose (nonce and audience for JWT and SD-JWT, challenge and domain for Data
// Integrity), its age is bounded, the nonce or challenge is remembered (ErrReplay), and
// its holder must be a subject of (or the cnf key of) every credential it presents. A
// credential that declares a status (Bitstring Status List, Token Status List) is checked
// against the list, fetched through VerifierOptions.StatusFetcher; one that cannot be
// checked fails (ErrStatusRetrieval, ErrStatusVerification) unless SkipStatus says to
// accept it unchecked. credentialSchema entries are validated when
// VerifierOptions.Schemas is set (vc/schema), and not otherwise.
//
// # Data model
//
// [Credential] and [Presentation] are the W3C Verifiable Credentials Data Model 2.0 and
// 1.1 as JSON. The members the data model defines have typed fields; everything else is
// kept, byte for byte, in Extra. [ParseCredential] reads strict JSON (1 MiB, 64 levels, no
// duplicate member names) and checks the JSON shape of each member; [Credential.Validate]
// then applies the data-model rules of the credential's [Version], which the first
// @context entry names:
//
//	c, err := vc.ParseCredential(data)
//	if err != nil {
//		return err // a *vc.VerifyError wrapping vc.ErrMalformed, ErrTooLarge or ErrTooDeep
//	}
//	if err := c.Validate(); err != nil {
//		var ve *vc.VerifyError
//		if errors.As(err, &ve) {
//			log.Printf("rejected at %s: %v", ve.Path, err) // "/credentialSubject/0/id"
//		}
//		return err
//	}
//
// The two versions stay separate: a 2.0 credential uses validFrom and validUntil, and
// Validate refuses the 1.1 members issuanceDate and expirationDate in it (a verifier of
// 2.0 credentials would ignore an expiry written there); a 1.1 credential requires
// issuanceDate. [Credential.MarshalJSON] writes a parsed credential back as an equal JSON
// value: single values stay single, arrays stay arrays, and times keep their exact text.
// [Credential.Map] gives the generic JSON view (numbers as json.Number) used for claim
// matching.
//
// Parsing and validation say nothing about who issued a credential: a Credential that
// validates is well-formed, not verified. Proofs, issuer keys, trust, validity against a
// clock, status and schemas are the verifier's work.
//
// # JSON-LD rules
//
// Some data-model rules come from JSON-LD: a term protected by the base context cannot be
// redefined, and each type must be defined by a context. Validate decides them from the
// base contexts' term lists and the inline context objects, without a JSON-LD processor
// and without fetching anything. When a remote context that this package does not know
// could change the answer, Validate accepts, and the question is settled by JSON-LD
// expansion when a Data Integrity proof is verified.
//
// # Errors
//
// Every failure wraps one sentinel of errors.go (the values shared by all Credence
// packages, so errors.Is(err, vc.ErrExpired) works whatever engine failed) and is a
// [*VerifyError] giving the [Reason] and the JSON Pointer of the failing member.
//
// # Network access
//
// None in the data model: contexts and schemas are never fetched. A Verifier resolves
// only the DID methods of its Resolver (did:key and did:jwk, offline, by default);
// IssuerMetadataKeys fetches, through the caller's *http.Client and the library's network
// guard, only when the caller configures it.
package vc
