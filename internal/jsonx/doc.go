// Package jsonx decodes untrusted JSON strictly.
//
// Every JSON document that Credence receives from outside (credentials, presentations, DID
// documents, status lists, presentation definitions) goes through this package before anything
// else looks at it. [Decode] checks and builds a generic value in one pass; [Validate] runs the
// same checks without building anything; [Unmarshal] checks first and then fills a Go value:
//
//	v, err := jsonx.Decode(data, jsonx.Limits{})
//	if err != nil {
//		return err // errors.Is(err, errs.ErrMalformed), ErrTooLarge or ErrTooDeep
//	}
//	claims, ok := v.(map[string]any)
//
// Numbers are returned as [encoding/json.Number] holding the literal text, so large integers and
// exponents such as 1e400 are never rounded.
//
// # Security
//
// JSON that two parsers read differently is a classic way to make a verifier check one thing
// and an application use another. This package therefore accepts only what RFC 8259 allows and
// removes the choices that parsers make differently:
//
//   - The size limit is checked before any byte is parsed; nesting deeper than the depth limit
//     stops the parse at once (defaults: 1 MiB and 64 levels, see [Limits]).
//   - Duplicate member names in an object are rejected at every depth, compared after escapes
//     are decoded, so "a" and "\u0061" are the same name (RFC 8259 §4 leaves duplicates
//     undefined; RFC 7493 I-JSON forbids them).
//   - Invalid UTF-8, unpaired UTF-16 surrogate escapes and unescaped control characters are
//     rejected instead of being replaced with U+FFFD (RFC 8259 §8.1, §8.2).
//   - Numbers must follow the grammar of RFC 8259 §6 (no leading zeros, "+", NaN or Infinity).
//   - Only space, tab, line feed and carriage return count as whitespace; a byte order mark,
//     an empty input and any data after the value are rejected.
//
// Every error wraps exactly one of errs.ErrMalformed, errs.ErrTooLarge and errs.ErrTooDeep;
// syntax and depth errors are a [*SyntaxError] with the byte offset of the problem. Messages
// never quote the input.
package jsonx
