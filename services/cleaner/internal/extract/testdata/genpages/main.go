// Command genpages writes the benchmark and golden-test pages of package
// extract: news pages shaped like real ones (150–250 KB, most of it scripts,
// styles, menus and other chrome) around articles written for this
// project. Run it from the extract directory: go run ./testdata/genpages
package main

import (
	"fmt"
	"log"
	"os"
	"strings"

	"golang.org/x/net/html/charset"
)

type page struct {
	file, lang, charset      string
	site, title, byline      string
	published, section, slug string
	paras                    []string
	heads                    map[int]string // subheading before paragraph i
	teaser                   string         // "read also" line inside the body
	related                  []string
	comments                 []string
	share, readAlso, relHead string
	cookie, copyright, more  string
	caption                  string
}

func main() {
	for _, p := range []page{english(), russian(), chinese()} {
		b := render(p)
		if p.charset != "utf-8" {
			enc, _ := charset.Lookup(p.charset)
			out, err := enc.NewEncoder().Bytes(b)
			if err != nil {
				log.Fatalf("encode %s: %v", p.file, err)
			}
			b = out
		}
		if err := os.WriteFile("testdata/"+p.file, b, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d bytes\n", p.file, len(b))
	}
}

func render(p page) []byte {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("<!DOCTYPE html>\n<html lang=%q class=\"no-js\">\n<head>\n", p.lang)
	w("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n")
	w("<title>%s | %s</title>\n", p.title, p.site)
	// Real pages carry tens of kilobytes of inline style and script before
	// the charset declaration shows up.
	w("<style>\n")
	for i := 0; i < 260; i++ {
		w(".c%d .nav-item-%d > a:hover{color:#%06x;margin:0 %dpx;padding:%dpx %dpx;border-bottom:1px solid rgba(0,0,0,.%d)}\n", i, i, i*7919%0xffffff, i%13, i%7, i%11, i%9)
	}
	w("</style>\n")
	w("<meta charset=%q>\n", p.charset)
	w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	w("<link rel=\"canonical\" href=\"https://news.example.org/%s/%s\">\n", p.section, p.slug)
	w("<meta property=\"og:site_name\" content=%q>\n", p.site)
	w("<meta property=\"og:title\" content=%q>\n", p.title)
	w("<meta property=\"og:image\" content=\"/img/%s-lead.jpg\">\n", p.slug)
	w("<meta property=\"article:published_time\" content=%q>\n", p.published)
	w("<meta name=\"author\" content=%q>\n", p.byline)
	w("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":%q,\"datePublished\":%q,\"author\":{\"@type\":\"Person\",\"name\":%q},\"publisher\":{\"@type\":\"Organization\",\"name\":%q}}</script>\n",
		p.title, p.published, p.byline, p.site)
	w("<script>\n")
	for i := 0; i < 900; i++ {
		w("window.__cfg%d={id:%d,slot:\"top-%d\",sizes:[[300,250],[728,90]],targeting:{sec:%q,pos:%d}};\n", i, i, i%17, p.section, i%5)
	}
	w("</script>\n</head>\n<body class=\"page-article\">\n")
	w("<div id=\"cookie-banner\" class=\"cookie-consent\"><p>%s</p><button>OK</button></div>\n", p.cookie)
	w("<header class=\"site-header\"><div class=\"logo\"><a href=\"/\">%s</a></div>\n<nav class=\"main-nav\"><ul>\n", p.site)
	for i := 0; i < 60; i++ {
		w("<li class=\"nav-item\"><a href=\"/section/%d\">%s %d</a></li>\n", i, p.section, i)
	}
	w("</ul></nav>\n")
	w("<div class=\"ticker\">")
	for i := 0; i < 30; i++ {
		w("<span>TCK%d %d.%02d ▲ %d.%02d (0.%02d%%)</span>", i, 10+i*3, i*7%100, i%4, i*3%100, i%9)
	}
	w("</div></header>\n")
	w("<div class=\"breadcrumbs\"><a href=\"/\">%s</a> &gt; <a href=\"/%s\">%s</a></div>\n", p.site, p.section, p.section)
	w("<main class=\"layout\"><div class=\"col-main\">\n<article class=\"article\">\n")
	w("<header class=\"article-header\"><h1 class=\"headline\">%s</h1>\n", p.title)
	w("<div class=\"byline\">%s</div> <time datetime=%q>%s</time></header>\n", p.byline, p.published, p.published[:10])
	w("<div class=\"share-bar\"><a href=\"#\">%s</a> <a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a> <a href=\"#\">Telegram</a></div>\n", p.share)
	w("<figure><img src=\"/img/%s-lead.jpg\" alt=\"\"><figcaption>%s</figcaption></figure>\n", p.slug, p.caption)
	w("<div class=\"article-body\" itemprop=\"articleBody\">\n")
	for i, para := range p.paras {
		if h, ok := p.heads[i]; ok {
			w("<h2>%s</h2>\n", h)
		}
		w("<p>%s</p>\n", para)
		if i == 2 {
			w("<p class=\"read-also\"><strong>%s</strong> <a href=\"/%s/other\">%s</a></p>\n", p.readAlso, p.section, p.teaser)
		}
		if i == 4 {
			w("<div class=\"ad-slot\" id=\"ad-mid\"><script>window.ads&&ads.push('mid');</script><span>%s</span></div>\n", "Advertisement")
		}
	}
	w("</div>\n")
	w("<div class=\"tags\"><a href=\"/t/1\">%s</a> <a href=\"/t/2\">%s</a></div>\n", p.section, p.site)
	w("<section class=\"related-articles\"><h3>%s</h3><ul>\n", p.relHead)
	for i, r := range p.related {
		w("<li><a href=\"/%s/rel-%d\">%s</a></li>\n", p.section, i, r)
	}
	w("</ul></section>\n</article>\n")
	w("<div class=\"newsletter-box\"><h4>Newsletter</h4><form><input type=\"email\"><button>Subscribe</button></form></div>\n")
	w("<section id=\"comments\" class=\"comments-area\"><h3>%d comments</h3>\n", len(p.comments))
	for i, c := range p.comments {
		w("<div class=\"comment\"><div class=\"comment-author\">reader%d</div><div class=\"comment-body\"><p>%s</p></div></div>\n", i, c)
	}
	w("</section>\n</div>\n<aside class=\"sidebar\"><h3>%s</h3><ol>\n", p.more)
	for i := 0; i < 12; i++ {
		w("<li><a href=\"/%s/pop-%d\">%s</a></li>\n", p.section, i, p.related[i%len(p.related)])
	}
	w("</ol></aside></main>\n<footer class=\"site-footer\"><ul>\n")
	for i := 0; i < 80; i++ {
		w("<li><a href=\"/f/%d\">%s %d</a></li>\n", i, p.section, i)
	}
	w("</ul><p class=\"copyright\">%s</p></footer>\n", p.copyright)
	w("<script>\n")
	for i := 0; i < 700; i++ {
		w("(function(){var e%d=document.createElement('script');e%d.async=true;e%d.src='https://cdn.example.net/t/%d.js?v=%d';document.head.appendChild(e%d);})();\n", i, i, i, i, i*31, i)
	}
	w("</script>\n</body>\n</html>\n")
	return []byte(b.String())
}
