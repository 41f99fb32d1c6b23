package sdjwt

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/netguard"
)

// Limits of type metadata processing.
const (
	// DefaultMaxTypeMetadataBytes bounds one type metadata document.
	DefaultMaxTypeMetadataBytes = 256 << 10
	// DefaultMaxExtends bounds the extends chain of a type (the type itself not counted).
	DefaultMaxExtends = 8
	// maxClaimMetadata bounds the claim metadata objects of one document.
	maxClaimMetadata = 1024
)

// TypeMetadataFetcher returns the type metadata document of a type, as published: the
// octets the integrity of the document is computed over. It is the caller's retrieval
// method (SD-JWT VC §6.3): a registry, a local cache, or HTTPS through
// NewHTTPTypeMetadataFetcher. An unknown type should be an error wrapping
// errs.ErrNotFound.
type TypeMetadataFetcher func(ctx context.Context, vct string) ([]byte, error)

// StaticTypeMetadata is a TypeMetadataFetcher serving the given documents (type ->
// document), for offline verifiers and tests. The map is copied.
func StaticTypeMetadata(docs map[string][]byte) TypeMetadataFetcher {
	m := make(map[string][]byte, len(docs))
	for k, v := range docs {
		m[k] = bytes.Clone(v)
	}
	return func(ctx context.Context, vct string) ([]byte, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, ok := m[vct]
		if !ok {
			return nil, fmt.Errorf("sdjwt: no type metadata for %q: %w", vct, errs.ErrNotFound)
		}
		return bytes.Clone(doc), nil
	}
}

// NewHTTPTypeMetadataFetcher retrieves type metadata from the https URL of the type
// (SD-JWT VC §6.3.1) with the caller's client, through the library's network guard:
// https only, public addresses only, at most 3 redirects, 10 s and
// DefaultMaxTypeMetadataBytes per document. A type that is not an https URL is
// ErrInsecureURL; 404 and 410 are errs.ErrNotFound.
func NewHTTPTypeMetadataFetcher(client *http.Client) (TypeMetadataFetcher, error) {
	return newHTTPTypeMetadataFetcher(client, netguard.Options{})
}

func newHTTPTypeMetadataFetcher(client *http.Client, o netguard.Options) (TypeMetadataFetcher, error) {
	o.MaxBodyBytes = DefaultMaxTypeMetadataBytes
	g, err := netguard.New(client, o)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, vct string) ([]byte, error) {
		if _, err := netguard.CheckURL(vct, o); err != nil {
			return nil, fmt.Errorf("sdjwt: type %q: %w", vct, err)
		}
		res, err := g.Get(ctx, vct, "application/json")
		if err != nil {
			return nil, err
		}
		return res.Body, nil
	}, nil
}

// TypeMetadataPolicy makes a Verifier process the type metadata of every SD-JWT VC
// (SD-JWT VC §6.7): the metadata of its vct and of every type it extends is fetched,
// checked against vct#integrity and extends#integrity, and the processed payload is
// validated against the effective claim metadata. A credential that fails any of this
// is ErrTypeMetadata.
type TypeMetadataPolicy struct {
	// Fetch retrieves a type's metadata document; required.
	Fetch TypeMetadataFetcher
	// Optional accepts an SD-JWT VC whose type's own metadata cannot be found (Fetch
	// returns an error wrapping errs.ErrNotFound) without type metadata checks. By
	// default such a credential is rejected. Metadata that is found is always checked in
	// full, and an extended type that cannot be found always fails.
	Optional bool
	// MaxExtends bounds the extends chain; if 0, DefaultMaxExtends.
	MaxExtends int
	// MaxBytes bounds each document; if 0, DefaultMaxTypeMetadataBytes.
	MaxBytes int
}

// TypeMetadata is the effective type metadata of an SD-JWT VC type: its own document
// with the documents of the types it extends applied (SD-JWT VC §6.5, §6.7.4).
type TypeMetadata struct {
	// VCT is the type.
	VCT string
	// Name and Description are the type document's own, for developers.
	Name, Description string
	// Extends lists the types extended, nearest first.
	Extends []string
	// Display is the effective display metadata: the nearest document's that has one.
	Display []map[string]any
	// Claims is the effective claim metadata.
	Claims []ClaimMetadata
}

// ClaimMetadata is one entry of a type's claim metadata (SD-JWT VC §6.7).
type ClaimMetadata struct {
	// Path selects the claims described, as a claims path.
	Path Path
	// Display is the display metadata of the claims.
	Display []ClaimDisplay
	// Mandatory says the issuer must include the claims.
	Mandatory bool
	// SD is "always", "allowed" or "never"; "" when the document says nothing
	// (meaning "allowed").
	SD string
	// SVGID is the claim's id in an SVG template.
	SVGID string
}

