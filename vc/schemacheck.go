package vc

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/credence-dev/credence/vc/schema"
)

// SchemaOptions is VerifierOptions.Schemas: where credential schemas come from and the
// limits of validating against them (see schema.Options). A Verifier fills in its own
// verification of JsonSchemaCredential schema credentials, under its own trust policy,
// when VerifyCredential is nil.
type SchemaOptions = schema.Options

// newSchemaValidator builds the validator of VerifierOptions.Schemas.
func (v *Verifier) newSchemaValidator(o *SchemaOptions) (*schema.Validator, error) {
	if o == nil {
		return nil, nil
	}
	so := *o
	if so.VerifyCredential == nil {
		so.VerifyCredential = v.verifySchemaCredential
	}
	if so.Clock == nil {
		so.Clock = v.clock
	}
	return schema.NewValidator(so)
}

// verifySchemaCredential verifies a JsonSchemaCredential like any credential (its
// issuer must be trusted), without validating its own credentialSchema here: the schema
// package checks that one, and this keeps the check from recursing.
func (v *Verifier) verifySchemaCredential(ctx context.Context, raw []byte) ([]byte, error) {
	inner := *v
	inner.schemas = nil
	got, err := inner.VerifyCredential(ctx, raw)
	if err != nil {
		return nil, err
	}
	return json.Marshal(got.Claims())
}

// checkSchemas validates a verified VCDM credential against its credentialSchema
// entries. SD-JWT VCs have no credentialSchema; for an SD-JWT the schema sees only the
// plain and disclosed claims, so a schema that requires an undisclosed claim fails.
func (v *Verifier) checkSchemas(ctx context.Context, got *Verified) error {
	if v.schemas == nil || got.format == FormatSDJWTVC {
		return nil
	}
	claims := got.Claims()
	if got.format == FormatJWT11 {
		if inner, ok := claims["vc"].(map[string]any); ok {
			claims = inner
		}
	}
	if _, ok := claims["credentialSchema"]; !ok {
		return nil
	}
	doc, err := json.Marshal(claims)
	if err != nil {
		return vErr(ReasonMalformed, "", fmt.Errorf("vc: credential JSON: %v: %w", err, ErrMalformed))
	}
	if err := v.schemas.Validate(ctx, doc); err != nil {
		return vErr(ReasonSchema, "/credentialSchema", err)
	}
	return nil
}
