// Package natsembed runs a NATS server with JetStream inside the process: the
// all-in-one binary's default broker and the tests' per-test server.
package natsembed

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Config configures an embedded server.
type Config struct {
	// Addr is host:port to listen on for NATS clients. Port 0 picks a free one.
	Addr string
	// FallbackToFreePort: if Addr's port is taken, listen on a free port of
	// the same host instead of failing (the all-in-one does this, since the
	// development machines run a system NATS on 4222).
	FallbackToFreePort bool
	// StoreDir is the JetStream store; required (use a temp dir in tests).
	StoreDir string
	// MaxPayload bounds one message; default 8 MiB.
	MaxPayload int32
}

// Server is a running embedded server.
type Server struct {
	ns *server.Server
	// FellBack is true when Addr was taken and a free port was used instead.
	FellBack bool
}

// ErrNotReady is returned when the server does not accept connections in time.
var ErrNotReady = errors.New("natsembed: server not ready")

// Start starts a server and waits until it accepts connections.
func Start(c Config) (*Server, error) {
	if c.StoreDir == "" {
		return nil, errors.New("natsembed: StoreDir is required")
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.MaxPayload == 0 {
		c.MaxPayload = topology.MsgSizeFor(topology.DefaultMaxBodyBytes)
	}
	host, portStr, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, fmt.Errorf("natsembed: listen address %q: %w", c.Addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("natsembed: listen port %q: %w", portStr, err)
	}
	fellBack := false
	if port != 0 && c.FallbackToFreePort && !free(host, port) {
		port, fellBack = 0, true
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   c.StoreDir,
		NoSigs:     true,
		NoLog:      true,
		MaxPayload: c.MaxPayload,
		// Leave room above the largest message for headers and protocol.
		MaxPending: 64 << 20,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("natsembed: new server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(15 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("%w: %s", ErrNotReady, c.Addr)
	}
	return &Server{ns: ns, FellBack: fellBack}, nil
}

// ClientURL is the URL clients connect to.
func (s *Server) ClientURL() string { return s.ns.ClientURL() }

// Shutdown stops the server and waits for it to exit.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

func free(host string, port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}
