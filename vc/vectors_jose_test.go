package vc_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/vc"
)

// The W3C VC-JOSE-COSE test suite's inputs, read in place from
// ../shared/vectors/w3c-vc-jose-cose/test-suite-input and run through the facade (vc/jose
// runs them at the token level). test-mapping.json lists 35 cases: JOSE 1-16, SD-JWT
// 17-26, COSE 27-35.
const joseSuite = "w3c-vc-jose-cose"

type joseSuiteCase struct {
	Name           string   `json:"name"`
	Number         int      `json:"number"`
	InputFile      string   `json:"input_file"`
	KeyFile        string   `json:"key_file"`
	Fn             string   `json:"fn"`
	Feature        string   `json:"feature"`
	ExpectedResult string   `json:"expected_result"`
	Disclose       []string `json:"disclosure_paths"`
}

// suiteVM is one vm-*.json verification method of the suite.
type suiteVM struct {
	id         string // the verification method id, such as https://example.issuer/vc-jose-cose#key-1
	controller string // the issuer (and holder) URL
	kid        string // the kid of its publicKeyJwk, which the suite's tokens carry
	pub        crypto.PublicKey
	pubErr     error // why the public key is outside policy
	secret     json.RawMessage
}

func loadSuiteVM(t *testing.T, name string) suiteVM {
	t.Helper()
	var vm struct {
		ID         string          `json:"id"`
		Controller string          `json:"controller"`
		Public     json.RawMessage `json:"publicKeyJwk"`
		Secret     json.RawMessage `json:"secretKeyJwk"`
	}
	if err := json.Unmarshal(vectors.Read(t, joseSuite, "test-suite-input/"+name), &vm); err != nil {
		t.Fatal(err)
	}
	var jwk struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(vm.Public, &jwk); err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParseJWK(vm.Public)
	return suiteVM{id: vm.ID, controller: vm.Controller, kid: jwk.Kid, pub: pub, pubErr: err, secret: vm.Secret}
}

type suiteOutcome int

const (
	suitePass        suiteOutcome = iota // the suite's expectation met
	suiteRFCConflict                     // the suite expects success; RFC 7519 says malformed
	suiteOutOfPolicy                     // P-521 / ES512, refused with a named sentinel
	suiteSDJWT                           // SD-JWT cases: verified through the facade, or issuing refused (see sdjwtCase)
	suiteCOSE                            // refused with ErrUnsupportedFormat: not supported
	suiteOutcomes
)

var suiteOutcomeNames = [suiteOutcomes]string{"pass", "RFC-conflict", "out of policy", "SD-JWT", "COSE"}

// suiteExpect binds the suite's presentations, which carry neither nonce nor audience.
var suiteExpect = vc.Expect{Nonce: "suite-nonce", Audience: "https://verifier.example"}

// suiteRun holds what every case of a run shares.
type suiteRun struct {
	vms     map[string]suiteVM // by file name
	allKeys *vc.StaticKeys     // every in-policy key, under its controller, by JWK kid
	byKid   map[string]suiteVM // by JWK kid
}

