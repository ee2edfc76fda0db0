package fetcher

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
)

// BenchmarkPoll10kFeeds polls 10,000 small local feeds once each, through
// an embedded JetStream server, and reports feeds polled per second and
// the memory it took. Each feed lists the same two articles (fetched once,
// then seen), so the figure is the cost of a poll (request, mend, parse,
// seen checks, state write, acks), not of page fetches; politeness is off
// (one loopback host). The process holds the NATS server and the HTTP
// server too, so the memory figures are the three together.
func BenchmarkPoll10kFeeds(b *testing.B) {
	const feeds = 10_000
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/a/") {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>An invented article.</p></body></html>")
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %s</title>`+
			`<item><title>One</title><link>%s/a/1.html</link><pubDate>Thu, 19 Nov 2026 10:00:00 MSK</pubDate></item>`+
			`<item><title>Two</title><link>%s/a/2.html</link><pubDate>Thu, 19 Nov 2026 09:00:00 MSK</pubDate></item></channel></rss>`,
			r.URL.Path, srv.URL, srv.URL)
	}))
	defer srv.Close()
	list := make([]Source, feeds)
	for i := range list {
		list[i] = Source{ID: "f" + strconv.Itoa(i), URL: srv.URL + "/feed/" + strconv.Itoa(i) + ".xml"}
	}
	ns := natstest.Start(b)
	target := natstest.Target{Name: "embedded", URL: ns.ClientURL()}

	var elapsed time.Duration
	var peakHeap, peakRSS uint64
	for b.Loop() {
		bus := natstest.Connect(b, target)
		// The stage loop's metrics on a registry of their own: counting the
		// polls must not gather the 100,000-odd per-source series.
		reg, stageReg := prometheus.NewRegistry(), prometheus.NewRegistry()
		f, err := New(bus, Config{
			Sources: list, PollInterval: time.Hour, PerHostDelay: -1, PerHostConcurrency: 64, Workers: 64,
			FeedWorkers: 64, IgnoreRobots: true, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		}, reg, stage.NewMetrics(stageReg), quietLog())
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		debug.FreeOSMemory()
		resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // sample the heap while the polls run
			defer wg.Done()
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				peakHeap = max(peakHeap, ms.HeapInuse)
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- f.Run(ctx) }()
		for polled(b, stageReg) < feeds {
			time.Sleep(20 * time.Millisecond)
		}
		elapsed += time.Since(start)
		close(stop)
		wg.Wait()
		if resetPeak {
			peakRSS = max(peakRSS, vmHWM())
		}
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(feeds*b.N)/elapsed.Seconds(), "feeds/s")
	b.ReportMetric(float64(peakHeap)/(1<<20), "MiB-peak-heap")
	if peakRSS > 0 {
		b.ReportMetric(float64(peakRSS)/(1<<20), "MiB-peak-RSS")
	}
}

// polled sums the feed stage's handled messages.
func polled(b *testing.B, g prometheus.Gatherer) int {
	mfs, err := g.Gather()
	if err != nil {
		b.Fatal(err)
	}
	n := 0.0
	for _, mf := range mfs {
		if mf.GetName() != "newspipe_stage_messages_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			feed, ok := false, false
			for _, l := range m.GetLabel() {
				feed = feed || l.GetName() == "stage" && l.GetValue() == "feed"
				ok = ok || l.GetName() == "outcome" && l.GetValue() == "ok"
			}
			if feed && ok {
				n += m.GetCounter().GetValue()
			}
		}
	}
	return int(n)
}

// vmHWM is the process's peak resident set, in bytes, or 0.
func vmHWM() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
