package universal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/credence-dev/credence/did"
	"github.com/credence-dev/credence/did/universal"
)

func ExampleResolver_Resolve() {
	// A local test server stands in for a resolution server you operate; real code passes
	// its own *http.Client and https BaseURL, and leaves AllowLoopback unset.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/1.0/identifiers/")
		w.Header().Set("Content-Type", `application/ld+json;profile="https://w3id.org/did-resolution"`)
		fmt.Fprintf(w, `{"didDocument":{"@context":"https://www.w3.org/ns/did/v1","id":%q},`+
			`"didDocumentMetadata":{"versionId":"3"},"didResolutionMetadata":{"contentType":"application/did+ld+json"}}`, id)
	}))
	defer srv.Close()

	ur, err := universal.New(srv.Client(), universal.Options{
		BaseURL:       srv.URL,
		Methods:       []string{"example"}, // only DIDs of these methods are sent
		AllowLoopback: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	reg := did.NewRegistry()
	if err := reg.Register("example", ur); err != nil {
		fmt.Println(err)
		return
	}
	res, err := reg.Resolve(context.Background(), "did:example:123")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Document.ID, res.DocumentMetadata.VersionID, res.ResolutionMetadata.ContentType)

	// DIDs of other methods never reach the server.
	_, err = ur.Resolve(context.Background(), "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
	fmt.Println(err != nil)
	// Output:
	// did:example:123 3 application/did+ld+json
	// true
}
