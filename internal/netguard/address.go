package netguard

import (
	"fmt"
	"net/netip"

	"github.com/credence-dev/credence/internal/errs"
)

type addrRange struct {
	prefix netip.Prefix
	kind   string
}

// forbidden4 lists the IPv4 ranges that are not globally reachable (IANA IPv4
// Special-Purpose Address Registry, RFC 6890 and successors). The IPv4 space is fully
// allocated, so everything else is public.
var forbidden4 = []addrRange{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified (this network)"},   // RFC 791, RFC 6890
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},                     // RFC 1918
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space"},     // RFC 6598 (CGNAT)
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},                   // RFC 1122
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},              // RFC 3927 (cloud metadata)
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},                  // RFC 1918
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"}, // RFC 6890
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},             // RFC 5737 TEST-NET-1
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},      // RFC 7526
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},                 // RFC 1918
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},             // RFC 2544
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},          // RFC 5737 TEST-NET-2
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},           // RFC 5737 TEST-NET-3
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},                  // RFC 5771
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},           // RFC 919
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},                   // RFC 1112
}

// forbidden6 lists IPv6 ranges refused outright. Ranges outside 2000::/3 are refused
// anyway (see classify); they are listed when a precise reason helps.
var forbidden6 = []addrRange{
	{netip.MustParsePrefix("::/128"), "unspecified"},                  // RFC 4291
	{netip.MustParsePrefix("::1/128"), "loopback"},                    // RFC 4291
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)"},  // RFC 4291 §2.5.5.1
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated"},     // RFC 2765
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},      // RFC 8215
	{netip.MustParsePrefix("100::/64"), "discard-only"},               // RFC 6666
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments"}, // RFC 2928 (Teredo, benchmarking, ORCHID)
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},         // RFC 3849
	{netip.MustParsePrefix("3fff::/20"), "documentation"},             // RFC 9637
	{netip.MustParsePrefix("5f00::/16"), "segment routing"},           // RFC 9602
	{netip.MustParsePrefix("fc00::/7"), "unique-local"},               // RFC 4193
	{netip.MustParsePrefix("fe80::/10"), "link-local"},                // RFC 4291
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated)"},   // RFC 3879
	{netip.MustParsePrefix("ff00::/8"), "multicast"},                  // RFC 4291
}

var (
	globalUnicast6 = netip.MustParsePrefix("2000::/3")     // RFC 4291 §2.4
	nat64          = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052: v4 in the last 32 bits
	sixToFour      = netip.MustParsePrefix("2002::/16")    // RFC 3056: v4 in bits 16-47
)

// classify returns why a may not be dialed, or "" when it is a public unicast address.
// IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) take the class of the
// IPv4 address they carry.
func classify(a netip.Addr) string {
	if !a.IsValid() {
		return "not an IP address"
	}
	if a.Zone() != "" {
		return "scoped"
	}
	if a.Is4() {
		for _, r := range forbidden4 {
			if r.prefix.Contains(a) {
				return r.kind
			}
		}
		return ""
	}
	if a.Is4In6() {
		if k := classify(a.Unmap()); k != "" {
			return "IPv4-mapped " + k
		}
		return ""
	}
	for _, r := range forbidden6 {
		if r.prefix.Contains(a) {
			return r.kind
		}
	}
	b := a.As16()
	switch {
	case nat64.Contains(a):
		if k := classify(netip.AddrFrom4([4]byte(b[12:16]))); k != "" {
			return "NAT64 of " + k
		}
		return ""
	case sixToFour.Contains(a):
		if k := classify(netip.AddrFrom4([4]byte(b[2:6]))); k != "" {
			return "6to4 of " + k
		}
		return ""
	case !globalUnicast6.Contains(a):
		return "not global unicast"
	}
	return ""
}

// isPlainLoopback reports whether a is in 127.0.0.0/8 or is ::1, written as such: the
// IPv4-mapped and NAT64 forms of loopback are not plain loopback.
func isPlainLoopback(a netip.Addr) bool {
	if a.Zone() != "" {
		return false
	}
	return (a.Is4() && a.As4()[0] == 127) || a == netip.IPv6Loopback()
}

// checkAddr returns an error wrapping errs.ErrForbiddenAddress when a may not be dialed.
// With allowLoopback, plain loopback addresses (and only those) pass.
func checkAddr(a netip.Addr, allowLoopback bool) error {
	if allowLoopback && isPlainLoopback(a) {
		return nil
	}
	if k := classify(a); k != "" {
		return fmt.Errorf("%w: %s (%s)", errs.ErrForbiddenAddress, a, k)
	}
	return nil
}
