package status

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/jsonx"
)

// Status purposes of the Bitstring Status List (§2.1). Other values are accepted and
// reported, never treated as revocation or suspension.
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
	PurposeRefresh    = "refresh"
	PurposeMessage    = "message"
)

// Entry types this package checks.
const (
	// EntryTypeBitstring is the Bitstring Status List v1.0 entry (VCDM 2.0).
	EntryTypeBitstring = "BitstringStatusListEntry"
	// EntryType2021 is the StatusList2021 entry (VCDM 1.1), verify-only.
	EntryType2021 = "StatusList2021Entry"
)

// MinBitstringEntries is the smallest number of entries a bitstring may have (§3.2 step 2:
// 131,072, that is 16 KB at one bit each), so that one index discloses little.
const MinBitstringEntries = 131072

// maxStatusSize bounds statusSize: statusMessage must list every possible value, so wider
// entries are impractical, and a byte holds every value.
const maxStatusSize = 8

// maxIndex is past the end of every list DefaultMaxListBytes allows.
const maxIndex = DefaultMaxListBytes * 8

// StatusMessage is one member of statusMessage: the text for one status value.
type StatusMessage struct {
	Status  string `json:"status"`  // the value as a hexadecimal string, such as "0x2"
	Message string `json:"message"` // what the value means
}

// BitstringEntry is a credentialStatus entry of type BitstringStatusListEntry or
// StatusList2021Entry. ParseBitstringEntry makes one from JSON and checks it; an issuer
// fills one in and marshals it with encoding/json.
type BitstringEntry struct {
	ID             string          // optional id of the entry
	Type           string          // EntryTypeBitstring or EntryType2021
	Purpose        string          // statusPurpose
	Index          int             // statusListIndex, a string of a non-negative integer in JSON
	ListCredential string          // statusListCredential: the URL of the status list credential
	StatusSize     int             // statusSize in bits; 0 or 1 means one bit
	Messages       []StatusMessage // statusMessage; required when StatusSize > 1
	Reference      []string        // statusReference URLs
}

func (e BitstringEntry) size() int {
	if e.StatusSize <= 0 {
		return 1
	}
	return e.StatusSize
}

// MarshalJSON writes the entry as the specification shows it: statusListIndex as a string,
// statusSize only when it is not 1.
func (e BitstringEntry) MarshalJSON() ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	m := map[string]any{
		"type":                 e.Type,
		"statusPurpose":        e.Purpose,
		"statusListIndex":      strconv.Itoa(e.Index),
		"statusListCredential": e.ListCredential,
	}
	if e.ID != "" {
		m["id"] = e.ID
	}
	if e.size() != 1 {
		m["statusSize"] = e.size()
	}
	if len(e.Messages) > 0 {
		m["statusMessage"] = e.Messages
	}
	switch len(e.Reference) {
	case 0:
	case 1:
		m["statusReference"] = e.Reference[0]
	default:
		m["statusReference"] = e.Reference
	}
	return json.Marshal(m)
}

// ParseBitstringEntry parses one credentialStatus entry strictly: its type must be
// BitstringStatusListEntry or StatusList2021Entry (else ErrUnsupportedFormat),
// statusListIndex a string of a base-10 non-negative integer without leading zeros (else
// ErrStatusIndex; one past every possible list is ErrStatusRange), statusListCredential an
// absolute URL, statusSize an integer from 1 to 8, and when it is above 1 statusMessage
// must give a message for each of its 2^statusSize values.
func ParseBitstringEntry(data []byte) (BitstringEntry, error) {
	m, err := decodeObject(data, "credentialStatus")
	if err != nil {
		return BitstringEntry{}, err
	}
	return parseEntry(m)
}

