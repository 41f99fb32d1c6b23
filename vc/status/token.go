package status

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// TokenStatus is a status value of a Token Status List (draft-ietf-oauth-status-list §7).
type TokenStatus uint8

// Registered token status values. 0x03 and 0x0C to 0x0F are application-specific; the
// others are reserved.
const (
	TokenValid     TokenStatus = 0x00
	TokenInvalid   TokenStatus = 0x01
	TokenSuspended TokenStatus = 0x02
)

// String names the registered values and prints the others in hexadecimal.
func (s TokenStatus) String() string {
	switch s {
	case TokenValid:
		return "VALID"
	case TokenInvalid:
		return "INVALID"
	case TokenSuspended:
		return "SUSPENDED"
	}
	return fmt.Sprintf("0x%02X", uint8(s))
}

// TokenTyp is the JWT typ of a Status List Token; the verification callback checks it.
const TokenTyp = "statuslist+jwt"

// TokenMediaType is what a Checker asks for when it fetches a Status List Token.
const TokenMediaType = "application/statuslist+jwt"

// TokenReference is the status_list member of a Referenced Token's status claim
// ({"status_list": {"idx": 0, "uri": "https://..."}}).
type TokenReference struct {
	Index int    // idx
	URI   string // uri: where the Status List Token is
}

// MarshalJSON writes the reference as a status claim value: {"status_list":{"idx":..,"uri":..}}.
func (r TokenReference) MarshalJSON() ([]byte, error) {
	if r.Index < 0 || r.URI == "" {
		return nil, fmt.Errorf("status: status_list: %w: negative idx or empty uri", ErrInvalidOptions)
	}
	return json.Marshal(map[string]any{"status_list": map[string]any{"idx": r.Index, "uri": r.URI}})
}

// ParseTokenReference parses a status claim (the JSON object) and returns its status_list
// reference. idx must be a non-negative JSON integer (else ErrStatusIndex), uri an absolute
// URL; a status claim without status_list is ErrUnsupportedFormat.
func ParseTokenReference(statusClaim []byte) (TokenReference, error) {
	m, err := decodeObject(statusClaim, "status")
	if err != nil {
		return TokenReference{}, err
	}
	v, ok := m["status_list"]
	if !ok {
		return TokenReference{}, fmt.Errorf("status: status claim without status_list: %w", ErrUnsupportedFormat)
	}
	sl, ok := v.(map[string]any)
	if !ok {
		return TokenReference{}, fmt.Errorf("status: status_list: %w: not an object", ErrMalformed)
	}
	iv, ok := sl["idx"]
	if !ok {
		return TokenReference{}, fmt.Errorf("status: status_list.idx: %w: missing", ErrStatusIndex)
	}
	idx, err := integer(iv, "status_list.idx", ErrStatusIndex)
	if err != nil {
		return TokenReference{}, err
	}
	if idx >= maxIndex {
		return TokenReference{}, fmt.Errorf("status: status_list.idx: %w: past every list", ErrStatusRange)
	}
	uri, err := reqString(sl, "uri")
	if err != nil {
		return TokenReference{}, err
	}
	if err := absURL(uri, "status_list.uri"); err != nil {
		return TokenReference{}, err
	}
	return TokenReference{Index: int(idx), URI: uri}, nil
}

// TokenList is the Status List of a Status List Token: Bits bits per entry (1, 2, 4 or 8),
// entry 0 in the least significant bits of the first byte (draft §4.1). Get is safe for
// concurrent use; Set is not safe concurrently with any other call.
type TokenList struct {
	lst  []byte
	bits int
}

func validBits(bits int) bool { return bits == 1 || bits == 2 || bits == 4 || bits == 8 }

// NewTokenList returns a list of size entries (at least 1) of bits bits (1, 2, 4 or 8),
// all VALID; the inflated list may be at most DefaultMaxListBytes.
func NewTokenList(size, bits int) (*TokenList, error) {
	if !validBits(bits) {
		return nil, fmt.Errorf("status: bits %d: %w: want 1, 2, 4 or 8", bits, ErrInvalidOptions)
	}
	if size < 1 || size > DefaultMaxListBytes*8/bits {
		return nil, fmt.Errorf("status: list of %d entries: %w", size, ErrInvalidOptions)
	}
	return &TokenList{lst: make([]byte, (size*bits+7)/8), bits: bits}, nil
}

