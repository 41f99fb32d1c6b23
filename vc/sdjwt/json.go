package sdjwt

import "fmt"

// The JWS JSON serialization of RFC 9901 §8, as written. The disclosures and the key
// binding JWT go in the first signature's unprotected header, with its kid if it came
// there; a further signature's unprotected header holds at most its kid.

type firstHeader struct {
	Disclosures []string `json:"disclosures"`
	Kid         string   `json:"kid,omitempty"`
	KB          string   `json:"kb_jwt,omitempty"`
}

type otherHeader struct {
	Kid string `json:"kid"`
}

type flattened struct {
	Header    firstHeader `json:"header"`
	Payload   string      `json:"payload"`
	Protected string      `json:"protected"`
	Signature string      `json:"signature"`
}

type generalSig struct {
	Header    any    `json:"header,omitempty"`
	Protected string `json:"protected"`
	Signature string `json:"signature"`
}

type general struct {
	Payload    string       `json:"payload"`
	Signatures []generalSig `json:"signatures"`
}

// jsonForm writes t in its JSON serialization.
func (t *token) jsonForm() ([]byte, error) {
	discs := t.discs
	if discs == nil {
		discs = []string{}
	}
	first := firstHeader{Disclosures: discs, Kid: t.sigs[0].kid, KB: string(t.kb)}
	switch t.ser {
	case FlattenedJSON:
		return marshal(flattened{Header: first, Payload: t.payload, Protected: t.sigs[0].protected, Signature: t.sigs[0].signature})
	case GeneralJSON:
		g := general{Payload: t.payload}
		for i, s := range t.sigs {
			gs := generalSig{Protected: s.protected, Signature: s.signature}
			if i == 0 {
				gs.Header = first
			} else if s.kid != "" {
				gs.Header = otherHeader{Kid: s.kid}
			}
			g.Signatures = append(g.Signatures, gs)
		}
		return marshal(g)
	}
	return nil, fmt.Errorf("sdjwt: %v is not a JSON serialization: %w", t.ser, ErrInvalidOptions)
}
