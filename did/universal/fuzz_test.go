package universal

import (
	"errors"
	"testing"

	"github.com/credence-dev/credence/did"
)

// FuzzDecodeResponse feeds arbitrary answers to the response decoder. Every answer gives
// either a resolution whose document has the requested id, or a *did.ResolutionError
// whose code is a known one and which wraps a sentinel. Seeds are in
// testdata/fuzz/FuzzDecodeResponse.
func FuzzDecodeResponse(f *testing.F) {
	const id = "did:example:123"
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if len(body) > DefaultMaxBytes {
			return // Resolve never passes more
		}
		res, err := decodeResponse(id, status, contentType, body)
		if err != nil {
			if res != nil {
				t.Errorf("resolution with error %v", err)
			}
			re, ok := errors.AsType[*did.ResolutionError](err)
			if !ok {
				t.Fatalf("error %T %v is not a *did.ResolutionError", err, err)
			}
			if !knownCode(re.Code) {
				t.Errorf("unknown code %q", re.Code)
			}
			if !wrapsSentinel(err) {
				t.Errorf("error %v wraps no sentinel", err)
			}
			return
		}
		if res == nil || res.Document == nil || res.Document.ID != id {
			t.Fatalf("resolution %+v for %s", res, id)
		}
		if status/100 != 2 && status != 410 {
			t.Errorf("success for HTTP status %d", status)
		}
		if err := res.Document.Validate(); err != nil {
			t.Errorf("invalid document accepted: %v", err)
		}
	})
}

func knownCode(c string) bool {
	switch c {
	case did.CodeInvalidDID, did.CodeInvalidDIDURL, did.CodeNotFound, did.CodeMethodNotSupported,
		did.CodeRepresentationNotSupported, did.CodeInvalidDIDDocument, did.CodeInternalError,
		did.CodeInvalidPublicKey, did.CodeUnsupportedPublicKeyType, did.CodeDeactivated:
		return true
	}
	return false
}

func wrapsSentinel(err error) bool {
	for _, s := range []error{did.ErrInvalidDID, did.ErrInvalidDIDURL, did.ErrNotFound, did.ErrMethodNotSupported,
		did.ErrInvalidDIDDocument, did.ErrMalformed, did.ErrTooLarge, did.ErrTooDeep, did.ErrInvalidKey,
		did.ErrUnsupportedKeyType, did.ErrDeactivated, did.ErrResolutionFailed, ErrUnsupportedFormat} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