// Len returns the number of entries (the byte length times 8 / Bits).
func (l *TokenList) Len() int { return len(l.lst) * 8 / l.bits }

// Bits returns the bits per entry.
func (l *TokenList) Bits() int { return l.bits }

// Get returns entry i; an index outside the list is ErrStatusRange.
func (l *TokenList) Get(i int) (TokenStatus, error) {
	if i < 0 || i >= l.Len() {
		return 0, fmt.Errorf("status: idx %d of a list of %d entries: %w", i, l.Len(), ErrStatusRange)
	}
	p := i * l.bits
	return TokenStatus(l.lst[p>>3] >> (p & 7) & (1<<l.bits - 1)), nil
}

// Set sets entry i to v; an index outside the list, or a v wider than Bits, is ErrStatusRange.
func (l *TokenList) Set(i int, v TokenStatus) error {
	if i < 0 || i >= l.Len() {
		return fmt.Errorf("status: idx %d of a list of %d entries: %w", i, l.Len(), ErrStatusRange)
	}
	if int(v) >= 1<<l.bits {
		return fmt.Errorf("status: value %d in %d bits: %w", v, l.bits, ErrStatusRange)
	}
	p := i * l.bits
	mask := byte(1<<l.bits-1) << (p & 7)
	l.lst[p>>3] = l.lst[p>>3]&^mask | byte(v)<<(p&7)
	return nil
}

