package extract

import "errors"

// Sentinel errors returned (wrapped) by Extract; match them with errors.Is.
var (
	// ErrTooLarge means the input exceeds Options.MaxBytes and was not read.
	ErrTooLarge = errors.New("page too large")
	// ErrEmpty means the input has no text at all.
	ErrEmpty = errors.New("page has no text")
	// ErrNoContent means the page has text but no part of it looks like an
	// article; the Article returned with it still carries the metadata.
	ErrNoContent = errors.New("no article content found")
)
