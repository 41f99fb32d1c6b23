// Package jcs implements the JSON Canonicalization Scheme (JCS, RFC 8785).
//
// JCS gives every JSON value one byte form, so that a hash or signature over it does not
// depend on member order, white space or how a number or string was spelled:
//
//	v, err := jsonx.Decode(data, jsonx.Limits{}) // strict: no duplicate names
//	canon, err := jcs.Canonicalize(v)
//
// The rules (RFC 8785 §3.2): no white space; literals as they are; numbers as ECMAScript
// serializes an IEEE 754 double (Number.prototype.toString, ECMA-262 §6.1.6.1.20);
// strings with the escapes of ECMAScript JSON.stringify only (\", \\, \b, \t, \n, \f, \r and
// \u00xx for the other control characters) and every other character as UTF-8; object
// members sorted by their names compared as arrays of UTF-16 code units; arrays in order.
//
// Input must be I-JSON (RFC 7493): numbers outside the range of a double (1e400) are an
// error, not Infinity, and integers beyond 2^53 lose precision exactly as they do in
// ECMAScript. Every error wraps errs.ErrMalformed or errs.ErrTooDeep.
package jcs
