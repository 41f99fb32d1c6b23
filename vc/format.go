package vc

import (
	"bytes"
	"fmt"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Format names how a credential or presentation is secured.
type Format string

// Formats.
const (
	// FormatJWT is a VCDM 2.0 credential or presentation secured with JOSE
	// (VC-JOSE-COSE: typ vc+jwt / vp+jwt).
	FormatJWT Format = "jwt"
	// FormatJWT11 is the VCDM 1.1 JWT encoding (the vc and vp claims).
	FormatJWT11 Format = "jwt11"
)

// Limits bounds untrusted input. Zero fields take the defaults; raising a limit above
// its default needs the explicit field.
type Limits struct {
	MaxBytes int // a credential or presentation, checked before decoding; if 0, 1 MiB
	MaxDepth int // JSON nesting; if 0, 64
}

func (l Limits) json() jsonx.Limits {
	return jsonx.Limits{MaxBytes: l.maxBytes(), MaxDepth: l.MaxDepth}
}

func (l Limits) maxBytes() int {
	if l.MaxBytes <= 0 {
		return 1 << 20
	}
	return l.MaxBytes
}

// inputShape is what the first bytes of an input say it is.
type inputShape int

const (
	shapeUnknown inputShape = iota
	shapeCompact            // header.payload.signature
	shapeSDJWT              // contains '~'
	shapeJSON               // JSON (an object, if anything valid)
)

func detect(data []byte) inputShape {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return shapeUnknown
	case t[0] == '{' || t[0] == '[':
		return shapeJSON
	case bytes.IndexByte(t, '~') >= 0:
		return shapeSDJWT
	case bytes.Count(t, []byte{'.'}) == 2:
		return shapeCompact
	}
	return shapeUnknown
}

func checkSize(data []byte, l Limits) error {
	if len(data) > l.maxBytes() {
		return &VerifyError{Reason: ReasonMalformed, Err: fmt.Errorf("vc: input of %d bytes exceeds %d: %w", len(data), l.maxBytes(), ErrTooLarge)}
	}
	return nil
}
