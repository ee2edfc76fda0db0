package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/dlq"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/topology"
)

func dlqCmd(args []string) int {
	fs := flag.NewFlagSet("newspipe dlq", flag.ContinueOnError)
	natsURL := fs.String("nats-url", os.Getenv("NATS_URL"), "NATS server; default $NATS_URL, else DATA_DIR/nats.url of a local 'newspipe run', else nats://127.0.0.1:4222")
	dataDir := fs.String("data-dir", "data", "data directory of a local 'newspipe run' (to find its NATS URL)")
	namespace := fs.String("namespace", os.Getenv("NEWSPIPE_NAMESPACE"), "namespace of the pipeline (env NEWSPIPE_NAMESPACE)")
	stage := fs.String("stage", "", "only this stage's entries: "+strings.Join(topology.Stages(), ", ")+" (default all)")
	replay := fs.Bool("replay", false, "send the entries back on their original subjects, then remove them from the DLQ")
	limit := fs.Int("n", 0, "with -replay: at most n entries (0: all)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newspipe dlq [-stage S] [-replay [-n N]]\n\nLists what the stages dead-lettered (one JSON line each: stage, error, deliveries,\noriginal subject, event), or replays it once the cause is fixed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "newspipe dlq: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *stage != "" && !slices.Contains(topology.Stages(), *stage) {
		fmt.Fprintf(os.Stderr, "newspipe dlq: unknown stage %q; the stages are %s\n", *stage, strings.Join(topology.Stages(), ", "))
		return 2
	}
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()
	b, err := connectLocal(ctx, "newspipe dlq", findNATS(fs, *natsURL, *dataDir), *namespace)
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe dlq:", err)
		return 1
	}
	defer b.Close()
	if *replay {
		n, err := dlq.Replay(ctx, b, *stage, *limit)
		fmt.Fprintf(os.Stderr, "newspipe dlq: replayed %d entries\n", n)
		if err != nil {
			fmt.Fprintln(os.Stderr, "newspipe dlq:", err)
			return 1
		}
		return 0
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	n := 0
	err = dlq.List(ctx, b, *stage, func(e dlq.Entry) error { n++; return enc.Encode(e) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe dlq:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "newspipe dlq: %d entries\n", n)
	return 0
}
