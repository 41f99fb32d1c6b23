package jose

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// JWE: the one profile the library needs (encrypted OpenID4VP responses): compact
// serialization, alg ECDH-ES (direct key agreement, RFC 7518 §4.6) on P-256, enc
// A128GCM or A256GCM, no zip, no crit.
const (
	AlgECDHES  = "ECDH-ES"
	EncA128GCM = "A128GCM"
	EncA256GCM = "A256GCM"
)

// EncryptOptions are the header members of Encrypt.
type EncryptOptions struct {
	Enc string // EncA128GCM (if empty) or EncA256GCM
	Kid string // the recipient key's kid, if it has one
	Typ string // optional typ
	// APU and APV are the Agreement PartyUInfo and PartyVInfo, raw (written base64url).
	APU, APV []byte
}

// Encrypt encrypts plaintext to the P-256 public key pub as a compact JWE with a fresh
// ephemeral key.
func Encrypt(pub *ecdh.PublicKey, plaintext []byte, o EncryptOptions) ([]byte, error) {
	if pub == nil || pub.Curve() != ecdh.P256() {
		return nil, fmt.Errorf("jose: JWE recipient key is not a P-256 key: %w", errs.ErrUnsupportedKeyType)
	}
	if o.Enc == "" {
		o.Enc = EncA128GCM
	}
	keyLen, err := encKeyLen(o.Enc)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("jose: ephemeral key: %w", err)
	}
	z, err := eph.ECDH(pub)
	if err != nil {
		return nil, fmt.Errorf("jose: key agreement: %v: %w", err, errs.ErrInvalidKey)
	}
	raw := eph.PublicKey().Bytes() // 0x04 || X || Y
	hdr := map[string]any{
		"alg": AlgECDHES, "enc": o.Enc,
		"epk": map[string]string{"kty": "EC", "crv": "P-256", "x": b64.EncodeToString(raw[1:33]), "y": b64.EncodeToString(raw[33:])},
	}
	if o.Kid != "" {
		hdr["kid"] = o.Kid
	}
	if o.Typ != "" {
		hdr["typ"] = o.Typ
	}
	if len(o.APU) > 0 {
		hdr["apu"] = b64.EncodeToString(o.APU)
	}
	if len(o.APV) > 0 {
		hdr["apv"] = b64.EncodeToString(o.APV)
	}
	hj, err := json.Marshal(hdr)
	if err != nil {
		return nil, fmt.Errorf("jose: JWE header: %w", errMalformed)
	}
	cek := concatKDF(z, o.Enc, o.APU, o.APV, keyLen)
	aead, err := newGCM(cek)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, aead.NonceSize())
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	protected := b64.EncodeToString(hj)
	sealed := aead.Seal(nil, iv, plaintext, []byte(protected))
	ct, tag := sealed[:len(sealed)-aead.Overhead()], sealed[len(sealed)-aead.Overhead():]
	var out bytes.Buffer
	out.WriteString(protected)
	out.WriteString("..")
	out.WriteString(b64.EncodeToString(iv))
	out.WriteByte('.')
	out.WriteString(b64.EncodeToString(ct))
	out.WriteByte('.')
	out.WriteString(b64.EncodeToString(tag))
	return out.Bytes(), nil
}

// DecryptOptions say what Decrypt accepts.
type DecryptOptions struct {
	// Encs lists the accepted enc values; if empty, A128GCM and A256GCM.
	Encs []string
	// MaxBytes bounds the compact JWE; if 0, DefaultMaxBytes.
	MaxBytes int
}

// Decrypted is the result of Decrypt.
type Decrypted struct {
	Plaintext []byte
	Header    map[string]any // the protected header as decoded
	Kid       string         // its kid, "" when absent
}

