package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/newspipe/newspipe/services/fetcher/internal/guard"
)

// Sentinel errors, matched with errors.Is on what Get and Fetch return.
var (
	// ErrTooLarge is a body over its cap, counted after decompression (a
	// gzip bomb is cut at the cap). Permanent: refused, never truncated.
	ErrTooLarge = errors.New("body too large")
	// ErrHeaderTooLarge is a response whose headers exceed the cap.
	// Permanent.
	ErrHeaderTooLarge = errors.New("response headers too large")
	// ErrContentType is a response of a type the request cannot use (a PDF
	// or an image for a page). Permanent.
	ErrContentType = errors.New("unsupported content type")
	// ErrBadEncoding is a body in an unknown Content-Encoding, or one that
	// does not decompress. Permanent.
	ErrBadEncoding = errors.New("bad content encoding")
	// ErrTooManyRedirects is a redirect chain over the limit. Permanent.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrRedirectLoop is a redirect back to a URL already visited in the
	// same chain. Permanent.
	ErrRedirectLoop = errors.New("redirect loop")
	// ErrDisallowed is a page the site's robots.txt forbids us. Permanent.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrRobotsUnavailable is a robots.txt that could not be read (5xx,
	// network): RFC 9309 says to assume the site is closed for now.
	// Retryable.
	ErrRobotsUnavailable = errors.New("robots.txt unavailable")
	// ErrBotWall is a bot-protection challenge (Cloudflare's "Just a
	// moment…", DDoS-Guard) instead of the content. Retryable, though a
	// retry soon rarely passes.
	ErrBotWall = errors.New("bot wall (challenge page)")
	// ErrTimeout is a request that did not finish in time: connection,
	// headers or the whole request. Retryable.
	ErrTimeout = errors.New("timeout")
	// ErrBadURL is a URL that is not absolute http(s). Permanent.
	ErrBadURL = errors.New("not an absolute http(s) URL")
)

// StatusError is a final response other than 2xx (or 304 to a conditional
// request).
type StatusError struct {
	Code int
	// RetryAfter is the server's Retry-After (seconds or an HTTP date),
	// zero when it sent none.
	RetryAfter time.Duration
}

// Error gives the status code and text, e.g. "http status 404 Not Found".
func (e *StatusError) Error() string {
	s := fmt.Sprintf("http status %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
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

// permanent are the failures no retry fixes.
var permanent = []error{
	ErrTooLarge, ErrHeaderTooLarge, ErrContentType, ErrBadEncoding, ErrTooManyRedirects,
	ErrRedirectLoop, ErrDisallowed, ErrBadURL, guard.ErrRefused,
}

// Retryable classifies an error from Get or Fetch: true for failures that
// may pass (timeouts, 5xx, 429, network and DNS errors, an unreadable
// robots.txt, a bot wall), false for those that will not (4xx, too large,
// wrong content type, disallowed, bad URL, redirect loops, certificates, an
// address the guard refuses).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrBotWall) {
		return true
	}
	for _, p := range permanent {
		if errors.Is(err, p) {
			return false
		}
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Retryable()
	}
	if isCertError(err) {
		return false
	}
	// Timeouts, refused or reset connections, DNS failures (often a network
	// outage, not a dead site), cancellation at shutdown.
	return true
}

// Classes are the bounded words Class returns, for metrics labels and the
// sources API.
const (
	ClassOK             = "ok"
	ClassHTTP4xx        = "http_4xx"
	ClassHTTP429        = "http_429"
	ClassHTTP5xx        = "http_5xx"
	ClassHTTPOther      = "http_other"
	ClassBotWall        = "bot_wall"
	ClassTimeout        = "timeout"
	ClassDNS            = "dns"
	ClassTLS            = "tls"
	ClassNetwork        = "network"
	ClassTooLarge       = "too_large"
	ClassHeaderTooLarge = "header_too_large"
	ClassContentType    = "content_type"
	ClassBadEncoding    = "bad_encoding"
	ClassRedirects      = "redirects"
	ClassRedirectLoop   = "redirect_loop"
	ClassRobots         = "robots"
	ClassBadURL         = "bad_url"
	ClassRefused        = "address_refused"
)

// Class names the kind of failure in one of the Class* words.
func Class(err error) string {
	if err == nil {
		return ClassOK
	}
	var se *StatusError
	var dnsErr *net.DNSError
	switch {
	// First: a refusal may arrive wrapped in a robots.txt or redirect error.
	case errors.Is(err, guard.ErrRefused):
		return ClassRefused
	case errors.Is(err, ErrBotWall):
		return ClassBotWall
	case errors.As(err, &se):
		switch {
		case se.Code == http.StatusTooManyRequests:
			return ClassHTTP429
		case se.Code >= 500:
			return ClassHTTP5xx
		case se.Code >= 400:
			return ClassHTTP4xx
		}
		return ClassHTTPOther // 204, an unfollowed 3xx, an unasked-for 304
	case errors.Is(err, ErrTooLarge):
		return ClassTooLarge
	case errors.Is(err, ErrHeaderTooLarge):
		return ClassHeaderTooLarge
	case errors.Is(err, ErrContentType):
		return ClassContentType
	case errors.Is(err, ErrBadEncoding):
		return ClassBadEncoding
	case errors.Is(err, ErrTooManyRedirects):
		return ClassRedirects
	case errors.Is(err, ErrRedirectLoop):
		return ClassRedirectLoop
	case errors.Is(err, ErrDisallowed), errors.Is(err, ErrRobotsUnavailable):
		return ClassRobots
	case errors.Is(err, ErrBadURL):
		return ClassBadURL
	case errors.As(err, &dnsErr) && !dnsErr.IsTimeout:
		return ClassDNS
	case isTimeout(err):
		return ClassTimeout
	case isTLSError(err):
		return ClassTLS
	}
	return ClassNetwork
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// isCertError reports a certificate the client does not accept: expired,
// self-signed, for another name. Retrying does not change it.
func isCertError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}

// isTLSError reports a failed TLS handshake or a certificate error.
func isTLSError(err error) bool {
	var (
		rerr tls.RecordHeaderError
		aerr tls.AlertError
	)
	return isCertError(err) || errors.As(err, &rerr) || errors.As(err, &aerr)
}
