package check

import "errors"

// ErrNotDir is returned by Run for a path that is not a directory.
var ErrNotDir = errors.New("not a directory")
