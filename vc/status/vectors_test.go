package status

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

const (
	w3cVectors  = "w3c-bitstring-status-list"
	ietfVectors = "ietf-token-status-list"
)

// TestW3CBitstringVectors runs the examples of the Bitstring Status List specification:
// the status list credential decodes to 131,072 zero bits, the entries parse, and the
// revocable credential of example 4 is not revoked by the list of example 3 (and 5).
func TestW3CBitstringVectors(t *testing.T) {
	t.Parallel()
	dir := vectors.Dir(t, w3cVectors)
	lists, entries := 0, 0
	for _, name := range []string{"example-03-status-list-credential.json", "example-05-status-list-vc.json"} {
		doc, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lc, err := parseListCredential(doc, false, DefaultMaxListBytes)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(lc.bits) != 16384 || !bytes.Equal(lc.bits, make([]byte, 16384)) {
			t.Errorf("%s: %d bytes, want 16,384 zero bytes", name, len(lc.bits))
		}
		if lc.issuer != "did:example:12345" || lc.purposes[0] != PurposeRevocation {
			t.Errorf("%s: issuer %q, purposes %q", name, lc.issuer, lc.purposes)
		}
		lists++

		f := &mapFetcher{}
		f.set("https://example.com/credentials/status/3", doc)
		now := testNow
		c := newTestChecker(t, f, &now)
		var vc struct {
			Issuer string          `json:"issuer"`
			Status json.RawMessage `json:"credentialStatus"`
		}
		if err := json.Unmarshal(vectors.Read(t, w3cVectors, "example-04-revocable-vc.json"), &vc); err != nil {
			t.Fatal(err)
		}
		es, err := ParseBitstringEntries(vc.Status)
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.CheckBitstring(t.Context(), es, vc.Issuer)
		if err != nil {
			t.Fatalf("example 4 against %s: %v", name, err)
		}
		if res.Entries[0].Index != 94567 || res.Entries[0].Value != 0 {
			t.Errorf("example 4: %+v", res.Entries[0])
		}
	}
	// The JSON examples with entries; the .txt examples are not JSON as printed.
	for _, name := range []string{"example-01-simple-entries-revocation-suspension.json", "example-04-revocable-vc.json"} {
		var vc struct {
			Status json.RawMessage `json:"credentialStatus"`
		}
		if err := json.Unmarshal(vectors.Read(t, w3cVectors, name), &vc); err != nil {
			t.Fatal(err)
		}
		es, err := ParseBitstringEntries(vc.Status)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		entries += len(es)
	}
	// Example 2, with its "..." placeholders removed: a message entry of statusSize 2.
	txt := string(vectors.Read(t, w3cVectors, "example-02-message-entry-statusSize2.txt"))
	start := strings.Index(txt, `"credentialStatus": {`) + len(`"credentialStatus": `)
	end := strings.Index(txt[start:], "},\n  \"credentialSubject\"")
	entry := strings.Replace(txt[start:start+end+1], ",\n        ...", ",\n{\"status\":\"0x3\",\"message\":\"other\"}", 1)
	e, err := ParseBitstringEntry([]byte(entry))
	if err != nil {
		t.Fatalf("example 2: %v", err)
	}
	if e.StatusSize != 2 || e.Purpose != PurposeMessage || e.Index != 492847 || e.message(2) != "rejected" {
		t.Errorf("example 2: %+v", e)
	}
	entries++
	t.Logf("W3C Bitstring Status List: %d list credentials decoded (131,072 zero bits each), %d entries parsed", lists, entries)
}

type ietfVector struct {
	Name string         `json:"name"`
	Bits int            `json:"bits"`
	Size int            `json:"size"`
	Set  map[string]int `json:"set"`
	Lst  string         `json:"lst"`
}

