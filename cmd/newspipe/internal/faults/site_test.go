package faults_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newspipe/newspipe/cmd/newspipe/internal/demosite"
)

// site is the local news site a scenario's fetcher polls: the demo site (26
// pages, six signed deals, five languages and charsets) and a filler outlet
// of off-beat local news that gives the stream its volume.
type site struct {
	srv         *httptest.Server
	sourcesFile string
	articles    int // distinct articles the feeds list
	deals       int // distinct agreements among them
}

func newSite(t *testing.T, filler int) *site {
	t.Helper()
	ds, err := demosite.New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := ds.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	expected, err := demosite.Expected()
	if err != nil {
		t.Fatal(err)
	}
	deals := map[string]bool{}
	for _, p := range expected {
		if p.Agreement {
			deals[p.AgreementEvent] = true
		}
	}
	published := time.Now().UTC().Add(-time.Hour)
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/filler/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, fillerFeed("http://"+r.Host, filler, published))
	})
	mux.HandleFunc("/filler/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/filler/"), ".html")
		i, err := strconv.Atoi(name)
		if err != nil || i < 0 || i >= filler {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, fillerPage(i, published.Add(-time.Duration(i)*time.Minute)))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var b strings.Builder
	b.WriteString("sources:\n")
	for _, s := range ds.Sources(srv.URL) {
		fmt.Fprintf(&b, "  - id: %s\n    name: %q\n    url: %s\n    lang: %s\n", s.ID, s.Name, s.URL, s.Lang)
	}
	fmt.Fprintf(&b, "  - id: harbour\n    name: Harbour Gazette\n    url: %s/filler/feed.xml\n    lang: en\n", srv.URL)
	file := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return &site{srv: srv, sourcesFile: file, articles: len(expected) + filler, deals: len(deals)}
}

func fillerFeed(base string, n int, published time.Time) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<rss version="2.0"><channel><title>Harbour Gazette</title><link>` + base + `/filler/</link><description>Local news</description>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s/filler/%d.html</link><guid>%s/filler/%d.html</guid><pubDate>%s</pubDate></item>\n",
			html.EscapeString(fillerTitle(i)), base, i, base, i, published.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// The words of the off-beat filler stories, shared with bench-e2e.
var places, subjects, sentences = demosite.FillerPlaces, demosite.FillerSubjects, demosite.FillerSentences

func fillerTitle(i int) string {
	return fmt.Sprintf("%s: update %d on %s", places[i%len(places)], i, subjects[(i/len(places))%len(subjects)])
}

// fillerPage is an off-beat local news article of a few kilobytes, with the
// chrome of a small outlet, different in every page.
func fillerPage(i int, published time.Time) string {
	place, subject := places[i%len(places)], subjects[(i/len(places))%len(subjects)]
	var body strings.Builder
	for p := range 6 {
		body.WriteString("<p>")
		for s := range 3 {
			k := (i*7 + p*3 + s*5) % len(sentences)
			fmt.Fprintf(&body, sentences[k]+" ", place, subject, 40+(i*13+p*7+s)%900, 1990+(i+p)%30, 5+(i+s)%20)
		}
		body.WriteString("</p>\n")
	}
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + html.EscapeString(fillerTitle(i)) + ` | Harbour Gazette</title>
<meta property="article:published_time" content="` + published.Format(time.RFC3339) + `"></head>
<body><header><a href="/filler/">Harbour Gazette</a><nav><a href="/filler/news">News</a> <a href="/filler/sport">Sport</a> <a href="/filler/weather">Weather</a></nav></header>
<main><article><h1>` + html.EscapeString(fillerTitle(i)) + `</h1><p class="byline">By our local reporter</p>
` + body.String() + `</article>
<aside><h2>Most read</h2><ul><li><a href="/filler/1.html">Ferry delays expected</a></li><li><a href="/filler/2.html">Regatta results</a></li></ul></aside></main>
<footer>© 2026 Harbour Gazette · <a href="/filler/privacy">Privacy</a></footer></body></html>`
}
