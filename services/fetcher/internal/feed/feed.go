// Package feed polls one news feed over HTTP and returns its items. RSS,
// Atom and JSON Feed are read with gofeed.
//
// Polls are conditional: the caller passes the State (ETag, Last-Modified)
// the previous poll returned and gets the new one back, as a value, to store
// wherever it likes. A feed body over the cap is an error (ErrTooLarge),
// never a truncated parse.
package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Defaults for Config's zero values.
const (
	DefaultTimeout  = 30 * time.Second
	DefaultMaxBytes = 10 << 20
	maxRedirects    = 5
	// maxSummary bounds an item's summary: some feeds put the whole article
	// in the description, which belongs in the fetched page, not the job.
	maxSummary = 2000
)

// State is what a poll remembers for the next one: the validators of the
// last full response.
type State struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// IsZero reports whether s carries no validator (the first poll).
func (s State) IsZero() bool { return s.ETag == "" && s.LastModified == "" }

// Item is one entry of a feed.
type Item struct {
	// Link is the item's absolute URL (resolved against the feed's URL).
	Link      string
	Title     string
	Summary   string // plain text, at most 2,000 characters
	Published time.Time
	Authors   []string
}

// Result is what one poll found.
type Result struct {
	// Status is the HTTP status of the final response.
	Status int
	// URL is the feed's URL after redirects.
	URL string
	// NotModified is true for a 304: Items is empty and State unchanged.
	NotModified bool
	// State is what to pass to the next poll.
	State State
	// Title is the feed's own title.
	Title string
	// Items are the entries that have a usable link, in feed order.
	Items []Item
	// Skipped counts entries dropped for want of an http(s) link.
	Skipped int
	// Bytes is the size of the body read (after transfer decoding).
	Bytes int64
}

// Config configures a Poller.
type Config struct {
	// UserAgent is sent with every request.
	UserAgent string
	// Timeout bounds a whole poll: connection, headers and body. Default 30s.
	Timeout time.Duration
	// MaxBytes caps a feed body; larger is ErrTooLarge. Default 10 MiB.
	MaxBytes int64
	// Guard decides which addresses may be connected to (nil: public
	// addresses only); it is checked on the resolved address at connect
	// time.
	Guard *guard.Policy
	// Transport carries the requests; nil for a dedicated one with
	// connection and header timeouts and Guard applied.
	Transport http.RoundTripper
}

// Poller polls feeds. It is safe for concurrent use.
type Poller struct {
	cfg    Config
	client *http.Client
}

// NewPoller returns a Poller for cfg.
func NewPoller(cfg Config) *Poller {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	rt := cfg.Transport
	if rt == nil {
		rt = newTransport(min(cfg.Timeout, 10*time.Second), cfg.Timeout, cfg.Guard)
	}
	client := &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			return nil
		},
	}
	return &Poller{cfg: cfg, client: client}
}

// newTransport returns an HTTP transport with bounded connection set-up and
// time to response headers, that connects only where g allows, and never
// through a proxy (the guard would check the proxy's address).
func newTransport(connectTimeout, headerTimeout time.Duration, g *guard.Policy) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = (&net.Dialer{Timeout: connectTimeout, KeepAlive: 30 * time.Second, Control: g.Control}).DialContext
	t.TLSHandshakeTimeout = connectTimeout
	t.ResponseHeaderTimeout = headerTimeout
	t.MaxIdleConnsPerHost = 4
	return t
}

// Accept prefers the feed types, then any XML or JSON.
const accept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// Poll fetches feedURL, conditionally on st, and parses it.
func (p *Poller) Poll(ctx context.Context, feedURL string, st State) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, feedURL, nil)
	if err != nil {
		return Result{}, fmt.Errorf("poll %s: %w", feedURL, err)
	}
	req.Header.Set("User-Agent", p.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return Result{}, p.transportError(feedURL, err)
	}
	defer resp.Body.Close()

	res := Result{Status: resp.StatusCode, URL: resp.Request.URL.String()}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified, res.State = true, st
		return res, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return res, fmt.Errorf("poll %s: %w", feedURL, &StatusError{Code: resp.StatusCode})
	}
	if resp.ContentLength > p.cfg.MaxBytes {
		return res, fmt.Errorf("poll %s: %w: Content-Length %d over %d bytes", feedURL, ErrTooLarge, resp.ContentLength, p.cfg.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, p.cfg.MaxBytes+1))
	res.Bytes = int64(len(body))
	if err != nil {
		return res, p.transportError(feedURL, err)
	}
	if res.Bytes > p.cfg.MaxBytes {
		return res, fmt.Errorf("poll %s: %w: over %d bytes", feedURL, ErrTooLarge, p.cfg.MaxBytes)
	}
	f, err := Parse(body, res.URL)
	if err != nil {
		return res, fmt.Errorf("poll %s: %w", feedURL, err)
	}
	res.Title, res.Items, res.Skipped = f.Title, f.Items, f.Skipped
	res.State = State{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return res, nil
}

func (p *Poller) transportError(feedURL string, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("poll %s: %w after %s: %w", feedURL, ErrTimeout, p.cfg.Timeout, err)
	}
	return fmt.Errorf("poll %s: %w", feedURL, err)
}

// Feed is a parsed feed document.
type Feed struct {
	Title   string
	Items   []Item
	Skipped int
}

// Parse reads an RSS, Atom or JSON Feed document. Relative item links are
// resolved against base, the URL the document was served from. Errors wrap
// ErrNotFeed or ErrMalformed.
func Parse(data []byte, base string) (Feed, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Feed{}, fmt.Errorf("%w: empty body", ErrNotFeed)
	}
	// A Parser keeps state while parsing: one per call.
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return Feed{}, fmt.Errorf("%w: %s", ErrNotFeed, sniff(data))
	}
	if err != nil {
		return Feed{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	baseURL, _ := url.Parse(base)
	f := Feed{Title: strings.TrimSpace(gf.Title)}
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		link := resolve(baseURL, it.Link)
		if link == "" {
			link = resolve(nil, it.GUID) // a permalink GUID, when absolute
		}
		if link == "" {
			f.Skipped++
			continue
		}
		item := Item{
			Link:    link,
			Title:   clip(plainText(it.Title), 1000),
			Summary: clip(plainText(it.Description), maxSummary),
			Authors: authors(it),
		}
		switch {
		case it.PublishedParsed != nil:
			item.Published = it.PublishedParsed.UTC()
		case it.UpdatedParsed != nil:
			item.Published = it.UpdatedParsed.UTC()
		}
		f.Items = append(f.Items, item)
	}
	return f, nil
}

// resolve returns ref as an absolute http(s) URL, or "".
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func authors(it *gofeed.Item) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		name := strings.TrimSpace(p.Name)
		if name == "" {
			name = strings.TrimSpace(p.Email)
		}
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// plainText drops markup and collapses white space: feed titles and
// descriptions often carry HTML.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li":
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip = max(0, skip-1)
			case "p", "div", "li":
				b.WriteByte(' ')
			}
		}
	}
}

// clip cuts s to at most n runes, at a rune boundary.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// sniff describes what a non-feed body looks like, for the error message.
func sniff(data []byte) string {
	ct := http.DetectContentType(data)
	return "body looks like " + strings.SplitN(ct, ";", 2)[0]
}
