// Package pipeline runs the whole of newspipe in one process: an embedded
// NATS JetStream server (or a given one), the four stages, the embedded store
// and one HTTP server for the API, /metrics, /healthz and /readyz. It is what
// `newspipe run` and `newspipe demo` start.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/pkg/topology"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/cleaner/cleaner"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
	"github.com/newspipe/newspipe/services/sink/sink"
)

// Config configures the all-in-one pipeline.
type Config struct {
	// DataDir holds the JetStream store and the SQLite database.
	DataDir string
	// NATSAddr is where the embedded server listens for NATS clients
	// (default 127.0.0.1:4222); if taken, a free port is used and logged.
	NATSAddr string
	// NATSURL, if set, uses that server instead of an embedded one.
	NATSURL string
	// NATSAuth holds the credentials and TLS files for NATSURL's server
	// (its CredsFile, NKeySeedFile, TLS*File; Name and Logger are set here).
	NATSAuth bus.Options
	// HTTPAddr serves the API, /metrics, /healthz, /readyz (default 127.0.0.1:8080).
	HTTPAddr string
	// StoreDSN overrides the store: a postgres:// DSN or a SQLite path.
	// Default DataDir/newspipe.db.
	StoreDSN string
	// Fetcher, Cleaner, Classifier and Sink are the four services'
	// configurations, the same types their own binaries fill.
	Fetcher    fetcher.Config
	Cleaner    cleaner.Config
	Classifier classifier.Config
	Sink       sink.Config
	// Topology names the subjects and streams (its namespace) and sets the
	// streams' limits; zero: topology.Default().
	Topology topology.Topology
	// ShutdownGrace bounds the graceful stop (default 20s).
	ShutdownGrace time.Duration
	// Log is the logger (default slog.Default()).
	Log *slog.Logger
	// OnReady, if set, is called once every part has started.
	OnReady func(Info)
}

// Info says where a started pipeline can be reached.
type Info struct {
	NATSURL  string
	HTTPAddr string
	// NATSFellBack is true when NATSAddr was taken and another port was used.
	NATSFellBack bool
}

// Run runs the pipeline until ctx is done, then stops it in order: not
// ready; stages stop pulling and finish what is in flight; NATS drains; the
// HTTP server, store and embedded server close. It returns nil after a
// graceful stop.
func Run(ctx context.Context, cfg Config) (err error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	if cfg.NATSAddr == "" {
		cfg.NATSAddr = "127.0.0.1:4222"
	}
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:8080"
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = 20 * time.Second
	}
	log := cfg.Log
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("pipeline: data dir: %w", err)
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	defer lock.Close()

	topo := cfg.Topology
	if topo == (topology.Topology{}) {
		topo = topology.Default()
	}
	info := Info{NATSURL: cfg.NATSURL}
	if cfg.NATSURL == "" {
		ns, err := natsembed.Start(natsembed.Config{
			Addr: cfg.NATSAddr, FallbackToFreePort: true, StoreDir: filepath.Join(cfg.DataDir, "jetstream"),
			MaxPayload: topo.Limits.MaxMsgSize,
		})
		if err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		defer ns.Shutdown()
		info.NATSURL, info.NATSFellBack = ns.ClientURL(), ns.FellBack
		if ns.FellBack {
			log.Warn("nats address taken, using a free port instead", "wanted", cfg.NATSAddr, "nats_url", info.NATSURL)
		}
	}

	opts := cfg.NATSAuth
	opts.Name, opts.Logger = "newspipe", log
	b, err := bus.Connect(ctx, info.NATSURL, topo, opts)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	defer b.Close()
	if err := b.EnsureStreams(ctx); err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}

	storeDSN := cfg.StoreDSN
	if storeDSN == "" {
		storeDSN = filepath.Join(cfg.DataDir, "newspipe.db")
	}
	st, err := sink.Open(ctx, storeDSN)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	defer st.Close()

	reg := telemetry.NewRegistry()
	sm := stage.NewMetrics(reg)
	health := telemetry.NewHealth()
	health.AddProbe("nats", func(context.Context) error {
		if !b.Connected() {
			return errors.New("nats not connected")
		}
		return nil
	})
	health.AddProbe("store", st.Ping)

	f, err := fetcher.New(b, cfg.Fetcher, reg, sm, log.With("service", "fetcher"))
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	cl, err := cleaner.New(b, cfg.Cleaner, reg, sm, log.With("service", "cleaner"))
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	cf, err := classifier.New(b, cfg.Classifier, reg, sm, log.With("service", "classifier"))
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	sk, err := sink.New(b, st, reg, sm, log.With("service", "sink"), cfg.Sink)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}

	mux := telemetry.Mux(reg, health)
	// The sink owns the server (API, web page, feed); the fetcher adds its
	// own few routes beside it (GET /api/sources, GET /fetcher/sources,
	// POST /api/submit).
	fh := f.Handler()
	for _, route := range fetcher.Routes() {
		mux.Handle(route, fh)
	}
	mux.Handle("/", sk.Handler())
	srv, err := telemetry.Listen(cfg.HTTPAddr, mux)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	info.HTTPAddr = srv.Addr()

	stagesCtx, stopStages := context.WithCancel(context.WithoutCancel(ctx))
	defer stopStages()
	// One budget for the whole stop, from the signal: the stages drain in
	// it, and the NATS connection in what they leave.
	budget := lifecycle.NewShutdown(stagesCtx, cfg.ShutdownGrace)
	g := lifecycle.NewGroup(lifecycle.WithShutdown(stagesCtx, budget))
	for _, r := range []interface{ Run(context.Context) error }{f, cl, cf, sk} {
		g.Go(r.Run)
	}
	httpCtx, stopHTTP := context.WithCancel(context.WithoutCancel(ctx))
	httpDone := make(chan error, 1)
	go func() { httpDone <- srv.Serve(httpCtx, 5*time.Second) }()

	health.SetReady(true)
	log.Info("newspipe running",
		"nats_url", info.NATSURL, "http", "http://"+info.HTTPAddr,
		"subscribe", fmt.Sprintf("nats sub --server %s '%s'", info.NATSURL, topo.AllEnriched()))
	if cfg.OnReady != nil {
		cfg.OnReady(info)
	}

	// Wait for a signal, or for a stage to stop on its own (an error).
	groupDone := make(chan error, 1)
	go func() { groupDone <- g.Wait() }()
	var runErr error
	select {
	case <-ctx.Done():
		health.SetReady(false)
		log.Info("newspipe stopping")
		stopStages()
		runErr = <-groupDone
	case runErr = <-groupDone:
		health.SetReady(false)
	}

	dctx, cancel := budget.Context(ctx, 0)
	defer cancel()
	if err := b.Drain(dctx); err != nil {
		log.Warn("nats drain", "err", err)
	}
	stopHTTP()
	if err := <-httpDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http server", "err", err)
	}
	if runErr != nil {
		return fmt.Errorf("pipeline: %w", runErr)
	}
	log.Info("newspipe stopped")
	return nil
}
