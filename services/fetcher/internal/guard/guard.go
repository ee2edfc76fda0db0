// Package guard decides which network addresses the fetcher may connect to,
// so that a feed, a redirect or a DNS answer cannot point it at the machine
// it runs on or at the private network around it (server-side request
// forgery).
//
// The rules are a pure function of the IP address (Blocked): loopback,
// private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, cloud
// metadata, multicast, documentation and reserved ranges are refused; so are
// IPv6 forms that embed a refused IPv4 address (IPv4-mapped, NAT64, 6to4).
// A Policy adds the operator's allow-list and is applied where it cannot be
// bypassed: on the resolved address, when a connection is about to be made,
// through net.Dialer's Control hook. A hostname that resolves (or rebinds)
// to 127.0.0.1, and a redirect to one, are refused there before any packet
// is sent.
package guard

import (
	"fmt"
	"net/netip"
	"strings"
	"syscall"
)

// rangeRule is one refused range and the reason given for it.
type rangeRule struct {
	prefix netip.Prefix
	reason string
}

// Reasons, as they appear in errors and metrics.
const (
	ReasonLoopback    = "loopback"
	ReasonPrivate     = "private"
	ReasonLinkLocal   = "link-local"
	ReasonMetadata    = "cloud metadata"
	ReasonCGNAT       = "carrier-grade NAT"
	ReasonUnspecified = "unspecified"
	ReasonMulticast   = "multicast"
	ReasonReserved    = "reserved"
	ReasonDocs        = "documentation"
	ReasonBenchmark   = "benchmarking"
	ReasonNotGlobal   = "not global unicast"
)

// rules are checked in order: the specific metadata addresses come before
// the ranges that contain them, so the error names the more telling reason.
var rules = func() []rangeRule {
	list := []struct{ cidr, reason string }{
		// Cloud metadata services: AWS, GCP, Azure, OpenStack, Oracle
		// (169.254.169.254), AWS over IPv6 (fd00:ec2::254), Alibaba
		// (100.100.100.200).
		{"169.254.169.254/32", ReasonMetadata},
		{"fd00:ec2::254/128", ReasonMetadata},
		{"100.100.100.200/32", ReasonMetadata},

		{"0.0.0.0/8", ReasonUnspecified},
		{"10.0.0.0/8", ReasonPrivate},
		{"100.64.0.0/10", ReasonCGNAT},
		{"127.0.0.0/8", ReasonLoopback},
		{"169.254.0.0/16", ReasonLinkLocal},
		{"172.16.0.0/12", ReasonPrivate},
		{"192.0.0.0/24", ReasonReserved}, // IETF protocol assignments
		{"192.0.2.0/24", ReasonDocs},
		{"192.88.99.0/24", ReasonReserved}, // 6to4 relay anycast, deprecated
		{"192.168.0.0/16", ReasonPrivate},
		{"198.18.0.0/15", ReasonBenchmark},
		{"198.51.100.0/24", ReasonDocs},
		{"203.0.113.0/24", ReasonDocs},
		{"224.0.0.0/4", ReasonMulticast},
		{"240.0.0.0/4", ReasonReserved}, // and 255.255.255.255

		{"::/128", ReasonUnspecified},
		{"::1/128", ReasonLoopback},
		{"::/96", ReasonReserved},         // IPv4-compatible, deprecated
		{"64:ff9b:1::/48", ReasonPrivate}, // local-use NAT64
		{"100::/64", ReasonReserved},      // discard-only
		{"2001::/32", ReasonReserved},     // Teredo: hides the IPv4 peer
		{"2001:db8::/32", ReasonDocs},
		{"fc00::/7", ReasonPrivate}, // unique local (RFC 4193)
		{"fe80::/10", ReasonLinkLocal},
		{"fec0::/10", ReasonPrivate}, // site-local, deprecated
		{"ff00::/8", ReasonMulticast},
	}
	out := make([]rangeRule, len(list))
	for i, r := range list {
		out[i] = rangeRule{netip.MustParsePrefix(r.cidr), r.reason}
	}
	return out
}()

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// Blocked reports whether ip is refused by default, and why. It is a pure
// function of the address: it never resolves or connects. IPv6 addresses
// that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64
// 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) are judged by that address too.
func Blocked(ip netip.Addr) (reason string, blocked bool) {
	if !ip.IsValid() {
		return ReasonUnspecified, true
	}
	ip = ip.WithZone("").Unmap()
	if v4, ok := embedded(ip); ok {
		if r, b := Blocked(v4); b {
			return r + " (embedded in " + ip.String() + ")", true
		}
	}
	for _, r := range rules {
		if r.prefix.Contains(ip) {
			return r.reason, true
		}
	}
	if !ip.IsGlobalUnicast() {
		return ReasonNotGlobal, true
	}
	return "", false
}

// embedded returns the IPv4 address an IPv6 NAT64 or 6to4 address carries.
func embedded(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// Policy is the default rules plus an allow-list. The zero value and a nil
// *Policy refuse everything Blocked refuses. A Policy is immutable and safe
// for concurrent use.
type Policy struct {
	allow []netip.Prefix
}

// New returns a Policy that lets through the addresses in allow even when
// Blocked refuses them (the operator's own sites, the demo site).
func New(allow []netip.Prefix) *Policy {
	p := &Policy{}
	for _, a := range allow {
		p.allow = append(p.allow, a.Masked())
	}
	return p
}

// Allowed returns the allow-list.
func (p *Policy) Allowed() []netip.Prefix {
	if p == nil {
		return nil
	}
	return append([]netip.Prefix(nil), p.allow...)
}

// Check returns nil if a connection to ip may be made, else a
// *RefusedError (errors.Is(err, ErrRefused)).
func (p *Policy) Check(ip netip.Addr) error {
	reason, blocked := Blocked(ip)
	if !blocked {
		return nil
	}
	plain := ip.WithZone("").Unmap()
	if p != nil {
		for _, a := range p.allow {
			if a.Contains(plain) {
				return nil
			}
		}
	}
	return &RefusedError{Addr: plain, Reason: reason}
}

// Control is a net.Dialer Control hook: it runs once the address is
// resolved and before the connection is attempted, and refuses the
// connection if Check does. address is "ip:port".
func (p *Policy) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// Control only ever sees resolved addresses; anything else is a
		// surprise we refuse rather than let through.
		return &RefusedError{Reason: fmt.Sprintf("unparsable address %q", address)}
	}
	return p.Check(ap.Addr())
}

// ParseCIDRs parses a comma-separated allow-list such as
// "127.0.0.1/32, 10.1.0.0/16, ::1". A bare address stands for itself (/32 or
// /128). Empty input is an empty list.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("guard: %q is neither a CIDR nor an IP address", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		pf, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("guard: %q is not a CIDR such as 10.0.0.0/8: %w", f, err)
		}
		out = append(out, pf.Masked())
	}
	return out, nil
}

// FormatCIDRs is the inverse of ParseCIDRs, for logs and flag defaults.
func FormatCIDRs(list []netip.Prefix) string {
	s := make([]string, len(list))
	for i, p := range list {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
