package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/credence-dev/credence/vc"
	"github.com/credence-dev/credence/vc/status"
)

// problem is the JSON body of every failure: RFC 9457 members, the name of the library
// sentinel the error wraps, and for the verify endpoints the VC-API members verified and
// problemDetails (types from VC DM 2.0 §7.1 and Bitstring Status List §3.6).
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Sentinel string `json:"sentinel,omitempty"`
	// Verified and ProblemDetails are set by the verify endpoints only.
	Verified       *bool           `json:"verified,omitempty"`
	ProblemDetails []problemDetail `json:"problemDetails,omitempty"`
}

// problemDetail is one entry of the VC-API problemDetails list.
type problemDetail struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail,omitempty"`
}

// Problem types of the specifications.
const (
	parsingError      = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	cryptoError       = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	malformedError    = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
	rangeError        = "https://www.w3.org/TR/vc-data-model#RANGE_ERROR"
	statusRetrieval   = "https://www.w3.org/ns/credentials/status-list#STATUS_RETRIEVAL_ERROR"
	statusVerifyError = "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR"
)

// sentinel names a library error and the problem type it maps to. The table is read
// in order, so an error that wraps several sentinels (a status list of another issuer is
// ErrStatusVerification and ErrIssuerMismatch) is named by the most telling one.
type sentinel struct {
	err  error
	name string
	typ  string
}

var sentinels = []sentinel{
	{vc.ErrRevoked, "ErrRevoked", cryptoError},
	{vc.ErrSuspended, "ErrSuspended", cryptoError},
	{vc.ErrStatusVerification, "ErrStatusVerification", statusVerifyError},
	{vc.ErrStatusRetrieval, "ErrStatusRetrieval", statusRetrieval},
	{vc.ErrStatusIndex, "ErrStatusIndex", rangeError},
	{vc.ErrStatusRange, "ErrStatusRange", rangeError},
	{vc.ErrStatusListLength, "ErrStatusListLength", rangeError},
	{status.ErrListFull, "ErrListFull", rangeError},
	{vc.ErrTooLarge, "ErrTooLarge", parsingError},
	{vc.ErrTooDeep, "ErrTooDeep", parsingError},
	{vc.ErrMalformed, "ErrMalformed", parsingError},
	{vc.ErrInvalidType, "ErrInvalidType", malformedError},
	{vc.ErrUnknownContext, "ErrUnknownContext", malformedError},
	{vc.ErrUnsupportedFormat, "ErrUnsupportedFormat", malformedError},
	{vc.ErrCanonicalizationLimit, "ErrCanonicalizationLimit", rangeError},
	{vc.ErrHolderBinding, "ErrHolderBinding", cryptoError},
	{vc.ErrChallengeMismatch, "ErrChallengeMismatch", cryptoError},
	{vc.ErrDomainMismatch, "ErrDomainMismatch", cryptoError},
	{vc.ErrNonceMismatch, "ErrNonceMismatch", cryptoError},
	{vc.ErrAudienceMismatch, "ErrAudienceMismatch", cryptoError},
	{vc.ErrReplay, "ErrReplay", cryptoError},
	{vc.ErrIssuerMismatch, "ErrIssuerMismatch", cryptoError},
	{vc.ErrUntrustedIssuer, "ErrUntrustedIssuer", cryptoError},
	{vc.ErrProofPurpose, "ErrProofPurpose", cryptoError},
	{vc.ErrBaseProofPresented, "ErrBaseProofPresented", cryptoError},
	{vc.ErrMissingProof, "ErrMissingProof", cryptoError},
	{vc.ErrUnsupportedProof, "ErrUnsupportedProof", cryptoError},
	{vc.ErrInvalidProof, "ErrInvalidProof", cryptoError},
	{vc.ErrInvalidSignature, "ErrInvalidSignature", cryptoError},
	{vc.ErrAlgorithmNotAllowed, "ErrAlgorithmNotAllowed", cryptoError},
	{vc.ErrAlgorithmKeyMismatch, "ErrAlgorithmKeyMismatch", cryptoError},
	{vc.ErrMissingKeyID, "ErrMissingKeyID", cryptoError},
	{vc.ErrInvalidKey, "ErrInvalidKey", cryptoError},
	{vc.ErrUnsupportedKeyType, "ErrUnsupportedKeyType", cryptoError},
	{vc.ErrVerificationMethodNotFound, "ErrVerificationMethodNotFound", cryptoError},
	{vc.ErrVerificationRelationship, "ErrVerificationRelationship", cryptoError},
	{vc.ErrInvalidDIDURL, "ErrInvalidDIDURL", malformedError},
	{vc.ErrInvalidDID, "ErrInvalidDID", malformedError},
	{vc.ErrInvalidDIDDocument, "ErrInvalidDIDDocument", malformedError},
	{vc.ErrMethodNotSupported, "ErrMethodNotSupported", cryptoError},
	{vc.ErrNotFound, "ErrNotFound", cryptoError},
	{vc.ErrDeactivated, "ErrDeactivated", cryptoError},
	{vc.ErrResolutionFailed, "ErrResolutionFailed", cryptoError},
	{vc.ErrExpired, "ErrExpired", rangeError},
	{vc.ErrNotYetValid, "ErrNotYetValid", rangeError},
	{vc.ErrIssuedInFuture, "ErrIssuedInFuture", rangeError},
	{vc.ErrStale, "ErrStale", rangeError},
	{vc.ErrInvalidOptions, "ErrInvalidOptions", malformedError},
}

// classify returns the sentinel err wraps, or a generic entry.
func classify(err error) sentinel {
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return s
		}
	}
	return sentinel{name: "", typ: malformedError}
}

// writeJSON writes v with the given status as application/json.
func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		code, data = http.StatusInternalServerError, []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(append(data, '\n'))
}

// fail answers with a problem for err. The library's error messages name members,
// DIDs and URLs, never claim values or keys, so they are safe to return.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, code int, title string, err error, verify bool) {
	s := classify(err)
	p := problem{Type: s.typ, Title: title, Status: code, Detail: err.Error(), Sentinel: s.name}
	if verify {
		f := false
		p.Verified = &f
		p.ProblemDetails = []problemDetail{{Type: s.typ, Title: title, Detail: err.Error()}}
	}
	log.LogAttrs(r.Context(), slog.LevelInfo, "request refused",
		slog.String("path", r.URL.Path), slog.Int("status", code), slog.String("sentinel", s.name), slog.String("error", err.Error()))
	writeJSON(w, code, p)
}
