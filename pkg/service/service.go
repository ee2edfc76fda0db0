// Package service is the shared frame of a standalone newspipe service: the
// common flags and environment variables, the logger, the metrics registry,
// the admin HTTP server, the NATS connection and the graceful shutdown. A
// service's main parses its flags and calls Run with its own stage.
package service

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/pkg/topology"
)

// Common holds the settings every service takes, as flags with defaults
// from the environment.
type Common struct {
	NATSURL   string
	CredsFile string
	// NKeySeedFile, TLSCAFile, TLSCertFile and TLSKeyFile: see bus.Options.
	NKeySeedFile string
	TLSCAFile    string
	TLSCertFile  string
	TLSKeyFile   string
	MetricsAddr  string
	LogFormat    string
	LogLevel     string
	Namespace    string
	Replicas     int
	MaxAge       time.Duration
	MaxBytes     int64
	// MaxBodyBytes is the page size cap, decompressed, that the fetcher
	// and the cleaner apply; the streams' MaxMsgSize follows from it.
	MaxBodyBytes int64
	// ShutdownGrace bounds the whole shutdown; keep it below the pod's
	// terminationGracePeriodSeconds.
	ShutdownGrace time.Duration
	// StreamsProvisioned: see bus.Options.Provisioned.
	StreamsProvisioned bool
}

// Admin ports of the standalone services, one each, so that several run on
// one host without a clash; on loopback by default, as a bare binary
// started on a workstation should not serve its metrics and submit API to
// the network.
const (
	FetcherAdminAddr    = "127.0.0.1:9091"
	CleanerAdminAddr    = "127.0.0.1:9092"
	ClassifierAdminAddr = "127.0.0.1:9093"
	SinkAdminAddr       = "127.0.0.1:9094"
)

// Declare declares the common settings into ss; c.MetricsAddr, where set,
// is the default of METRICS_ADDR (a service's own admin port).
func (c *Common) Declare(ss *Settings) {
	ss.String(&c.NATSURL, "nats-url", "NATS_URL", "nats://127.0.0.1:4222", "NATS server URL(s), comma-separated").Redact(bus.RedactURL)
	c.DeclareNATSAuth(ss)
	def := c.MetricsAddr
	if def == "" {
		def = "127.0.0.1:9090"
	}
	ss.String(&c.MetricsAddr, "metrics-addr", "METRICS_ADDR", def, "address of /metrics, /healthz, /readyz; loopback unless set (Kubernetes sets :9090)")
	ss.String(&c.LogFormat, "log-format", "LOG_FORMAT", "json", "log format: json or text")
	ss.String(&c.LogLevel, "log-level", "LOG_LEVEL", "info", "log level: debug, info, warn, error")
	c.DeclareStreams(ss)
	ss.Duration(&c.ShutdownGrace, "shutdown-grace", "SHUTDOWN_GRACE", 20*time.Second, "time allowed for a graceful stop, all of it")
	ss.Bool(&c.StreamsProvisioned, "streams-provisioned", "STREAMS_PROVISIONED", false,
		"the streams and buckets are declared by the provisioner (fetcher provision): wait for them, declare nothing")
}

// DeclareNATSAuth declares the NATS credentials and TLS settings, which the
// all-in-one shares with the services (for -nats-url).
func (c *Common) DeclareNATSAuth(ss *Settings) {
	ss.String(&c.CredsFile, "nats-creds", "NATS_CREDS", "", "NATS credentials file")
	ss.String(&c.NKeySeedFile, "nats-nkey-seed", "NATS_NKEY_SEED", "", "file holding the NATS user's nkey seed")
	ss.String(&c.TLSCAFile, "nats-tls-ca", "NATS_TLS_CA", "", "PEM file of the CAs of the NATS servers' certificates")
	ss.String(&c.TLSCertFile, "nats-tls-cert", "NATS_TLS_CERT", "", "PEM client certificate for NATS, with -nats-tls-key")
	ss.String(&c.TLSKeyFile, "nats-tls-key", "NATS_TLS_KEY", "", "PEM key of the NATS client certificate")
}

