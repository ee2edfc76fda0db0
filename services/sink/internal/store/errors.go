package store

import "errors"

// Sentinel errors of the store, matched with errors.Is.
var (
	// ErrNotFound is returned by GetStory for an id the store does not hold.
	ErrNotFound = errors.New("store: not found")
	// ErrNoDSN is returned by Open for an empty DSN or path.
	ErrNoDSN = errors.New("store: no DSN or path given")
	// ErrBadCursor is returned by ParseCursor for a cursor the store did not
	// make (or one mangled on the way).
	ErrBadCursor = errors.New("store: malformed cursor")
	// ErrInvalid is returned for an argument the store cannot act on, such
	// as a story without an id or an empty agreement key.
	ErrInvalid = errors.New("store: invalid argument")
)
