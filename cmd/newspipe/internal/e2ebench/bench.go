package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/pipeline"
	"github.com/newspipe/newspipe/services/fetcher/fetcher"
)

type config struct {
	burst  int
	rates  []int
	hold   time.Duration
	hosts  int
	pageKB int
}

func bench(ctx context.Context, cfg config, w io.Writer, log *slog.Logger) error {
	site, stdin, hosts, err := startSite(cfg)
	if err != nil {
		return err
	}
	defer func() { stdin.Close(); _ = site.Wait() }()
	var sources []fetcher.Source
	for i, h := range hosts {
		sources = append(sources, fetcher.Source{ID: fmt.Sprintf("h%d", i+1), Name: "bench", URL: "http://" + h + "/feed.xml"})
	}
	dataDir, err := os.MkdirTemp("", "newspipe-e2ebench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dataDir)
	ready := make(chan pipeline.Info, 1)
	done := make(chan error, 1)
	pctx, stop := context.WithCancel(ctx)
	defer func() { stop(); <-done }()
	go func() {
		done <- pipeline.Run(pctx, pipeline.Config{
			DataDir: dataDir, NATSAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Log: log,
			Fetcher: fetcher.Config{
				Sources: sources, PollInterval: time.Second, PerHostDelay: -1, PerHostConcurrency: 8, Workers: 32,
				IgnoreRobots: true, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
			},
			OnReady: func(i pipeline.Info) { ready <- i },
		})
	}()
	var info pipeline.Info
	select {
	case info = <-ready:
	case err := <-done:
		done <- err
		return fmt.Errorf("pipeline: %w", err)
	case <-time.After(60 * time.Second):
		return fmt.Errorf("pipeline not ready in 60s")
	}
	m := metricsClient{url: "http://" + info.HTTPAddr + "/metrics", release: "http://" + hosts[0] + "/release"}

	fmt.Fprintf(w, "newspipe end to end: %d-KB pages from %d loopback hosts, all-in-one in one process (GOMAXPROCS %d)\n\n",
		cfg.pageKB, cfg.hosts, runtimeProcs())
	// Warm up: taxonomy, store, connections.
	if err := m.releaseAndWait(50, 0, 2*time.Minute); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}

	before, _ := m.snapshot()
	cpu0, t0 := cpuTime(), time.Now()
	if err := m.releaseAndWait(cfg.burst, 0, 10*time.Minute); err != nil {
		return fmt.Errorf("burst: %w", err)
	}
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	after, _ := m.snapshot()
	q := after.minus(before)
	fmt.Fprintf(w, "burst of %d articles: %.0f articles/s sustained, %.1f ms CPU per article, %.2f cores busy; fetch→stored p50 %s p99 %s\n",
		cfg.burst, float64(cfg.burst)/wall.Seconds(), cpu.Seconds()*1000/float64(cfg.burst), cpu.Seconds()/wall.Seconds(),
		ms(q.quantile(0.5)), ms(q.quantile(0.99)))

	for _, r := range cfg.rates {
		n := int(float64(r) * cfg.hold.Seconds())
		before, _ := m.snapshot()
		cpu0, t0 := cpuTime(), time.Now()
		if err := m.releaseAndWait(n, r, cfg.hold+5*time.Minute); err != nil {
			// Above the pipeline's capacity the backlog outgrows the
			// site's feeds, which list only the newest 400 items per
			// host as real feeds do: the oldest fall off before a poll
			// sees them. Say so and go on; the figures below are then
			// those of an overloaded pipeline.
			fmt.Fprintf(w, "at %d articles/s: %v: offered above capacity, the backlog outgrew the feeds' 400-item window\n", r, err)
		}
		wall, cpu := time.Since(t0), cpuTime()-cpu0
		after, _ := m.snapshot()
		q := after.minus(before)
		fmt.Fprintf(w, "at %d articles/s for %s: %.0f/s achieved, %.2f cores busy; fetch→stored p50 %s, p90 %s, p99 %s\n",
			r, cfg.hold, float64(n)/wall.Seconds(), cpu.Seconds()/wall.Seconds(), ms(q.quantile(0.5)), ms(q.quantile(0.9)), ms(q.quantile(0.99)))
	}

	rate, err := busCeiling(ctx, cfg.pageKB<<10, 3000)
	if err != nil {
		return fmt.Errorf("bus ceiling: %w", err)
	}
	fmt.Fprintf(w, "the bus alone, three JetStream hops of pass-through stages (%d KB, then clean and enriched sizes): %.0f messages/s\n", cfg.pageKB, rate)
	return nil
}

