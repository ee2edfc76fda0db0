// Package fetch downloads article pages politely and safely: bounded time
// (connection and whole request), bounded redirects, a body cap that refuses
// rather than truncates, only HTML, XHTML or plain text accepted, a minimum
// delay between requests to the same host and a cap on concurrent requests
// per host, and robots.txt respected (cached per host).
//
// Errors say whether a retry may help (Retryable) and what kind of failure
// they were (Class), so the caller can choose between retry-later and
// dead-letter without knowing HTTP.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Defaults for Config's zero values.
const (
	DefaultConnectTimeout     = 10 * time.Second
	DefaultTimeout            = 30 * time.Second
	DefaultMaxBodyBytes       = 8 << 20
	DefaultMaxRedirects       = 5
	DefaultPerHostDelay       = time.Second
	DefaultPerHostConcurrency = 2
	DefaultRobotsTTL          = time.Hour
)

// Config configures a Client. Zero values take the defaults above.
type Config struct {
	// UserAgent is sent with every request; its first word (before "/")
	// is the product token matched against robots.txt groups.
	UserAgent string
	// ConnectTimeout bounds TCP and TLS set-up.
	ConnectTimeout time.Duration
	// Timeout bounds one request from its turn at the host to the end of
	// its body. A redirect is a new request.
	Timeout time.Duration
	// MaxBodyBytes caps a page; larger is ErrTooLarge.
	MaxBodyBytes int64
	// MaxRedirects bounds a redirect chain.
	MaxRedirects int
	// PerHostDelay is the minimum time between the starts of two requests
	// to one host; negative for none.
	PerHostDelay time.Duration
	// PerHostConcurrency caps requests in flight to one host.
	PerHostConcurrency int
	// IgnoreRobots skips robots.txt (for sites you own).
	IgnoreRobots bool
	// RobotsTTL is how long a host's robots.txt is trusted.
	RobotsTTL time.Duration
	// Guard decides which addresses may be connected to, checked on the
	// resolved address at connect time; nil refuses every non-public
	// address (see package guard).
	Guard *guard.Policy
	// Transport carries the requests; nil for a dedicated one (with Guard
	// applied). A Transport given here is used as it is, unguarded: tests
	// only.
	Transport http.RoundTripper
	// Now and Sleep replace the clock, for tests; nil for the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Page is a fetched page.
type Page struct {
	// URL is the page's URL after redirects.
	URL string
	// Status is the final HTTP status (2xx).
	Status int
	// ContentType is the media type, lower case, without parameters
	// ("text/html"); sniffed from the body when the header has none.
	ContentType string
	// Charset is the charset parameter of the Content-Type header, lower
	// case, or "" when the header states none.
	Charset string
	// Body is the whole body, decoded from any transfer compression.
	Body []byte
	// FetchedAt is when the response headers arrived.
	FetchedAt time.Time
}

// Client fetches pages. It is safe for concurrent use; share one per
// process so the per-host limits hold across all callers.
type Client struct {
	cfg    Config
	client *http.Client
	robots *robotsCache
	agent  string
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
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
	if cfg.RobotsTTL <= 0 {
		cfg.RobotsTTL = DefaultRobotsTTL
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
		t.ResponseHeaderTimeout = cfg.Timeout
		t.MaxIdleConnsPerHost = cfg.PerHostConcurrency
		base = t
	}
	lim := newHostLimiter(cfg.PerHostDelay, cfg.PerHostConcurrency, cfg.Now, cfg.Sleep)
	maxRedirects := cfg.MaxRedirects
	hc := &http.Client{
		Transport: &politeTransport{next: base, limiter: lim, timeout: cfg.Timeout},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, maxRedirects)
			}
			return nil
		},
	}
	agent, _, _ := strings.Cut(cfg.UserAgent, "/")
	c := &Client{cfg: cfg, client: hc, agent: strings.TrimSpace(agent)}
	c.robots = newRobotsCache(hc, cfg.UserAgent, cfg.RobotsTTL, cfg.Now)
	return c
}

// Fetch downloads the page at rawURL.
func (c *Client) Fetch(ctx context.Context, rawURL string) (*Page, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, ErrBadURL)
	}
	if !c.cfg.IgnoreRobots {
		if err := c.robots.check(ctx, u, c.agent); err != nil {
			return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, ErrBadURL)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, transportError(err))
	}
	defer resp.Body.Close()
	page := &Page{URL: resp.Request.URL.String(), Status: resp.StatusCode, FetchedAt: c.cfg.Now()}

	if resp.StatusCode < 200 || resp.StatusCode > 299 || resp.StatusCode == http.StatusNoContent {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, statusError(resp))
	}
	header := resp.Header.Get("Content-Type")
	if header != "" {
		mt, params, err := mime.ParseMediaType(header)
		if err != nil {
			// A malformed header is common enough on old sites; trust the
			// part before ";" and sniff nothing.
			mt = strings.ToLower(strings.TrimSpace(strings.SplitN(header, ";", 2)[0]))
		}
		page.ContentType, page.Charset = mt, strings.ToLower(strings.TrimSpace(params["charset"]))
		if !acceptable(page.ContentType) {
			return nil, fmt.Errorf("fetch %s: %w: %s", rawURL, ErrContentType, page.ContentType)
		}
	}
	if resp.ContentLength > c.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("fetch %s: %w: Content-Length %d over %d bytes", rawURL, ErrTooLarge, resp.ContentLength, c.cfg.MaxBodyBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: read body: %w", rawURL, transportError(err))
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("fetch %s: %w: over %d bytes", rawURL, ErrTooLarge, c.cfg.MaxBodyBytes)
	}
	if header == "" {
		mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
		page.ContentType = mt
		if !acceptable(mt) {
			return nil, fmt.Errorf("fetch %s: %w: %s (sniffed)", rawURL, ErrContentType, mt)
		}
	}
	page.Body = body
	return page, nil
}

// acceptable reports whether the cleaner can read a media type.
func acceptable(mt string) bool {
	switch mt {
	case "text/html", "application/xhtml+xml", "text/plain":
		return true
	}
	return false
}

func statusError(resp *http.Response) *StatusError {
	se := &StatusError{Code: resp.StatusCode}
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		se.RetryAfter = time.Duration(s) * time.Second
	}
	return se
}

// transportError marks timeouts with ErrTimeout and keeps the cause.
func transportError(err error) error {
	if isTimeout(err) && !errors.Is(err, ErrTimeout) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return err
}
