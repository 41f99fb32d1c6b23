package openid4vp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/credence-dev/credence/internal/errs"
)

// ErrInvalidTxCode: a pre-authorized code was redeemed with a wrong transaction code,
// or after too many wrong ones.
var ErrInvalidTxCode = errs.ErrInvalidTxCode

// OAuth 2.0 and OpenID4VCI error codes (RFC 6749 §5.2, RFC 6750 §3.1, OpenID4VCI 1.0
// §8.3.1.2).
const (
	ErrCodeInvalidRequest                 = "invalid_request"
	ErrCodeInvalidGrant                   = "invalid_grant"
	ErrCodeUnsupportedGrantType           = "unsupported_grant_type"
	ErrCodeInvalidToken                   = "invalid_token"
	ErrCodeInvalidCredentialRequest       = "invalid_credential_request"
	ErrCodeUnknownCredentialConfiguration = "unknown_credential_configuration"
	ErrCodeUnknownCredentialIdentifier    = "unknown_credential_identifier"
	ErrCodeInvalidProof                   = "invalid_proof"
	ErrCodeInvalidNonce                   = "invalid_nonce"
	ErrCodeInvalidEncryptionParameters    = "invalid_encryption_parameters"
	ErrCodeCredentialRequestDenied        = "credential_request_denied"
	ErrCodeServerError                    = "server_error"
)

// OAuthError is an OAuth 2.0 error response, on both sides: the Issuer's endpoints
// answer with one (Status, Code, Description), and the IssuanceWallet returns one when
// an issuer refused a request. Err is the sentinel behind it: on the issuer, what
// failed (ErrReplay, ErrInvalidTxCode, vc.ErrAudienceMismatch, ...); on the wallet,
// ErrRejected.
type OAuthError struct {
	Status      int
	Code        string
	Description string
	Err         error
}

// Error returns the OAuth error code, its description and the cause.
func (e *OAuthError) Error() string {
	var b strings.Builder
	b.WriteString("openid4vp: ")
	b.WriteString(e.Code)
	if e.Description != "" && (e.Err == nil || e.Description != describe(e.Err)) {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *OAuthError) Unwrap() error { return e.Err }

// oauthErr wraps err (which names a sentinel) with the OAuth code and status its
// endpoint answers; the description is err's message, kept to the characters the
// specification allows.
func oauthErr(status int, code string, err error) *OAuthError {
	return &OAuthError{Status: status, Code: code, Description: describe(err), Err: err}
}

// describe makes an error_description of err: %x20-21 / %x23-5B / %x5D-7E only
// (OpenID4VCI 1.0 §8.3.1.2), at most 200 characters.
func describe(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() < 200; i++ {
		c := s[i]
		if c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// writeOAuthError answers err: an *OAuthError as it says, anything else as a
// server_error without detail.
func writeOAuthError(w http.ResponseWriter, err error) {
	oe, ok := errors.AsType[*OAuthError](err)
	if !ok {
		oe = &OAuthError{Status: http.StatusInternalServerError, Code: ErrCodeServerError}
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if oe.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", fmt.Sprintf("Bearer error=%q", oe.Code))
	}
	w.WriteHeader(oe.Status)
	body := map[string]string{"error": oe.Code}
	if oe.Description != "" {
		body["error_description"] = oe.Description
	}
	json.NewEncoder(w).Encode(body)
}

// writeJSON answers v with 200, application/json and Cache-Control: no-store.
func writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeOAuthError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}
