package fetcher

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/newspipe/newspipe/pkg/natstest"
)

// TestSourceOutcomes: each kind of misbehaving source is an error outcome
// of its own, counted by source and shown in GET /api/sources, and none of
// them is taken for a healthy source with no news.
func TestSourceOutcomes(t *testing.T) {
	var srv *httptest.Server
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>An invented page.</p></body></html>")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/a/", page)
	mux.HandleFunc("/broken.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
<item><title>Readable</title><link>%s/a/readable.html</link></item>
<item><title>Unclosed<link>%s/a/lost.html</link></item></channel></rss>`, srv.URL, srv.URL)
	})
	mux.HandleFunc("/html.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body><h1>Welcome to our new website!</h1></body></html>")
	})
	mux.HandleFunc("/challenge.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, "<html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={};</script></body></html>")
	})
	mux.HandleFunc("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := natstest.Connect(t, natstest.Targets(t)[0])
	list := []Source{
		{ID: "broken", URL: srv.URL + "/broken.xml"},
		{ID: "html", URL: srv.URL + "/html.xml"},
		{ID: "challenge", URL: srv.URL + "/challenge.xml"},
		{ID: "busy", URL: srv.URL + "/busy.xml"},
	}
	f := start(t, b, Config{Sources: list, PollInterval: time.Hour})
	want := map[string]string{"broken": "malformed", "html": "not_feed", "challenge": "bot_wall", "busy": "http_429"}
	for id, class := range want {
		waitFor(t, id+"'s outcome", func() bool { return testutil.ToFloat64(f.metrics.polls.WithLabelValues(id, class)) == 1 })
		if v := testutil.ToFloat64(f.metrics.feedUp.WithLabelValues(id)); v != 0 {
			t.Errorf("feed_up{%s} = %v, want 0", id, v)
		}
		if v := testutil.ToFloat64(f.metrics.feedErrors.WithLabelValues(id)); v != 1 {
			t.Errorf("feed_errors_total{%s} = %v, want 1", id, v)
		}
	}
	// The broken feed's readable item is still fetched.
	if got := natstest.Collect(t, b, b.Topology().Raw("broken"), 1, 20*time.Second); len(got) != 1 {
		t.Fatalf("the broken feed's readable item: %d RawArticles, want 1", len(got))
	}

	api := httptest.NewServer(f.Handler())
	defer api.Close()
	var got struct {
		Sources []sourceJSON `json:"sources"`
	}
	getJSON(t, api.URL+"/api/sources", &got)
	if len(got.Sources) != len(want) {
		t.Fatalf("%d sources listed, want %d", len(got.Sources), len(want))
	}
	for _, s := range got.Sources {
		if s.Status != "failing" || s.LastErrorKind != want[s.ID] || s.LastSuccess != nil || s.LastError == "" {
			t.Errorf("%s: status %q, last error %q (%s), last success %v; want failing with %s", s.ID, s.Status, s.LastErrorKind, s.LastError, s.LastSuccess, want[s.ID])
		}
	}
}
