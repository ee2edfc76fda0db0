package fetcher

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/bus"
	"github.com/newspipe/newspipe/pkg/events"
	"github.com/newspipe/newspipe/pkg/natstest"
	"github.com/newspipe/newspipe/pkg/stage"
	"github.com/newspipe/newspipe/pkg/topology"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// site is a news site on loopback: one RSS feed (with an ETag that changes
// when the item list does) and its article pages.
type site struct {
	srv      *httptest.Server
	mu       sync.Mutex
	items    []string // paths listed in the feed, newest first
	feedHits atomic.Int32
	bigBody  string
}

func newSite(t *testing.T) *site {
	s := &site{items: []string{"/a/small.html", "/a/big.html", "/a/missing.html"}}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>A long invented report</title></head><body><article>\n")
	for i := 0; b.Len() < 40<<10; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of an invented report written for the fetcher's tests.</p>\n", i)
	}
	b.WriteString("</article></body></html>\n")
	s.bigBody = b.String()

	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.feedHits.Add(1)
		s.mu.Lock()
		items := append([]string(nil), s.items...)
		s.mu.Unlock()
		etag := fmt.Sprintf(`"%d"`, len(items))
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", etag)
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test wire</title>`)
		for i, p := range items {
			fmt.Fprintf(w, `<item><title>Story %s</title><link>%s%s?utm_source=rss</link><description>About %s</description><pubDate>Thu, 19 Nov 2026 0%d:00:00 GMT</pubDate><author>desk@test.example (Test Desk)</author></item>`,
				p, s.srv.URL, p, p, i)
		}
		// The first story again, without tracking: the same article id.
		fmt.Fprintf(w, `<item><title>Duplicate</title><link>%s%s</link></item>`, s.srv.URL, items[0])
		fmt.Fprint(w, `</channel></rss>`)
	})
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, body)
		}
	}
	mux.HandleFunc("/a/small.html", page("<html><body><p>Small invented page.</p></body></html>"))
	mux.HandleFunc("/a/new.html", page("<html><body><p>A later invented page.</p></body></html>"))
	mux.HandleFunc("/a/big.html", page(s.bigBody))
	mux.HandleFunc("/status/500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	// /a/missing.html and /robots.txt are 404s.
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) add(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append([]string{path}, s.items...)
}

func (s *site) id(t *testing.T, path string) string {
	t.Helper()
	id, _, err := articleid.ID(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// start runs a Fetcher on b until the test ends.
func start(t *testing.T, b *bus.Bus, cfg Config) *Fetcher {
	t.Helper()
	reg := prometheus.NewRegistry()
	if cfg.PerHostDelay == 0 {
		cfg.PerHostDelay = -1
	}
	if cfg.AllowCIDRs == nil {
		cfg.AllowCIDRs = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	}
	if cfg.MaxDeliver == 0 {
		cfg.MaxDeliver, cfg.Backoff = 2, []time.Duration{50 * time.Millisecond}
	}
	f, err := New(b, cfg, reg, stage.NewMetrics(reg), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	waitFor(t, "the fetcher to open its buckets", f.opened.Load)
	return f
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func publishFeedJob(t *testing.T, b *bus.Bus, s Source, msgID string) {
	t.Helper()
	data, h, err := events.Marshal(&newspipev1.FeedJob{SourceId: s.ID, FeedUrl: s.URL, ScheduledAt: timestamppb.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Publish(ctx, bus.Message{Subject: b.Topology().FeedJobs(), MsgID: msgID, Header: h, Data: data}); err != nil {
		t.Fatal(err)
	}
}

func decodeRaw(t *testing.T, d *bus.Delivery) *newspipev1.RawArticle {
	t.Helper()
	var raw newspipev1.RawArticle
	if err := events.Unmarshal(d.Data, d.Header(events.HeaderType), &raw); err != nil {
		t.Fatal(err)
	}
	return &raw
}

func TestFetcher(t *testing.T) {
	for _, tg := range natstest.Targets(t) {
		t.Run(tg.Name, func(t *testing.T) {
			b := natstest.Connect(t, tg)
			topo := b.Topology()
			st := newSite(t)
			src := Source{ID: "testwire", Name: "Test wire", URL: st.srv.URL + "/feed.xml", Lang: "en"}
			dead := Source{ID: "deadwire", URL: st.srv.URL + "/status/500"}
			// The scheduler publishes the first poll of each source at start.
			f := start(t, b, Config{Sources: []Source{src, dead}, PollInterval: time.Hour})
			m := f.metrics
			polls := func(source, status string) float64 {
				return testutil.ToFloat64(m.polls.WithLabelValues(source, status))
			}

			// First poll: the two good pages arrive as RawArticles, once each.
			raws := natstest.Collect(t, b, topo.AllRaw(), 2, 20*time.Second)
			if len(raws) != 2 {
				t.Fatalf("got %d RawArticles, want 2", len(raws))
			}
			byID := map[string]*newspipev1.RawArticle{}
			for _, d := range raws {
				if d.Subject != topo.Raw("testwire") {
					t.Errorf("RawArticle on %s, want %s", d.Subject, topo.Raw("testwire"))
				}
				raw := decodeRaw(t, d)
				if d.Header(events.HeaderArticleID) != raw.Id {
					t.Errorf("header article id %q, event id %q", d.Header(events.HeaderArticleID), raw.Id)
				}
				byID[raw.Id] = raw
			}
			small, big := byID[st.id(t, "/a/small.html")], byID[st.id(t, "/a/big.html")]
			if small == nil || big == nil {
				t.Fatalf("RawArticle ids %v, want those of small.html and big.html", keys(byID))
			}
			for _, c := range []struct {
				raw      *newspipev1.RawArticle
				path     string
				encoding newspipev1.BodyEncoding
				body     string
			}{
				{small, "/a/small.html", newspipev1.BodyEncoding_BODY_ENCODING_IDENTITY, "<html><body><p>Small invented page.</p></body></html>"},
				{big, "/a/big.html", newspipev1.BodyEncoding_BODY_ENCODING_GZIP, st.bigBody},
			} {
				r := c.raw
				if r.BodyEncoding != c.encoding || r.BodySize != int64(len(c.body)) {
					t.Errorf("%s: encoding %v size %d, want %v %d", c.path, r.BodyEncoding, r.BodySize, c.encoding, len(c.body))
				}
				body, err := events.DecodeBody(r, 1<<20)
				if err != nil || string(body) != c.body {
					t.Errorf("%s: body does not round-trip (err %v)", c.path, err)
				}
				if r.CanonicalUrl != st.srv.URL+c.path || r.Url != st.srv.URL+c.path+"?utm_source=rss" {
					t.Errorf("%s: url %q canonical %q", c.path, r.Url, r.CanonicalUrl)
				}
				if r.SourceId != "testwire" || r.SourceLang != "en" || r.HttpStatus != 200 ||
					r.ContentType != "text/html" || r.Charset != "utf-8" || r.FeedTitle != "Story "+c.path ||
					r.FeedSummary != "About "+c.path || r.PublishedAt == nil || r.FetchedAt == nil {
					t.Errorf("%s: fields %+v", c.path, r)
				}
			}

			// The missing page is dead-lettered once, and counted.
			dlq := natstest.Collect(t, b, topo.DLQ(topology.StageFetch), 1, 20*time.Second)
			if len(dlq) != 1 {
				t.Fatalf("got %d DLQ entries, want 1", len(dlq))
			}
			if e := dlq[0].Header(events.HeaderDLQError); !strings.Contains(e, "404") {
				t.Errorf("DLQ error %q does not give the status", e)
			}
			waitFor(t, "the 404 to be counted", func() bool {
				return testutil.ToFloat64(m.fetches.WithLabelValues("testwire", "http_4xx")) == 1
			})

			// The failing feed is counted, visible, and not dead-lettered.
			waitFor(t, "the dead feed's error", func() bool { return polls("deadwire", "http_5xx") == 1 })
			if v := testutil.ToFloat64(m.feedErrors.WithLabelValues("deadwire")); v != 1 {
				t.Errorf("feed_errors_total{deadwire} = %v, want 1", v)
			}
			if v := testutil.ToFloat64(m.feedUp.WithLabelValues("deadwire")); v != 0 {
				t.Errorf("feed_up{deadwire} = %v, want 0", v)
			}

			// Second poll: the feed has not changed, the stored ETag gets a 304.
			publishFeedJob(t, b, src, "test-poll-2")
			waitFor(t, "the second poll", func() bool { return polls("testwire", "not_modified") == 1 })

			// Third poll: one new item; only it is fetched, the rest is seen
			// (including the refused page: no second DLQ entry).
			st.add("/a/new.html")
			publishFeedJob(t, b, src, "test-poll-3")
			waitFor(t, "the third poll", func() bool { return polls("testwire", "ok") == 2 })
			raws = natstest.Collect(t, b, topo.AllRaw(), 4, 3*time.Second)
			if len(raws) != 3 {
				t.Fatalf("after the third poll: %d RawArticles in the stream, want 3", len(raws))
			}
			if id := decodeRaw(t, raws[2]).Id; id != st.id(t, "/a/new.html") {
				t.Errorf("third RawArticle is %s, want new.html's id", id)
			}
			if v := testutil.ToFloat64(m.skippedSeen.WithLabelValues("testwire")); v != 3 {
				t.Errorf("skipped_seen_total = %v, want 3 (small, big, missing)", v)
			}
			if v := testutil.ToFloat64(m.newItems.WithLabelValues("testwire")); v != 4 {
				t.Errorf("new_items_total = %v, want 4 (3 first, 1 later)", v)
			}
			if n := len(natstest.Collect(t, b, topo.DLQ(topology.StageFetch), 2, time.Second)); n != 1 {
				t.Errorf("%d DLQ entries after the third poll, want still 1", n)
			}
			if n := len(natstest.Collect(t, b, topo.DLQ(topology.StageFeed), 1, 500*time.Millisecond)); n != 0 {
				t.Errorf("%d feed DLQ entries, want 0: a failing feed is not dead-lettered", n)
			}

			// Each source's outcome is in GET /api/sources and on /sources.
			api := httptest.NewServer(f.Handler())
			defer api.Close()
			var got struct {
				Sources []sourceJSON `json:"sources"`
			}
			getJSON(t, api.URL+"/api/sources", &got)
			sources := map[string]sourceJSON{}
			for _, s := range got.Sources {
				sources[s.ID] = s
			}
			if s := sources["testwire"]; s.Status != "ok" || s.ItemsSeen != 4 || s.LastSuccess == nil || s.ConsecutiveErrors != 0 || s.Kind != "feed" || s.LastNewItem == nil {
				t.Errorf("testwire in /api/sources: %+v", s)
			}
			if s := sources["deadwire"]; s.Status != "failing" || s.LastErrorKind != "http_5xx" || s.ConsecutiveErrors != 1 || s.LastSuccess != nil || !strings.Contains(s.LastError, "500") {
				t.Errorf("deadwire in /api/sources: %+v", s)
			}
			page := getBody(t, api.URL+"/fetcher/sources")
			if !strings.Contains(page, "deadwire") || !strings.Contains(page, "http_5xx") || !strings.Contains(page, `class="failing"`) {
				t.Errorf("/fetcher/sources does not show the failing source:\n%s", page)
			}
		})
	}
}

// TestSeenIsIgnoredOnRedelivery checks the half of the seen guarantee that
// the component test cannot provoke: a seen mark stored without its
// RawArticle does not stop a redelivered job.
func TestSeenIsIgnoredOnRedelivery(t *testing.T) {
	tg := natstest.Targets(t)[0]
	b := natstest.Connect(t, tg)
	st := newSite(t)
	f, err := New(b, Config{PerHostDelay: -1, AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}, prometheus.NewRegistry(), stage.NewMetrics(prometheus.NewRegistry()), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if f.seen, err = b.KV(ctx, topology.BucketSeen, f.cfg.SeenTTL); err != nil {
		t.Fatal(err)
	}
	id, canonical, _ := articleid.ID(st.srv.URL + "/a/small.html")
	if err := f.seen.Put(ctx, id, []byte(seenPublished)); err != nil {
		t.Fatal(err)
	}
	data, h, _ := events.Marshal(&newspipev1.ArticleJob{Id: id, Url: canonical, CanonicalUrl: canonical, SourceId: "testwire"})
	tests := []struct {
		delivered int
		wantOuts  int
	}{
		{1, 0}, // first delivery of a seen id: skipped
		{2, 2}, // redelivery: fetched again, RawArticle + seen write
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("delivered %d", tt.delivered), func(t *testing.T) {
			outs, err := f.handleArticleJob(ctx, &stage.Message{Subject: b.Topology().ArticleJobs(), Data: data, Header: h, Delivered: tt.delivered})
			if err != nil {
				t.Fatal(err)
			}
			if len(outs) != tt.wantOuts {
				t.Fatalf("got %d outputs, want %d", len(outs), tt.wantOuts)
			}
			if tt.wantOuts == 2 {
				if outs[0].Subject != b.Topology().Raw("testwire") || outs[0].MsgID != "raw:"+id {
					t.Errorf("first output %s %s, want the RawArticle", outs[0].Subject, outs[0].MsgID)
				}
				if outs[1].MsgID != "seen:"+id || !strings.HasSuffix(outs[1].Subject, "."+id) {
					t.Errorf("second output %s %s, want the seen write", outs[1].Subject, outs[1].MsgID)
				}
			}
		})
	}
}

// TestSeenWriteLandsInBucket checks that a seen write returned as an output
// and published like any event is what KV.Get then reads.
func TestSeenWriteLandsInBucket(t *testing.T) {
	b := natstest.Connect(t, natstest.Targets(t)[0])
	ctx := context.Background()
	kv, err := b.KV(ctx, topology.BucketSeen, DefaultSeenTTL)
	if err != nil {
		t.Fatal(err)
	}
	const id = "0123456789abcdef0123456789abcdef"
	if _, err := kv.Get(ctx, id); err != bus.ErrKeyNotFound {
		t.Fatalf("Get before the write = %v, want ErrKeyNotFound", err)
	}
	m := bus.KVPutMessage(b.Topology(), topology.BucketSeen, id, []byte("raw x"), "seen:"+id)
	if err := b.PublishAll(ctx, []bus.Message{m, m}); err != nil {
		t.Fatal(err)
	}
	v, err := kv.Get(ctx, id)
	if err != nil || string(v) != "raw x" {
		t.Fatalf("Get = %q, %v; want the published value", v, err)
	}
}

// TestReplicasScheduleEachSlotOnce runs two replicas; both schedule the
// current slot at start, and the feed is polled once.
func TestReplicasScheduleEachSlotOnce(t *testing.T) {
	b := natstest.Connect(t, natstest.Targets(t)[0])
	st := newSite(t)
	src := Source{ID: "testwire", URL: st.srv.URL + "/feed.xml"}
	cfg := Config{Sources: []Source{src}, PollInterval: time.Hour}
	f1, f2 := start(t, b, cfg), start(t, b, cfg)
	scheduled := func(f *Fetcher) float64 { return testutil.ToFloat64(f.metrics.scheduled.WithLabelValues("testwire")) }
	waitFor(t, "both replicas to schedule", func() bool { return scheduled(f1) == 1 && scheduled(f2) == 1 })
	if got := natstest.Collect(t, b, b.Topology().AllRaw(), 2, 20*time.Second); len(got) != 2 {
		t.Fatalf("got %d RawArticles, want 2", len(got))
	}
	// A second FeedJob, had the server not deduplicated it, would be
	// polled as soon as the first: give it time to show up.
	time.Sleep(time.Second)
	if n := st.feedHits.Load(); n != 1 {
		t.Fatalf("feed requested %d times by two replicas, want 1", n)
	}
}

func TestNewRejectsBadSources(t *testing.T) {
	b := natstest.Connect(t, natstest.Targets(t)[0])
	_, err := New(b, Config{Sources: []Source{{ID: "a", URL: "https://a.test/f"}, {ID: "a", URL: "https://b.test/f"}}},
		prometheus.NewRegistry(), stage.NewMetrics(prometheus.NewRegistry()), quietLog())
	if err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Fatalf("New with duplicate ids = %v", err)
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	b := natstest.Connect(t, natstest.Targets(t)[0])
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{JobsInHand: 1000}, "JOBS_IN_HAND 1000"},
		{Config{FeedWorkers: 300}, "FEED_WORKERS 300"},
		{Config{Contact: "me (really)"}, "User-Agent"},
	} {
		_, err := New(b, c.cfg, prometheus.NewRegistry(), stage.NewMetrics(prometheus.NewRegistry()), quietLog())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", c.cfg, err, c.want)
		}
	}
	if ua := UserAgent("1.2", "mailto:crawler@example.org"); ua != "newspipe/1.2 (+mailto:crawler@example.org)" {
		t.Errorf("UserAgent = %q", ua)
	}
}

func TestLoadSources(t *testing.T) {
	list, err := LoadSources("")
	if err != nil || len(list) < 20 {
		t.Fatalf("LoadSources(\"\") = %d sources, %v; want the embedded list", len(list), err)
	}
	if _, err := LoadSources("/nonexistent/sources.yaml"); err == nil {
		t.Fatal("LoadSources of a missing file succeeded")
	}
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(getBody(t, url)), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
