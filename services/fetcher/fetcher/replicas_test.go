package fetcher

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
)

// The two-process tests run the fetcher as separate OS processes: this
// test binary, re-executed with NEWSPIPE_FETCHER_PROCESS set, runs
// TestFetcherProcess, which is a fetcher until it is stopped or killed.

const (
	envProcess   = "NEWSPIPE_FETCHER_PROCESS"
	envNATS      = "NEWSPIPE_FETCHER_NATS"
	envNamespace = "NEWSPIPE_FETCHER_NAMESPACE"
	envSources   = "NEWSPIPE_FETCHER_SOURCES"
	envDelay     = "NEWSPIPE_FETCHER_DELAY"
)

// processTopology is natstest.Topology's, for a given namespace.
func processTopology(ns string) topology.Topology {
	topo := natstest.Topology()
	topo.Namespace = ns
	return topo
}

// TestFetcherProcess is the fetcher process of the two-process tests; run
// as a test of its own, it does nothing.
func TestFetcherProcess(t *testing.T) {
	if os.Getenv(envProcess) == "" {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	b, err := bus.Connect(ctx, os.Getenv(envNATS), processTopology(os.Getenv(envNamespace)), bus.Options{Name: "fetcher-process", Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.EnsureStreams(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := LoadSources(os.Getenv(envSources))
	if err != nil {
		t.Fatal(err)
	}
	delay, err := time.ParseDuration(os.Getenv(envDelay))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	f, err := New(b, Config{
		Sources: list, PollInterval: time.Hour, PerHostDelay: delay, PerHostConcurrency: 2,
		AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		AckWait:    3 * time.Second, MaxDeliver: 5, Backoff: []time.Duration{200 * time.Millisecond},
	}, reg, stage.NewMetrics(reg), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// farm is many sites on loopback addresses, each with feeds of invented
// articles, recording every request with its time.
type farm struct {
	mu   sync.Mutex
	hits map[string][]time.Time // host → request times
	urls map[string]int         // path and host → requests
	n    int                    // articles in all
}

func newFarm(t *testing.T, hosts, feedsPerHost, itemsPerFeed int) (*farm, []Source) {
	fm := &farm{hits: map[string][]time.Time{}, urls: map[string]int{}}
	var list []Source
	for h := range hosts {
		ip := fmt.Sprintf("127.0.0.%d", h+2)
		var base string
		mux := http.NewServeMux()
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			fm.mu.Lock()
			fm.hits[r.Host] = append(fm.hits[r.Host], time.Now())
			fm.urls[r.Host+r.URL.Path]++
			fm.mu.Unlock()
			switch {
			case strings.HasPrefix(r.URL.Path, "/feed/"):
				var n int
				fmt.Sscanf(r.URL.Path, "/feed/%d.xml", &n)
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<rss version="2.0"><channel><title>Feed %d</title>`, n)
				for k := range itemsPerFeed {
					fmt.Fprintf(w, `<item><title>Story %d-%d</title><link>%s/a/%d-%d.html</link></item>`, n, k, base, n, k)
				}
				fmt.Fprint(w, `</channel></rss>`)
			case strings.HasPrefix(r.URL.Path, "/a/"):
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprintf(w, "<html><body><p>Invented story %s.</p></body></html>", r.URL.Path)
			default:
				http.NotFound(w, r) // robots.txt too: no restrictions
			}
		})
		base = serveOn(t, ip, mux).URL
		for n := range feedsPerHost {
			list = append(list, Source{ID: fmt.Sprintf("h%d-f%d", h, n), URL: fmt.Sprintf("%s/feed/%d.xml", base, n), Interval: time.Hour})
		}
	}
	fm.n = hosts * feedsPerHost * itemsPerFeed
	return fm, list
}

// twice lists the feeds and pages requested more than once.
func (fm *farm) twice() []string {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	var twice []string
	for u, n := range fm.urls {
		if n > 1 && !strings.HasSuffix(u, "/robots.txt") {
			twice = append(twice, fmt.Sprintf("%s ×%d", u, n))
		}
	}
	sort.Strings(twice)
	return twice
}

// busiestWindow is the most requests one host got within any window of
// length w.
func (fm *farm) busiestWindow(w time.Duration) (int, string) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	worst, host := 0, ""
	for h, ts := range fm.hits {
		ts := append([]time.Time(nil), ts...)
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		k := 0
		for i := range ts {
			for ts[i].Sub(ts[k]) >= w {
				k++
			}
			if n := i - k + 1; n > worst {
				worst, host = n, h
			}
		}
	}
	return worst, host
}

func writeSources(t *testing.T, list []Source) string {
	var b strings.Builder
	b.WriteString("sources:\n")
	for _, s := range list {
		fmt.Fprintf(&b, "  - {id: %s, url: %q, interval: 1h}\n", s.ID, s.URL)
	}
	path := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// process is one fetcher process of a two-process test.
type process struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startProcess(t *testing.T, natsURL, ns, sourcesPath string, delay time.Duration) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], "-test.run=^TestFetcherProcess$", "-test.timeout=5m")}
	p.cmd.Env = append(os.Environ(), envProcess+"=1", envNATS+"="+natsURL, envNamespace+"="+ns,
		envSources+"="+sourcesPath, envDelay+"="+delay.String())
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// stop asks the process to stop and waits for it.
func (p *process) stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("fetcher process: %v\n%s", err, p.out.String())
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Errorf("fetcher process did not stop within 30s of SIGTERM\n%s", p.out.String())
	}
}

// articles collects RawArticles by id until want distinct ids arrived or
// within passed; it returns the count of each id.
func articles(t *testing.T, b *bus.Bus, want int, within time.Duration) map[string]int {
	t.Helper()
	got := map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	_ = b.Tail(ctx, b.Topology().AllRaw(), true, func(d *bus.Delivery) bool {
		got[d.Header("Newspipe-Article-Id")]++
		return len(got) < want
	})
	return got
}

const (
	farmHosts  = 20
	farmFeeds  = 50 // per host: 1,000 feeds
	farmItems  = 2  // per feed: 2,000 articles
	farmDelay  = 30 * time.Millisecond
	farmWindow = time.Second
)

// farmLimit is the most requests one farm host may get within farmWindow
// (see TestTwoProcesses).
func farmLimit() int { return int(farmWindow/farmDelay) + 6 }

// TestTwoProcesses: two fetcher processes share 1,000 feeds on 20 hosts:
// every feed is polled once and every article fetched once, and no host
// gets more requests than its budget allows (one per 30 ms, whichever
// process sends them).
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("two fetcher processes, 1,000 feeds")
	}
	srv := natstest.Start(t)
	topo := natstest.Topology()
	b := natstest.ConnectTopology(t, natstest.Target{Name: "embedded", URL: srv.ClientURL()}, topo)
	fm, list := newFarm(t, farmHosts, farmFeeds, farmItems)
	path := writeSources(t, list)
	began := time.Now()
	procs := []*process{
		startProcess(t, srv.ClientURL(), topo.Namespace, path, farmDelay),
		startProcess(t, srv.ClientURL(), topo.Namespace, path, farmDelay),
	}
	got := articles(t, b, fm.n, 2*time.Minute)
	elapsed := time.Since(began)
	time.Sleep(time.Second) // room for a duplicate fetch, had there been one
	for _, p := range procs {
		p.stop(t)
	}
	if len(got) != fm.n {
		t.Fatalf("%d of %d articles arrived within two minutes\n%s", len(got), fm.n, procs[0].out.String())
	}
	dups := 0
	for _, n := range got {
		dups += n - 1
	}
	twice := fm.twice()
	worst, host := fm.busiestWindow(farmWindow)

	t.Logf("%d articles from %d feeds on %d hosts in %s; %d duplicate RawArticles; busiest host %s: %d requests within %s (one per %s: at most %d)",
		len(got), len(list), farmHosts, elapsed.Round(time.Millisecond), dups, host, worst, farmWindow, farmDelay, farmLimit())
	if len(twice) > 0 {
		t.Errorf("%d feeds or pages requested more than once, e.g. %v", len(twice), twice[:min(5, len(twice))])
	}
	if dups > 0 {
		t.Errorf("%d duplicate RawArticles", dups)
	}
	// The budget is one request per slot of 30 ms. A window of a second
	// meets 34 slots, and a request may start anywhere in its slot, so 35
	// can land in it. The host is measured where it receives, on a loaded
	// machine: a pause that holds back the requests of a few slots lands
	// them in the next window (38 seen once with a benchmark running
	// beside the test), so 4 more than those 35 are allowed (39), some
	// 120 ms of pause.
	// A budget kept per process, as it was, lets two processes send twice
	// the budget (69 in a second when tried): that is what this catches.
	if limit := farmLimit(); worst > limit {
		t.Errorf("host %s got %d requests within %s: over its budget of one per %s (%d allowed)", host, worst, farmWindow, farmDelay, limit)
	}
}

// TestKillOneProcess: one of two fetcher processes is killed (SIGKILL, no
// shutdown) mid-run; the other finishes the work, and no job is lost: every
// article arrives. Jobs the killed process held come back after their ack
// wait, so a few articles may be fetched twice (at least once, never at
// most once).
func TestKillOneProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("two fetcher processes, 1,000 feeds")
	}
	srv := natstest.Start(t)
	topo := natstest.Topology()
	b := natstest.ConnectTopology(t, natstest.Target{Name: "embedded", URL: srv.ClientURL()}, topo)
	fm, list := newFarm(t, farmHosts, farmFeeds, farmItems)
	path := writeSources(t, list)
	victim := startProcess(t, srv.ClientURL(), topo.Namespace, path, farmDelay)
	survivor := startProcess(t, srv.ClientURL(), topo.Namespace, path, farmDelay)

	before := articles(t, b, fm.n/4, time.Minute)
	if len(before) < fm.n/4 {
		t.Fatalf("only %d articles before the kill", len(before))
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	killedAt := time.Now()

	got := articles(t, b, fm.n, 2*time.Minute)
	survivor.stop(t)
	if len(got) != fm.n {
		t.Fatalf("%d of %d articles arrived after one process was killed: jobs lost\n%s", len(got), fm.n, survivor.out.String())
	}
	dups := 0
	for _, n := range got {
		dups += n - 1
	}
	t.Logf("killed one process after %d articles; the other finished all %d, %s after the kill; %d duplicate RawArticles past the server's deduplication, %d feeds or pages requested twice (jobs in the killed process's hands)",
		len(before), fm.n, time.Since(killedAt).Round(time.Millisecond), dups, len(fm.twice()))
}
