package feed

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors, matched with errors.Is on what Poll and Parse return.
var (
	// ErrNotFeed is a document that is neither RSS, Atom nor JSON Feed (an
	// HTML page, a login wall, an empty body).
	ErrNotFeed = errors.New("not a feed")
	// ErrMalformed is a document that looks like a feed but does not parse.
	ErrMalformed = errors.New("malformed feed")
	// ErrTooLarge is a feed body over the configured cap; it is refused,
	// never truncated.
	ErrTooLarge = errors.New("feed too large")
	// ErrTimeout is a poll that did not finish within the timeout.
	ErrTimeout = errors.New("timeout")
)

// StatusError is an HTTP response other than 2xx or 304.
type StatusError struct {
	Code int
}

// Error gives the status code and text, e.g. "http status 503 Service Unavailable".
func (e *StatusError) Error() string {
	return fmt.Sprintf("http status %d %s", e.Code, http.StatusText(e.Code))
}
