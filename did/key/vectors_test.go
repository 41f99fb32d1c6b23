package key

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

// vectorKey is the key a test vector gives for a DID: a JWK or base58 key bytes with the
// multicodec they belong to.
type vectorKey struct {
	jwk    json.RawMessage
	base58 string
	code   multicodec.Code
}

// publicKey decodes k.
func (k vectorKey) publicKey(t *testing.T) crypto.PublicKey {
	t.Helper()
	if k.jwk != nil {
		pub, err := keys.ParseJWK(k.jwk)
		if err != nil {
			t.Fatalf("vector JWK: %v", err)
		}
		return pub
	}
	_, raw, err := multibase.Decode("z" + k.base58)
	if err != nil {
		t.Fatalf("vector base58: %v", err)
	}
	pub, err := keys.ParseMultikey(keys.EncodeMultikey(k.code, raw))
	if err != nil {
		t.Fatalf("vector key: %v", err)
	}
	return pub
}

type method struct {
	Type            string          `json:"type"`
	PublicKeyBase58 string          `json:"publicKeyBase58"`
	PublicKeyJwk    json.RawMessage `json:"publicKeyJwk"`
}

// key returns the vector key of m, or false for a type outside policy.
func (m method) key() (vectorKey, bool) {
	if m.PublicKeyJwk != nil {
		return vectorKey{jwk: m.PublicKeyJwk}, true
	}
	codes := map[string]multicodec.Code{
		"Ed25519VerificationKey2018":        multicodec.Ed25519Pub,
		"X25519KeyAgreementKey2019":         multicodec.X25519Pub,
		"EcdsaSecp256k1VerificationKey2019": multicodec.Secp256k1Pub,
		"P256Key2021":                       multicodec.P256Pub,
		"Bls12381G2Key2020":                 multicodec.Bls12_381G2Pub,
	}
	code, ok := codes[m.Type]
	return vectorKey{base58: m.PublicKeyBase58, code: code}, ok
}

// vectorDID is one DID of the did:key test vectors.
type vectorDID struct {
	file, did string
	key       *vectorKey // nil for the specification's DIDs, which come without keys
	agreement *vectorKey // the derived X25519 key, for Ed25519 DIDs
	inPolicy  bool
}

