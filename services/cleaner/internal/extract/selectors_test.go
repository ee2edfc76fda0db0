package extract

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/newspipe/newspipe/services/cleaner/internal/decode"
	"golang.org/x/net/html"
)

// articleBody is enough prose for content selection to find an article.
const articleBody = `<div class="story"><p>The port authority said on Monday that the new terminal, built with partners from two countries, would open in spring.</p>` +
	`<p>Officials added that the cranes, the rail spur and the customs post were ready, and that trials would start next month.</p>` +
	`<p>Workers at the site said the schedule was tight, but that the main contractors had kept to it so far, with few delays.</p></div>`

func TestMetadataLookups(t *testing.T) {
	page := func(head, before, after string) string {
		return "<!DOCTYPE html><html" + head + "<body>" + before + articleBody + after + "</body></html>"
	}
	tests := []struct {
		name string
		html string
		url  string
		want map[string]string // Article field -> value
	}{
		{
			name: "meta by property, name and itemprop",
			html: page(` lang="en"><head><title>Ignored | Site</title><meta property="og:title" content="Cranes ready at new terminal">`+
				`<meta name="author" content="Ada Byrne"><meta itemprop="datePublished" content="2025-04-01T08:00:00+02:00">`+
				`<meta property="og:site_name" content="Port Post"><meta property="og:image" content="/img/lead.jpg"></head>`, "", ""),
			url: "https://port.example/news/cranes",
			want: map[string]string{"title": "Cranes ready at new terminal", "byline": "Ada Byrne", "published": "2025-04-01T08:00:00+02:00",
				"site": "Port Post", "image": "https://port.example/img/lead.jpg", "canonical": "https://port.example/news/cranes", "lang": "en"},
		},
		{
			name: "canonical link in any case, first with an href wins",
			html: page(`><head><link rel="Canonical" href=" "><link rel="CANONICAL" href="https://port.example/a/1"><link rel="canonical" href="https://port.example/a/2"></head>`, "", ""),
			want: map[string]string{"canonical": "https://port.example/a/1"},
		},
		{
			name: "JSON-LD in the body after a non-article object",
			html: page(`><head></head>`, `<script type="application/ld+json">{"@type":"WebSite","name":"Port Post"}</script>`+
				`<script type="Application/LD+JSON">{"@type":"NewsArticle","headline":"Terminal opens in spring","datePublished":"2025-04-02T10:00:00Z","author":[{"@type":"Person","name":"Ada Byrne"},{"name":"Lee Tan"}]}</script>`, ""),
			want: map[string]string{"title": "Terminal opens in spring", "published": "2025-04-02T10:00:00Z", "byline": "Ada Byrne, Lee Tan"},
		},
		{
			name: "time datetime and microdata author item",
			html: page(`><head><title>Terminal opens in spring</title></head>`,
				`<time>no datetime</time><time datetime="2025-04-03T07:30:00+08:00">3 April</time>`+
					`<span itemprop="author" itemscope><span itemprop="name">Mei Lin</span> in Harbin</span>`, ""),
			want: map[string]string{"published": "2025-04-03T07:30:00+08:00", "byline": "Mei Lin"},
		},
		{
			name: "byline class in a header the first pass strips, and in any case",
			html: page(`><head></head>`, `<div class="site-header"><div class="Article-ByLine">Ola Nordmann</div></div>`, ""),
			want: map[string]string{"byline": "Ola Nordmann"},
		},
		{
			name: "rel=author link",
			html: page(`><head></head>`, `<p class="meta">By <a rel="author" href="/staff/ivanova">Irina Ivanova</a></p>`, ""),
			want: map[string]string{"byline": "Irina Ivanova"},
		},
		{
			name: "svg titles and template content are not metadata",
			html: page(`><head></head>`, `<svg><title>Harbour Post logo, emblem and wordmark</title></svg><template><h1>Template headline</h1><meta name="author" content="Nobody"></template><h1>Terminal opens in spring</h1>`, ""),
			want: map[string]string{"title": "Terminal opens in spring", "byline": ""},
		},
		{
			name: "microdata dates and headline on ordinary elements",
			html: page(`><head></head>`, `<h2 itemprop="headline">Terminal opens in spring</h2><span itemprop="dateModified datePublished" content="2025-04-05">5 April</span>`, ""),
			want: map[string]string{"title": "Terminal opens in spring", "published": "2025-04-05T00:00:00Z"},
		},
	}
	x := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := x.Extract(Input{Body: []byte(tt.html), URL: tt.url})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			got := map[string]string{"title": a.Title, "byline": a.Byline, "site": a.SiteName, "image": a.ImageURL,
				"canonical": a.CanonicalURL, "lang": a.Lang, "published": ""}
			if !a.Published.IsZero() {
				got["published"] = a.Published.Format(time.RFC3339)
			}
			for k, w := range tt.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
		})
	}
}

