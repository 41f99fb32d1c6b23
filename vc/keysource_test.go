package vc_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// checkVerifyErr fails unless err matches want (nil: no error) and, when it is an error,
// is a *vc.VerifyError.
func checkVerifyErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) || (want == nil) != (err == nil) {
		t.Fatalf("got %v, want %v", err, want)
	}
	if err != nil {
		checkRefused(t, err)
	}
}

// testCA is a certificate authority of a test PKI.
type testCA struct {
	cert *x509.Certificate
	der  []byte
	key  crypto.Signer
}

func serialNumber(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// newTestCA makes a root (parent nil) or an intermediate CA valid around now.
func newTestCA(t *testing.T, name string, parent *testCA) *testCA {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serialNumber(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	parentCert, parentKey := tmpl, crypto.Signer(k)
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, k.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, der: der, key: k}
}

// leaf certifies pub, valid from an hour before now to a day after, changed by mod.
func (ca *testCA) leaf(t *testing.T, pub crypto.PublicKey, mod func(*x509.Certificate)) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: serialNumber(t),
		Subject:      pkix.Name{CommonName: "issuer"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if mod != nil {
		mod(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, pub, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func uriSAN(t *testing.T, s string) func(*x509.Certificate) {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return func(c *x509.Certificate) { c.URIs = []*url.URL{u} }
}

func dnsSAN(host string) func(*x509.Certificate) {
	return func(c *x509.Certificate) { c.DNSNames = []string{host} }
}

// x5c encodes certificates as an x5c header value: standard base64 DER, leaf first.
func x5c(ders ...[]byte) []string {
	out := make([]string, len(ders))
	for i, d := range ders {
		out[i] = base64.StdEncoding.EncodeToString(d)
	}
	return out
}

// x5cToken signs payload with s under a vc+jwt header carrying chain (and kid, if any).
func x5cToken(t *testing.T, s keys.Signer, alg, kid string, chain []string, payload string) []byte {
	t.Helper()
	h := map[string]any{"alg": alg, "typ": "vc+jwt"}
	if chain != nil {
		h["x5c"] = chain
	}
	if kid != "" {
		h["kid"] = kid
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return forge(t, s, string(hdr), payload)
}

func generate(t *testing.T, kt keys.KeyType) keys.Signer {
	t.Helper()
	s, err := keys.Generate(kt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestX509Keys(t *testing.T) {
	const (
		issuer     = "https://issuer.example/tenant"
		httpIssuer = "http://issuer.example/tenant"
	)
	root := newTestCA(t, "root", nil)
	inter := newTestCA(t, "intermediate", root)
	strangerInter := newTestCA(t, "stranger intermediate", newTestCA(t, "stranger root", nil))
	roots := x509.NewCertPool()
	roots.AddCert(root.cert)

	ec, ed, other := generate(t, keys.P256), generate(t, keys.Ed25519), generate(t, keys.P256)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecLeaf := inter.leaf(t, ec.Public(), uriSAN(t, issuer))
	edLeaf := inter.leaf(t, ed.Public(), dnsSAN("issuer.example"))
	didIssuer := newParty(t, keys.P256)

	cred := credentialJSON(issuer, "did:example:alice")
	repeat := func(n int) []string {
		chain := []string{x5c(ecLeaf)[0]}
		for range n - 1 {
			chain = append(chain, x5c(inter.der)[0])
		}
		return chain
	}

	type tc struct {
		name      string
		token     []byte
		keysClock func() time.Time // the X509Keys clock; nil: the verifier's
		roots     *x509.CertPool   // nil: roots
		refuseX5C bool             // build the verifier without AllowX5C
		want      error
	}
	cases := []tc{
		{name: "P-256 leaf named by URI SAN", token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der), cred)},
		{name: "Ed25519 leaf named by DNS SAN", token: x5cToken(t, ed, "EdDSA", "", x5c(edLeaf, inter.der), cred)},
		{name: "root included", token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der, root.der), cred)},
		{name: "kid beside x5c", token: x5cToken(t, ec, "ES256", "key-1", x5c(ecLeaf, inter.der), cred)},
		{name: "10 certificates", token: x5cToken(t, ec, "ES256", "", repeat(10), cred)},
		{name: "chain to an unknown root", want: vc.ErrUntrustedKeySource,
			token: x5cToken(t, ec, "ES256", "", x5c(strangerInter.leaf(t, ec.Public(), uriSAN(t, issuer)), strangerInter.der), cred)},
		{name: "empty root pool", roots: x509.NewCertPool(), want: vc.ErrUntrustedKeySource,
			token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der), cred)},
		{name: "intermediate missing", want: vc.ErrUntrustedKeySource, token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf), cred)},
		{name: "leaf expired by the key source's clock", keysClock: func() time.Time { return now.Add(48 * time.Hour) },
			want: vc.ErrUntrustedKeySource, token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der), cred)},
		{name: "leaf not yet valid by the key source's clock", keysClock: func() time.Time { return now.Add(-2 * time.Hour) },
			want: vc.ErrUntrustedKeySource, token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der), cred)},
		{name: "leaf names another issuer", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, ec, "ES256", "", x5c(inter.leaf(t, ec.Public(), uriSAN(t, "https://other.example/tenant")), inter.der), cred)},
		{name: "leaf URI SAN with another path", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, ec, "ES256", "", x5c(inter.leaf(t, ec.Public(), uriSAN(t, "https://issuer.example/other")), inter.der), cred)},
		{name: "leaf names another host", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, ed, "EdDSA", "", x5c(inter.leaf(t, ed.Public(), dnsSAN("other.example")), inter.der), cred)},
		{name: "leaf names nothing", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, ec, "ES256", "", x5c(inter.leaf(t, ec.Public(), nil), inter.der), cred)},
		{name: "issuer not https", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, ec, "ES256", "", x5c(inter.leaf(t, ec.Public(), uriSAN(t, httpIssuer)), inter.der), credentialJSON(httpIssuer, "did:example:alice"))},
		{name: "issuer a DID", want: vc.ErrIssuerMismatch,
			token: x5cToken(t, didIssuer.signer, "ES256", didIssuer.kid, x5c(inter.leaf(t, didIssuer.signer.Public(), uriSAN(t, didIssuer.did)), inter.der), credentialJSON(didIssuer.did, "did:example:alice"))},
		{name: "garbage base64", want: vc.ErrMalformed, token: x5cToken(t, ec, "ES256", "", []string{"not base64!"}, cred)},
		{name: "base64url instead of base64", want: vc.ErrMalformed,
			token: x5cToken(t, ec, "ES256", "", []string{base64.RawURLEncoding.EncodeToString(ecLeaf), x5c(inter.der)[0]}, cred)},
		{name: "garbage DER", want: vc.ErrMalformed, token: x5cToken(t, ec, "ES256", "", x5c([]byte("not a certificate"), inter.der), cred)},
		{name: "empty x5c", want: vc.ErrMalformed, token: x5cToken(t, ec, "ES256", "", []string{}, cred)},
		{name: "11 certificates", want: vc.ErrTooLarge, token: x5cToken(t, ec, "ES256", "", repeat(11), cred)},
		{name: "RSA leaf key", want: vc.ErrUnsupportedKeyType,
			token: x5cToken(t, ec, "ES256", "", x5c(inter.leaf(t, rsaKey.Public(), uriSAN(t, issuer)), inter.der), cred)},
		{name: "signed by a key other than the leaf's", want: vc.ErrInvalidSignature,
			token: x5cToken(t, other, "ES256", "", x5c(ecLeaf, inter.der), cred)},
		{name: "alg of another key type", want: vc.ErrAlgorithmKeyMismatch,
			token: x5cToken(t, ed, "EdDSA", "", x5c(ecLeaf, inter.der), cred)},
		{name: "no x5c", want: vc.ErrUntrustedKeySource, token: x5cToken(t, ec, "ES256", "key-1", nil, cred)},
		{name: "x5c refused without AllowX5C", refuseX5C: true, want: vc.ErrUntrustedKeySource,
			token: x5cToken(t, ec, "ES256", "", x5c(ecLeaf, inter.der), cred)},
	}
	trust := trustOnly(t, issuer, httpIssuer, didIssuer.did)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pool := roots
			if c.roots != nil {
				pool = c.roots
			}
			kc := c.keysClock
			if kc == nil {
				kc = clock
			}
			xk, err := vc.NewX509Keys(pool, kc)
			if err != nil {
				t.Fatal(err)
			}
			v := verifier(t, vc.VerifierOptions{Keys: xk, AllowX5C: !c.refuseX5C, Trust: trust})
			got, err := v.VerifyCredential(context.Background(), c.token)
			checkVerifyErr(t, err, c.want)
			if err != nil {
				if got != nil {
					t.Fatal("a result with an error")
				}
				return
			}
			if got.Issuer() != issuer {
				t.Errorf("issuer %s", got.Issuer())
			}
		})
	}

	if xk, err := vc.NewX509Keys(nil, clock); !errors.Is(err, vc.ErrInvalidOptions) || xk != nil {
		t.Errorf("nil roots: got %v, %v", xk, err)
	}
	// A DID issuer is not X509Keys' business: a KeyChain passes it on.
	xk, err := vc.NewX509Keys(roots, clock)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := vc.NewDIDKeys(did.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xk.Key(context.Background(), vc.KeyRequest{Issuer: issuer, Relationship: did.AssertionMethod}); !errors.Is(err, vc.ErrUntrustedKeySource) {
		t.Errorf("no chain: %v", err)
	}
	if _, err := (vc.KeyChain{xk, dk}).Key(context.Background(), vc.KeyRequest{Issuer: issuer}); !errors.Is(err, vc.ErrUntrustedKeySource) {
		t.Errorf("chain of sources that know nothing: %v", err)
	}
}

