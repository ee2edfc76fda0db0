// Package fetch is the fetcher's one HTTP client: feeds, sitemaps, section
// pages, article pages and robots.txt all go through it, so every limit is
// set here and holds for all of them:
//
//   - Addresses: only those the guard allows, checked on the resolved
//     address at connect time (package guard); no proxy.
//   - Time: connection set-up (TCP and TLS), time to response headers, and
//     the whole request from its turn at the host to the end of its body,
//     so a server that trickles a byte a second is cut off.
//   - Size: response headers are capped; bodies are capped after
//     decompression (gzip, deflate, brotli are decoded here, not by
//     net/http), so a compression bomb stops at the cap; a body over its
//     cap is refused, never truncated (robots.txt excepted, as RFC 9309
//     allows).
//   - Redirects: a bounded chain, loops detected, http(s) only; every hop
//     is a request with its own host turn and address check.
//   - Politeness: a minimum delay between requests to one host and a cap
//     on requests in flight per host, optionally a budget shared with other
//     replicas (Budget); robots.txt cached per host and honoured for pages.
//
// Errors say whether a retry may help (Retryable) and what kind of failure
// they were (Class), so callers choose between retry-later and dead-letter
// without knowing HTTP.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/robots"

	"github.com/newspipe/newspipe/pkg/topology"
)

// Defaults for Config's zero values.
const (
	DefaultConnectTimeout     = 10 * time.Second
	DefaultHeaderTimeout      = 20 * time.Second
	DefaultTimeout            = 30 * time.Second
	DefaultMaxBodyBytes       = topology.DefaultMaxBodyBytes
	DefaultMaxFeedBytes       = 16 << 20
	DefaultMaxHeaderBytes     = 64 << 10
	DefaultMaxRedirects       = 5
	DefaultPerHostDelay       = time.Second
	DefaultPerHostConcurrency = 2
	DefaultMaxInFlight        = 16
	DefaultRobotsTTL          = time.Hour
)

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	// UserAgent is sent with every request; its first word (before "/")
	// is the product token matched against robots.txt groups.
	UserAgent string
	// ConnectTimeout bounds TCP and TLS set-up.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for the response headers once the
	// request is sent.
	HeaderTimeout time.Duration
	// Timeout bounds one request from its turn at the host to the end of
	// its body. Each redirect hop is a request.
	Timeout time.Duration
	// MaxBodyBytes caps a page or section page, decoded.
	MaxBodyBytes int64
	// MaxFeedBytes caps a feed or sitemap, decoded.
	MaxFeedBytes int64
	// MaxHeaderBytes caps the response headers.
	MaxHeaderBytes int64
	// MaxRedirects bounds a redirect chain.
	MaxRedirects int
	// PerHostDelay is the minimum time between the starts of two requests
	// to one host; negative for none.
	PerHostDelay time.Duration
	// PerHostConcurrency caps this process's requests in flight to one
	// host.
	PerHostConcurrency int
	// MaxInFlight caps this process's requests in flight to all hosts
	// together (and so the memory their bodies take). A request takes its
	// place only once its host's turn has come, so requests waiting for a
	// busy host never keep another host's from running. Default 16.
	MaxInFlight int
	// Budget, if set, is asked for every request's start time as well, so
	// the per-host delay holds across replicas.
	Budget Budget
	// IgnoreRobots skips robots.txt (for sites you own).
	IgnoreRobots bool
	// RobotsTTL is how long a host's robots.txt is trusted.
	RobotsTTL time.Duration
	// Guard decides which addresses may be connected to; nil refuses every
	// non-public address (see package guard).
	Guard *guard.Policy
	// Transport carries the requests; nil for a dedicated one with Guard
	// applied. A Transport given here is used as it is, unguarded: tests
	// only.
	Transport http.RoundTripper
	// Now and Sleep replace the clock, for tests; nil for the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Kind is what a request fetches; it picks the Accept header, the body cap,
// the media types accepted and whether robots.txt is asked first.
type Kind int

// Kinds of request.
const (
	// KindPage is an article page: HTML, XHTML or plain text, robots.txt
	// honoured, MaxBodyBytes.
	KindPage Kind = iota
	// KindSection is a section page listing articles: HTML or XHTML,
	// robots.txt honoured, MaxBodyBytes.
	KindSection
	// KindFeed is an RSS, Atom or JSON feed: any media type (the parser
	// judges), MaxFeedBytes. Feeds are published for machines: robots.txt
	// is not asked, as feed readers do.
	KindFeed
	// KindSitemap is a sitemap or sitemap index, plain or gzipped:
	// MaxFeedBytes; robots.txt is where sitemaps are announced, it is not
	// asked.
	KindSitemap
	// KindRobots is a robots.txt: truncated, not refused, at robots.MaxSize.
	KindRobots
)

// String names the kind for logs and labels.
func (k Kind) String() string {
	switch k {
	case KindPage:
		return "page"
	case KindSection:
		return "section"
	case KindFeed:
		return "feed"
	case KindSitemap:
		return "sitemap"
	case KindRobots:
		return "robots"
	}
	return "kind" + strconv.Itoa(int(k))
}

