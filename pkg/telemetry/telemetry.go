// Package telemetry builds the observability every newspipe process shares:
// a slog logger, a Prometheus registry with the Go and process collectors,
// and the admin HTTP server with /metrics, /healthz and /readyz.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewLogger returns a logger writing to w in format "json" (the default,
// for production) or "text", at level "debug", "info", "warn" or "error".
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(cmpOr(level, "info")))); err != nil {
		return nil, fmt.Errorf("telemetry: log level %q: %w", level, err)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch format {
	case "", "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	}
	return nil, fmt.Errorf("telemetry: log format %q: want json or text", format)
}

// NewRegistry returns a registry with the Go and process collectors.
func NewRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// Probe reports whether one part of the process is ready; nil means ready.
type Probe func(ctx context.Context) error

// Health holds the readiness state of a process. /healthz answers 200 while
// the process runs; /readyz answers 200 only while Ready was set and every
// probe passes. Safe for concurrent use.
type Health struct {
	mu     sync.Mutex
	ready  bool
	probes map[string]Probe
}

// NewHealth returns a Health that is not ready yet.
func NewHealth() *Health { return &Health{probes: map[string]Probe{}} }

// SetReady marks the process ready (after start-up) or not (on shutdown).
func (h *Health) SetReady(ready bool) {
	h.mu.Lock()
	h.ready = ready
	h.mu.Unlock()
}

// AddProbe adds a named readiness check.
func (h *Health) AddProbe(name string, p Probe) {
	h.mu.Lock()
	h.probes[name] = p
	h.mu.Unlock()
}

func (h *Health) check(ctx context.Context) error {
	h.mu.Lock()
	ready := h.ready
	probes := make(map[string]Probe, len(h.probes))
	for k, v := range h.probes {
		probes[k] = v
	}
	h.mu.Unlock()
	if !ready {
		return errors.New("not ready")
	}
	for name, p := range probes {
		if err := p(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// Mux returns a mux serving /metrics from g, /healthz and /readyz from h.
// Callers may add their own routes to it.
func Mux(g prometheus.Gatherer, h *Health) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := h.check(ctx); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	return mux
}

// Server is an HTTP server with a start/stop pair.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Listen binds addr (port 0 picks a free one) for handler.
func Listen(addr string, handler http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("telemetry: listen %s: %w", addr, err)
	}
	return &Server{
		srv: &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second},
		ln:  ln,
	}, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until ctx is done, then shuts down within grace.
func (s *Server) Serve(ctx context.Context, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("telemetry: serve %s: %w", s.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("telemetry: shutdown %s: %w", s.Addr(), err)
	}
	return nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
