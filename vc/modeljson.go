package vc

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
)

// The helpers in this file read JSON that internal/jsonx has already validated (strict
// syntax, no duplicate names, bounded depth), so they only split it: they never need to
// report a syntax error, and every value they return is a sub-slice of the checked input.

// checkJSON runs the strict decoder's checks on data and reports a failure as a
// *VerifyError carrying the jsonx sentinel.
func checkJSON(data []byte) error {
	if err := jsonx.Validate(data, jsonx.Limits{}); err != nil {
		return &VerifyError{Reason: ReasonMalformed, Err: jsonxSentinel(err), detail: err.Error()}
	}
	return nil
}

func jsonxSentinel(err error) error {
	for _, s := range []error{errs.ErrTooLarge, errs.ErrTooDeep} {
		if errors.Is(err, s) {
			return s
		}
	}
	return errs.ErrMalformed
}

// malformedAt is the error for a member of the wrong JSON shape.
func malformedAt(path, detail string) *VerifyError {
	return &VerifyError{Reason: ReasonMalformed, Path: path, Err: errs.ErrMalformed, detail: detail}
}

func skipSpace(data []byte, i int) int { return jsonx.SkipSpace(data, i) }

// skipString returns the index just past the string that starts at data[i] == '"'.
func skipString(data []byte, i int) int { return jsonx.EndString(data, i) }

// skipValue returns the index just past the value that starts at data[i].
func skipValue(data []byte, i int) int { return jsonx.EndValue(data, i) }

// kind returns the first byte of a JSON value: '{', '[', '"', 'n', 't', 'f' or a digit/'-'.
func kind(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

// members calls fn for each member of the object v, in document order.
func members(v []byte, fn func(name string, value []byte) error) error {
	i := skipSpace(v, 1)
	for i < len(v) && v[i] != '}' {
		end := skipString(v, i)
		name := decodeString(v[i:end])
		i = skipSpace(v, end)
		i = skipSpace(v, i+1) // ':'
		vend := skipValue(v, i)
		if err := fn(name, v[i:vend]); err != nil {
			return err
		}
		i = skipSpace(v, vend)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return nil
}

// elements calls fn for each element of the array v.
func elements(v []byte, fn func(i int, value []byte) error) error {
	i := skipSpace(v, 1)
	for n := 0; i < len(v) && v[i] != ']'; n++ {
		end := skipValue(v, i)
		if err := fn(n, v[i:end]); err != nil {
			return err
		}
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return nil
}

// decodeString returns the value of the JSON string s (quotes included).
func decodeString(s []byte) string {
	inner := s[1 : len(s)-1]
	if !slices.Contains(inner, '\\') {
		if k, ok := common(inner); ok {
			return k
		}
		return string(inner)
	}
	var out string
	if err := json.Unmarshal(s, &out); err != nil {
		return string(inner) // unreachable for validated input
	}
	return out
}

// objectMap returns the members of the object v as raw values (nil when it has none).
func objectMap(v []byte) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = members(v, func(name string, value []byte) error {
		if m == nil {
			m = make(map[string]json.RawMessage)
		}
		m[name] = value
		return nil
	})
	return m
}

// oneOrMany calls fn for v itself (single) or for each element of the array v. It
// reports whether v was an array.
func oneOrMany(v []byte, fn func(i int, value []byte) error) (array bool, err error) {
	if kind(v) == '[' {
		return true, elements(v, fn)
	}
	return false, fn(0, v)
}

// stringValue returns the string v or reports that v is not one.
func stringValue(v []byte) (string, bool) {
	if kind(v) != '"' {
		return "", false
	}
	return decodeString(v), true
}

// pointer joins JSON Pointer reference tokens (RFC 6901), escaping '~' and '/'.
func pointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		if strings.ContainsAny(t, "~/") {
			t = strings.NewReplacer("~", "~0", "/", "~1").Replace(t)
		}
		b.WriteString(t)
	}
	return b.String()
}

// index returns "/<i>" for a member written as an array, and "" for a single value.
func index(array bool, i int) string {
	if !array {
		return ""
	}
	return "/" + strconv.Itoa(i)
}

// appendString appends s as a JSON string (see jsonx.AppendString).
func appendString(b []byte, s string) []byte { return jsonx.AppendString(b, s) }

// object writes the members of a JSON object in the order they are added.
type object struct {
	buf   []byte
	first bool
}

func newObject(buf []byte) *object {
	return &object{buf: append(buf, '{'), first: true}
}

func (o *object) name(n string) {
	if !o.first {
		o.buf = append(o.buf, ',')
	}
	o.first = false
	o.buf = appendString(o.buf, n)
	o.buf = append(o.buf, ':')
}

