package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// maxConfigBytes bounds the configuration file.
const maxConfigBytes = 1 << 20

// fileConfig is the configuration file: the issuer keys per base path, as private JWKs,
// and optionally the public base URL. Keys missing from the file are generated at start.
//
//	{"baseURL": "https://localhost:8443", "keys": {"/eddsa-rdfc-2022": {"kty": "OKP", ...}}}
type fileConfig struct {
	BaseURL string                     `json:"baseURL,omitempty"`
	Keys    map[string]json.RawMessage `json:"keys"`
}

// loadConfig reads a configuration file strictly: unknown members are an error.
func loadConfig(path string) (*fileConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("config %s: larger than %d bytes", path, maxConfigBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c fileConfig
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("config %s: data after the JSON object", path)
	}
	known := map[string]bool{}
	for _, p := range profiles() {
		known[p.Path] = configurableKey(p)
	}
	for path := range c.Keys {
		if !known[path] {
			return nil, fmt.Errorf("config: key for %q, which is not a base path with a configurable issuer key", path)
		}
	}
	return &c, nil
}

// writeNewConfig writes a configuration file with a fresh key for every base path that
// has an issuer, bbs-2023 excepted (see configurableKey). The file holds private keys: it is created with mode 0600 and never
// overwritten.
func writeNewConfig(path string) error {
	c := fileConfig{Keys: map[string]json.RawMessage{}}
	for _, p := range profiles() {
		if !configurableKey(p) {
			continue
		}
		s, err := keys.Generate(p.KeyType)
		if err != nil {
			return err
		}
		jwk, err := keys.PrivateJWK(s)
		if err != nil {
			return err
		}
		c.Keys[p.Path] = jwk
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// configurableKey reports whether the configuration file holds the key of p: every path
// with an issuer but bbs-2023, whose BBS key has no private JWK form and is made fresh at
// every start.
func configurableKey(p profile) bool {
	return p.KeyType != "" && p.KeyType != keys.BLS12381G2
}

// identity is the issuer of one base path: a did:key and its signer.
type identity struct {
	DID    string
	KeyID  string
	issuer *vc.Issuer
	signer keys.Signer // nil on the bbs-2023 path, whose key is a keys.BBSSigner
}

// newIdentity makes the issuer of p from the configured private JWK, or from a fresh key
// when jwk is nil. A configured key must be of the profile's key type. The bbs-2023 path
// always makes a fresh BBS key: JWK has no registered private form for BLS12-381 keys.
func newIdentity(p profile, jwk json.RawMessage) (*identity, error) {
	if p.KeyType == keys.BLS12381G2 {
		if jwk != nil {
			return nil, fmt.Errorf("key for %s: a BBS key cannot be configured as a JWK; the path makes a fresh one", p.Path)
		}
		sk, err := keys.GenerateBBSKey(nil)
		if err != nil {
			return nil, err
		}
		id, err := key.Create(sk.Public())
		if err != nil {
			return nil, err
		}
		keyID := id + "#" + strings.TrimPrefix(id, "did:key:")
		iss, err := vc.NewBBSIssuer(sk, keyID, vc.IssuerOptions{})
		if err != nil {
			return nil, err
		}
		return &identity{DID: id, KeyID: keyID, issuer: iss}, nil
	}
	var s keys.Signer
	var err error
	if jwk != nil {
		if s, err = keys.ParsePrivateJWK(jwk); err != nil {
			return nil, fmt.Errorf("key for %s: %w", p.Path, err)
		}
		kt, err := keys.TypeOf(s.Public())
		if err != nil {
			return nil, fmt.Errorf("key for %s: %w", p.Path, err)
		}
		if kt != p.KeyType {
			return nil, fmt.Errorf("key for %s is %s, the path needs %s", p.Path, kt, p.KeyType)
		}
	} else if s, err = keys.Generate(p.KeyType); err != nil {
		return nil, err
	}
	id, err := key.Create(s.Public())
	if err != nil {
		return nil, err
	}
	// did:key names its one verification method by the key's multibase value.
	keyID := id + "#" + strings.TrimPrefix(id, "did:key:")
	iss, err := vc.NewIssuer(s, keyID, vc.IssuerOptions{})
	if err != nil {
		return nil, err
	}
	return &identity{DID: id, KeyID: keyID, issuer: iss, signer: s}, nil
}
