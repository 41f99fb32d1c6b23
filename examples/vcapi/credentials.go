package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// issueRequest is the body of POST /credentials/issue (VC-API).
type issueRequest struct {
	Credential json.RawMessage `json:"credential"`
	Options    struct {
		// MandatoryPointers are, for ecdsa-sd-2023 and bbs-2023, the JSON Pointers every
		// derived credential must reveal; the other suites refuse them.
		MandatoryPointers []string `json:"mandatoryPointers,omitempty"`
	} `json:"options"`
}

// verifyRequest is the body of POST /credentials/verify.
type verifyRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	// Options are accepted and not used: checks cannot switch a check off (proof, status
	// and validity are always checked), and a credential has no challenge.
	Options json.RawMessage `json:"options"`
}

// deriveRequest is the body of POST /credentials/derive.
type deriveRequest struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
	Options              struct {
		SelectivePointers []string `json:"selectivePointers"`
	} `json:"options"`
}

// verifyResult is the body of a successful verification.
type verifyResult struct {
	Verified       bool            `json:"verified"`
	Results        struct{}        `json:"results"`
	ProblemDetails []problemDetail `json:"problemDetails"`
}

func verified() verifyResult { return verifyResult{Verified: true, ProblemDetails: []problemDetail{}} }

// issue validates the credential against the data model, gives it status entries (a VCDM
// 2.0 credential on the paths that have status lists, unless it carries a credentialStatus
// of its own), secures it and answers 201 with the bare secured credential, which the
// suites read both over http and https.
func (bp *basePath) issue(w http.ResponseWriter, r *http.Request) {
	var req issueRequest
	if err := decodeBody(r, &req); err != nil {
		bp.srv.fail(w, r, statusFor(err), "invalid request", err, false)
		return
	}
	if !isObject(req.Credential) {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential", fmt.Errorf("credential must be a JSON object: %w", vc.ErrMalformed), false)
		return
	}
	c, err := vc.ParseCredential(req.Credential)
	if err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential", err, false)
		return
	}
	switch {
	case c.Issuer.ID == "" && len(c.Issuer.Extra) == 0:
		c.Issuer = vc.Party{ID: bp.id.DID} // VC-API: the issuer service names itself
	case c.Issuer.ID != bp.id.DID:
		// The key this path signs with belongs to its DID; a credential naming another
		// issuer would not be that issuer's.
		bp.srv.fail(w, r, http.StatusBadRequest, "issuer mismatch",
			fmt.Errorf("credential names issuer %s, this path issues as %s: %w", c.Issuer.ID, bp.id.DID, vc.ErrIssuerMismatch), false)
		return
	}
	if err := c.Validate(); err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential", err, false)
		return
	}
	if err := checkStatusEntries(req.Credential); err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid status entry", err, false)
		return
	}
	index := -1
	// Bitstring Status List entries are VCDM 2.0 terms; a 1.1 credential gets none.
	if bp.lists != nil && len(c.Status) == 0 && c.Version() == vc.V2 {
		st, i, err := bp.lists.entries(r.Context())
		if err != nil {
			bp.srv.fail(w, r, http.StatusServiceUnavailable, "no status list index left", err, false)
			return
		}
		c.Status, index = st, i
	}
	unsigned, err := c.MarshalJSON()
	if err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential", err, false)
		return
	}
	out, err := bp.secure(r.Context(), unsigned, bp.Suite, req.Options.MandatoryPointers)
	if err != nil {
		bp.srv.fail(w, r, issueStatusFor(r.Context(), err), "credential not issued", err, false)
		return
	}
	if index >= 0 && c.ID != "" {
		bp.lists.remember(c.ID, index)
	}
	bp.log.LogAttrs(r.Context(), slog.LevelInfo, "issued", slog.String("format", string(bp.Format)), slog.Bool("status", index >= 0))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(out)
}