func TestJOSESuiteAtFacade(t *testing.T) {
	dir := filepath.Join(vectors.Dir(t, joseSuite), "test-suite-input")
	var mapping map[string][]joseSuiteCase
	if err := json.Unmarshal(vectors.Read(t, joseSuite, "test-suite-input/test-mapping.json"), &mapping); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	run := &suiteRun{vms: map[string]suiteVM{}, allKeys: &vc.StaticKeys{}, byKid: map[string]suiteVM{}}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "vm-") {
			continue
		}
		vm := loadSuiteVM(t, e.Name())
		run.vms[e.Name()] = vm
		if vm.pubErr == nil {
			run.byKid[vm.kid] = vm
			// vm-ed25519 and vm-did-ed25519 share one key and kid.
			if err := run.allKeys.Add(vm.controller, vm.kid, vm.pub); err != nil && !errors.Is(err, vc.ErrMalformed) {
				t.Fatal(err)
			}
		}
	}

	var counts [suiteOutcomes]int
	var notes []string
	total := 0
	for _, group := range []string{"JOSETestMapping", "SDJWTTestMapping", "COSETestMapping"} {
		if len(mapping[group]) == 0 {
			t.Fatalf("no cases in %s", group)
		}
		for _, c := range mapping[group] {
			total++
			t.Run(fmt.Sprintf("%02d_%s_%s", c.Number, c.Fn, c.Feature), func(t *testing.T) {
				vm, ok := run.vms[c.KeyFile]
				if !ok {
					t.Fatalf("no key file %s", c.KeyFile)
				}
				// The .txt files end with a newline that is no part of the token.
				input := bytes.TrimSpace(vectors.Read(t, joseSuite, "test-suite-input/"+c.InputFile))
				o, note := run.runCase(t, c, input, vm)
				counts[o]++
				notes = append(notes, fmt.Sprintf("#%d %s: %s: %s", c.Number, c.Name, suiteOutcomeNames[o], note))
			})
		}
	}
	for _, n := range notes {
		t.Log(n)
	}
	t.Logf("JOSE: %d pass, %d RFC-conflict, %d out of policy; SD-JWT cases %d (see the lines above); COSE refused with ErrUnsupportedFormat %d (of %d)",
		counts[suitePass], counts[suiteRFCConflict], counts[suiteOutOfPolicy], counts[suiteSDJWT], counts[suiteCOSE], total)
	if want := [suiteOutcomes]int{10, 3, 3, 10, 9}; counts != want || total != 35 {
		t.Errorf("counts %v of %d, want %v of 35", counts, total, want)
	}
}

func (r *suiteRun) runCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM) (suiteOutcome, string) {
	presentation := strings.HasPrefix(c.Feature, "presentation")
	switch {
	case strings.HasSuffix(c.Feature, "_sdjwt") && c.Fn == "verify":
		return suiteSDJWT, r.sdjwtCase(t, c, input, vm, presentation)
	case strings.HasSuffix(c.Feature, "_sdjwt") && !presentation:
		return suiteSDJWT, sdjwtIssueCase(t, c, input, vm)
	case strings.HasSuffix(c.Feature, "_sdjwt"):
		return suiteSDJWT, sdjwtPresentationIssueCase(t, c, input, vm)
	case strings.HasSuffix(c.Feature, "_cose"):
		return suiteCOSE, refuseFormat(t, c, input, presentation, "cose")
	case c.Fn == "issue":
		return r.issueCase(t, c, input, vm, presentation)
	}
	return r.verifyCase(t, c, input, vm, presentation)
}

// refuseFormat checks that the facade refuses an SD-JWT or COSE case as a format it does
// not handle: a secured input is ErrUnsupportedFormat to VerifyCredential (and to
// VerifyPresentation), and issuing in that format is ErrUnsupportedFormat.
func refuseFormat(t *testing.T, c joseSuiteCase, input []byte, presentation bool, format string) string {
	ctx := context.Background()
	v := verifier(t, vc.VerifierOptions{AcceptAnyIssuer: true})
	if c.Fn == "issue" {
		s := generate(t, keys.Ed25519)
		f := vc.Format("vc+" + format)
		var err error
		if presentation {
			p, perr := vc.ParsePresentation(input)
			if perr != nil {
				t.Fatal(perr)
			}
			_, err = vc.SignPresentation(ctx, s, p.Holder.ID+"#key-1", p, vc.Format("vp+"+format), vc.PresentationOptions{Nonce: "n", Audience: "a", IssuedAt: now})
		} else {
			cred, perr := vc.ParseCredential(input)
			if perr != nil {
				t.Fatal(perr)
			}
			i, ierr := vc.NewIssuer(s, cred.Issuer.ID+"#key-1", vc.IssuerOptions{ID: cred.Issuer.ID, Clock: clock})
			if ierr != nil {
				t.Fatal(ierr)
			}
			_, err = i.Issue(ctx, cred, f, vc.IssueOptions{})
		}
		if !errors.Is(err, vc.ErrUnsupportedFormat) {
			t.Errorf("issuing as %s: got %v, want ErrUnsupportedFormat", format, err)
		}
		return "issuing refused: ErrUnsupportedFormat"
	}
	_, err := v.VerifyCredential(ctx, input)
	checkVerifyErr(t, err, vc.ErrUnsupportedFormat)
	if presentation {
		_, err := v.VerifyPresentation(ctx, input, suiteExpect)
		checkVerifyErr(t, err, vc.ErrUnsupportedFormat)
	}
	return "refused: ErrUnsupportedFormat"
}

