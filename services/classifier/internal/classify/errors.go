package classify

import "errors"

// Sentinel errors of the classify package.
var (
	// ErrNilTaxonomy means New was given no taxonomy.
	ErrNilTaxonomy = errors.New("nil taxonomy")
	// ErrTooManyTopics means the taxonomy has more topics than a sentence
	// can track.
	ErrTooManyTopics = errors.New("too many topics")
	// ErrNotDir means TagDir was given a path that is not a directory.
	ErrNotDir = errors.New("not a directory")
)
