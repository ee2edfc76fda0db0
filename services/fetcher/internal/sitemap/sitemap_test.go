package sitemap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"time"
)

const newsSitemap = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://wire.example/2026/11/19/satellite-deal.html</loc>
    <news:news>
      <news:publication><news:name>Invented Wire</news:name><news:language>EN</news:language></news:publication>
      <news:publication_date>2026-11-19T08:30:00+03:00</news:publication_date>
      <news:title>Satellite  makers sign
        a joint venture</news:title>
    </news:news>
  </url>
  <url>
    <loc>/2026/11/18/relative.html</loc>
    <lastmod>2026-11-18</lastmod>
    <image:image xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><image:loc>https://wire.example/i.jpg</image:loc><image:title>A photo</image:title></image:image>
  </url>
  <url><lastmod>2026-11-17</lastmod></url>
  <url><loc>mailto:desk@wire.example</loc></url>
</urlset>`

const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://wire.example/sitemap-2026-10.xml</loc><lastmod>2026-10-31T23:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://wire.example/sitemap-2026-11.xml.gz</loc><lastmod>2026-11-19T09:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://wire.example/sitemap-static.xml</loc></sitemap>
</sitemapindex>`

func TestParse(t *testing.T) {
	doc, err := Parse([]byte(newsSitemap), "https://wire.example/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Index || len(doc.Entries) != 2 || doc.Skipped != 2 {
		t.Fatalf("doc = %+v, want 2 entries and 2 skipped", doc)
	}
	e := doc.Entries[0]
	if e.Loc != "https://wire.example/2026/11/19/satellite-deal.html" || e.Title != "Satellite makers sign a joint venture" || e.Lang != "en" ||
		!e.Published.Equal(time.Date(2026, 11, 19, 5, 30, 0, 0, time.UTC)) {
		t.Errorf("news entry = %+v", e)
	}
	if e := doc.Entries[1]; e.Loc != "https://wire.example/2026/11/18/relative.html" || e.Title != "" || !e.LastMod.Equal(time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("plain entry = %+v", e)
	}

	idx, err := Parse([]byte(index), "https://wire.example/sitemap.xml")
	if err != nil || !idx.Index || len(idx.Entries) != 3 {
		t.Fatalf("index = %+v, %v", idx, err)
	}
	newest := Newest(idx.Entries)
	if newest[0].Loc != "https://wire.example/sitemap-2026-11.xml.gz" || newest[2].Loc != "https://wire.example/sitemap-static.xml" {
		t.Errorf("Newest = %v", newest)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      error
	}{
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", ErrNotSitemap},
		{"feed", `<rss version="2.0"><channel></channel></rss>`, ErrNotSitemap},
		{"empty", "", ErrNotSitemap},
		{"cut off", `<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.ex`, ErrMalformed},
		{"mismatched", `<urlset><url><loc>https://a.example/1</url></urlset>`, ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.doc), "https://a.example/s.xml"); !errors.Is(err, tt.want) {
			t.Errorf("%s: Parse = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestGunzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(newsSitemap))
	zw.Close()
	out, err := Gunzip(buf.Bytes(), 1<<20)
	if err != nil || string(out) != newsSitemap {
		t.Fatalf("Gunzip = %d bytes, %v", len(out), err)
	}
	if _, err := Gunzip(buf.Bytes(), 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Gunzip over the cap = %v, want ErrTooLarge", err)
	}
	if out, err := Gunzip([]byte("<urlset/>"), 10); err != nil || string(out) != "<urlset/>" {
		t.Errorf("Gunzip of plain XML = %q, %v", out, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(newsSitemap))
	f.Add([]byte(index))
	f.Add([]byte(`<urlset><url><loc>../x</loc><lastmod>2026</lastmod></url></urlset>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, "https://wire.example/sitemap.xml")
		if err != nil {
			if !errors.Is(err, ErrNotSitemap) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v wraps neither ErrNotSitemap nor ErrMalformed", err)
			}
			return
		}
		for _, e := range doc.Entries {
			if !strings.HasPrefix(e.Loc, "http://") && !strings.HasPrefix(e.Loc, "https://") {
				t.Fatalf("entry %q is not absolute http(s)", e.Loc)
			}
		}
		if n := len(Newest(doc.Entries)); n != len(doc.Entries) {
			t.Fatalf("Newest lost entries: %d of %d", n, len(doc.Entries))
		}
	})
}
