package jsonld_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/vc/jsonld"
)

// FuzzParseNQuads checks that ParseNQuads fails only with ErrMalformed or ErrTooLarge, and
// that what it accepts is a fixed point of serializing and parsing again. Seeds are in
// testdata/fuzz/FuzzParseNQuads.
func FuzzParseNQuads(f *testing.F) {
	f.Add([]byte("<http://example.org/s> <http://example.org/p> \"o\\u00E9\\n\"@en-GB _:g .\n"))
	lim := jsonld.NQuadsLimits{MaxBytes: 16 << 10, MaxQuads: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		quads, err := jsonld.ParseNQuads(data, lim)
		if err != nil {
			if quads != nil {
				t.Fatalf("quads with error %v", err)
			}
			if errors.Is(err, errs.ErrMalformed) == errors.Is(err, errs.ErrTooLarge) {
				t.Fatalf("error %v wraps neither or both of ErrMalformed and ErrTooLarge", err)
			}
			return
		}
		out := jsonld.SerializeNQuads(quads)
		again, err := jsonld.ParseNQuads(out, jsonld.NQuadsLimits{})
		if err != nil {
			t.Fatalf("serialized form does not parse: %v\n%s", err, out)
		}
		if !slices.Equal(quads, again) {
			t.Fatalf("parse, serialize, parse changed the quads:\n%v\n%v", quads, again)
		}
		if !bytes.Equal(jsonld.SerializeNQuads(again), out) {
			t.Fatalf("serialization is not stable:\n%s", out)
		}
		if len(out) > 0 && bytes.Count(out, []byte("\n")) != len(quads) {
			t.Fatalf("%d lines for %d quads", bytes.Count(out, []byte("\n")), len(quads))
		}
	})
}
