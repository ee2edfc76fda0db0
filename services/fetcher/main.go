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
	"github.com/newspipe/newspipe/pkg/topology"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	if len(args) > 0 && args[0] == "provision" {
		return provisionCmd(args[1:])
	}
	fs := flag.NewFlagSet("fetcher", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.FetcherAdminAddr}
	common.RegisterFlags(fs)
	cfg := fetcher.Config{Version: version}
	var settings service.Settings
	cfg.Declare(&settings)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: fetcher [flags]            run the fetcher service against NATS_URL: poll the sources of SOURCES_FILE and publish each new article page on news.raw.<source-id>\n       fetcher provision [flags]  declare every stream and the fetcher's buckets, then exit (fetcher provision -h)") {
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

// provisionCmd declares the streams and buckets as the provisioner user,
// for services whose users may not (STREAMS_PROVISIONED): see
// fetcher.Provision. It takes the service's settings, so the streams'
// limits and the buckets' TTLs are the ones the services run with.
func provisionCmd(args []string) int {
	fs := flag.NewFlagSet("fetcher provision", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.FetcherAdminAddr}
	common.RegisterFlags(fs)
	cfg := fetcher.Config{Version: version}
	var settings service.Settings
	cfg.Declare(&settings)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: fetcher provision [flags]\n\nDeclares every stream of the topology and the fetcher's key-value buckets, then exits: run it as the NATS user that may (the provisioner) before services that only wait for them (STREAMS_PROVISIONED).") {
		return 2
	}
	// Whatever the shared configuration says, this is the one that declares.
	common.StreamsProvisioned = false
	err := service.Run(topology.Provisioner, common, func(ctx context.Context, env *service.Env) error {
		return fetcher.Provision(ctx, env.Bus, cfg)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
