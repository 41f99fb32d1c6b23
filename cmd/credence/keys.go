package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/did/peer"
	"github.com/credence-dev/credence/did/universal"
	"github.com/credence-dev/credence/did/web"
	"github.com/credence-dev/credence/keys"
)

// webTimeout bounds one did:web resolution.
const webTimeout = 10 * time.Second

const keysGenerateUsage = `usage: credence keys generate [--type ed25519|p256|p384|secp256k1|bls12381g2] [--format jwk|multikey|pem] [--out FILE]

Makes a fresh signing key and prints its private JWK, its public key (as a JWK, a
Multikey or a PEM SubjectPublicKeyInfo) and its DIDs (did:key and did:jwk) with the key
ids (kid) to sign with. The private key is always written as a JWK, which every other
command reads.

Without --out the private JWK alone goes to stdout (so "> key.jwk" saves it) and the
summary to stderr; with --out FILE the private JWK is written to FILE with mode 0600
(an existing file is not overwritten) and the summary goes to stdout. With --json,
stdout holds one JSON object (with "privateJwk" only when there is no --out).

bls12381g2 makes a BBS key (BLS12-381 G2, for bbs-2023 Data Integrity proofs): its
private JWK is the public one of draft-ietf-cose-bls-key-representations with d, the
secret scalar. BBS keys sign no JWT: issue --format di signs bbs-2023 base proofs with them.`

// keyInfo describes a public key.
type keyInfo struct {
	PrivateJWK json.RawMessage `json:"privateJwk,omitempty"`
	Out        string          `json:"out,omitempty"`
	KeyType    string          `json:"keyType"`
	Algorithm  string          `json:"algorithm"`
	PublicKey  any             `json:"publicKey"`
	DIDKey     string          `json:"didKey"`
	DIDKeyKID  string          `json:"didKeyKid"`
	DIDJWK     string          `json:"didJwk"`
	DIDJWKKID  string          `json:"didJwkKid"`
}

func cmdKeysGenerate(ctx context.Context, e *env, args []string) error {
	f := newFlags("keys generate", keysGenerateUsage)
	typ := f.String("type", "ed25519", "key type: ed25519, p256, p384, secp256k1 or bls12381g2")
	format := f.String("format", "jwk", "public key format: jwk, multikey or pem")
	out := f.String("out", "", "write the private JWK to `FILE` (mode 0600) instead of stdout")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *format != "jwk" && *format != "multikey" && *format != "pem" {
		return usagef("--format must be jwk, multikey or pem, not %q", *format)
	}
	var pub crypto.PublicKey
	var priv []byte
	switch keys.KeyType(*typ) {
	case keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1:
		signer, err := keys.Generate(keys.KeyType(*typ))
		if err != nil {
			return err
		}
		if priv, err = keys.PrivateJWK(signer); err != nil {
			return err
		}
		pub = signer.Public()
	case keys.BLS12381G2:
		if *format == "pem" {
			return usagef("--format pem: BLS12-381 keys have no SubjectPublicKeyInfo; use jwk or multikey")
		}
		if pub, priv, err = generateBBS(); err != nil {
			return err
		}
	default:
		return usagef("--type must be ed25519, p256, p384, secp256k1 or bls12381g2, not %q", *typ)
	}
	info, err := describeKey(ctx, pub, *format)
	if err != nil {
		return err
	}
	e.log.Info("generated key", "type", info.KeyType, "algorithm", info.Algorithm)
	if *out != "" {
		if err := writeSecret(*out, priv); err != nil {
			return err
		}
		e.log.Info("wrote private key", "file", *out)
		info.Out = *out
	} else {
		info.PrivateJWK = priv
	}
	switch {
	case *f.json:
		return writeJSON(e.stdout, info)
	case *out == "":
		if err := writeLine(e.stdout, priv); err != nil {
			return err
		}
		printKeyInfo(e.stderr, info)
	default:
		printKeyInfo(e.stdout, info)
	}
	return nil
}

