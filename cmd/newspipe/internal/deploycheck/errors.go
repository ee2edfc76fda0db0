package deploycheck

import "errors"

// Sentinel errors of Check and Run, matched with errors.Is.
var (
	// ErrNotDir is returned for a path that is not a directory.
	ErrNotDir = errors.New("not a directory")
	// ErrNoManifests is returned for a directory with no YAML file at all,
	// which is nearly always a wrong path rather than an empty deployment.
	ErrNoManifests = errors.New("no YAML files found")
)