// NATSAuth returns the bus options the NATS credentials and TLS settings
// make.
func (c *Common) NATSAuth() bus.Options {
	return bus.Options{CredsFile: c.CredsFile, NKeySeedFile: c.NKeySeedFile,
		TLSCAFile: c.TLSCAFile, TLSCertFile: c.TLSCertFile, TLSKeyFile: c.TLSKeyFile}
}

// DeclareStreams declares the settings of the streams and the limits
// derived with them, which the all-in-one shares with the services.
func (c *Common) DeclareStreams(ss *Settings) {
	ss.String(&c.Namespace, "namespace", "NEWSPIPE_NAMESPACE", "", "prefix for every subject and stream; empty for the documented names")
	ss.Int(&c.Replicas, "stream-replicas", "STREAM_REPLICAS", 1, "JetStream stream replicas: 1 for one node, 3 on a cluster")
	ss.Duration(&c.MaxAge, "stream-max-age", "STREAM_MAX_AGE", 7*24*time.Hour, "how long streams keep messages")
	ss.Int64(&c.MaxBytes, "stream-max-bytes", "STREAM_MAX_BYTES", 1<<30, "size cap of each stream in bytes")
	ss.Int64(&c.MaxBodyBytes, "max-body-bytes", "MAX_BODY_BYTES", topology.DefaultMaxBodyBytes,
		"largest page accepted, decompressed: the fetcher dead-letters larger ones, the cleaner refuses them, and the streams' message size limit is derived from it")
}

// RegisterFlags declares the common settings and adds them to fs as flags.
func (c *Common) RegisterFlags(fs *flag.FlagSet) {
	var ss Settings
	c.Declare(&ss)
	ss.Register(fs)
}

// Topology returns the topology the settings describe.
func (c *Common) Topology() topology.Topology {
	t := topology.Default().WithNamespace(c.Namespace)
	t.Limits.Replicas = c.Replicas
	t.Limits.MaxAge = c.MaxAge
	t.Limits.MaxBytes = c.MaxBytes
	if c.MaxBodyBytes > 0 {
		t.Limits.MaxMsgSize = topology.MsgSizeFor(c.MaxBodyBytes)
	}
	return t
}

// Env is what a service's stage gets to work with.
type Env struct {
	Log          *slog.Logger
	Registry     prometheus.Registerer
	Health       *telemetry.Health
	Bus          *bus.Bus
	StageMetrics *stage.Metrics
	// Mux is the admin mux; a service may add routes (the sink adds its API).
	Mux *http.ServeMux
}

