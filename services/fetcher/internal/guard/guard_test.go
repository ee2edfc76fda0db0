package guard

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestBlocked checks the address rules as a pure function of the IP: nothing
// here resolves a name or opens a connection.
func TestBlocked(t *testing.T) {
	tests := []struct {
		ip     string
		reason string // "" for allowed
	}{
		// Public addresses pass.
		{"93.184.216.34", ""},
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001:82a::200e", ""},
		{"100.63.255.255", ""}, // just below CGNAT
		{"100.128.0.0", ""},    // just above CGNAT
		{"172.15.255.255", ""}, // just below 172.16/12
		{"172.32.0.0", ""},     // just above it

		// Loopback, every form.
		{"127.0.0.1", ReasonLoopback},
		{"127.0.0.2", ReasonLoopback},
		{"127.255.255.254", ReasonLoopback},
		{"::1", ReasonLoopback},
		{"::ffff:127.0.0.1", ReasonLoopback}, // IPv4-mapped

		// RFC 1918 and RFC 4193.
		{"10.0.0.1", ReasonPrivate},
		{"10.255.255.255", ReasonPrivate},
		{"172.16.0.1", ReasonPrivate},
		{"172.31.255.255", ReasonPrivate},
		{"192.168.1.1", ReasonPrivate},
		{"::ffff:192.168.1.1", ReasonPrivate},
		{"fc00::1", ReasonPrivate},
		{"fd12:3456:789a::1", ReasonPrivate},

		// Link-local and the metadata services inside it and elsewhere.
		{"169.254.0.1", ReasonLinkLocal},
		{"169.254.169.254", ReasonMetadata},
		{"::ffff:169.254.169.254", ReasonMetadata},
		{"fd00:ec2::254", ReasonMetadata},
		{"100.100.100.200", ReasonMetadata},
		{"fe80::1", ReasonLinkLocal},
		{"fe80::1%eth0", ReasonLinkLocal}, // a zone does not hide it

		// Carrier-grade NAT.
		{"100.64.0.1", ReasonCGNAT},
		{"100.127.255.254", ReasonCGNAT},

		// IPv6 forms that carry a refused IPv4 address.
		{"64:ff9b::7f00:1", ReasonLoopback + " (embedded in 64:ff9b::7f00:1)"},
		{"64:ff9b::a9fe:a9fe", ReasonMetadata + " (embedded in 64:ff9b::a9fe:a9fe)"},
		{"2002:c0a8:0101::1", ReasonPrivate + " (embedded in 2002:c0a8:101::1)"},
		{"64:ff9b::808:808", ""},                                 // NAT64 of 8.8.8.8 is fine
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", ReasonReserved}, // Teredo

		// The rest of the special-purpose space.
		{"0.0.0.0", ReasonUnspecified},
		{"0.1.2.3", ReasonUnspecified},
		{"::", ReasonUnspecified},
		{"224.0.0.1", ReasonMulticast},
		{"239.255.255.250", ReasonMulticast},
		{"ff02::1", ReasonMulticast},
		{"255.255.255.255", ReasonReserved},
		{"240.0.0.1", ReasonReserved},
		{"192.0.0.8", ReasonReserved},
		{"192.0.2.10", ReasonDocs},
		{"198.51.100.7", ReasonDocs},
		{"203.0.113.9", ReasonDocs},
		{"2001:db8::1", ReasonDocs},
		{"198.18.0.1", ReasonBenchmark},
		{"::7f00:1", ReasonReserved}, // IPv4-compatible
		{"fec0::1", ReasonPrivate},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			reason, blocked := Blocked(netip.MustParseAddr(tt.ip))
			if blocked != (tt.reason != "") || reason != tt.reason {
				t.Errorf("Blocked(%s) = %q, %v; want %q, %v", tt.ip, reason, blocked, tt.reason, tt.reason != "")
			}
		})
	}
	if _, blocked := Blocked(netip.Addr{}); !blocked {
		t.Error("the zero Addr is not blocked")
	}
}

