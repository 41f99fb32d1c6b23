package sdjwt

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Serialization is how an SD-JWT is written (RFC 9901 §4 and §8).
type Serialization int

// Serializations. The zero value is the compact form.
const (
	// Compact is <Issuer-signed JWT>~<Disclosure 1>~...~<Disclosure N>~[<KB-JWT>].
	Compact Serialization = iota
	// FlattenedJSON is the flattened JWS JSON serialization, with the disclosures and
	// the key binding JWT in the unprotected header.
	FlattenedJSON
	// GeneralJSON is the general JWS JSON serialization: several signatures over one
	// payload, the disclosures and the key binding JWT in the first one's unprotected
	// header.
	GeneralJSON
)

// String returns "compact", "flattened JSON" or "general JSON".
func (s Serialization) String() string {
	switch s {
	case Compact:
		return "compact"
	case FlattenedJSON:
		return "flattened JSON"
	case GeneralJSON:
		return "general JSON"
	}
	return fmt.Sprintf("Serialization(%d)", int(s))
}

// Default limits (DESIGN.md §5).
const (
	DefaultMaxBytes       = 1 << 20 // the whole SD-JWT, checked before decoding
	DefaultMaxDisclosures = 1000
	DefaultMaxDepth       = 64 // JSON nesting of the processed payload, disclosures included
)

// maxSignatures bounds the signatures of the general JSON serialization.
const maxSignatures = 8

// limits are the bounds a parse runs under.
type limits struct {
	maxBytes, maxDisclosures, maxDepth int
}

var defaultLimits = limits{DefaultMaxBytes, DefaultMaxDisclosures, DefaultMaxDepth}

// signature is one JWS signature of the JSON serialization: the parts as received.
type signature struct {
	protected, signature string
	kid                  string // the unprotected header's kid, "" if none
}

// token is an SD-JWT split into its parts, nothing decoded or verified yet.
type token struct {
	ser   Serialization
	discs []string // disclosures, as received
	kb    []byte   // the key binding JWT, nil when absent
	// hashInput is what sd_hash covers (RFC 9901 §4.3.1, §8.1): the compact SD-JWT up to
	// and including the last "~", rebuilt from the first signature for JSON.
	hashInput []byte
	// jws is the compact Issuer-signed JWT (of the first signature, for JSON). It and
	// hashInput share the caller's buffer in the compact form: a token lives only as
	// long as the call that split it.
	jws     []byte
	payload string      // base64url payload (JSON serializations)
	sigs    []signature // every signature, the first included (JSON serializations)
}

// split separates an SD-JWT in any serialization into its parts.
func split(data []byte, lim limits) (*token, error) {
	if len(data) > lim.maxBytes {
		return nil, fmt.Errorf("sdjwt: %d bytes exceed the limit of %d: %w", len(data), lim.maxBytes, ErrTooLarge)
	}
	if i := firstNonSpace(data); i < len(data) && data[i] == '{' {
		return splitJSON(data, lim)
	}
	return splitCompact(data, lim)
}

