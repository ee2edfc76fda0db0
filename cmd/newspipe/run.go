package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/cmd/newspipe/internal/pipeline"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
	"github.com/newspipe/newspipe/services/sink/sink"
)

// runSettings is the all-in-one's configuration: its own settings (data
// directory, embedded server, HTTP address, store, logs), the streams', and
// every service's, declared by the services' own packages under the same
// environment variables as their binaries, so a setting cannot exist in a
// service and not here (TestRunHasEveryServiceSetting).
type runSettings struct {
	cfg       pipeline.Config
	common    service.Common
	logFormat string
	logLevel  string
	siteAddr  string
	own       service.Settings
	streams   service.Settings
	services  map[string]*service.Settings // by service name
}

// all returns every group of settings, the all-in-one's own first.
func (r *runSettings) all() []*service.Settings {
	out := []*service.Settings{&r.own, &r.streams}
	for _, name := range serviceNames {
		out = append(out, r.services[name])
	}
	return out
}

var serviceNames = []string{"fetcher", "cleaner", "classifier", "sink"}

// sharedNames are flag names more than one service declares: in the
// all-in-one each takes its service's name as a prefix (-fetcher-workers).
var sharedNames = []string{"workers"}

// newRunFlags declares the all-in-one's settings and registers them on a
// flag set named name.
func newRunFlags(name string) (*flag.FlagSet, *runSettings) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	r := &runSettings{services: map[string]*service.Settings{}}
	cfg := &r.cfg
	o := &r.own
	o.String(&cfg.DataDir, "data-dir", "DATA_DIR", "data", "JetStream store and database directory")
	o.String(&cfg.NATSAddr, "nats-addr", "NATS_ADDR", "127.0.0.1:4222", "address the embedded NATS server listens on; a free port is used if taken")
	// Deliberately no NATS_URL: it is set for the standalone services, and
	// must not move the all-in-one off its embedded server.
	fs.StringVar(&cfg.NATSURL, "nats-url", "", "use this NATS server instead of the embedded one (NATS_URL is not read: it configures the standalone services)")
	r.common.DeclareNATSAuth(o) // for -nats-url
	o.String(&cfg.HTTPAddr, "http-addr", "HTTP_ADDR", "127.0.0.1:8080", "API, web page, /metrics, /healthz, /readyz address")
	o.String(&cfg.StoreDSN, "store", "STORE_DSN", "", "store: a postgres:// DSN or a SQLite file; default DATA_DIR/newspipe.db").Redact(sink.RedactDSN)
	o.String(&r.logFormat, "log-format", "LOG_FORMAT", "text", "log format: text or json")
	o.String(&r.logLevel, "log-level", "LOG_LEVEL", "info", "log level: debug, info, warn, error")
	o.Duration(&cfg.ShutdownGrace, "shutdown-grace", "SHUTDOWN_GRACE", 20*time.Second, "time allowed for a graceful stop, all of it")
	// The demo site's address is part of every demo article's URL, hence of
	// its id: a stable default keeps a second `make demo` on the same data
	// directory from storing every story again under new ids.
	o.String(&r.siteAddr, "site-addr", "DEMO_SITE_ADDR", "127.0.0.1:8081", "demo only: address of the bundled demo site (keep it stable across runs)")
	r.common.DeclareStreams(&r.streams)

	declare := map[string]func(*service.Settings){
		"fetcher":    cfg.Fetcher.Declare,
		"cleaner":    cfg.Cleaner.Declare,
		"classifier": cfg.Classifier.Declare,
		"sink":       cfg.Sink.Declare,
	}
	for _, name := range serviceNames {
		ss := &service.Settings{}
		declare[name](ss)
		for _, shared := range sharedNames {
			ss.Rename(shared, name+"-"+shared)
		}
		r.services[name] = ss
	}
	for _, ss := range r.all() {
		ss.Register(fs)
	}
	return fs, r
}

// parseRunFlags parses the all-in-one's flags into its configuration; it
// returns false when the command must exit (status 2), having said why.
func parseRunFlags(name string, args []string) (*runSettings, bool) {
	fs, r := newRunFlags(name)
	if !service.Parse(fs, args, "usage: "+name+" [flags]\n\nRuns the whole pipeline in one process: an embedded NATS JetStream server (or -nats-url), the four services, the store, and the API and web page on HTTP_ADDR.") {
		return nil, false
	}
	cfg := &r.cfg
	cfg.Topology = r.common.Topology()
	cfg.NATSAuth = r.common.NATSAuth()
	// One page size cap, from MAX_BODY_BYTES, for the fetcher, the cleaner
	// and the streams' message size (Topology).
	cfg.Fetcher.MaxBodyBytes = r.common.MaxBodyBytes
	cfg.Cleaner.MaxBodyBytes = r.common.MaxBodyBytes
	return r, true
}