// ClaimDisplay is the display metadata of a claim for one locale.
type ClaimDisplay struct {
	Locale      string
	Label       string
	Description string
}

// Claim selective disclosure rules (SD-JWT VC §6.7.5).
const (
	SDAlways  = "always"
	SDAllowed = "allowed"
	SDNever   = "never"
)

var svgID = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ResolveTypeMetadata retrieves the type metadata of vct and of every type it extends
// with p.Fetch, checks each document's integrity (integrity is the credential's
// vct#integrity, "" when it has none) and rules, and returns the effective metadata.
// Failures are ErrTypeMetadata, wrapping the fetcher's error where there is one. With
// p.Optional, a type whose own metadata is not found gives nil, nil.
func ResolveTypeMetadata(ctx context.Context, vct, integrity string, p TypeMetadataPolicy) (*TypeMetadata, error) {
	if p.Fetch == nil || p.MaxExtends < 0 || p.MaxBytes < 0 {
		return nil, fmt.Errorf("sdjwt: type metadata policy without a fetcher, or with negative limits: %w", ErrInvalidOptions)
	}
	maxExt := orDefault(p.MaxExtends, DefaultMaxExtends)
	maxBytes := orDefault(p.MaxBytes, DefaultMaxTypeMetadataBytes)
	var chain []*typeDoc
	seen := map[string]bool{}
	ref, refIntegrity := vct, integrity
	for {
		if seen[ref] {
			return nil, fmt.Errorf("sdjwt: type %q extends itself: %w", ref, ErrTypeMetadata)
		}
		if len(chain) > maxExt {
			return nil, fmt.Errorf("sdjwt: type %q extends more than %d types: %w", vct, maxExt, ErrTypeMetadata)
		}
		seen[ref] = true
		raw, err := p.Fetch(ctx, ref)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			if p.Optional && len(chain) == 0 && errors.Is(err, errs.ErrNotFound) {
				return nil, nil
			}
			return nil, fmt.Errorf("sdjwt: type metadata of %q: %w: %w", ref, ErrTypeMetadata, err)
		}
		if len(raw) > maxBytes {
			return nil, fmt.Errorf("sdjwt: type metadata of %q is larger than %d bytes: %w: %w", ref, maxBytes, ErrTypeMetadata, ErrTooLarge)
		}
		if refIntegrity != "" {
			if err := checkIntegrity(raw, refIntegrity); err != nil {
				return nil, fmt.Errorf("sdjwt: type metadata of %q: %w", ref, err)
			}
		}
		doc, err := parseTypeDoc(raw)
		if err != nil {
			return nil, fmt.Errorf("sdjwt: type metadata of %q: %w", ref, err)
		}
		if doc.vct != ref {
			return nil, fmt.Errorf("sdjwt: type metadata retrieved for %q describes %q: %w", ref, doc.vct, ErrTypeMetadata)
		}
		chain = append(chain, doc)
		if doc.extends == "" {
			break
		}
		ref, refIntegrity = doc.extends, doc.extendsIntegrity
	}
	return effective(chain)
}

// typeDoc is one parsed type metadata document.
type typeDoc struct {
	vct, name, description    string
	extends, extendsIntegrity string
	display                   []map[string]any
	hasDisplay                bool
	claims                    []claimDoc
}

// claimDoc is a claim metadata object with which properties it sets.
type claimDoc struct {
	ClaimMetadata
	hasDisplay, hasMandatory, hasSVG bool
}

