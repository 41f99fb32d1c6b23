package redisstore_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credence-dev/credence/did/key"
	"github.com/credence-dev/credence/keys"
	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/presentation/openid4vp/redisstore"
	"github.com/credence-dev/credence/vc"
)

// replicas returns two issuance stores on two Redis clients sharing one server and
// one prefix: two issuer replicas.
func replicas(t *testing.T) (*redisstore.Issuance, *redisstore.Issuance) {
	t.Helper()
	addr := redisAddr(t)
	a := redis.NewClient(&redis.Options{Addr: addr})
	b := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { a.Close(); b.Close() })
	prefix := fmt.Sprintf("test-%d:", time.Now().UnixNano())
	return redisstore.NewIssuance(a, redisstore.Options{Prefix: prefix}), redisstore.NewIssuance(b, redisstore.Options{Prefix: prefix})
}

func TestIssuanceStoreAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	sa, sb := replicas(t)
	exp := time.Now().Add(time.Minute)

	// Nonces: spent once, on whichever replica.
	if err := sa.PutNonce(ctx, "n1", exp); err != nil {
		t.Fatal(err)
	}
	if err := sb.PutNonce(ctx, "n1", exp); !errors.Is(err, openid4vp.ErrReplay) {
		t.Fatalf("second PutNonce: %v", err)
	}
	if err := sb.UseNonce(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	if err := sa.UseNonce(ctx, "n1"); !errors.Is(err, openid4vp.ErrReplay) {
		t.Fatalf("nonce reused on the other replica: %v, want ErrReplay", err)
	}
	if err := sa.UseNonce(ctx, "unknown"); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("unknown nonce: %v", err)
	}
	// Ten concurrent uses of one nonce: one wins.
	if err := sa.PutNonce(ctx, "n2", exp); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 10 {
		st := []*redisstore.Issuance{sa, sb}[i%2]
		wg.Go(func() {
			err := st.UseNonce(ctx, "n2")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, openid4vp.ErrReplay):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d uses of one nonce", wins)
	}

	// Offers and tokens.
	if err := sa.PutOffer(ctx, "h1", []byte(`{"a":1}`), exp); err != nil {
		t.Fatal(err)
	}
	if got, err := sb.Offer(ctx, "h1"); err != nil || string(got) != `{"a":1}` {
		t.Fatalf("offer on the other replica: %s, %v", got, err)
	}
	if _, err := sb.Offer(ctx, "h2"); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("unknown offer: %v", err)
	}
	tok := &openid4vp.AccessToken{Hash: "t1", Issuer: "https://i.example", OfferID: "o", ConfigurationIDs: []string{"pid"}, Expires: exp}
	if err := sa.PutToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := sb.Token(ctx, "t1"); err != nil || got.OfferID != "o" || got.ConfigurationIDs[0] != "pid" {
		t.Fatalf("token on the other replica: %+v, %v", got, err)
	}
	if err := sa.PutToken(ctx, &openid4vp.AccessToken{Hash: "t2", Expires: time.Now().Add(-time.Second)}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("expired token: %v", err)
	}

	// TTLs: a nonce expires in Redis.
	if err := sa.PutNonce(ctx, "n3", time.Now().Add(1100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := sb.UseNonce(ctx, "n3"); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("expired nonce: %v", err)
	}
}