// loadVectors reads every DID of test-vectors-2025-07 with its expected key.
func loadVectors(t *testing.T) []vectorDID {
	t.Helper()
	dir := filepath.Join(vectors.Dir(t, "did-key"), "test-vectors-2025-07")
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no vector files in %s: %v", dir, err)
	}
	var out []vectorDID
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Base(name)
		var entries map[string]struct {
			VerificationKeyPair *method         `json:"verificationKeyPair"`
			KeyAgreementKeyPair *method         `json:"keyAgreementKeyPair"`
			VerificationMethod  *method         `json:"verificationMethod"`
			PublicKeyJwk        json.RawMessage `json:"publicKeyJwk"`
			DIDDocument         json.RawMessage `json:"didDocument"`
		}
		if file == "x25519.json" {
			// {"didDocument": {did: document}}: the key is in the document.
			var f struct {
				DIDDocument map[string]struct {
					VerificationMethod []method `json:"verificationMethod"`
				} `json:"didDocument"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			for id, doc := range f.DIDDocument {
				k, ok := doc.VerificationMethod[0].key()
				out = append(out, vectorDID{file: file, did: id, key: &k, inPolicy: ok})
			}
			continue
		}
		if err := json.Unmarshal(data, &entries); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for id, e := range entries {
			v := vectorDID{file: file, did: id}
			var m *method
			switch {
			case e.VerificationKeyPair != nil:
				m = e.VerificationKeyPair
			case e.VerificationMethod != nil:
				m = e.VerificationMethod
			}
			switch {
			case m == nil: // RSA: publicKeyJwk at the top, out of policy
			case m.PublicKeyJwk != nil && file == "nist-curves.json":
				var jwk struct {
					Crv string `json:"crv"`
				}
				_ = json.Unmarshal(m.PublicKeyJwk, &jwk)
				v.key, v.inPolicy = &vectorKey{jwk: m.PublicKeyJwk}, jwk.Crv != "P-521"
			default:
				k, ok := m.key()
				// BLS12-381 G2 keys are in policy; the one G1+G2 DID (z5Tc...) is not.
				v.key, v.inPolicy = &k, ok && !strings.HasPrefix(id, "did:key:z5Tc")
			}
			if e.KeyAgreementKeyPair != nil {
				k, _ := e.KeyAgreementKeyPair.key()
				v.agreement = &k
			}
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file+out[i].did < out[j].file+out[j].did })
	return out
}

// TestVectors resolves every DID of the did:key test vectors and the DIDs the current
// specification prints. In-policy DIDs must resolve to a document whose key equals the
// vector's (and, for Ed25519, whose derived X25519 key equals keyAgreementKeyPair);
// RSA, P-521 and BLS12-381 G1+G2 DIDs must be rejected as unsupported key types;
// BLS12-381 G2 DIDs resolve.
func TestVectors(t *testing.T) {
	all := loadVectors(t)
	var specDIDs struct {
		DIDs map[string][]string `json:"dids"`
	}
	if err := json.Unmarshal(vectors.Read(t, "did-key", "spec-examples/test-vector-dids.json"), &specDIDs); err != nil {
		t.Fatal(err)
	}
	for kind, ids := range specDIDs.DIDs {
		for _, id := range ids {
			// The specification's BLS 12-381 DID is a G2 key (zUC7...), in policy.
			all = append(all, vectorDID{file: "spec:" + kind, did: id, inPolicy: true})
		}
	}
	derive, err := New(Options{EnableEncryptionKeyDerivation: true})
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := New(Options{PublicKeyFormat: FormatJsonWebKey2020})
	if err != nil {
		t.Fatal(err)
	}
	var passed, rejected int
	for _, v := range all {
		t.Run(v.file+"/"+short(v.did), func(t *testing.T) {
			res, err := derive.Resolve(context.Background(), v.did)
			if !v.inPolicy {
				var re *did.ResolutionError
				if !errors.Is(err, keys.ErrUnsupportedKeyType) || !errors.As(err, &re) || re.Code != did.CodeUnsupportedPublicKeyType || res != nil {
					t.Fatalf("out-of-policy DID: got %v, %v; want %s wrapping %v", res, err, did.CodeUnsupportedPublicKeyType, keys.ErrUnsupportedKeyType)
				}
				rejected++
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkDocument(t, res, v.did)
			got, err := res.Document.VerificationMethod[0].PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			if v.key != nil {
				if !keys.Equal(got, v.key.publicKey(t)) {
					t.Error("key differs from the vector's")
				}
			}
			if v.agreement != nil {
				ms, err := res.Document.Methods(did.KeyAgreement)
				if err != nil || len(ms) != 1 {
					t.Fatalf("keyAgreement: %v, %v", ms, err)
				}
				x, err := ms[0].PublicKey()
				if err != nil {
					t.Fatal(err)
				}
				if !keys.Equal(x, v.agreement.publicKey(t)) {
					t.Error("derived X25519 key differs from keyAgreementKeyPair")
				}
			}
			// The same DID as JsonWebKey2020 carries the same key as a JWK.
			res, err = jwk.Resolve(context.Background(), v.did)
			if err != nil {
				t.Fatal(err)
			}
			vm := res.Document.VerificationMethod[0]
			if vm.Type != FormatJsonWebKey2020 || vm.PublicKeyJwk == nil {
				t.Fatalf("JsonWebKey2020 method: %+v", vm)
			}
			pub, err := keys.ParseJWK(vm.PublicKeyJwk)
			if err != nil || !keys.Equal(pub, got) {
				t.Errorf("publicKeyJwk: %v", err)
			}
			passed++
		})
	}
	t.Logf("did:key vectors: %d passed, %d out of policy rejected", passed, rejected)
	if passed+rejected != len(all) {
		t.Errorf("%d of %d vectors failed", len(all)-passed-rejected, len(all))
	}
}

// TestSpecDocument checks the one document the current did:key specification prints:
// Ed25519 with the derived X25519 key, Multikey methods, the did/v1.1 context.
func TestSpecDocument(t *testing.T) {
	var want any
	if err := json.Unmarshal(vectors.Read(t, "did-key", "spec-examples/ed25519-x25519-did-document.json"), &want); err != nil {
		t.Fatal(err)
	}
	id := want.(map[string]any)["id"].(string)
	r, err := New(Options{EnableEncryptionKeyDerivation: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Resolve(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, documentJSON(t, res.Document)); diff != "" {
		t.Errorf("document (-spec +got):\n%s", diff)
	}
}

// documentJSON marshals doc and decodes it again, for a comparison that ignores member
// order and whitespace. package did writes a one-element @context as a string; JSON-LD
// reads "@context": "x" as ["x"], so the array form is restored for the comparison.
func documentJSON(t *testing.T, doc *did.Document) any {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if m, ok := v.(map[string]any); ok {
		if c, ok := m["@context"].(string); ok {
			m["@context"] = []any{c}
		}
	}
	return v
}