func parseTypeDoc(raw []byte) (*typeDoc, error) {
	v, err := jsonx.Decode(raw, jsonx.Limits{MaxBytes: len(raw) + 1, MaxDepth: 16})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTypeMetadata, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("document is not a JSON object: %w", ErrTypeMetadata)
	}
	d := &typeDoc{}
	str := func(name string, required bool) (string, error) {
		raw, ok := m[name]
		if !ok {
			if required {
				return "", fmt.Errorf("no %s: %w", name, ErrTypeMetadata)
			}
			return "", nil
		}
		s, ok := raw.(string)
		if !ok || s == "" && required {
			return "", fmt.Errorf("%s is not a non-empty string: %w", name, ErrTypeMetadata)
		}
		return s, nil
	}
	if d.vct, err = str("vct", true); err != nil {
		return nil, err
	}
	if d.name, err = str("name", false); err != nil {
		return nil, err
	}
	if d.description, err = str("description", false); err != nil {
		return nil, err
	}
	if d.extends, err = str("extends", false); err != nil {
		return nil, err
	}
	if d.extendsIntegrity, err = str("extends#integrity", false); err != nil {
		return nil, err
	}
	if d.extendsIntegrity != "" && d.extends == "" {
		return nil, fmt.Errorf("extends#integrity without extends: %w", ErrTypeMetadata)
	}
	if raw, ok := m["display"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("display is not an array: %w", ErrTypeMetadata)
		}
		for i, e := range list {
			o, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("display[%d] is not an object: %w", i, ErrTypeMetadata)
			}
			if s, ok := o["locale"].(string); !ok || s == "" {
				return nil, fmt.Errorf("display[%d] has no locale: %w", i, ErrTypeMetadata)
			}
			d.display = append(d.display, o)
		}
		d.hasDisplay = true
	}
	if raw, ok := m["claims"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("claims is not an array: %w", ErrTypeMetadata)
		}
		if len(list) > maxClaimMetadata {
			return nil, fmt.Errorf("more than %d claim metadata objects: %w", maxClaimMetadata, ErrTypeMetadata)
		}
		ids := map[string]bool{}
		for i, e := range list {
			c, err := parseClaimDoc(e)
			if err != nil {
				return nil, fmt.Errorf("claims[%d]: %w", i, err)
			}
			if c.SVGID != "" {
				if ids[c.SVGID] {
					return nil, fmt.Errorf("claims[%d]: svg_id %q is not unique: %w", i, c.SVGID, ErrTypeMetadata)
				}
				ids[c.SVGID] = true
			}
			d.claims = append(d.claims, c)
		}
	}
	return d, nil
}

func parseClaimDoc(e any) (claimDoc, error) {
	var c claimDoc
	o, ok := e.(map[string]any)
	if !ok {
		return c, fmt.Errorf("not an object: %w", ErrTypeMetadata)
	}
	list, ok := o["path"].([]any)
	if !ok || len(list) == 0 {
		return c, fmt.Errorf("path is not a non-empty array: %w", ErrTypeMetadata)
	}
	for _, comp := range list {
		switch t := comp.(type) {
		case nil, string:
			c.Path = append(c.Path, t)
		case json.Number:
			n, err := strconv.Atoi(string(t))
			if err != nil || n < 0 {
				return c, fmt.Errorf("path holds %s, not a non-negative integer: %w", t, ErrTypeMetadata)
			}
			c.Path = append(c.Path, n)
		default:
			return c, fmt.Errorf("path holds a %T: %w", comp, ErrTypeMetadata)
		}
	}
	if raw, ok := o["display"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return c, fmt.Errorf("display is not an array: %w", ErrTypeMetadata)
		}
		for i, e := range list {
			d, ok := e.(map[string]any)
			if !ok {
				return c, fmt.Errorf("display[%d] is not an object: %w", i, ErrTypeMetadata)
			}
			locale, ok1 := d["locale"].(string)
			label, ok2 := d["label"].(string)
			if !ok1 || !ok2 || locale == "" {
				return c, fmt.Errorf("display[%d] needs a locale and a label: %w", i, ErrTypeMetadata)
			}
			desc, ok := d["description"].(string)
			if _, has := d["description"]; has && !ok {
				return c, fmt.Errorf("display[%d] description is not a string: %w", i, ErrTypeMetadata)
			}
			c.Display = append(c.Display, ClaimDisplay{Locale: locale, Label: label, Description: desc})
		}
		c.hasDisplay = true
	}
	if raw, ok := o["mandatory"]; ok {
		b, ok := raw.(bool)
		if !ok {
			return c, fmt.Errorf("mandatory is not a boolean: %w", ErrTypeMetadata)
		}
		c.Mandatory, c.hasMandatory = b, true
	}
	if raw, ok := o["sd"]; ok {
		s, _ := raw.(string)
		switch s {
		case SDAlways, SDAllowed, SDNever:
			c.SD = s
		default:
			return c, fmt.Errorf("sd is not always, allowed or never: %w", ErrTypeMetadata)
		}
	}
	if raw, ok := o["svg_id"]; ok {
		s, ok := raw.(string)
		if !ok || !svgID.MatchString(s) {
			return c, fmt.Errorf("svg_id is not an identifier: %w", ErrTypeMetadata)
		}
		c.SVGID, c.hasSVG = s, true
	}
	return c, nil
}