// TestIETFTokenVectors decodes every encoding vector of draft-ietf-oauth-status-list and
// checks each listed index, that every other entry is 0, and that our encoding decodes to
// the same list.
func TestIETFTokenVectors(t *testing.T) {
	t.Parallel()
	var file struct {
		Vectors []ietfVector `json:"vectors"`
	}
	if err := json.Unmarshal(vectors.Read(t, ietfVectors, "test-vectors.json"), &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	checked := 0
	for _, v := range file.Vectors {
		l, err := DecodeTokenList(v.Lst, v.Bits, DecodeOptions{})
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if l.Len() != v.Size {
			t.Errorf("%s: %d entries, want %d", v.Name, l.Len(), v.Size)
		}
		want := make(map[int]TokenStatus, len(v.Set))
		for k, val := range v.Set {
			i, _ := strconv.Atoi(k)
			want[i] = TokenStatus(val)
		}
		nonzero := 0
		for i := range l.Len() {
			got, _ := l.Get(i)
			if got != want[i] {
				t.Fatalf("%s: entry %d = %d, want %d", v.Name, i, got, want[i])
			}
			if got != 0 {
				nonzero++
			}
		}
		checked += len(v.Set)
		// Re-encode: the compressed bytes may differ, the list may not.
		enc, err := l.Encode()
		if err != nil {
			t.Fatal(err)
		}
		l2, err := DecodeTokenList(enc, v.Bits, DecodeOptions{})
		if err != nil || !bytes.Equal(l2.lst, l.lst) {
			t.Errorf("%s: re-encoding changed the list (%v)", v.Name, err)
		}
		t.Logf("%s: %d entries of %d bits, %d listed indices match, %d non-zero", v.Name, l.Len(), v.Bits, len(v.Set), nonzero)
	}
	t.Logf("IETF Token Status List: %d vectors, %d listed index values checked", len(file.Vectors), checked)
}

// TestIETFStatusListJWT parses the signed Status List Token example: its signature with the
// example key (what the facade's callback does), then its payload and structure.
func TestIETFStatusListJWT(t *testing.T) {
	t.Parallel()
	var ex struct {
		PublicJWK json.RawMessage `json:"public_jwk"`
		JWT       string          `json:"status_list_jwt"`
	}
	if err := json.Unmarshal(vectors.Read(t, ietfVectors, "example-key-and-jwt.json"), &ex); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(ex.JWT, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h struct {
		Alg, Typ, Kid string
	}
	if err := json.Unmarshal(hdr, &h); err != nil || h.Typ != TokenTyp || h.Alg != "ES256" {
		t.Fatalf("header %s: %v", hdr, err)
	}
	pub, err := keys.ParseJWK(ex.PublicJWK)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if err := keys.Verify(pub, h.Alg, []byte(parts[0]+"."+parts[1]), sig); err != nil {
		t.Fatalf("signature: %v", err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tok, err := ParseTokenPayload(payload, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tok.Subject != "https://example.com/statuslists/1" || tok.Issuer != "https://example.com" ||
		tok.IssuedAt.Unix() != 1686920170 || tok.Expiry.Unix() != 2291720170 || tok.TTL.Seconds() != 43200 ||
		tok.List.Bits() != 1 || tok.List.Len() != 16 {
		t.Errorf("payload %+v", tok)
	}
	if !bytes.Equal(tok.List.lst, []byte{0xb9, 0xa3}) {
		t.Errorf("list %x, want b9a3", tok.List.lst)
	}
	// Through the Checker, with a callback that checks the signature as the facade would.
	verify := func(_ context.Context, raw []byte, _ string) ([]byte, error) {
		p := strings.Split(string(raw), ".")
		s, _ := base64.RawURLEncoding.DecodeString(p[2])
		if err := keys.Verify(pub, "ES256", []byte(p[0]+"."+p[1]), s); err != nil {
			return nil, err
		}
		return base64.RawURLEncoding.DecodeString(p[1])
	}
	f := &mapFetcher{}
	f.set(tok.Subject, []byte(ex.JWT))
	c, _ := NewChecker(CheckerOptions{Fetch: f, VerifyToken: verify, Clock: func() time.Time { return testNow }})
	if _, err := c.CheckToken(t.Context(), TokenReference{Index: 0, URI: tok.Subject}, "https://example.com"); !errors.Is(err, ErrRevoked) {
		t.Errorf("idx 0: got %v, want %v", err, ErrRevoked)
	}
	if s, err := c.CheckToken(t.Context(), TokenReference{Index: 1, URI: tok.Subject}, "https://example.com"); err != nil || s != TokenValid {
		t.Errorf("idx 1: got %v %v, want VALID", s, err)
	}
	// A flipped payload byte fails the callback: ErrStatusVerification.
	bad := []byte(ex.JWT)
	bad[len(parts[0])+5] ^= 1
	f.set("https://example.com/statuslists/bad", bad)
	if _, err := c.CheckToken(t.Context(), TokenReference{Index: 1, URI: "https://example.com/statuslists/bad"}, "https://example.com"); !errors.Is(err, ErrStatusVerification) {
		t.Errorf("tampered: got %v, want %v", err, ErrStatusVerification)
	}
}