// ParseBitstringEntries parses a credentialStatus value, one entry or an array of
// entries, as ParseBitstringEntry does each.
func ParseBitstringEntries(data []byte) ([]BitstringEntry, error) {
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		return nil, fmt.Errorf("status: credentialStatus: %w", err)
	}
	var list []any
	switch t := v.(type) {
	case map[string]any:
		list = []any{t}
	case []any:
		list = t
	default:
		return nil, fmt.Errorf("status: credentialStatus: %w: not an object or an array", ErrMalformed)
	}
	out := make([]BitstringEntry, 0, len(list))
	for i, a := range list {
		m, ok := a.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("status: credentialStatus[%d]: %w: not an object", i, ErrMalformed)
		}
		e, err := parseEntry(m)
		if err != nil {
			return nil, fmt.Errorf("status: credentialStatus[%d]: %w", i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func parseEntry(m map[string]any) (BitstringEntry, error) {
	var e BitstringEntry
	var err error
	if e.Type, err = reqString(m, "type"); err != nil {
		return BitstringEntry{}, err
	}
	if e.Type != EntryTypeBitstring && e.Type != EntryType2021 {
		return BitstringEntry{}, fmt.Errorf("status: credentialStatus type %q: %w", e.Type, ErrUnsupportedFormat)
	}
	if e.ID, _, err = optString(m, "id"); err != nil {
		return BitstringEntry{}, err
	}
	if e.Purpose, err = reqString(m, "statusPurpose"); err != nil {
		return BitstringEntry{}, err
	}
	idx, ok := m["statusListIndex"]
	if !ok {
		return BitstringEntry{}, fmt.Errorf("status: statusListIndex: %w: missing", ErrStatusIndex)
	}
	s, ok := idx.(string)
	if !ok {
		return BitstringEntry{}, fmt.Errorf("status: statusListIndex: %w: not a string", ErrStatusIndex)
	}
	if e.Index, err = parseIndex(s); err != nil {
		return BitstringEntry{}, err
	}
	if e.ListCredential, err = reqString(m, "statusListCredential"); err != nil {
		return BitstringEntry{}, err
	}
	if err := absURL(e.ListCredential, "statusListCredential"); err != nil {
		return BitstringEntry{}, err
	}
	e.StatusSize = 1
	if v, ok := m["statusSize"]; ok {
		n, err := integer(v, "statusSize", ErrMalformed)
		if err != nil || n < 1 || n > maxStatusSize {
			return BitstringEntry{}, fmt.Errorf("status: statusSize: %w: not an integer from 1 to %d", ErrMalformed, maxStatusSize)
		}
		e.StatusSize = int(n)
	}
	if v, ok := m["statusMessage"]; ok {
		arr, ok := v.([]any)
		if !ok {
			return BitstringEntry{}, fmt.Errorf("status: statusMessage: %w: not an array", ErrMalformed)
		}
		for _, a := range arr {
			o, ok := a.(map[string]any)
			if !ok {
				return BitstringEntry{}, fmt.Errorf("status: statusMessage: %w: not an object", ErrMalformed)
			}
			var sm StatusMessage
			if sm.Status, err = reqString(o, "status"); err != nil {
				return BitstringEntry{}, err
			}
			if sm.Message, _, err = optString(o, "message"); err != nil {
				return BitstringEntry{}, err
			}
			e.Messages = append(e.Messages, sm)
		}
	}
	if v, ok := m["statusReference"]; ok {
		if e.Reference, err = stringsOf(v, "statusReference"); err != nil {
			return BitstringEntry{}, err
		}
		for _, r := range e.Reference {
			if err := absURL(r, "statusReference"); err != nil {
				return BitstringEntry{}, err
			}
		}
	}
	if err := e.validate(); err != nil {
		return BitstringEntry{}, err
	}
	return e, nil
}

// validate checks the rules that MarshalJSON and ParseBitstringEntry share.
func (e BitstringEntry) validate() error {
	if e.Type != EntryTypeBitstring && e.Type != EntryType2021 {
		return fmt.Errorf("status: credentialStatus type %q: %w", e.Type, ErrUnsupportedFormat)
	}
	if e.Purpose == "" || e.ListCredential == "" {
		return fmt.Errorf("status: credentialStatus: %w: statusPurpose and statusListCredential are required", ErrMalformed)
	}
	if e.Index < 0 {
		return fmt.Errorf("status: statusListIndex: %w: negative", ErrStatusIndex)
	}
	if e.Index >= maxIndex {
		return fmt.Errorf("status: statusListIndex: %w", ErrStatusRange)
	}
	size := e.size()
	if size > maxStatusSize {
		return fmt.Errorf("status: statusSize: %w: above %d", ErrMalformed, maxStatusSize)
	}
	if e.Type == EntryType2021 && (size != 1 || len(e.Messages) > 0) {
		return fmt.Errorf("status: StatusList2021Entry: %w: statusSize and statusMessage are not defined", ErrMalformed)
	}
	// §2.1: when statusSize is above 1, statusMessage is required and covers every value.
	if size > 1 && len(e.Messages) != 1<<size {
		return fmt.Errorf("status: statusMessage: %w: %d messages for statusSize %d, want %d", ErrMalformed, len(e.Messages), size, 1<<size)
	}
	if len(e.Messages) > 1<<size {
		return fmt.Errorf("status: statusMessage: %w: more messages than values", ErrMalformed)
	}
	seen := make(map[uint64]bool, len(e.Messages))
	for _, sm := range e.Messages {
		v, err := parseHexStatus(sm.Status)
		if err != nil {
			return err
		}
		if v >= 1<<size || seen[v] {
			return fmt.Errorf("status: statusMessage: %w: status %q out of range or repeated", ErrMalformed, sm.Status)
		}
		seen[v] = true
	}
	return nil
}

func parseHexStatus(s string) (uint64, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || h == "" || len(h) > 4 {
		return 0, fmt.Errorf("status: statusMessage status %q: %w: not a 0x hexadecimal value", s, ErrMalformed)
	}
	v, err := strconv.ParseUint(h, 16, 16)
	if err != nil {
		return 0, fmt.Errorf("status: statusMessage status %q: %w: not a 0x hexadecimal value", s, ErrMalformed)
	}
	return v, nil
}

// message returns the statusMessage text for value v, if the entry has one.
func (e BitstringEntry) message(v uint8) string {
	for _, sm := range e.Messages {
		if n, err := parseHexStatus(sm.Status); err == nil && n == uint64(v) {
			return sm.Message
		}
	}
	return ""
}

// parseIndex reads statusListIndex: base-10 digits, no sign, no leading zero.
func parseIndex(s string) (int, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("status: statusListIndex: %w: not a canonical non-negative integer", ErrStatusIndex)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("status: statusListIndex: %w: not a non-negative integer", ErrStatusIndex)
		}
	}
	if len(s) > 10 {
		return 0, fmt.Errorf("status: statusListIndex: %w: past every list", ErrStatusRange)
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	if n >= maxIndex {
		return 0, fmt.Errorf("status: statusListIndex: %w: past every list", ErrStatusRange)
	}
	return int(n), nil
}

// BitstringList is a Bitstring Status List: StatusSize bits per entry, entry 0 at the
// left-most (most significant) bit of the first byte (§2.2, §3.4). Within an entry wider
// than one bit, the left-most bit is the most significant. Get is safe for concurrent use;
// Set is not safe concurrently with any other call.
type BitstringList struct {
	bits       []byte
	statusSize int
}

// NewBitstringList returns a list of size entries of statusSize bits (1 to 8; 0 means 1),
// all zero. size must be at least MinBitstringEntries, and the bitstring at most
// DefaultMaxListBytes; otherwise ErrInvalidOptions.
func NewBitstringList(size, statusSize int) (*BitstringList, error) {
	if statusSize == 0 {
		statusSize = 1
	}
	if statusSize < 1 || statusSize > maxStatusSize {
		return nil, fmt.Errorf("status: statusSize %d: %w: want 1 to %d", statusSize, ErrInvalidOptions, maxStatusSize)
	}
	if size < MinBitstringEntries || size > DefaultMaxListBytes*8/statusSize {
		return nil, fmt.Errorf("status: list of %d entries: %w: want %d to %d", size, ErrInvalidOptions, MinBitstringEntries, DefaultMaxListBytes*8/statusSize)
	}
	return &BitstringList{bits: make([]byte, (size*statusSize+7)/8), statusSize: statusSize}, nil
}

// Len returns the number of entries.
func (l *BitstringList) Len() int { return len(l.bits) * 8 / l.statusSize }

// StatusSize returns the bits per entry.
func (l *BitstringList) StatusSize() int { return l.statusSize }

// Get returns entry i; an index outside the list is ErrStatusRange.
func (l *BitstringList) Get(i int) (uint8, error) {
	if i < 0 || i >= l.Len() {
		return 0, fmt.Errorf("status: index %d of a list of %d entries: %w", i, l.Len(), ErrStatusRange)
	}
	return getMSB(l.bits, i, l.statusSize), nil
}

// Set sets entry i to v; an index outside the list, or a v wider than StatusSize, is
// ErrStatusRange.
func (l *BitstringList) Set(i int, v uint8) error {
	if i < 0 || i >= l.Len() {
		return fmt.Errorf("status: index %d of a list of %d entries: %w", i, l.Len(), ErrStatusRange)
	}
	if int(v) >= 1<<l.statusSize {
		return fmt.Errorf("status: value %d in %d bits: %w", v, l.statusSize, ErrStatusRange)
	}
	p := i * l.statusSize
	for k := l.statusSize - 1; k >= 0; k-- {
		q := p + k
		mask := byte(0x80) >> (q & 7)
		if v&1 != 0 {
			l.bits[q>>3] |= mask
		} else {
			l.bits[q>>3] &^= mask
		}
		v >>= 1
	}
	return nil
}

func getMSB(bits []byte, i, size int) uint8 {
	if size == 1 {
		return bits[i>>3] >> (7 - i&7) & 1
	}
	p := i * size
	var v uint8
	for k := range size {
		q := p + k
		v = v<<1 | bits[q>>3]>>(7-q&7)&1
	}
	return v
}

// Encode returns encodedList: the multibase base64url (prefix "u", no padding) of the GZIP
// of the bitstring (§3.4 Bitstring Generation Algorithm).
func (l *BitstringList) Encode() (string, error) {
	z, err := gzipBytes(l.bits)
	if err != nil {
		return "", fmt.Errorf("status: gzip: %w", err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(z), nil
}

// DecodeOptions bounds DecodeBitstringList and DecodeTokenList. The zero value applies the
// defaults.
type DecodeOptions struct {
	// StatusSize is the bits per entry of a bitstring (the entry's statusSize); 0 means 1.
	// Ignored by DecodeTokenList, whose list says its own bits.
	StatusSize int
	// MinEntries is the fewest entries a bitstring may have; 0 means MinBitstringEntries,
	// negative means no minimum. Ignored by DecodeTokenList.
	MinEntries int
	// MaxBytes bounds the inflated list; 0 means DefaultMaxListBytes.
	MaxBytes int
}

func (o DecodeOptions) maxBytes() int {
	if o.MaxBytes <= 0 {
		return DefaultMaxListBytes
	}
	return o.MaxBytes
}

// DecodeBitstringList decodes an encodedList (Bitstring Expansion Algorithm, §3.4): the
// multibase prefix "u", base64url without padding, one GZIP member. A list that inflates
// past opts.MaxBytes is ErrTooLarge; one with fewer than opts.MinEntries entries is
// ErrStatusListLength; bad encoding is ErrMalformed.
func DecodeBitstringList(encodedList string, opts DecodeOptions) (*BitstringList, error) {
	return decodeBitstring(encodedList, opts, false)
}

// decodeBitstring decodes a bitstring; legacy (StatusList2021) also accepts the form
// without the multibase prefix and with padding.
func decodeBitstring(encodedList string, opts DecodeOptions, legacy bool) (*BitstringList, error) {
	size := opts.StatusSize
	if size == 0 {
		size = 1
	}
	if size < 1 || size > maxStatusSize {
		return nil, fmt.Errorf("status: statusSize %d: %w", size, ErrInvalidOptions)
	}
	b64, ok := strings.CutPrefix(encodedList, "u")
	if !ok && !legacy {
		return nil, fmt.Errorf("status: encodedList: %w: not multibase base64url (prefix u)", ErrMalformed)
	}
	if legacy {
		b64 = strings.TrimRight(b64, "=")
	}
	if len(b64) > base64.RawURLEncoding.EncodedLen(opts.maxBytes()) {
		return nil, fmt.Errorf("status: encodedList: %w", ErrTooLarge)
	}
	z, err := base64.RawURLEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("status: encodedList: %w: not base64url", ErrMalformed)
	}
	bits, err := gunzip(z, opts.maxBytes())
	if err != nil {
		return nil, fmt.Errorf("status: encodedList: %w", err)
	}
	l := &BitstringList{bits: bits, statusSize: size}
	min := opts.MinEntries
	if min == 0 {
		min = MinBitstringEntries
	}
	if l.Len() < min {
		return nil, fmt.Errorf("status: encodedList: %d entries of %d bits, minimum %d: %w", l.Len(), size, min, ErrStatusListLength)
	}
	return l, nil
}
