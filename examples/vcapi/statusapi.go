package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// statusRequest is the body of POST /credentials/status (VC-API update status): the id
// of a credential this path issued and the entries to change, one object or an array.
//
//	{"credentialId": "urn:uuid:...", "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}
//
// status, when present, is true (set) or false (clear); absent means set. A revocation
// cannot be cleared.
type statusRequest struct {
	CredentialID     string          `json:"credentialId"`
	CredentialStatus json.RawMessage `json:"credentialStatus"`
}

type statusChange struct {
	Type    string `json:"type"`
	Purpose string `json:"statusPurpose"`
	Status  *bool  `json:"status,omitempty"`
}

// statusChanged is one entry of the answer: where the status lives and its new value.
type statusChanged struct {
	Type           string `json:"type"`
	Purpose        string `json:"statusPurpose"`
	ListCredential string `json:"statusListCredential"`
	Index          string `json:"statusListIndex"`
	Status         bool   `json:"status"`
}

// updateStatus sets or clears bits of the lists of an issued credential and republishes
// them; it answers 200 with the entries changed.
func (bp *basePath) updateStatus(w http.ResponseWriter, r *http.Request) {
	var req statusRequest
	if err := decodeBody(r, &req); err != nil {
		bp.srv.fail(w, r, statusFor(err), "invalid request", err, false)
		return
	}
	changes, err := parseChanges(req.CredentialStatus)
	if err != nil {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid status change", err, false)
		return
	}
	if req.CredentialID == "" {
		bp.srv.fail(w, r, http.StatusBadRequest, "invalid status change", fmt.Errorf("credentialId is required: %w", vc.ErrMalformed), false)
		return
	}
	index, ok := bp.lists.indexOf(req.CredentialID)
	if !ok {
		bp.srv.fail(w, r, http.StatusNotFound, "unknown credential",
			fmt.Errorf("no credential %s with a status entry was issued here: %w", req.CredentialID, vc.ErrNotFound), false)
		return
	}
	var out []statusChanged
	for _, ch := range changes {
		list := bp.lists.list(ch.Purpose)
		on := ch.Status == nil || *ch.Status
		if err := list.set(r.Context(), bp.sign, bp.id.DID, index, on); err != nil {
			bp.srv.fail(w, r, issueStatusFor(r.Context(), err), "status not changed", err, false)
			return
		}
		bp.srv.statusChanged()
		bp.log.LogAttrs(r.Context(), slog.LevelInfo, "status changed", slog.String("purpose", ch.Purpose), slog.Bool("set", on))
		out = append(out, statusChanged{Type: status.EntryTypeBitstring, Purpose: ch.Purpose, ListCredential: list.url,
			Index: fmt.Sprint(index), Status: on})
	}
	writeJSON(w, http.StatusOK, map[string]any{"credentialId": req.CredentialID, "credentialStatus": out})
}

// parseChanges reads credentialStatus of a status request: each entry must be a
// BitstringStatusListEntry change of revocation or suspension, and revocation is final.
func parseChanges(raw json.RawMessage) ([]statusChange, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, fmt.Errorf("credentialStatus is required: %w", vc.ErrMalformed)
	}
	var changes []statusChange
	if raw[0] == '[' {
		if err := strictUnmarshal(raw, &changes); err != nil {
			return nil, err
		}
	} else {
		var one statusChange
		if err := strictUnmarshal(raw, &one); err != nil {
			return nil, err
		}
		changes = []statusChange{one}
	}
	if len(changes) == 0 || len(changes) > 2 {
		return nil, fmt.Errorf("credentialStatus: one or two changes expected: %w", vc.ErrMalformed)
	}
	for _, ch := range changes {
		if ch.Type != status.EntryTypeBitstring {
			return nil, fmt.Errorf("credentialStatus type %q: %w", ch.Type, vc.ErrUnsupportedFormat)
		}
		switch ch.Purpose {
		case status.PurposeRevocation:
			if ch.Status != nil && !*ch.Status {
				return nil, fmt.Errorf("a revocation cannot be undone: %w", vc.ErrInvalidOptions)
			}
		case status.PurposeSuspension:
		default:
			return nil, fmt.Errorf("statusPurpose %q: only revocation and suspension can change: %w", ch.Purpose, vc.ErrInvalidOptions)
		}
	}
	return changes, nil
}

// strictUnmarshal decodes JSON refusing unknown members.
func strictUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("credentialStatus: %v: %w", err, vc.ErrMalformed)
	}
	return nil
}

// getStatusList serves the current signed status list credential.
func (bp *basePath) getStatusList(w http.ResponseWriter, r *http.Request) {
	list := bp.lists.list(r.PathValue("purpose"))
	if list == nil {
		bp.srv.fail(w, r, http.StatusNotFound, "no such status list", fmt.Errorf("%s: %w", r.URL.Path, vc.ErrNotFound), false)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(list.credential())
}

// publish answers 204: lists are signed and published on every change already. The
// Bitstring Status List suite posts to <statusListCredential>/publish after a change.
func (bp *basePath) publish(w http.ResponseWriter, r *http.Request) {
	if bp.lists.list(r.PathValue("purpose")) == nil {
		bp.srv.fail(w, r, http.StatusNotFound, "no such status list", fmt.Errorf("%s: %w", r.URL.Path, vc.ErrNotFound), false)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