func TestChromeRoles(t *testing.T) {
	body := `<html><body><div class="page">` +
		`<div role="Navigation"><p>Home, World, Business, Technology, Science, Sport, Culture, Opinion, and more sections here.</p></div>` +
		articleBody +
		`<div role="dialog" class="notice"><p>Before you continue, we would like to tell you about your choices, and our partners, here.</p></div>` +
		`</div></body></html>`
	a, err := New(Options{}).Extract(Input{Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	text := a.Text()
	for _, c := range []string{"Home, World", "Before you continue"} {
		if strings.Contains(text, c) {
			t.Errorf("kept %q from a chrome role:\n%s", c, text)
		}
	}
	if !strings.Contains(text, "The port authority said") {
		t.Errorf("lost the article:\n%s", text)
	}
}

func TestExtractorConcurrentUse(t *testing.T) {
	x := New(Options{})
	pages := [][]byte{readPage(t, "news_en.html"), readPage(t, "news_ru_cp1251.html"), readPage(t, "news_zh_gbk.html")}
	want := make([]string, len(pages))
	for i, p := range pages {
		a, err := Extract(Input{Body: p})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = a.Title + "\n" + a.Byline + "\n" + a.Text()
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(pages))
	for range 4 {
		for i, p := range pages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, err := x.Extract(Input{Body: p})
				if err != nil {
					errs <- err.Error()
					return
				}
				if got := a.Title + "\n" + a.Byline + "\n" + a.Text(); got != want[i] {
					errs <- "page " + string(rune('0'+i)) + " differs from the package-level Extract"
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func parsedPage(b *testing.B, name string) *html.Node {
	root, err := html.Parse(bytes.NewReader(decode.Decode(readPage(b, name), "").Text))
	if err != nil {
		b.Fatal(err)
	}
	return root
}

// BenchmarkMetadata measures the parts of metadata extraction on a parsed
// page, to keep the selector design honest: "walk" is the content walk
// alone, "walk+collect" the same walk gathering the metadata candidates,
// "lookups" the selectors over those candidates, and "document-selectors"
// the rejected design, one selector group matched against every node of
// the page through goquery.
func BenchmarkMetadata(b *testing.B) {
	sel := compileSelectors()
	all := cascadia.MustCompile(`html, title, meta, link[rel], script[type], h1, h2, time[datetime], [itemprop], [rel=author], ` +
		`[class*=byline i], [class*=author i], [class*=dateline i], [class*=writtenby i], [id*=byline i], [id*=author i], [id*=dateline i], [id*=writtenby i]`)
	for _, name := range []string{"news_en.html", "news_ru_cp1251.html", "news_zh_gbk.html"} {
		root := parsedPage(b, name)
		page := strings.TrimSuffix(name, ".html")
		b.Run(page+"/walk+collect", func(b *testing.B) {
			for b.Loop() {
				newDOM(root, sel, &scratch{})
			}
		})
		cands := newDOM(root, sel, &scratch{}).metaNodes
		b.Run(page+"/lookups", func(b *testing.B) {
			for b.Loop() {
				collectMeta(sel, metaSelection(root, cands), "")
			}
		})
		b.Run(page+"/document-selectors", func(b *testing.B) {
			for b.Loop() {
				collectMeta(sel, goquery.NewDocumentFromNode(root).FindMatcher(all), "")
			}
		})
	}
}

// BenchmarkNew measures building an Extractor: the selector compilation
// that the package-level functions share and a long-lived Extractor pays
// once.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		New(Options{})
	}
}