func runtimeProcs() int {
	n, _ := strconv.Atoi(os.Getenv("GOMAXPROCS"))
	if n > 0 {
		return n
	}
	return numCPU()
}

// startSite runs this program again as the site, and returns it and the
// hosts' addresses.
func startSite(cfg config) (*exec.Cmd, io.WriteCloser, []string, error) {
	cmd := exec.Command(os.Args[0], "-serve-site", "-hosts", fmt.Sprint(cfg.hosts), "-page-kb", fmt.Sprint(cfg.pageKB))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	// Closing the site's stdin (or our exit) is its cue to stop.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, fmt.Errorf("start site: %w", err)
	}
	var hosts []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 1 && f[0] == "ready" {
			return cmd, stdin, hosts, nil
		}
		if len(f) == 3 && f[0] == "host" {
			hosts = append(hosts, f[2])
		}
	}
	_ = cmd.Process.Kill()
	return nil, nil, nil, fmt.Errorf("site exited before it was ready")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d float64) string {
	if math.IsNaN(d) {
		return "-"
	}
	if d < 0.1 {
		return fmt.Sprintf("%.1f ms", d*1000)
	}
	return fmt.Sprintf("%.0f ms", d*1000)
}

// metricsClient reads the all-in-one's /metrics and releases articles.
type metricsClient struct{ url, release string }

// histogram is the fetch→stored histogram: bucket bounds and cumulative
// counts, and the stored-story count.
type histogram struct {
	bounds []float64
	counts []float64
	stored float64
}

func (h histogram) minus(o histogram) histogram {
	out := histogram{bounds: h.bounds, counts: make([]float64, len(h.counts)), stored: h.stored - o.stored}
	for i := range h.counts {
		out.counts[i] = h.counts[i]
		if i < len(o.counts) {
			out.counts[i] -= o.counts[i]
		}
	}
	return out
}

// quantile interpolates linearly within the bucket holding q, as
// Prometheus' histogram_quantile does.
func (h histogram) quantile(q float64) float64 {
	if len(h.counts) == 0 || h.counts[len(h.counts)-1] == 0 {
		return math.NaN()
	}
	total := h.counts[len(h.counts)-1]
	rank := q * total
	for i, c := range h.counts {
		if c >= rank {
			lo, prev := 0.0, 0.0
			if i > 0 {
				lo, prev = h.bounds[i-1], h.counts[i-1]
			}
			hi := h.bounds[i]
			if math.IsInf(hi, 1) {
				return lo
			}
			if c == prev {
				return hi
			}
			return lo + (hi-lo)*(rank-prev)/(c-prev)
		}
	}
	return h.bounds[len(h.bounds)-1]
}

func (m metricsClient) snapshot() (histogram, error) {
	resp, err := http.Get(m.url)
	if err != nil {
		return histogram{}, err
	}
	defer resp.Body.Close()
	var h histogram
	type bc struct{ le, c float64 }
	var bcs []bc
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "newspipe_sink_stories_stored_total"):
			h.stored += v
		case strings.HasPrefix(line, "newspipe_sink_end_to_end_latency_seconds_bucket{"):
			i := strings.Index(line, `le="`)
			j := strings.Index(line[i+4:], `"`)
			le, err := strconv.ParseFloat(line[i+4:i+4+j], 64)
			if err != nil {
				continue
			}
			bcs = append(bcs, bc{le, v})
		}
	}
	sort.Slice(bcs, func(a, b int) bool { return bcs[a].le < bcs[b].le })
	for _, x := range bcs {
		h.bounds = append(h.bounds, x.le)
		h.counts = append(h.counts, x.c)
	}
	return h, sc.Err()
}

// releaseAndWait makes n more articles visible (rate per second, 0 for all
// at once) and waits until as many more stories are stored.
func (m metricsClient) releaseAndWait(n, rate int, within time.Duration) error {
	h, err := m.snapshot()
	if err != nil {
		return err
	}
	want := h.stored + float64(n)
	resp, err := http.Post(fmt.Sprintf("%s?n=%d&rate=%d", m.release, n, rate), "text/plain", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if h, err = m.snapshot(); err == nil && h.stored >= want {
			return nil
		}
	}
	return fmt.Errorf("%.0f of %d stored within %v", h.stored-(want-float64(n)), n, within)
}