// Encode returns lst: the base64url (no padding) of the ZLIB (RFC 1950) of the list.
func (l *TokenList) Encode() (string, error) {
	z, err := zlibBytes(l.lst)
	if err != nil {
		return "", fmt.Errorf("status: zlib: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(z), nil
}

// DecodeTokenList decodes lst of a list of bits bits per entry: base64url without padding,
// one ZLIB stream. Past opts.MaxBytes inflated is ErrTooLarge; an empty list or bad
// encoding is ErrMalformed.
func DecodeTokenList(lst string, bits int, opts DecodeOptions) (*TokenList, error) {
	if !validBits(bits) {
		return nil, fmt.Errorf("status: status_list.bits %d: %w: want 1, 2, 4 or 8", bits, ErrMalformed)
	}
	if len(lst) > base64.RawURLEncoding.EncodedLen(opts.maxBytes()) {
		return nil, fmt.Errorf("status: status_list.lst: %w", ErrTooLarge)
	}
	z, err := base64.RawURLEncoding.Strict().DecodeString(lst)
	if err != nil {
		return nil, fmt.Errorf("status: status_list.lst: %w: not base64url", ErrMalformed)
	}
	b, err := unzlib(z, opts.maxBytes())
	if err != nil {
		return nil, fmt.Errorf("status: status_list.lst: %w", err)
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("status: status_list.lst: %w: empty list", ErrMalformed)
	}
	return &TokenList{lst: b, bits: bits}, nil
}

// TokenPayloadOptions are the claims of a Status List Token besides the list.
type TokenPayloadOptions struct {
	Subject        string        // sub, required: the uri Referenced Tokens point to
	Issuer         string        // iss, required: the issuer of the Referenced Tokens
	IssuedAt       time.Time     // iat, required
	Expiry         time.Time     // exp; zero omits it (the draft recommends it)
	TTL            time.Duration // ttl, whole seconds; zero omits it (the draft recommends it)
	AggregationURI string        // status_list.aggregation_uri; empty omits it
}

// Payload returns the JWT claims of a Status List Token holding l, for the caller to sign
// with typ statuslist+jwt (TokenTyp). A missing sub, iss or iat, an exp before iat or a
// negative ttl is ErrInvalidOptions.
func (l *TokenList) Payload(opts TokenPayloadOptions) ([]byte, error) {
	if opts.Subject == "" || opts.Issuer == "" || opts.IssuedAt.IsZero() {
		return nil, fmt.Errorf("status: status list token: %w: sub, iss and iat are required", ErrInvalidOptions)
	}
	if !opts.Expiry.IsZero() && !opts.Expiry.After(opts.IssuedAt) {
		return nil, fmt.Errorf("status: status list token: %w: exp not after iat", ErrInvalidOptions)
	}
	if opts.TTL < 0 {
		return nil, fmt.Errorf("status: status list token: %w: negative ttl", ErrInvalidOptions)
	}
	lst, err := l.Encode()
	if err != nil {
		return nil, err
	}
	sl := map[string]any{"bits": l.bits, "lst": lst}
	if opts.AggregationURI != "" {
		sl["aggregation_uri"] = opts.AggregationURI
	}
	claims := map[string]any{
		"sub":         opts.Subject,
		"iss":         opts.Issuer,
		"iat":         opts.IssuedAt.Unix(),
		"status_list": sl,
	}
	if !opts.Expiry.IsZero() {
		claims["exp"] = opts.Expiry.Unix()
	}
	if opts.TTL > 0 {
		claims["ttl"] = int64(math.Ceil(opts.TTL.Seconds()))
	}
	return json.Marshal(claims)
}

// StatusListToken is the payload of a Status List Token as ParseTokenPayload reads it.
type StatusListToken struct {
	Subject        string        // sub
	Issuer         string        // iss; empty when absent
	IssuedAt       time.Time     // iat
	Expiry         time.Time     // exp; zero when absent
	TTL            time.Duration // ttl; zero when absent
	AggregationURI string        // status_list.aggregation_uri; empty when absent
	List           *TokenList    // status_list: bits and the decoded lst
}

// ParseTokenPayload parses the (verified) payload of a Status List Token strictly: sub
// (string) and iat (NumericDate) are required, exp a NumericDate, ttl a positive integer,
// status_list an object with bits 1, 2, 4 or 8 and lst, decoded as DecodeTokenList does.
// It checks no times and no signature.
func ParseTokenPayload(payload []byte, opts DecodeOptions) (*StatusListToken, error) {
	m, err := decodeObject(payload, "status list token")
	if err != nil {
		return nil, err
	}
	var t StatusListToken
	if t.Subject, err = reqString(m, "sub"); err != nil {
		return nil, err
	}
	if t.Issuer, _, err = optString(m, "iss"); err != nil {
		return nil, err
	}
	iat, ok := m["iat"]
	if !ok {
		return nil, fmt.Errorf("status: iat: %w: missing", ErrMalformed)
	}
	if t.IssuedAt, err = numericDate(iat, "iat"); err != nil {
		return nil, err
	}
	if v, ok := m["exp"]; ok {
		if t.Expiry, err = numericDate(v, "exp"); err != nil {
			return nil, err
		}
	}
	if v, ok := m["ttl"]; ok {
		n, err := integer(v, "ttl", ErrMalformed)
		if err != nil || n < 1 || n > 1<<40 {
			return nil, fmt.Errorf("status: ttl: %w: not a positive integer", ErrMalformed)
		}
		t.TTL = time.Duration(n) * time.Second
	}
	v, ok := m["status_list"]
	if !ok {
		return nil, fmt.Errorf("status: status_list: %w: missing", ErrMalformed)
	}
	sl, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("status: status_list: %w: not an object", ErrMalformed)
	}
	bv, ok := sl["bits"]
	if !ok {
		return nil, fmt.Errorf("status: status_list.bits: %w: missing", ErrMalformed)
	}
	bits, err := integer(bv, "status_list.bits", ErrMalformed)
	if err != nil || !validBits(int(bits)) {
		return nil, fmt.Errorf("status: status_list.bits: %w: want 1, 2, 4 or 8", ErrMalformed)
	}
	lst, err := reqString(sl, "lst")
	if err != nil {
		return nil, err
	}
	if t.AggregationURI, _, err = optString(sl, "aggregation_uri"); err != nil {
		return nil, err
	}
	if t.List, err = DecodeTokenList(lst, int(bits), opts); err != nil {
		return nil, err
	}
	return &t, nil
}
