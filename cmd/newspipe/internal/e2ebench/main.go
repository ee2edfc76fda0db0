// Command e2ebench measures the whole pipeline end to end on real-size
// pages (make bench-e2e): the all-in-one, in this process, against a local
// news site of 170 KB pages served from several loopback hosts by a child
// process (so that the site's work is not counted as the pipeline's, and
// politeness towards one host does not cap the rate). It reports:
//
//   - a burst: N articles listed at once; sustained articles/s, CPU per
//     article and cores busy;
//   - fixed rates (100, 200, 400 articles/s by default): the rate achieved
//     and p50/p90/p99 of fetch→stored, read from the sink's histogram
//     (newspipe_sink_end_to_end_latency_seconds, buckets every 25%);
//   - the ceiling of the bus alone: three JetStream hops of pass-through
//     stages (pkg/stage) carrying messages of the same sizes (page, clean
//     text, enriched story), in messages/s.
//
// Usage: go run ./cmd/newspipe/internal/e2ebench [-burst 3000] [-rates 100,200,400] [-for 15s]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("e2ebench", flag.ContinueOnError)
	burst := fs.Int("burst", 3000, "articles of the burst")
	rates := fs.String("rates", "100,200,400", "fixed rates to hold, articles/s, comma-separated")
	hold := fs.Duration("for", 15*time.Second, "how long each rate is held")
	hosts := fs.Int("hosts", 8, "loopback hosts serving the site (127.0.0.1…)")
	pageKB := fs.Int("page-kb", 170, "size of a page in KB")
	serve := fs.Bool("serve-site", false, "internal: serve the site (run as the child process)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "e2ebench: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if *serve {
		if err := serveSite(*hosts, *pageKB, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "e2ebench site:", err)
			return 1
		}
		return 0
	}
	var rs []int
	for _, f := range strings.Split(*rates, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		r, err := strconv.Atoi(f)
		if err != nil || r <= 0 {
			fmt.Fprintf(os.Stderr, "e2ebench: bad rate %q\n", f)
			return 2
		}
		rs = append(rs, r)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2ebench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "e2ebench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := bench(ctx, config{burst: *burst, rates: rs, hold: *hold, hosts: *hosts, pageKB: *pageKB}, os.Stdout, log); err != nil {
		fmt.Fprintln(os.Stderr, "e2ebench:", err)
		return 1
	}
	return 0
}