// newReplica makes an issuer replica on store.
func newReplica(t *testing.T, signer keys.Signer, kid string, store openid4vp.IssuanceStore) *openid4vp.Issuer {
	t.Helper()
	vi, err := vc.NewIssuer(signer, kid, vc.IssuerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	iss, err := openid4vp.NewIssuer(openid4vp.IssuerOptions{
		Identifier: "https://issuer.example", Issuer: vi, Store: store,
		Configurations: map[string]openid4vp.CredentialConfiguration{"pid": {Format: openid4vp.FormatSDJWTVC, VCT: "urn:example:pid"}},
		Claims: func(context.Context, openid4vp.ClaimsRequest) (map[string]any, error) {
			return map[string]any{"given_name": "Alice"}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// TestIssuerReplicas runs two issuer replicas on one Redis: a pre-authorized code
// redeemed on one is refused on the other, wrong transaction codes count across
// replicas, and a token granted by one works on the other.
func TestIssuerReplicas(t *testing.T) {
	ctx := context.Background()
	sa, sb := replicas(t)
	s, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	d, err := key.Create(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	kid := d + "#" + strings.TrimPrefix(d, "did:key:")
	a, b := newReplica(t, s, kid, sa), newReplica(t, s, kid, sb)
	form := func(o *openid4vp.Offer, tx ...string) url.Values {
		f := url.Values{"grant_type": {openid4vp.GrantPreAuthorizedCode}, "pre-authorized_code": {o.Offer.Grants.PreAuthorizedCode.Code}}
		if len(tx) > 0 {
			f.Set("tx_code", tx[0])
		}
		return f
	}
	o, err := a.NewOffer(ctx, openid4vp.OfferOptions{OfferID: "app", ConfigurationIDs: []string{"pid"}})
	if err != nil {
		t.Fatal(err)
	}
	// Redeemed at once on both replicas: exactly one access token.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var tokens []string
	for i := range 10 {
		r := []*openid4vp.Issuer{a, b}[i%2]
		wg.Go(func() {
			res, err := r.Token(ctx, form(o))
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				tokens = append(tokens, res.AccessToken)
			} else if !errors.Is(err, openid4vp.ErrReplay) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(tokens) != 1 {
		t.Fatalf("%d tokens for one code", len(tokens))
	}
	// The token works on the other replica as far as the key proof (none here).
	if _, err := b.Credential(ctx, tokens[0], []byte(`{"credential_configuration_id":"pid"}`)); !errors.Is(err, vc.ErrMissingProof) {
		t.Fatalf("token on the other replica: %v, want the missing proof", err)
	}
	// Wrong transaction codes spread over replicas spend the grant.
	o, err = b.NewOffer(ctx, openid4vp.OfferOptions{OfferID: "app", ConfigurationIDs: []string{"pid"}, TxCode: &openid4vp.TxCode{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range openid4vp.DefaultTxCodeAttempts {
		r := []*openid4vp.Issuer{a, b}[i%2]
		if _, err := r.Token(ctx, form(o, "wrong")); !errors.Is(err, openid4vp.ErrInvalidTxCode) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := a.Token(ctx, form(o, o.TxCode)); !errors.Is(err, openid4vp.ErrInvalidTxCode) {
		t.Fatalf("the right code after the limit: %v, want ErrInvalidTxCode", err)
	}
	// A nonce made on one replica and spent on the other is refused on both.
	n, err := a.Nonce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	holder, err := keys.Generate(keys.P256)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"credential_configuration_id":"pid","proofs":{"jwt":["` + proof(t, holder, n) + `"]}}`)
	token := func(r *openid4vp.Issuer) string {
		o, err := r.NewOffer(ctx, openid4vp.OfferOptions{OfferID: "app", ConfigurationIDs: []string{"pid"}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Token(ctx, form(o))
		if err != nil {
			t.Fatal(err)
		}
		return res.AccessToken
	}
	if res, err := b.Credential(ctx, token(a), body); err != nil || len(res.Credentials) != 1 {
		t.Fatalf("credential on the other replica: %v, %v", res, err)
	}
	for _, r := range []*openid4vp.Issuer{a, b} {
		if _, err := r.Credential(ctx, token(r), body); !errors.Is(err, openid4vp.ErrReplay) {
			t.Fatalf("reused nonce: %v, want ErrReplay", err)
		}
	}
}

// proof signs a key proof JWT for https://issuer.example with the jwk header.
func proof(t *testing.T, s keys.Signer, nonce string) string {
	t.Helper()
	j, err := keys.JWK(s.Public())
	if err != nil {
		t.Fatal(err)
	}
	hdr, _ := json.Marshal(map[string]any{"alg": s.Algorithm(), "typ": openid4vp.ProofTyp, "jwk": json.RawMessage(j)})
	claims, _ := json.Marshal(map[string]any{"aud": "https://issuer.example", "iat": time.Now().Unix(), "nonce": nonce})
	b64 := base64.RawURLEncoding
	input := b64.EncodeToString(hdr) + "." + b64.EncodeToString(claims)
	sig, err := keys.Sign(s, []byte(input))
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64.EncodeToString(sig)
}
