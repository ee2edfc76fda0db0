package sources

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is on what Parse returns. Parse joins
// one EntryError per problem, so a file with three mistakes reports three.
var (
	// ErrNoSources is returned for a file that lists no source at all.
	ErrNoSources = errors.New("no sources")
	// ErrMissing is a required field left empty.
	ErrMissing = errors.New("missing")
	// ErrBadID is an id that is not a lowercase token.
	ErrBadID = errors.New("id must be a lowercase token: a-z, 0-9, '-' or '_', starting with a letter or digit, at most 64 characters")
	// ErrDuplicateID is an id used by two entries.
	ErrDuplicateID = errors.New("duplicate id")
	// ErrDuplicateURL is a feed URL listed twice.
	ErrDuplicateURL = errors.New("duplicate url")
	// ErrBadURL is a feed URL that is not an absolute http(s) URL.
	ErrBadURL = errors.New("url must be an absolute http or https URL")
	// ErrBadInterval is an interval that does not parse or is out of range.
	ErrBadInterval = errors.New("bad interval")
	// ErrBadLang is a language that is not a lowercase BCP 47 tag.
	ErrBadLang = errors.New("lang must be a BCP 47 tag such as en, ru, zh or pt-br")
	// ErrUnknownField is a key the format does not have (often a typo).
	ErrUnknownField = errors.New("unknown field")
	// ErrBadKind is a kind other than feed, sitemap or section.
	ErrBadKind = errors.New("kind must be feed, sitemap or section")
	// ErrBadSelector is a CSS selector that does not parse, or one given to
	// a source that is not a section page.
	ErrBadSelector = errors.New("bad selector")
	// ErrBadCharset is a charset label the fetcher does not know.
	ErrBadCharset = errors.New("unknown charset (use a WHATWG label such as windows-1251, gb18030, shift_jis)")
	// ErrBadHeader is an extra header that is malformed or that the
	// fetcher sets itself.
	ErrBadHeader = errors.New("bad header")
	// ErrBadTag is a tag that is not a lowercase token.
	ErrBadTag = errors.New("tag must be a lowercase token")
)

// EntryError is a problem with one entry of the sources file.
type EntryError struct {
	// Line is the entry's line in the file (1-based), or 0 if unknown.
	Line int
	// Index is the entry's position in the list, from 0.
	Index int
	// ID is the entry's id as written, possibly empty or invalid.
	ID string
	// Field names the offending field, or "" for the entry as a whole.
	Field string
	Err   error
}

// Error names the entry by line, position and id, then the field.
func (e *EntryError) Error() string {
	where := fmt.Sprintf("source #%d", e.Index+1)
	if e.Line > 0 {
		where = fmt.Sprintf("line %d: %s", e.Line, where)
	}
	if e.ID != "" {
		where += fmt.Sprintf(" (id %q)", e.ID)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", where, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", where, e.Err)
}

// Unwrap returns the cause, so errors.Is(err, ErrDuplicateID) works.
func (e *EntryError) Unwrap() error { return e.Err }