// Decrypt decrypts a compact JWE made for priv under the profile of Encrypt: anything
// else (another alg or enc, zip, crit, an encrypted key, an ephemeral key off the curve)
// is refused before any decryption, and a failed authentication is ErrInvalidSignature.
func Decrypt(priv *ecdh.PrivateKey, token []byte, o DecryptOptions) (*Decrypted, error) {
	if priv == nil || priv.Curve() != ecdh.P256() {
		return nil, fmt.Errorf("jose: JWE key is not a P-256 key: %w", errs.ErrUnsupportedKeyType)
	}
	max := o.MaxBytes
	if max == 0 {
		max = DefaultMaxBytes
	}
	if len(token) > max {
		return nil, fmt.Errorf("jose: JWE of %d bytes exceeds %d: %w", len(token), max, errs.ErrTooLarge)
	}
	parts := bytes.Split(token, []byte("."))
	if len(parts) != 5 {
		return nil, fmt.Errorf("jose: JWE has %d parts, want 5: %w", len(parts), errMalformed)
	}
	if len(parts[1]) != 0 {
		return nil, fmt.Errorf("jose: JWE with an encrypted key under ECDH-ES: %w", errMalformed)
	}
	hj, err := b64.DecodeString(string(parts[0]))
	if err != nil {
		return nil, fmt.Errorf("jose: JWE header is not base64url: %w", errMalformed)
	}
	v, err := jsonx.Decode(hj, jsonx.Limits{MaxBytes: len(hj) + 1, MaxDepth: 4})
	if err != nil {
		return nil, fmt.Errorf("jose: JWE header: %w", err)
	}
	hdr, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: JWE header is not an object: %w", errMalformed)
	}
	for name := range hdr {
		switch name {
		case "alg", "enc", "epk", "kid", "typ", "cty", "apu", "apv":
		case "zip", "crit", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "p2s", "p2c", "iv", "tag":
			return nil, fmt.Errorf("jose: JWE header member %s is not accepted: %w", name, errs.ErrUnsupportedCritical)
		}
	}
	if alg, _ := hdr["alg"].(string); alg != AlgECDHES {
		return nil, fmt.Errorf("jose: JWE alg %v, want %s: %w", hdr["alg"], AlgECDHES, errs.ErrAlgorithmNotAllowed)
	}
	enc, _ := hdr["enc"].(string)
	encs := o.Encs
	if len(encs) == 0 {
		encs = []string{EncA128GCM, EncA256GCM}
	}
	if !slices.Contains(encs, enc) {
		return nil, fmt.Errorf("jose: JWE enc %q is not accepted: %w", enc, errs.ErrAlgorithmNotAllowed)
	}
	keyLen, err := encKeyLen(enc)
	if err != nil {
		return nil, err
	}
	epk, err := ephemeralKey(hdr["epk"])
	if err != nil {
		return nil, err
	}
	var apu, apv []byte
	for name, dst := range map[string]*[]byte{"apu": &apu, "apv": &apv} {
		if raw, ok := hdr[name]; ok {
			s, ok := raw.(string)
			if !ok {
				return nil, fmt.Errorf("jose: JWE %s is not a string: %w", name, errMalformed)
			}
			if *dst, err = b64.DecodeString(s); err != nil {
				return nil, fmt.Errorf("jose: JWE %s is not base64url: %w", name, errMalformed)
			}
		}
	}
	iv, err1 := b64.DecodeString(string(parts[2]))
	ct, err2 := b64.DecodeString(string(parts[3]))
	tag, err3 := b64.DecodeString(string(parts[4]))
	if err1 != nil || err2 != nil || err3 != nil || len(iv) != 12 || len(tag) != 16 {
		return nil, fmt.Errorf("jose: JWE iv, ciphertext or tag malformed: %w", errMalformed)
	}
	z, err := priv.ECDH(epk)
	if err != nil {
		return nil, fmt.Errorf("jose: key agreement: %v: %w", err, errs.ErrInvalidKey)
	}
	aead, err := newGCM(concatKDF(z, enc, apu, apv, keyLen))
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, iv, append(ct, tag...), parts[0])
	if err != nil {
		return nil, fmt.Errorf("jose: JWE does not decrypt: %w", errs.ErrInvalidSignature)
	}
	kid, _ := hdr["kid"].(string)
	return &Decrypted{Plaintext: pt, Header: hdr, Kid: kid}, nil
}

func encKeyLen(enc string) (int, error) {
	switch enc {
	case EncA128GCM:
		return 16, nil
	case EncA256GCM:
		return 32, nil
	}
	return 0, fmt.Errorf("jose: JWE enc %q: %w", enc, errs.ErrAlgorithmNotAllowed)
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ephemeralKey reads the epk header: a P-256 EC public JWK, on the curve.
func ephemeralKey(raw any) (*ecdh.PublicKey, error) {
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jose: JWE without an epk object: %w", errMalformed)
	}
	if m["kty"] != "EC" || m["crv"] != "P-256" {
		return nil, fmt.Errorf("jose: JWE epk is not a P-256 EC key: %w", errs.ErrUnsupportedKeyType)
	}
	if _, ok := m["d"]; ok {
		return nil, fmt.Errorf("jose: JWE epk holds a private key: %w", errs.ErrPrivateKeyMaterial)
	}
	xs, _ := m["x"].(string)
	ys, _ := m["y"].(string)
	x, err1 := b64.DecodeString(xs)
	y, err2 := b64.DecodeString(ys)
	if err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
		return nil, fmt.Errorf("jose: JWE epk coordinates malformed: %w", errs.ErrInvalidKey)
	}
	pub, err := ecdh.P256().NewPublicKey(slices.Concat([]byte{4}, x, y))
	if err != nil {
		return nil, fmt.Errorf("jose: JWE epk is not on P-256: %w", errs.ErrInvalidKey)
	}
	return pub, nil
}

// concatKDF is the Concat KDF of NIST SP 800-56A with SHA-256 as RFC 7518 §4.6.2 uses
// it for direct key agreement: AlgorithmID is the enc value.
func concatKDF(z []byte, enc string, apu, apv []byte, keyLen int) []byte {
	var info []byte
	lenPrefixed := func(b []byte) {
		info = binary.BigEndian.AppendUint32(info, uint32(len(b)))
		info = append(info, b...)
	}
	lenPrefixed([]byte(enc))
	lenPrefixed(apu)
	lenPrefixed(apv)
	info = binary.BigEndian.AppendUint32(info, uint32(keyLen*8))
	var out []byte
	for counter := uint32(1); len(out) < keyLen; counter++ {
		h := sha256.New()
		var c [4]byte
		binary.BigEndian.PutUint32(c[:], counter)
		h.Write(c[:])
		h.Write(z)
		h.Write(info)
		out = h.Sum(out)
	}
	return out[:keyLen]
}
