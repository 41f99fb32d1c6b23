package netguard

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/credence-dev/credence/internal/errs"
)

// These tests only classify addresses; nothing here dials.

func TestClassifyForbidden(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		// unspecified, this network
		"0.0.0.0", "0.1.2.3", "0.255.255.255",
		// RFC 1918
		"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255",
		// CGNAT
		"100.64.0.1", "100.127.255.255",
		// loopback
		"127.0.0.1", "127.1.2.3", "127.255.255.254",
		// link-local, cloud metadata
		"169.254.0.1", "169.254.169.254", "169.254.255.255",
		// IETF protocol assignments, 6to4 relay
		"192.0.0.1", "192.0.0.170", "192.88.99.1",
		// documentation
		"192.0.2.1", "198.51.100.7", "203.0.113.254",
		// benchmarking
		"198.18.0.1", "198.19.255.255",
		// multicast, reserved, broadcast
		"224.0.0.1", "239.255.255.255", "240.0.0.1", "250.1.2.3", "255.255.255.254", "255.255.255.255",

		// IPv6 unspecified and loopback
		"::", "::1",
		// IPv4-mapped forms
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
		"::ffff:192.168.1.1", "::ffff:100.64.0.1", "::ffff:255.255.255.255",
		// IPv4-translated (SIIT) and IPv4-compatible forms, public or not
		"::ffff:0:10.0.0.1", "::ffff:0:8.8.8.8", "::10.0.0.1", "::8.8.8.8", "::2",
		// NAT64 of a non-public IPv4 address, local-use NAT64
		"64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::127.0.0.1", "64:ff9b::c0a8:101", "64:ff9b:1::8.8.8.8",
		// 6to4 embedding a non-public IPv4 address
		"2002:a00:1::1", "2002:a9fe:a9fe::1", "2002:7f00:1::", "2002:c0a8:101::1", "2002::1",
		// documentation
		"2001:db8::1", "2001:db8:ffff::1", "3fff::1", "3fff:fff::1",
		// IETF protocol assignments: Teredo, benchmarking, ORCHID
		"2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:20::1",
		// unique-local
		"fc00::1", "fd12:3456:789a::1", "fdff:ffff::1",
		// link-local, with and without zone
		"fe80::1", "fe80::1%eth0", "febf:ffff::1",
		// site-local (deprecated)
		"fec0::1",
		// multicast
		"ff02::1", "ff05::1:3", "ff0e::1",
		// discard-only, segment routing, outside global unicast
		"100::1", "5f00::1", "4000::1", "8000::1", "e000::1", "::1:2:3:4",
	} {
		a := netip.MustParseAddr(s)
		if k := classify(a); k == "" {
			t.Errorf("classify(%s) = public, want forbidden", s)
		}
		if err := checkAddr(a, false); !errors.Is(err, errs.ErrForbiddenAddress) {
			t.Errorf("checkAddr(%s, false) = %v, want %v", s, err, errs.ErrForbiddenAddress)
		}
	}
}

func TestClassifyPublic(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"93.184.216.34", "8.8.8.8", "1.1.1.1", "1.0.0.0", "9.255.255.255", "11.0.0.0",
		"100.63.255.255", "100.128.0.0", "126.255.255.255", "128.0.0.0",
		"169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
		"192.0.1.0", "192.0.3.0", "192.167.255.255", "192.169.0.0",
		"198.17.255.255", "198.20.0.0", "223.255.255.255",
		"2606:2800:220:1:248:1893:25c8:1946", "2001:4860:4860::8888", "2a00:1450:4001::1",
		"2001:200::1", "3ffe::1", "3fff:1000::1",
		"::ffff:93.184.216.34", "64:ff9b::8.8.8.8", "2002:5db8:d822::1",
	} {
		a := netip.MustParseAddr(s)
		if k := classify(a); k != "" {
			t.Errorf("classify(%s) = %q, want public", s, k)
		}
		if err := checkAddr(a, false); err != nil {
			t.Errorf("checkAddr(%s, false) = %v, want nil", s, err)
		}
	}
}

func TestCheckAddrAllowLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want error
	}{
		{"127.0.0.1", nil},
		{"127.255.255.254", nil},
		{"::1", nil},
		{"::ffff:127.0.0.1", errs.ErrForbiddenAddress},
		{"64:ff9b::127.0.0.1", errs.ErrForbiddenAddress},
		{"2002:7f00:1::1", errs.ErrForbiddenAddress},
		{"10.0.0.1", errs.ErrForbiddenAddress},
		{"192.168.1.1", errs.ErrForbiddenAddress},
		{"169.254.169.254", errs.ErrForbiddenAddress},
		{"0.0.0.0", errs.ErrForbiddenAddress},
		{"::", errs.ErrForbiddenAddress},
		{"fe80::1", errs.ErrForbiddenAddress},
		{"93.184.216.34", nil},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := checkAddr(netip.MustParseAddr(tt.addr), true)
			if !errors.Is(err, tt.want) { // errors.Is(err, nil) holds only for a nil err
				t.Errorf("checkAddr(%s, true) = %v, want %v", tt.addr, err, tt.want)
			}
		})
	}
	if err := checkAddr(netip.Addr{}, true); !errors.Is(err, errs.ErrForbiddenAddress) {
		t.Errorf("checkAddr(zero Addr) = %v, want %v", err, errs.ErrForbiddenAddress)
	}
}

// TestCheckDial exercises the dialer's Control hook as a function; nothing is connected.
func TestCheckDial(t *testing.T) {
	t.Parallel()
	tests := []struct {
		network, address string
		allowLoopback    bool
		want             error
	}{
		{"tcp4", "93.184.216.34:443", false, nil},
		{"tcp6", "[2606:2800:220:1:248:1893:25c8:1946]:443", false, nil},
		{"tcp4", "127.0.0.1:443", false, errs.ErrForbiddenAddress},
		{"tcp4", "127.0.0.1:443", true, nil},
		{"tcp6", "[::1]:443", false, errs.ErrForbiddenAddress},
		{"tcp6", "[::1]:443", true, nil},
		{"tcp4", "10.0.0.1:443", true, errs.ErrForbiddenAddress},
		{"tcp4", "169.254.169.254:80", true, errs.ErrForbiddenAddress},
		{"tcp6", "[::ffff:169.254.169.254]:80", true, errs.ErrForbiddenAddress},
		{"tcp6", "[fe80::1%eth0]:443", true, errs.ErrForbiddenAddress},
		{"udp4", "93.184.216.34:53", false, errs.ErrForbiddenAddress},
		{"tcp4", "not an address", false, errs.ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.network+" "+tt.address, func(t *testing.T) {
			err := checkDial(tt.network, tt.address, tt.allowLoopback)
			if !errors.Is(err, tt.want) { // errors.Is(err, nil) holds only for a nil err
				t.Errorf("checkDial(%q, %q, %v) = %v, want %v", tt.network, tt.address, tt.allowLoopback, err, tt.want)
			}
		})
	}
}
