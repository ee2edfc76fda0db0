package match

import "errors"

// Sentinel errors returned (wrapped) by Compile.
var (
	// ErrEmptyPattern reports a pattern with no text.
	ErrEmptyPattern = errors.New("empty pattern")
	// ErrPatternTooLong reports a pattern longer than MaxPatternRunes runes.
	ErrPatternTooLong = errors.New("pattern too long")
	// ErrInvalidUTF8 reports a pattern that is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("pattern is not valid UTF-8")
	// ErrTooLarge reports a pattern set whose automaton outgrows the table.
	ErrTooLarge = errors.New("automaton too large")
	// ErrBadProclitic reports a proclitic that is empty or longer than four runes.
	ErrBadProclitic = errors.New("proclitic must have one to four runes")
)
