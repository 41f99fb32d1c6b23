package dcql

import (
	"fmt"
	"slices"
	"strconv"
)

// Presentation is one credential the wallet presents for a credential query, with the
// claim paths to disclose.
type Presentation struct {
	CredentialID string
	Disclose     [][]any
}

// Response returns what the wallet presents, keyed by credential query id as the
// vp_token of OpenID4VP 1.0 §8.1 is: every credential query when the query has no
// credential_sets, otherwise those of the first satisfiable option of each credential set
// (optional sets included when satisfiable). A query with multiple presents every match,
// any other its first. Callers that let the user choose read [Result.Queries] instead.
func (r *Result) Response() map[string][]Presentation {
	out := make(map[string][]Presentation, len(r.chosen))
	for _, qr := range r.Queries {
		if !r.chosen[qr.ID] || len(qr.Matches) == 0 {
			continue
		}
		ms := qr.Matches[:1]
		if r.multiple(qr.ID) {
			ms = qr.Matches
		}
		ps := make([]Presentation, len(ms))
		for i, m := range ms {
			ps[i] = Presentation{CredentialID: m.CredentialID, Disclose: m.Disclose}
		}
		out[qr.ID] = ps
	}
	return out
}

func (r *Result) multiple(id string) bool {
	for _, cq := range r.query.Credentials {
		if cq.ID == id {
			return cq.Multiple
		}
	}
	return false
}

// CheckResponse checks, for a verifier, that presented (per credential query id, the
// credentials that came back, as views of verified credentials) satisfies q: each
// presented credential meets its credential query (format, meta, holder binding, the
// requested claims with allowed values, one claim set), only requested query ids appear,
// at most one credential each unless multiple, and every required credential set (or,
// without credential_sets, every credential query) is answered. Set HolderBound only for
// credentials whose holder proved possession of the bound key in this presentation. It
// does not interpret trusted_authorities: the verifier's issuer trust policy does. The error wraps
// [ErrNoMatch] (a [*NoMatchError]) or, for a nil query, [ErrMalformed].
func CheckResponse(q *Query, presented map[string][]Credential) error {
	if q == nil || len(q.Credentials) == 0 {
		return malformed("empty query")
	}
	var reasons []string
	byID := make(map[string]*CredentialQuery, len(q.Credentials))
	for i := range q.Credentials {
		byID[q.Credentials[i].ID] = &q.Credentials[i]
	}
	ids := make([]string, 0, len(presented))
	for id := range presented {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	answered := map[string]bool{}
	for _, id := range ids {
		creds := presented[id]
		cq, ok := byID[id]
		switch {
		case !ok:
			reasons = append(reasons, "credential query "+strconv.Quote(id)+" was not requested")
			continue
		case len(creds) == 0:
			continue
		case len(creds) > 1 && !cq.Multiple:
			reasons = append(reasons, fmt.Sprintf("credential query %q: %d credentials presented, multiple not allowed", id, len(creds)))
			continue
		case cq.Format == FormatMDoc:
			reasons = append(reasons, fmt.Sprintf("credential query %q: %s", id, ReasonUnsupportedMDoc))
			continue
		}
		good := true
		for i := range creds {
			if _, reason, path := matchCredential(cq, &creds[i], nil, false); reason != "" {
				if path != nil {
					reason += " " + pathString(path)
				}
				reasons = append(reasons, fmt.Sprintf("credential query %q: credential %d: %s", id, i, reason))
				good = false
			}
		}
		answered[id] = good
	}
	if q.CredentialSets == nil {
		for _, cq := range q.Credentials {
			if _, ok := presented[cq.ID]; !ok || len(presented[cq.ID]) == 0 {
				reasons = append(reasons, "credential query "+strconv.Quote(cq.ID)+": nothing presented")
			}
		}
	} else {
		for i, cs := range q.CredentialSets {
			if !cs.Required {
				continue
			}
			ok := false
			for _, opt := range cs.Options {
				all := true
				for _, id := range opt {
					all = all && answered[id]
				}
				ok = ok || all
			}
			if !ok {
				reasons = append(reasons, fmt.Sprintf("credential_sets[%d]: no option answered", i))
			}
		}
	}
	if reasons != nil {
		return &NoMatchError{Reasons: reasons}
	}
	return nil
}
