package feed

import "errors"

// Sentinel errors, matched with errors.Is on what Parse returns.
var (
	// ErrNotFeed is a document that is neither RSS, Atom nor JSON Feed (an
	// HTML page, a login wall, an empty body).
	ErrNotFeed = errors.New("not a feed")
	// ErrMalformed is a document that looks like a feed but does not parse.
	ErrMalformed = errors.New("malformed feed")
)
