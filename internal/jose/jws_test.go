package jose_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	gojose "github.com/go-jose/go-jose/v4"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/internal/jsonx"
	"github.com/credence-dev/credence/internal/vectors"
	"github.com/credence-dev/credence/keys"
)

var vcPolicy = jose.Policy{Types: []string{"vc+jwt"}}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// forge builds a token with the given header and payload JSON, signed by s over exactly
// those bytes, so that header tricks reach the parser with a valid signature.
func forge(t *testing.T, s keys.Signer, header, payload string) string {
	t.Helper()
	in := enc(header) + "." + enc(payload)
	sig, err := keys.Sign(s, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestAttacks(t *testing.T) {
	ed, _ := keys.Generate(keys.Ed25519)
	p256, _ := keys.Generate(keys.P256)
	const payload = `{"iss":"did:example:issuer"}`
	good := forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt"}`, payload)
	hmac := enc(`{"alg":"HS256","typ":"vc+jwt"}`) + "." + enc(payload) + ".c2lnbmF0dXJl"
	for _, tc := range []struct {
		name  string
		token string
		key   keys.Signer
		p     jose.Policy
		want  error
	}{
		{"valid", good, ed, vcPolicy, nil},
		{"alg none", enc(`{"alg":"none","typ":"vc+jwt"}`) + "." + enc(payload) + ".AA", ed, vcPolicy, errs.ErrAlgorithmNotAllowed},
		{"alg none empty signature", enc(`{"alg":"none","typ":"vc+jwt"}`) + "." + enc(payload) + ".", ed, vcPolicy, errs.ErrMalformed},
		{"HS256 with a public key", hmac, ed, vcPolicy, errs.ErrAlgorithmNotAllowed},
		{"HS256 even if listed", hmac, ed, jose.Policy{Types: []string{"vc+jwt"}, Algorithms: []string{"HS256"}}, errs.ErrAlgorithmNotAllowed},
		{"ES256 header on an Ed25519 key", forge(t, ed, `{"alg":"ES256","typ":"vc+jwt"}`, payload), ed, vcPolicy, errs.ErrAlgorithmKeyMismatch},
		{"EdDSA header on a P-256 key", forge(t, p256, `{"alg":"EdDSA","typ":"vc+jwt"}`, payload), p256, vcPolicy, errs.ErrAlgorithmKeyMismatch},
		{"ES256K not allowed by default", forge(t, ed, `{"alg":"ES256K","typ":"vc+jwt"}`, payload), ed, vcPolicy, errs.ErrAlgorithmNotAllowed},
		{"alg not a string", forge(t, ed, `{"alg":1,"typ":"vc+jwt"}`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"no alg", forge(t, ed, `{"typ":"vc+jwt"}`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"crit", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","crit":["exp"],"exp":1}`, payload), ed, vcPolicy, errs.ErrUnsupportedCritical},
		{"b64 false", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","b64":false}`, payload), ed, vcPolicy, errs.ErrUnsupportedCritical},
		{"zip", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","zip":"DEF"}`, payload), ed, vcPolicy, errs.ErrUnsupportedCritical},
		{"embedded jwk", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","jwk":{"kty":"OKP"}}`, payload), ed, vcPolicy, errs.ErrUntrustedKeySource},
		{"jku", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","jku":"https://attacker.example/keys"}`, payload), ed, vcPolicy, errs.ErrUntrustedKeySource},
		{"x5u", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x5u":"https://attacker.example/cert"}`, payload), ed, vcPolicy, errs.ErrUntrustedKeySource},
		{"x5c not allowed", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x5c":["MIIB"]}`, payload), ed, vcPolicy, errs.ErrUntrustedKeySource},
		{"x5c allowed", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x5c":["MIIB"]}`, payload), ed, jose.Policy{Types: []string{"vc+jwt"}, AllowX5C: true}, nil},
		{"x5c allowed but not an array", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x5c":"MIIB"}`, payload), ed, jose.Policy{Types: []string{"vc+jwt"}, AllowX5C: true}, errs.ErrMalformed},
		{"wrong typ", forge(t, ed, `{"alg":"EdDSA","typ":"vp+jwt"}`, payload), ed, vcPolicy, errs.ErrInvalidType},
		{"typ case differs", forge(t, ed, `{"alg":"EdDSA","typ":"VC+JWT"}`, payload), ed, vcPolicy, errs.ErrInvalidType},
		{"typ with application prefix", forge(t, ed, `{"alg":"EdDSA","typ":"application/vc+jwt"}`, payload), ed, vcPolicy, errs.ErrInvalidType},
		{"missing typ", forge(t, ed, `{"alg":"EdDSA"}`, payload), ed, vcPolicy, errs.ErrInvalidType},
		{"missing typ allowed", forge(t, ed, `{"alg":"EdDSA"}`, payload), ed, jose.Policy{TypeOptional: true}, nil},
		{"typ JWT when optional but listed", forge(t, ed, `{"alg":"EdDSA","typ":"JWT"}`, payload), ed, jose.Policy{Types: []string{"JWT"}, TypeOptional: true}, nil},
		{"typ not a string", forge(t, ed, `{"alg":"EdDSA","typ":["vc+jwt"]}`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"duplicate header member", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","alg":"EdDSA"}`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"header not an object", forge(t, ed, `["alg"]`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"empty kid", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","kid":""}`, payload), ed, vcPolicy, errs.ErrMalformed},
		{"JSON serialization", `{"payload":"e30","signatures":[]}`, ed, vcPolicy, errs.ErrUnsupportedFormat},
		{"compact JWE", "a.b.c.d.e", ed, vcPolicy, errs.ErrUnsupportedFormat},
		{"two parts", "a.b", ed, vcPolicy, errs.ErrMalformed},
		{"four parts", good + ".x", ed, vcPolicy, errs.ErrMalformed},
		{"leading space", " " + good, ed, vcPolicy, errs.ErrMalformed},
		{"trailing newline", good + "\n", ed, vcPolicy, errs.ErrMalformed},
		{"space inside", good[:10] + " " + good[10:], ed, vcPolicy, errs.ErrMalformed},
		{"padding", strings.Replace(good, ".", "=.", 1), ed, vcPolicy, errs.ErrMalformed},
		{"standard base64 characters", good[:strings.LastIndex(good, ".")+1] + "+" + good[strings.LastIndex(good, ".")+2:], ed, vcPolicy, errs.ErrMalformed},
		{"tampered payload", good[:strings.Index(good, ".")+1] + enc(`{"iss":"did:example:mallory"}`) + good[strings.LastIndex(good, "."):], ed, vcPolicy, errs.ErrInvalidSignature},
		{"other key", good, p256, vcPolicy, errs.ErrAlgorithmKeyMismatch},
		{"10 MB token", strings.Repeat("a", 10<<20), ed, vcPolicy, errs.ErrTooLarge},
		{"deep header", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x":`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}`, payload), ed, vcPolicy, errs.ErrTooLarge},
		{"nested header", forge(t, ed, `{"alg":"EdDSA","typ":"vc+jwt","x":`+strings.Repeat("[", 20)+strings.Repeat("]", 20)+`}`, payload), ed, vcPolicy, errs.ErrTooDeep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := jose.Parse([]byte(tc.token), tc.p)
			if err == nil {
				err = tok.Verify(tc.key.Public(), tc.p.Algorithms)
			} else if tok != nil {
				t.Fatal("token returned with an error")
			}
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestDifferentialGoJOSE: tokens we sign verify with go-jose, and tokens go-jose signs
// verify with us, for every algorithm both implement.
func TestDifferentialGoJOSE(t *testing.T) {
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, tc := range []struct {
		name string
		key  crypto.Signer
		alg  gojose.SignatureAlgorithm
	}{
		{"ed25519", edPriv, gojose.EdDSA}, {"p256", p256, gojose.ES256}, {"p384", p384, gojose.ES384},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := keys.SignerFor(tc.key)
			if err != nil {
				t.Fatal(err)
			}
			payload := []byte(`{"iss":"did:example:1","vc":{"type":["VerifiableCredential"]}}`)
			ours, err := jose.Sign(s, payload, jose.SignOptions{Typ: "vc+jwt", Kid: "did:example:1#k"})
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := gojose.ParseSignedCompact(string(ours), []gojose.SignatureAlgorithm{tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			got, err := parsed.Verify(s.Public())
			if err != nil || string(got) != string(payload) {
				t.Fatalf("go-jose rejects our token: %v", err)
			}

			signer, err := gojose.NewSigner(gojose.SigningKey{Algorithm: tc.alg, Key: tc.key},
				(&gojose.SignerOptions{}).WithType("vc+jwt"))
			if err != nil {
				t.Fatal(err)
			}
			obj, err := signer.Sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			tok, err := jose.Parse([]byte(theirs), vcPolicy)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(s.Public(), nil); err != nil || string(tok.Payload) != string(payload) {
				t.Fatalf("we reject go-jose's token: %v", err)
			}
		})
	}
}

// TestWycheproofJWS runs json_web_crypto_test.json: the ES256 cases are in policy and
// must match their verdicts; HMAC and RSA keys must be refused with a named sentinel;
// JWE cases are refused as not-a-JWS.
func TestWycheproofJWS(t *testing.T) {
	var f struct {
		NumberOfTests int `json:"numberOfTests"`
		TestGroups    []struct {
			Comment string          `json:"comment"`
			Private json.RawMessage `json:"private"`
			Tests   []struct {
				TcID    int             `json:"tcId"`
				Comment string          `json:"comment"`
				JWS     json.RawMessage `json:"jws"`
				JWE     json.RawMessage `json:"jwe"`
				Result  string          `json:"result"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	if err := json.Unmarshal(vectors.Read(t, "wycheproof", "json_web_crypto_test.json"), &f); err != nil {
		t.Fatal(err)
	}
	var total, match, outOfPolicy, jwe int
	policy := jose.Policy{TypeOptional: true}
	for _, g := range f.TestGroups {
		signer, keyErr := keys.ParsePrivateJWK(g.Private)
		for _, c := range g.Tests {
			total++
			if len(c.JWE) > 0 {
				var s string
				if json.Unmarshal(c.JWE, &s) != nil {
					s = string(c.JWE)
				}
				if _, err := jose.Parse([]byte(s), policy); !errors.Is(err, errs.ErrUnsupportedFormat) && !errors.Is(err, errs.ErrMalformed) && !errors.Is(err, errs.ErrAlgorithmNotAllowed) {
					t.Errorf("tc %d: JWE: %v", c.TcID, err)
				}
				jwe++
				continue
			}
			var token string
			if err := json.Unmarshal(c.JWS, &token); err != nil {
				token = string(c.JWS) // JSON serialization given as an object
			}
			tok, err := jose.Parse([]byte(token), policy)
			if keyErr != nil {
				// HMAC / RSA keys or key sets: outside policy.
				if !errors.Is(keyErr, keys.ErrUnsupportedKeyType) && !errors.Is(keyErr, keys.ErrMalformed) {
					t.Errorf("tc %d: key error %v", c.TcID, keyErr)
				}
				if err == nil || !(errors.Is(err, errs.ErrAlgorithmNotAllowed) || errors.Is(err, errs.ErrUnsupportedFormat) || errors.Is(err, errs.ErrMalformed)) {
					t.Errorf("tc %d (%s): out-of-policy token: %v", c.TcID, g.Comment, err)
				}
				outOfPolicy++
				continue
			}
			if err == nil {
				err = tok.Verify(signer.Public(), nil)
			}
			if (c.Result == "valid") != (err == nil) {
				t.Errorf("tc %d (%s): result %s, got %v", c.TcID, c.Comment, c.Result, err)
				continue
			}
			match++
		}
	}
	if total != f.NumberOfTests {
		t.Fatalf("ran %d of %d", total, f.NumberOfTests)
	}
	t.Logf("json_web_crypto: %d in-policy verdicts match, %d out of policy (HMAC, RSA) refused, %d JWE refused as not JWS; %d total", match, outOfPolicy, jwe, total)
}

func TestClaims(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name, payload string
		want          error
	}{
		{"ok", `{"iss":"a","sub":"b","aud":["x","y"],"exp":1700000100,"nbf":1699999900,"iat":1699999900.5,"jti":"j","nonce":"n"}`, nil},
		{"aud string", `{"aud":"x"}`, nil},
		{"string iat", `{"iat":"1699999900"}`, errs.ErrMalformed},
		{"numeric iss", `{"iss":1}`, errs.ErrMalformed},
		{"aud number", `{"aud":1}`, errs.ErrMalformed},
		{"aud mixed", `{"aud":["x",1]}`, errs.ErrMalformed},
		{"negative exp", `{"exp":-1}`, errs.ErrMalformed},
		{"huge exp", `{"exp":1e300}`, errs.ErrMalformed},
		{"duplicate claim", `{"iss":"a","iss":"b"}`, errs.ErrMalformed},
		{"not an object", `[1]`, errs.ErrMalformed},
		{"expired", `{"exp":1699999000}`, errs.ErrExpired},
		{"expired within skew", `{"exp":1699999990}`, nil},
		{"not yet valid", `{"nbf":1700001000}`, errs.ErrNotYetValid},
		{"issued in future", `{"iat":1700001000}`, errs.ErrIssuedInFuture},
		{"fraction exact", `{"iat":1699999900.123}`, nil},
		{"deep", `{"x":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`, errs.ErrTooDeep},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := jose.ParseClaims([]byte(tc.payload), jsonx.Limits{})
			if err == nil {
				err = c.CheckTime(now, time.Minute)
			}
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNumericDateFraction(t *testing.T) {
	c, err := jose.ParseClaims([]byte(`{"iat":1262373804.123,"exp":1262373804.5e0}`), jsonx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.IssuedAt.Nanosecond(); got != 123000000 {
		t.Errorf("iat nanoseconds %d, want 123000000", got)
	}
	if got := c.Expiry.Nanosecond(); got != 500000000 {
		t.Errorf("exp nanoseconds %d", got)
	}
}

func TestParseCopiesInput(t *testing.T) {
	ed, _ := keys.Generate(keys.Ed25519)
	tok, err := jose.Sign(ed, []byte(`{"a":1}`), jose.SignOptions{Typ: "vc+jwt"})
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jose.Parse(tok, vcPolicy)
	if err != nil {
		t.Fatal(err)
	}
	for i := range tok {
		tok[i] = 'A'
	}
	if err := parsed.Verify(ed.Public(), nil); err != nil {
		t.Fatalf("verify after the caller reused its buffer: %v", err)
	}
}
