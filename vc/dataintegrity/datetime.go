package dataintegrity

import (
	"errors"
	"time"
)

var errDateTime = errors.New("not an XML Schema dateTime")

// parseDateTime parses an XML Schema 1.1 dateTime (XMLSCHEMA11-2 §3.3.7) as the created
// and expires members of a proof use it (Data Integrity 1.0 §2.1: a dateTimeStamp, with
// "Z" or an offset; a value without one MAY be read as UTC, which this does):
//
//	YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]
//
// Years are four digits from 0001 (no sign, no five-digit years); hour 24 and leap
// seconds are refused; offsets are at most 14:00. Digits past nanoseconds are dropped.
func parseDateTime(s string) (time.Time, error) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, errDateTime
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || year == 0 || month < 1 || month > 12 || day < 1 ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errDateTime
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			if i <= 9 {
				nsec = nsec*10 + int(rest[i]-'0')
			}
			i++
		}
		if i == 1 {
			return time.Time{}, errDateTime
		}
		for j := i; j <= 9; j++ {
			nsec *= 10
		}
		rest = rest[i:]
	}
	loc := time.UTC
	switch {
	case rest == "" || rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || om > 59 || oh*60+om > 14*60 {
			return time.Time{}, errDateTime
		}
		off := (oh*60 + om) * 60
		if rest[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	default:
		return time.Time{}, errDateTime
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Day() != day { // 2023-02-30 and the like
		return time.Time{}, errDateTime
	}
	return t, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// formatDateTime writes t in UTC as an XML Schema dateTimeStamp, with fractional seconds
// only when t has them.
func formatDateTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}