// generateBBS makes a BBS key (BLS12-381 G2) and returns its public key and its private
// JWK: the public JWK of draft-ietf-cose-bls-key-representations with the secret scalar
// as d.
func generateBBS() (crypto.PublicKey, []byte, error) {
	k, err := keys.GenerateBBSKey(nil)
	if err != nil {
		return nil, nil, err
	}
	pubJWK, err := keys.JWK(k.Public())
	if err != nil {
		return nil, nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(pubJWK, &m); err != nil {
		return nil, nil, err
	}
	m["d"] = base64.RawURLEncoding.EncodeToString(k.Bytes())
	priv, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return k.Public(), priv, nil
}

func printKeyInfo(w io.Writer, info *keyInfo) {
	pub := info.PublicKey
	if raw, ok := pub.(json.RawMessage); ok {
		pub = string(raw)
	}
	if info.Out != "" {
		fmt.Fprintf(w, "private key: %s\n", info.Out)
	}
	fmt.Fprintf(w, "key type:    %s (%s)\n", info.KeyType, info.Algorithm)
	fmt.Fprintf(w, "public key:  %s\n", pub)
	fmt.Fprintf(w, "did:key:     %s\n", info.DIDKey)
	fmt.Fprintf(w, "  kid:       %s\n", info.DIDKeyKID)
	fmt.Fprintf(w, "did:jwk:     %s\n", info.DIDJWK)
	fmt.Fprintf(w, "  kid:       %s\n", info.DIDJWKKID)
}

// writeSecret writes data to a new file only its owner can read.
func writeSecret(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func describeKey(ctx context.Context, pub crypto.PublicKey, format string) (*keyInfo, error) {
	kt, err := keys.TypeOf(pub)
	if err != nil {
		return nil, err
	}
	alg, err := keys.Algorithm(pub)
	if kt == keys.BLS12381G2 {
		alg, err = "BBS", nil // signs with BBS only (bbs-2023), never JOSE
	}
	if err != nil {
		return nil, err
	}
	info := &keyInfo{KeyType: string(kt), Algorithm: alg}
	switch format {
	case "multikey":
		mk, err := keys.Multikey(pub)
		if err != nil {
			return nil, err
		}
		info.PublicKey = mk
	case "pem":
		p, err := publicKeyPEM(pub)
		if err != nil {
			return nil, err
		}
		info.PublicKey = p
	default:
		j, err := keys.JWK(pub)
		if err != nil {
			return nil, err
		}
		info.PublicKey = json.RawMessage(j)
	}
	if info.DIDKey, info.DIDKeyKID, err = keyDID(ctx, pub, "key"); err != nil {
		return nil, err
	}
	if info.DIDJWK, info.DIDJWKKID, err = keyDID(ctx, pub, "jwk"); err != nil {
		return nil, err
	}
	return info, nil
}

// Object identifiers of RFC 5480 for a secp256k1 SubjectPublicKeyInfo, which crypto/x509
// does not write.
var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidSecp256k1   = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
)

// publicKeyPEM encodes pub as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo, RFC 5280).
func publicKeyPEM(pub crypto.PublicKey) (string, error) {
	var der []byte
	var err error
	if k, ok := pub.(*keys.Secp256k1PublicKey); ok {
		params, perr := asn1.Marshal(oidSecp256k1)
		if perr != nil {
			return "", perr
		}
		point := k.Uncompressed()
		der, err = asn1.Marshal(struct {
			Algorithm pkix.AlgorithmIdentifier
			PublicKey asn1.BitString
		}{pkix.AlgorithmIdentifier{Algorithm: oidECPublicKey, Parameters: asn1.RawValue{FullBytes: params}},
			asn1.BitString{Bytes: point, BitLength: 8 * len(point)}})
	} else {
		der, err = x509.MarshalPKIXPublicKey(pub)
	}
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// keyDID returns the did:key or did:jwk of pub and the id of its assertion key.
func keyDID(ctx context.Context, pub crypto.PublicKey, method string) (id, kid string, err error) {
	switch method {
	case "key":
		id, err = key.Create(pub)
	case "jwk":
		id, err = jwk.Create(pub)
	default:
		return "", "", usagef("--method must be key or jwk, not %q", method)
	}
	if err != nil {
		return "", "", err
	}
	reg, err := newRegistry(nil, false)
	if err != nil {
		return "", "", err
	}
	res, err := reg.Resolve(ctx, id)
	if err != nil {
		return "", "", err
	}
	methods, err := res.Document.Methods(did.AssertionMethod)
	if err != nil {
		return "", "", err
	}
	if len(methods) == 0 {
		return "", "", fmt.Errorf("the document of %s has no assertion key", id)
	}
	return id, methods[0].ID, nil
}

// loadKey reads a private JWK file.
func loadKey(e *env, name string) (keys.Signer, error) {
	if name == "" {
		return nil, usagef("--key FILE is required")
	}
	data, err := readInput(e, name)
	if err != nil {
		return nil, err
	}
	s, err := keys.ParsePrivateJWK(data)
	if err != nil {
		return nil, fmt.Errorf("reading the key in %s: %w", displayName(name), err)
	}
	return s, nil
}

// loadBBSKey reads a private BLS12-381 G2 JWK (as keys generate --type bls12381g2
// writes it); ok is false when the file holds another kind of key.
func loadBBSKey(e *env, name string) (k *keys.BBSPrivateKey, ok bool, err error) {
	if name == "" {
		return nil, false, nil
	}
	data, err := readInput(e, name)
	if err != nil {
		return nil, false, err
	}
	var jwk struct {
		Kty, Crv, D string
	}
	if json.Unmarshal(data, &jwk) != nil || jwk.Crv != "BLS12381G2" {
		return nil, false, nil
	}
	d, err := base64.RawURLEncoding.DecodeString(jwk.D)
	if err != nil || jwk.D == "" {
		return nil, true, fmt.Errorf("reading the key in %s: no private scalar d: %w", displayName(name), keys.ErrInvalidKey)
	}
	if k, err = keys.ParseBBSPrivateKey(d); err != nil {
		return nil, true, fmt.Errorf("reading the key in %s: %w", displayName(name), err)
	}
	return k, true, nil
}

const didCreateUsage = `usage: credence did create --key FILE [--method key|jwk]

Prints the DID of the key in FILE (a private or public JWK) and the id of its
verification method (the kid to sign with). With --json, also the DID document.`

func cmdDIDCreate(ctx context.Context, e *env, args []string) error {
	f := newFlags("did create", didCreateUsage)
	keyFile := f.String("key", "", "the key, a JWK `FILE` (\"-\" for stdin)")
	method := f.String("method", "key", "DID method: key or jwk")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *method != "key" && *method != "jwk" {
		return usagef("--method must be key or jwk, not %q", *method)
	}
	pub, err := loadPublicKey(e, *keyFile)
	if err != nil {
		return err
	}
	id, kid, err := keyDID(ctx, pub, *method)
	if err != nil {
		return err
	}
	if !*f.json {
		fmt.Fprintf(e.stdout, "did: %s\nkid: %s\n", id, kid)
		return nil
	}
	reg, err := newRegistry(nil, false)
	if err != nil {
		return err
	}
	res, err := reg.Resolve(ctx, id)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, struct {
		DID      string        `json:"did"`
		KID      string        `json:"kid"`
		Document *did.Document `json:"didDocument"`
	}{id, kid, res.Document})
}

// loadPublicKey reads a JWK file, public or private, and returns the public key.
func loadPublicKey(e *env, name string) (crypto.PublicKey, error) {
	if name == "" {
		return nil, usagef("--key FILE is required")
	}
	data, err := readInput(e, name)
	if err != nil {
		return nil, err
	}
	return parseAnyJWK(data, name)
}

func parseAnyJWK(data []byte, name string) (crypto.PublicKey, error) {
	pub, err := keys.ParseJWK(data)
	if err == nil {
		return pub, nil
	}
	if s, perr := keys.ParsePrivateJWK(data); perr == nil {
		return s.Public(), nil
	}
	// A BBS private JWK ("credence keys generate --type bls12381g2") without its secret.
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) == nil && string(m["crv"]) == `"BLS12381G2"` && m["d"] != nil {
		delete(m, "d")
		if pubJSON, merr := json.Marshal(m); merr == nil {
			if pub, perr := keys.ParseJWK(pubJSON); perr == nil {
				return pub, nil
			}
		}
	}
	return nil, fmt.Errorf("reading the key in %s: %w", displayName(name), err)
}

