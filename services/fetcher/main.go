// Command fetcher is the newspipe fetcher service: it polls the sources of
// sources.yaml (feeds, sitemaps, section pages) and URLs submitted at run
// time, and publishes each new article page as a RawArticle on
// news.raw.<source-id>. Run any number of replicas against one NATS_URL;
// they share the polls, the page fetches and each host's request budget.
// Its admin port serves, besides /metrics and the probes, GET /api/sources,
// GET /fetcher/sources and POST /api/submit.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("fetcher", flag.ContinueOnError)
	var common service.Common
	common.RegisterFlags(fs)
	cfg := fetcher.Config{Version: version}
	sourcesFile := fs.String("sources", service.Getenv("SOURCES_FILE", ""), "sources.yaml to poll; empty for the built-in list of real feeds (env SOURCES_FILE)")
	fs.DurationVar(&cfg.PollInterval, "poll-interval", service.EnvDuration("POLL_INTERVAL", fetcher.DefaultPollInterval), "poll interval of sources that set none (env POLL_INTERVAL)")
	fs.DurationVar(&cfg.PerHostDelay, "per-host-delay", service.EnvDuration("PER_HOST_DELAY", time.Second), "minimum time between two requests to one host; negative for none (env PER_HOST_DELAY)")
	fs.IntVar(&cfg.PerHostConcurrency, "per-host-concurrency", service.EnvInt("PER_HOST_CONCURRENCY", 2), "requests in flight to one host (env PER_HOST_CONCURRENCY)")
	fs.DurationVar(&cfg.FetchTimeout, "fetch-timeout", service.EnvDuration("FETCH_TIMEOUT", 30*time.Second), "bound on one request (feed, page, sitemap, robots.txt), from its turn at the host to the end of its body (env FETCH_TIMEOUT)")
	fs.DurationVar(&cfg.HeaderTimeout, "header-timeout", service.EnvDuration("HEADER_TIMEOUT", 20*time.Second), "bound on the wait for response headers (env HEADER_TIMEOUT)")
	fs.Int64Var(&cfg.MaxBodyBytes, "max-body-bytes", int64(service.EnvInt("MAX_BODY_BYTES", 8<<20)), "largest page accepted, decompressed; larger pages are dead-lettered (env MAX_BODY_BYTES)")
	fs.Int64Var(&cfg.MaxFeedBytes, "max-feed-bytes", int64(service.EnvInt("MAX_FEED_BYTES", 16<<20)), "largest feed or sitemap accepted, decompressed (env MAX_FEED_BYTES)")
	fs.IntVar(&cfg.Workers, "workers", service.EnvInt("FETCHER_WORKERS", fetcher.DefaultWorkers), "requests (pages, polls, robots.txt) in flight at once, across hosts (env FETCHER_WORKERS)")
	fs.IntVar(&cfg.FeedWorkers, "feed-workers", service.EnvInt("FEED_WORKERS", fetcher.DefaultFeedWorkers), "polls held at once, each waiting for its host's turn (env FEED_WORKERS)")
	fs.IntVar(&cfg.JobsInHand, "jobs-in-hand", service.EnvInt("JOBS_IN_HAND", fetcher.DefaultJobsInHand), "article jobs held at once, waiting for their host's turn; at most 256 (env JOBS_IN_HAND)")
	fs.IntVar(&cfg.MaxBacklog, "max-backlog", service.EnvInt("MAX_BACKLOG", fetcher.DefaultMaxBacklog), "articles of one source queued and not yet fetched, at most; the rest wait for later polls (env MAX_BACKLOG)")
	fs.DurationVar(&cfg.StaleAfter, "stale-after", service.EnvDuration("STALE_AFTER", fetcher.DefaultStaleAfter), "least silence (no new item) that makes a source stale; rare publishers get four of their usual gaps (env STALE_AFTER)")
	fs.DurationVar(&cfg.SeenTTL, "seen-ttl", service.EnvDuration("SEEN_TTL", fetcher.DefaultSeenTTL), "how long a published article id is remembered (env SEEN_TTL)")
	fs.BoolVar(&cfg.IgnoreRobots, "ignore-robots", service.EnvBool("IGNORE_ROBOTS", false), "do not read robots.txt; only for sites you own (env IGNORE_ROBOTS)")
	fs.StringVar(&cfg.Contact, "contact", service.Getenv("FETCH_CONTACT", ""), "URL or mail address of whoever runs this fetcher, sent in the User-Agent so site operators can reach you; default the project's page (env FETCH_CONTACT)")
	allowCIDRs := fs.String("allow-cidrs", service.Getenv("FETCH_ALLOW_CIDRS", ""), "comma-separated CIDRs the fetcher may reach although not public (loopback, private, link-local…); empty: public addresses only (env FETCH_ALLOW_CIDRS)")
	if !service.Parse(fs, args, "usage: fetcher [flags]\n\nRuns the fetcher service against NATS_URL: polls the sources of SOURCES_FILE and publishes each new article page on news.raw.<source-id>.") {
		return 2
	}
	var err error
	if cfg.AllowCIDRs, err = fetcher.ParseAllowCIDRs(*allowCIDRs); err != nil {
		fmt.Fprintln(os.Stderr, "fetcher: -allow-cidrs / FETCH_ALLOW_CIDRS:", err)
		return 2
	}
	if cfg.Sources, err = fetcher.LoadSources(*sourcesFile); err != nil {
		fmt.Fprintln(os.Stderr, "fetcher:", err)
		return 2
	}
	err = service.Run("fetcher", common, func(ctx context.Context, env *service.Env) error {
		f, err := fetcher.New(env.Bus, cfg, env.Registry, env.StageMetrics, env.Log)
		if err != nil {
			return err
		}
		h := f.Handler()
		for _, route := range fetcher.Routes() {
			env.Mux.Handle(route, h)
		}
		return f.Run(ctx)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
