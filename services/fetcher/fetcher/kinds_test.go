package fetcher

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newspipe/newspipe/pkg/natstest"
)

// TestSitemapAndSectionSources: a Google News sitemap and a section page
// are sources like a feed: their articles arrive, with the sitemap's title
// and date.
func TestSitemapAndSectionSources(t *testing.T) {
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/sitemap-news.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%s/news/sat.html</loc><news:news><news:publication_date>%s</news:publication_date><news:title>Satellite deal</news:title></news:news></url>
</urlset>`, srv.URL, time.Now().UTC().Format(time.RFC3339))
	})
	mux.HandleFunc("/technology/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><nav><a href="/">Home</a></nav><ul class="list"><li><a href="/news/chip.html">Chip plant opens</a></li><li><a href="/news/quantum.html">Quantum link</a></li></ul></body></html>`)
	})
	mux.HandleFunc("/news/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>An invented article.</p></body></html>")
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := natstest.Connect(t, natstest.Targets(t)[0])
	topo := b.Topology()
	start(t, b, Config{PollInterval: time.Hour, Sources: []Source{
		{ID: "newsmap", Kind: "sitemap", URL: srv.URL + "/sitemap-news.xml"},
		{ID: "techpage", Kind: "section", URL: srv.URL + "/technology/", Selector: "ul.list a"},
	}})
	got := natstest.Collect(t, b, topo.Raw("newsmap"), 1, 20*time.Second)
	if len(got) != 1 {
		t.Fatalf("sitemap source: %d RawArticles, want 1", len(got))
	}
	if raw := decodeRaw(t, got[0]); raw.FeedTitle != "Satellite deal" || raw.PublishedAt == nil || raw.CanonicalUrl != srv.URL+"/news/sat.html" {
		t.Errorf("sitemap article: %+v", raw)
	}
	got = natstest.Collect(t, b, topo.Raw("techpage"), 2, 20*time.Second)
	if len(got) != 2 {
		t.Fatalf("section source: %d RawArticles, want 2", len(got))
	}
	titles := map[string]bool{}
	for _, d := range got {
		titles[decodeRaw(t, d).FeedTitle] = true
	}
	if !titles["Chip plant opens"] || !titles["Quantum link"] {
		t.Errorf("section article titles %v", titles)
	}
}
