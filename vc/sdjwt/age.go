package sdjwt

import (
	"fmt"
	"strconv"
	"time"
)

// maxAge bounds the thresholds of the age helpers.
const maxAge = 150

// AgeEqualOrOver returns the age_equal_or_over claim of someone born on birthdate, as
// of at: an object whose members, named by the thresholds ("18"), say whether the age
// is at least that many years (the SD-JWT VC PID rule book's form). The frame makes the
// object and each of its members selectively disclosable, so a holder discloses
// age_equal_or_over and one member, say "18", and the verifier learns that single
// answer: neither the birth date nor the other thresholds, nor how many there were.
//
//	age, frame, err := sdjwt.AgeEqualOrOver(birthdate, now, 12, 14, 16, 18, 21, 65)
//	claims["age_equal_or_over"] = age
//	claimsFrame.Members["age_equal_or_over"] = frame
//
// Dates are compared as calendar dates, each in its own location; someone born on
// 29 February reaches an age on 1 March in years without one. Thresholds must be
// distinct, from 1 to 150 (ErrInvalidOptions otherwise).
func AgeEqualOrOver(birthdate, at time.Time, thresholds ...int) (map[string]any, Frame, error) {
	age, err := ageOf(birthdate, at, thresholds)
	if err != nil {
		return nil, Frame{}, err
	}
	claim := make(map[string]any, len(thresholds))
	f := Frame{Disclosable: true, Members: make(map[string]Frame, len(thresholds))}
	for _, n := range thresholds {
		name := strconv.Itoa(n)
		claim[name] = age >= n
		f.Members[name] = Frame{Disclosable: true}
	}
	return claim, f, nil
}

// AgeOver returns the claims age_over_NN (the ISO/IEC 18013-5 names, used by the mdoc
// and SD-JWT VC PIDs) of someone born on birthdate, as of at: one boolean per
// threshold, each with a frame that makes it selectively disclosable. Add both maps to
// the top level of the claims and the frame's Members. The rules are those of
// [AgeEqualOrOver].
func AgeOver(birthdate, at time.Time, thresholds ...int) (map[string]any, map[string]Frame, error) {
	age, err := ageOf(birthdate, at, thresholds)
	if err != nil {
		return nil, nil, err
	}
	claims := make(map[string]any, len(thresholds))
	frames := make(map[string]Frame, len(thresholds))
	for _, n := range thresholds {
		name := fmt.Sprintf("age_over_%02d", n)
		claims[name] = age >= n
		frames[name] = Frame{Disclosable: true}
	}
	return claims, frames, nil
}

// ageOf returns the age in whole years on at's calendar date.
func ageOf(birthdate, at time.Time, thresholds []int) (int, error) {
	if len(thresholds) == 0 {
		return 0, fmt.Errorf("sdjwt: no age thresholds: %w", ErrInvalidOptions)
	}
	seen := map[int]bool{}
	for _, n := range thresholds {
		if n < 1 || n > maxAge || seen[n] {
			return 0, fmt.Errorf("sdjwt: age threshold %d repeated or outside 1 to %d: %w", n, maxAge, ErrInvalidOptions)
		}
		seen[n] = true
	}
	by, bm, bd := birthdate.Date()
	ay, am, ad := at.Date()
	if ay < by || ay == by && (am < bm || am == bm && ad < bd) {
		return 0, fmt.Errorf("sdjwt: birth date after the date of the age: %w", ErrInvalidOptions)
	}
	age := ay - by
	if am < bm || am == bm && ad < bd {
		age--
	}
	return age, nil
}
