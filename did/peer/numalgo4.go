package peer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/multiformats/go-multibase"
)

// jsonCodec is the multicodec prefix of JSON, varint 0x0200 (peer DID method §Method 4).
var jsonCodec = []byte{0x80, 0x04}

// sha256Multihash is the multihash prefix of a SHA2-256 digest: code 0x12, length 32.
var sha256Multihash = []byte{0x12, 0x20}

// form4 is a parsed did:peer:4 DID.
type form4 struct {
	short   string // did:peer:4<hash>
	digest  []byte // the SHA-256 digest the hash encodes
	encoded string // the encoded document; "" for a short form
}

// parse4 parses the part of a did:peer:4 DID after "did:peer:4" and checks the hash of a
// long form.
func parse4(id, rest string) (*form4, error) {
	hash, encoded, long := strings.Cut(rest, ":")
	// A SHA-256 multihash is 34 bytes: "z" and 46 base58 characters.
	if len(hash) != 47 || hash[0] != 'z' || !isBase58(hash[1:]) {
		return nil, invalid(id, "did:peer:4 hash is not base58btc")
	}
	_, mh, err := multibase.Decode(hash)
	if err != nil || len(mh) != 2+sha256.Size || !bytes.HasPrefix(mh, sha256Multihash) {
		return nil, invalid(id, "did:peer:4 hash is not a SHA-256 multihash")
	}
	f := &form4{short: prefix + "4" + hash, digest: mh[2:]}
	if !long {
		return f, nil
	}
	if !strings.HasPrefix(encoded, "z") || len(encoded) == 1 || !isBase58(encoded[1:]) {
		return nil, invalid(id, "did:peer:4 document is not base58btc")
	}
	// The hash covers the encoded document as written, so it is checked before the
	// document is decoded.
	if sum := sha256.Sum256([]byte(encoded)); !bytes.Equal(sum[:], f.digest) {
		return nil, did.NewResolutionError(did.CodeInvalidDID, id,
			fmt.Errorf("peer: %w: %w", ErrHashMismatch, did.ErrInvalidDID))
	}
	f.encoded = encoded
	return f, nil
}

