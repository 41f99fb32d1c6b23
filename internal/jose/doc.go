// Package jose parses, verifies and signs compact JWS (RFC 7515) and JWT (RFC 7519)
// under the library's own header policy.
//
// Parsing ([Parse]) is structural and checks the policy; it verifies nothing. A
// [Token] verifies only against a key the caller resolved ([Token.Verify]): the key
// decides the algorithm, and a header "alg" that differs is an error.
//
// # Security
//
// The policy (DESIGN.md §6): compact serialization only, with nothing but base64url
// characters and two dots; size checked before decoding; header and payload decoded with
// strict JSON (duplicate members fail); "crit", "b64" and "zip" refused; keys carried in the
// header ("jwk", "jku", "x5u", "x5c") refused unless the policy admits x5c for a caller who
// validates the chain; "typ" exactly one of the values the format expects; "alg" a string
// in the allow-list, never "none".
package jose
