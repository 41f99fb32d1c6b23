package status_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/credence-dev/credence/vc/status"
)

// staticFetcher serves one status list credential; a real verifier uses NewHTTPFetcher.
type staticFetcher map[string][]byte

func (f staticFetcher) Fetch(_ context.Context, url, _ string) ([]byte, error) {
	if b, ok := f[url]; ok {
		return b, nil
	}
	return nil, errors.New("not found")
}

// An issuer revokes an index and publishes the list; a verifier's CheckBitstring then
// reports ErrRevoked for the credential that holds that index.
func ExampleChecker_CheckBitstring() {
	const (
		issuer = "did:example:issuer"
		url    = "https://issuer.example/status/1"
	)
	list, err := status.NewBitstringList(status.MinBitstringEntries, 1)
	if err != nil {
		panic(err)
	}
	if err := list.Set(94567, 1); err != nil { // revoke the credential at index 94567
		panic(err)
	}
	cred, err := list.Credential(status.BitstringCredentialOptions{
		ID: url, Issuer: issuer, Purpose: []string{status.PurposeRevocation},
	})
	if err != nil {
		panic(err)
	}
	// The issuer would sign cred; here the callback stands in for the facade's check.
	c, err := status.NewChecker(status.CheckerOptions{
		Fetch: staticFetcher{url: cred},
		VerifyBitstring: func(_ context.Context, raw []byte, _ string) ([]byte, error) {
			return raw, nil
		},
		Clock: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	entries, err := status.ParseBitstringEntries([]byte(`{
		"type": "BitstringStatusListEntry",
		"statusPurpose": "revocation",
		"statusListIndex": "94567",
		"statusListCredential": "https://issuer.example/status/1"
	}`))
	if err != nil {
		panic(err)
	}
	_, err = c.CheckBitstring(context.Background(), entries, issuer)
	fmt.Println(errors.Is(err, status.ErrRevoked))

	entries[0].Index = 94568
	res, err := c.CheckBitstring(context.Background(), entries, issuer)
	fmt.Println(res.Entries[0].Value, err)
	// Output:
	// true
	// 0 <nil>
}