// Run sets up the frame for service name, calls fn with a context cancelled
// on SIGTERM/SIGINT, and shuts down in order: not ready, fn returns (stages
// drain), NATS drains, admin HTTP stops. It returns fn's error, if any.
func Run(name string, c Common, fn func(ctx context.Context, env *Env) error) error {
	if err := EnvErr(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	log, err := telemetry.NewLogger(os.Stderr, c.LogFormat, c.LogLevel)
	if err != nil {
		return err
	}
	log = log.With("service", name)
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()

	reg := telemetry.NewRegistry()
	health := telemetry.NewHealth()
	mux := telemetry.Mux(reg, health)
	admin, err := telemetry.Listen(c.MetricsAddr, mux)
	if err != nil {
		return err
	}
	// The admin server serves from the start: liveness (/healthz) answers
	// while NATS is still out of reach, so that Kubernetes does not restart
	// a pod that is only waiting for its server; readiness (/readyz) waits
	// for the stage.
	adminCtx, adminStop := context.WithCancel(context.WithoutCancel(ctx))
	adminDone := make(chan error, 1)
	go func() { adminDone <- admin.Serve(adminCtx, 5*time.Second) }()
	stopAdmin := func() {
		adminStop()
		if err := <-adminDone; err != nil {
			log.Warn("admin server", "err", err)
		}
	}

	o := c.NATSAuth()
	o.Name, o.Logger, o.Provisioned = "newspipe-"+name, log, c.StreamsProvisioned
	// The service's NATS user may read replies under its own prefix only.
	o.InboxPrefix = topology.InboxPrefix(name)
	b, err := bus.Connect(ctx, c.NATSURL, c.Topology(), o)
	if err != nil {
		stopAdmin()
		return err
	}
	health.AddProbe("nats", func(context.Context) error {
		if !b.Connected() {
			return errors.New("nats not connected")
		}
		return nil
	})
	// A service declares (or, provisioned, waits for) the streams it uses,
	// and only those. A name that is not a service (the provisioner)
	// declares them all.
	streams, _ := c.Topology().ServiceStreams(name)
	if err := b.EnsureStreams(ctx, streams...); err != nil {
		b.Close()
		stopAdmin()
		return err
	}
	log.Info("service starting", "nats_url", b.URL(), "admin_addr", admin.Addr(), "namespace", c.Namespace)

	env := &Env{Log: log, Registry: reg, Health: health, Bus: b, StageMetrics: stage.NewMetrics(reg), Mux: mux}
	// One budget for the whole stop, from the signal: the stages drain in
	// it, and the NATS connection in what they leave.
	budget := lifecycle.NewShutdown(ctx, c.ShutdownGrace)
	g := lifecycle.NewGroup(lifecycle.WithShutdown(ctx, budget))
	g.Go(func(ctx context.Context) error {
		health.SetReady(true)
		defer health.SetReady(false)
		return fn(ctx, env)
	})
	runErr := g.Wait()

	dctx, cancel := budget.Context(ctx, 0)
	defer cancel()
	if err := b.Drain(dctx); err != nil {
		log.Warn("nats drain", "err", err)
	}
	stopAdmin()
	if runErr != nil {
		return fmt.Errorf("%s: %w", name, runErr)
	}
	log.Info("service stopped")
	return nil
}

// Parse parses a service's flags: usage says what the command does (its
// subcommands included), shown with the flags by -h; arguments left over
// after the flags are an error, not ignored (a misspelt subcommand would
// otherwise start the service). It returns false when the command must exit
// (status 2), having said why.
func Parse(fs *flag.FlagSet, args []string, usage string) bool {
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fmt.Fprintln(fs.Output(), "\nFlags (each with its environment variable):")
		PrintFlags(fs)
	}
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected arguments %q\n\n", fs.Name(), fs.Args())
		fs.Usage()
		return false
	}
	if err := EnvErr(); err != nil {
		fmt.Fprintf(fs.Output(), "%s: %v\n", fs.Name(), err)
		return false
	}
	return true
}

// Getenv returns the environment variable key, or def when it is unset.
func Getenv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// envErrs collects the environment values that did not parse: a service
// must refuse to start on them rather than run on a default the operator
// did not choose (STREAM_REPLICAS=three once ran with one replica).
var (
	envMu   sync.Mutex
	envErrs []error
)

// ErrBadEnv marks an environment variable whose value does not parse.
var ErrBadEnv = errors.New("bad environment value")

func badEnv(key, v, want string) {
	envMu.Lock()
	defer envMu.Unlock()
	envErrs = append(envErrs, fmt.Errorf("%w: %s=%q is not %s", ErrBadEnv, key, v, want))
}

// EnvErr returns the environment values read so far (by EnvInt,
// EnvDuration, EnvBool) that did not parse, naming each variable and value;
// nil if none. Run checks it; a main that does not use Run checks it after
// parsing its flags.
func EnvErr() error {
	envMu.Lock()
	defer envMu.Unlock()
	return errors.Join(envErrs...)
}

// EnvInt is Getenv for integers. An unparsable value is reported by EnvErr
// (and def returned meanwhile).
func EnvInt(key string, def int) int {
	if v, ok := os.LookupEnv(key); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err == nil {
			return n
		}
		badEnv(key, v, "an integer")
	}
	return def
}

// EnvDuration is Getenv for durations ("30s", "5m"); a bare number, with no
// unit, is refused like any unparsable value (EnvErr): "30" might mean
// seconds or milliseconds.
func EnvDuration(key string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(key); ok {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err == nil {
			return d
		}
		badEnv(key, v, "a duration with a unit, such as 30s or 5m")
	}
	return def
}

// EnvBool is Getenv for booleans (true, false, 1, 0); an unparsable value
// is reported by EnvErr.
func EnvBool(key string, def bool) bool {
	if v, ok := os.LookupEnv(key); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err == nil {
			return b
		}
		badEnv(key, v, "true or false")
	}
	return def
}
