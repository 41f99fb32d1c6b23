package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/web"
)

func ExampleURL() {
	for _, d := range []string{
		"did:web:w3c-ccg.github.io",
		"did:web:w3c-ccg.github.io:user:alice",
		"did:web:example.com%3A3000:user:alice",
		"did:web:169.254.169.254",
	} {
		u, err := web.URL(d)
		if err != nil {
			fmt.Println("refused:", errorKind(err))
			continue
		}
		fmt.Println(u)
	}
	// Output:
	// https://w3c-ccg.github.io/.well-known/did.json
	// https://w3c-ccg.github.io/user/alice/did.json
	// https://example.com:3000/user/alice/did.json
	// refused: forbidden address
}

func errorKind(err error) string {
	switch {
	case errors.Is(err, did.ErrForbiddenAddress):
		return "forbidden address"
	case errors.Is(err, did.ErrInvalidDID):
		return "invalid DID"
	}
	return "other"
}

func ExampleResolver_Resolve() {
	// A local test server stands in for https://example.com; real code passes its own
	// *http.Client and leaves AllowLoopback unset.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := "did:web:" + strings.Replace(r.Host, ":", "%3A", 1) // 127.0.0.1%3Aport
		w.Header().Set("Content-Type", "application/did+json")
		fmt.Fprintf(w, `{"@context":"https://www.w3.org/ns/did/v1","id":%q}`, id)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	res, err := web.New(srv.Client(), web.Options{AllowLoopback: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	reg := did.NewRegistry()
	if err := reg.Register("web", res); err != nil {
		fmt.Println(err)
		return
	}
	id := "did:web:" + u.Hostname() + "%3A" + u.Port()
	r, err := reg.Resolve(context.Background(), id)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Document.ID == id, r.ResolutionMetadata.ContentType)
	// Output: true application/did+json
}