// issueCase secures the suite's unsigned input with the vm's secret key, kid the vm id,
// and verifies it with a StaticKeys holding the vm's public key for the issuer URL.
func (r *suiteRun) issueCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM, presentation bool) (suiteOutcome, string) {
	ctx := context.Background()
	s, err := keys.ParsePrivateJWK(vm.secret)
	if err != nil {
		return outOfPolicy(t, vm, err), fmt.Sprintf("secret key of %s refused: %s", c.KeyFile, sentinelName(err))
	}
	if c.ExpectedResult != "success" {
		t.Fatalf("no rule for an expected %s with an in-policy key", c.ExpectedResult)
	}
	if presentation {
		return r.issuePresentation(t, input, vm, s)
	}
	cred, err := vc.ParseCredential(input)
	if err != nil {
		t.Fatal(err)
	}
	issuer := cred.Issuer.ID
	i, err := vc.NewIssuer(s, vm.id, vc.IssuerOptions{ID: issuer, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(ctx, cred, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sk vc.StaticKeys
	if err := sk.Add(issuer, vm.id, vm.pub); err != nil {
		t.Fatal(err)
	}
	opts := vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, issuer), SkipStatus: len(cred.Status) > 0}
	note := "issued and verified"
	if opts.SkipStatus {
		// The suite's status entry names no list anyone can fetch here: without SkipStatus
		// the credential fails closed, at the status step.
		_, err := verifier(t, vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, issuer)}).VerifyCredential(ctx, tok)
		var ve *vc.VerifyError
		if !errors.As(err, &ve) || ve.Reason != vc.ReasonStatus {
			t.Errorf("without SkipStatus: got %v, want a status failure", err)
		}
		note += " with SkipStatus (credentialStatus)"
	}
	v := verifier(t, opts)
	got, err := v.VerifyCredential(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.Issuer() != issuer || got.Proof().KeyID != vm.id || got.Proof().Algorithm != s.Algorithm() {
		t.Errorf("verified %s %+v", got.Issuer(), got.Proof())
	}
	// The verified claims are the suite's credential and the iat the issuer added.
	claims := got.Claims()
	if claims["iat"] != json.Number(fmt.Sprint(now.Unix())) {
		t.Errorf("iat %v", claims["iat"])
	}
	delete(claims, "iat")
	if d := cmp.Diff(decodeJSON(t, input), any(claims)); d != "" {
		t.Errorf("claims differ from the input (-input +claims):\n%s", d)
	}
	env, err := vc.EnvelopeCredential(tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyCredential(ctx, env); err != nil {
		t.Errorf("enveloped: %v", err)
	}
	return suitePass, note
}

// issuePresentation signs the suite's presentation as its holder and verifies it. The
// suite's holder (the issuer URL) is not the subject of the credentials, so binding is
// skipped. The embedded credentials are the suite's: the presentation verifies exactly
// when each of them does on its own, and otherwise fails at the first one that does not,
// after the holder's proof, nonce, audience and age have passed.
func (r *suiteRun) issuePresentation(t *testing.T, input []byte, vm suiteVM, s keys.Signer) (suiteOutcome, string) {
	ctx := context.Background()
	p, err := vc.ParsePresentation(input)
	if err != nil {
		t.Fatal(err)
	}
	holder := p.Holder.ID
	tok, err := vc.SignPresentation(ctx, s, vm.id, p, vc.FormatJWT, vc.PresentationOptions{Nonce: suiteExpect.Nonce, Audience: suiteExpect.Audience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	var sk vc.StaticKeys
	if err := sk.Add(holder, vm.id, vm.pub); err != nil {
		t.Fatal(err)
	}
	ks := vc.KeyChain{&sk, r.allKeys}
	opts := vc.VerifierOptions{Keys: ks, Trust: trustOnly(t, holder), SkipHolderBinding: true}

	var want error
	wantPath := ""
	var embedded []string
	for i, raw := range p.VerifiableCredential {
		_, err := verifier(t, opts).VerifyCredential(ctx, raw)
		embedded = append(embedded, fmt.Sprintf("[%d] %s", i, sentinelName(err)))
		if err != nil && want == nil {
			want, wantPath = err, fmt.Sprintf("/verifiableCredential/%d", i)
		}
	}
	got, err := verifier(t, opts).VerifyPresentation(ctx, tok, suiteExpect)
	note := "signed; holder binding skipped (holder " + holder + " is not the subject)"
	if want == nil {
		if err != nil {
			t.Fatalf("VerifyPresentation: %v", err)
		}
		if got.Holder() != holder || got.Proof().KeyID != vm.id || len(got.Credentials()) != len(p.VerifiableCredential) {
			t.Errorf("verified %s %+v, %d credentials", got.Holder(), got.Proof(), len(got.Credentials()))
		}
		note += "; verified with its credentials"
	} else {
		var ve *vc.VerifyError
		if !errors.As(err, &ve) || ve.Path != wantPath || sentinelOf(err) != sentinelOf(want) {
			t.Fatalf("VerifyPresentation: got %v, want %s at %s", err, sentinelName(want), wantPath)
		}
		note += fmt.Sprintf("; holder proof verified, the suite's embedded credential refused at %s: %s", wantPath, sentinelName(err))
	}
	note += "; embedded credentials alone: " + strings.Join(embedded, ", ")

	// The same presentation carrying the suite's minimal credential, issued here by the
	// holder's own key, verifies end to end. Binding is what SkipHolderBinding gives up:
	// without it, this presentation of a credential about did:example:123 by the issuer
	// URL fails.
	cred, err := vc.ParseCredential(vectors.Read(t, joseSuite, "test-suite-input/credential-minimal.json"))
	if err != nil {
		t.Fatal(err)
	}
	i, err := vc.NewIssuer(s, vm.id, vc.IssuerOptions{ID: holder, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctok, err := i.Issue(ctx, cred, vc.FormatJWT, vc.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	own := &vc.Presentation{Context: p.Context, ID: p.ID, Type: p.Type, Holder: p.Holder}
	env, err := vc.EnvelopeCredential(ctok)
	if err != nil {
		t.Fatal(err)
	}
	own.VerifiableCredential = []json.RawMessage{env}
	otok, err := vc.SignPresentation(ctx, s, vm.id, own, vc.FormatJWT, vc.PresentationOptions{Nonce: suiteExpect.Nonce, Audience: suiteExpect.Audience, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	vp, err := verifier(t, opts).VerifyPresentation(ctx, otok, suiteExpect)
	if err != nil {
		t.Fatalf("with a credential issued here: %v", err)
	}
	if vp.Holder() != holder || len(vp.Credentials()) != 1 || vp.Credentials()[0].Issuer() != holder {
		t.Errorf("verified %s, %d credentials", vp.Holder(), len(vp.Credentials()))
	}
	_, err = verifier(t, vc.VerifierOptions{Keys: ks, Trust: trustOnly(t, holder)}).VerifyPresentation(ctx, otok, suiteExpect)
	checkVerifyErr(t, err, vc.ErrHolderBinding)
	note += "; with credential-minimal.json issued by the holder's key instead: verified, and ErrHolderBinding without SkipHolderBinding"
	return suitePass, note
}

// verifyCase runs a secured (or, for #10 and #11, unsecured) suite input through the
// facade with the vm's key under its controller.
func (r *suiteRun) verifyCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM, presentation bool) (suiteOutcome, string) {
	ctx := context.Background()
	var sk vc.StaticKeys
	if vm.pubErr == nil {
		if err := sk.Add(vm.controller, vm.kid, vm.pub); err != nil {
			t.Fatal(err)
		}
	}
	v := verifier(t, vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, vm.controller)})
	var err error
	if presentation {
		var got *vc.VerifiedPresentation
		got, err = v.VerifyPresentation(ctx, input, suiteExpect)
		if err == nil || got != nil {
			t.Fatalf("VerifyPresentation: %v, %v", got, err)
		}
	} else {
		var got *vc.Verified
		got, err = v.VerifyCredential(ctx, input)
		if err == nil || got != nil {
			t.Fatalf("VerifyCredential: %v, %v", got, err)
		}
	}
	checkRefused(t, err)
	note := "refused: " + sentinelName(err) + pathOf(err)
	if presentation {
		note += "; embedded credentials alone: " + r.embeddedOutcomes(t, input)
	}

	if c.ExpectedResult == "failure" {
		if errors.Is(err, vc.ErrAlgorithmNotAllowed) || errors.Is(err, vc.ErrUnsupportedKeyType) {
			return suiteOutOfPolicy, note
		}
		if strings.Contains(c.Name, "Invalid Signature") {
			// Refused for its string iat first; its signature must be bad on its own too.
			if _, sigErr := r.stringTime(t, input); !errors.Is(sigErr, vc.ErrInvalidSignature) {
				t.Errorf("signature check alone: got %v, want ErrInvalidSignature", sigErr)
			}
			note += "; signature alone: ErrInvalidSignature"
		}
		return suitePass, note
	}

	// Expected success. A credential must fail only for a NumericDate written as a string
	// under a valid signature (RFC 7519 §2). The suite's presentation (#7) fails as a
	// whole before its signature is checked, for its COSE credential, whose data: URL ends
	// with a newline; its one vc+jwt credential must be an RFC 7519 conflict on its own.
	if presentation {
		if !errors.Is(err, vc.ErrMalformed) || pathOf(err) != " at /verifiableCredential/2/id" {
			t.Fatalf("presentation: got %v, want ErrMalformed at /verifiableCredential/2/id", err)
		}
		conflict := false
		for _, raw := range r.embedded(t, input) {
			tok, ok := envelopedJWT(raw)
			if !ok {
				continue
			}
			if claim, sigErr := r.stringTime(t, tok); claim != "" && sigErr == nil {
				_, err := verifier(t, vc.VerifierOptions{Keys: r.allKeys, Trust: trustOnly(t, vm.controller)}).VerifyCredential(ctx, raw)
				checkVerifyErr(t, err, vc.ErrMalformed)
				conflict = true
			}
		}
		if !conflict {
			t.Fatal("no vc+jwt credential with a string NumericDate")
		}
		return suiteRFCConflict, note + "; the vc+jwt credential has a string iat (RFC 7519 §2), signature valid"
	}
	checkVerifyErr(t, err, vc.ErrMalformed)
	claim, sigErr := r.stringTime(t, input)
	if claim == "" || sigErr != nil {
		t.Fatalf("malformed for another reason: claim %q, signature %v", claim, sigErr)
	}
	return suiteRFCConflict, note + fmt.Sprintf(" (string %s, RFC 7519 §2 NumericDate; signature valid)", claim)
}

// outOfPolicy checks that a P-521 key is refused wherever it could enter: its secret JWK
// (err), its public JWK, a StaticKeys entry and an ES512 allow-list.
func outOfPolicy(t *testing.T, vm suiteVM, err error) suiteOutcome {
	t.Helper()
	if !errors.Is(err, keys.ErrUnsupportedKeyType) {
		t.Fatalf("secret key: got %v, want keys.ErrUnsupportedKeyType", err)
	}
	if !errors.Is(vm.pubErr, keys.ErrUnsupportedKeyType) {
		t.Errorf("public key: got %v, want keys.ErrUnsupportedKeyType", vm.pubErr)
	}
	p521, gerr := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if gerr != nil {
		t.Fatal(gerr)
	}
	var sk vc.StaticKeys
	if err := sk.Add(vm.controller, vm.kid, p521.Public()); !errors.Is(err, vc.ErrUnsupportedKeyType) {
		t.Errorf("StaticKeys.Add of a P-521 key: got %v, want ErrUnsupportedKeyType", err)
	}
	if _, err := vc.NewVerifier(vc.VerifierOptions{Algorithms: []string{"ES512"}}); !errors.Is(err, vc.ErrAlgorithmNotAllowed) {
		t.Errorf("ES512 allow-list: got %v, want ErrAlgorithmNotAllowed", err)
	}
	return suiteOutOfPolicy
}

// embedded returns the verifiableCredential entries of a presentation given as JSON or as
// a token, read without verification; nil when it cannot be read.
func (r *suiteRun) embedded(t *testing.T, input []byte) []json.RawMessage {
	t.Helper()
	if bytes.HasPrefix(input, []byte("{")) {
		p, err := vc.ParsePresentation(input)
		if err != nil {
			return nil
		}
		return p.VerifiableCredential
	}
	in, err := vc.Inspect(input)
	if err != nil || in.Presentation == nil {
		return nil
	}
	return in.Presentation.VerifiableCredential
}

// embeddedOutcomes verifies each embedded credential alone, with every suite key.
func (r *suiteRun) embeddedOutcomes(t *testing.T, input []byte) string {
	list := r.embedded(t, input)
	if list == nil {
		return "unreadable"
	}
	v := verifier(t, vc.VerifierOptions{Keys: r.allKeys, AcceptAnyIssuer: true})
	var out []string
	for i, raw := range list {
		_, err := v.VerifyCredential(context.Background(), raw)
		if err != nil {
			checkRefused(t, err)
		}
		out = append(out, fmt.Sprintf("[%d] %s", i, sentinelName(err)))
	}
	return strings.Join(out, ", ")
}

// envelopedJWT returns the compact token of an EnvelopedVerifiableCredential of media
// type vc+jwt.
func envelopedJWT(raw json.RawMessage) ([]byte, bool) {
	var env struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &env) != nil {
		return nil, false
	}
	tok, ok := strings.CutPrefix(env.ID, "data:application/vc+jwt,")
	return []byte(tok), ok
}

// stringTime reports which NumericDate claim of a compact token's payload is a string,
// and whether the signature over it is valid with the suite key its kid names, judged by
// the JWS layer alone (internal/jose, without the claim checks of vc/jose).
func (r *suiteRun) stringTime(t *testing.T, token []byte) (claim string, sigErr error) {
	t.Helper()
	tok, err := ijose.Parse(token, ijose.Policy{Types: []string{"vc+jwt", "vp+jwt"}})
	if err != nil {
		return "", err
	}
	v, err := jsonx.Decode(tok.Payload, jsonx.Limits{})
	if err != nil {
		return "", err
	}
	m, _ := v.(map[string]any)
	for _, name := range []string{"iat", "nbf", "exp"} {
		if _, ok := m[name].(string); ok {
			claim = name
		}
	}
	vm, ok := r.byKid[tok.Header.Kid]
	if !ok {
		return claim, fmt.Errorf("no suite key %q", tok.Header.Kid)
	}
	return claim, tok.Verify(vm.pub, nil)
}

// sentinelName names the sentinel err wraps: "ok" for nil, "no sentinel" when it wraps
// none.
func sentinelName(err error) string {
	if err == nil {
		return "ok"
	}
	for _, s := range vcSentinels {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return "no sentinel"
}

// pathOf returns " at <JSON Pointer>" of a *vc.VerifyError with a path, else "".
func pathOf(err error) string {
	var ve *vc.VerifyError
	if errors.As(err, &ve) && ve.Path != "" {
		return " at " + ve.Path
	}
	return ""
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	v, err := jsonx.Decode(data, jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sdjwtCase verifies an SD-JWT case of the suite through the facade with the vm's key:
// a vc+sd-jwt credential expected to verify must verify and hold only plain and disclosed
// claims; expected failures must fail with a sentinel. vp+sd-jwt presentations are not
// handled by the facade yet and must be refused with a sentinel.
func (r *suiteRun) sdjwtCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM, presentation bool) string {
	ctx := context.Background()
	var sk vc.StaticKeys
	if vm.pubErr == nil {
		if err := sk.Add(vm.controller, vm.kid, vm.pub); err != nil {
			t.Fatal(err)
		}
	}
	v := verifier(t, vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, vm.controller), SkipStatus: true})
	if presentation {
		// The suite's presentations carry no nonce and no aud: the facade requires both,
		// so even the one expected to verify (#22, whose vc+jwt also has a string iat) is
		// refused, as an unbound presentation must be.
		_, err := v.VerifyPresentation(ctx, bytes.TrimSpace(input), vc.Expect{Nonce: "n-suite", Audience: "https://verifier.example"})
		checkRefused(t, err)
		if c.ExpectedResult == "success" {
			if !errors.Is(err, vc.ErrNonceMismatch) {
				t.Errorf("#%d: %v, want ErrNonceMismatch", c.Number, err)
			}
			return "policy: unbound vp+sd-jwt refused: " + sentinelName(err)
		}
		return "refused: " + sentinelName(err)
	}
	got, err := v.VerifyCredential(ctx, bytes.TrimSpace(input))
	switch {
	case c.ExpectedResult == "success" && vm.pubErr != nil:
		checkRefused(t, err)
		return "out of policy: " + sentinelName(err)
	case c.ExpectedResult == "success":
		if errors.Is(err, vc.ErrMalformed) && stringIAT(t, input) {
			return "RFC-conflict: refused: ErrMalformed (string iat, RFC 7519 §2 NumericDate)"
		}
		if err != nil {
			t.Errorf("#%d: %v", c.Number, err)
			return "FAILED"
		}
		if _, ok := got.Claims()["_sd"]; ok {
			t.Errorf("#%d: processed claims hold _sd", c.Number)
		}
		return "verified as " + string(got.Format())
	}
	checkRefused(t, err)
	return "refused: " + sentinelName(err)
}

// stringIAT reports whether the Issuer-signed JWT of an SD-JWT has an iat written as a
// string.
func stringIAT(t *testing.T, sd []byte) bool {
	t.Helper()
	jwt, _, _ := strings.Cut(strings.TrimSpace(string(sd)), "~")
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return false
	}
	_, ok := claims["iat"].(string)
	return ok
}

// sdjwtIssueCase secures the suite's credential as a vc+sd-jwt with the case's
// disclosure paths, with the vm's key, and verifies it as issued through a StaticKeys.
func sdjwtIssueCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM) string {
	ctx := context.Background()
	s, err := keys.ParsePrivateJWK(vm.secret)
	if err != nil {
		if !errors.Is(err, keys.ErrUnsupportedKeyType) {
			t.Fatalf("#%d: secret key: %v", c.Number, err)
		}
		return "out of policy: secret key refused: ErrUnsupportedKeyType"
	}
	cred, err := vc.ParseCredential(input)
	if err != nil {
		t.Fatal(err)
	}
	var paths []vc.ClaimPath
	for _, d := range c.Disclose {
		paths = append(paths, dottedPath(d))
	}
	i, err := vc.NewIssuer(s, vm.kid, vc.IssuerOptions{ID: cred.Issuer.ID, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := i.Issue(ctx, cred, vc.FormatSDJWT, vc.IssueOptions{Disclose: paths})
	if err != nil {
		t.Fatalf("#%d: issuing: %v", c.Number, err)
	}
	var sk vc.StaticKeys
	if err := sk.Add(cred.Issuer.ID, vm.kid, vm.pub); err != nil {
		t.Fatal(err)
	}
	got, err := verifier(t, vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, cred.Issuer.ID), SkipStatus: true}).VerifyCredential(ctx, tok)
	if err != nil {
		t.Fatalf("#%d: verifying our vc+sd-jwt: %v", c.Number, err)
	}
	in, err := vc.Inspect(tok)
	if err != nil || len(in.Disclosable) != len(paths) {
		t.Fatalf("#%d: %d disclosable claims, want %d (%v)", c.Number, len(in.Disclosable), len(paths), err)
	}
	return fmt.Sprintf("issued as %s with %d disclosable claims and verified", got.Format(), len(paths))
}

// sdjwtPresentationIssueCase secures the suite's presentation as a vp+sd-jwt with the
// case's disclosure paths and the vm's key, and verifies it: the holder's signature,
// nonce and audience pass, and the embedded vc+sd-jwt (whose iat is a string) is then
// refused as malformed.
func sdjwtPresentationIssueCase(t *testing.T, c joseSuiteCase, input []byte, vm suiteVM) string {
	ctx := context.Background()
	s, err := keys.ParsePrivateJWK(vm.secret)
	if err != nil {
		t.Fatalf("#%d: secret key: %v", c.Number, err)
	}
	p, err := vc.ParsePresentation(input)
	if err != nil {
		t.Fatal(err)
	}
	var paths []vc.ClaimPath
	for _, d := range c.Disclose {
		paths = append(paths, dottedPath(d))
	}
	want := vc.Expect{Nonce: "n-19", Audience: "https://verifier.example"}
	tok, err := vc.SignPresentation(ctx, s, vm.kid, p, vc.FormatSDJWT, vc.PresentationOptions{Nonce: want.Nonce, Audience: want.Audience, IssuedAt: now, Disclose: paths})
	if err != nil {
		t.Fatalf("#%d: issuing: %v", c.Number, err)
	}
	in, err := vc.Inspect(tok)
	if err != nil || len(in.Disclosable) != len(paths) {
		t.Fatalf("#%d: %d disclosable members, want %d (%v)", c.Number, len(in.Disclosable), len(paths), err)
	}
	var sk vc.StaticKeys
	if err := sk.Add(p.Holder.ID, vm.kid, vm.pub); err != nil {
		t.Fatal(err)
	}
	v := verifier(t, vc.VerifierOptions{Keys: &sk, Trust: trustOnly(t, p.Holder.ID), SkipStatus: true})
	_, err = v.VerifyPresentation(ctx, tok, want)
	var ve *vc.VerifyError
	if !errors.As(err, &ve) || ve.Path != "/verifiableCredential/0" || !errors.Is(err, vc.ErrMalformed) {
		t.Fatalf("#%d: verifying our vp+sd-jwt: %v, want the embedded credential refused as malformed", c.Number, err)
	}
	return fmt.Sprintf("issued as vp+sd-jwt with %d disclosable members; holder signature, nonce and audience verify; embedded vc+sd-jwt refused: string iat", len(paths))
}

// dottedPath reads the suite's "credentialSubject.phoneNumbers[0]" paths.
func dottedPath(s string) vc.ClaimPath {
	var p vc.ClaimPath
	for _, part := range strings.Split(s, ".") {
		name, idx, ok := strings.Cut(part, "[")
		if name != "" {
			p = append(p, name)
		}
		if ok {
			n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err == nil {
				p = append(p, n)
			}
		}
	}
	return p
}
