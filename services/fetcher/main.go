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

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("fetcher", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.FetcherAdminAddr}
	common.RegisterFlags(fs)
	cfg := fetcher.Config{Version: version}
	var settings service.Settings
	cfg.Declare(&settings)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: fetcher [flags]\n\nRuns the fetcher service against NATS_URL: polls the sources of SOURCES_FILE and publishes each new article page on news.raw.<source-id>.") {
		return 2
	}
	cfg.MaxBodyBytes = common.MaxBodyBytes
	var err error
	if cfg.Sources, err = fetcher.LoadSources(cfg.SourcesFile); err != nil {
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
