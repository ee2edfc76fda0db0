package poll

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/section"
	"github.com/newspipe/newspipe/services/fetcher/internal/sitemap"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	w.Close()
	return b.Bytes()
}

func TestPollSitemaps(t *testing.T) {
	now := time.Now().UTC()
	day := func(d int) string { return now.AddDate(0, 0, -d).Format(time.RFC3339) }
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/news.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%[1]s/a/older.html</loc><news:news><news:publication_date>%[2]s</news:publication_date><news:title>Older</news:title></news:news></url>
<url><loc>%[1]s/a/newer.html</loc><news:news><news:publication_date>%[3]s</news:publication_date><news:title>Newer &amp; better</news:title></news:news></url>
</urlset>`, srv.URL, day(1), day(0))
	})
	mux.HandleFunc("/index.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/archive-2019.xml</loc><lastmod>2019-01-31</lastmod></sitemap>
<sitemap><loc>%[1]s/recent.xml.gz</loc><lastmod>%[2]s</lastmod></sitemap>
<sitemap><loc>%[1]s/pages.xml</loc><lastmod>%[3]s</lastmod></sitemap>
</sitemapindex>`, srv.URL, day(0), day(1))
	})
	mux.HandleFunc("/recent.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz(fmt.Sprintf(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/a/recent.html</loc><lastmod>%s</lastmod></url><url><loc>%s/a/stale.html</loc><lastmod>%s</lastmod></url></urlset>`,
			srv.URL, day(0), srv.URL, day(30))))
	})
	mux.HandleFunc("/pages.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/a/undated.html</loc></url></urlset>`, srv.URL)
	})
	mux.HandleFunc("/archive-2019.xml", func(w http.ResponseWriter, r *http.Request) {
		t.Error("the oldest child sitemap was read, although only the two newest are")
	})
	mux.HandleFunc("/feed-not-sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<rss version="2.0"><channel></channel></rss>`)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := New(client(2*time.Second), Config{MaxChildSitemaps: 2})
	links := func(res Result) string {
		var s []string
		for _, it := range res.Items {
			s = append(s, strings.TrimPrefix(it.Link, srv.URL)+"|"+it.Title)
		}
		return strings.Join(s, " ")
	}

	res, err := p.Poll(context.Background(), sources.Source{ID: "news", Kind: sources.KindSitemap, URL: srv.URL + "/news.xml"}, State{})
	if err != nil || links(res) != "/a/newer.html|Newer & better /a/older.html|Older" || res.Items[0].Published.IsZero() {
		t.Fatalf("news sitemap: %q, %v", links(res), err)
	}
	again, err := p.Poll(context.Background(), sources.Source{ID: "news", Kind: sources.KindSitemap, URL: srv.URL + "/news.xml"}, res.State)
	if err != nil || !again.NotModified {
		t.Fatalf("unchanged news sitemap: NotModified %v, %v", again.NotModified, err)
	}

	res, err = p.Poll(context.Background(), sources.Source{ID: "idx", Kind: sources.KindSitemap, URL: srv.URL + "/index.xml"}, State{})
	if err != nil {
		t.Fatal(err)
	}
	// The two newest children: the gzipped one (its 30-day-old entry
	// dropped) and the undated one.
	if got := links(res); got != "/a/recent.html| /a/undated.html|" || res.Old != 1 {
		t.Fatalf("index: %q (old %d)", got, res.Old)
	}
	if res.State.ETag != "" || res.State.Fingerprint == "" {
		t.Errorf("index state %+v: want a fingerprint only", res.State)
	}
	again, err = p.Poll(context.Background(), sources.Source{ID: "idx", Kind: sources.KindSitemap, URL: srv.URL + "/index.xml"}, res.State)
	if err != nil || !again.NotModified {
		t.Fatalf("unchanged index and children: NotModified %v, %v", again.NotModified, err)
	}

	_, err = p.Poll(context.Background(), sources.Source{ID: "x", Kind: sources.KindSitemap, URL: srv.URL + "/feed-not-sitemap.xml"}, State{})
	if !errors.Is(err, sitemap.ErrNotSitemap) {
		t.Errorf("a feed polled as a sitemap: %v, want ErrNotSitemap", err)
	}
}

func TestPollSection(t *testing.T) {
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	page := fmt.Sprintf(`<html><head><meta charset="windows-1251"></head><body><nav><a href="/">Home</a></nav>
<div class="news"><h3><a href="/tech/1.html">%s</a></h3><h3><a href="/tech/2.html">Two</a></h3></div></body></html>`, "\xd1\xef\xf3\xf2\xed\xe8\xea") // "Спутник" in windows-1251
	mux.HandleFunc("/tech/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	})
	mux.HandleFunc("/private/tech/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := fetch.New(fetch.Config{UserAgent: "newspipe/test", PerHostDelay: -1, Guard: guard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})})
	p := New(c, Config{})

	res, err := p.Poll(context.Background(), sources.Source{ID: "s", Kind: sources.KindSection, URL: srv.URL + "/tech/", Selector: ".news h3 a"}, State{})
	if err != nil || len(res.Items) != 2 || res.Items[0].Link != srv.URL+"/tech/1.html" || res.Items[0].Title != "Спутник" {
		t.Fatalf("section: %+v, %v", res.Items, err)
	}
	if _, err := p.Poll(context.Background(), sources.Source{ID: "s", Kind: sources.KindSection, URL: srv.URL + "/tech/", Selector: ".teaser a"}, State{}); !errors.Is(err, section.ErrNoLinks) {
		t.Errorf("selector matching nothing: %v, want ErrNoLinks", err)
	}
	if _, err := p.Poll(context.Background(), sources.Source{ID: "s", Kind: sources.KindSection, URL: srv.URL + "/private/tech/", Selector: "h3 a"}, State{}); !errors.Is(err, fetch.ErrDisallowed) {
		t.Errorf("section page robots.txt disallows: %v, want ErrDisallowed", err)
	}
}
