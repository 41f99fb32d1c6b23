package key

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/keys"
	"github.com/multiformats/go-multicodec"
)

// Public key formats: the type of the verification methods in a resolved document.
const (
	// FormatMultikey gives Multikey methods with publicKeyMultibase and the context
	// https://www.w3.org/ns/did/v1.1, as the current did:key specification prints them.
	FormatMultikey = "Multikey"
	// FormatJsonWebKey gives JsonWebKey methods with publicKeyJwk and the context
	// https://www.w3.org/ns/did/v1.1.
	FormatJsonWebKey = "JsonWebKey"
	// FormatJsonWebKey2020 gives JsonWebKey2020 methods with publicKeyJwk and the contexts
	// https://www.w3.org/ns/did/v1 and https://w3id.org/security/suites/jws-2020/v1, the
	// shape of the earlier did:key test vectors and of did:jwk.
	FormatJsonWebKey2020 = "JsonWebKey2020"
)

// JSON-LD contexts of the resolved documents.
const (
	contextDIDV1  = "https://www.w3.org/ns/did/v1"
	contextDIDV11 = "https://www.w3.org/ns/did/v1.1"
	contextJWS    = "https://w3id.org/security/suites/jws-2020/v1"
)

// ContentType is the media type reported in the resolution metadata of every document
// this package resolves: a JSON-LD DID document.
const ContentType = "application/did+ld+json"

// MaxLength bounds the DIDs that Resolve reads; longer input is rejected before decoding.
// It is [did.MaxURLLength], more than enough for any key type, in or out of policy.
const MaxLength = did.MaxURLLength

const prefix = "did:key:"

// Options configures a [Resolver]. The zero value gives Multikey verification methods and
// no derived key-agreement key.
type Options struct {
	// PublicKeyFormat is the type of the verification methods: "" or [FormatMultikey]
	// (Multikey, the default), [FormatJsonWebKey] or [FormatJsonWebKey2020]. [New] rejects
	// any other value.
	PublicKeyFormat string
	// EnableEncryptionKeyDerivation adds to the document of an Ed25519 did:key an X25519
	// key-agreement method derived from the Ed25519 key (the did:key specification's
	// Derive Encryption Key Algorithm, RFC 7748 §4.1). It has no effect on other key
	// types. See the package documentation, # Security.
	EnableEncryptionKeyDerivation bool
}

// Resolver resolves did:key DIDs. It does no I/O. It is immutable and safe for concurrent
// use.
type Resolver struct {
	format string
	derive bool
}

var _ did.Resolver = (*Resolver)(nil)

// New returns a Resolver configured by opts. An unknown PublicKeyFormat is an error
// wrapping [ErrUnsupportedFormat].
func New(opts Options) (*Resolver, error) {
	f := opts.PublicKeyFormat
	switch f {
	case "":
		f = FormatMultikey
	case FormatMultikey, FormatJsonWebKey, FormatJsonWebKey2020:
	default:
		return nil, fmt.Errorf("key: public key format %s: %w", strconv.Quote(short(f)), ErrUnsupportedFormat)
	}
	return &Resolver{format: f, derive: opts.EnableEncryptionKeyDerivation}, nil
}

// Create returns the did:key DID of pub: "did:key:" followed by the key's Multikey
// encoding (base58btc of the multicodec and the key; elliptic-curve points compressed).
// pub is an ed25519.PublicKey, an *ecdh.PublicKey on X25519, an *ecdsa.PublicKey on P-256
// or P-384, or a *keys.Secp256k1PublicKey; other keys give an error wrapping
// keys.ErrUnsupportedKeyType or keys.ErrInvalidKey.
func Create(pub crypto.PublicKey) (string, error) {
	mb, err := keys.Multikey(pub)
	if err != nil {
		return "", fmt.Errorf("key: %w", err)
	}
	return prefix + mb, nil
}

// Resolve expands a did:key DID into its DID document, following the did:key
// specification's Read (Create) algorithm:
//
//   - the input must be a DID, not a DID URL: a path, query or fragment is invalidDid;
//   - it is did:key:<multibase> or did:key:1:<multibase> (version 1, the only one
//     defined); any other version is invalidDid;
//   - the multibase value must be base58btc ('z'); a private-key multicodec is
//     invalidPublicKey wrapping keys.ErrPrivateKeyMaterial;
//   - Ed25519, X25519, P-256, P-384, secp256k1 and BLS12-381 G2 (BBS) keys are accepted;
//     their bytes must have the length of the multicodec table (invalidPublicKeyLength)
//     and be a valid encoding of a point, in G2 for BLS12-381 (invalidPublicKey); every
//     other multicodec (RSA, P-521, BLS12-381 G1 and G1+G2, ...) is
//     unsupportedPublicKeyType wrapping keys.ErrUnsupportedKeyType.
//
// Failures are *did.ResolutionError values with a nil Resolution. ctx is not used:
// did:key resolution is a pure computation.
func (r *Resolver) Resolve(_ context.Context, id string) (*did.Resolution, error) {
	doc, err := r.document(id)
	if err != nil {
		return nil, err
	}
	return &did.Resolution{
		Document:           doc,
		ResolutionMetadata: did.ResolutionMetadata{ContentType: ContentType},
	}, nil
}

