package netguard_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/credence-dev/credence/internal/errs"
	"github.com/credence-dev/credence/internal/netguard"
)

func ExampleGuard_Get() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/did+json")
		io.WriteString(w, `{"id":"did:web:example.com"}`)
	}))
	defer srv.Close()

	// AllowLoopback only because the test server listens on 127.0.0.1.
	g, err := netguard.New(srv.Client(), netguard.Options{AllowLoopback: true, MaxBodyBytes: 256 << 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := g.Get(context.Background(), srv.URL+"/.well-known/did.json", "application/did+json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.ContentType, string(res.Body))

	// The cloud metadata address is refused before anything is sent.
	_, err = g.Get(context.Background(), "https://169.254.169.254/latest/meta-data/", "")
	fmt.Println(errors.Is(err, errs.ErrForbiddenAddress))
	// Output:
	// application/did+json {"id":"did:web:example.com"}
	// true
}

func ExampleCheckURL() {
	for _, u := range []string{
		"https://example.com/.well-known/did.json",
		"http://example.com/.well-known/did.json",
		"https://10.0.0.1/did.json",
		"https://user@example.com/",
	} {
		_, err := netguard.CheckURL(u, netguard.Options{})
		switch {
		case err == nil:
			fmt.Println("ok")
		case errors.Is(err, errs.ErrInsecureURL):
			fmt.Println("insecure")
		case errors.Is(err, errs.ErrForbiddenAddress):
			fmt.Println("forbidden")
		case errors.Is(err, errs.ErrInvalidURL):
			fmt.Println("invalid")
		}
	}
	// Output:
	// ok
	// insecure
	// forbidden
	// invalid
}