func firstNonSpace(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func splitCompact(data []byte, lim limits) (*token, error) {
	tildes := 0
	for _, c := range data {
		switch charClass[c] {
		case classTilde:
			tildes++
		case classOther:
			return nil, fmt.Errorf("sdjwt: byte %#02x outside base64url, '.' and '~' in the compact form: %w", c, ErrMalformed)
		}
	}
	if tildes == 0 {
		return nil, fmt.Errorf("sdjwt: no ~ separator: not an SD-JWT: %w", ErrMalformed)
	}
	if tildes-1 > lim.maxDisclosures {
		return nil, fmt.Errorf("sdjwt: %d disclosures exceed the limit of %d: %w", tildes-1, lim.maxDisclosures, ErrTooLarge)
	}
	first := bytes.IndexByte(data, '~')
	last := bytes.LastIndexByte(data, '~')
	t := &token{ser: Compact, jws: data[:first], hashInput: data[:last+1]}
	if last+1 < len(data) {
		t.kb = data[last+1:]
	}
	if first == 0 {
		return nil, fmt.Errorf("sdjwt: empty Issuer-signed JWT: %w", ErrMalformed)
	}
	if first < last {
		t.discs = make([]string, 0, tildes-1)
		rest := data[first+1 : last]
		for {
			d, tail, more := bytes.Cut(rest, []byte{'~'})
			if err := checkDisclosureSyntax(d, len(t.discs)); err != nil {
				return nil, err
			}
			t.discs = append(t.discs, string(d))
			if !more {
				break
			}
			rest = tail
		}
	}
	if t.kb != nil && bytes.Count(t.kb, []byte{'.'}) != 2 {
		return nil, fmt.Errorf("sdjwt: the part after the last ~ is neither empty nor a key binding JWT: %w", ErrMalformed)
	}
	return t, nil
}

// checkDisclosureSyntax refuses what cannot be a disclosure before anything is decoded.
func checkDisclosureSyntax[S string | []byte](d S, i int) error {
	if len(d) == 0 {
		return fmt.Errorf("sdjwt: disclosure %d is empty: %w", i, ErrInvalidDisclosure)
	}
	for j := 0; j < len(d); j++ {
		switch charClass[d[j]] {
		case classB64:
		case classDot:
			return fmt.Errorf("sdjwt: a JWT where disclosure %d belongs (a key binding JWT must come last): %w", i, ErrMalformed)
		default:
			return fmt.Errorf("sdjwt: disclosure %d is not base64url: %w", i, ErrInvalidDisclosure)
		}
	}
	return nil
}

// splitJSON reads the JWS JSON serialization of RFC 9901 §8. Only the members RFC 7515
// §7.2 defines are accepted at the top level and in each signature; an unprotected
// header holds only disclosures and kb_jwt (first signature) and kid. Any other
// unprotected member would be unsigned data a verifier might act on.
func splitJSON(data []byte, lim limits) (*token, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: lim.maxBytes, MaxDepth: 6})
	if err != nil {
		return nil, fmt.Errorf("sdjwt: JSON serialization: %w", err)
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sdjwt: JSON serialization is not an object: %w", ErrMalformed)
	}
	t := &token{}
	if t.payload, err = b64String(top, "payload", true); err != nil {
		return nil, err
	}
	var sigObjs []map[string]any
	if raw, ok := top["signatures"]; ok {
		t.ser = GeneralJSON
		if err := onlyMembers(top, "payload", "signatures"); err != nil {
			return nil, err
		}
		list, ok := raw.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("sdjwt: signatures is not a non-empty array: %w", ErrMalformed)
		}
		if len(list) > maxSignatures {
			return nil, fmt.Errorf("sdjwt: %d signatures exceed the limit of %d: %w", len(list), maxSignatures, ErrTooLarge)
		}
		for _, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("sdjwt: a signature is not an object: %w", ErrMalformed)
			}
			if err := onlyMembers(m, "protected", "signature", "header"); err != nil {
				return nil, err
			}
			sigObjs = append(sigObjs, m)
		}
	} else {
		t.ser = FlattenedJSON
		if err := onlyMembers(top, "payload", "protected", "signature", "header"); err != nil {
			return nil, err
		}
		sigObjs = []map[string]any{top}
	}
	for i, m := range sigObjs {
		var s signature
		if s.protected, err = b64String(m, "protected", true); err != nil {
			return nil, err
		}
		if s.signature, err = b64String(m, "signature", true); err != nil {
			return nil, err
		}
		hdr := map[string]any{}
		if raw, ok := m["header"]; ok {
			if hdr, ok = raw.(map[string]any); !ok {
				return nil, fmt.Errorf("sdjwt: unprotected header is not an object: %w", ErrMalformed)
			}
		}
		allowed := []string{"kid"}
		if i == 0 {
			allowed = []string{"kid", "disclosures", "kb_jwt"}
		}
		if err := onlyMembers(hdr, allowed...); err != nil {
			return nil, fmt.Errorf("%w (unprotected header of signature %d)", err, i)
		}
		if raw, ok := hdr["kid"]; ok {
			if s.kid, ok = raw.(string); !ok || s.kid == "" {
				return nil, fmt.Errorf("sdjwt: unprotected kid is not a non-empty string: %w", ErrMalformed)
			}
		}
		if i == 0 {
			if err := t.readUnprotected(hdr, lim); err != nil {
				return nil, err
			}
		}
		t.sigs = append(t.sigs, s)
	}
	first := t.sigs[0]
	t.jws = []byte(first.protected + "." + t.payload + "." + first.signature)
	t.hashInput = compactForm(t.jws, t.discs, nil)
	return t, nil
}

func (t *token) readUnprotected(hdr map[string]any, lim limits) error {
	if raw, ok := hdr["disclosures"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return fmt.Errorf("sdjwt: disclosures is not an array: %w", ErrMalformed)
		}
		if len(list) > lim.maxDisclosures {
			return fmt.Errorf("sdjwt: %d disclosures exceed the limit of %d: %w", len(list), lim.maxDisclosures, ErrTooLarge)
		}
		t.discs = make([]string, 0, len(list))
		for i, e := range list {
			d, ok := e.(string)
			if !ok {
				return fmt.Errorf("sdjwt: disclosure %d is not a string: %w", i, ErrInvalidDisclosure)
			}
			if err := checkDisclosureSyntax(d, i); err != nil {
				return err
			}
			t.discs = append(t.discs, d)
		}
	}
	if raw, ok := hdr["kb_jwt"]; ok {
		kb, ok := raw.(string)
		if !ok || strings.Count(kb, ".") != 2 {
			return fmt.Errorf("sdjwt: kb_jwt is not a compact JWT: %w", ErrMalformed)
		}
		t.kb = []byte(kb)
	}
	return nil
}

func onlyMembers(m map[string]any, names ...string) error {
	for k := range m {
		ok := false
		for _, n := range names {
			if k == n {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("sdjwt: member %q not allowed here in the JSON serialization: %w", k, ErrMalformed)
		}
	}
	return nil
}

// b64String reads a member that must be a non-empty base64url string.
func b64String(m map[string]any, name string, required bool) (string, error) {
	raw, ok := m[name]
	if !ok {
		if required {
			return "", fmt.Errorf("sdjwt: JSON serialization without %s: %w", name, ErrMalformed)
		}
		return "", nil
	}
	s, ok := raw.(string)
	if !ok || s == "" {
		return "", fmt.Errorf("sdjwt: %s is not a non-empty string: %w", name, ErrMalformed)
	}
	for i := 0; i < len(s); i++ {
		if !isB64URL(s[i]) {
			return "", fmt.Errorf("sdjwt: %s is not base64url: %w", name, ErrMalformed)
		}
	}
	return s, nil
}

// compact returns the SD-JWT in compact form with the given disclosures and key
// binding JWT.
func compactForm(jws []byte, discs []string, kb []byte) []byte {
	n := len(jws) + 1 + len(kb)
	for _, d := range discs {
		n += len(d) + 1
	}
	out := make([]byte, 0, n)
	out = append(out, jws...)
	out = append(out, '~')
	for _, d := range discs {
		out = append(out, d...)
		out = append(out, '~')
	}
	return append(out, kb...)
}
