package demosite

import (
	"errors"
	"html"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	canonicalRe = regexp.MustCompile(`<link rel="canonical" href="([^"]+)"`)
	titleRe     = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	ogTitleRe   = regexp.MustCompile(`<meta property="og:title" content="([^"]+)"`)
	ogSiteRe    = regexp.MustCompile(`<meta property="og:site_name" content="([^"]+)"`)
)

func TestHandlerServesEveryPage(t *testing.T) {
	s, base := startSite(t)
	want, err := Expected()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range want {
		t.Run(p.Path, func(t *testing.T) {
			meta := s.byPath[p.Path]
			if meta == nil {
				t.Fatalf("no catalog entry")
			}
			resp, body := fetch(t, base+p.Path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != meta.ContentType {
				t.Errorf("Content-Type %q, want %q", got, meta.ContentType)
			}
			if n := len(body); n < 15<<10 || n > 60<<10 {
				t.Errorf("page is %d bytes, want 15–60 KB", n)
			}
			if p.Charset != "utf-8" && utf8.Valid(body) {
				t.Errorf("page stored as %s is valid UTF-8; it should be encoded", p.Charset)
			}
			text := decodeHTML(t, resp.Header.Get("Content-Type"), body)
			if strings.Contains(text, "demo.newspipe.invalid") {
				t.Errorf("placeholder origin left in the served page")
			}
			if m := canonicalRe.FindStringSubmatch(text); m == nil || m[1] != base+p.Path {
				t.Errorf("canonical %v, want %s", m, base+p.Path)
			}
			title := titleRe.FindStringSubmatch(text)
			site := ogSiteRe.FindStringSubmatch(text)
			og := ogTitleRe.FindStringSubmatch(text)
			if title == nil || site == nil || og == nil {
				t.Fatalf("missing <title>, og:site_name or og:title")
			}
			if got, want := html.UnescapeString(title[1]), p.Headline+" | "+html.UnescapeString(site[1]); got != want {
				t.Errorf("<title> %q, want %q", got, want)
			}
			if got := html.UnescapeString(og[1]); got != p.Headline {
				t.Errorf("og:title %q, want headline %q", got, p.Headline)
			}
			for _, needle := range []string{`name="description"`, `property="article:published_time"`, "<script", "<style", "©"} {
				if !strings.Contains(html.UnescapeString(text), needle) {
					t.Errorf("page lacks %s", needle)
				}
			}
		})
	}
}

func TestHandlerStatus(t *testing.T) {
	_, base := startSite(t)
	tests := []struct {
		name, method, path string
		want               int
		wantType           string
	}{
		{name: "index", method: "GET", path: "/", want: 200, wantType: "text/html"},
		{name: "outlet home", method: "GET", path: "/northwire/", want: 200, wantType: "text/html"},
		{name: "head of a page", method: "HEAD", path: "/northwire/technology/2026/11/17/zte-rostelecom-5g-core-contract", want: 200, wantType: "text/html"},
		{name: "page with tracking query", method: "GET", path: "/northwire/technology/2026/11/17/zte-rostelecom-5g-core-contract?utm_source=rss&utm_medium=feed", want: 200, wantType: "text/html"},
		{name: "placeholder image", method: "GET", path: "/static/img/anything.svg", want: 200, wantType: "image/svg+xml"},
		{name: "unknown page", method: "GET", path: "/northwire/technology/2026/11/17/no-such-story", want: 404},
		{name: "page path with trailing slash", method: "GET", path: "/northwire/technology/2026/11/17/zte-rostelecom-5g-core-contract/", want: 404},
		{name: "catalog is not served", method: "GET", path: "/site/pages.json", want: 404},
		{name: "labels are not served", method: "GET", path: "/expected.json", want: 404},
		{name: "unknown outlet", method: "GET", path: "/nowhere/", want: 404},
		{name: "post", method: "POST", path: "/northwire/rss.xml", want: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, base+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.wantType != "" {
				mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
				if mt != tt.wantType {
					t.Errorf("media type %q, want %q", mt, tt.wantType)
				}
			}
		})
	}
}

func TestHandlerConditionalRequests(t *testing.T) {
	s, base := startSite(t)
	paths := []string{"/northwire/technology/2026/11/17/zte-rostelecom-5g-core-contract"}
	for _, f := range s.AllFeeds(base) {
		paths = append(paths, strings.TrimPrefix(f.URL, base))
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			resp, _ := fetch(t, base+path, nil)
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != 200 || etag == "" || lm == "" {
				t.Fatalf("status %d, ETag %q, Last-Modified %q", resp.StatusCode, etag, lm)
			}
			tests := []struct {
				name   string
				header http.Header
				want   int
			}{
				{"matching etag", http.Header{"If-None-Match": {etag}}, http.StatusNotModified},
				{"other etag", http.Header{"If-None-Match": {`"0000"`}}, http.StatusOK},
				{"not modified since", http.Header{"If-Modified-Since": {lm}}, http.StatusNotModified},
				{"modified since", http.Header{"If-Modified-Since": {"Mon, 02 Jan 2006 15:04:05 GMT"}}, http.StatusOK},
			}
			for _, tt := range tests {
				resp, body := fetch(t, base+path, tt.header)
				if resp.StatusCode != tt.want {
					t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
				}
				if tt.want == http.StatusNotModified && len(body) != 0 {
					t.Errorf("%s: 304 with a %d-byte body", tt.name, len(body))
				}
			}
		})
	}
}

func TestHandlerExplicitBaseWithPrefix(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const base = "http://news.example.test:8088/demo"
	h, err := s.Handler(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/demo/", http.StripPrefix("/demo", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	const path = "/northwire/technology/2026/11/17/zte-rostelecom-5g-core-contract"
	resp, body := fetch(t, srv.URL+"/demo"+path, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if m := canonicalRe.FindSubmatch(body); m == nil || string(m[1]) != base+path {
		t.Errorf("canonical %q, want %q", m, base+path)
	}
	_, feed := fetch(t, srv.URL+"/demo/northwire/rss.xml", nil)
	if !strings.Contains(string(feed), "<link>"+base+path+"?utm_source=rss&amp;utm_medium=feed</link>") {
		t.Errorf("feed links not under the explicit base")
	}
}

func TestHandlerRejectsBadBase(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"localhost:8080", "ftp://host/", "http://", "http://host/?q=1", "://bad"} {
		t.Run(base, func(t *testing.T) {
			if _, err := s.Handler(base); !errors.Is(err, ErrBaseURL) {
				t.Errorf("Handler(%q) error %v, want ErrBaseURL", base, err)
			}
			if got := s.Sources(base); got != nil {
				t.Errorf("Sources(%q) = %v, want nil", base, got)
			}
		})
	}
}

func TestHandlerRejectsOddHost(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/northwire/rss.xml", nil)
	req.Host = `evil"><script>`
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400", rec.Code)
	}
}
