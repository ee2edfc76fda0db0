package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/tail"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/topology"
)

func tailCmd(args []string) int {
	fs := flag.NewFlagSet("newspipe tail", flag.ContinueOnError)
	natsURL := fs.String("nats-url", os.Getenv("NATS_URL"), "NATS server; default $NATS_URL, else the one a local 'newspipe run' wrote to DATA_DIR/nats.url, else nats://127.0.0.1:4222")
	dataDir := fs.String("data-dir", "data", "data directory of a local 'newspipe run' (to find its NATS URL)")
	all := fs.Bool("all", false, "start with the oldest stored event instead of the next new one")
	limit := fs.Int("n", 0, "stop after n events (0: run until Ctrl-C)")
	namespace := fs.String("namespace", os.Getenv("NEWSPIPE_NAMESPACE"), "namespace of the pipeline (env NEWSPIPE_NAMESPACE)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newspipe tail [flags] SUBJECT\n\nPrints the events on SUBJECT as JSON lines, e.g. newspipe tail -all 'news.enriched.rucn.>'")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()
	subject := fs.Arg(0)
	if *namespace != "" && !strings.HasPrefix(subject, *namespace+".") {
		subject = *namespace + "." + subject
	}
	b, err := connectLocal(ctx, *natsURL, *dataDir, *namespace, "newspipe-tail")
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe tail:", err)
		return 1
	}
	defer b.Close()
	if err := tail.Run(ctx, b, subject, *all, *limit, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "newspipe tail:", err)
		return 1
	}
	return 0
}

// connectLocal connects to url, or else to the NATS server a local
// 'newspipe run' announced in dataDir/nats.url, or else to the default port.
func connectLocal(ctx context.Context, url, dataDir, namespace, name string) (*bus.Bus, error) {
	if url == "" {
		if b, err := os.ReadFile(filepath.Join(dataDir, "nats.url")); err == nil {
			url = strings.TrimSpace(string(b))
		}
	}
	if url == "" {
		url = "nats://127.0.0.1:4222"
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return bus.Connect(cctx, url, topology.Default().WithNamespace(namespace), bus.Options{Name: name})
}
