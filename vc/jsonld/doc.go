// Package jsonld canonicalizes RDF datasets with RDFC-1.0, the W3C RDF Dataset
// Canonicalization algorithm that the Data Integrity cryptosuites eddsa-rdfc-2022,
// ecdsa-rdfc-2019, ecdsa-sd-2023 and bbs-2023 hash and sign.
//
// [Canonicalize] relabels the blank nodes of a list of [Quad] values so that isomorphic
// datasets serialize to the same bytes; [ParseNQuads] and [SerializeNQuads] read and write
// RDF 1.1 N-Quads:
//
//	quads, err := jsonld.ParseNQuads(data, jsonld.NQuadsLimits{})
//	if err != nil {
//		return err // errors.Is(err, errs.ErrMalformed) or errs.ErrTooLarge
//	}
//	c, err := jsonld.Canonicalize(ctx, quads, jsonld.CanonOptions{})
//	if err != nil {
//		return err
//	}
//	digest := sha256.Sum256(c.NQuads())
//
// JSON-LD documents (credentials, proof configurations) become quads with [ToRDF], which
// expands them with [Expand] against a [Contexts] registry:
//
//	quads, err := jsonld.ToRDF(ctx, doc, jsonld.DefaultContexts(), jsonld.Options{RequireFirst: jsonld.CredentialsV2})
//
// [DefaultContexts] holds the W3C contexts a verifier needs, embedded in the binary and
// pinned by SHA-256; [Contexts.Add] registers more, hash checked. Nothing else is ever
// loaded: any other URL, a file path or a file: URL is an error wrapping
// errs.ErrUnknownContext, and no file is read and no request is made.
//
// # Security
//
// RDFC-1.0 is exponential in the worst case: a small dataset of blank nodes that all look
// alike (the W3C suite's poison test is a ten-node clique) would keep a naive implementation
// busy for hours. [Canonicalize] counts the deep iterations of Hash N-Degree Quads and stops
// with an error wrapping errs.ErrCanonicalizationLimit once they exceed n^WorkFactor (n is
// the number of blank nodes whose first-degree hash is not unique), and never allows more
// than max(n, 65536). The default factor 1 accepts what credentials produce, in linear
// time; at factor 3, which the W3C suite needs, the poison dataset is still refused in
// milliseconds. Canonicalize also stops when ctx is done, and refuses more than
// [DefaultMaxQuads] quads unless told otherwise; [ParseNQuads] checks the document size
// before parsing.
//
// # Two expansion paths
//
// Documents whose contexts are all registered documents and that use only what the W3C
// credential contexts need (keyword aliases, protected terms, type- and property-scoped
// contexts, @vocab, type coercion, @set and @graph containers) are expanded on a compiled
// path: each context is processed once per [Contexts] registry into an immutable active
// context, kept for reuse, and ToRDF writes the quads directly from it, about ten times
// faster than a general JSON-LD processor. Every other document goes to json-gold, the
// general path, and so does every document the checks below refuse, so errors always come
// from the general path. The compiled path follows json-gold's expansion step for step but
// for one place where json-gold departs from JSON-LD 1.1: it takes a term's container
// mapping from the term's scoped context, and so loses the @graph container of
// verifiableCredential in the VC Data Model 2.0 context, whose scoped context is null. The
// compiled path puts each credential of a presentation in a named graph of its own, as
// JSON-LD 1.1 and the other Data Integrity implementations do, and the general path
// restores the containers json-gold loses, or, where it cannot tell exactly which values
// they apply to, refuses the document (errs.ErrUnsupportedFormat) rather than sign or
// verify the wrong dataset. Tests compare the two paths, expanded document, quads and
// canonical form, on every JSON-LD document of the W3C vectors and under fuzzing.
//
// Expansion runs in safe mode and then fails on anything JSON-LD would drop: a property
// or type that no context defines, a member with an empty name, a relative IRI, an inline
// context (unless Options.AllowInlineContexts), or a protected term of the VC contexts
// redefined, so that nothing a signature seems to cover goes unsigned. The report names the JSON Pointer.
//
// Terms are checked before they are hashed: an IRI with a space or a '>' or a literal that is
// not UTF-8 could otherwise make two different datasets serialize, and so sign, alike.
package jsonld
