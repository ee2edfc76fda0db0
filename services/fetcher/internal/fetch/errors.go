package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Sentinel errors, matched with errors.Is on what Fetch returns.
var (
	// ErrTooLarge is a page over the body cap. It is permanent: the page is
	// refused, never truncated.
	ErrTooLarge = errors.New("page too large")
	// ErrContentType is a response that is not HTML, XHTML or plain text
	// (a PDF, an image, a feed). Permanent.
	ErrContentType = errors.New("unsupported content type")
	// ErrTooManyRedirects is a redirect chain over the limit. Permanent.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrDisallowed is a page the site's robots.txt forbids us. Permanent.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrRobotsUnavailable is a robots.txt that could not be read (5xx,
	// network): RFC 9309 says to assume the site is closed for now.
	// Retryable.
	ErrRobotsUnavailable = errors.New("robots.txt unavailable")
	// ErrTimeout is a fetch that did not finish in time. Retryable.
	ErrTimeout = errors.New("timeout")
	// ErrBadURL is a URL that is not absolute http(s). Permanent.
	ErrBadURL = errors.New("not an absolute http(s) URL")
)

// StatusError is a final response other than 2xx.
type StatusError struct {
	Code int
	// RetryAfter is the server's Retry-After, when it sent one in seconds.
	RetryAfter time.Duration
}

// Error gives the status code and text, e.g. "http status 404 Not Found".
func (e *StatusError) Error() string {
	return fmt.Sprintf("http status %d %s", e.Code, http.StatusText(e.Code))
}

// Retryable reports whether a later attempt may succeed: 5xx, 408, 425 and
// 429 are worth another try; every other status is not.
func (e *StatusError) Retryable() bool {
	switch {
	case e.Code >= 500:
		return true
	case e.Code == http.StatusRequestTimeout, e.Code == http.StatusTooEarly, e.Code == http.StatusTooManyRequests:
		return true
	}
	return false
}

// Retryable classifies an error from Fetch: true for failures that may pass
// (timeouts, 5xx, 429, network errors, an unreadable robots.txt), false for
// those that will not (4xx, too large, wrong content type, disallowed, bad
// URL, too many redirects, an address the guard refuses).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Retryable()
	}
	for _, p := range []error{ErrTooLarge, ErrContentType, ErrTooManyRedirects, ErrDisallowed, ErrBadURL, guard.ErrRefused} {
		if errors.Is(err, p) {
			return false
		}
	}
	// Timeouts, refused or reset connections, DNS failures (often a network
	// outage, not a dead site), cancellation at shutdown.
	return true
}

// Class names the kind of failure in a few bounded words, for metrics
// labels: "ok", "http_4xx", "http_5xx", "http_other", "timeout", "too_large",
// "content_type", "redirects", "robots", "bad_url", "address_refused",
// "network".
func Class(err error) string {
	if err == nil {
		return "ok"
	}
	var se *StatusError
	switch {
	case errors.As(err, &se):
		switch {
		case se.Code >= 500:
			return "http_5xx"
		case se.Code >= 400:
			return "http_4xx"
		}
		return "http_other" // 204, an unfollowed 3xx
	case errors.Is(err, guard.ErrRefused): // first: robots.txt and redirects may carry it
		return "address_refused"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrContentType):
		return "content_type"
	case errors.Is(err, ErrTooManyRedirects):
		return "redirects"
	case errors.Is(err, ErrDisallowed), errors.Is(err, ErrRobotsUnavailable):
		return "robots"
	case errors.Is(err, ErrBadURL):
		return "bad_url"
	case isTimeout(err):
		return "timeout"
	}
	return "network"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