const didResolveUsage = `usage: credence did resolve [--allow-network [--resolver URL --resolver-method METHOD ...]] [--did-document FILE ...] DID

Resolves DID and prints the resolution result (didDocument, didDocumentMetadata,
didResolutionMetadata) as JSON. did:key, did:jwk and did:peer (numalgo 0, 2 and long
form 4) resolve offline; did:web needs --allow-network (HTTPS only, public addresses
only, 10 s timeout). --did-document supplies DID documents locally, which take
precedence over any method.

--resolver URL --resolver-method ion sends DIDs of the methods named (and only those)
to a DID resolution server such as a Universal Resolver (GET URL/1.0/identifiers/DID,
HTTPS only). That server decides what those DIDs mean: use one you operate or trust.`

func cmdDIDResolve(ctx context.Context, e *env, args []string) error {
	f := newFlags("did resolve", didResolveUsage)
	net := addNetFlags(f, "did:web resolution")
	var docs multi
	f.Var(&docs, "did-document", "a DID document `FILE` to resolve locally (repeatable)")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one DID, got %d arguments", len(pos))
	}
	if err := net.check(); err != nil {
		return err
	}
	network := net.allow
	reg, err := registryFromFiles(e, docs, net)
	if err != nil {
		return err
	}
	e.log.Info("resolving", "did", pos[0], "methods", strings.Join(reg.Methods(), ","))
	res, err := reg.Resolve(ctx, pos[0])
	if err != nil {
		var re *did.ResolutionError
		if errors.As(err, &re) && re.Code == did.CodeMethodNotSupported && strings.HasPrefix(pos[0], "did:web:") && !*network {
			return fmt.Errorf("%w (did:web needs --allow-network)", err)
		}
		return err
	}
	return writeJSON(e.stdout, res)
}

