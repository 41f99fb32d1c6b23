package dataintegrity

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/credence-dev/credence/did"
)

// MaxProofs bounds the proofs of one document (a proof set or chain); more is ErrTooLarge.
const MaxProofs = 16

// maxProofValue bounds the proofValue text before base58 decoding, which is quadratic:
// the largest proof of a suite here (P-384, 96 bytes) is 132 characters.
const maxProofValue = 256

// proof is one proof object of a document, with its members checked for type and syntax.
type proof struct {
	path  string
	obj   map[string]any // as decoded; never modified
	suite *suite

	typ, cryptosuite, vm, purpose, id string
	challenge, domain                 *string  // nil when absent
	domains                           []string // domain given as an array
	created, expires                  time.Time
	hasCreated, hasExpires            bool
	previous                          []string
	value                             []byte // decoded proofValue
	hasContext                        bool
	// The decoded proofValue of ecdsa-sd-2023, one of them set.
	sdBase    *ecdsaSDBase
	sdDerived *ecdsaSDDerived
	// The decoded proofValue of bbs-2023, one of them set.
	bbsBase    *bbsBase
	bbsDerived *bbsDerived
}

// isBase reports whether the proof is a selective disclosure base proof, for the holder.
func (p *proof) isBase() bool { return p.sdBase != nil || p.bbsBase != nil }

func invalid(format string, args ...any) error {
	return fmt.Errorf("dataintegrity: "+format+": %w", append(args, ErrInvalidProof)...)
}

// parseProof checks the members of a proof object (Data Integrity 1.0 §2.1) without
// looking at keys or the document. The suite is found first, so that proofs of suites
// this package does not implement fail as ErrUnsupportedProof whatever else they hold.
func parseProof(path string, v any) (*proof, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("proof is a JSON %s, not an object", jsonKind(v))
	}
	p := &proof{path: path, obj: obj}
	var err error
	if p.typ, err = stringMember(obj, "type", true); err != nil {
		return nil, err
	}
	cs, hasCS := obj["cryptosuite"]
	switch p.typ {
	case DataIntegrityProof:
		if !hasCS {
			return nil, invalid("DataIntegrityProof without cryptosuite")
		}
		if p.cryptosuite, err = stringMember(obj, "cryptosuite", true); err != nil {
			return nil, err
		}
		if p.suite = suiteByName(p.cryptosuite); p.suite == nil || p.suite.proofType != DataIntegrityProof {
			return nil, fmt.Errorf("dataintegrity: unknown cryptosuite %.64q: %w", p.cryptosuite, ErrUnsupportedProof)
		}
	case Ed25519Signature2020:
		if hasCS {
			return nil, invalid("%s with a cryptosuite (%v)", p.typ, cs)
		}
		p.suite = suiteByName(Ed25519Signature2020)
	default:
		return nil, fmt.Errorf("dataintegrity: proof type %.64q: %w", p.typ, ErrUnsupportedProof)
	}

	vm, ok := obj["verificationMethod"]
	if !ok {
		return nil, fmt.Errorf("dataintegrity: proof without verificationMethod: %w", ErrMissingKeyID)
	}
	if p.vm, ok = vm.(string); !ok {
		return nil, invalid("verificationMethod is a JSON %s, not a string", jsonKind(vm))
	}
	if _, err := did.ParseURL(p.vm); err != nil {
		return nil, fmt.Errorf("dataintegrity: verificationMethod is not a DID URL (%v): %w", err, ErrInvalidDIDURL)
	}
	if p.purpose, err = stringMember(obj, "proofPurpose", true); err != nil {
		return nil, err
	}
	if p.id, err = stringMember(obj, "id", false); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		name string
		at   *time.Time
		has  *bool
	}{{"created", &p.created, &p.hasCreated}, {"expires", &p.expires, &p.hasExpires}} {
		s, err := stringMember(obj, t.name, false)
		if err != nil {
			return nil, err
		}
		if _, ok := obj[t.name]; !ok {
			continue
		}
		if *t.at, err = parseDateTime(s); err != nil {
			return nil, invalid("%s is not an XML Schema dateTime", t.name)
		}
		*t.has = true
	}
	if p.hasCreated && p.hasExpires && p.expires.Before(p.created) {
		return nil, invalid("expires before created")
	}
	if p.challenge, err = optionalString(obj, "challenge"); err != nil {
		return nil, err
	}
	if _, err := optionalString(obj, "nonce"); err != nil {
		return nil, err
	}
	if d, ok := obj["domain"]; ok {
		if s, ok := d.(string); ok {
			p.domain = &s
		} else if p.domains, err = stringList(d, "domain"); err != nil {
			return nil, err
		}
	}
	if pp, ok := obj["previousProof"]; ok {
		if s, ok := pp.(string); ok {
			p.previous = []string{s}
		} else if p.previous, err = stringList(pp, "previousProof"); err != nil {
			return nil, err
		}
	}
	_, p.hasContext = obj["@context"]

	pv, err := stringMember(obj, "proofValue", true)
	if err != nil {
		return nil, err
	}
	if p.suite.isBBS() {
		// A base proof is decoded too, as for ecdsa-sd-2023; a proof value of a feature
		// option (holder binding, pseudonyms) is ErrUnsupportedProof.
		if p.bbsBase, p.bbsDerived, err = parseBBSProofValue(pv); err != nil {
			return nil, err
		}
		return p, nil
	}
	if p.suite.sd {
		// A base proof is decoded too, so that the caller can name it (Verify refuses
		// it, VerifyBase checks it).
		if p.sdDerived, err = parseECDSASDDerived(pv); errors.Is(err, ErrBaseProofPresented) {
			p.sdDerived = nil
			p.sdBase, err = parseECDSASDBase(pv)
		}
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	if len(pv) > maxProofValue || !strings.HasPrefix(pv, "z") {
		return nil, invalid("proofValue is not base58btc multibase (prefix z) of at most %d characters", maxProofValue)
	}
	if p.value, err = base58Decode(pv[1:]); err != nil {
		return nil, invalid("proofValue is not base58btc")
	}
	// The exact length depends on the key (P-256 or P-384); these are the lengths the
	// suite's keys can have, checked before anything is resolved.
	if n := len(p.value); n != 64 && (p.suite.family != nist || n != 96) {
		return nil, invalid("proofValue of %d bytes for %s", n, p.suite.name)
	}
	return p, nil
}

func stringMember(obj map[string]any, name string, required bool) (string, error) {
	v, ok := obj[name]
	if !ok {
		if required {
			return "", invalid("proof without %s", name)
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", invalid("%s is a JSON %s, not a string", name, jsonKind(v))
	}
	if s == "" {
		return "", invalid("%s is empty", name)
	}
	return s, nil
}

func optionalString(obj map[string]any, name string) (*string, error) {
	v, ok := obj[name]
	if !ok {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, invalid("%s is a JSON %s, not a string", name, jsonKind(v))
	}
	return &s, nil
}

// stringList accepts a non-empty array of non-empty strings.
func stringList(v any, name string) ([]string, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, invalid("%s is not a string or a non-empty array of strings", name)
	}
	out := make([]string, len(arr))
	for i, el := range arr {
		s, ok := el.(string)
		if !ok || s == "" {
			return nil, invalid("%s holds a JSON %s, not a string", name, jsonKind(el))
		}
		out[i] = s
	}
	return out, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "number"
}
