package sdjwt

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	ijose "github.com/credence-dev/credence/internal/jose"
	"github.com/credence-dev/credence/keys"
)

// forge builds SD-JWTs by hand, signed with a real issuer key, so that each attack
// reaches the check it targets.
type forge struct {
	t      testing.TB
	issuer keys.Signer
	holder keys.Signer
	other  keys.Signer // an Ed25519 key that is not the holder's
	p256   keys.Signer // a P-256 key, for algorithm mismatches
	now    time.Time
}

var forgeNow = time.Unix(1700000000, 0)

func newForge(t testing.TB) *forge {
	f := &forge{t: t, now: forgeNow}
	for _, k := range []*keys.Signer{&f.issuer, &f.holder, &f.other} {
		s, err := keys.Generate(keys.Ed25519)
		if err != nil {
			t.Fatal(err)
		}
		*k = s
	}
	s, err := keys.Generate(keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	f.p256 = s
	return f
}

// disc encodes a disclosure of the given elements.
func disc(t testing.TB, parts ...any) string {
	t.Helper()
	data, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return b64.EncodeToString(data)
}

func raw64(s string) string { return b64.EncodeToString([]byte(s)) }

func dig(d string) string { return hashAlgs[0].sum([]byte(d)) }

// cnf is the holder's key as a cnf claim, without the braces of the payload.
func (f *forge) cnf() string {
	jwk, err := keys.JWK(f.holder.Public())
	if err != nil {
		f.t.Fatal(err)
	}
	return `"cnf":{"jwk":` + string(jwk) + `}`
}

// jws signs payload (a JSON object's members, without braces) with the issuer key.
func (f *forge) jws(typ, members string) string {
	f.t.Helper()
	tok, err := ijose.Sign(f.issuer, []byte("{"+members+"}"), ijose.SignOptions{Typ: typ})
	if err != nil {
		f.t.Fatal(err)
	}
	return string(tok)
}

// vc is an SD-JWT VC payload with the given extra members.
func (f *forge) vc(members string) string {
	m := `"vct":"https://credentials.example/id","iss":"https://issuer.example",` + f.cnf()
	if members != "" {
		m += "," + members
	}
	return f.jws(TypVC, m)
}

// sdjwt joins an Issuer-signed JWT and disclosures into an SD-JWT as issued.
func sdjwt(jws string, discs ...string) string {
	return string(compactForm([]byte(jws), discs, nil))
}

// kbClaims are the claims of a correct key binding JWT for sd (an SD-JWT ending in ~).
func (f *forge) kbClaims(sd string) map[string]any {
	return map[string]any{"iat": f.now.Unix(), "aud": "https://verifier.example", "nonce": "n-0S6_WzA2Mj", "sd_hash": dig(sd)}
}

// kb appends a key binding JWT with claims c, signed by s with typ.
func (f *forge) kb(sd string, s keys.Signer, typ string, c map[string]any) string {
	f.t.Helper()
	body, err := json.Marshal(c)
	if err != nil {
		f.t.Fatal(err)
	}
	tok, err := ijose.Sign(s, body, ijose.SignOptions{Typ: typ})
	if err != nil {
		f.t.Fatal(err)
	}
	return sd + string(tok)
}

// present is sd with a correct key binding JWT, after edit changes its claims.
func (f *forge) present(sd string, edit func(map[string]any)) string {
	c := f.kbClaims(sd)
	if edit != nil {
		edit(c)
	}
	return f.kb(sd, f.holder, TypKeyBinding, c)
}

var forgeExpect = Expect{Nonce: "n-0S6_WzA2Mj", Audience: "https://verifier.example"}

func (f *forge) verifier(o VerifierOptions) *Verifier {
	f.t.Helper()
	if o.Clock == nil {
		o.Clock = fixedClock(f.now)
	}
	pub := f.issuer.Public()
	v, err := NewVerifier(func(context.Context, KeyRequest) (crypto.PublicKey, error) { return pub, nil }, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

type attack struct {
	name    string
	build   func(f *forge) string
	present bool            // VerifyPresentation (else VerifyIssued)
	opts    VerifierOptions // verifier options
	want    error
}

func attacks(t testing.TB) []attack {
	d1 := disc(t, "salt-1", "given_name", "Erika")
	d2 := disc(t, "salt-2", "family_name", "Mustermann")
	el := disc(t, "salt-3", "DE")
	chain := func(n int) (string, []string) {
		// Each disclosure's value holds the digest of the next one down.
		var discs []string
		leaf := disc(t, "s", "leaf", true)
		discs = append(discs, leaf)
		cur := leaf
		for i := range n {
			next := disc(t, fmt.Sprintf("s%d", i), fmt.Sprintf("l%d", i), map[string]any{"_sd": []string{dig(cur)}})
			discs = append(discs, next)
			cur = next
		}
		return `"_sd":["` + dig(cur) + `"]`, discs
	}
	return []attack{
		{name: "well-formed issued", build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`"],"nationalities":[{"...":"`+dig(el)+`"}]`), d1, el)
		}},
		{name: "well-formed presentation", present: true, build: func(f *forge) string {
			return f.present(sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`), d1), nil)
		}},
		{name: "duplicate disclosure", want: ErrDuplicateDisclosure, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`), d1, d1)
		}},
		{name: "unreferenced disclosure", want: ErrUnreferencedDisclosure, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`), d1, d2)
		}},
		{name: "disclosure referenced only from an undisclosed one", want: ErrUnreferencedDisclosure, build: func(f *forge) string {
			inner := disc(t, "s", "street", "Main")
			outer := disc(t, "s2", "address", map[string]any{"_sd": []string{dig(inner)}})
			return sdjwt(f.vc(`"_sd":["`+dig(outer)+`"]`), inner)
		}},
		{name: "duplicate digest in _sd", want: ErrDuplicateDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`","`+dig(d1)+`"]`), d1)
		}},
		{name: "duplicate decoy digest", want: ErrDuplicateDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["` + dig("x") + `"],"a":{"_sd":["` + dig("x") + `"]}`))
		}},
		{name: "digest in _sd and in an array", want: ErrDuplicateDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["` + dig("x") + `"],"a":[{"...":"` + dig("x") + `"}]`))
		}},
		{name: "digest repeated inside a disclosure", want: ErrDuplicateDigest, build: func(f *forge) string {
			inner := disc(t, "s", "street", "Main")
			outer := disc(t, "s2", "address", map[string]any{"_sd": []string{dig(inner)}})
			return sdjwt(f.vc(`"_sd":["`+dig(outer)+`","`+dig(inner)+`"]`), outer, inner)
		}},
		{name: "disclosure overwrites a plain claim", want: ErrDisclosureOverwrite, build: func(f *forge) string {
			return sdjwt(f.vc(`"given_name":"Max","_sd":["`+dig(d1)+`"]`), d1)
		}},
		{name: "two disclosures of one name", want: ErrDisclosureOverwrite, build: func(f *forge) string {
			other := disc(t, "salt-9", "given_name", "Max")
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`","`+dig(other)+`"]`), d1, other)
		}},
		{name: "disclosure named _sd", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "_sd", []string{dig("x")})
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure named ...", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "...", "x")
			return sdjwt(f.vc(`"a":{"_sd":["`+dig(d)+`"]}`), d)
		}},
		{name: "disclosure named _sd_alg", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "_sd_alg", "sha-256")
			return sdjwt(f.vc(`"a":{"_sd":["`+dig(d)+`"]}`), d)
		}},
		{name: "array disclosure for a property", want: ErrInvalidDisclosure, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(el)+`"]`), el)
		}},
		{name: "property disclosure for an array element", want: ErrInvalidDisclosure, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":[{"...":"`+dig(d1)+`"}]`), d1)
		}},
		{name: "_sd_alg md5", want: ErrUnsupportedHashAlgorithm, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd_alg":"md5"`))
		}},
		{name: "_sd_alg sha-384 outside the policy", want: ErrUnsupportedHashAlgorithm, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd_alg":"sha-384"`))
		}},
		{name: "_sd_alg sha-384 allowed", opts: VerifierOptions{HashAlgorithms: []string{SHA256, SHA384}}, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd_alg":"sha-384","_sd":["`+hashAlgs[1].sum([]byte(d1))+`"]`), d1)
		}},
		{name: "_sd_alg SHA-256 (case)", want: ErrUnsupportedHashAlgorithm, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd_alg":"SHA-256"`))
		}},
		{name: "_sd_alg not a string", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd_alg":1`))
		}},
		{name: "_sd_alg nested", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":{"_sd_alg":"sha-256"}`))
		}},
		{name: "KB aud missing", present: true, want: ErrAudienceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { delete(c, "aud") })
		}},
		{name: "KB aud wrong", present: true, want: ErrAudienceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["aud"] = "https://evil.example" })
		}},
		{name: "KB aud array", present: true, want: ErrAudienceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["aud"] = []string{"https://verifier.example"} })
		}},
		{name: "KB nonce wrong", present: true, want: ErrNonceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["nonce"] = "n-0S6_WzA2Mk" })
		}},
		{name: "KB nonce missing", present: true, want: ErrNonceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { delete(c, "nonce") })
		}},
		{name: "KB iat an hour ahead", present: true, want: ErrIssuedInFuture, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["iat"] = f.now.Add(time.Hour).Unix() })
		}},
		{name: "KB iat a day old", present: true, want: ErrStale, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["iat"] = f.now.Add(-24 * time.Hour).Unix() })
		}},
		{name: "KB iat 59 s ahead", present: true, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["iat"] = f.now.Add(59 * time.Second).Unix() })
		}},
		{name: "KB iat 299 s old", present: true, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["iat"] = f.now.Add(-299 * time.Second).Unix() })
		}},
		{name: "KB iat missing", present: true, want: ErrMalformed, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { delete(c, "iat") })
		}},
		{name: "KB iat a string", present: true, want: ErrMalformed, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["iat"] = "2023-11-14T22:13:20Z" })
		}},
		{name: "KB expired", present: true, want: ErrExpired, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["exp"] = f.now.Add(-time.Hour).Unix() })
		}},
		{name: "sd_hash over another presentation", present: true, want: ErrSDHashMismatch, build: func(f *forge) string {
			jws := f.vc(`"_sd":["` + dig(d1) + `","` + dig(d2) + `"]`)
			c := f.kbClaims(sdjwt(jws, d1, d2))
			return f.kb(sdjwt(jws, d1), f.holder, TypKeyBinding, c)
		}},
		{name: "sd_hash missing", present: true, want: ErrSDHashMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { delete(c, "sd_hash") })
		}},
		{name: "sd_hash in sha-384 under sha-256", present: true, want: ErrSDHashMismatch, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			return f.present(sd, func(c map[string]any) { c["sd_hash"] = hashAlgs[1].sum([]byte(sd)) })
		}},
		{name: "missing KB when required", present: true, want: ErrKeyBindingRequired, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`), d1)
		}},
		{name: "missing KB allowed explicitly", present: true, opts: VerifierOptions{AllowMissingKeyBinding: true}, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`), d1)
		}},
		{name: "KB checked even when optional", present: true, opts: VerifierOptions{AllowMissingKeyBinding: true}, want: ErrNonceMismatch, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), func(c map[string]any) { c["nonce"] = "x" })
		}},
		{name: "KB signed by a key other than cnf", present: true, want: ErrHolderBinding, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			return f.kb(sd, f.other, TypKeyBinding, f.kbClaims(sd))
		}},
		{name: "KB signed by a key of another algorithm", present: true, want: ErrAlgorithmKeyMismatch, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			return f.kb(sd, f.p256, TypKeyBinding, f.kbClaims(sd))
		}},
		{name: "KB without cnf", present: true, want: ErrHolderBinding, build: func(f *forge) string {
			sd := sdjwt(f.jws(TypVC, `"vct":"https://credentials.example/id"`))
			return f.present(sd, nil)
		}},
		{name: "KB with a cnf kid and no holder key function", present: true, want: ErrHolderBinding, build: func(f *forge) string {
			sd := sdjwt(f.jws(TypVC, `"vct":"https://credentials.example/id","cnf":{"kid":"did:example:holder#1"}`))
			return f.present(sd, nil)
		}},
		{name: "KB typ JWT", present: true, want: ErrInvalidType, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			return f.kb(sd, f.holder, "JWT", f.kbClaims(sd))
		}},
		{name: "KB with a jwk header", present: true, want: ErrUntrustedKeySource, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			jwk, _ := keys.JWK(f.holder.Public())
			body, _ := json.Marshal(f.kbClaims(sd))
			hdr := `{"alg":"EdDSA","typ":"kb+jwt","jwk":` + string(jwk) + `}`
			signing := raw64(hdr) + "." + b64.EncodeToString(body)
			sig, err := keys.Sign(f.holder, []byte(signing))
			if err != nil {
				t.Fatal(err)
			}
			return sd + signing + "." + b64.EncodeToString(sig)
		}},
		{name: "KB alg none", present: true, want: ErrAlgorithmNotAllowed, build: func(f *forge) string {
			sd := sdjwt(f.vc(""))
			body, _ := json.Marshal(f.kbClaims(sd))
			return sd + raw64(`{"alg":"none","typ":"kb+jwt"}`) + "." + b64.EncodeToString(body) + ".AA"
		}},
		{name: "SD-JWT+KB checked as issued", want: ErrInvalidType, build: func(f *forge) string {
			return f.present(sdjwt(f.vc("")), nil)
		}},
		{name: "issuer typ JWT", want: ErrInvalidType, build: func(f *forge) string {
			return sdjwt(f.jws("JWT", `"vct":"https://credentials.example/id"`))
		}},
		{name: "issuer typ absent", want: ErrInvalidType, build: func(f *forge) string {
			body := raw64(`{"vct":"https://credentials.example/id"}`)
			signing := raw64(`{"alg":"EdDSA"}`) + "." + body
			sig, _ := keys.Sign(f.issuer, []byte(signing))
			return sdjwt(signing + "." + b64.EncodeToString(sig))
		}},
		{name: "missing vct", want: ErrInvalidType, build: func(f *forge) string {
			return sdjwt(f.jws(TypVC, `"iss":"https://issuer.example"`))
		}},
		{name: "vct not a string", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.jws(TypVC, `"vct":1`))
		}},
		{name: "legacy vc+sd-jwt with vct refused by default", want: ErrInvalidType, build: func(f *forge) string {
			return sdjwt(f.jws(TypLegacyVC, `"vct":"https://credentials.example/id"`))
		}},
		{name: "legacy vc+sd-jwt with vct allowed explicitly", opts: VerifierOptions{AllowLegacyVCType: true}, build: func(f *forge) string {
			return sdjwt(f.jws(TypLegacyVC, `"vct":"https://credentials.example/id"`))
		}},
		{name: "vc+sd-jwt without @context or vct", want: ErrInvalidType, build: func(f *forge) string {
			return sdjwt(f.jws(TypLegacyVC, `"iss":"https://issuer.example"`))
		}},
		{name: "vct disclosed", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "vct", "https://credentials.example/id")
			return sdjwt(f.jws(TypVC, `"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "cnf disclosed", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "cnf", map[string]any{"kid": "k"})
			return sdjwt(f.jws(TypVC, `"vct":"x","_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "status disclosed", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "status", map[string]any{"status_list": map[string]any{"idx": 1, "uri": "https://s.example"}})
			return sdjwt(f.jws(TypVC, `"vct":"x","_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "exp disclosed", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "exp", 1900000000)
			return sdjwt(f.jws(TypVC, `"vct":"x","_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "digest inside status", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "idx", 1)
			return sdjwt(f.jws(TypVC, `"vct":"x","status":{"status_list":{"_sd":["`+dig(d)+`"],"uri":"https://s.example"}}`), d)
		}},
		{name: "decoy inside cnf", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			return sdjwt(f.jws(TypVC, `"vct":"x","cnf":{"_sd":["`+dig("decoy")+`"]}`))
		}},
		{name: "array element disclosure inside aka_vcts", want: ErrReservedClaimDisclosed, build: func(f *forge) string {
			d := disc(t, "s", "urn:b")
			return sdjwt(f.jws(TypVC, `"vct":"x","aka_vcts":[{"...":"`+dig(d)+`"}]`), d)
		}},
		{name: "iat disclosed in an SD-JWT VC", build: func(f *forge) string {
			d := disc(t, "s", "iat", f.now.Unix())
			return sdjwt(f.jws(TypVC, `"vct":"x","_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "aka_vcts holding the vct", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.jws(TypVC, `"vct":"x","aka_vcts":["x"]`))
		}},
		{name: "200-deep disclosure chain", want: ErrTooDeep, build: func(f *forge) string {
			members, discs := chain(200)
			return sdjwt(f.vc(members), discs...)
		}},
		{name: "60-deep disclosure chain", build: func(f *forge) string {
			members, discs := chain(60)
			return sdjwt(f.vc(members), discs...)
		}},
		{name: "100k disclosures", want: ErrTooLarge, build: func(f *forge) string {
			return sdjwt(f.vc(""), strings.Split(strings.Repeat("WyJzIiwiYSIsMV0~", 100000), "~")[:100000]...)
		}},
		{name: "1001 disclosures", want: ErrTooLarge, build: func(f *forge) string {
			var discs []string
			for i := range 1001 {
				discs = append(discs, disc(t, fmt.Sprintf("s%d", i), fmt.Sprintf("c%d", i), i))
			}
			return sdjwt(f.vc(""), discs...)
		}},
		{name: "payload nested 100 deep", want: ErrTooDeep, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100)))
		}},
		{name: "empty disclosure", want: ErrInvalidDisclosure, build: func(f *forge) string {
			return f.vc("") + "~~"
		}},
		{name: "disclosure not an array", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := raw64(`{"salt":"s","name":"a","value":1}`)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure of four elements", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := disc(t, "s", "a", 1, 2)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure of one element", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := disc(t, "s")
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure with a numeric salt", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := disc(t, 7, "a", 1)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure with a numeric name", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := disc(t, "s", 7, 1)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure that is not JSON", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := raw64(`["s","a",]`)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure with duplicate members in its value", want: ErrInvalidDisclosure, build: func(f *forge) string {
			d := raw64(`["s","a",{"x":1,"x":2}]`)
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "disclosure not base64url", want: ErrInvalidDisclosure, build: func(f *forge) string {
			return sdjwt(f.vc(""), "W")
		}},
		{name: "_sd not an array", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":"` + dig(d1) + `"`))
		}},
		{name: "_sd holding a number", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":[1]`))
		}},
		{name: "_sd holding a short digest", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"_sd":["abc"]`))
		}},
		{name: "array digest with another member", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":[{"...":"`+dig(el)+`","x":1}]`), el)
		}},
		{name: "array digest not a string", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":[{"...":1}]`))
		}},
		{name: "... member outside an array", want: ErrInvalidDigest, build: func(f *forge) string {
			return sdjwt(f.vc(`"a":{"...":"` + dig(el) + `"}`))
		}},
		{name: "whitespace in the compact form", want: ErrMalformed, build: func(f *forge) string {
			return f.vc("") + "~ " + d1 + "~"
		}},
		{name: "newline at the end", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.vc("")) + "\n"
		}},
		{name: "trailing disclosure after the KB-JWT", present: true, want: ErrMalformed, build: func(f *forge) string {
			return f.present(sdjwt(f.vc(`"_sd":["`+dig(d1)+`"]`)), nil) + "~" + d1
		}},
		{name: "a JWE for the Issuer-signed JWT", want: ErrUnsupportedFormat, build: func(f *forge) string {
			return "a.b.c.d.e~"
		}},
		{name: "no tilde", want: ErrMalformed, build: func(f *forge) string {
			return f.vc("")
		}},
		{name: "issuer signature by another key", want: ErrInvalidSignature, build: func(f *forge) string {
			tok, _ := ijose.Sign(f.other, []byte(`{"vct":"x"}`), ijose.SignOptions{Typ: TypVC})
			return sdjwt(string(tok))
		}},
		{name: "issuer alg not the key's", want: ErrAlgorithmKeyMismatch, build: func(f *forge) string {
			tok, _ := ijose.Sign(f.p256, []byte(`{"vct":"x"}`), ijose.SignOptions{Typ: TypVC})
			return sdjwt(string(tok))
		}},
		{name: "expired credential", want: ErrExpired, build: func(f *forge) string {
			return sdjwt(f.vc(fmt.Sprintf(`"exp":%d`, f.now.Add(-time.Hour).Unix())))
		}},
		{name: "credential not yet valid", want: ErrNotYetValid, build: func(f *forge) string {
			return sdjwt(f.vc(fmt.Sprintf(`"nbf":%d`, f.now.Add(time.Hour).Unix())))
		}},
		{name: "string iat in the credential", want: ErrMalformed, build: func(f *forge) string {
			return sdjwt(f.vc(`"iat":"2023-11-14T22:13:20Z"`))
		}},
		{name: "disclosed iat a string", want: ErrMalformed, build: func(f *forge) string {
			d := disc(t, "s", "iat", "2023-11-14T22:13:20Z")
			return sdjwt(f.vc(`"_sd":["`+dig(d)+`"]`), d)
		}},
		{name: "cnf jwk with a private key", want: ErrPrivateKeyMaterial, build: func(f *forge) string {
			priv, err := keys.PrivateJWK(f.holder)
			if err != nil {
				t.Fatal(err)
			}
			return sdjwt(f.jws(TypVC, `"vct":"x","cnf":{"jwk":`+string(priv)+`}`))
		}},
		{name: "JSON: second signature invalid", want: ErrInvalidSignature, build: func(f *forge) string {
			tok := f.generalJSON(t, d1)
			var g map[string]any
			_ = json.Unmarshal([]byte(tok), &g)
			sigs := g["signatures"].([]any)
			sigs[1].(map[string]any)["signature"] = sigs[0].(map[string]any)["signature"]
			out, _ := json.Marshal(g)
			return string(out)
		}},
		{name: "JSON: disclosures in the second header", want: ErrMalformed, build: func(f *forge) string {
			tok := f.generalJSON(t, d1)
			var g map[string]any
			_ = json.Unmarshal([]byte(tok), &g)
			g["signatures"].([]any)[1].(map[string]any)["header"] = map[string]any{"disclosures": []string{d1}}
			out, _ := json.Marshal(g)
			return string(out)
		}},
		{name: "JSON: alg in the unprotected header", want: ErrMalformed, build: func(f *forge) string {
			tok := f.generalJSON(t, d1)
			var g map[string]any
			_ = json.Unmarshal([]byte(tok), &g)
			g["signatures"].([]any)[0].(map[string]any)["header"].(map[string]any)["alg"] = "none"
			out, _ := json.Marshal(g)
			return string(out)
		}},
		{name: "JSON: unknown top-level member", want: ErrMalformed, build: func(f *forge) string {
			tok := f.generalJSON(t, d1)
			return `{"x":1,` + tok[1:]
		}},
		{name: "JSON: duplicate member", want: ErrMalformed, build: func(f *forge) string {
			tok := f.generalJSON(t, d1)
			return `{"payload":"e30",` + tok[1:]
		}},
		{name: "JSON: well-formed general", build: func(f *forge) string {
			return f.generalJSON(t, d1)
		}},
	}
}

// generalJSON issues a general JSON serialization with a cosignature by the issuer key.
func (f *forge) generalJSON(t testing.TB, _ string) string {
	claims := map[string]any{"vct": "https://credentials.example/id", "given_name": "Erika"}
	fr := Frame{Members: map[string]Frame{"given_name": {Disclosable: true}}}
	tok, err := Issue(f.issuer, claims, fr, IssueOptions{Serialization: GeneralJSON, Cosigners: []Cosigner{{Signer: f.issuer, KeyID: "k2"}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(tok)
}

func TestAttacks(t *testing.T) {
	f := newForge(t)
	rejected := 0
	all := attacks(t)
	for _, a := range all {
		t.Run(a.name, func(t *testing.T) {
			v := f.verifier(a.opts)
			data := []byte(a.build(f))
			var err error
			if a.present {
				_, err = v.VerifyPresentation(context.Background(), data, forgeExpect)
			} else {
				_, err = v.VerifyIssued(context.Background(), data)
			}
			checkErr(t, err, a.want)
			if a.want != nil {
				rejected++
			}
		})
	}
	t.Logf("%d attacks rejected with their sentinel, %d well-formed controls accepted", rejected, len(all)-rejected)
}