// jwkWithKid returns the public JWK of pub with kid (and use, if not empty) added.
func jwkWithKid(t *testing.T, pub crypto.PublicKey, kid, use string) string {
	t.Helper()
	raw, err := keys.JWK(pub)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if kid != "" {
		m["kid"] = kid
	}
	if use != "" {
		m["use"] = use
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func jwkSet(jwks ...string) string { return `{"keys":[` + strings.Join(jwks, ",") + `]}` }

// metadataServer is a loopback TLS server of JWT VC Issuer Metadata. routes maps a path
// to a JSON body in which $BASE stands for the server's own https URL; other paths are
// 404. It counts the requests it receives.
type metadataServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newMetadataServer(t *testing.T, routes map[string]string) *metadataServer {
	t.Helper()
	m := &metadataServer{}
	m.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.hits.Add(1)
		body, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, strings.ReplaceAll(body, "$BASE", "https://"+r.Host))
	}))
	t.Cleanup(m.Close)
	return m
}

func metadataKeys(t *testing.T, client *http.Client, opts vc.IssuerMetadataOptions) *vc.IssuerMetadataKeys {
	t.Helper()
	mk, err := vc.NewIssuerMetadataKeys(client, opts)
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

const wellKnown = "/.well-known/jwt-vc-issuer"

func TestIssuerMetadataKeys(t *testing.T) {
	k1, k2, k3 := generate(t, keys.P256), generate(t, keys.Ed25519), generate(t, keys.P384)
	j1, j2 := jwkWithKid(t, k1.Public(), "k1", ""), jwkWithKid(t, k2.Public(), "k2", "sig")
	// RFC 7517 Appendix A.1: an RSA key, outside policy, which the set may carry for other uses.
	const rsaJWK = `{"kty":"RSA","kid":"rsa","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}`
	inline := func(issuer string, jwks ...string) string {
		return `{"issuer":"` + issuer + `","jwks":` + jwkSet(jwks...) + `}`
	}
	loopback := vc.IssuerMetadataOptions{AllowLoopback: true}

	type tc struct {
		name   string
		routes map[string]string
		path   string // the issuer is the server URL followed by path
		kid    string
		opts   vc.IssuerMetadataOptions
		want   error
		key    crypto.PublicKey // the key expected when want is nil
	}
	cases := []tc{
		{name: "inline jwks", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1, j2)},
			path: "/tenant", kid: "k2", opts: loopback, key: k2.Public()},
		{name: "jwks_uri", routes: map[string]string{
			wellKnown + "/tenant": `{"issuer":"$BASE/tenant","jwks_uri":"$BASE/keys/jwks.json"}`,
			"/keys/jwks.json":     jwkSet(j1, j2),
		}, path: "/tenant", kid: "k1", opts: loopback, key: k1.Public()},
		{name: "issuer without a path", routes: map[string]string{wellKnown: inline("$BASE", j1)},
			kid: "k1", opts: loopback, key: k1.Public()},
		{name: "issuer with a deeper path", routes: map[string]string{wellKnown + "/a/b": inline("$BASE/a/b", j1)},
			path: "/a/b", kid: "k1", opts: loopback, key: k1.Public()},
		{name: "one key and no kid", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1)},
			path: "/tenant", opts: loopback, key: k1.Public()},
		{name: "other members ignored", routes: map[string]string{wellKnown + "/tenant": `{"issuer":"$BASE/tenant","display":[{"name":"Tenant"}],"jwks":` + jwkSet(j1) + `}`},
			path: "/tenant", kid: "k1", opts: loopback, key: k1.Public()},
		{name: "keys outside policy skipped", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", rsaJWK, jwkWithKid(t, k3.Public(), "enc", "enc"), j1)},
			path: "/tenant", kid: "k1", opts: loopback, key: k1.Public()},
		{name: "RSA kid", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", rsaJWK, j1)},
			path: "/tenant", kid: "rsa", opts: loopback, want: vc.ErrVerificationMethodNotFound},
		{name: "encryption key kid", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", jwkWithKid(t, k3.Public(), "enc", "enc"), j1)},
			path: "/tenant", kid: "enc", opts: loopback, want: vc.ErrVerificationMethodNotFound},
		{name: "metadata names another issuer", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/other", j1)},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrIssuerMismatch},
		{name: "metadata of the host for a path issuer", routes: map[string]string{wellKnown: inline("$BASE", j1)},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrUntrustedKeySource},
		{name: "jwks and jwks_uri", routes: map[string]string{
			wellKnown + "/tenant": `{"issuer":"$BASE/tenant","jwks":` + jwkSet(j1) + `,"jwks_uri":"$BASE/jwks.json"}`,
			"/jwks.json":          jwkSet(j1),
		}, path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrMalformed},
		{name: "no keys", routes: map[string]string{wellKnown + "/tenant": `{"issuer":"$BASE/tenant"}`},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrMalformed},
		{name: "not JSON", routes: map[string]string{wellKnown + "/tenant": `issuer: me`},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrMalformed},
		{name: "duplicate member", routes: map[string]string{wellKnown + "/tenant": `{"issuer":"$BASE/tenant","issuer":"$BASE/tenant","jwks":` + jwkSet(j1) + `}`},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrMalformed},
		{name: "unknown kid", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1, j2)},
			path: "/tenant", kid: "k9", opts: loopback, want: vc.ErrVerificationMethodNotFound},
		{name: "no kid and two keys", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1, j2)},
			path: "/tenant", opts: loopback, want: vc.ErrMissingKeyID},
		{name: "duplicate kid", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1, jwkWithKid(t, k3.Public(), "k1", ""))},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrMalformed},
		{name: "jwks_uri not found", routes: map[string]string{wellKnown + "/tenant": `{"issuer":"$BASE/tenant","jwks_uri":"$BASE/missing.json"}`},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrNotFound},
		{name: "metadata not found", routes: map[string]string{},
			path: "/tenant", kid: "k1", opts: loopback, want: vc.ErrUntrustedKeySource},
		{name: "loopback refused", routes: map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1)},
			path: "/tenant", kid: "k1", want: vc.ErrForbiddenAddress},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newMetadataServer(t, c.routes)
			mk := metadataKeys(t, srv.Client(), c.opts)
			got, err := mk.Key(context.Background(), vc.KeyRequest{Issuer: srv.URL + c.path, KeyID: c.kid, Relationship: did.AssertionMethod})
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if err == nil && !keys.Equal(got, c.key) {
				t.Fatalf("got key %v, want %v", got, c.key)
			}
			if err != nil && got != nil {
				t.Fatal("a key with an error")
			}
		})
	}

	t.Run("404 is an untrusted key source", func(t *testing.T) {
		srv := newMetadataServer(t, nil)
		_, err := metadataKeys(t, srv.Client(), loopback).Key(context.Background(), vc.KeyRequest{Issuer: srv.URL + "/tenant", KeyID: "k1"})
		if !errors.Is(err, vc.ErrUntrustedKeySource) || !errors.Is(err, vc.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("issuers that are not https URLs", func(t *testing.T) {
		srv := newMetadataServer(t, map[string]string{wellKnown + "/tenant": inline("$BASE/tenant", j1)})
		mk := metadataKeys(t, srv.Client(), loopback)
		plain := "http://" + strings.TrimPrefix(srv.URL, "https://") + "/tenant"
		for _, iss := range []string{plain, "did:example:issuer", srv.URL + "/tenant?x=1", srv.URL + "/tenant#f", "https://user@" + strings.TrimPrefix(srv.URL, "https://") + "/tenant", ""} {
			if _, err := mk.Key(context.Background(), vc.KeyRequest{Issuer: iss, KeyID: "k1"}); !errors.Is(err, vc.ErrUntrustedKeySource) {
				t.Errorf("%q: got %v, want ErrUntrustedKeySource", iss, err)
			}
		}
		if n := srv.hits.Load(); n != 0 {
			t.Errorf("%d requests for issuers that are not fetched", n)
		}
	})
	t.Run("nil client", func(t *testing.T) {
		if mk, err := vc.NewIssuerMetadataKeys(nil, loopback); err == nil || mk != nil {
			t.Fatalf("got %v, %v", mk, err)
		}
	})
}

func TestIssuerMetadataKeysCache(t *testing.T) {
	k1, k2 := generate(t, keys.P256), generate(t, keys.Ed25519)
	srv := newMetadataServer(t, map[string]string{
		wellKnown + "/tenant": `{"issuer":"$BASE/tenant","jwks_uri":"$BASE/jwks.json"}`,
		"/jwks.json":          jwkSet(jwkWithKid(t, k1.Public(), "k1", ""), jwkWithKid(t, k2.Public(), "k2", "")),
	})
	at := now
	mk := metadataKeys(t, srv.Client(), vc.IssuerMetadataOptions{AllowLoopback: true, CacheTTL: time.Minute, Clock: func() time.Time { return at }})
	ctx := context.Background()
	issuer := srv.URL + "/tenant"
	key := func(kid string) {
		t.Helper()
		if _, err := mk.Key(ctx, vc.KeyRequest{Issuer: issuer, KeyID: kid}); err != nil {
			t.Fatal(err)
		}
	}
	key("k1") // metadata and JWK set: 2 requests
	key("k2")
	at = at.Add(59 * time.Second)
	key("k1")
	if n := srv.hits.Load(); n != 2 {
		t.Fatalf("%d requests within the TTL, want 2", n)
	}
	// An unknown kid is answered from the cache too: it must not make a fetch per token.
	if _, err := mk.Key(ctx, vc.KeyRequest{Issuer: issuer, KeyID: "k9"}); !errors.Is(err, vc.ErrVerificationMethodNotFound) {
		t.Fatal(err)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Fatalf("%d requests after an unknown kid, want 2", n)
	}
	at = at.Add(2 * time.Second)
	key("k1")
	if n := srv.hits.Load(); n != 4 {
		t.Fatalf("%d requests after the TTL, want 4", n)
	}
}

func TestIssuerMetadataKeysVerify(t *testing.T) {
	k1, k2 := generate(t, keys.P256), generate(t, keys.Ed25519)
	srv := newMetadataServer(t, map[string]string{
		wellKnown + "/tenant": `{"issuer":"$BASE/tenant","jwks":` + jwkSet(jwkWithKid(t, k1.Public(), "k1", ""), jwkWithKid(t, k2.Public(), "k2", "")) + `}`,
	})
	issuer := srv.URL + "/tenant"
	mk := metadataKeys(t, srv.Client(), vc.IssuerMetadataOptions{AllowLoopback: true, Clock: clock})
	v := verifier(t, vc.VerifierOptions{Keys: mk, Trust: trustOnly(t, issuer)})
	ctx := context.Background()

	i, err := vc.NewIssuer(k1, "k1", vc.IssuerOptions{ID: issuer, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(ctx, parseCredential(t, credentialJSON("", "did:example:alice")), vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.VerifyCredential(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Issuer() != issuer || got.Proof().KeyID != "k1" || got.Proof().Algorithm != keys.ES256 {
		t.Fatalf("verified %s %+v", got.Issuer(), got.Proof())
	}

	cred := credentialJSON(issuer, "did:example:alice")
	for _, c := range []struct {
		name  string
		token []byte
		want  error
	}{
		{"Ed25519 key", forge(t, k2, `{"alg":"EdDSA","typ":"vc+jwt","kid":"k2"}`, cred), nil},
		{"kid of the other key", forge(t, k1, `{"alg":"ES256","typ":"vc+jwt","kid":"k2"}`, cred), vc.ErrAlgorithmKeyMismatch},
		{"signed by a stranger", forge(t, generate(t, keys.P256), `{"alg":"ES256","typ":"vc+jwt","kid":"k1"}`, cred), vc.ErrInvalidSignature},
		{"no kid", forge(t, k1, `{"alg":"ES256","typ":"vc+jwt"}`, cred), vc.ErrMissingKeyID},
		{"issuer not in the trust list", forge(t, k1, `{"alg":"ES256","typ":"vc+jwt","kid":"k1"}`, credentialJSON(srv.URL+"/other", "did:example:alice")), vc.ErrUntrustedIssuer},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.VerifyCredential(ctx, c.token)
			checkVerifyErr(t, err, c.want)
		})
	}
}

// deactivatedResolver resolves through the embedded resolver and marks every document
// deactivated, as a resolver that is not a did.Registry may report it.
type deactivatedResolver struct{ did.Resolver }

func (r deactivatedResolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	res, err := r.Resolver.Resolve(ctx, id)
	if err != nil {
		return nil, err
	}
	c := *res
	c.DocumentMetadata.Deactivated = true
	return &c, nil
}

// countingResolver counts resolutions.
type countingResolver struct {
	did.Resolver
	n atomic.Int64
}

func (r *countingResolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	r.n.Add(1)
	return r.Resolver.Resolve(ctx, id)
}

func keyResolver(t *testing.T) did.Resolver {
	t.Helper()
	kr, err := key.New(key.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func TestDIDKeys(t *testing.T) {
	ctx := context.Background()
	iss := newParty(t, keys.Ed25519)
	frag := strings.TrimPrefix(iss.kid, iss.did) // "#z6Mk..."
	cred := credentialJSON(iss.did, "did:example:alice")
	hdr := func(kid string) string { return `{"alg":"EdDSA","typ":"vc+jwt","kid":"` + kid + `"}` }

	dk, err := vc.NewDIDKeys(keyResolver(t))
	if err != nil {
		t.Fatal(err)
	}
	req := func(kid string) vc.KeyRequest {
		return vc.KeyRequest{Issuer: iss.did, KeyID: kid, Relationship: did.AssertionMethod}
	}
	for _, c := range []struct {
		name, kid string
		want      error
	}{
		{"absolute kid", iss.kid, nil},
		{"relative kid", frag, nil},
		{"kid with a path", iss.did + "/path" + frag, vc.ErrVerificationMethodNotFound},
		{"kid with a query", iss.did + "?versionId=1" + frag, vc.ErrVerificationMethodNotFound},
		{"kid without a fragment", iss.did, vc.ErrVerificationMethodNotFound},
		{"unknown fragment", iss.did + "#other", vc.ErrVerificationMethodNotFound},
		{"kid of another DID", newParty(t, keys.Ed25519).kid, vc.ErrIssuerMismatch},
		{"no kid", "", vc.ErrMissingKeyID},
	} {
		t.Run(c.name, func(t *testing.T) {
			pub, err := dk.Key(ctx, req(c.kid))
			if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if err == nil && !keys.Equal(pub, iss.signer.Public()) {
				t.Fatal("another key")
			}
			if c.kid == "" {
				return // a vc+jwt of a DID issuer without kid fails earlier, in Parse
			}
			got, err := verifier(t, vc.VerifierOptions{Trust: trustOnly(t, iss.did)}).VerifyCredential(ctx, forge(t, iss.signer, hdr(c.kid), cred))
			checkVerifyErr(t, err, c.want)
			if err == nil && got.Proof().KeyID != c.kid {
				t.Errorf("proof key id %q", got.Proof().KeyID)
			}
		})
	}

	t.Run("deactivated", func(t *testing.T) {
		dead, err := vc.NewDIDKeys(deactivatedResolver{keyResolver(t)})
		if err != nil {
			t.Fatal(err)
		}
		if pub, err := dead.Key(ctx, req(iss.kid)); err == nil || pub != nil {
			t.Fatalf("deactivated DID: %v, %v", pub, err)
		}
		_, err = verifier(t, vc.VerifierOptions{Keys: dead, Trust: trustOnly(t, iss.did)}).VerifyCredential(ctx, forge(t, iss.signer, hdr(iss.kid), cred))
		var ve *vc.VerifyError
		if !errors.As(err, &ve) {
			t.Fatalf("deactivated DID: got %v, want a *vc.VerifyError", err)
		}
		// Through a did.Registry, the registry itself refuses the deactivated document.
		reg := did.NewRegistry()
		if err := reg.Register("key", deactivatedResolver{keyResolver(t)}); err != nil {
			t.Fatal(err)
		}
		_, err = verifier(t, vc.VerifierOptions{Resolver: reg, Trust: trustOnly(t, iss.did)}).VerifyCredential(ctx, forge(t, iss.signer, hdr(iss.kid), cred))
		if !errors.Is(err, did.ErrDeactivated) || !errors.As(err, &ve) {
			t.Fatalf("through a registry: got %v, want did.ErrDeactivated", err)
		}
	})

	t.Run("nil resolver", func(t *testing.T) {
		if dk, err := vc.NewDIDKeys(nil); err == nil || dk != nil {
			t.Fatalf("got %v, %v", dk, err)
		}
	})

	t.Run("issuer not a DID", func(t *testing.T) {
		const issuer = "https://issuer.example"
		if _, err := dk.Key(ctx, vc.KeyRequest{Issuer: issuer, KeyID: "key-1"}); !errors.Is(err, vc.ErrUntrustedKeySource) {
			t.Fatalf("got %v, want ErrUntrustedKeySource", err)
		}
		s := generate(t, keys.P256)
		var sk vc.StaticKeys
		if err := sk.Add(issuer, "key-1", s.Public()); err != nil {
			t.Fatal(err)
		}
		chain := vc.KeyChain{dk, &sk}
		pub, err := chain.Key(ctx, vc.KeyRequest{Issuer: issuer, KeyID: "key-1"})
		if err != nil || !keys.Equal(pub, s.Public()) {
			t.Fatalf("chain: %v", err)
		}
		// The DID source's own failures stop the chain.
		if _, err := chain.Key(ctx, req(iss.did+"#other")); !errors.Is(err, vc.ErrVerificationMethodNotFound) {
			t.Fatalf("chain, unknown DID key: %v", err)
		}
		v := verifier(t, vc.VerifierOptions{Keys: chain, Trust: trustOnly(t, issuer, iss.did)})
		if _, err := v.VerifyCredential(ctx, forge(t, s, `{"alg":"ES256","typ":"vc+jwt","kid":"key-1"}`, credentialJSON(issuer, "did:example:alice"))); err != nil {
			t.Fatalf("static issuer through the chain: %v", err)
		}
		if _, err := v.VerifyCredential(ctx, forge(t, iss.signer, hdr(frag), cred)); err != nil {
			t.Fatalf("DID issuer through the chain: %v", err)
		}
	})

	t.Run("resolved once for many credentials", func(t *testing.T) {
		cr := &countingResolver{Resolver: keyResolver(t)}
		v := verifier(t, vc.VerifierOptions{Resolver: cr, Trust: trustOnly(t, iss.did)})
		tok := forge(t, iss.signer, hdr(iss.kid), cred)
		for range 3 {
			if _, err := v.VerifyCredential(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		if n := cr.n.Load(); n != 1 {
			t.Errorf("%d resolutions, want 1", n)
		}
	})
}

// acceptingKeys answers every request with one key: a source that a KeyChain must never
// reach for an issuer an earlier source has refused.
type acceptingKeys struct{ pub crypto.PublicKey }

func (a acceptingKeys) Key(context.Context, vc.KeyRequest) (crypto.PublicKey, error) {
	return a.pub, nil
}

func TestDeactivatedDIDStopsKeyChain(t *testing.T) {
	iss := newParty(t, keys.Ed25519)
	dead, err := vc.NewDIDKeys(deactivatedResolver{keyResolver(t)})
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Keys: vc.KeyChain{dead, acceptingKeys{iss.signer.Public()}}, Trust: trustOnly(t, iss.did)})
	_, err = v.VerifyCredential(context.Background(), issue(t, iss, parseCredential(t, credentialJSON("", "did:example:alice")), vc.FormatJWT))
	checkVerifyErr(t, err, did.ErrDeactivated)
}

type failingResolver struct{}

func (failingResolver) Resolve(_ context.Context, id string) (*did.Resolution, error) {
	return nil, did.NewResolutionError(did.CodeInternalError, id, fmt.Errorf("%w: %w", did.ErrResolutionFailed, errors.New("connection refused")))
}

func TestDIDResolutionFailuresWrapVCSentinels(t *testing.T) {
	iss := newParty(t, keys.Ed25519)
	tok := issue(t, iss, parseCredential(t, credentialJSON("", "did:example:alice")), vc.FormatJWT)
	reg := did.NewRegistry()
	if err := reg.Register("key", deactivatedResolver{keyResolver(t)}); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]did.Resolver{"deactivated": reg, "resolution failed": failingResolver{}} {
		t.Run(name, func(t *testing.T) {
			_, err := verifier(t, vc.VerifierOptions{Resolver: r, Trust: trustOnly(t, iss.did)}).VerifyCredential(context.Background(), tok)
			checkRefused(t, err)
		})
	}
}

func TestNilConstructorArguments(t *testing.T) {
	if _, err := vc.NewIssuerMetadataKeys(nil, vc.IssuerMetadataOptions{}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("NewIssuerMetadataKeys(nil): %v", err)
	}
	if _, err := vc.NewX509Keys(nil, nil); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("NewX509Keys(nil): %v", err)
	}
	if _, err := vc.NewDIDKeys(nil); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("NewDIDKeys(nil): %v", err)
	}
}