// effective applies the chain, most distant type first (SD-JWT VC §6.5, §6.7.4).
func effective(chain []*typeDoc) (*TypeMetadata, error) {
	self := chain[0]
	out := &TypeMetadata{VCT: self.vct, Name: self.name, Description: self.description}
	for _, d := range chain[1:] {
		out.Extends = append(out.Extends, d.vct)
	}
	var claims []claimDoc
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		if d.hasDisplay {
			out.Display = d.display
		}
		for _, c := range d.claims {
			j := slices.IndexFunc(claims, func(b claimDoc) bool { return samePath(b.Path, c.Path) })
			if j < 0 {
				claims = append(claims, c)
				continue
			}
			base := &claims[j]
			if base.SD != "" && base.SD != SDAllowed && c.SD != "" && c.SD != base.SD {
				return nil, fmt.Errorf("sdjwt: type %q changes sd of %v from %s to %s: %w", d.vct, c.Path, base.SD, c.SD, ErrTypeMetadata)
			}
			if base.Mandatory && c.hasMandatory && !c.Mandatory {
				return nil, fmt.Errorf("sdjwt: type %q makes the mandatory claim %v optional: %w", d.vct, c.Path, ErrTypeMetadata)
			}
			if c.hasDisplay {
				base.Display, base.hasDisplay = c.Display, true
			}
			if c.hasMandatory {
				base.Mandatory, base.hasMandatory = c.Mandatory, true
			}
			if c.SD != "" {
				base.SD = c.SD
			}
			if c.hasSVG {
				base.SVGID, base.hasSVG = c.SVGID, true
			}
		}
	}
	for _, c := range claims {
		out.Claims = append(out.Claims, c.ClaimMetadata)
	}
	return out, nil
}

func samePath(a, b Path) bool {
	return slices.EqualFunc(a, b, func(x, y any) bool { return x == y })
}

// checkIntegrity verifies doc against W3C SRI integrity metadata as SD-JWT VC §7
// defines: of the hash expressions, those of the strongest supported algorithm count,
// and one of them must match.
func checkIntegrity(doc []byte, metadata string) error {
	type expr struct {
		rank   int
		digest []byte
	}
	var best []expr
	for _, tok := range strings.Fields(metadata) {
		tok, _, _ = strings.Cut(tok, "?") // options are reserved and ignored
		alg, b64, ok := strings.Cut(tok, "-")
		if !ok {
			continue
		}
		rank := map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}[alg]
		if rank == 0 {
			continue
		}
		digest, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		switch {
		case len(best) == 0 || rank > best[0].rank:
			best = []expr{{rank, digest}}
		case rank == best[0].rank:
			best = append(best, expr{rank, digest})
		}
	}
	if len(best) == 0 {
		return fmt.Errorf("integrity metadata %q names no supported hash (sha256, sha384, sha512): %w", metadata, ErrTypeMetadata)
	}
	var h hash.Hash
	switch best[0].rank {
	case 1:
		h = sha256.New()
	case 2:
		h = sha512.New384()
	default:
		h = sha512.New()
	}
	h.Write(doc)
	sum := h.Sum(nil)
	for _, e := range best {
		if subtle.ConstantTimeCompare(sum, e.digest) == 1 {
			return nil
		}
	}
	return fmt.Errorf("document does not match its integrity metadata: %w", ErrTypeMetadata)
}

// shape records what a verifier needs, beyond the processed payload, to apply claim
// metadata: the containers in which a digest had no disclosure, and where arrays lost
// elements that were not disclosed. Keys are pathKey of processed positions.
type shape struct {
	hidden map[string]bool
	arrays map[string]arrayShape
}

type arrayShape struct {
	issued []int // the issued index of each element of the processed array
	n      int   // the issued length
}

func newShape() *shape {
	return &shape{hidden: map[string]bool{}, arrays: map[string]arrayShape{}}
}

func (s *shape) array(stack []component, issued []int, n int) {
	s.arrays[pathKey(stack)] = arrayShape{issued: slices.Clone(issued), n: n}
}

// pathKey encodes a processed position as a map key.
func pathKey(cs []component) string {
	var b strings.Builder
	for _, c := range cs {
		if c.index >= 0 {
			b.WriteByte(1)
			b.WriteString(strconv.Itoa(c.index))
		} else {
			b.WriteByte(0)
			b.WriteString(c.name)
		}
		b.WriteByte(0xff)
	}
	return b.String()
}

// selected is one element a claims path selects: its processed position, or an issued
// array element that was not disclosed (its contents unknown).
type selected struct {
	at      []component
	value   any
	unknown bool
}

