package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
	"github.com/newspipe/newspipe/services/fetcher/internal/robots"
)

// robotsRetry is how long an unreadable robots.txt keeps its host closed
// before it is asked for again.
const robotsRetry = time.Minute

// robotsCache holds each host's robots.txt for a TTL. The first request to a
// host fetches it; concurrent requests to the same host wait for that one
// fetch instead of each asking.
type robotsCache struct {
	client *Client
	ttl    time.Duration
	now    func() time.Time

	mu      sync.Mutex
	entries map[string]*robotsEntry
}

type robotsEntry struct {
	ready   chan struct{} // closed once rules or err is set
	rules   *robots.Rules
	err     error
	expires time.Time
}

func newRobotsCache(client *Client, ttl time.Duration, now func() time.Time) *robotsCache {
	return &robotsCache{client: client, ttl: ttl, now: now, entries: map[string]*robotsEntry{}}
}

// check returns nil if agent may fetch u, ErrDisallowed if robots.txt says
// no, or ErrRobotsUnavailable (retryable) if robots.txt cannot be read now.
func (c *robotsCache) check(ctx context.Context, u *url.URL, agent string) error {
	e, fetch := c.entry(u.Scheme + "://" + u.Host)
	if fetch {
		c.load(ctx, u, e)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	if e.err != nil {
		return e.err
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if !e.rules.Allowed(agent, path) {
		return ErrDisallowed
	}
	return nil
}

// entry returns the cache entry for origin and whether the caller must load
// it.
func (c *robotsCache) entry(origin string) (*robotsEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if e := c.entries[origin]; e != nil {
		select {
		case <-e.ready:
			if now.Before(e.expires) {
				return e, false
			}
		default:
			return e, false // being loaded
		}
	}
	if len(c.entries) > sweepAbove {
		for k, e := range c.entries {
			select {
			case <-e.ready:
				if !now.Before(e.expires) {
					delete(c.entries, k)
				}
			default:
			}
		}
	}
	e := &robotsEntry{ready: make(chan struct{})}
	c.entries[origin] = e
	return e, true
}

// load fetches robots.txt into e following RFC 9309: 2xx is parsed, 4xx
// means no restrictions, 5xx, 429 and network failures mean "closed for
// now".
func (c *robotsCache) load(ctx context.Context, u *url.URL, e *robotsEntry) {
	defer close(e.ready)
	e.expires = c.now().Add(c.ttl)
	robotsURL := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}).String()
	unavailable := func(why error) {
		e.err = fmt.Errorf("%w: %s: %w", ErrRobotsUnavailable, robotsURL, why)
		e.expires = c.now().Add(robotsRetry)
		if ctx.Err() != nil {
			e.expires = time.Time{} // our caller gave up; the next one asks again
		}
	}
	resp, err := c.client.Get(ctx, Request{URL: robotsURL, Kind: KindRobots})
	var se *StatusError
	switch {
	case err == nil:
		e.rules = robots.Parse(resp.Body)
	case errors.Is(err, guard.ErrRefused):
		// Not "unavailable": the site itself is out of bounds, for good.
		e.err = err
	case errors.Is(err, ErrBotWall):
		unavailable(err)
	case errors.As(err, &se) && se.Code != http.StatusTooManyRequests && se.Code < 500:
		e.rules = robots.AllowAll // 4xx (and an unfollowed 3xx): no usable file, no restrictions
	default: // 5xx, 429, network, timeout
		unavailable(err)
	}
}

// dialer connects with a bounded set-up time, checking every resolved
// address against g just before connecting to it.
func dialer(timeout time.Duration, g *guard.Policy) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.Control}).DialContext
}