// decode returns the input document of a long form: the JSON object after the json
// multicodec, which must have no id.
func (f *form4) decode(id string) (*did.Document, error) {
	_, data, err := multibase.Decode(f.encoded)
	if err != nil {
		return nil, invalid(id, "did:peer:4 document is not base58btc")
	}
	data, ok := bytes.CutPrefix(data, jsonCodec)
	if !ok {
		return nil, invalid(id, "did:peer:4 document is not JSON (multicodec 0x0200)")
	}
	v, err := jsonx.Decode(data, jsonx.Limits{MaxBytes: did.MaxDocumentBytes})
	if err != nil {
		return nil, invalidErr(id, "did:peer:4 document", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalidErr(id, "did:peer:4 document is not a JSON object", did.ErrMalformed)
	}
	if _, ok := m["id"]; ok {
		return nil, invalidErr(id, "did:peer:4 input document has an id", did.ErrInvalidDIDDocument)
	}
	doc := new(did.Document)
	if err := doc.UnmarshalJSON(data); err != nil {
		return nil, invalidErr(id, "did:peer:4 document", err)
	}
	return doc, nil
}

// contextualize turns an input document into the document of id (peer DID method
// §Long form): id set, aka appended to alsoKnownAs, the controller of every method that
// has none set to id. The result must pass [did.Document.Validate].
func contextualize(doc *did.Document, id, aka string) (*did.Document, error) {
	doc.ID = id
	doc.AlsoKnownAs = append(doc.AlsoKnownAs, aka)
	for i := range doc.VerificationMethod {
		if doc.VerificationMethod[i].Controller == "" {
			doc.VerificationMethod[i].Controller = id
		}
	}
	for _, refs := range [][]did.MethodRef{doc.Authentication, doc.AssertionMethod, doc.KeyAgreement, doc.CapabilityInvocation, doc.CapabilityDelegation} {
		for _, r := range refs {
			if r.Embedded != nil && r.Embedded.Controller == "" {
				r.Embedded.Controller = id
			}
		}
	}
	if err := doc.Validate(); err != nil {
		return nil, invalidErr(id, "document", err)
	}
	return doc, nil
}

// resolve4 resolves a did:peer:4 DID; rest is what follows "did:peer:4".
func (r *Resolver) resolve4(ctx context.Context, id, rest string) (*did.Document, error) {
	f, err := parse4(id, rest)
	if err != nil {
		return nil, err
	}
	if f.encoded != "" {
		doc, err := f.decode(id)
		if err != nil {
			return nil, err
		}
		return contextualize(doc, id, f.short)
	}
	if r.longForms == nil {
		return nil, did.NewResolutionError(did.CodeNotFound, id,
			fmt.Errorf("peer: short-form did:peer:4 without a long form: %w", did.ErrNotFound))
	}
	long, err := r.longForms.LongForm(ctx, id)
	if err != nil {
		code := did.CodeInternalError
		if errors.Is(err, did.ErrNotFound) {
			code = did.CodeNotFound
		}
		return nil, did.NewResolutionError(code, id, fmt.Errorf("peer: long form: %w", err))
	}
	res, err := r.ResolveShort(ctx, id, long)
	if err != nil {
		return nil, err
	}
	return res.Document, nil
}

// ResolveShort resolves the short-form did:peer:4 DID short from its long form long, which
// the caller saw and kept earlier (peer DID method §Short form). long must be short
// followed by ":" and an encoded document that hashes to short's hash; the document is
// the long form's, with short as its id and controller, and long in alsoKnownAs.
//
// Errors are *did.ResolutionError values as for [Resolver.Resolve]; a long form of
// another DID wraps [ErrHashMismatch]. ctx is not used.
func (r *Resolver) ResolveShort(_ context.Context, short, long string) (*did.Resolution, error) {
	rest, err := parse(short)
	if err != nil {
		return nil, err
	}
	if rest[0] != '4' || strings.Contains(rest, ":") {
		return nil, invalid(short, "not a short-form did:peer:4")
	}
	lrest, err := parse(long)
	if err != nil {
		return nil, err
	}
	if lrest[0] != '4' || !strings.Contains(lrest, ":") {
		return nil, invalid(long, "not a long-form did:peer:4")
	}
	f, err := parse4(long, lrest[1:])
	if err != nil {
		return nil, err
	}
	if f.short != short {
		return nil, did.NewResolutionError(did.CodeInvalidDID, short,
			fmt.Errorf("peer: long form of another DID: %w: %w", ErrHashMismatch, did.ErrInvalidDID))
	}
	doc, err := f.decode(long)
	if err != nil {
		return nil, err
	}
	doc, err = contextualize(doc, short, long)
	if err != nil {
		return nil, err
	}
	return resolution(doc), nil
}

// ShortForm returns the short form of a long-form did:peer:4 DID after checking its hash
// and its document, for use as the key under which a [LongFormStore] keeps long.
func ShortForm(long string) (string, error) {
	rest, err := parse(long)
	if err != nil {
		return "", err
	}
	if rest[0] != '4' || !strings.Contains(rest, ":") {
		return "", invalid(long, "not a long-form did:peer:4")
	}
	f, err := parse4(long, rest[1:])
	if err != nil {
		return "", err
	}
	doc, err := f.decode(long)
	if err != nil {
		return "", err
	}
	if _, err := contextualize(doc, long, f.short); err != nil {
		return "", err
	}
	return f.short, nil
}

// Create4 returns the long and short forms of the did:peer:4 DID of an input document
// (peer DID method §Creating a DID): input is the JSON of a DID document without "id",
// whose own references are relative ("#key-1"). It is compacted (whitespace removed,
// member order kept), prefixed with the json multicodec and encoded in base58btc; the
// short form is did:peer:4 and the base58btc SHA-256 multihash of that encoding.
//
// input must be strict JSON (at most did.MaxDocumentBytes, no duplicate members), and the
// long form must resolve, so it must also fit in [MaxLength].
func Create4(input []byte) (long, short string, err error) {
	v, err := jsonx.Decode(input, jsonx.Limits{MaxBytes: did.MaxDocumentBytes})
	if err != nil {
		return "", "", fmt.Errorf("peer: input document: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", "", fmt.Errorf("peer: input document is not a JSON object: %w", did.ErrMalformed)
	}
	if _, ok := m["id"]; ok {
		return "", "", fmt.Errorf("peer: input document has an id: %w", did.ErrInvalidDIDDocument)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, input); err != nil {
		return "", "", fmt.Errorf("peer: input document: %w: %w", did.ErrMalformed, err)
	}
	encoded, _ := multibase.Encode(multibase.Base58BTC, append(bytes.Clone(jsonCodec), compact.Bytes()...))
	sum := sha256.Sum256([]byte(encoded))
	hash, _ := multibase.Encode(multibase.Base58BTC, append(bytes.Clone(sha256Multihash), sum[:]...))
	short = prefix + "4" + hash
	long = short + ":" + encoded
	if _, err := New(Options{}).Resolve(context.Background(), long); err != nil {
		return "", "", err
	}
	return long, short, nil
}
