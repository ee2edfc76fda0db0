package demosite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Handler serves the site with every absolute URL (in pages and feeds) under
// baseURL, an absolute http(s) URL that may carry a path prefix when the
// site is mounted with http.StripPrefix. An empty baseURL derives the base
// from each request as http(s)://Host, which suits a server whose address is
// only known once it listens (httptest.NewServer); it cannot know a prefix.
//
// Pages are served with the Content-Type their outlet uses (with charset,
// except for one Chinese page that declares GBK only in its <meta>), feeds
// as application/rss+xml, application/atom+xml or application/feed+json.
// Every response carries ETag and Last-Modified and honours If-None-Match
// and If-Modified-Since with 304. Unknown paths get 404, methods other than
// GET and HEAD 405.
func (s *Site) Handler(baseURL string) (http.Handler, error) {
	h := &handler{site: s}
	if baseURL != "" {
		base, err := normaliseBase(baseURL)
		if err != nil {
			return nil, err
		}
		h.base = base
	}
	idx, err := template.New("index").Parse(indexTemplate)
	if err != nil {
		return nil, fmt.Errorf("parse index template: %w", err)
	}
	h.index = idx
	return h, nil
}

type handler struct {
	site  *Site
	base  string // "" means from the request
	index *template.Template
}

// resource is one response body with its validators.
type resource struct {
	body        []byte
	contentType string
	modified    time.Time
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	base, err := h.baseFor(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, ok, err := h.lookup(r.URL.Path, base)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(res.body)
	w.Header().Set("Content-Type", res.contentType)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	w.Header().Set("Cache-Control", "public, max-age=60")
	// ServeContent answers 304 to If-None-Match/If-Modified-Since, HEAD and
	// Range requests from the headers set above.
	http.ServeContent(w, r, "", res.modified, bytes.NewReader(res.body))
}

func (h *handler) baseFor(r *http.Request) (string, error) {
	if h.base != "" {
		return h.base, nil
	}
	if !validHost(r.Host) {
		return "", fmt.Errorf("derive base url from host %q: %w", r.Host, ErrBaseURL)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host, nil
}

// validHost admits host[:port] and [v6]:port made of characters that need no
// escaping in HTML, XML or JSON, since the host is written into all three.
func validHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for _, c := range host {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}

func (h *handler) lookup(path, base string) (resource, bool, error) {
	if p, ok := h.site.byPath[path]; ok {
		b, err := siteFS.ReadFile(p.File)
		if err != nil {
			return resource{}, false, fmt.Errorf("read page %s: %w", p.Path, err)
		}
		return resource{
			body:        rebase(b, base),
			contentType: p.ContentType,
			modified:    p.modified(),
		}, true, nil
	}
	if f, ok := h.site.feeds[path]; ok {
		body, modified, err := h.site.renderFeed(f, base)
		if err != nil {
			return resource{}, false, err
		}
		return resource{body: body, contentType: feedContentType(f.Format), modified: modified}, true, nil
	}
	if path == "/" {
		return h.renderIndex(base, "")
	}
	for _, o := range h.site.outlets {
		if path == o.Home {
			return h.renderIndex(base, o.ID)
		}
	}
	if strings.HasPrefix(path, "/static/img/") && strings.HasSuffix(path, ".svg") {
		return resource{body: []byte(placeholderSVG), contentType: "image/svg+xml", modified: siteEpoch()}, true, nil
	}
	return resource{}, false, nil
}

// escapedPlaceholder is Placeholder as html/template writes it inside a
// query parameter (share links carry the page URL that way).
const escapedPlaceholder = "https%3a%2f%2fdemo.newspipe.invalid"

// rebase rewrites the stored placeholder origin, plain and query-escaped,
// to base.
func rebase(page []byte, base string) []byte {
	page = bytes.ReplaceAll(page, []byte(Placeholder), []byte(base))
	return bytes.ReplaceAll(page, []byte(escapedPlaceholder), []byte(url.QueryEscape(base)))
}

// siteEpoch is the Last-Modified of resources that never change.
func siteEpoch() time.Time { return time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC) }

const placeholderSVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">` +
	`<rect width="1200" height="675" fill="#d9dde3"/><path d="M0 540 L300 330 L520 470 L800 240 L1200 520 V675 H0Z" fill="#b8bfc9"/>` +
	`<circle cx="930" cy="170" r="70" fill="#eef0f3"/></svg>`

type indexOutlet struct {
	ID, Name, Lang, Home string
	Feeds                []Source
	Pages                []indexPage
}

type indexPage struct {
	URL, Headline string
	Published     time.Time
}

func (h *handler) renderIndex(base, only string) (resource, bool, error) {
	var data struct {
		Title   string
		Outlets []indexOutlet
	}
	data.Title = "newspipe demo site"
	var modified time.Time
	feeds := h.site.AllFeeds(base)
	for _, o := range h.site.outlets {
		if only != "" && o.ID != only {
			continue
		}
		if only != "" {
			data.Title = o.Name
		}
		io := indexOutlet{ID: o.ID, Name: o.Name, Lang: o.Lang, Home: base + o.Home}
		for _, f := range feeds {
			if f.Outlet == o.ID {
				io.Feeds = append(io.Feeds, f)
			}
		}
		for i := range h.site.pages {
			p := &h.site.pages[i]
			if p.Outlet != o.ID {
				continue
			}
			io.Pages = append(io.Pages, indexPage{URL: base + p.Path, Headline: p.Headline, Published: p.Published})
			if p.modified().After(modified) {
				modified = p.modified()
			}
		}
		data.Outlets = append(data.Outlets, io)
	}
	var buf bytes.Buffer
	if err := h.index.Execute(&buf, data); err != nil {
		return resource{}, false, fmt.Errorf("render index: %w", err)
	}
	return resource{body: buf.Bytes(), contentType: "text/html; charset=utf-8", modified: modified}, true, nil
}

const indexTemplate = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}li{margin:.2rem 0}small{color:#666}</style>
</head><body>
<h1>{{.Title}}</h1>
<p>A local news site bundled with newspipe for <code>make demo</code>. Every outlet, story and comment here is fictional.</p>
{{range .Outlets}}<section lang="{{.Lang}}"><h2><a href="{{.Home}}">{{.Name}}</a> <small>{{.ID}} · {{.Lang}}</small></h2>
<p>Feeds: {{range .Feeds}}<a href="{{.URL}}">{{.Format}} ({{.ID}})</a> {{end}}</p>
<ul>{{range .Pages}}<li><a href="{{.URL}}">{{.Headline}}</a> <small>{{.Published.Format "2006-01-02"}}</small></li>{{end}}</ul>
</section>
{{end}}</body></html>
`