func (k Kind) accept() string {
	switch k {
	case KindFeed:
		return "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
	case KindSitemap:
		return "application/xml, text/xml;q=0.9, application/gzip;q=0.8, */*;q=0.5"
	case KindRobots:
		return "text/plain, */*;q=0.5"
	}
	return "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
}

func (k Kind) robots() bool { return k == KindPage || k == KindSection }

// acceptable reports whether a media type is usable for the kind.
func (k Kind) acceptable(mt string) bool {
	switch k {
	case KindPage:
		return mt == "text/html" || mt == "application/xhtml+xml" || mt == "text/plain"
	case KindSection:
		return mt == "text/html" || mt == "application/xhtml+xml"
	}
	return true
}

// Request is one GET.
type Request struct {
	URL  string
	Kind Kind
	// Header holds extra headers (a source's own, from sources.yaml). They
	// cannot replace User-Agent, Accept-Encoding, the validators or Host.
	Header http.Header
	// ETag and LastModified, when set, make the request conditional; a
	// 304 answer is then a Response with NotModified set.
	ETag, LastModified string
}

// Response is a fetched resource.
type Response struct {
	// URL is the URL after redirects.
	URL string
	// Status is the final HTTP status: 2xx, or 304 with NotModified.
	Status int
	// NotModified is a 304 to a conditional request: Body is empty.
	NotModified bool
	// Header is the final response's header (validators, Cache-Control,
	// Retry-After…).
	Header http.Header
	// ContentType is the media type, lower case, without parameters
	// ("text/html"); sniffed from the body when the header has none.
	ContentType string
	// Charset is the charset parameter of the Content-Type header, lower
	// case, or "" when the header states none.
	Charset string
	// Body is the whole body, decoded from any content encoding.
	Body []byte
	// FetchedAt is when the response headers arrived.
	FetchedAt time.Time
}

// Client fetches. It is safe for concurrent use; share one per process so
// the per-host limits hold across all callers.
type Client struct {
	cfg    Config
	client *http.Client
	robots *robotsCache
	agent  string
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.ConnectTimeout, DefaultConnectTimeout)
	def(&cfg.HeaderTimeout, DefaultHeaderTimeout)
	def(&cfg.Timeout, DefaultTimeout)
	def(&cfg.RobotsTTL, DefaultRobotsTTL)
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxFeedBytes <= 0 {
		cfg.MaxFeedBytes = DefaultMaxFeedBytes
	}
	if cfg.MaxHeaderBytes <= 0 {
		cfg.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	switch {
	case cfg.PerHostDelay == 0:
		cfg.PerHostDelay = DefaultPerHostDelay
	case cfg.PerHostDelay < 0:
		cfg.PerHostDelay = 0
	}
	if cfg.PerHostConcurrency <= 0 {
		cfg.PerHostConcurrency = DefaultPerHostConcurrency
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	base := cfg.Transport
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = dialer(cfg.ConnectTimeout, cfg.Guard)
		// A proxy would be dialled instead of the site, and the guard would
		// check the proxy's address, not the site's.
		t.Proxy = nil
		t.TLSHandshakeTimeout = cfg.ConnectTimeout
		t.ResponseHeaderTimeout = cfg.HeaderTimeout
		t.MaxResponseHeaderBytes = cfg.MaxHeaderBytes
		t.MaxIdleConnsPerHost = cfg.PerHostConcurrency
		t.IdleConnTimeout = 30 * time.Second
		t.DisableCompression = true // we decode, under the cap
		base = t
	}
	lim := newHostLimiter(cfg.PerHostDelay, cfg.PerHostConcurrency, cfg.Budget, cfg.Now, cfg.Sleep)
	maxRedirects := cfg.MaxRedirects
	hc := &http.Client{
		Transport: &politeTransport{next: base, limiter: lim, timeout: cfg.Timeout, inFlight: make(chan struct{}, cfg.MaxInFlight)},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return checkRedirect(req, via, maxRedirects)
		},
	}
	agent, _, _ := strings.Cut(cfg.UserAgent, "/")
	c := &Client{cfg: cfg, client: hc, agent: strings.TrimSpace(agent)}
	c.robots = newRobotsCache(c, cfg.RobotsTTL, cfg.Now)
	return c
}

// checkRedirect refuses a chain longer than max, a hop back to a URL of the
// chain, and a hop to anything but http(s).
func checkRedirect(req *http.Request, via []*http.Request, max int) error {
	if len(via) > max {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, max)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: redirect to %s", ErrBadURL, req.URL.Redacted())
	}
	next := req.URL.String()
	for _, v := range via {
		if v.URL.String() == next {
			return fmt.Errorf("%w: back to %s after %d hops", ErrRedirectLoop, next, len(via))
		}
	}
	return nil
}

// UserAgent is the User-Agent the client sends.
func (c *Client) UserAgent() string { return c.cfg.UserAgent }

