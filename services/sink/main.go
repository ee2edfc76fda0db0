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
	"time"

	"github.com/newspipe/newspipe/pkg/service"
	"github.com/newspipe/newspipe/pkg/telemetry"
	"github.com/newspipe/newspipe/services/sink/sink"
)

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	common := service.Common{MetricsAddr: service.SinkAdminAddr}
	common.RegisterFlags(fs)
	var cfg sink.Config
	var storeDSN, httpAddr string
	var settings service.Settings
	cfg.Declare(&settings)
	sink.DeclareServer(&settings, &storeDSN, &httpAddr)
	settings.Register(fs)
	if !service.Parse(fs, args, "usage: sink [flags]\n\nRuns the sink service against NATS_URL: stores enriched stories, raises agreement alerts, serves the API, the web page and the feeds on HTTP_ADDR.") {
		return 2
	}
	err := service.Run("sink", common, func(ctx context.Context, env *service.Env) (err error) {
		st, err := sink.Open(ctx, storeDSN)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, st.Close()) }()
		env.Health.AddProbe("store", st.Ping)
		s, err := sink.New(env.Bus, st, env.Registry, env.StageMetrics, env.Log, cfg)
		if err != nil {
			return err
		}
		srv, err := telemetry.Listen(httpAddr, s.Handler())
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
