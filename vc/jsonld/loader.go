package jsonld

import (
	"context"
	"fmt"

	"github.com/piprate/json-gold/ld"

	"github.com/credence-dev/credence/internal/errs"
)

// maxContextLoads bounds the context documents one call may load. Every reference to a
// context, however often repeated in a document, makes the processor parse the whole
// document again, so this keeps a small input from costing many context parses.
const maxContextLoads = 256

// registryLoader is the document loader of one Expand or ToRDF call. It serves the
// documents of its registry by exact URL and nothing else: another URL, a relative
// reference, a file path or a file: URL is an error wrapping errs.ErrUnknownContext, and
// nothing is read or fetched. Each load returns a fresh copy of the document, since the
// processor merges an @import into the document it was given.
//
// The processor calls it synchronously, from the goroutine of the call, so it needs no lock.
type registryLoader struct {
	ctx   context.Context
	reg   *Contexts
	loads int
	err   error // the first failure, reported in place of the processor's wrapping
}

var _ ld.DocumentLoader = (*registryLoader)(nil)

func newRegistryLoader(ctx context.Context, reg *Contexts) *registryLoader {
	return &registryLoader{ctx: ctx, reg: reg}
}

// LoadDocument implements ld.DocumentLoader.
func (l *registryLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if err := l.ctx.Err(); err != nil {
		return nil, l.fail(fmt.Errorf("jsonld: loading context: %w", err))
	}
	l.loads++
	if l.loads > maxContextLoads {
		return nil, l.fail(fmt.Errorf("jsonld: more than %d context loads: %w", maxContextLoads, errs.ErrTooLarge))
	}
	d, ok := l.reg.lookup(u)
	if !ok {
		return nil, l.fail(fmt.Errorf("jsonld: context %s is not in the registry: %w", shorten(u), errs.ErrUnknownContext))
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: cloneJSON(d.value)}, nil
}

func (l *registryLoader) fail(err error) error {
	if l.err == nil {
		l.err = err
	}
	return err
}
