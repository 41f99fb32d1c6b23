package peer

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/did"
)

// ContentType is the media type reported in the resolution metadata: a JSON-LD DID
// document.
const ContentType = "application/did+ld+json"

// MaxLength bounds the DIDs that Resolve reads, long-form did:peer:4 included; longer
// input is rejected before it is decoded. It is [did.MaxURLLength].
const MaxLength = did.MaxURLLength

const prefix = "did:peer:"

// JSON-LD contexts.
const (
	contextDIDV1    = "https://www.w3.org/ns/did/v1"
	contextDIDV11   = "https://www.w3.org/ns/did/v1.1"
	contextMultikey = "https://w3id.org/security/multikey/v1"
)

// LongFormStore finds the long form of a short-form did:peer:4 DID. A did:peer:4 short
// form cannot be resolved from itself: the peer must have seen, and kept, its long form.
// The store's answer is checked: the long form must hash to the short form.
type LongFormStore interface {
	// LongForm returns the long form of short, or an error wrapping did.ErrNotFound if
	// it is not known.
	LongForm(ctx context.Context, short string) (string, error)
}

// Options configures a [Resolver]. The zero value resolves did:peer:0, did:peer:2 and
// long-form did:peer:4 DIDs, derives no key-agreement key, and reports short-form
// did:peer:4 DIDs as notFound.
type Options struct {
	// LongForms, if not nil, lets Resolve resolve short-form did:peer:4 DIDs through
	// [Resolver.ResolveShort]. If nil, they are notFound.
	LongForms LongFormStore
	// EnableEncryptionKeyDerivation adds to the document of an Ed25519 did:peer:0 an
	// X25519 key-agreement method derived from the key, as did:key does (see
	// package did/key). Off by default: it reuses a signing key for key agreement.
	EnableEncryptionKeyDerivation bool
}

// Resolver resolves did:peer DIDs of numalgo 0, 2 and 4. It does no I/O of its own (a
// LongFormStore may). It is immutable and safe for concurrent use if its LongFormStore
// is.
type Resolver struct {
	longForms LongFormStore
	derive    bool
}

var _ did.Resolver = (*Resolver)(nil)

// New returns a Resolver configured by opts.
func New(opts Options) *Resolver {
	return &Resolver{longForms: opts.LongForms, derive: opts.EnableEncryptionKeyDerivation}
}

// Resolve expands a did:peer DID into its DID document:
//
//   - numalgo 0: the did:key document of the key (see [Create0]);
//   - numalgo 2: the keys and services encoded in the DID (see [Create2]);
//   - numalgo 4: the long form's encoded document, its hash checked; a short form
//     through Options.LongForms and [Resolver.ResolveShort], or notFound without one;
//   - numalgo 1 and 3 are methodNotSupported wrapping [ErrUnsupportedNumalgo]: both need
//     a document that only an earlier exchange can give.
//
// The input must be a DID, not a DID URL (a fragment, path or query is invalidDid), at
// most [MaxLength] bytes. Every document passes [did.Document.Validate]. Failures are
// *did.ResolutionError values with a nil Resolution.
func (r *Resolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	rest, err := parse(id)
	if err != nil {
		return nil, err
	}
	var doc *did.Document
	switch rest[0] {
	case '0':
		doc, err = resolve0(id, rest[1:], r.derive)
	case '2':
		doc, err = resolve2(id, rest[1:])
	case '4':
		doc, err = r.resolve4(ctx, id, rest[1:])
	case '1', '3':
		return nil, did.NewResolutionError(did.CodeMethodNotSupported, id,
			fmt.Errorf("peer: numalgo %c: %w: %w", rest[0], ErrUnsupportedNumalgo, did.ErrMethodNotSupported))
	default:
		return nil, invalid(id, fmt.Sprintf("numalgo %s", strconv.QuoteRune(rune(rest[0]))))
	}
	if err != nil {
		return nil, err
	}
	return resolution(doc), nil
}

func resolution(doc *did.Document) *did.Resolution {
	return &did.Resolution{
		Document:           doc,
		ResolutionMetadata: did.ResolutionMetadata{ContentType: ContentType},
	}
}

// parse checks the parts common to every did:peer DID and returns what follows
// "did:peer:", which is not empty.
func parse(id string) (string, error) {
	if len(id) > MaxLength {
		return "", did.NewResolutionError(did.CodeInvalidDID, short(id),
			fmt.Errorf("peer: DID of %d bytes, more than %d: %w: %w", len(id), MaxLength, did.ErrInvalidDID, did.ErrTooLarge))
	}
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok {
		if m, ok := did.MethodOf(id); ok && m != "peer" {
			return "", did.NewResolutionError(did.CodeMethodNotSupported, id,
				fmt.Errorf("peer: method %s: %w", strconv.Quote(short(m)), did.ErrMethodNotSupported))
		}
		return "", invalid(id, `not a "did:peer:" DID`)
	}
	if strings.ContainsAny(id, "/?#") {
		return "", invalid(id, "a DID URL, not a DID")
	}
	if rest == "" {
		return "", invalid(id, "no numalgo")
	}
	return rest, nil
}

func invalid(id, why string) error {
	return did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("peer: %s: %w", why, did.ErrInvalidDID))
}

// invalidErr is invalid with a cause, which the error also wraps.
func invalidErr(id, why string, err error) error {
	return did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("peer: %s: %w: %w", why, did.ErrInvalidDID, err))
}

// isBase58 reports whether s consists only of characters of the base58btc alphabet.
func isBase58(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '1' <= c && c <= '9', 'A' <= c && c <= 'H', 'J' <= c && c <= 'N', 'P' <= c && c <= 'Z',
			'a' <= c && c <= 'k', 'm' <= c && c <= 'z':
		default:
			return false
		}
	}
	return true
}

// short shortens s for an error, so that hostile input cannot make errors large.
func short(s string) string {
	const max = 96
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
