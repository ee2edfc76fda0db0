package fetcher

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/newspipe/newspipe/pkg/articleid"
	"github.com/newspipe/newspipe/pkg/natstest"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Titles written for these tests.
const (
	ruTitle = "Российские и китайские инженеры подписали соглашение о спутниковой связи"
	zhTitle = "中俄工程师签署卫星通信联合研发协议"
)

func encodeAs(t *testing.T, label, s string) string {
	t.Helper()
	enc, err := htmlindex.Get(label)
	if err != nil {
		t.Fatal(err)
	}
	b, err := enc.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFeedsThatLie: feeds that misstate their charset, carry control
// characters and bare ampersands, reuse and edit GUIDs, and pages that say
// they are another URL's copy. Each article arrives once, under the right
// id, with its title read right.
func TestFeedsThatLie(t *testing.T) {
	var srv *httptest.Server
	var guidPoll atomic.Int32
	var mu sync.Mutex
	pageHits := map[string]int{}
	mux := http.NewServeMux()
	rss := func(w http.ResponseWriter, ctype, decl, items string) {
		w.Header().Set("Content-Type", ctype)
		fmt.Fprintf(w, `<?xml version="1.0"%s?><rss version="2.0"><channel><title>Lying wire</title>%s</channel></rss>`, decl, items)
	}
	mux.HandleFunc("/cp1251.xml", func(w http.ResponseWriter, r *http.Request) {
		rss(w, "application/rss+xml; charset=utf-8", ` encoding="UTF-8"`,
			encodeAs(t, "windows-1251", fmt.Sprintf(`<item><title>%s</title><link>%s/a/ru.html</link></item>`, ruTitle, srv.URL)))
	})
	mux.HandleFunc("/gb2312.xml", func(w http.ResponseWriter, r *http.Request) {
		rss(w, "application/xml", ` encoding="gb2312"`,
			encodeAs(t, "gb2312", fmt.Sprintf(`<item><title>%s</title><link>%s/a/zh.html</link></item>`, zhTitle, srv.URL)))
	})
	mux.HandleFunc("/control.xml", func(w http.ResponseWriter, r *http.Request) {
		rss(w, "text/xml", "", fmt.Sprintf("<item><title>AT&T and\x01 Rostelecom\x0b sign</title><link>%s/a/ctl.html?a=1&b=2</link></item>", srv.URL))
	})
	mux.HandleFunc("/guids.xml", func(w http.ResponseWriter, r *http.Request) {
		items := fmt.Sprintf(`<item><title>G1</title><link>%[1]s/a/g1.html</link><guid isPermaLink="false">x</guid></item>
<item><title>G2</title><link>%[1]s/a/g2.html</link><guid isPermaLink="false">x</guid></item>`, srv.URL)
		switch guidPoll.Add(1) {
		case 1: // two items share one GUID
		case 2: // both GUIDs edited, one link given a tracking parameter
			items = fmt.Sprintf(`<item><title>G1 (edited)</title><link>%[1]s/a/g1.html?utm_source=rss&amp;utm_medium=feed</link><guid isPermaLink="false">x-2</guid></item>
<item><title>G2</title><link>%[1]s/a/g2.html</link><guid isPermaLink="false">y</guid></item>`, srv.URL)
		default: // a new item reuses an old GUID
			items += fmt.Sprintf(`<item><title>G3</title><link>%s/a/g3.html</link><guid isPermaLink="false">x</guid></item>`, srv.URL)
		}
		rss(w, "application/rss+xml", "", items)
	})
	mux.HandleFunc("/canonical.xml", func(w http.ResponseWriter, r *http.Request) {
		rss(w, "application/rss+xml", "", fmt.Sprintf(`<item><title>AMP copy</title><link>%[1]s/amp/story.html</link></item>
<item><title>The story</title><link>%[1]s/news/story.html?utm_source=rss</link></item>
<item><title>Claims another site</title><link>%[1]s/news/other.html</link></item>`, srv.URL))
	})
	page := func(head string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			pageHits[r.URL.Path]++
			mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><head>%s<title>%s</title></head><body><p>An invented article.</p></body></html>", head, r.URL.Path)
		}
	}
	for _, p := range []string{"/a/ru.html", "/a/zh.html", "/a/ctl.html", "/a/g1.html", "/a/g2.html", "/a/g3.html", "/news/story.html"} {
		mux.HandleFunc(p, page(""))
	}
	mux.HandleFunc("/amp/story.html", func(w http.ResponseWriter, r *http.Request) {
		page(`<link rel="canonical" href="/news/story.html">`)(w, r)
	})
	mux.HandleFunc("/news/other.html", func(w http.ResponseWriter, r *http.Request) {
		page(`<link rel="canonical" href="https://aggregator.example/news/other.html">`)(w, r)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := natstest.Connect(t, natstest.Targets(t)[0])
	topo := b.Topology()
	guids := Source{ID: "guids", URL: srv.URL + "/guids.xml"}
	list := []Source{
		{ID: "cp1251", URL: srv.URL + "/cp1251.xml", Lang: "ru"},
		{ID: "gb2312", URL: srv.URL + "/gb2312.xml", Lang: "zh"},
		{ID: "control", URL: srv.URL + "/control.xml"},
		guids,
		{ID: "canonical", URL: srv.URL + "/canonical.xml"},
	}
	f := start(t, b, Config{Sources: list, PollInterval: time.Hour})

	raws := map[string]*newspipev1.RawArticle{}
	for _, d := range natstest.Collect(t, b, topo.AllRaw(), 7, 20*time.Second) {
		raw := decodeRaw(t, d)
		if raws[raw.Id] != nil {
			t.Errorf("article %s (%s) published twice", raw.Id, raw.Url)
		}
		raws[raw.Id] = raw
	}
	byPath := func(path string) *newspipev1.RawArticle {
		id, _, _ := articleid.ID(srv.URL + path)
		return raws[id]
	}
	for _, c := range []struct{ path, title string }{
		{"/a/ru.html", ruTitle},
		{"/a/zh.html", zhTitle},
		{"/a/ctl.html?a=1&b=2", "AT&T and Rostelecom sign"},
		{"/a/g1.html", "G1"},
		{"/a/g2.html", "G2"},
		{"/news/story.html", ""}, // either copy's title, whichever came first
		{"/news/other.html", "Claims another site"},
	} {
		raw := byPath(c.path)
		if raw == nil {
			t.Errorf("%s: no RawArticle (got %d: %v)", c.path, len(raws), keys(raws))
			continue
		}
		if c.title != "" && raw.FeedTitle != c.title {
			t.Errorf("%s: feed title %q, want %q", c.path, raw.FeedTitle, c.title)
		}
	}
	if raw := byPath("/news/story.html"); raw != nil && raw.CanonicalUrl != srv.URL+"/news/story.html" {
		t.Errorf("the story's canonical url is %q", raw.CanonicalUrl)
	}
	if n := len(raws); n != 7 {
		t.Errorf("%d articles, want 7 (the AMP copy is the story)", n)
	}
	for _, c := range []struct{ id, repair string }{{"cp1251", "charset"}, {"control", "control_chars"}, {"control", "ampersands"}} {
		if v := testutil.ToFloat64(f.metrics.mended.WithLabelValues(c.id, c.repair)); v != 1 {
			t.Errorf("documents_mended_total{%s,%s} = %v, want 1", c.id, c.repair, v)
		}
	}

	// The GUIDs are edited: nothing new. A new item reuses an old GUID: it
	// is new, and only it is fetched.
	publishFeedJob(t, b, guids, "guids-2")
	waitFor(t, "the second guids poll", func() bool { return guidPoll.Load() == 2 })
	publishFeedJob(t, b, guids, "guids-3")
	natstest.Collect(t, b, topo.Raw("guids"), 3, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // room for a fourth, had there been one
	got := natstest.Collect(t, b, topo.Raw("guids"), 4, time.Second)
	if len(got) != 3 {
		t.Fatalf("guids feed: %d RawArticles after three polls, want 3", len(got))
	}
	if raw := decodeRaw(t, got[2]); raw.FeedTitle != "G3" {
		t.Errorf("third article %q, want G3", raw.FeedTitle)
	}
	mu.Lock()
	defer mu.Unlock()
	for p, n := range pageHits {
		if n != 1 && !strings.HasPrefix(p, "/news/story") {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}
}
