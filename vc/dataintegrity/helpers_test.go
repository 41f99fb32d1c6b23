package dataintegrity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/jcs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/keys"
)

// vectorNow is after every created and before any expires of the vectors.
var vectorNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return vectorNow }

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readText returns a vector text file without its final line break (hashes, signatures).
func readText(t testing.TB, path string) string {
	return strings.TrimRight(string(readFile(t, path)), "\r\n")
}

func decodeObject(t testing.TB, data []byte) map[string]any {
	t.Helper()
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not an object: %.80s", data)
	}
	return m
}

func readObject(t testing.TB, path string) map[string]any {
	t.Helper()
	return decodeObject(t, readFile(t, path))
}

func canonical(t testing.TB, v any) string {
	t.Helper()
	b, err := jcs.Canonicalize(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON reports whether two JSON texts are the same value (compared by their JCS form).
func sameJSON(t testing.TB, a, b []byte) bool {
	t.Helper()
	return canonical(t, decodeObject(t, a)) == canonical(t, decodeObject(t, b))
}

// withoutProof returns a top-level copy of doc without its proof.
func withoutProof(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}

// fixedCanon stands in for the JSON-LD processor: it returns the canonical N-Quads that
// the vectors give for exactly the documents they name (matched as JSON values) and, for
// any other document, bytes that are no vector's, so that a signature over a document the
// vectors did not sign fails. It also checks the RDFC-1.0 hash it is asked for.
type fixedCanon struct {
	hash  crypto.Hash
	forms map[string][]byte
	calls int
	miss  int
}

func newFixedCanon(h crypto.Hash) *fixedCanon {
	return &fixedCanon{hash: h, forms: map[string][]byte{}}
}

func (f *fixedCanon) add(t testing.TB, doc map[string]any, nquads []byte) {
	t.Helper()
	f.forms[canonical(t, doc)] = nquads
}

func (f *fixedCanon) canonicalize(_ context.Context, doc map[string]any, h crypto.Hash) ([]byte, error) {
	f.calls++
	if h != f.hash {
		return nil, fmt.Errorf("RDFC-1.0 with %v, want %v", h, f.hash)
	}
	k, err := jcs.Canonicalize(doc)
	if err != nil {
		return nil, err
	}
	if b, ok := f.forms[string(k)]; ok {
		return b, nil
	}
	f.miss++
	return append([]byte("_:x <urn:not-in-the-vectors> \"\" .\n"), k...), nil
}

// didKeyVM resolves did:key verification methods the way the facade does for did:key:
// the fragment is the Multikey.
func didKeyVM(_ context.Context, vm, purpose string) (crypto.PublicKey, error) {
	_, frag, ok := strings.Cut(vm, "#")
	if !ok || !strings.HasPrefix(vm, "did:key:"+frag) {
		return nil, fmt.Errorf("not a did:key verification method: %w", keys.ErrMalformed)
	}
	if purpose == "" {
		return nil, fmt.Errorf("no purpose: %w", ErrInvalidOptions)
	}
	return keys.ParseMultikey(frag)
}

// secretKey decodes a Multikey secret key of the vectors: ed25519-priv (0x1300, the
// 32-byte seed), p256-priv (0x1306) or p384-priv (0x1307).
func secretKey(t testing.TB, multibase string) crypto.Signer {
	t.Helper()
	if !strings.HasPrefix(multibase, "z") {
		t.Fatalf("secret key %q is not base58btc", multibase)
	}
	b, err := base58Decode(multibase[1:])
	if err != nil || len(b) < 2 {
		t.Fatalf("secret key: %v", err)
	}
	switch {
	case b[0] == 0x80 && b[1] == 0x26 && len(b) == 34:
		return ed25519.NewKeyFromSeed(b[2:])
	case b[0] == 0x86 && b[1] == 0x26 && len(b) == 34:
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b[2:])
		if err != nil {
			t.Fatal(err)
		}
		return rfc6979{k}
	case b[0] == 0x87 && b[1] == 0x26 && len(b) == 50:
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), b[2:])
		if err != nil {
			t.Fatal(err)
		}
		return rfc6979{k}
	}
	t.Fatalf("secret key with prefix %x", b[:2])
	return nil
}

// rfc6979 signs deterministically (RFC 6979), as the vectors do: since Go 1.26, ECDSA
// signing ignores the caller's random source, and a nil one asks for RFC 6979.
type rfc6979 struct{ *ecdsa.PrivateKey }

func (k rfc6979) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.PrivateKey.Sign(nil, digest, opts)
}

func signer(t testing.TB, priv crypto.Signer) keys.Signer {
	t.Helper()
	s, err := keys.SignerFor(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setMember returns doc (JSON) with the member at path (names separated by "/"; a number
// selects an array element, and a name after an array its first element) set to value;
// a nil value deletes it.
func setMember(t testing.TB, doc []byte, path string, value any) []byte {
	t.Helper()
	m := decodeObject(t, doc)
	names := strings.Split(path, "/")
	var cur any = m
	for _, n := range names[:len(names)-1] {
		if arr, ok := cur.([]any); ok {
			i, err := strconv.Atoi(n)
			if err != nil {
				cur = arr[0]
			} else {
				cur = arr[i]
				continue
			}
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("no object at %s in %s", n, path)
		}
		cur = obj[n]
	}
	if arr, ok := cur.([]any); ok {
		cur = arr[0]
	}
	obj, ok := cur.(map[string]any)
	if !ok {
		t.Fatalf("no object for the last name of %s", path)
	}
	if value == nil {
		delete(obj, names[len(names)-1])
	} else {
		obj[names[len(names)-1]] = value
	}
	return mustJSON(t, m)
}
