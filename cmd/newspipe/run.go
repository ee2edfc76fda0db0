package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
	"github.com/newspipe/newspipe/cmd/newspipe/internal/pipeline"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// runCmd runs the all-in-one pipeline; with demo, against the bundled site.
func runCmd(args []string, demo bool) int {
	name := "run"
	if demo {
		name = "demo"
	}
	fs := flag.NewFlagSet("newspipe "+name, flag.ContinueOnError)
	var cfg pipeline.Config
	fs.StringVar(&cfg.DataDir, "data-dir", service.Getenv("DATA_DIR", "data"), "JetStream store and database directory (env DATA_DIR)")
	fs.StringVar(&cfg.NATSAddr, "nats-addr", service.Getenv("NATS_ADDR", "127.0.0.1:4222"), "address the embedded NATS server listens on; a free port is used if taken (env NATS_ADDR)")
	fs.StringVar(&cfg.NATSURL, "nats-url", "", "use this NATS server instead of the embedded one")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", service.Getenv("HTTP_ADDR", "127.0.0.1:8080"), "API, /metrics, /healthz, /readyz address (env HTTP_ADDR)")
	fs.StringVar(&cfg.StoreDSN, "store", service.Getenv("STORE_DSN", ""), "store: a postgres:// DSN or a SQLite file; default DATA_DIR/newspipe.db (env STORE_DSN)")
	fs.StringVar(&cfg.TaxonomyFile, "taxonomy", service.Getenv("TAXONOMY_FILE", ""), "taxonomy YAML overriding the embedded default (env TAXONOMY_FILE)")
	sourcesFile := fs.String("sources", service.Getenv("SOURCES_FILE", ""), "sources.yaml; default: the embedded list of real feeds (env SOURCES_FILE)")
	fs.DurationVar(&cfg.Fetcher.PollInterval, "poll-interval", service.EnvDuration("POLL_INTERVAL", 0), "feed poll interval; 0 = per source, default 10m (demo: 15s) (env POLL_INTERVAL)")
	fs.DurationVar(&cfg.Fetcher.PerHostDelay, "per-host-delay", service.EnvDuration("PER_HOST_DELAY", 0), "least time between two requests to one host; 0 = default 1s (demo: 20ms) (env PER_HOST_DELAY)")
	webhooks := fs.String("webhooks", service.Getenv("WEBHOOK_URLS", ""), "comma-separated URLs to POST each new agreement alert to; prefix one with slack: for Slack's payload (env WEBHOOK_URLS; signed with env WEBHOOK_SECRET)")
	fs.StringVar(&cfg.Fetcher.Contact, "contact", service.Getenv("FETCH_CONTACT", ""), "URL or mail address sent in the fetcher's User-Agent so site operators can reach you; default the project's page (env FETCH_CONTACT)")
	allowCIDRs := fs.String("allow-cidrs", service.Getenv("FETCH_ALLOW_CIDRS", ""), "comma-separated CIDRs the fetcher may reach although not public (loopback, private…); empty: public addresses only. The demo adds its own site's address (env FETCH_ALLOW_CIDRS)")
	logFormat := fs.String("log-format", service.Getenv("LOG_FORMAT", "text"), "log format: text or json (env LOG_FORMAT)")
	logLevel := fs.String("log-level", service.Getenv("LOG_LEVEL", "info"), "log level (env LOG_LEVEL)")
	// The demo site's address is part of every demo article's URL, hence of
	// its id: a stable default keeps a second `make demo` on the same data
	// directory from storing every story again under new ids.
	siteAddr := fs.String("site-addr", "127.0.0.1:8081", "demo only: address of the bundled demo site (keep it stable across runs)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := service.EnvErr(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", fs.Name(), err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected arguments %q\n", fs.Name(), fs.Args())
		return 2
	}
	for _, u := range strings.Split(*webhooks, ",") {
		if u = strings.TrimSpace(u); u != "" {
			cfg.Webhooks.URLs = append(cfg.Webhooks.URLs, u)
		}
	}
	cfg.Webhooks.Secret = []byte(os.Getenv("WEBHOOK_SECRET"))
	log, err := telemetry.NewLogger(os.Stderr, *logFormat, *logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe:", err)
		return 2
	}
	cfg.Log = log
	if cfg.Fetcher.AllowCIDRs, err = fetcher.ParseAllowCIDRs(*allowCIDRs); err != nil {
		fmt.Fprintln(os.Stderr, "newspipe: -allow-cidrs / FETCH_ALLOW_CIDRS:", err)
		return 2
	}
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()

	if demo {
		base, shutdown, err := startDemoSite(*siteAddr)
		if err != nil && *siteAddr != "127.0.0.1:0" {
			log.Warn("demo site address taken, using a free port: stories stored by earlier demo runs in this data directory will show up again under new URLs",
				"wanted", *siteAddr, "err", err)
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
		if cfg.Fetcher.PollInterval == 0 {
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
		if cfg.Fetcher.PerHostDelay == 0 {
			cfg.Fetcher.PerHostDelay = 20 * time.Millisecond // our own loopback site
		}
		log.Info("demo site serving", "url", base)
	} else {
		cfg.Fetcher.Sources, err = fetcher.LoadSources(*sourcesFile)
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