// Fetch downloads the article page at rawURL (KindPage).
func (c *Client) Fetch(ctx context.Context, rawURL string) (*Response, error) {
	return c.Get(ctx, Request{URL: rawURL, Kind: KindPage})
}

// headers the caller's Header cannot set: ours, or the transport's.
var reserved = map[string]bool{
	"Host": true, "User-Agent": true, "Accept-Encoding": true, "If-None-Match": true,
	"If-Modified-Since": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
}

// Get fetches r. A status other than 2xx (or a 304 to a conditional
// request) is a *StatusError; a bot-protection challenge is ErrBotWall.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("get %s: %w", r.URL, ErrBadURL)
	}
	if r.Kind.robots() && !c.cfg.IgnoreRobots {
		if err := c.robots.check(ctx, u, c.agent); err != nil {
			return nil, fmt.Errorf("get %s: %w", r.URL, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", r.URL, ErrBadURL)
	}
	for k, vs := range r.Header {
		if !reserved[http.CanonicalHeaderKey(k)] {
			req.Header[http.CanonicalHeaderKey(k)] = vs
		}
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", r.Kind.accept())
	}
	req.Header.Set("Accept-Encoding", AcceptEncoding)
	conditional := r.ETag != "" || r.LastModified != ""
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}

	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", r.URL, transportError(err))
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header, FetchedAt: c.cfg.Now()}
	if resp.StatusCode == http.StatusNotModified && conditional {
		out.NotModified = true
		return out, nil
	}

	header := resp.Header.Get("Content-Type")
	if header != "" {
		mt, params, err := mime.ParseMediaType(header)
		if err != nil {
			// A malformed header is common enough on old sites; trust the
			// part before ";".
			mt = strings.ToLower(strings.TrimSpace(strings.SplitN(header, ";", 2)[0]))
		}
		out.ContentType, out.Charset = mt, strings.ToLower(strings.TrimSpace(params["charset"]))
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 || resp.StatusCode == http.StatusNoContent {
		se := statusError(resp, c.cfg.Now())
		if wallStatus(resp.StatusCode) || resp.Header.Get("Cf-Mitigated") != "" {
			// Worth reading a little of: a challenge page says so.
			if dec, derr := decoder(resp.Body, resp.Header.Get("Content-Encoding")); derr == nil {
				if head, _ := readCapped(dec, sniffWall, true); head != nil {
					if name, ok := botWall(resp.Header, resp.StatusCode, head); ok {
						return nil, fmt.Errorf("get %s: %w: %s (%w)", r.URL, ErrBotWall, name, se)
					}
				}
			}
		}
		return nil, fmt.Errorf("get %s: %w", r.URL, se)
	}

	if out.ContentType != "" && !r.Kind.acceptable(out.ContentType) {
		return nil, fmt.Errorf("get %s: %w: %s for a %s", r.URL, ErrContentType, out.ContentType, r.Kind)
	}
	limit, truncate := c.cfg.MaxBodyBytes, false
	switch r.Kind {
	case KindFeed, KindSitemap:
		limit = c.cfg.MaxFeedBytes
	case KindRobots:
		limit, truncate = robots.MaxSize, true
	}
	identity := strings.TrimSpace(resp.Header.Get("Content-Encoding")) == ""
	if identity && !truncate && resp.ContentLength > limit {
		return nil, fmt.Errorf("get %s: %w: Content-Length %d over %d bytes", r.URL, ErrTooLarge, resp.ContentLength, limit)
	}
	dec, err := decoder(resp.Body, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", r.URL, err)
	}
	body, err := readCapped(dec, limit, truncate)
	if err != nil {
		return nil, fmt.Errorf("get %s: read body: %w", r.URL, transportError(err))
	}
	if out.ContentType == "" {
		mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
		out.ContentType = mt
		if !r.Kind.acceptable(mt) {
			return nil, fmt.Errorf("get %s: %w: %s (sniffed) for a %s", r.URL, ErrContentType, mt, r.Kind)
		}
	}
	if name, ok := botWall(resp.Header, resp.StatusCode, body); ok {
		return nil, fmt.Errorf("get %s: %w: %s (served as %d)", r.URL, ErrBotWall, name, resp.StatusCode)
	}
	out.Body = body
	return out, nil
}

// statusError reads Retry-After, in seconds or as an HTTP date.
func statusError(resp *http.Response, now time.Time) *StatusError {
	se := &StatusError{Code: resp.StatusCode}
	se.RetryAfter = RetryAfter(resp.Header, now)
	return se
}

// RetryAfter parses a Retry-After header, in seconds or as an HTTP date,
// into a wait from now; zero when absent, unparsable or past.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, int64(365*24*3600))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// transportError marks timeouts with ErrTimeout and oversized headers with
// ErrHeaderTooLarge, keeping the cause.
func transportError(err error) error {
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, ErrHeaderTooLarge):
		return err
	case isTimeout(err):
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	case strings.Contains(err.Error(), "server response headers exceeded"):
		// net/http has no sentinel for it.
		return fmt.Errorf("%w: %w", ErrHeaderTooLarge, err)
	}
	return err
}
