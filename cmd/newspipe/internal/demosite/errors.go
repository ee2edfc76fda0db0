package demosite

import "errors"

// ErrCatalog reports that the embedded site catalog (outlets.json, pages.json
// or expected.json) is missing, malformed or inconsistent. It means the
// package was built from a broken tree, never that a caller did something
// wrong.
var ErrCatalog = errors.New("demosite: broken embedded catalog")

// ErrBaseURL reports a base URL that is not an absolute http or https URL.
var ErrBaseURL = errors.New("demosite: invalid base URL")