func (o *object) str(n, v string) {
	o.name(n)
	o.buf = appendString(o.buf, v)
}

func (o *object) raw(n string, v []byte) {
	o.name(n)
	o.buf = append(o.buf, v...)
}

func (o *object) close() []byte { return append(o.buf, '}') }

// appendStrings appends the strings as one value when single, else as an array.
func appendStrings(b []byte, ss []string, single bool) []byte {
	if single {
		return appendString(b, ss[0])
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendExtra appends the members of extra in name order, refusing names that a typed
// field owns (known) and values that are not JSON.
func (s source) appendExtra(o *object, extra map[string]json.RawMessage, known func(string) bool, where string) error {
	names := make([]string, 0, len(extra))
	for n := range extra {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if known(n) {
			return malformedAt(pointer(where, n), "member "+strconv.Quote(n)+" belongs to a typed field, not to Extra")
		}
		v := extra[n]
		if !s.valid(v) {
			return malformedAt(pointer(where, n), "value is not JSON")
		}
		o.raw(n, v)
	}
	return nil
}

// A dateTime keeps the text a time was written in, so that a parsed credential is
// written back exactly; Marshal uses the text while the time is unchanged.
type dateTime struct {
	text string
	t    time.Time
	zone bool // the text has a time zone (it is a dateTimeStamp)
}

// current reports whether t is still the time the text was parsed into.
func (d dateTime) current(t time.Time) bool {
	if d.text == "" || !t.Equal(d.t) {
		return false
	}
	_, a := t.Zone()
	_, b := d.t.Zone()
	return a == b
}

// textFor returns the original text when t is unchanged, and a freshly formatted one
// otherwise.
func (d dateTime) textFor(t time.Time) string {
	if d.current(t) {
		return d.text
	}
	return formatDateTime(t)
}

// hasZone reports whether t is written with a time zone. Times set in code always are.
func (d dateTime) hasZone(t time.Time) bool {
	return !d.current(t) || d.zone
}

// maxYearDigits bounds the year of a dateTime so that every accepted value fits time.Time.
const maxYearDigits = 9

// parseDateTime parses an XML Schema 1.1 dateTime (XMLSCHEMA11-2 §3.3.7):
//
//	-?YYYY+-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?
//
// with real calendar days (leap years of the proleptic Gregorian calendar, year 0000 is
// 1 BCE), 24:00:00 as the first instant of the next day, and offsets up to ±14:00. A
// value without a time zone is read as UTC (VC DM 2.0 §5.8: "interpreted as UTC");
// callers that need a dateTimeStamp check hasZone.
func parseDateTime(s string) (t time.Time, zone, ok bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	j := i
	for j < len(s) && isDigitByte(s[j]) {
		j++
	}
	yd := j - i
	if yd < 4 || yd > maxYearDigits || (yd > 4 && s[i] == '0') {
		return time.Time{}, false, false
	}
	year, _ := strconv.Atoi(s[i:j])
	if neg {
		year = -year
	}
	i = j
	month, ok := fixed(s, &i, '-', 2)
	if !ok || month < 1 || month > 12 {
		return time.Time{}, false, false
	}
	day, ok := fixed(s, &i, '-', 2)
	if !ok || day < 1 || day > daysIn(year, month) {
		return time.Time{}, false, false
	}
	hour, ok := fixed(s, &i, 'T', 2)
	if !ok || hour > 24 {
		return time.Time{}, false, false
	}
	minute, ok := fixed(s, &i, ':', 2)
	if !ok || minute > 59 {
		return time.Time{}, false, false
	}
	sec, ok := fixed(s, &i, ':', 2)
	if !ok || sec > 59 {
		return time.Time{}, false, false
	}
	nsec := 0
	fracZero := true
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for j < len(s) && isDigitByte(s[j]) {
			if s[j] != '0' {
				fracZero = false
			}
			j++
		}
		if j == i {
			return time.Time{}, false, false
		}
		digits := s[i:min(j, i+9)]
		nsec, _ = strconv.Atoi(digits + strings.Repeat("0", 9-len(digits)))
		i = j
	}
	if hour == 24 && (minute != 0 || sec != 0 || !fracZero) {
		return time.Time{}, false, false
	}
	loc := time.UTC
	zone = true
	switch {
	case i == len(s):
		zone = false
	case s[i] == 'Z':
		i++
	case s[i] == '+' || s[i] == '-':
		sign := 1
		if s[i] == '-' {
			sign = -1
		}
		oh, ok1 := fixed(s, &i, s[i], 2)
		om, ok2 := fixed(s, &i, ':', 2)
		if !ok1 || !ok2 || om > 59 || oh > 14 || (oh == 14 && om != 0) {
			return time.Time{}, false, false
		}
		loc = time.FixedZone("", sign*(oh*3600+om*60))
	default:
		return time.Time{}, false, false
	}
	if i != len(s) {
		return time.Time{}, false, false
	}
	// time.Date normalises hour 24 to the next day.
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc), zone, true
}