func TestPolicyCheck(t *testing.T) {
	allow, err := ParseCIDRs("127.0.0.2, 10.1.0.0/16,fd00:1::/64")
	if err != nil {
		t.Fatal(err)
	}
	p := New(allow)
	tests := []struct {
		ip      string
		refused bool
	}{
		{"127.0.0.2", false},        // allowed explicitly
		{"::ffff:127.0.0.2", false}, // in its mapped form too
		{"127.0.0.1", true},         // its neighbour is not
		{"10.1.200.3", false},       // inside the allowed /16
		{"10.2.0.1", true},          // outside it
		{"fd00:1::5", false},        // allowed ULA /64
		{"fd00:2::5", true},         // another ULA
		{"169.254.169.254", true},   // metadata stays refused
		{"93.184.216.34", false},    // public
	}
	for _, tt := range tests {
		err := p.Check(netip.MustParseAddr(tt.ip))
		if (err != nil) != tt.refused {
			t.Errorf("Check(%s) = %v, want refused %v", tt.ip, err, tt.refused)
		}
		if err != nil && !errors.Is(err, ErrRefused) {
			t.Errorf("Check(%s) = %v, not ErrRefused", tt.ip, err)
		}
	}
	var nilPolicy *Policy
	if err := nilPolicy.Check(netip.MustParseAddr("127.0.0.1")); err == nil {
		t.Error("a nil Policy let loopback through")
	}
	err = nilPolicy.Check(netip.MustParseAddr("169.254.169.254"))
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != ReasonMetadata || !strings.Contains(err.Error(), "169.254.169.254") || !strings.Contains(err.Error(), "FETCH_ALLOW_CIDRS") {
		t.Errorf("error %v does not name the address, the reason and the way out", err)
	}
}

func TestParseCIDRs(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"", "", false},
		{" , ", "", false},
		{"127.0.0.1/32", "127.0.0.1/32", false},
		{"10.1.2.3/8", "10.0.0.0/8", false}, // masked
		{"127.0.0.1", "127.0.0.1/32", false},
		{"::1", "::1/128", false},
		{"::ffff:10.0.0.1", "10.0.0.1/32", false},
		{"10.0.0.0/8, 192.168.0.0/16", "10.0.0.0/8,192.168.0.0/16", false},
		{"localhost", "", true},
		{"10.0.0.0/33", "", true},
		{"10.0.0.0/8;", "", true},
	}
	for _, tt := range tests {
		got, err := ParseCIDRs(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseCIDRs(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && FormatCIDRs(got) != tt.want {
			t.Errorf("ParseCIDRs(%q) = %s, want %s", tt.in, FormatCIDRs(got), tt.want)
		}
	}
}

// TestControlRefusesBeforeConnecting dials a loopback listener through a
// dialer with the Policy's Control hook: refused, the listener sees no
// connection at all; allowed, it does.
func TestControlRefusesBeforeConnecting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	dial := func(p *Policy) error {
		d := &net.Dialer{Timeout: 2 * time.Second, Control: p.Control}
		c, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
		if err == nil {
			c.Close()
		}
		return err
	}

	err = dial(New(nil))
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("dial loopback with no allow-list = %v, want ErrRefused", err)
	}
	var re *RefusedError
	if !errors.As(err, &re) || re.Reason != ReasonLoopback {
		t.Fatalf("dial error %v does not carry the reason", err)
	}
	// Through a name as well: "localhost" resolves to a loopback address
	// and the hook sees that address.
	d := &net.Dialer{Timeout: 2 * time.Second, Control: New(nil).Control}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	if c, err := d.DialContext(context.Background(), "tcp", net.JoinHostPort("localhost", port)); err == nil {
		c.Close()
		t.Fatal("dial localhost succeeded")
	} else if !errors.Is(err, ErrRefused) {
		t.Fatalf("dial localhost = %v, want ErrRefused", err)
	}
	time.Sleep(50 * time.Millisecond) // let an accept, had there been one, be counted
	if n := accepted.Load(); n != 0 {
		t.Fatalf("the listener accepted %d connections from refused dials", n)
	}

	if err := dial(New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")})); err != nil {
		t.Fatalf("dial with 127.0.0.1/32 allowed: %v", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for accepted.Load() != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := accepted.Load(); n != 1 {
		t.Fatalf("allowed dial: listener accepted %d connections, want 1", n)
	}
}
