// Package poll asks one source what it lists now: it fetches the source's
// document through the fetcher's one HTTP client (package fetch),
// conditionally on what the previous poll saw, and parses it into items.
// It is plain Go: the caller keeps the State between polls wherever it
// likes and passes it back.
//
// A poll is "not modified" when the server answers 304 to the validators
// (ETag, Last-Modified) or, for servers that send neither or ignore them,
// when the body is byte for byte the one seen last time (its fingerprint).
package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/feed"
	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/mend"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

// State is what a poll remembers for the next one.
type State struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Fingerprint identifies the last full body, for servers without
	// validators.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// IsZero reports whether s remembers nothing (the first poll).
func (s State) IsZero() bool { return s == State{} }

// Item is one entry a source lists.
type Item = feed.Item

// Result is what one poll found.
type Result struct {
	// Status is the HTTP status of the final response.
	Status int
	// URL is the source document's URL after redirects.
	URL string
	// NotModified is true for a 304 or an unchanged body: Items is empty.
	NotModified bool
	// State is what to pass to the next poll.
	State State
	// Title is the source's own title, where it has one.
	Title string
	// Items are the entries with a usable link, in document order.
	Items []Item
	// Skipped counts entries dropped for want of an http(s) link.
	Skipped int
	// Invalid, when set, says why the document is broken although Items
	// could still be read from it (see feed.Feed.Invalid): a failure to
	// report, not a success.
	Invalid string
	// Mended says what was repaired in the document before parsing (its
	// real charset, control characters, bare ampersands).
	Mended mend.Report
	// TTL is the RSS <ttl>, zero when the feed states none.
	TTL time.Duration
	// Old counts sitemap entries dropped as older than SitemapMaxAge.
	Old int

	charset string // of the document's Content-Type
	// Bytes is the size of the body read, decoded.
	Bytes int64
	// Header is the final response's header (Cache-Control, Expires…),
	// for the caller's scheduling.
	Header http.Header
	// FetchedAt is when the response arrived.
	FetchedAt time.Time
}

// Getter is the part of fetch.Client a Poller uses.
type Getter interface {
	Get(ctx context.Context, r fetch.Request) (*fetch.Response, error)
}

// Defaults for Config's zero values.
const (
	DefaultMaxDocBytes      = fetch.DefaultMaxFeedBytes
	DefaultMaxChildSitemaps = 3
	DefaultSitemapMaxAge    = 7 * 24 * time.Hour
)

// Config configures a Poller. Zero values take the defaults.
type Config struct {
	// MaxDocBytes caps a gzipped sitemap once inflated (the client caps
	// what it downloads).
	MaxDocBytes int64
	// MaxChildSitemaps is how many of an index's sitemaps are read, the
	// newest first.
	MaxChildSitemaps int
	// SitemapMaxAge drops sitemap entries dated older than this: a plain
	// sitemap lists a site's whole archive.
	SitemapMaxAge time.Duration
}

// Poller polls sources. It is safe for concurrent use.
type Poller struct {
	client Getter
	cfg    Config
}

// New returns a Poller that fetches through client.
func New(client Getter, cfg Config) *Poller {
	if cfg.MaxDocBytes <= 0 {
		cfg.MaxDocBytes = DefaultMaxDocBytes
	}
	if cfg.MaxChildSitemaps <= 0 {
		cfg.MaxChildSitemaps = DefaultMaxChildSitemaps
	}
	if cfg.SitemapMaxAge <= 0 {
		cfg.SitemapMaxAge = DefaultSitemapMaxAge
	}
	return &Poller{client: client, cfg: cfg}
}

// Poll fetches src's document, conditionally on st, mends it (package
// mend: the real charset, forbidden characters, bare ampersands) and parses
// it as its kind says: a feed, a sitemap (or an index and its newest
// sitemaps), or a section page read with its selector. Errors are fetch's
// (status, timeout, size, address…) or the parser's (feed.ErrNotFeed,
// feed.ErrMalformed, sitemap.ErrNotSitemap, section.ErrNoLinks…); either
// way the poll failed.
func (p *Poller) Poll(ctx context.Context, src sources.Source, st State) (Result, error) {
	switch src.KindOrDefault() {
	case sources.KindSitemap:
		return p.pollSitemap(ctx, src, st)
	case sources.KindSection:
		return p.pollSection(ctx, src, st)
	}
	return p.pollFeed(ctx, src, st)
}

func (p *Poller) pollFeed(ctx context.Context, src sources.Source, st State) (Result, error) {
	res, body, err := p.fetchDoc(ctx, src, fetch.KindFeed, st)
	if err != nil || res.NotModified {
		return res, err
	}
	body, rep := mend.XML(body, mend.Hint{Override: src.Charset, Header: res.charset, Lang: src.Lang})
	res.Mended = rep
	f, err := feed.Parse(body, res.URL, src.Lang)
	if err != nil {
		return res, fmt.Errorf("poll %s: %w", src.URL, err)
	}
	res.Title, res.Items, res.Skipped, res.Invalid, res.TTL = f.Title, f.Items, f.Skipped, f.Invalid, f.TTL
	return res, nil
}

// fetchDoc fetches a source's document conditionally on st; an unchanged
// body (same fingerprint) is NotModified like a 304.
func (p *Poller) fetchDoc(ctx context.Context, src sources.Source, kind fetch.Kind, st State) (Result, []byte, error) {
	req := fetch.Request{URL: src.URL, Kind: kind, Header: src.Header, ETag: st.ETag, LastModified: st.LastModified}
	resp, err := p.client.Get(ctx, req)
	if err != nil {
		return Result{}, nil, err
	}
	res := Result{Status: resp.Status, URL: resp.URL, Header: resp.Header, FetchedAt: resp.FetchedAt, Bytes: int64(len(resp.Body)), charset: resp.Charset}
	if resp.NotModified {
		res.NotModified, res.State = true, st
		return res, nil, nil
	}
	res.State = State{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Fingerprint: fingerprint(resp.Body)}
	if res.State.Fingerprint == st.Fingerprint {
		res.NotModified = true
		return res, nil, nil
	}
	return res, resp.Body, nil
}

// fingerprint is a short hash of a body.
func fingerprint(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:12])
}