// configCmd prints the configuration `newspipe run` would use with the same
// flags and environment: each setting's environment variable, flag and
// effective value, secrets redacted.
func configCmd(args []string, w io.Writer) int {
	r, ok := parseRunFlags("newspipe config", args)
	if !ok {
		return 2
	}
	if err := service.Print(w, r.all()...); err != nil {
		fmt.Fprintln(os.Stderr, "newspipe config:", err)
		return 1
	}
	nats := r.cfg.NATSURL
	if nats == "" {
		nats = "embedded, on " + r.cfg.NATSAddr
	}
	fmt.Fprintf(w, "\nNATS: %s; streams: %d replica(s), message size limit %d bytes (from MAX_BODY_BYTES)\n",
		bus.RedactURL(nats), r.cfg.Topology.Limits.Replicas, r.cfg.Topology.Limits.MaxMsgSize)
	return 0
}

// runCmd runs the all-in-one pipeline; with demo, against the bundled site.
func runCmd(args []string, demo bool) int {
	name := "newspipe run"
	if demo {
		name = "newspipe demo"
	}
	r, ok := parseRunFlags(name, args)
	if !ok {
		return 2
	}
	cfg := r.cfg
	log, err := telemetry.NewLogger(os.Stderr, r.logFormat, r.logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe:", err)
		return 2
	}
	cfg.Log = log
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()

	if demo {
		base, shutdown, err := startDemoSite(r.siteAddr)
		if err != nil && r.siteAddr != "127.0.0.1:0" {
			log.Warn("demo site address taken, using a free port: stories stored by earlier demo runs in this data directory will show up again under new URLs",
				"wanted", r.siteAddr, "err", err)
			base, shutdown, err = startDemoSite("127.0.0.1:0")
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "newspipe demo:", err)
			return 1
		}
		defer shutdown()
		cfg.Fetcher.Sources, err = demoSources(base)
		if err != nil {
			fmt.Fprintln(os.Stderr, "newspipe demo:", err)
			return 1
		}
		fetcherSettings := r.services["fetcher"]
		if !fetcherSettings.Lookup("poll-interval").Changed() {
			cfg.Fetcher.PollInterval = 15 * time.Second
		}
		cfg.Fetcher.IgnoreRobots = true // the demo site is ours
		// The demo site is on loopback, which the fetcher refuses by
		// default: allow its address (and what -allow-cidrs adds), no more.
		siteIP, err := hostIP(base)
		if err != nil {
			fmt.Fprintln(os.Stderr, "newspipe demo:", err)
			return 1
		}
		cfg.Fetcher.AllowCIDRs = append(cfg.Fetcher.AllowCIDRs, netip.PrefixFrom(siteIP, siteIP.BitLen()))
		if !fetcherSettings.Lookup("per-host-delay").Changed() {
			cfg.Fetcher.PerHostDelay = 20 * time.Millisecond // our own loopback site
		}
		log.Info("demo site serving", "url", base)
	} else {
		cfg.Fetcher.Sources, err = fetcher.LoadSources(cfg.Fetcher.SourcesFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "newspipe run:", err)
			return 1
		}
	}
	cfg.OnReady = func(info pipeline.Info) {
		// tail reads this to find the embedded server, wherever it landed.
		_ = os.WriteFile(filepath.Join(cfg.DataDir, "nats.url"), []byte(info.NATSURL+"\n"), 0o644)
		fmt.Fprintf(os.Stderr, "\nnewspipe is running.\n  stories:   http://%s/api/stories?rucn=true\n  alerts:    http://%s/api/alerts\n  web page:  http://%s/\n  metrics:   http://%s/metrics\n  subscribe: nats sub --server %s 'news.enriched.rucn.>'\n  or:        newspipe tail -data-dir %s 'news.enriched.rucn.>'\nPress Ctrl-C to stop.\n\n",
			info.HTTPAddr, info.HTTPAddr, info.HTTPAddr, info.HTTPAddr, info.NATSURL, cfg.DataDir)
	}
	if err := pipeline.Run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "newspipe:", err)
		return 1
	}
	return 0
}

// startDemoSite serves the bundled demo site on addr and returns its base URL.
func startDemoSite(addr string) (string, func(), error) {
	site, err := demosite.New()
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("demo site: listen %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	h, err := site.Handler(base)
	if err != nil {
		ln.Close()
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return base, func() { _ = srv.Close() }, nil
}

// hostIP returns the IP address in base's host, such as 127.0.0.1 in
// http://127.0.0.1:8081.
func hostIP(base string) (netip.Addr, error) {
	u, err := url.Parse(base)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("demo site url %q: %w", base, err)
	}
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return netip.Addr{}, fmt.Errorf("demo site url %q: host is not an IP address: %w", base, err)
	}
	return ip.Unmap(), nil
}

// demoSources lists the demo site's feeds as fetcher sources.
func demoSources(base string) ([]fetcher.Source, error) {
	site, err := demosite.New()
	if err != nil {
		return nil, err
	}
	var out []fetcher.Source
	for _, s := range site.Sources(base) {
		out = append(out, fetcher.Source{ID: s.ID, Name: s.Name, URL: s.URL, Lang: s.Lang})
	}
	return out, nil
}