// fixed reads the separator sep and then n digits at s[*i].
func fixed(s string, i *int, sep byte, n int) (int, bool) {
	if *i >= len(s) || s[*i] != sep || *i+1+n > len(s) {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[*i+1 : *i+1+n]) {
		if !isDigitByte(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	*i += 1 + n
	return v, true
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formatDateTime writes t as a dateTimeStamp: RFC 3339 with as many fractional digits as
// needed, "Z" for UTC, and years outside 0000-9999 written in full.
func formatDateTime(t time.Time) string {
	if _, off := t.Zone(); off%60 != 0 || off > 14*3600 || off < -14*3600 {
		t = t.UTC()
	}
	if y := t.Year(); y >= 0 && y <= 9999 {
		return t.Format(time.RFC3339Nano)
	}
	rest := t.Format("-01-02T15:04:05.999999999Z07:00")
	y := t.Year()
	sign := ""
	if y < 0 {
		sign = "-"
		y = -y
	}
	digits := strconv.Itoa(y)
	if len(digits) < 4 {
		digits = strings.Repeat("0", 4-len(digits)) + digits
	}
	return sign + digits + rest
}

func itoa(i int) string { return strconv.Itoa(i) }

// source is the checked copy of the JSON that a Credential or Presentation was parsed
// from. The raw values that parsing cut out of it are known to be strict JSON, so
// Validate and MarshalJSON do not check them again; any other raw value (set in code) is
// checked. Raw values must be replaced, not modified in place.
type source []byte

// has reports whether v is one whole value cut from s.
func (s source) has(v []byte) bool {
	if len(v) == 0 || len(s) == 0 {
		return false
	}
	k := cap(s) - cap(v) // the offset of v in s, if v is a sub-slice of s
	if k < 0 || k+len(v) > len(s) || &s[k] != &v[0] {
		return false
	}
	return skipValue(s, k) == k+len(v)
}

// valid reports whether v is one strict JSON value.
func (s source) valid(v []byte) bool { return s.has(v) || validJSON(v) }

// validJSON reports whether v is one strict JSON value (the rules of ParseCredential:
// no duplicate names, valid UTF-8), so that what MarshalJSON writes parses again.
func validJSON(v []byte) bool {
	return len(v) > 0 && jsonx.Validate(v, jsonx.Limits{MaxBytes: max(len(v), jsonx.DefaultMaxBytes)}) == nil
}

// common returns the constant for the member names and values that nearly every
// credential repeats, so that decoding them allocates nothing.
func common(b []byte) (string, bool) {
	switch string(b) { // the conversion does not allocate in a switch
	case "@context":
		return "@context", true
	case "id":
		return "id", true
	case "type":
		return "type", true
	case "issuer":
		return "issuer", true
	case "name":
		return "name", true
	case "description":
		return "description", true
	case "validFrom":
		return "validFrom", true
	case "validUntil":
		return "validUntil", true
	case "issuanceDate":
		return "issuanceDate", true
	case "expirationDate":
		return "expirationDate", true
	case "credentialSubject":
		return "credentialSubject", true
	case "credentialStatus":
		return "credentialStatus", true
	case "credentialSchema":
		return "credentialSchema", true
	case "holder":
		return "holder", true
	case "verifiableCredential":
		return "verifiableCredential", true
	case "proof":
		return "proof", true
	case "iat":
		return "iat", true
	case "exp":
		return "exp", true
	case "nbf":
		return "nbf", true
	case "nonce":
		return "nonce", true
	case "aud":
		return "aud", true
	case "cnf":
		return "cnf", true
	case ContextV2:
		return ContextV2, true
	case ContextV1:
		return ContextV1, true
	case "https://www.w3.org/ns/credentials/examples/v2":
		return "https://www.w3.org/ns/credentials/examples/v2", true
	case TypeVerifiableCredential:
		return TypeVerifiableCredential, true
	case TypeVerifiablePresentation:
		return TypeVerifiablePresentation, true
	case TypeEnvelopedVerifiableCredential:
		return TypeEnvelopedVerifiableCredential, true
	}
	return "", false
}
