package sdjwt

import (
	"fmt"
	"maps"
)

// Frame says which parts of a JSON value the issuer makes selectively disclosable. A
// Frame mirrors the claims: Members holds the frames of an object's members,
// Elements those of an array's elements by position, Items the frame of every element
// not in Elements. A claim whose frame has Disclosable set is replaced by a digest and
// travels in a disclosure; frames below it make its contents disclosable in turn
// (recursive disclosures, RFC 9901 §4.2.6), so the holder can reveal the claim and then
// only some of what it holds.
//
// The zero Frame discloses nothing selectively: every claim is always visible. For
// example, with address disclosable as a whole and each of its members on its own:
//
//	sdjwt.Frame{Members: map[string]sdjwt.Frame{
//		"given_name": {Disclosable: true},
//		"address": {Disclosable: true, Members: map[string]sdjwt.Frame{
//			"street_address": {Disclosable: true},
//			"locality":       {Disclosable: true},
//		}},
//		"nationalities": {Items: &sdjwt.Frame{Disclosable: true}},
//	}}
//
// [PathFrame] builds the same from claim paths.
type Frame struct {
	// Disclosable makes the claim selectively disclosable. It must be false on the
	// frame of the whole payload.
	Disclosable bool
	// Decoys is how many decoy digests (RFC 9901 §4.2.5) to add to this object's _sd or
	// among this array's elements, hiding how many claims or elements there are.
	Decoys int
	// Members are the frames of an object's members, by name.
	Members map[string]Frame
	// Elements are the frames of an array's elements, by position in the claims.
	Elements map[int]Frame
	// Items, if not nil, is the frame of every array element not in Elements.
	Items *Frame
}

// PathFrame returns the frame in which the claim at the end of each path is
// selectively disclosable (see [Path]; a nil component stands for every element of an
// array). The claims on the way stay as they are unless another path names them, so
// PathFrame([]any{"address"}, []any{"address", "street_address"}) makes address and
// its street_address disclosable, recursively, and []any{"nationalities", nil} each
// nationality.
func PathFrame(paths ...Path) (Frame, error) {
	var f Frame
	for _, p := range paths {
		if err := checkPath(p); err != nil {
			return Frame{}, err
		}
		f = f.with(p)
	}
	return f, nil
}

// With returns a copy of f in which the claim at path p is selectively disclosable as
// well. f itself is not changed.
func (f Frame) With(p Path) (Frame, error) {
	if err := checkPath(p); err != nil {
		return Frame{}, err
	}
	return f.with(p), nil
}

func (f Frame) with(p Path) Frame {
	if len(p) == 0 {
		f.Disclosable = true
		return f
	}
	switch c := p[0].(type) {
	case nil:
		var it Frame
		if f.Items != nil {
			it = *f.Items
		}
		it = it.with(p[1:])
		f.Items = &it
	case string:
		m := maps.Clone(f.Members)
		if m == nil {
			m = map[string]Frame{}
		}
		m[c] = m[c].with(p[1:])
		f.Members = m
	default:
		i, _ := index(c)
		m := maps.Clone(f.Elements)
		if m == nil {
			m = map[int]Frame{}
		}
		m[i] = m[i].with(p[1:])
		f.Elements = m
	}
	return f
}

// check refuses negative decoy counts and indices and frames deeper than any payload.
func (f Frame) check(depth int) error {
	if f.Decoys < 0 {
		return fmt.Errorf("sdjwt: negative decoy count: %w", ErrInvalidOptions)
	}
	if depth > maxFrameDepth {
		return fmt.Errorf("sdjwt: frame nested more deeply than %d levels: %w", maxFrameDepth, ErrTooDeep)
	}
	for _, m := range f.Members {
		if err := m.check(depth + 1); err != nil {
			return err
		}
	}
	for i, e := range f.Elements {
		if i < 0 {
			return fmt.Errorf("sdjwt: frame element index %d: %w", i, ErrInvalidOptions)
		}
		if err := e.check(depth + 1); err != nil {
			return err
		}
	}
	if f.Items != nil {
		return f.Items.check(depth + 1)
	}
	return nil
}

const maxFrameDepth = 64
