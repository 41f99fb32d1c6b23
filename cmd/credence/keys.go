package main

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/jwk"
	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/did/web"
	"github.com/credence-dev/credence/keys"
)

// webTimeout bounds one did:web resolution.
const webTimeout = 10 * time.Second

const keysGenerateUsage = `usage: credence keys generate [--type ed25519|p256|p384|secp256k1] [--format jwk|multikey] [--out FILE]

Makes a fresh signing key and prints its private JWK, its public key (as a JWK or a
Multikey) and its DIDs (did:key and did:jwk) with the key ids (kid) to sign with.

Without --out the private JWK alone goes to stdout (so "> key.jwk" saves it) and the
summary to stderr; with --out FILE the private JWK is written to FILE with mode 0600
(an existing file is not overwritten) and the summary goes to stdout. With --json,
stdout holds one JSON object (with "privateJwk" only when there is no --out).

bls12381g2 (BBS) keys are not supported yet.`

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
	typ := f.String("type", "ed25519", "key type: ed25519, p256, p384 or secp256k1")
	format := f.String("format", "jwk", "public key format: jwk or multikey")
	out := f.String("out", "", "write the private JWK to `FILE` (mode 0600) instead of stdout")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *format != "jwk" && *format != "multikey" {
		return usagef("--format must be jwk or multikey, not %q", *format)
	}
	switch keys.KeyType(*typ) {
	case keys.Ed25519, keys.P256, keys.P384, keys.Secp256k1:
	case "bls12381g2":
		return errors.New("bls12381g2 keys are not supported yet")
	default:
		return usagef("--type must be ed25519, p256, p384 or secp256k1, not %q", *typ)
	}
	signer, err := keys.Generate(keys.KeyType(*typ))
	if err != nil {
		return err
	}
	priv, err := keys.PrivateJWK(signer)
	if err != nil {
		return err
	}
	info, err := describeKey(ctx, signer.Public(), *format)
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
	if err != nil {
		return nil, err
	}
	info := &keyInfo{KeyType: string(kt), Algorithm: alg}
	if format == "multikey" {
		mk, err := keys.Multikey(pub)
		if err != nil {
			return nil, err
		}
		info.PublicKey = mk
	} else {
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
	return nil, fmt.Errorf("reading the key in %s: %w", displayName(name), err)
}

const didResolveUsage = `usage: credence did resolve [--allow-network] [--did-document FILE ...] DID

Resolves DID and prints the resolution result (didDocument, didDocumentMetadata,
didResolutionMetadata) as JSON. did:key and did:jwk resolve offline; did:web needs
--allow-network (HTTPS only, public addresses only, 10 s timeout). --did-document
supplies DID documents locally, which take precedence over any method.`

func cmdDIDResolve(ctx context.Context, e *env, args []string) error {
	f := newFlags("did resolve", didResolveUsage)
	network := f.Bool("allow-network", false, "allow did:web resolution over HTTPS")
	var docs multi
	f.Var(&docs, "did-document", "a DID document `FILE` to resolve locally (repeatable)")
	pos, err := f.parse(e, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one DID, got %d arguments", len(pos))
	}
	reg, err := registryFromFiles(e, docs, *network)
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

// registryFromFiles builds the resolver of did resolve and verify from DID document files.
func registryFromFiles(e *env, files []string, network bool) (*did.Registry, error) {
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
	return newRegistry(docs, network)
}

// newRegistry resolves did:key and did:jwk offline, did:web when network is set, and the
// DIDs of docs from those documents.
func newRegistry(docs []*did.Document, network bool) (*did.Registry, error) {
	keyResolver, err := key.New(key.Options{})
	if err != nil {
		return nil, err
	}
	methods := map[string]did.Resolver{"key": keyResolver, "jwk": jwk.New()}
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
