package fetcher

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newspipe/newspipe/pkg/natstest"
)

// countingSite serves a feed of n items on its own loopback address, and
// the items' pages, counting the requests for each page.
type countingSite struct {
	url  string
	mu   sync.Mutex
	hits map[string]int
}

func newCountingSite(t *testing.T, ip string, n int) *countingSite {
	t.Helper()
	cs := &countingSite{hits: map[string]int{}}
	var feed []byte
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(feed)
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.hits[r.URL.Path]++
		cs.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body><p>An invented article.</p></body></html>", r.URL.Path)
	})
	srv := serveOn(t, ip, mux)
	cs.url = srv.URL
	var b strings.Builder
	b.Grow(n * 64)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Counting wire</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>%d</title><link>%s/a/%d.html</link></item>\n", i, srv.URL, i)
	}
	b.WriteString(`</channel></rss>`)
	feed = []byte(b.String())
	return cs
}

// pages returns how many pages were requested and the most any one was.
func (cs *countingSite) pages() (total, most int) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, n := range cs.hits {
		total += n
		most = max(most, n)
	}
	return total, most
}

// TestHugeFeedBesideSmallOne: a feed of 100,000 items and a feed of five,
// on two hosts, each host polite (20 ms between requests). The huge feed is
// polled first, and may queue only its backlog's worth; the small feed,
// polled once that is queued, has its articles within a minute, not after
// the huge feed's (and not even after its first batch: the jobs wait at
// their own host); a second poll of the huge feed queues the next batch
// without sending the first again.
func TestHugeFeedBesideSmallOne(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000-item feed")
	}
	huge := newCountingSite(t, "127.0.0.2", 100_000)
	small := newCountingSite(t, "127.0.0.3", 5)
	b := natstest.Connect(t, natstest.Targets(t)[0])
	topo := b.Topology()
	hugeSrc := Source{ID: "huge", URL: huge.url + "/feed.xml"}
	smallSrc := Source{ID: "small", URL: small.url + "/feed.xml"}
	f := start(t, b, Config{
		Sources: []Source{hugeSrc, smallSrc}, PollInterval: time.Hour, PerHostDelay: 20 * time.Millisecond,
		MaxBacklog: 100, MaxFeedBytes: 32 << 20, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		DisableScheduler: true,
	})
	backlog := func() float64 { return testutil.ToFloat64(f.metrics.backlog.WithLabelValues("huge")) }
	publishFeedJob(t, b, hugeSrc, "huge-poll-1")
	waitFor(t, "the huge feed's first batch to be queued", func() bool { return backlog() == 100 })
	pagesBefore, _ := huge.pages()

	began := time.Now()
	publishFeedJob(t, b, smallSrc, "small-poll-1")
	got := natstest.Collect(t, b, topo.Raw("small"), 5, time.Minute)
	if len(got) != 5 {
		t.Fatalf("%d of the small feed's 5 articles arrived within a minute of its poll", len(got))
	}
	pagesAfter, _ := huge.pages()
	t.Logf("the small feed's 5 articles arrived %s after its poll; meanwhile the huge host served %d pages (%d before)",
		time.Since(began).Round(time.Millisecond), pagesAfter-pagesBefore, pagesBefore)

	waitFor(t, "the huge feed's first batch", func() bool { n, _ := huge.pages(); return n >= 100 })
	if d := testutil.ToFloat64(f.metrics.deferred.WithLabelValues("huge")); d != 100_000-100 {
		t.Errorf("deferred items of the huge feed = %v, want %d", d, 100_000-100)
	}
	if v := backlog(); v != 100 {
		t.Errorf("backlog gauge after the first poll = %v, want 100", v)
	}
	time.Sleep(300 * time.Millisecond) // room for a 101st request, had there been a 101st job
	if n, most := huge.pages(); n != 100 || most != 1 {
		t.Fatalf("after one poll: %d page requests on the huge host (most %d for one page), want 100 once each", n, most)
	}

	// The second poll finds the first 100 done: they leave the backlog,
	// are not queued again, and the next 100 are.
	publishFeedJob(t, b, hugeSrc, "huge-poll-2")
	waitFor(t, "the second batch", func() bool { n, _ := huge.pages(); return n >= 200 })
	time.Sleep(300 * time.Millisecond)
	if n, most := huge.pages(); n != 200 || most != 1 {
		t.Fatalf("after two polls: %d page requests (most %d for one page), want 200 once each", n, most)
	}
	if v := testutil.ToFloat64(f.metrics.newItems.WithLabelValues("huge")); v != 200 {
		t.Errorf("new items of the huge feed = %v, want 200", v)
	}
	if n, most := small.pages(); n != 5 || most != 1 {
		t.Errorf("small host: %d page requests (most %d), want 5 once each", n, most)
	}
}