// CheckTypeMetadata validates a verified SD-JWT VC against effective type metadata
// (SD-JWT VC §6.7): every path must be processable, a claim with sd "always" must have
// been disclosed by a disclosure of its own, one with sd "never" must be in plain text,
// and a mandatory claim must be present wherever the verifier can tell it is absent
// (where no digest could stand for it). v must come from a Verifier with a
// TypeMetadataPolicy, which records what these checks need; otherwise
// ErrInvalidOptions.
func CheckTypeMetadata(v *Verified, m *TypeMetadata) error {
	if v == nil || m == nil || v.shape == nil {
		return fmt.Errorf("sdjwt: claim metadata can only be checked on a result of a Verifier with a TypeMetadataPolicy: %w", ErrInvalidOptions)
	}
	disclosed := make(map[string]bool, len(v.disclosed))
	for _, at := range v.disclosed {
		disclosed[pathKey(at)] = true
	}
	for _, c := range m.Claims {
		sel, canHide, err := selectIssued(v.claims, c.Path, v.shape)
		if err != nil {
			return fmt.Errorf("sdjwt: claim metadata path %v: %w: %w", c.Path, ErrTypeMetadata, err)
		}
		if c.Mandatory && len(sel) == 0 && !canHide {
			return fmt.Errorf("sdjwt: the mandatory claim %v is missing: %w", c.Path, ErrTypeMetadata)
		}
		for _, s := range sel {
			sd := s.unknown || disclosed[pathKey(s.at)]
			switch {
			case c.SD == SDAlways && !sd:
				return fmt.Errorf("sdjwt: claim %v must be selectively disclosable: %w", pathOfComponents(s.at), ErrTypeMetadata)
			case c.SD == SDNever && s.unknown:
				return fmt.Errorf("sdjwt: an undisclosed element of %v must not be selectively disclosable: %w", pathOfComponents(s.at), ErrTypeMetadata)
			case c.SD == SDNever && sd:
				return fmt.Errorf("sdjwt: claim %v must not be selectively disclosable: %w", pathOfComponents(s.at), ErrTypeMetadata)
			}
		}
	}
	return nil
}

var errPathShape = errors.New("a path component does not fit the claim's JSON type")

// selectIssued processes a claims path against the processed payload as if against the
// payload as issued (SD-JWT VC §6.7.1): integer indices count array elements that were
// not disclosed. canHide reports whether a claim the path names could be hidden in a
// container where a digest had no disclosure.
func selectIssued(root map[string]any, path Path, sh *shape) (sel []selected, canHide bool, err error) {
	cur := []selected{{value: root}}
	for _, comp := range path {
		var next []selected
		for _, s := range cur {
			if s.unknown {
				canHide = true // an undisclosed element: its contents are unknown
				continue
			}
			switch c := comp.(type) {
			case string:
				m, ok := s.value.(map[string]any)
				if !ok {
					return nil, false, errPathShape
				}
				if v, ok := m[c]; ok {
					next = append(next, selected{at: appendComp(s.at, component{name: c, index: -1, rank: -1}), value: v})
				} else if sh.hidden[pathKey(s.at)] {
					canHide = true // the member may be behind a digest without a disclosure
				}
			case nil:
				a, ok := s.value.([]any)
				if !ok {
					return nil, false, errPathShape
				}
				for i, v := range a {
					next = append(next, selected{at: appendComp(s.at, component{index: i, rank: -1}), value: v})
				}
				if as, ok := sh.arrays[pathKey(s.at)]; ok {
					for k := len(a); k < as.n; k++ {
						next = append(next, selected{at: s.at, unknown: true})
					}
				}
			case int:
				a, ok := s.value.([]any)
				if !ok {
					return nil, false, errPathShape
				}
				as, shaped := sh.arrays[pathKey(s.at)]
				if !shaped {
					if c < len(a) {
						next = append(next, selected{at: appendComp(s.at, component{index: c, rank: -1}), value: a[c]})
					}
					continue
				}
				if j := slices.Index(as.issued, c); j >= 0 {
					next = append(next, selected{at: appendComp(s.at, component{index: j, rank: -1}), value: a[j]})
				} else if c < as.n {
					next = append(next, selected{at: s.at, unknown: true})
				}
			default:
				return nil, false, errPathShape
			}
		}
		cur = next
	}
	return cur, canHide, nil
}

func appendComp(at []component, c component) []component {
	out := make([]component, len(at), len(at)+1)
	copy(out, at)
	return append(out, c)
}