// issueStatusFor is 400 for anything about the request, 503 when the request was cut
// short.
func issueStatusFor(ctx context.Context, err error) int {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// statusFor maps a request-reading error to its status code.
func statusFor(err error) int {
	if errors.Is(err, vc.ErrTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// checkStatusEntries finds every object of type BitstringStatusListEntry in the
// credential, wherever it sits, and checks it as a status entry: an issuer must not sign
// a malformed one (Bitstring Status List §3.6 MALFORMED_VALUE_ERROR). The credential has
// passed vc.ParseCredential, so its size and depth are bounded.
func checkStatusEntries(raw json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("credential: %v: %w", err, vc.ErrMalformed)
	}
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case map[string]any:
			if hasType(v["type"], status.EntryTypeBitstring) {
				data, err := json.Marshal(v)
				if err != nil {
					return fmt.Errorf("status entry: %v: %w", err, vc.ErrMalformed)
				}
				if _, err := status.ParseBitstringEntry(data); err != nil {
					return err
				}
			}
			for _, m := range v {
				if err := walk(m); err != nil {
					return err
				}
			}
		case []any:
			for _, m := range v {
				if err := walk(m); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(doc)
}

// hasType reports whether a JSON type value (a string or an array of strings) holds t.
func hasType(v any, t string) bool {
	switch v := v.(type) {
	case string:
		return v == t
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s == t {
				return true
			}
		}
	}
	return false
}

// verifyCredential answers exactly 200 with verified true, or 400 with a problem naming
// the sentinel. Proof, issuer key, data model, validity and status are always checked.
func (bp *basePath) verifyCredential(w http.ResponseWriter, r *http.Request) {
	var req verifyRequest
	if err := decodeBody(r, &req); err != nil {
		bp.srv.fail(w, r, statusFor(err), "invalid request", err, true)
		return
	}
	if !isObject(req.VerifiableCredential) {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential",
			fmt.Errorf("verifiableCredential must be a JSON object: %w", vc.ErrMalformed), true)
		return
	}
	v, err := bp.srv.verifier()
	if err != nil {
		bp.srv.fail(w, r, http.StatusInternalServerError, "verifier unavailable", err, true)
		return
	}
	got, err := v.VerifyCredential(r.Context(), req.VerifiableCredential)
	if err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "credential not verified", err, true)
		return
	}
	bp.log.LogAttrs(r.Context(), slog.LevelInfo, "verified", slog.Any("credential", got))
	writeJSON(w, http.StatusOK, verified())
}

// derive turns a credential with an ecdsa-sd-2023 or bbs-2023 base proof into one that
// reveals the mandatory statements and those options.selectivePointers select, and
// answers 201 with it. The base proof is not verified here: the verifier of the derived
// credential checks the issuer's signature over everything revealed. Paths of suites
// without selective disclosure answer 400.
func (bp *basePath) derive(w http.ResponseWriter, r *http.Request) {
	if !bp.Derive {
		bp.srv.fail(w, r, http.StatusBadRequest, "nothing to derive",
			fmt.Errorf("%s credentials cannot be derived; use ecdsa-sd-2023 or bbs-2023: %w", bp.Path[1:], vc.ErrUnsupportedProof), false)
		return
	}
	var req deriveRequest
	if err := decodeBody(r, &req); err != nil {
		bp.srv.fail(w, r, statusFor(err), "invalid request", err, false)
		return
	}
	if !isObject(req.VerifiableCredential) {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid credential",
			fmt.Errorf("verifiableCredential must be a JSON object: %w", vc.ErrMalformed), false)
		return
	}
	out, err := vc.DeriveCredential(r.Context(), req.VerifiableCredential,
		vc.DeriveOptions{Disclose: req.Options.SelectivePointers, Contexts: bp.srv.contexts})
	if err != nil {
		bp.srv.fail(w, r, issueStatusFor(r.Context(), err), "credential not derived", err, false)
		return
	}
	bp.log.LogAttrs(r.Context(), slog.LevelInfo, "derived", slog.Int("selectivePointers", len(req.Options.SelectivePointers)))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(out)
}

// unsupported answers every endpoint of a path whose suite the library lacks.
func (bp *basePath) unsupported(w http.ResponseWriter, r *http.Request) {
	bp.srv.fail(w, r, http.StatusNotImplemented, "not implemented",
		fmt.Errorf("%s: %s: %w", bp.Path, bp.Unsupported, vc.ErrUnsupportedProof), false)
}