func (r *Resolver) document(id string) (*did.Document, error) {
	mb, err := parse(id)
	if err != nil {
		return nil, err
	}
	code, raw, err := keys.DecodeMultikey(mb)
	if err != nil {
		switch {
		case errors.Is(err, keys.ErrPrivateKeyMaterial):
			return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, err)
		case errors.Is(err, keys.ErrTooLarge):
			return nil, did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("key: %w: %w", did.ErrInvalidDID, err))
		}
		return nil, did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("key: multibase value: %w: %w", did.ErrInvalidDID, err))
	}
	want, ok := keyLengths[code]
	if !ok {
		return nil, did.NewResolutionError(did.CodeUnsupportedPublicKeyType, id,
			fmt.Errorf("key: multicodec %v: %w", code, keys.ErrUnsupportedKeyType))
	}
	if len(raw) != want {
		return nil, did.NewResolutionError(did.CodeInvalidPublicKeyLength, id,
			fmt.Errorf("key: %v key of %d bytes, want %d: %w", code, len(raw), want, keys.ErrInvalidKey))
	}
	pub, err := keys.ParseMultikey(mb)
	if err != nil {
		return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("key: %w", err))
	}
	// keys.ParseMultikey checks curve points and X25519 keys; an Ed25519 key must also
	// decode to a point on the curve (the specification's invalidPublicKey check).
	var agreement *ecdh.PublicKey
	if ed, ok := pub.(ed25519.PublicKey); ok {
		x, err := keys.X25519FromEd25519(ed)
		if err != nil {
			return nil, did.NewResolutionError(did.CodeInvalidPublicKey, id, fmt.Errorf("key: %w", err))
		}
		if r.derive {
			agreement = x
		}
	}
	return r.build(id, mb, pub, agreement)
}

// keyLengths is the did:key specification's table of key lengths per multicodec: the
// key types this package accepts.
var keyLengths = map[multicodec.Code]int{
	multicodec.Secp256k1Pub: 33,
	multicodec.X25519Pub:    32,
	multicodec.Ed25519Pub:   32,
	multicodec.P256Pub:      33,
	multicodec.P384Pub:      49,
	// BLS12-381 G2 keys verify BBS signatures (bbs-2023); G1 and G1+G2 keys have no use
	// here and stay unsupported.
	multicodec.Bls12_381G2Pub: 96,
}

// parse checks the syntax of a did:key DID and returns its multibase value.
func parse(id string) (string, error) {
	if len(id) > MaxLength {
		return "", did.NewResolutionError(did.CodeInvalidDID, short(id),
			fmt.Errorf("key: DID of %d bytes, more than %d: %w: %w", len(id), MaxLength, did.ErrInvalidDID, did.ErrTooLarge))
	}
	if !strings.HasPrefix(id, prefix) {
		method, ok := did.MethodOf(id)
		if ok && method != "key" {
			return "", did.NewResolutionError(did.CodeMethodNotSupported, id,
				fmt.Errorf("key: method %s: %w", strconv.Quote(short(method)), did.ErrMethodNotSupported))
		}
		return "", invalid(id, `not a "did:key:" DID`)
	}
	if i := strings.IndexAny(id, "/?#"); i >= 0 {
		return "", invalid(id, "a DID URL, not a DID")
	}
	msi := id[len(prefix):]
	mb := msi
	if v, rest, ok := strings.Cut(msi, ":"); ok {
		// did:key:<version>:<multibase>. Only version 1 is defined; "01" and other
		// spellings are refused so that one key has one DID per version.
		if v != "1" {
			return "", invalid(id, "unsupported version")
		}
		mb = rest
	}
	if !strings.HasPrefix(mb, "z") {
		return "", invalid(id, "multibase value does not start with 'z'")
	}
	if !isBase58(mb[1:]) || len(mb) == 1 {
		return "", invalid(id, "multibase value is not base58btc")
	}
	return mb, nil
}

func invalid(id, why string) error {
	return did.NewResolutionError(did.CodeInvalidDID, id, fmt.Errorf("key: %s: %w", why, did.ErrInvalidDID))
}

// isBase58 reports whether s consists only of characters of the base58btc (Bitcoin)
// alphabet.
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
	const max = 64
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
