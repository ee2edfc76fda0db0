package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
	b, err := connectLocal(ctx, "newspipe tail", findNATS(fs, *natsURL, *dataDir), *namespace)
	if err != nil {
		fmt.Fprintln(os.Stderr, "newspipe tail:", err)
		return 1
	}
	defer b.Close()
	fmt.Fprintf(os.Stderr, "newspipe tail: listening on %s\n", subject)
	if err := tail.Run(ctx, b, subject, *all, *limit, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "newspipe tail:", err)
		return 1
	}
	return 0
}

// natsSource says which NATS server a client command talks to, and why:
// an explicit -nats-url, an explicit -data-dir's nats.url, $NATS_URL, the
// default data directory's nats.url, or the default port, in that order.
type natsSource struct{ url, from string }

func findNATS(fs *flag.FlagSet, natsURL, dataDir string) natsSource {
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	fromDir := func() (natsSource, bool) {
		path := filepath.Join(dataDir, "nats.url")
		b, err := os.ReadFile(path)
		if err != nil || strings.TrimSpace(string(b)) == "" {
			return natsSource{}, false
		}
		return natsSource{strings.TrimSpace(string(b)), path + ", written by a local newspipe run"}, true
	}
	switch {
	case explicit["nats-url"]:
		return natsSource{natsURL, "-nats-url"}
	case explicit["data-dir"]:
		if s, ok := fromDir(); ok {
			return s
		}
		return natsSource{"", filepath.Join(dataDir, "nats.url") + " (missing: is newspipe run using that data directory?)"}
	case os.Getenv("NATS_URL") != "":
		return natsSource{os.Getenv("NATS_URL"), "$NATS_URL"}
	}
	// Neither flag nor $NATS_URL: the data directory of a running `make
	// run` (data) or `make demo` (data/demo), known by the lock it holds,
	// else the first that has a nats.url.
	if !explicit["data-dir"] {
		for _, d := range []string{dataDir, filepath.Join(dataDir, "demo")} {
			if running(d) {
				dataDir = d
				if s, ok := fromDir(); ok {
					return natsSource{s.url, s.from + ", which is running"}
				}
			}
		}
	}
	if s, ok := fromDir(); ok {
		return s
	}
	return natsSource{"nats://127.0.0.1:4222", "the default"}
}

// running reports whether a process holds dir's data-directory lock (see
// pipeline's lockDataDir): a newspipe run or demo is using it now.
func running(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "LOCK"))
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return true
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}

// connectLocal connects to the server findNATS picked, saying on stderr
// which one and why, and what to check when it is not there.
func connectLocal(ctx context.Context, cmd string, src natsSource, namespace string) (*bus.Bus, error) {
	if src.url == "" {
		return nil, fmt.Errorf("no NATS URL: %s", src.from)
	}
	fmt.Fprintf(os.Stderr, "%s: NATS %s (from %s)\n", cmd, bus.RedactURL(src.url), src.from)
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	b, err := bus.Connect(cctx, src.url, topology.Default().WithNamespace(namespace), bus.Options{Name: strings.ReplaceAll(cmd, " ", "-")})
	if err != nil {
		return nil, fmt.Errorf("%w\n(the URL came from %s: is the pipeline running? a stale nats.url is left by a run that was killed; pass -nats-url or -data-dir)", err, src.from)
	}
	return b, nil
}
