package demosite

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// wellFormedXML fails on the first XML syntax error; gofeed is lenient and
// would hide some.
func wellFormedXML(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestFeedsParseAndResolve(t *testing.T) {
	s, base := startSite(t)
	wantType := map[string]string{"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
	for _, src := range s.AllFeeds(base) {
		t.Run(src.ID, func(t *testing.T) {
			resp, body := fetch(t, src.URL, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
			if err != nil || mt != wantType[src.Format] || params["charset"] != "utf-8" {
				t.Errorf("Content-Type %q, want %s; charset=utf-8", resp.Header.Get("Content-Type"), wantType[src.Format])
			}
			if src.Format == "json" {
				var doc struct {
					Version string            `json:"version"`
					Items   []json.RawMessage `json:"items"`
				}
				if err := json.Unmarshal(body, &doc); err != nil {
					t.Fatalf("json feed: %v", err)
				}
				if doc.Version != "https://jsonfeed.org/version/1.1" {
					t.Errorf("version %q", doc.Version)
				}
			} else if err := wellFormedXML(body); err != nil {
				t.Fatalf("feed is not well-formed XML: %v", err)
			}
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if feed.FeedType != src.Format {
				t.Errorf("gofeed sees a %q feed, want %q", feed.FeedType, src.Format)
			}
			f := s.feeds[strings.TrimPrefix(src.URL, base)]
			want := 0
			for i := range s.pages {
				if s.pages[i].Outlet == src.Outlet && s.pages[i].inFeed(f.Set) {
					want++
				}
			}
			if len(feed.Items) != want || want == 0 {
				t.Errorf("%d items, want %d (pages of set %q)", len(feed.Items), want, f.Set)
			}
			guids := map[string]bool{}
			for _, it := range feed.Items {
				if it.GUID == "" || guids[it.GUID] {
					t.Errorf("item %q: empty or repeated guid %q", it.Title, it.GUID)
				}
				guids[it.GUID] = true
				u, err := url.Parse(it.Link)
				if err != nil || !strings.HasPrefix(it.Link, base+"/") {
					t.Fatalf("item link %q is not absolute under %s", it.Link, base)
				}
				for k := range u.Query() {
					if !strings.HasPrefix(k, "utm_") {
						t.Errorf("item link %s carries non-tracking parameter %q", it.Link, k)
					}
				}
				p := s.byPath[u.Path]
				if p == nil {
					t.Fatalf("item link %s resolves to no page", it.Link)
				}
				if it.Title != p.Headline {
					t.Errorf("item title %q, page headline %q", it.Title, p.Headline)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.Published) {
					t.Errorf("item %s published %v, page says %v", u.Path, it.PublishedParsed, p.Published)
				}
				resp, _ := fetch(t, it.Link, nil)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: status %d", it.Link, resp.StatusCode)
				}
			}
		})
	}
}

// TestSourcesOverlapOnce checks the dedup fixture: across the feeds a demo
// fetcher polls, exactly one page is listed twice, under two different
// links that canonicalise to the same URL.
func TestSourcesOverlapOnce(t *testing.T) {
	s, base := startSite(t)
	seen := map[string][]string{} // canonical path -> raw links
	tracked := 0
	for _, src := range s.Sources(base) {
		_, body := fetch(t, src.URL, nil)
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", src.ID, err)
		}
		for _, it := range feed.Items {
			u, err := url.Parse(it.Link)
			if err != nil {
				t.Fatal(err)
			}
			if u.RawQuery != "" {
				tracked++
			}
			seen[u.Path] = append(seen[u.Path], it.Link)
		}
	}
	var twice []string
	for path, links := range seen {
		if len(links) > 1 {
			twice = append(twice, path)
			if len(links) != 2 || links[0] == links[1] {
				t.Errorf("%s listed as %v, want two different links", path, links)
			}
		}
	}
	if len(twice) != 1 {
		t.Errorf("pages listed in more than one source feed: %v, want exactly one", twice)
	}
	if tracked == 0 {
		t.Errorf("no feed link carries tracking parameters")
	}
	if len(seen) != len(s.pages) {
		t.Errorf("source feeds reach %d pages, site has %d", len(seen), len(s.pages))
	}
}

func TestSources(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const base = "http://127.0.0.1:8089"
	srcs := s.Sources(base + "/")
	outlets := map[string]bool{}
	ids := map[string]bool{}
	formats := map[string]bool{}
	for _, src := range srcs {
		if !sourceIDRe.MatchString(src.ID) || ids[src.ID] {
			t.Errorf("source id %q is not a unique lowercase token", src.ID)
		}
		ids[src.ID] = true
		outlets[src.Outlet] = true
		formats[src.Format] = true
		if !strings.HasPrefix(src.URL, base+"/") || src.Lang == "" || src.Name == "" {
			t.Errorf("source %+v: want URL under %s, a lang and a name", src, base)
		}
	}
	if len(outlets) != len(s.outlets) {
		t.Errorf("sources cover %d outlets, site has %d", len(outlets), len(s.outlets))
	}
	for _, f := range []string{"rss", "atom", "json"} {
		if !formats[f] {
			t.Errorf("no source feed in format %s", f)
		}
	}
	if all := s.AllFeeds(base); len(all) <= len(srcs) {
		t.Errorf("AllFeeds lists %d feeds, Sources %d; alternates missing", len(all), len(srcs))
	}
}
