// Command sink is the newspipe sink service: it stores EnrichedArticles,
// raises AgreementAlerts, and serves the stories over HTTP.
//
//	sink [flags]    run the service against NATS_URL
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/services/sink/sink"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	var common service.Common
	common.RegisterFlags(fs)
	var cfg sink.Config
	storeDSN := fs.String("store", service.Getenv("STORE_DSN", "./data/newspipe.db"),
		"SQLite file path, or a postgres:// DSN (env STORE_DSN)")
	httpAddr := fs.String("http-addr", service.Getenv("HTTP_ADDR", ":8080"), "address of the story API, page and feed (env HTTP_ADDR)")
	fs.DurationVar(&cfg.AgreementWindow, "agreement-window", service.EnvDuration("AGREEMENT_WINDOW", sink.DefaultAgreementWindow),
		"how far apart undated reports of one deal may be, and how long after a stated signing an undated report is news of it (env AGREEMENT_WINDOW)")
	fs.IntVar(&cfg.Workers, "workers", service.EnvInt("SINK_WORKERS", 0), "concurrent writes; 0 = one per CPU (env SINK_WORKERS)")
	webhooks := fs.String("webhooks", service.Getenv("WEBHOOK_URLS", ""),
		"comma-separated URLs to POST each new agreement alert to, as JSON; prefix one with slack: for Slack's payload (env WEBHOOK_URLS; signed with env WEBHOOK_SECRET)")
	if !service.Parse(fs, args, "usage: sink [flags]\n\nRuns the sink service against NATS_URL: stores enriched stories, raises agreement alerts, serves the API, the web page and the feeds on HTTP_ADDR.") {
		return 2
	}
	for _, u := range strings.Split(*webhooks, ",") {
		if u = strings.TrimSpace(u); u != "" {
			cfg.Webhooks.URLs = append(cfg.Webhooks.URLs, u)
		}
	}
	// The secret comes from the environment only: a flag would show it in
	// the process list.
	cfg.Webhooks.Secret = []byte(os.Getenv("WEBHOOK_SECRET"))
	err := service.Run("sink", common, func(ctx context.Context, env *service.Env) (err error) {
		st, err := sink.Open(ctx, *storeDSN)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, st.Close()) }()
		env.Health.AddProbe("store", st.Ping)
		s, err := sink.New(env.Bus, st, env.Registry, env.StageMetrics, env.Log, cfg)
		if err != nil {
			return err
		}
		srv, err := telemetry.Listen(*httpAddr, s.Handler())
		if err != nil {
			return err
		}
		env.Log.Info("api listening", "http_addr", srv.Addr(), "store", fmt.Sprint(st), "webhooks", len(cfg.Webhooks.URLs))
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ctx, 5*time.Second) }()
		return errors.Join(s.Run(ctx), <-served)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