// netFlags are the flags that open the network to DID resolution.
type netFlags struct {
	allow    *bool
	resolver *string
	methods  multi
}

func addNetFlags(f *flags, what string) *netFlags {
	n := &netFlags{}
	n.allow = f.Bool("allow-network", false, "allow "+what+" over HTTPS (public hosts only)")
	n.resolver = f.String("resolver", "", "with --allow-network: a DID resolution server `URL` (such as a Universal Resolver) for the --resolver-method DIDs")
	f.Var(&n.methods, "resolver-method", "a DID `METHOD` to resolve through --resolver (repeatable)")
	return n
}

func (n *netFlags) check() error {
	switch {
	case *n.resolver != "" && !*n.allow:
		return usagef("--resolver needs --allow-network")
	case *n.resolver != "" && len(n.methods) == 0:
		return usagef("--resolver needs at least one --resolver-method: only the methods named are sent to it")
	case *n.resolver == "" && len(n.methods) > 0:
		return usagef("--resolver-method needs --resolver")
	}
	for _, m := range n.methods {
		if m == "key" || m == "jwk" || m == "peer" {
			return usagef("--resolver-method %s: did:%s resolves offline", m, m)
		}
	}
	return nil
}

// registryFromFiles builds the resolver of did resolve and verify from DID document files.
func registryFromFiles(e *env, files []string, net *netFlags) (*did.Registry, error) {
	var docs []*did.Document
	for _, name := range files {
		data, err := readInput(e, name)
		if err != nil {
			return nil, err
		}
		doc, err := did.ParseDocument(data)
		if err != nil {
			return nil, fmt.Errorf("reading the DID document in %s: %w", displayName(name), err)
		}
		docs = append(docs, doc)
		e.log.Info("local DID document", "did", doc.ID, "file", displayName(name))
	}
	reg, err := newRegistry(docs, *net.allow)
	if err != nil || *net.resolver == "" {
		return reg, err
	}
	ur, err := universal.New(&http.Client{Timeout: webTimeout}, universal.Options{BaseURL: *net.resolver, Methods: net.methods, Timeout: webTimeout})
	if err != nil {
		return nil, usagef("--resolver: %v", err)
	}
	for _, m := range net.methods {
		if slices.Contains(reg.Methods(), m) {
			return nil, usagef("--resolver-method %s: did:%s is resolved locally", m, m)
		}
		if err := reg.Register(m, ur); err != nil {
			return nil, err
		}
	}
	e.log.Info("remote DID resolution", "server", *net.resolver, "methods", strings.Join(net.methods, ","))
	return reg, nil
}

// newRegistry resolves did:key, did:jwk and did:peer offline, did:web when network is
// set, and the DIDs of docs from those documents.
func newRegistry(docs []*did.Document, network bool) (*did.Registry, error) {
	keyResolver, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	methods := map[string]did.Resolver{"key": keyResolver, "jwk": jwk.New(), "peer": peer.New(peer.Options{})}
	if network {
		w, err := web.New(&http.Client{Timeout: webTimeout}, web.Options{Timeout: webTimeout})
		if err != nil {
			return nil, err
		}
		methods["web"] = w
	}
	local := map[string]map[string]*did.Resolution{}
	for _, doc := range docs {
		d, err := did.Parse(doc.ID)
		if err != nil {
			return nil, fmt.Errorf("DID document id %q: %w", doc.ID, err)
		}
		if local[d.Method] == nil {
			local[d.Method] = map[string]*did.Resolution{}
		}
		if _, dup := local[d.Method][doc.ID]; dup {
			return nil, usagef("two DID documents for %s", doc.ID)
		}
		local[d.Method][doc.ID] = &did.Resolution{Document: doc,
			ResolutionMetadata: did.ResolutionMetadata{ContentType: "application/did+ld+json"}}
	}
	reg := did.NewRegistry()
	for m, docs := range local {
		if err := reg.Register(m, &localResolver{docs: docs, next: methods[m]}); err != nil {
			return nil, err
		}
		delete(methods, m)
	}
	for m, r := range methods {
		if err := reg.Register(m, r); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// localResolver serves DID documents supplied on the command line, and passes other DIDs
// of its method to next (if any).
type localResolver struct {
	docs map[string]*did.Resolution
	next did.Resolver
}

func (l *localResolver) Resolve(ctx context.Context, id string) (*did.Resolution, error) {
	if r, ok := l.docs[id]; ok {
		return r.Clone(), nil
	}
	if l.next != nil {
		return l.next.Resolve(ctx, id)
	}
	return nil, did.NewResolutionError(did.CodeNotFound, id, nil)
}
