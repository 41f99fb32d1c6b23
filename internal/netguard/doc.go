// Package netguard is the one way Credence code talks to the network: every outbound
// HTTP request of the library goes through a [Guard].
//
// The caller supplies an *http.Client (library code never falls back to the standard
// library's default client), and [New] turns it into a guarded one:
//
//	g, err := netguard.New(httpClient, netguard.Options{MaxBodyBytes: 256 << 10})
//	if err != nil {
//		return err
//	}
//	res, err := g.Get(ctx, "https://example.com/.well-known/did.json", "application/did+json")
//
// Code that builds URLs from untrusted input (did:web, a universal resolver endpoint) can
// check them early with [CheckURL], which applies the same URL policy without I/O.
//
// # Security
//
// The zero [Options] is the safe policy; every relaxation is a named field meant for tests.
//
//   - Only https URLs are fetched, and redirects are followed only to https URLs, at most
//     3 of them. URLs with userinfo, without a host, relative or opaque are refused, as
//     are host names that some resolvers read as numbers ("127.1", "0x7f.1").
//   - No request reaches a non-public address: loopback, RFC 1918 private, link-local
//     (including the cloud metadata address 169.254.169.254), unique-local, unspecified,
//     shared (CGNAT), multicast, broadcast, benchmarking, documentation and reserved
//     ranges, and the IPv6 forms that carry such an IPv4 address (IPv4-mapped, NAT64,
//     6to4). IP literals are refused before anything is sent; host names are checked
//     again on each address the dialer connects to, after DNS resolution and before the
//     connect call, so a name that resolves, or rebinds between checks, to a private
//     address is refused too. Names that only resolve locally (localhost, *.local,
//     *.internal, *.home.arpa, single-label names) are refused by name.
//   - The transport's proxy settings are dropped: a proxy would connect on our behalf,
//     past the address check. Deployments that must use an egress proxy need a custom
//     transport and [Options].AllowCustomTransport, which keeps only the URL-level checks.
//   - [Guard.Get] reads at most MaxBodyBytes (after transparent gzip decoding) and fails
//     with errs.ErrTooLarge when there is more, never returning a truncated body; a
//     request and its body are bounded by Timeout (10 s) and by the caller's context.
//   - Non-2xx responses are errors: a [*StatusError] wrapping errs.ErrNotFound for 404
//     and 410, [ErrHTTPStatus] otherwise.
//
// # Network access
//
// The package opens connections only when [Guard.Get] is called or a request is sent
// through [Guard.Client], and only to the hosts those URLs (and their redirects) name.
// [New] and [CheckURL] do no I/O. Host names are resolved by the dialer with
// net.DefaultResolver.
package netguard
