package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/lifecycle"
	"github.com/newspipe/newspipe/pkg/natsembed"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/classifier/classifier"
	"github.com/newspipe/newspipe/services/sink/replay"
)

// replayCmd re-classifies stored stories with a taxonomy and prints what
// would change; it writes nothing and raises no alert.
func replayCmd(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("newspipe replay", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "data", "data directory of a local 'newspipe run' (its store is DATA_DIR/newspipe.db)")
	storeDSN := fs.String("store", os.Getenv("STORE_DSN"), "store: a postgres:// DSN or a SQLite file; default DATA_DIR/newspipe.db (env STORE_DSN)")
	taxonomyFile := fs.String("taxonomy", "", "taxonomy to classify with: a YAML file or a directory laid out as the embedded default; default the embedded one")
	since := fs.String("since", "", "replay stories published since: an RFC 3339 time, a day (2026-11-01) or a duration back from now (7d, 48h); default all")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: newspipe replay [flags]\n\nRe-classifies the stored stories with a taxonomy and prints what would change:\nstories gained, lost and re-topiced, deals found, lost or changed, and which found\ndeals are new. It only reads the store: no story changes, no alert is raised.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe replay: -since:", err)
		return 2
	}
	dsn := *storeDSN
	if dsn == "" {
		dsn = filepath.Join(*dataDir, "newspipe.db")
		if _, err := os.Stat(dsn); err != nil {
			fmt.Fprintf(os.Stderr, "newspipe replay: no store at %s (give -data-dir or -store)\n", dsn)
			return 1
		}
	}
	ctx, stop := lifecycle.SignalContext(context.Background())
	defer stop()
	classify, closeClassifier, err := newClassify(ctx, *taxonomyFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe replay:", err)
		return 1
	}
	defer closeClassifier()
	rep, err := replay.Run(ctx, replay.Config{StoreDSN: dsn, Since: from, Classify: classify})
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe replay:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(os.Stderr, "newspipe replay:", err)
			return 1
		}
		return 0
	}
	fmt.Fprint(stdout, rep.String())
	return 0
}

// newClassify returns the classifier stage's own classification with the
// taxonomy of file, as a function. The stage needs a bus to be built, for
// its topology only: an embedded server with no clients serves that, and
// nothing is ever published on it.
func newClassify(ctx context.Context, file string) (replay.Classify, func(), error) {
	dir, err := os.MkdirTemp("", "newspipe-replay-")
	if err != nil {
		return nil, nil, err
	}
	ns, err := natsembed.Start(natsembed.Config{Addr: "127.0.0.1:0", StoreDir: dir})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	b, err := bus.Connect(ctx, ns.ClientURL(), topology.Default().WithNamespace("replay"), bus.Options{Name: "newspipe-replay", Logger: quiet})
	if err != nil {
		ns.Shutdown()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	closeAll := func() { b.Close(); ns.Shutdown(); os.RemoveAll(dir) }
	reg := prometheus.NewRegistry()
	cl, err := classifier.New(b, classifier.Config{TaxonomyFile: file}, reg, stage.NewMetrics(reg), quiet)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("load taxonomy: %w", err)
	}
	classify := func(ctx context.Context, a *newspipev1.CleanArticle) (*newspipev1.EnrichedArticle, error) {
		data, hdr, err := events.Marshal(a)
		if err != nil {
			return nil, err
		}
		outs, err := cl.Handle(ctx, &stage.Message{Data: data, Header: hdr, Delivered: 1})
		if err != nil {
			return nil, err
		}
		if len(outs) != 1 {
			return nil, fmt.Errorf("classifier gave %d events, want 1", len(outs))
		}
		out := &newspipev1.EnrichedArticle{}
		if err := events.Unmarshal(outs[0].Data, outs[0].Header[events.HeaderType], out); err != nil {
			return nil, err
		}
		return out, nil
	}
	return classify, closeAll, nil
}

// parseSince reads an RFC 3339 time, a day, or a duration back from now
// (Go's, or whole days as 7d); "" is no bound.
func parseSince(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, errors.New("want an RFC 3339 time, a day such as 2026-11-01, or a duration such as 7d")
}
